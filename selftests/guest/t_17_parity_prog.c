// SPDX-License-Identifier: GPL-2.0
/*
 * One row per PROG_LOAD and PROG_TEST_RUN cause of disagreement once
 * found between /dev/bpf and bpf(2) (issues 15 and 21): each row runs the
 * same attrs on the guest kernel's own bpf(2) and on /dev/bpf and must
 * get the same return codes and written-back fields.  The kernel's answer
 * is the expected one, so the rows hold on whatever kernel the guest
 * boots.
 */

#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "bpf_sides.h"
#include "objs.h"
#include "sys.h"

struct side {
	int kernel;
	int fd;			/* the row's program, closed after it */
};

static long call(struct side *s, unsigned int cmd, union bpf_attr *a)
{
	return bpf_side_call(s->kernel ? -1 : devfd, cmd, a, sizeof(*a));
}

/* An address that faults: a page mapped PROT_NONE. */
static void *bad;

static long load_flags(struct side *s, const struct bpf_insn *insns, __u32 cnt,
		       const char *license, void *log, __u32 log_size, __u32 flags)
{
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.prog_flags = flags;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uintptr_t)license;
	a.log_buf = (uintptr_t)log;
	a.log_size = log_size;
	a.log_level = log ? 1 : 0;
	fd = call(s, BPF_PROG_LOAD, &a);
	if (fd >= 0 && s->fd < 0)
		s->fd = fd;
	else if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

static long load(struct side *s, const struct bpf_insn *insns, __u32 cnt,
		 const char *license, void *log, __u32 log_size)
{
	return load_flags(s, insns, cnt, license, log, log_size, 0);
}

/* Returns skb->pkt_type, or skb->protocol, or 1. */
static const struct bpf_insn prog_pkt_type[] = {
	LDX_MEM(BPF_W, 0, 1, offsetof(struct __sk_buff, pkt_type)),
	EXIT(),
};

static const struct bpf_insn prog_protocol[] = {
	LDX_MEM(BPF_W, 0, 1, offsetof(struct __sk_buff, protocol)),
	EXIT(),
};

static const struct bpf_insn prog_one[] = {
	MOV64_IMM(0, 1),
	EXIT(),
};

/* Refused by both verifiers: r0 is never set. */
static const struct bpf_insn prog_bad[] = {
	EXIT(),
};

struct run {
	const void *data;
	__u32 size;
	void *data_out;
	__u32 size_out;
	void *ctx_in, *ctx_out;
	__u32 ctx_size_in, ctx_size_out;
	__u32 flags;
	__u32 retval;		/* back */
	__u32 data_size_out;	/* back */
};

static long test_run(struct side *s, int fd, struct run *r)
{
	union bpf_attr a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)r->data;
	a.test.data_size_in = r->size;
	a.test.data_out = (uintptr_t)r->data_out;
	a.test.data_size_out = r->size_out;
	a.test.ctx_in = (uintptr_t)r->ctx_in;
	a.test.ctx_size_in = r->ctx_size_in;
	a.test.ctx_out = (uintptr_t)r->ctx_out;
	a.test.ctx_size_out = r->ctx_size_out;
	a.test.flags = r->flags;
	ret = call(s, BPF_PROG_TEST_RUN, &a);
	r->retval = a.test.retval;
	r->data_size_out = a.test.data_size_out;
	return ret;
}

static unsigned char frame[8192];

/* An Ethernet frame of size bytes to dst with ethertype proto. */
static void *mkframe(const unsigned char *dst, __u16 proto, __u32 size)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst, 6);
	frame[6] = 0x02;
	frame[11] = 0x02;
	frame[12] = proto >> 8;
	frame[13] = proto & 0xff;
	return frame;
}

static const unsigned char zero_mac[6];

/* ---- PROG_LOAD ------------------------------------------------------------ */

static long load_null_insns(struct side *s, __u64 *out)
{
	return load(s, NULL, 2, "GPL", NULL, 0);
}

static long load_license_before_cnt(struct side *s, __u64 *out)
{
	*out = -load(s, prog_one, 0, NULL, NULL, 0);
	return load(s, prog_one, 1000001, NULL, NULL, 0);
}

static long load_insn_cnt_limit(struct side *s, __u64 *out)
{
	/* Past the limit E2BIG; at it, the (faulting) copy. */
	*out = -load(s, bad, 1000000, "GPL", NULL, 0);
	return load(s, bad, 1000001, "GPL", NULL, 0);
}

static long load_log_fault_refused(struct side *s, __u64 *out)
{
	return load(s, prog_bad, NINSNS(prog_bad), "GPL", bad, 1024);
}

static long load_log_fault_accepted(struct side *s, __u64 *out)
{
	return load(s, prog_one, NINSNS(prog_one), "GPL", bad, 1024);
}

/* bpf_trace_printk("hi\n"): the one gpl_only helper bpfdev offers. */
static const struct bpf_insn prog_printk[] = {
	ST_MEM(BPF_DW, 10, -8, 0x0a6968),
	MOV64_REG(1, 10),
	ALU64_IMM(BPF_ADD, 1, -8),
	MOV64_IMM(2, 8),
	CALL(BPF_FUNC_trace_printk),
	MOV64_IMM(0, 0),
	EXIT(),
};

static long load_gpl_only_helper(struct side *s, __u64 *out)
{
	static const char *const licenses[] = { "Proprietary", "BSD", "GPL",
						"Dual BSD/GPL" };
	static char log[4096];
	int i;

	/* Each license's errno and whether the log names the cause. */
	for (i = 0; i < 4; i++) {
		long ret;

		log[0] = 0;
		ret = load(s, prog_printk, NINSNS(prog_printk), licenses[i], log,
			   sizeof(log));
		*out = *out * 1000 + -ret * 10 +
		       !!strstr(log, "cannot call GPL-restricted function from non-GPL compatible program\n");
	}
	return 0;
}

/*
 * BPF_F_TEST_RND_HI32: w2's upper half is never read whole (randomised:
 * ax = rnd; ax <<= 32; r2 |= ax after it), w1's is (r0 >> 32 must be 0)
 * and so is w0's, at the exit.  Returns 5 either way.
 */
static const struct bpf_insn prog_rnd_hi32[] = {
	I(BPF_ALU | BPF_MOV | BPF_K, 1, 0, 0, -1),
	I(BPF_ALU | BPF_MOV | BPF_K, 2, 0, 0, 5),
	MOV64_REG(0, 1),
	ALU64_IMM(BPF_RSH, 0, 32),
	I(BPF_ALU | BPF_ADD | BPF_X, 0, 2, 0, 0),
	EXIT(),
};

#define JIT_ENABLE	"/sys/module/bpfdev/parameters/jit_enable"

/* The xlated program of fd (at most n instructions); its length or -errno. */
static long xlated(struct side *s, int fd, struct bpf_insn *insns, __u32 n)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	long ret;

	memset(&info, 0, sizeof(info));
	info.xlated_prog_insns = (uintptr_t)insns;
	info.xlated_prog_len = n * sizeof(*insns);
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info = (uintptr_t)&info;
	a.info.info_len = sizeof(info);
	ret = call(s, BPF_OBJ_GET_INFO_BY_FD, &a);
	return ret < 0 ? ret : (long)(info.xlated_prog_len / sizeof(*insns));
}

/*
 * Two loads with the flag: the xlated length, whether the two differ only
 * in the random immediate (and do differ there), and the result of each,
 * as len * 1000 + random * 100 + retval; bpfdev's JITed and interpreted.
 */
static long load_rnd_hi32_once(struct side *s, __u64 *out)
{
	struct bpf_insn x[2][32];
	struct run r;
	long len[2], ret;
	__u32 rv[2], i;
	int j, fd[2], same = 1, differ = 0;

	for (j = 0; j < 2; j++) {
		s->fd = -1;
		ret = load_flags(s, prog_rnd_hi32, NINSNS(prog_rnd_hi32), "GPL", NULL, 0,
				 BPF_F_TEST_RND_HI32);
		if (ret)
			return ret;
		fd[j] = s->fd;
		len[j] = xlated(s, fd[j], x[j], 32);
		if (len[j] < 0 || len[j] > 32)
			return len[j] < 0 ? len[j] : -E2BIG;
		memset(&r, 0, sizeof(r));
		r.data = mkframe(zero_mac, 0x0800, 64);
		r.size = 64;
		ret = test_run(s, fd[j], &r);
		if (ret)
			return ret;
		rv[j] = r.retval;
	}
	close(fd[0]);
	s->fd = fd[1];
	for (i = 0; len[0] == len[1] && i < len[0]; i++) {
		if (x[0][i].dst_reg == 11 && x[0][i].code == (BPF_ALU64 | BPF_MOV | BPF_K)) {
			differ |= x[0][i].imm != x[1][i].imm;
			x[1][i].imm = x[0][i].imm;
		}
		same &= !memcmp(&x[0][i], &x[1][i], sizeof(x[0][i]));
	}
	*out = len[0] * 1000 + (len[0] == len[1] && same && differ) * 100 + rv[0] +
	       (rv[0] != rv[1]) * 10;
	return 0;
}

static long load_rnd_hi32(struct side *s, __u64 *out)
{
	__u64 interp = 0;
	long ret;

	ret = load_rnd_hi32_once(s, out);
	if (ret || s->kernel)
		return ret;
	if (sys_write(JIT_ENABLE, "0"))
		return -EIO;
	close(s->fd);
	s->fd = -1;
	ret = load_rnd_hi32_once(s, &interp);
	sys_write(JIT_ENABLE, "1");
	if (!ret && interp != *out)
		*out += interp * 1000000;
	return ret;
}

/* ---- PROG_TEST_RUN -------------------------------------------------------- */

static long run_sizes(struct side *s, __u64 *out)
{
	static const __u32 sizes[] = { 3000, 3712, 3713, 4000, 4096, 65535 };
	struct run r;
	long ret;
	int i;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	/* Each size's errno, two digits each. */
	for (i = 0; i < 6; i++) {
		memset(&r, 0, sizeof(r));
		r.data = mkframe(zero_mac, 0x88b5, sizes[i]);
		r.size = sizes[i];
		ret = test_run(s, s->fd, &r);
		*out = *out * 100 + (ret < 0 ? -ret : 0);
	}
	return 0;
}

static long run_short_ip(struct side *s, __u64 *out)
{
	static const struct { __u16 proto; __u32 size; } f[] = {
		{ 0x0800, 14 + 19 }, { 0x0800, 14 + 20 },
		{ 0x86dd, 14 + 39 }, { 0x86dd, 14 + 40 },
	};
	struct run r;
	long ret;
	int i;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		memset(&r, 0, sizeof(r));
		r.data = mkframe(zero_mac, f[i].proto, f[i].size);
		r.size = f[i].size;
		ret = test_run(s, s->fd, &r);
		*out = *out * 100 + (ret < 0 ? -ret : 0);
	}
	return 0;
}

static long run_pkt_type(struct side *s, __u64 *out)
{
	static const unsigned char dst[][6] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 },
		{ 0, 0, 0, 0, 0, 0 },
		{ 0x02, 0, 0, 0, 0, 0x01 },
	};
	struct run r;
	long ret;
	int i;

	ret = load(s, prog_pkt_type, NINSNS(prog_pkt_type), "GPL", NULL, 0);
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		memset(&r, 0, sizeof(r));
		r.data = mkframe(dst[i], 0x0800, 64);
		r.size = 64;
		ret = test_run(s, s->fd, &r);
		if (ret)
			return ret;
		*out = *out * 10 + r.retval;
	}
	return 0;
}

static long run_protocol(struct side *s, __u64 *out)
{
	static const struct { __u16 proto; __u8 b0, b1; } f[] = {
		{ 0x0800, 0, 0 }, { 0x0040, 0xaa, 0xaa }, { 0x0040, 0xff, 0xff },
		{ 0x05ff, 0, 0 }, { 0x0600, 0, 0 },
	};
	struct run r;
	long ret;
	int i;

	ret = load(s, prog_protocol, NINSNS(prog_protocol), "GPL", NULL, 0);
	if (ret)
		return ret;
	for (i = 0; i < 5; i++) {
		memset(&r, 0, sizeof(r));
		r.data = mkframe(zero_mac, f[i].proto, 64);
		frame[14] = f[i].b0;
		frame[15] = f[i].b1;
		r.size = 64;
		ret = test_run(s, s->fd, &r);
		if (ret)
			return ret;
		*out = *out * 0x10000 + r.retval;
	}
	return 0;
}

static long run_gso_size(struct side *s, __u64 *out)
{
	struct __sk_buff in, ctx;
	struct run r;
	long ret;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	memset(&in, 0, sizeof(in));
	memset(&ctx, 0, sizeof(ctx));
	in.gso_size = 1400;
	memset(&r, 0, sizeof(r));
	r.data = mkframe(zero_mac, 0x0800, 64);
	r.size = 64;
	r.ctx_in = &in;
	r.ctx_size_in = sizeof(in);
	r.ctx_out = &ctx;
	r.ctx_size_out = sizeof(ctx);
	ret = test_run(s, s->fd, &r);
	*out = ctx.gso_size;
	return ret;
}

static long run_null_data_in(struct side *s, __u64 *out)
{
	struct run r;
	long ret;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.size = 64;
	return test_run(s, s->fd, &r);
}

static long run_ctx_size_out_alone(struct side *s, __u64 *out)
{
	struct run r;
	long ret;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.data = mkframe(zero_mac, 0x0800, 64);
	r.size = 64;
	r.ctx_size_out = sizeof(struct __sk_buff);
	*out = -test_run(s, s->fd, &r);
	/* Before the program fd, as the kernel's. */
	return test_run(s, 1000, &r);
}

static long run_data_out_fault_clamped(struct side *s, __u64 *out)
{
	struct run r;
	long ret;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.data = mkframe(zero_mac, 0x0800, 64);
	r.size = 64;
	r.data_out = bad;
	r.size_out = 16;
	*out = -test_run(s, s->fd, &r);
	r.size_out = 0;
	return test_run(s, s->fd, &r);
}

static long run_csum_flag(struct side *s, __u64 *out)
{
	struct run r;
	long ret;

	ret = load(s, prog_one, NINSNS(prog_one), "GPL", NULL, 0);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.data = mkframe(zero_mac, 0x0800, 64);
	r.size = 64;
	r.flags = BPF_F_TEST_SKB_CHECKSUM_COMPLETE;
	ret = test_run(s, s->fd, &r);
	*out = r.retval;
	return ret;
}

struct row {
	const char *name;
	long (*run)(struct side *s, __u64 *out);
};

static const struct row rows[] = {
	{ "PROG_LOAD: NULL insns", load_null_insns },
	{ "PROG_LOAD: the license before insn_cnt", load_license_before_cnt },
	{ "PROG_LOAD: insn_cnt limit 1,000,000", load_insn_cnt_limit },
	{ "PROG_LOAD: a faulting log buffer, program refused", load_log_fault_refused },
	{ "PROG_LOAD: a faulting log buffer, program accepted", load_log_fault_accepted },
	{ "PROG_LOAD: a gpl_only helper from a non-GPL program", load_gpl_only_helper },
	{ "PROG_LOAD: BPF_F_TEST_RND_HI32 (xlated, randomised, result)", load_rnd_hi32 },
	{ "TEST_RUN: frame sizes the kernel refuses", run_sizes },
	{ "TEST_RUN: IPv4/IPv6 frames shorter than their header", run_short_ip },
	{ "TEST_RUN: pkt_type as eth_type_trans() gives it", run_pkt_type },
	{ "TEST_RUN: protocol of 802.3 frames", run_protocol },
	{ "TEST_RUN: ctx_out.gso_size echoed", run_gso_size },
	{ "TEST_RUN: NULL data_in", run_null_data_in },
	{ "TEST_RUN: ctx_size_out without ctx_out", run_ctx_size_out_alone },
	{ "TEST_RUN: faulting data_out with a small size hint", run_data_out_fault_clamped },
	{ "TEST_RUN: BPF_F_TEST_SKB_CHECKSUM_COMPLETE", run_csum_flag },
};

int main(void)
{
	size_t i;
	int j;

	tap_plan(0);
	objs_init();
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad == MAP_FAILED)
		tap_bail("mmap: %s", strerror(errno));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct side s[2] = { { 1, -1 }, { 0, -1 } };
		__u64 out[2] = { 0, 0 };
		long r[2];

		for (j = 0; j < 2; j++) {
			r[j] = rows[i].run(&s[j], &out[j]);
			if (s[j].fd >= 0)
				close(s[j].fd);
		}
		ok(r[0] == r[1] && out[0] == out[1],
		   "%s: kernel %ld (%#llx), bpfdev %ld (%#llx)", rows[i].name,
		   r[0], (unsigned long long)out[0], r[1],
		   (unsigned long long)out[1]);
	}
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
