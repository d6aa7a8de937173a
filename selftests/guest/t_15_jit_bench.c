// SPDX-License-Identifier: GPL-2.0
/*
 * The module's JIT against the module's interpreter and the guest
 * kernel's own JIT and interpreter, all through BPF_PROG_TEST_RUN with the
 * same repeat count on the same packet, so the per-run overhead is alike.
 * Classic filters (tcpdump -dd, converted by kmod/core/cbpf as the module
 * does) and the eBPF parsers of selftests/common/bench_jit_progs.h.  The table
 * goes to the TAP diagnostics; the cases check that all four engines
 * return the same value (times under TCG are for comparison in one run).
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "objs.h"
#include "sys.h"
#include "cbpf.h"
#include "../common/bench_jit_progs.h"

#define REPEAT		20000
#define JIT_SYSCTL	"/proc/sys/net/core/bpf_jit_enable"
#define JIT_PARAM	"/sys/module/bpfdev/parameters/jit_enable"

/* Ethernet, IPv4 192.168.1.2 -> 10.0.0.1, TCP 54321 -> 80 [P.], "GET / HTTP/1.1\r\n" */
static unsigned char pkt[70] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x38, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0xc0, 0xa8, 0x01, 0x02, 0x0a, 0x00, 0x00, 0x01,
	0xd4, 0x31, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x50, 0x18, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n',
};

static const struct sock_filter f_ip[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 1, 0x00000800 },
	{ 0x6, 0, 0, 0x00040000 }, { 0x6, 0, 0, 0x00000000 },
};

static const struct sock_filter f_port80[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 6, 0x000086dd }, { 0x30, 0, 0, 0x00000014 },
	{ 0x15, 0, 15, 0x00000006 }, { 0x28, 0, 0, 0x00000036 }, { 0x15, 12, 0, 0x00000050 },
	{ 0x28, 0, 0, 0x00000038 }, { 0x15, 10, 11, 0x00000050 }, { 0x15, 0, 10, 0x00000800 },
	{ 0x30, 0, 0, 0x00000017 }, { 0x15, 0, 8, 0x00000006 }, { 0x28, 0, 0, 0x00000014 },
	{ 0x45, 6, 0, 0x00001fff }, { 0xb1, 0, 0, 0x0000000e }, { 0x48, 0, 0, 0x0000000e },
	{ 0x15, 2, 0, 0x00000050 }, { 0x48, 0, 0, 0x00000010 }, { 0x15, 0, 1, 0x00000050 },
	{ 0x6, 0, 0, 0x00040000 }, { 0x6, 0, 0, 0x00000000 },
};

static const struct sock_filter f_hostnet[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 10, 0x00000800 }, { 0x20, 0, 0, 0x0000001a },
	{ 0x15, 20, 0, 0xc0a80101 }, { 0x20, 0, 0, 0x0000001e }, { 0x15, 18, 0, 0xc0a80101 },
	{ 0x20, 0, 0, 0x0000001a }, { 0x54, 0, 0, 0xff000000 }, { 0x15, 15, 0, 0x0a000000 },
	{ 0x20, 0, 0, 0x0000001e }, { 0x54, 0, 0, 0xff000000 }, { 0x15, 12, 13, 0x0a000000 },
	{ 0x15, 1, 0, 0x00000806 }, { 0x15, 0, 11, 0x00008035 }, { 0x20, 0, 0, 0x0000001c },
	{ 0x15, 8, 0, 0xc0a80101 }, { 0x20, 0, 0, 0x00000026 }, { 0x15, 6, 0, 0xc0a80101 },
	{ 0x20, 0, 0, 0x0000001c }, { 0x54, 0, 0, 0xff000000 }, { 0x15, 3, 0, 0x0a000000 },
	{ 0x20, 0, 0, 0x00000026 }, { 0x54, 0, 0, 0xff000000 }, { 0x15, 0, 1, 0x0a000000 },
	{ 0x6, 0, 0, 0x00040000 }, { 0x6, 0, 0, 0x00000000 },
};

static const struct sock_filter f_syn[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 9, 0x00000800 }, { 0x30, 0, 0, 0x00000017 },
	{ 0x15, 0, 7, 0x00000006 }, { 0x28, 0, 0, 0x00000014 }, { 0x45, 5, 0, 0x00001fff },
	{ 0xb1, 0, 0, 0x0000000e }, { 0x50, 0, 0, 0x0000001b }, { 0x54, 0, 0, 0x00000012 },
	{ 0x15, 0, 1, 0x00000002 }, { 0x6, 0, 0, 0x00040000 }, { 0x6, 0, 0, 0x00000000 },
};

static const struct sock_filter f_ports[] = {
	{ 0x28, 0, 0, 0x0000000c }, { 0x15, 0, 15, 0x000086dd }, { 0x30, 0, 0, 0x00000014 },
	{ 0x15, 0, 8, 0x00000006 }, { 0x28, 0, 0, 0x00000036 }, { 0x15, 37, 0, 0x00000016 },
	{ 0x15, 36, 0, 0x00000017 }, { 0x15, 35, 0, 0x00000019 }, { 0x15, 34, 0, 0x00000050 },
	{ 0x15, 33, 0, 0x000001bb }, { 0x28, 0, 0, 0x00000038 }, { 0x15, 31, 19, 0x00000016 },
	{ 0x15, 0, 31, 0x00000011 }, { 0x28, 0, 0, 0x00000036 }, { 0x15, 28, 0, 0x00000035 },
	{ 0x28, 0, 0, 0x00000038 }, { 0x15, 26, 27, 0x00000035 }, { 0x15, 0, 26, 0x00000800 },
	{ 0x30, 0, 0, 0x00000017 }, { 0x15, 0, 15, 0x00000006 }, { 0x28, 0, 0, 0x00000014 },
	{ 0x45, 22, 0, 0x00001fff }, { 0xb1, 0, 0, 0x0000000e }, { 0x48, 0, 0, 0x0000000e },
	{ 0x15, 18, 0, 0x00000016 }, { 0x15, 17, 0, 0x00000017 }, { 0x15, 16, 0, 0x00000019 },
	{ 0x15, 15, 0, 0x00000050 }, { 0x15, 14, 0, 0x000001bb }, { 0x48, 0, 0, 0x00000010 },
	{ 0x15, 12, 0, 0x00000016 }, { 0x15, 11, 0, 0x00000017 }, { 0x15, 10, 0, 0x00000019 },
	{ 0x15, 9, 0, 0x00000050 }, { 0x15, 8, 9, 0x000001bb }, { 0x15, 0, 8, 0x00000011 },
	{ 0x28, 0, 0, 0x00000014 }, { 0x45, 6, 0, 0x00001fff }, { 0xb1, 0, 0, 0x0000000e },
	{ 0x48, 0, 0, 0x0000000e }, { 0x15, 2, 0, 0x00000035 }, { 0x48, 0, 0, 0x00000010 },
	{ 0x15, 0, 1, 0x00000035 }, { 0x6, 0, 0, 0x00040000 }, { 0x6, 0, 0, 0x00000000 },
};

/* The real bpf(2) of the guest kernel. */
static long kbpf(int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/* Load insns through dev (/dev/bpf) or the kernel; -errno on failure. */
static long load(bool kernel, const struct bpf_insn *insns, __u32 n)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = kernel ? BPF_PROG_TYPE_SCHED_CLS : BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = n;
	a.license = (uintptr_t)"GPL";
	return kernel ? kbpf(BPF_PROG_LOAD, &a) : sys(BPF_PROG_LOAD, &a);
}

/* ns per run (PROG_TEST_RUN's own average), or -1; *ret the result. */
static long run(bool kernel, int fd, __u32 *ret)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)pkt;
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = REPEAT;
	r = kernel ? kbpf(BPF_PROG_TEST_RUN, &a) : sys(BPF_PROG_TEST_RUN, &a);
	*ret = a.test.retval;
	return r ? -1 : (long)a.test.duration;
}

/* One engine: load with the JIT switch set, run, close. */
static long engine(bool kernel, bool jit, const struct bpf_insn *insns, __u32 n,
		   __u32 *ret)
{
	long fd, ns;

	if (sys_write(kernel ? JIT_SYSCTL : JIT_PARAM, jit ? "1" : "0"))
		return -1;
	fd = load(kernel, insns, n);
	if (fd < 0)
		return -1;
	ns = run(kernel, fd, ret);
	close(fd);
	return ns;
}

static void row(const char *name, const struct bpf_insn *insns, __u32 n)
{
	static const char *const names[4] = {
		"bpfdev JIT", "bpfdev interp", "kernel JIT", "kernel interp",
	};
	long ns[4];
	__u32 ret[4] = { 0 };
	int i, same = 1;

	for (i = 0; i < 4; i++)
		ns[i] = engine(i >= 2, !(i & 1), insns, n, &ret[i]);
	for (i = 1; i < 4; i++)
		if (ns[i] >= 0 && ns[0] >= 0 && ret[i] != ret[0])
			same = 0;
	tap_diag("%-34.34s %5ld %6ld %6ld %6ld  %5.1fx %5.1fx", name, ns[0], ns[1],
		 ns[2], ns[3], ns[0] > 0 ? (double)ns[1] / ns[0] : 0,
		 ns[0] > 0 ? (double)ns[2] / ns[0] : 0);
	ok(ns[0] >= 0 && ns[1] >= 0 && same,
	   "%s: every engine returns %u (%s %u, %s %u, %s %u)", name, ret[0],
	   names[1], ret[1], names[2], ret[2], names[3], ret[3]);
}

/* Classic: convert as the module does, then "w = 0" for the kernel's verifier. */
static void classic(const char *name, const struct sock_filter *f, __u32 len)
{
	static struct bpf_insn out[512];
	__u32 depth, i;
	int n;

	n = bpfdev_cbpf_convert(f, len, out, 512, &depth);
	if (!ok(n > 0, "%s: converted (%d)", name, n))
		return;
	for (i = 0; i < (__u32)n; i++)
		if (out[i].code == (BPF_ALU | BPF_XOR | BPF_X) &&
		    out[i].dst_reg == out[i].src_reg)
			out[i] = INSN_MOV32_IMM(out[i].dst_reg, 0);
	row(name, out, n);
}

int main(void)
{
	struct bpf_insn direct[] = {
		PARSER(INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1,
				    offsetof(struct __sk_buff, data)),
		       INSN_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1,
				    offsetof(struct __sk_buff, data_end))),
	};
	struct bpf_insn legacy[] = { PARSER_LD_ABS };
	char sysctl[16], param[16];

	objs_init();
	sys_read(JIT_SYSCTL, sysctl, sizeof(sysctl));
	sys_read(JIT_PARAM, param, sizeof(param));
	if (!sysctl[0] || !param[0]) {
		printf("1..0 # SKIP no %s or %s\n", JIT_SYSCTL, JIT_PARAM);
		return 0;
	}
	tap_plan(0);
	tap_diag("ns per run, PROG_TEST_RUN repeat %d, %zu-byte TCP packet:", REPEAT, sizeof(pkt));
	tap_diag("%-34s %5s %6s %6s %6s  %6s %6s", "program", "jit", "interp",
		 "kjit", "kinterp", "int/jit", "kjit/jit");
	classic("ip", f_ip, ARRAY_SIZE(f_ip));
	classic("tcp port 80", f_port80, ARRAY_SIZE(f_port80));
	classic("host 192.168.1.1 or net 10.0.0.0/8", f_hostnet, ARRAY_SIZE(f_hostnet));
	classic("tcp syn", f_syn, ARRAY_SIZE(f_syn));
	classic("6 ports (tcp 22/23/25/80/443, udp 53)", f_ports, ARRAY_SIZE(f_ports));
	row("eBPF flow hash, direct access", direct, ARRAY_SIZE(direct));
	row("eBPF flow hash, LD_ABS/LD_IND", legacy, ARRAY_SIZE(legacy));
	sys_write(JIT_SYSCTL, sysctl);
	sys_write(JIT_PARAM, param);
	return tap_done();
}
