// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN of tc programs (BPF_PROG_TYPE_SCHED_CLS) on /dev/bpf
 * against the guest kernel's own bpf(2): each row loads the same
 * instructions on both sides and runs them on the same frame (Ethernet,
 * IPv4, UDP), with or without a __sk_buff in, and must get the same
 * errno, return value, packet out (bytes and size) and __sk_buff out.
 * The kernel's answer is the expected one, so the rows hold on whatever
 * kernel the guest boots.  Not compared: __sk_buff.sk (the kernel's test
 * run has a dummy socket, bpfdev none) and the duration.
 */

#include <stddef.h>
#include <arpa/inet.h>
#include <linux/pkt_cls.h>

#include "bpf_sides.h"
#include "objs.h"

#define JMP_REG(op, d, s, o)	I(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define SKB(f)			offsetof(struct __sk_buff, f)

struct out {
	long err;
	__u32 retval;
	__u32 size_out;
	unsigned char data[256];
	struct __sk_buff ctx;
};

struct row {
	const char *name;
	const struct bpf_insn *insns;
	__u32 cnt;
	__u32 size;		/* of the frame; 0: the UDP frame's 60 */
	__u16 proto;		/* ethertype of a frame of size bytes; 0: UDP frame */
	const struct __sk_buff *ctx_in;
	__u32 ctx_size_in;	/* 0: sizeof(*ctx_in) */
	__u32 repeat;
	__u32 flags;
	__u32 size_out;		/* data_size_out hint; 0: the buffer's */
};

static unsigned char frame[8192];

/* 02:00:00:00:00:02 <- 02:00:00:00:00:01, 10.0.0.1:40000 -> 10.0.0.2:9000, 18 bytes */
static void mkudp(void)
{
	static const unsigned char hdr[] = {
		0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x9c, 0x40, 0x23, 0x28, 0x00, 0x1a, 0x00, 0x00,
	};
	__u32 sum = 0, i;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, hdr, sizeof(hdr));
	for (i = 0; i < 18; i++)
		frame[42 + i] = 'a' + i;
	/* the IPv4 header's sum */
	for (i = 14; i < 34; i += 2)
		sum += frame[i] << 8 | frame[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	frame[24] = ~sum >> 8;
	frame[25] = ~sum & 0xff;
	/* UDP's, with the pseudo header */
	sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 26;
	for (i = 34; i < 60; i += 2)
		sum += frame[i] << 8 | frame[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	frame[40] = ~sum >> 8;
	frame[41] = ~sum & 0xff;
}

/* A frame of zeros with ethertype proto. */
static void mkframe(__u16 proto)
{
	memset(frame, 0, sizeof(frame));
	frame[0] = 0x02;
	frame[5] = 0x02;
	frame[12] = proto >> 8;
	frame[13] = proto & 0xff;
}

static void run(int kernel, const struct row *r, struct out *o)
{
	int dev = kernel ? -1 : devfd;
	union bpf_attr a;
	long fd;

	memset(o, 0, sizeof(*o));
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	a.insns = (uintptr_t)r->insns;
	a.insn_cnt = r->cnt;
	a.license = (uintptr_t)"GPL";
	fd = bpf_side_call(dev, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0) {
		o->err = 1000 + fd;	/* a load error, told apart */
		return;
	}
	if (r->proto)
		mkframe(r->proto);
	else
		mkudp();
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)frame;
	a.test.data_size_in = r->size ? r->size : 60;
	a.test.data_out = (uintptr_t)o->data;
	a.test.data_size_out = r->size_out ? r->size_out : sizeof(o->data);
	if (r->ctx_in) {
		memcpy(&o->ctx, r->ctx_in, sizeof(o->ctx));
		a.test.ctx_in = (uintptr_t)r->ctx_in;
		a.test.ctx_size_in = r->ctx_size_in ? r->ctx_size_in : sizeof(*r->ctx_in);
	}
	a.test.ctx_out = (uintptr_t)&o->ctx;
	a.test.ctx_size_out = sizeof(o->ctx);
	a.test.repeat = r->repeat;
	a.test.flags = r->flags;
	o->err = bpf_side_call(dev, BPF_PROG_TEST_RUN, &a, sizeof(a));
	o->retval = a.test.retval;
	o->size_out = a.test.data_size_out;
	close(fd);
}

/* ---- programs ---------------------------------------------------------------- */

#define FIELD_PROG(name, sz, f)						\
	static const struct bpf_insn name[] = {				\
		LDX_MEM(sz, 0, 1, SKB(f)),				\
		EXIT(),							\
	}

FIELD_PROG(p_len, BPF_W, len);
FIELD_PROG(p_pkt_type, BPF_W, pkt_type);
FIELD_PROG(p_mark, BPF_W, mark);
FIELD_PROG(p_queue_mapping, BPF_W, queue_mapping);
FIELD_PROG(p_protocol, BPF_W, protocol);
FIELD_PROG(p_vlan_present, BPF_W, vlan_present);
FIELD_PROG(p_vlan_tci, BPF_W, vlan_tci);
FIELD_PROG(p_vlan_proto, BPF_W, vlan_proto);
FIELD_PROG(p_priority, BPF_W, priority);
FIELD_PROG(p_ingress_ifindex, BPF_W, ingress_ifindex);
FIELD_PROG(p_ifindex, BPF_W, ifindex);
FIELD_PROG(p_tc_index, BPF_W, tc_index);
FIELD_PROG(p_cb0, BPF_W, cb[0]);
FIELD_PROG(p_cb4, BPF_W, cb[4]);
FIELD_PROG(p_hash, BPF_W, hash);
FIELD_PROG(p_tc_classid, BPF_W, tc_classid);
FIELD_PROG(p_napi_id, BPF_W, napi_id);
FIELD_PROG(p_wire_len, BPF_W, wire_len);
FIELD_PROG(p_gso_segs, BPF_W, gso_segs);
FIELD_PROG(p_gso_size, BPF_W, gso_size);
FIELD_PROG(p_tstamp, BPF_DW, tstamp);
FIELD_PROG(p_hwtstamp, BPF_DW, hwtstamp);

/* data_end - data, and data - data_meta in the upper half */
static const struct bpf_insn p_ptrs[] = {
	LDX_MEM(BPF_W, 2, 1, SKB(data)),
	LDX_MEM(BPF_W, 3, 1, SKB(data_end)),
	LDX_MEM(BPF_W, 4, 1, SKB(data_meta)),
	MOV64_REG(0, 3),
	ALU64_REG(BPF_SUB, 0, 2),
	ALU64_REG(BPF_SUB, 2, 4),
	ALU64_IMM(BPF_LSH, 2, 16),
	ALU64_REG(BPF_OR, 0, 2),
	EXIT(),
};

/* Writes every field tc may write (6.1 has no BPF_ST into ctx); returns 0. */
#define SET(f, v)	MOV64_IMM(2, v), STX_MEM(BPF_W, 1, 2, SKB(f))
static const struct bpf_insn p_write[] = {
	SET(mark, 0x55),
	SET(priority, 9),
	SET(cb[2], 77),
	SET(tc_index, 3),
	SET(queue_mapping, 2),
	SET(tc_classid, 4),
	MOV64_IMM(2, 999),
	STX_MEM(BPF_DW, 1, 2, SKB(tstamp)),
	MOV64_IMM(0, 0),
	EXIT(),
};

/* mark += 1; returns mark: the runs of a repeat see each other's writes */
static const struct bpf_insn p_count[] = {
	LDX_MEM(BPF_W, 0, 1, SKB(mark)),
	ALU64_IMM(BPF_ADD, 0, 1),
	STX_MEM(BPF_W, 1, 0, SKB(mark)),
	EXIT(),
};

/* A direct write of a payload byte; TC_ACT_OK. */
static const struct bpf_insn p_poke[] = {
	LDX_MEM(BPF_W, 2, 1, SKB(data)),
	LDX_MEM(BPF_W, 3, 1, SKB(data_end)),
	MOV64_REG(4, 2),
	ALU64_IMM(BPF_ADD, 4, 51),
	JMP_REG(BPF_JGT, 4, 3, 1),
	ST_MEM(BPF_B, 2, 50, 0x7a),
	MOV64_IMM(0, TC_ACT_OK),
	EXIT(),
};

/* UDP port 9000 -> 9002: l4_csum_replace, then skb_store_bytes. */
static const struct bpf_insn p_port[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(2, 40),
	MOV64_IMM(3, 0x2823),		/* htons(9000) */
	MOV64_IMM(4, 0x2a23),		/* htons(9002) */
	MOV64_IMM(5, 2 | BPF_F_MARK_MANGLED_0),
	CALL(BPF_FUNC_l4_csum_replace),
	ST_MEM(BPF_H, 10, -2, 0x2a23),
	MOV64_REG(1, 6),
	MOV64_IMM(2, 36),
	MOV64_REG(3, 10),
	ALU64_IMM(BPF_ADD, 3, -2),
	MOV64_IMM(4, 2),
	MOV64_IMM(5, 0),
	CALL(BPF_FUNC_skb_store_bytes),
	EXIT(),
};

/* Two VLAN tags: the first goes out of band, the second moves it in. */
static const struct bpf_insn p_vlan[] = {
	MOV64_REG(6, 1),
	MOV64_IMM(2, 0x0081),		/* htons(ETH_P_8021Q) */
	MOV64_IMM(3, 5),
	CALL(BPF_FUNC_skb_vlan_push),
	MOV64_REG(1, 6),
	MOV64_IMM(2, 0x0081),
	MOV64_IMM(3, 7),
	CALL(BPF_FUNC_skb_vlan_push),
	LDX_MEM(BPF_W, 2, 6, SKB(vlan_present)),
	ALU64_IMM(BPF_LSH, 2, 16),
	LDX_MEM(BPF_W, 0, 6, SKB(vlan_tci)),
	ALU64_REG(BPF_OR, 0, 2),
	LDX_MEM(BPF_W, 2, 6, SKB(len)),
	ALU64_IMM(BPF_LSH, 2, 20),
	ALU64_REG(BPF_OR, 0, 2),
	EXIT(),
};

static const struct bpf_insn p_redirect[] = {
	MOV64_IMM(1, 1),
	MOV64_IMM(2, 0),
	CALL(BPF_FUNC_redirect),
	EXIT(),
};

static const struct bpf_insn p_shot[] = {
	MOV64_IMM(0, TC_ACT_SHOT),
	EXIT(),
};

/* ---- contexts -------------------------------------------------------------- */

static const struct __sk_buff ctx_set = {
	.mark = 7, .priority = 3, .ingress_ifindex = 5, .ifindex = 1,
	.cb = { 1, 2, 3, 4, 5 }, .tstamp = 123456789, .wire_len = 200,
	.gso_segs = 2, .gso_size = 1400, .hwtstamp = 42,
};
static const struct __sk_buff ctx_mark5 = { .mark = 5 };
static const struct __sk_buff ctx_len = { .len = 60 };
static const struct __sk_buff ctx_nodev = { .ifindex = 999 };
static const struct __sk_buff ctx_short_wire = { .wire_len = 59 };
static const struct __sk_buff ctx_long_wire = { .wire_len = 65537 };
static const struct __sk_buff ctx_segs = { .gso_segs = 65536 };
static const struct __sk_buff ctx_tail[2];	/* 2 * sizeof, zero: accepted */

#define P(p)	p, NINSNS(p)

#define FIELD_ROWS(f)							\
	{ "read " #f, P(p_##f) },					\
	{ "read " #f ", ctx in", P(p_##f), .ctx_in = &ctx_set }

static const struct row rows[] = {
	FIELD_ROWS(len),
	FIELD_ROWS(pkt_type),
	FIELD_ROWS(mark),
	FIELD_ROWS(queue_mapping),
	FIELD_ROWS(protocol),
	FIELD_ROWS(vlan_present),
	FIELD_ROWS(vlan_tci),
	FIELD_ROWS(vlan_proto),
	FIELD_ROWS(priority),
	FIELD_ROWS(ingress_ifindex),
	FIELD_ROWS(ifindex),
	FIELD_ROWS(tc_index),
	FIELD_ROWS(cb0),
	FIELD_ROWS(cb4),
	FIELD_ROWS(hash),
	FIELD_ROWS(tc_classid),
	FIELD_ROWS(napi_id),
	FIELD_ROWS(wire_len),
	FIELD_ROWS(gso_segs),
	FIELD_ROWS(gso_size),
	FIELD_ROWS(tstamp),
	FIELD_ROWS(hwtstamp),
	{ "data, data_end, data_meta", P(p_ptrs) },
	{ "writes to every writable field, ctx out", P(p_write), .ctx_in = &ctx_set },
	{ "repeat 100: the runs see each other's mark", P(p_count), .ctx_in = &ctx_mark5,
	  .repeat = 100 },
	{ "a direct packet write in data out", P(p_poke) },
	{ "a direct write under BPF_F_TEST_SKB_CHECKSUM_COMPLETE (EBADMSG)", P(p_poke),
	  .flags = BPF_F_TEST_SKB_CHECKSUM_COMPLETE },
	{ "port rewrite: l4_csum_replace, skb_store_bytes", P(p_port) },
	{ "port rewrite under BPF_F_TEST_SKB_CHECKSUM_COMPLETE", P(p_port),
	  .flags = BPF_F_TEST_SKB_CHECKSUM_COMPLETE },
	{ "two skb_vlan_push: one tag in band, data out 4 bytes longer", P(p_vlan) },
	{ "bpf_redirect: TC_ACT_REDIRECT", P(p_redirect) },
	{ "TC_ACT_SHOT", P(p_shot) },
	{ "a frame of 13 bytes (EINVAL)", P(p_shot), .size = 13, .proto = 0x88b5 },
	{ "a frame of 3712 bytes", P(p_shot), .size = 3712, .proto = 0x88b5 },
	{ "a frame of 3713 bytes", P(p_shot), .size = 3713, .proto = 0x88b5 },
	{ "a frame of 4096 bytes", P(p_shot), .size = 4096, .proto = 0x88b5 },
	{ "IPv4 shorter than its header", P(p_shot), .size = 14 + 19, .proto = 0x0800 },
	{ "IPv6 shorter than its header", P(p_shot), .size = 14 + 39, .proto = 0x86dd },
	{ "an 802.3 frame", P(p_protocol), .size = 64, .proto = 0x0040 },
	{ "ctx in: len set (EINVAL)", P(p_shot), .ctx_in = &ctx_len },
	{ "ctx in: no such ifindex (ENODEV)", P(p_shot), .ctx_in = &ctx_nodev },
	{ "ctx in: wire_len below len (EINVAL)", P(p_wire_len), .ctx_in = &ctx_short_wire },
	{ "ctx in: wire_len above 64 KiB (EINVAL)", P(p_wire_len), .ctx_in = &ctx_long_wire },
	{ "ctx in: gso_segs above GSO_MAX_SEGS (EINVAL)", P(p_shot), .ctx_in = &ctx_segs },
	{ "ctx in: longer than __sk_buff, zero tail", P(p_mark), .ctx_in = ctx_tail,
	  .ctx_size_in = sizeof(ctx_tail) },
	{ "an unknown flag (EINVAL)", P(p_shot), .flags = 1U << 7 },
	{ "data_size_out below the packet (ENOSPC)", P(p_poke), .size_out = 20 },
};

static int same(const struct out *k, const struct out *b)
{
	if (k->err != b->err || k->retval != b->retval || k->size_out != b->size_out)
		return 0;
	if (k->err && k->err != -ENOSPC)
		return 1;
	if (memcmp(k->data, b->data, k->size_out < sizeof(k->data) ? k->size_out :
		   sizeof(k->data)))
		return 0;
	return k->err == -ENOSPC || !memcmp(&k->ctx, &b->ctx, sizeof(k->ctx));
}

static void show(const char *side, const struct out *o)
{
	const __u32 *c = (const __u32 *)&o->ctx;
	__u32 i;

	tap_diag("%s: err %ld retval %#x size_out %u", side, o->err, o->retval, o->size_out);
	for (i = 0; i < sizeof(o->ctx) / 4; i += 8)
		tap_diag("  ctx[%2u] %08x %08x %08x %08x %08x %08x %08x %08x", i, c[i],
			 c[i + 1], c[i + 2], c[i + 3], c[i + 4], c[i + 5], c[i + 6], c[i + 7]);
	for (i = 0; i < o->size_out && i < 80; i += 16)
		tap_diag("  data[%2u] %02x%02x%02x%02x %02x%02x%02x%02x %02x%02x%02x%02x %02x%02x%02x%02x",
			 i, o->data[i], o->data[i + 1], o->data[i + 2], o->data[i + 3],
			 o->data[i + 4], o->data[i + 5], o->data[i + 6], o->data[i + 7],
			 o->data[i + 8], o->data[i + 9], o->data[i + 10], o->data[i + 11],
			 o->data[i + 12], o->data[i + 13], o->data[i + 14], o->data[i + 15]);
}

int main(void)
{
	static struct out k, b;
	size_t i;

	tap_plan(0);
	objs_init();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		run(1, &rows[i], &k);
		run(0, &rows[i], &b);
		if (!ok(same(&k, &b), "%s: kernel %ld retval %#x, bpfdev %ld retval %#x",
			rows[i].name, k.err, k.retval, b.err, b.retval)) {
			show("kernel", &k);
			show("bpfdev", &b);
		}
	}
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
