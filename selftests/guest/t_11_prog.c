// SPDX-License-Identifier: GPL-2.0
/*
 * Program commands through /dev/bpf: PROG_LOAD (and its errors and log),
 * PROG_TEST_RUN (data and __sk_buff context in and out), the helpers
 * (maps, tail calls, ring buffer, skb_load_bytes, trace_printk, time,
 * CPU id), OBJ_GET_INFO_BY_FD (the tag checked against the guest
 * kernel's own bpf()), the id commands and the permission checks.
 * Ends with no live object left.
 */

#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "objs.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

/* One run's retval, or 0xdeadbeef when the run itself failed. */
static __u32 run1(int fd)
{
	__u32 ret = 0;

	return prog_run(fd, 1, &ret, NULL) ? 0xdeadbeef : ret;
}

/* A u64 value, or ~0 when the lookup failed. */
static __u64 lookup_u64(int fd, const void *key)
{
	__u64 v = 0;

	return map_lookup(fd, key, &v) ? ~0ULL : v;
}

static long counter_prog(int map_fd)
{
	/* *(u64 *)lookup(map, 0) += 1; return 0 */
	struct bpf_insn p[] = {
		ST_MEM(BPF_W, BPF_REG_10, -4, 0),
		MOV64_REG(BPF_REG_2, BPF_REG_10),
		ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		LD_MAP_FD(BPF_REG_1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		MOV64_IMM(BPF_REG_1, 1),
		ATOMIC_ADD(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};

	return prog_load_log(BPF_PROG_TYPE_SOCKET_FILTER, p, NINSNS(p), "counter", NULL, 0);
}

static void test_load_errors(void)
{
	struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpf_insn bad_map[] = { LD_MAP_FD(1, 9999), MOV64_IMM(0, 0), EXIT() };
	struct bpf_insn no_exit[] = { MOV64_IMM(0, 0) };
	union bpf_attr a;
	char log[4096];
	long r;

	r = prog_load_log(1000, ret0, 2, NULL, NULL, 0);
	ok_eq(r, -EINVAL, "load: unknown type: EINVAL");
	if (r >= 0)
		close(r);
	ok_eq(prog_load(ret0, 0), -E2BIG, "load: 0 instructions: E2BIG");
	ok_eq(prog_load(bad_map, NINSNS(bad_map)), -EBADF, "load: LD_IMM64 of a closed map fd: EBADF");
	log[0] = 0;
	r = prog_load_log(BPF_PROG_TYPE_SOCKET_FILTER, no_exit, 1, NULL, log, sizeof(log));
	ok(r == -EINVAL || r == -EACCES, "load: a program that runs off its end is refused (%ld)", r);
	if (r >= 0)
		close(r);
	log[strcspn(log, "\n")] = 0;
	ok(log[0] != 0, "load: and the log says why: %.60s", log);

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)ret0;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	a.prog_ifindex = 1;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: prog_ifindex: EINVAL");
	a.prog_ifindex = 0;
	a.prog_flags = 1U << 20;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: unknown prog_flags: EINVAL");
	a.prog_flags = 0;
	a.log_buf = (uintptr_t)log;
	a.log_size = 64;
	a.log_level = 1;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: log_size under 128: EINVAL");
	a.log_size = sizeof(log);
	a.log_level = 8;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: unknown log_level bits: EINVAL");
	a.log_level = 0;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: log_buf without log_level: EINVAL");
	/*
	 * The log goes straight to the caller's buffer, as the kernel's: the
	 * largest log_size costs no kernel memory, and only what the log
	 * holds is written.
	 */
	memset(log, 0, sizeof(log));
	a.log_level = 1;
	a.log_size = 0xffffffffU >> 2;
	r = sys(BPF_PROG_LOAD, &a);
	ok(r >= 0 && strstr(log, "processed 2 insns"),
	   "load: log_size of 1 GiB with a small log: loads (%ld), log '%.40s'", r, log);
	if (r >= 0)
		close(r);
	/* 6.1's log: a full buffer keeps what fits, NUL-ended, and fails ENOSPC */
	memset(log, 'x', sizeof(log));
	a.log_level = 2;
	a.log_size = 128;
	r = sys(BPF_PROG_LOAD, &a);
	ok(r == -ENOSPC && log[127] == 0 && strlen(log) == 127 && log[128] == 'x',
	   "load: log_level 2 into 128 bytes: ENOSPC (%ld), 127 bytes and a NUL", r);
	if (r >= 0)
		close(r);
	a.log_size = sizeof(log);
	a.log_level = 0;
	a.log_buf = 0;
	a.log_size = 0;
	strcpy(a.prog_name, "a b");
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: bad prog_name: EINVAL");
	memset(a.prog_name, 0, sizeof(a.prog_name));
	((unsigned char *)&a)[offsetof(union bpf_attr, core_relo_rec_size) + 4] = 1;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EINVAL, "load: a byte after core_relo_rec_size: EINVAL");
	((unsigned char *)&a)[offsetof(union bpf_attr, core_relo_rec_size) + 4] = 0;
	a.insns = 8;
	ok_eq(sys(BPF_PROG_LOAD, &a), -EFAULT, "load: unreadable insns: EFAULT");
}

static void test_run_basics(void)
{
	struct bpf_insn ret42[] = { MOV64_IMM(0, 42), EXIT() };
	unsigned char out[128];
	union bpf_attr a;
	__u32 retval = 0;
	long fd = prog_load(ret42, 2), mfd;

	if (!ok(fd >= 0, "run: load 'return 42' (%ld)", fd))
		return;
	ok(prog_run(fd, 1, &retval, NULL) == 0 && retval == 42, "run: retval 42");
	ok(prog_run(fd, 10000, &retval, NULL) == 0 && retval == 42, "run: repeat 10000");

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)test_pkt;
	a.test.data_size_in = 10;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "run: 10 bytes of data (under ETH_HLEN): EINVAL");
	a.test.data_size_in = sizeof(test_pkt);
	a.test.flags = 1;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "run: flags: EINVAL");
	a.test.flags = 0;
	a.test.cpu = 1;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "run: cpu: EINVAL");
	a.test.cpu = 0;
	a.test.data_out = (uintptr_t)out;
	a.test.data_size_out = 16;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -ENOSPC, "run: data_out of 16 bytes: ENOSPC");
	ok_eq(a.test.data_size_out, sizeof(test_pkt), "run: data_size_out says the real size");
	a.test.data_size_out = sizeof(out);
	memset(out, 0, sizeof(out));
	{
		static const unsigned char zero[14];

		ok(sys(BPF_PROG_TEST_RUN, &a) == 0 && !memcmp(out, zero, 14) &&
		   !memcmp(out + 14, test_pkt + 14, sizeof(test_pkt) - 14),
		   "run: data_out is the packet, link-layer header zeroed as the kernel's");
	}
	a.test.prog_fd = 9999;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EBADF, "run: closed prog fd: EBADF");
	mfd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	a.test.prog_fd = mfd;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "run: a map fd as prog fd: EINVAL");
	close(mfd);
	close(fd);
}

static void test_ctx(void)
{
	/* cb[0] = mark + 1; return len */
	struct bpf_insn p[] = {
		LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, mark)),
		ALU64_IMM(BPF_ADD, 2, 1),
		STX_MEM(BPF_W, 1, 2, offsetof(struct __sk_buff, cb[0])),
		LDX_MEM(BPF_W, 0, 1, offsetof(struct __sk_buff, len)),
		EXIT(),
	};
	struct __sk_buff in, out;
	union bpf_attr a;
	long fd = prog_load(p, NINSNS(p));

	if (!ok(fd >= 0, "ctx: load (%ld)", fd))
		return;
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.mark = 5;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)test_pkt;
	a.test.data_size_in = sizeof(test_pkt);
	a.test.ctx_in = (uintptr_t)&in;
	a.test.ctx_size_in = sizeof(in);
	a.test.ctx_out = (uintptr_t)&out;
	a.test.ctx_size_out = sizeof(out);
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), 0, "ctx: run with a __sk_buff in and out");
	ok_eq(a.test.retval, sizeof(test_pkt), "ctx: the program saw len %zu", sizeof(test_pkt));
	ok(out.cb[0] == 6 && out.mark == 5, "ctx: cb[0] = mark + 1 came back (%u)", out.cb[0]);
	in.len = 7;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "ctx: setting len in ctx_in: EINVAL");
	in.len = 0;
	in.protocol = 8;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "ctx: setting protocol in ctx_in: EINVAL");
	in.protocol = 0;
	a.test.ctx_size_in = 0;
	ok_eq(sys(BPF_PROG_TEST_RUN, &a), -EINVAL, "ctx: ctx_in without ctx_size_in: EINVAL");
	close(fd);
}

static void test_map_helpers(void)
{
	long afd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	long hfd = map_create(BPF_MAP_TYPE_HASH, 8, 8, 4, 0);
	__u32 k = 0;
	__u64 v = 0, hk = 7;
	long fd;

	if (!ok(afd >= 0 && hfd >= 0, "helpers: maps created"))
		return;
	fd = counter_prog(afd);
	if (ok(fd >= 0, "helpers: load a map_lookup_elem counter (%ld)", fd)) {
		ok_eq(prog_run(fd, 1000, NULL, NULL), 0, "helpers: run it 1000 times");
		v = lookup_u64(afd, &k);
		ok(v == 1000, "helpers: the counter is 1000 (%llu)",
		   (unsigned long long)v);
		close(fd);
	}
	{
		/* update(hash, 7, 77); delete(hash, 8) -> r0 */
		struct bpf_insn p[] = {
			ST_MEM(BPF_DW, 10, -8, 7),
			ST_MEM(BPF_DW, 10, -16, 77),
			LD_MAP_FD(1, hfd),
			MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -8),
			MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16),
			MOV64_IMM(4, BPF_ANY),
			CALL(BPF_FUNC_map_update_elem),
			ST_MEM(BPF_DW, 10, -8, 8),
			LD_MAP_FD(1, hfd),
			MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -8),
			CALL(BPF_FUNC_map_delete_elem),
			EXIT(),
		};
		__u32 ret = 0;

		fd = prog_load(p, NINSNS(p));
		if (ok(fd >= 0, "helpers: load update+delete (%ld)", fd)) {
			ret = run1(fd);
			ok((int)ret == -ENOENT,
			   "helpers: map_delete_elem of a missing key returns -ENOENT (%d)", (int)ret);
			v = lookup_u64(hfd, &hk);
			ok(v == 77,
			   "helpers: map_update_elem stored 7 -> 77");
			close(fd);
		}
	}
	close(afd);
	close(hfd);
}

static void test_misc_helpers(void)
{
	/* r0 = (ktime_get_ns() != 0) | cpu << 1 | (boot_ns != 0) << 16 */
	struct bpf_insn p[] = {
		CALL(BPF_FUNC_ktime_get_ns),
		MOV64_IMM(6, 0),
		JMP_IMM(BPF_JEQ, 0, 0, 1),
		MOV64_IMM(6, 1),
		CALL(BPF_FUNC_get_smp_processor_id),
		ALU64_IMM(BPF_LSH, 0, 1),
		ALU64_REG(BPF_OR, 6, 0),
		CALL(BPF_FUNC_ktime_get_boot_ns),
		JMP_IMM(BPF_JEQ, 0, 0, 1),
		ALU64_IMM(BPF_OR, 6, 1 << 16),
		CALL(BPF_FUNC_get_prandom_u32),
		MOV64_REG(0, 6),
		EXIT(),
	};
	/* skb_load_bytes(ctx, 12, fp-8, 2): the ethertype as the stack holds it */
	struct bpf_insn q[] = {
		MOV64_IMM(2, 12),
		MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -8),
		MOV64_IMM(4, 2),
		CALL(BPF_FUNC_skb_load_bytes),
		JMP_IMM(BPF_JNE, 0, 0, 2),
		LDX_MEM(BPF_H, 0, 10, -8),
		EXIT(),
		MOV64_IMM(0, 1),
		EXIT(),
	};
	__u32 ret = 0;
	long fd = prog_load(p, NINSNS(p));

	if (ok(fd >= 0, "helpers: load time/cpu/random (%ld)", fd)) {
		ret = run1(fd);
		ok((ret & 1) && (ret & (1 << 16)) &&
		   ((ret >> 1) & 0x7fff) < (__u32)get_nprocs_conf(),
		   "helpers: ktime_get_ns, ktime_get_boot_ns non-zero, CPU id in range (%#x)", ret);
		close(fd);
	}
	fd = prog_load(q, NINSNS(q));
	if (ok(fd >= 0, "helpers: load skb_load_bytes (%ld)", fd)) {
		ret = run1(fd);
		ok(ret == 0x0008,
		   "helpers: skb_load_bytes read the ethertype 08 00 (%#x)", ret);
		close(fd);
	}
}

static void test_tail_calls(void)
{
	long cnt = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	long pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0);
	long self, entry, other;
	__u32 k = 0, ret = 0, id;
	__u64 v = 0;

	if (!ok(cnt >= 0 && pa >= 0, "tail: maps created"))
		return;
	{
		/* counter++; tail_call(ctx, pa, 0); return 1 */
		struct bpf_insn p[] = {
			MOV64_REG(6, 1),
			ST_MEM(BPF_W, 10, -4, 0),
			MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
			LD_MAP_FD(1, cnt),
			CALL(BPF_FUNC_map_lookup_elem),
			JMP_IMM(BPF_JEQ, 0, 0, 2),
			MOV64_IMM(1, 1),
			ATOMIC_ADD(BPF_DW, 0, 1, 0),
			MOV64_REG(1, 6),
			LD_MAP_FD(2, pa),
			MOV64_IMM(3, 0),
			CALL(BPF_FUNC_tail_call),
			MOV64_IMM(0, 1),
			EXIT(),
		};
		self = prog_load(p, NINSNS(p));
	}
	{
		/* tail_call(ctx, pa, 0); return 2 */
		struct bpf_insn p[] = {
			LD_MAP_FD(2, pa),
			MOV64_IMM(3, 0),
			CALL(BPF_FUNC_tail_call),
			MOV64_IMM(0, 2),
			EXIT(),
		};
		entry = prog_load(p, NINSNS(p));
	}
	if (!ok(self >= 0 && entry >= 0, "tail: programs loaded"))
		goto out;
	ret = run1(entry);
	ok(ret == 2, "tail: empty slot falls through (2)");
	k = 0;
	ok_eq(map_update(pa, &k, &self, 0), 0, "tail: store the self-calling program in slot 0");
	ok_eq(map_update(pa, &k, &self, BPF_NOEXIST), -EINVAL, "tail: BPF_NOEXIST on a prog array: EINVAL");
	ok(map_lookup(pa, &k, &id) == 0 && id > 0, "tail: lookup gives the program id");
	ret = run1(entry);
	ok(ret == 1, "tail: the chain ends in 'return 1'");
	v = lookup_u64(cnt, &k);
	ok(v == 33, "tail: 33 tail calls ran, no more (%llu)",
	   (unsigned long long)v);
	k = 5;
	ok_eq(map_update(pa, &k, &self, 0), -E2BIG, "tail: slot 5 of 2: E2BIG");
	{
		struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };

		other = prog_load_log(BPF_PROG_TYPE_SCHED_CLS, p, 2, NULL, NULL, 0);
		if (other >= 0) {
			k = 1;
			ok_eq(map_update(pa, &k, &other, 0), -EINVAL,
			      "tail: a program of another type: EINVAL");
			close(other);
		}
	}
	k = 0;
	ok_eq(map_delete(pa, &k), 0, "tail: delete slot 0");
out:
	if (self >= 0)
		close(self);
	if (entry >= 0)
		close(entry);
	close(cnt);
	close(pa);
}

static void test_ringbuf(void)
{
	long rb = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	unsigned long *cons, *prod;
	unsigned char *data;
	struct pollfd pf = { .events = POLLIN };
	__u32 ret = 0, *hdr;
	long fd;

	if (!ok(rb >= 0, "ringbuf: create 4 KiB"))
		return;
	pf.fd = rb;
	cons = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rb, 0);
	prod = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, rb, 4096);
	if (!ok(cons != MAP_FAILED && prod != MAP_FAILED, "ringbuf: mapped"))
		goto out;
	data = (unsigned char *)prod + 4096;
	{
		/* ringbuf_output(rb, fp-16, 16, 0); then reserve 100, write, submit; reserve 8, discard */
		struct bpf_insn p[] = {
			ST_MEM(BPF_DW, 10, -16, 0x11223344),
			ST_MEM(BPF_DW, 10, -8, 0x55667788),
			LD_MAP_FD(1, rb),
			MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -16),
			MOV64_IMM(3, 16),
			MOV64_IMM(4, 0),
			CALL(BPF_FUNC_ringbuf_output),
			MOV64_REG(6, 0),
			LD_MAP_FD(1, rb),
			MOV64_IMM(2, 100),
			MOV64_IMM(3, 0),
			CALL(BPF_FUNC_ringbuf_reserve),
			JMP_IMM(BPF_JEQ, 0, 0, 5),
			ST_MEM(BPF_W, 0, 0, 0xabcd),
			MOV64_REG(1, 0),
			MOV64_IMM(2, 0),
			CALL(BPF_FUNC_ringbuf_submit),
			JMP_A(1),
			MOV64_IMM(6, 99),
			LD_MAP_FD(1, rb),
			MOV64_IMM(2, BPF_RB_AVAIL_DATA),
			CALL(BPF_FUNC_ringbuf_query),
			ALU64_IMM(BPF_LSH, 0, 8),
			ALU64_REG(BPF_OR, 0, 6),
			EXIT(),
		};
		fd = prog_load(p, NINSNS(p));
	}
	if (!ok(fd >= 0, "ringbuf: load output/reserve/submit/query (%ld)", fd))
		goto out;
	ret = run1(fd);
	ok((ret & 0xff) == 0,
	   "ringbuf: ringbuf_output returned 0 (%#x)", ret);
	ok_eq(ret >> 8, 24 + 112, "ringbuf: ringbuf_query says 136 bytes available");
	ok_eq(*prod, 24 + 112, "ringbuf: producer position 136 (8 + 16, then 8 + 100 rounded)");
	ok_eq(poll(&pf, 1, 0), 1, "ringbuf: poll says readable");
	hdr = (__u32 *)data;
	ok(hdr[0] == 16 && *(__u64 *)(data + 8) == 0x11223344 &&
	   *(__u64 *)(data + 16) == 0x55667788, "ringbuf: first record: 16 bytes as written");
	hdr = (__u32 *)(data + 24);
	ok(hdr[0] == 100 && *(__u32 *)(data + 32) == 0xabcd, "ringbuf: second record: 100 bytes, submitted");
	__atomic_store_n(cons, *prod, __ATOMIC_RELEASE);
	ok_eq(poll(&pf, 1, 0), 0, "ringbuf: consumed: poll says empty");
	/* 4096 / 136 runs fill the ring, then output fails with -EAGAIN. */
	{
		int i, full = 0;

		for (i = 0; i < 40 && !full; i++)
			full = prog_run(fd, 1, &ret, NULL) == 0 && (ret & 0xff) != 0;
		ok(full, "ringbuf: a full ring refuses output (%#x)", ret);
		ok(*prod - *cons <= 4096, "ringbuf: never more than the ring in flight");
	}
	close(fd);
out:
	if (cons != MAP_FAILED)
		munmap(cons, 4096);
	if (prod != MAP_FAILED)
		munmap(prod, 3 * 4096);
	close(rb);
}

static void test_trace_printk(void)
{
	/* trace_printk("val %d\n", 8, 5) */
	struct bpf_insn p[] = {
		ST_MEM(BPF_W, 10, -8, 0x206c6176),	/* "val " */
		ST_MEM(BPF_W, 10, -4, 0x000a6425),	/* "%d\n\0" */
		MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -8),
		MOV64_IMM(2, 8),
		MOV64_IMM(3, 5),
		CALL(BPF_FUNC_trace_printk),
		EXIT(),
	};
	char buf[256];
	__u32 ret = 0;
	int tp = open("/sys/kernel/debug/bpfdev/trace_pipe", O_RDONLY | O_NONBLOCK);
	long fd, n;

	if (!ok(tp >= 0, "trace: trace_pipe opens"))
		return;
	while (read(tp, buf, sizeof(buf)) > 0)
		;
	fd = prog_load(p, NINSNS(p));
	if (ok(fd >= 0, "trace: load trace_printk (%ld)", fd)) {
		ret = run1(fd);
		ok(ret == 6, "trace: returned 6 bytes (%u)", ret);
		n = read(tp, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		ok(!strcmp(buf, "val 5\n"), "trace: trace_pipe reads 'val 5\\n' (%zu bytes)",
		   strlen(buf));
		close(fd);
	}
	{
		/* trace_printk("%s!\n", 5, "hi"), then with an unreadable pointer */
		struct bpf_insn q[] = {
			ST_MEM(BPF_W, 10, -8, 0x0a217325),	/* "%s!\n" */
			ST_MEM(BPF_W, 10, -4, 0),
			ST_MEM(BPF_W, 10, -16, 0x6968),		/* "hi" */
			ST_MEM(BPF_W, 10, -12, 0),
			MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -8),
			MOV64_IMM(2, 5),
			MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16),
			CALL(BPF_FUNC_trace_printk),
			MOV64_REG(6, 0),
			MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -8),
			MOV64_IMM(2, 5),
			MOV64_IMM(3, 8),
			CALL(BPF_FUNC_trace_printk),
			ALU64_IMM(BPF_LSH, 6, 8),
			ALU64_REG(BPF_OR, 0, 6),
			EXIT(),
		};

		fd = prog_load(q, NINSNS(q));
		if (ok(fd >= 0, "trace: load %%s (%ld)", fd)) {
			ret = run1(fd);
			ok(ret == (4 << 8 | 2), "trace: %%s returned 4 then 2 bytes (%#x)", ret);
			n = read(tp, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = 0;
			ok(!strcmp(buf, "hi!\n!\n"),
			   "trace: %%s of a string, then of an unreadable address as empty");
			close(fd);
		}
	}
	close(tp);
}

static long kernel_bpf(int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

static void test_info(void)
{
	long afd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	long fd = counter_prog(afd), kmap, kfd;
	struct bpf_prog_info info, kinfo;
	struct bpf_map_info minfo;
	struct bpf_insn xl[64];
	__u32 len = sizeof(info), ids[4] = { 0 }, mlen = sizeof(minfo), id = 0;
	union bpf_attr a;
	int found = 0;

	if (!ok(fd >= 0, "info: counter loaded"))
		goto out;
	memset(&info, 0, sizeof(info));
	info.map_ids = (uintptr_t)ids;
	info.nr_map_ids = 4;
	info.xlated_prog_insns = (uintptr_t)xl;
	info.xlated_prog_len = sizeof(xl);
	ok_eq(obj_info(fd, &info, &len), 0, "info: OBJ_GET_INFO_BY_FD on a program");
	memset(&minfo, 0, sizeof(minfo));
	obj_info(afd, &minfo, &mlen);
	ok(info.type == BPF_PROG_TYPE_SOCKET_FILTER && !strcmp(info.name, "counter") &&
	   info.id > 0 && info.load_time > 0 && info.created_by_uid == 0 && info.gpl_compatible,
	   "info: type, name, id, load_time, uid, gpl");
	ok(info.nr_map_ids == 1 && ids[0] == minfo.id, "info: map_ids holds the array's id");
	ok(info.xlated_prog_len >= 8 * 10 && info.verified_insns > 0,
	   "info: xlated length %u, verified_insns %u", info.xlated_prog_len, info.verified_insns);

	/* The guest kernel's own bpf() computes the tag of the same program. */
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 1;
	kmap = kernel_bpf(BPF_MAP_CREATE, &a);
	{
		struct bpf_insn p[] = {
			ST_MEM(BPF_W, BPF_REG_10, -4, 0),
			MOV64_REG(BPF_REG_2, BPF_REG_10),
			ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
			LD_MAP_FD(BPF_REG_1, kmap),
			CALL(BPF_FUNC_map_lookup_elem),
			JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
			MOV64_IMM(BPF_REG_1, 1),
			ATOMIC_ADD(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
			MOV64_IMM(BPF_REG_0, 0),
			EXIT(),
		};

		memset(&a, 0, sizeof(a));
		a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a.insns = (uintptr_t)p;
		a.insn_cnt = NINSNS(p);
		a.license = (uintptr_t)"GPL";
		kfd = kernel_bpf(BPF_PROG_LOAD, &a);
	}
	if (ok(kmap >= 0 && kfd >= 0, "info: the guest kernel loads the same program (%ld)", kfd)) {
		memset(&kinfo, 0, sizeof(kinfo));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = kfd;
		a.info.info_len = sizeof(kinfo);
		a.info.info = (uintptr_t)&kinfo;
		kernel_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
		ok(!memcmp(kinfo.tag, info.tag, 8),
		   "info: tag %02x%02x%02x%02x%02x%02x%02x%02x is the kernel's",
		   info.tag[0], info.tag[1], info.tag[2], info.tag[3], info.tag[4],
		   info.tag[5], info.tag[6], info.tag[7]);
		close(kfd);
	}
	if (kmap >= 0)
		close(kmap);

	memset(&a, 0, sizeof(a));
	while (1) {
		a.start_id = id;
		if (sys(BPF_PROG_GET_NEXT_ID, &a))
			break;
		id = a.next_id;
		found |= id == info.id;
	}
	ok(found, "ids: PROG_GET_NEXT_ID finds the program");
	memset(&a, 0, sizeof(a));
	a.prog_id = info.id;
	kfd = sys(BPF_PROG_GET_FD_BY_ID, &a);
	if (ok(kfd >= 0, "ids: PROG_GET_FD_BY_ID")) {
		ok_eq(prog_run(kfd, 1, NULL, NULL), 0, "ids: the new fd runs");
		close(kfd);
	}
	a.prog_id = 0x7ffffff0;
	ok_eq(sys(BPF_PROG_GET_FD_BY_ID, &a), -ENOENT, "ids: unknown program id: ENOENT");
	close(fd);
out:
	close(afd);
}

static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	d[CAP_BPF / 32].effective &= ~(1U << (CAP_BPF % 32));
	return syscall(SYS_capset, &h, d);
}

static void test_permissions(void)
{
	struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	long mfd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		__u32 k = 0, v;
		int bad = 0;

		if (drop_caps())
			_exit(10);
		bad |= (map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0) != -EPERM) << 0;
		bad |= (prog_load(ret0, 2) != -EPERM) << 1;
		bad |= (map_lookup(mfd, &k, &v) != -EPERM) << 2;
		bad |= (obj_get("nothing", 0) != -EPERM) << 3;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "permissions: without CAP_BPF and CAP_SYS_ADMIN every command is EPERM (%#x)", status);
	close(mfd);
}

static long attach(int target, int prog, int detach)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = target;
	a.attach_bpf_fd = prog;
	return sys(detach ? BPF_PROG_DETACH : BPF_PROG_ATTACH, &a);
}

static void test_attach(void)
{
	struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	long p = prog_load(ret0, 2), m = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	int cap = bpfdev_open(), status = -1;
	pid_t pid;

	if (!ok(p >= 0 && m >= 0 && cap >= 0, "attach: program, map, capture fd"))
		return;
	ok_eq(attach(cap, p, 0), 0, "attach: PROG_ATTACH to a capture fd");
	ok_eq(attach(cap, p, 1), 0, "attach: PROG_DETACH");
	ok_eq(attach(cap, p, 1), -ENOENT, "attach: PROG_DETACH again: ENOENT");
	ok_eq(attach(m, p, 0), -EINVAL, "attach: a map fd as target: EINVAL");
	ok_eq(attach(9999, p, 0), -EBADF, "attach: closed target fd: EBADF");
	ok_eq(attach(cap, m, 0), -EINVAL, "attach: a map fd as program: EINVAL");
	pid = fork();
	if (pid == 0) {
		/* The caller's /dev/bpf opened in another network namespace. */
		if (unshare(CLONE_NEWNET))
			_exit(10);
		close(devfd);
		devfd = bpfdev_open();
		_exit(attach(cap, p, 0) == -EPERM ? 0 : 11);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "attach: from another network namespace: EPERM (%#x)", status);
	close(cap);
	close(m);
	close(p);
}

int main(void)
{
	objs_init();
	if (!have_verifier()) {
		printf("1..0 # SKIP PROG_LOAD refuses every program: no verifier in this build\n");
		return 0;
	}
	tap_plan(0);
	test_load_errors();
	test_run_basics();
	test_ctx();
	test_map_helpers();
	test_misc_helpers();
	test_tail_calls();
	test_ringbuf();
	test_trace_printk();
	test_info();
	test_permissions();
	test_attach();

	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
