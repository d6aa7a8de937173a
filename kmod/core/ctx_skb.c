// SPDX-License-Identifier: GPL-2.0
/*
 * The socket filter's context: which struct __sk_buff fields a program may
 * read or write (the kernel's sk_filter_is_valid_access() and
 * bpf_skb_is_valid_access() of 6.1), plus bpfdev's one extension, direct
 * packet reads through data and data_end; and the rewrite of those two
 * 32-bit loads into 64-bit loads of struct bpfdev_skb's pointers.  Every
 * other field keeps its uapi offset in struct bpfdev_skb, so a narrow load
 * inside a field (a byte of hash + 1) reads the byte the kernel's shift
 * and mask give on a little-endian host, with no rewrite.
 *
 * sk is read as the kernel gives it, PTR_TO_SOCK_COMMON_OR_NULL; bpfdev's
 * packets reach their programs without a socket, so its value is always
 * NULL (md.sk stays zero) and the verifier refuses to dereference it
 * (the kernel allows the sock_common fields; a program that null-checks
 * first behaves the same on both).
 */

#include "verifier_internal.h"
#include "skb.h"
#include "skb_tc.h"
#include "ctx_fields.h"

bool bpfdev_prog_type_supported(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_SOCKET_FILTER ||
	       bpfdev_prog_type_is_tc(prog_type) ||
	       bpfdev_prog_type_is_trace(prog_type);
}

bool bpfdev_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t)
{
	if (bpfdev_prog_type_is_tc(env->prog_type))
		return bpfdev_tc_may_access_direct_pkt_data(env, t);
	/* bpfdev's extension: socket filters read the packet, never write */
	return env->prog_type == BPF_PROG_TYPE_SOCKET_FILTER && t == BPFDEV_READ;
}

/* The kernel's bpf_ctx_narrow_access_ok(): any power of two within the field. */
static bool narrow_access_ok(u32 off, u32 size, u32 size_default)
{
	return size <= size_default && (size & (size - 1)) == 0;
}

/*
 * The kernel's bpf_skb_is_valid_access(), the rules every __sk_buff
 * program type shares; the caller has applied its own type's first.
 */
bool bpfdev_skb_is_valid_access(u32 off, int size, int t, u32 *reg_type, u8 *field_size)
{
	const u32 size_default = sizeof(u32);

	if (off >= sizeof(struct __sk_buff) || size <= 0)
		return false;
	/* The verifier guarantees that size > 0. */
	if (off % size != 0)
		return false;

	if (IN_RANGE(off, cb[0], cb[4]))
		return off + size <= SKB_END(cb[4]);
	if (IN_RANGE(off, remote_ip6[0], remote_ip6[3]) ||
	    IN_RANGE(off, local_ip6[0], local_ip6[3]) ||
	    IN_FIELD(off, remote_ip4) || IN_FIELD(off, local_ip4) ||
	    IN_FIELD(off, data) || IN_FIELD(off, data_meta) ||
	    IN_FIELD(off, data_end))
		return size == size_default;
	if (IN_FIELD(off, flow_keys))
		return false;
	if (IN_FIELD(off, sk)) {
		if (t == BPFDEV_WRITE || size != sizeof(u64))
			return false;
		*reg_type = PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL;
		return true;
	}
	if (IN_FIELD(off, hwtstamp))
		return t != BPFDEV_WRITE && size == sizeof(u64);
	if (IN_FIELD(off, tstamp))
		return size == sizeof(u64);
	/* tstamp_type, and the padding after it */
	if (IN_FIELD(off, tstamp_type) ||
	    (off >= SKB_END(tstamp_type) && off < SKB_OFF(hwtstamp)))
		return false;
	/* Only narrow read access allowed for now. */
	if (t == BPFDEV_WRITE)
		return size == size_default;
	*field_size = size_default;
	return narrow_access_ok(off, size, size_default);
}

static bool sk_filter_is_valid_access(u32 off, int size, int t, u32 *reg_type,
				      u8 *field_size)
{
	/* fields a socket filter can't see at all */
	if (IN_FIELD(off, tc_classid) || IN_FIELD(off, data_meta) ||
	    IN_RANGE(off, family, local_port) || IN_FIELD(off, tstamp) ||
	    IN_FIELD(off, wire_len) || IN_FIELD(off, hwtstamp))
		return false;

	/* only cb[] may be written */
	if (t == BPFDEV_WRITE && !IN_RANGE(off, cb[0], cb[4]))
		return false;

	/* bpfdev's extension: direct packet reads */
	if (IN_FIELD(off, data))
		*reg_type = PTR_TO_PACKET;
	else if (IN_FIELD(off, data_end))
		*reg_type = PTR_TO_PACKET_END;
	return bpfdev_skb_is_valid_access(off, size, t, reg_type, field_size);
}

/*
 * The kernel converts a load of these fields into a load of the skb
 * member behind them, of the member's size; a narrow load at least that
 * wide is not shifted (bpf_ctx_narrow_access_offset() applies only below
 * it), so it reads the whole value whatever byte of the field it named.
 * bpfdev's fields hold the values zero-extended: the load moves to the
 * field's start.  0: the field is as wide as the kernel's member.
 */
static u32 skb_member_size(u32 off, u32 *start)
{
	static const struct { u32 off, size; } small[] = {
		{ SKB_OFF(pkt_type), 1 },	{ SKB_OFF(protocol), 2 },
		{ SKB_OFF(vlan_proto), 2 },	{ SKB_OFF(vlan_tci), 2 },
		{ SKB_OFF(queue_mapping), 2 },	{ SKB_OFF(tc_index), 2 },
		{ SKB_OFF(tc_classid), 2 },	{ SKB_OFF(gso_segs), 2 },
		{ SKB_OFF(gso_size), 2 },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		if (off >= small[i].off && off < small[i].off + sizeof(u32)) {
			*start = small[i].off;
			return small[i].size;
		}
	}
	return 0;
}

int bpfdev_ctx_access(struct bpfdev_verifier *env, int insn_idx, int off, int size,
		      int t, u32 *reg_type)
{
	u8 field_size = 0;
	bool ok = false;

	if (bpfdev_prog_type_is_trace(env->prog_type)) {
		/* no rewrite: the host gives each context as the uapi lays it out */
		ok = bpfdev_trace_is_valid_access(env, off, size, t, &field_size);
		env->aux[insn_idx].ctx_field_size = field_size;
	} else if (off >= 0 && env->prog_type == BPF_PROG_TYPE_SOCKET_FILTER) {
		ok = sk_filter_is_valid_access(off, size, t, reg_type, &field_size);
	} else if (off >= 0 && bpfdev_prog_type_is_tc(env->prog_type)) {
		ok = bpfdev_tc_is_valid_access(env, off, size, t, reg_type, &field_size);
	}
	if (ok) {
		u32 start, member = 0;

		/* the kernel's aux->max_ctx_offset, for every program type */
		env->env_pub->max_ctx_offset = max_t(u32, env->env_pub->max_ctx_offset,
						     off + size);
		if (bpfdev_prog_type_is_trace(env->prog_type))
			return 0;
		if (field_size)
			member = skb_member_size(off, &start);

		env->aux[insn_idx].ctx_field_size = field_size;
		if (t == BPFDEV_READ && member && size >= member)
			env->aux[insn_idx].ctx_narrow_fix = (s8)(start - off);
		if (type_is_pkt_pointer(*reg_type) || *reg_type == PTR_TO_PACKET_END)
			env->aux[insn_idx].pkt_ctx_rewrite = true;
		return 0;
	}
	bpfdev_verbose(env, "invalid bpf_context access off=%d size=%d\n", off, size);
	return -EACCES;
}

/*
 * Rewrite context loads to the real layout.  Only data, data_end and
 * data_meta (tc's, struct bpfdev_tc_skb) move, and narrow loads of the
 * narrow members (skb_member_size()); the instruction count never
 * changes, so no jump needs fixing.
 */
int bpfdev_convert_ctx_accesses(struct bpfdev_verifier *env)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];

		insn->off += env->aux[i].ctx_narrow_fix;
		if (!env->aux[i].pkt_ctx_rewrite)
			continue;
		if (BPF_CLASS(insn->code) != BPF_LDX) {
			bpfdev_verbose(env, "bpf verifier is misconfigured\n");
			return -EINVAL;
		}
		insn->code = BPF_LDX | BPF_MEM | BPF_DW;
		if (insn->off == SKB_OFF(data))
			insn->off = offsetof(struct bpfdev_skb, data);
		else if (insn->off == SKB_OFF(data_meta))
			insn->off = offsetof(struct bpfdev_tc_skb, data_meta);
		else
			insn->off = offsetof(struct bpfdev_skb, data_end);
	}
	return 0;
}
