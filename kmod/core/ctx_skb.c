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
 * packets reach their filters without a socket, so its value is always
 * NULL (md.sk stays zero) and the verifier refuses to dereference it
 * (the kernel allows the sock_common fields; a program that null-checks
 * first behaves the same on both).
 */

#include "verifier_internal.h"
#include "skb.h"

#define SKB_OFF(f)		offsetof(struct __sk_buff, f)
#define SKB_END(f)		(offsetof(struct __sk_buff, f) + sizeof(((struct __sk_buff *)0)->f))
#define IN_FIELD(off, f)	((off) >= SKB_OFF(f) && (off) < SKB_END(f))
#define IN_RANGE(off, a, b)	((off) >= SKB_OFF(a) && (off) < SKB_END(b))

bool bpfdev_prog_type_supported(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_SOCKET_FILTER;
}

bool bpfdev_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t)
{
	/* bpfdev's extension: socket filters read the packet, never write */
	return env->prog_type == BPF_PROG_TYPE_SOCKET_FILTER && t == BPFDEV_READ;
}

/* The kernel's bpf_ctx_narrow_access_ok(): any power of two within the field. */
static bool narrow_access_ok(u32 off, u32 size, u32 size_default)
{
	return size <= size_default && (size & (size - 1)) == 0;
}

static bool sk_filter_is_valid_access(u32 off, int size, int t, u32 *reg_type,
				      u8 *field_size)
{
	const u32 size_default = sizeof(u32);

	if (off >= sizeof(struct __sk_buff) || size <= 0)
		return false;
	/* The verifier guarantees that size > 0. */
	if (off % size != 0)
		return false;

	/* fields a socket filter can't see at all */
	if (IN_FIELD(off, tc_classid) || IN_FIELD(off, data_meta) ||
	    IN_RANGE(off, family, local_port) || IN_FIELD(off, tstamp) ||
	    IN_FIELD(off, wire_len) || IN_FIELD(off, hwtstamp) ||
	    IN_FIELD(off, flow_keys) || IN_FIELD(off, tstamp_type) ||
	    (off >= SKB_END(tstamp_type) && off < SKB_OFF(hwtstamp)))
		return false;

	if (t == BPFDEV_WRITE) {
		/* only cb[] may be written, a whole word at a time */
		if (!IN_RANGE(off, cb[0], cb[4]))
			return false;
	}

	if (IN_RANGE(off, cb[0], cb[4])) {
		if (off + size > SKB_END(cb[4]))
			return false;
		return true;
	}
	if (IN_FIELD(off, sk)) {
		if (t == BPFDEV_WRITE || size != sizeof(u64))
			return false;
		*reg_type = PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL;
		return true;
	}
	if (IN_FIELD(off, data) || IN_FIELD(off, data_end)) {
		if (size != size_default || t != BPFDEV_READ)
			return false;
		*reg_type = IN_FIELD(off, data) ? PTR_TO_PACKET : PTR_TO_PACKET_END;
		return true;
	}
	if (IN_RANGE(off, remote_ip6[0], remote_ip6[3]) ||
	    IN_RANGE(off, local_ip6[0], local_ip6[3]) ||
	    IN_FIELD(off, remote_ip4) || IN_FIELD(off, local_ip4)) {
		if (size != size_default)
			return false;
		return true;
	}
	/* Only narrow read access allowed for now. */
	if (t == BPFDEV_WRITE)
		return size == size_default;
	*field_size = size_default;
	return narrow_access_ok(off, size, size_default);
}

int bpfdev_ctx_access(struct bpfdev_verifier *env, int insn_idx, int off, int size,
		      int t, u32 *reg_type)
{
	u8 field_size = 0;

	if (env->prog_type == BPF_PROG_TYPE_SOCKET_FILTER && off >= 0 &&
	    sk_filter_is_valid_access(off, size, t, reg_type, &field_size)) {
		env->aux[insn_idx].ctx_field_size = field_size;
		if (*reg_type == PTR_TO_PACKET || *reg_type == PTR_TO_PACKET_END)
			env->aux[insn_idx].pkt_ctx_rewrite = true;
		return 0;
	}
	bpfdev_verbose(env, "invalid bpf_context access off=%d size=%d\n", off, size);
	return -EACCES;
}

/*
 * Rewrite context loads to the real layout.  Only data and data_end move;
 * the instruction count never changes, so no jump needs fixing.
 */
int bpfdev_convert_ctx_accesses(struct bpfdev_verifier *env)
{
	u32 i;

	for (i = 0; i < env->len; i++) {
		struct bpf_insn *insn = &env->insns[i];

		if (!env->aux[i].pkt_ctx_rewrite)
			continue;
		if (BPF_CLASS(insn->code) != BPF_LDX) {
			bpfdev_verbose(env, "bpf verifier is misconfigured\n");
			return -EINVAL;
		}
		insn->code = BPF_LDX | BPF_MEM | BPF_DW;
		if (insn->off == SKB_OFF(data))
			insn->off = offsetof(struct bpfdev_skb, data);
		else
			insn->off = offsetof(struct bpfdev_skb, data_end);
	}
	return 0;
}
