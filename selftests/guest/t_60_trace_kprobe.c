// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes (BPFDEV_IOC_KPROBE_ATTACH) with exact counts:
 * opens of one named file counted by a kprobe on do_sys_openat2 that
 * reads the filename with probe_read_user_str; the fds a kretprobe sees
 * returned; a stack id whose addresses name do_sys_openat2 and its
 * callers in /proc/kallsyms; a kprobe hit from its own program's helper
 * (ktime_get_mono_fast_ns behind bpf_ktime_get_ns) skipped, not hung; what
 * is refused (bpfdev's own functions, unknown symbols, bad flags, loads
 * and attaches without CAP_PERFMON); run statistics in prog info and
 * fdinfo; attach/detach storms; rmmod refused while a link lives.
 */

#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "trace_progs.h"

#define NAME		"/tmp/t60_opened"	/* 15 bytes and the NUL */
#define OPENS		50
#define STORM		40

static int count_map;		/* array of 4 u64 counters */

/* kprobe on do_sys_openat2: count opens of NAME (counter 0) */
static long load_open_counter(void)
{
	struct tprog p = { .n = 0 };
	__u64 w[2];

	memcpy(w, NAME, sizeof(w));
	tp_emit(&p, MOV64_REG(6, 1));
	tp_emit(&p, LDX_MEM(BPF_DW, 3, 6, REGS_SI));
	tp_emit(&p, MOV64_REG(1, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 1, -32));
	tp_emit(&p, MOV64_IMM(2, 32));
	tp_emit(&p, CALL(BPF_FUNC_probe_read_user_str));
	tp_jout_imm(&p, BPF_JNE, 0, sizeof(NAME));
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 10, -32));
	tp_ld_imm64(&p, 2, w[0]);
	tp_jout_reg(&p, BPF_JNE, 1, 2);
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 10, -24));
	tp_ld_imm64(&p, 2, w[1]);
	tp_jout_reg(&p, BPF_JNE, 1, 2);
	tp_count(&p, count_map, 0);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_opens");
}

/* kretprobe: returns[ax] += 1 for our process (a hash map u64 -> u64) */
static long load_return_recorder(int ret_map)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(6, 1));
	tp_only_tgid(&p);
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 6, REGS_AX));
	tp_emit(&p, STX_MEM(BPF_DW, 10, 1, -8));
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -8));
	tp_ld_map(&p, 1, ret_map);
	tp_emit(&p, CALL(BPF_FUNC_map_lookup_elem));
	tp_emit(&p, JMP_IMM(BPF_JEQ, 0, 0, 3));
	tp_emit(&p, MOV64_IMM(1, 1));
	tp_emit(&p, ATOMIC_ADD(BPF_DW, 0, 1, 0));
	tp_jout_imm(&p, BPF_JA, 0, 0);
	tp_emit(&p, ST_MEM(BPF_DW, 10, -16, 1));
	tp_ld_map(&p, 1, ret_map);
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -8));
	tp_emit(&p, MOV64_REG(3, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 3, -16));
	tp_emit(&p, MOV64_IMM(4, 0));
	tp_emit(&p, CALL(BPF_FUNC_map_update_elem));
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_returns");
}

/* kprobe: counter 1 = the stack id of our process's last hit */
static long load_stackid(int stack_map)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(6, 1));
	tp_only_tgid(&p);
	tp_emit(&p, MOV64_REG(1, 6));
	tp_ld_map(&p, 2, stack_map);
	tp_emit(&p, MOV64_IMM(3, 0));
	tp_emit(&p, CALL(BPF_FUNC_get_stackid));
	tp_emit(&p, MOV64_REG(7, 0));
	tp_emit(&p, ST_MEM(BPF_W, 10, -4, 1));
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -4));
	tp_ld_map(&p, 1, count_map);
	tp_emit(&p, CALL(BPF_FUNC_map_lookup_elem));
	tp_jout_imm(&p, BPF_JEQ, 0, 0);
	tp_emit(&p, STX_MEM(BPF_DW, 0, 7, 0));
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_stackid");
}

/* kprobe on ktime_get_mono_fast_ns whose program calls it again: counter 2 */
static long load_recursive(void)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, CALL(BPF_FUNC_ktime_get_ns));
	tp_count(&p, count_map, 2);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_recursive");
}

static __u64 counter(__u32 idx)
{
	__u64 v = 0;

	map_lookup(count_map, &idx, &v);
	return v;
}

static void open_name(int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = open(NAME, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}

static void test_opens(void)
{
	struct bpf_prog_info info;
	long prog, link;
	long long fd_cnt;
	int fd, err;

	fd = open(NAME, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	prog = load_open_counter();
	if (!ok(prog >= 0, "kprobe program loads"))
		return;
	link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	if (!ok(link >= 0, "kprobe on do_sys_openat2 attaches (%ld)", link)) {
		close(prog);
		return;
	}
	open_name(OPENS);
	/* other names, and the name as a prefix, do not count */
	fd = open("/tmp/t60_opened_not", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	open_name(0);
	ok_eq(counter(0), OPENS, "opens of " NAME " counted exactly");
	ok(fdinfo_has(link, "link_type:\tkprobe") && fdinfo_has(link, "func:\tdo_sys_openat2+0"),
	   "link fdinfo names the kprobe");
	/* the arguments are read before or after the condition: fetch first */
	err = prog_stats(prog, &info);
	ok(!err && info.run_cnt >= OPENS && info.run_time_ns > 0 &&
	   info.recursion_misses == 0,
	   "prog info: run_cnt %llu >= %d, run_time_ns %llu, recursion_misses %llu",
	   (unsigned long long)info.run_cnt, OPENS,
	   (unsigned long long)info.run_time_ns,
	   (unsigned long long)info.recursion_misses);
	fd_cnt = fdinfo_get(prog, "run_cnt");
	ok(fd_cnt >= (long long)info.run_cnt && fdinfo_get(prog, "run_time_ns") > 0,
	   "prog fdinfo: run_cnt %lld", fd_cnt);
	close(link);
	open_name(10);
	ok_eq(counter(0), OPENS, "closing the link detaches");
	close(prog);
}

static void test_returns(void)
{
	int ret_map, fds[10], i, good = 0;
	long prog, link;
	__u64 key, next, v, keys = 0;

	ret_map = map_create(BPF_MAP_TYPE_HASH, 8, 8, 64, 0);
	prog = load_return_recorder(ret_map);
	if (!ok(ret_map >= 0 && prog >= 0, "kretprobe program loads")) {
		close(ret_map);
		return;
	}
	link = kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 0);
	if (!ok(link >= 0, "kretprobe on do_sys_openat2 attaches (%ld)", link))
		goto out;
	for (i = 0; i < 10; i++)
		fds[i] = open(NAME, O_RDONLY | O_CLOEXEC);
	close(link);
	for (i = 0; i < 10; i++) {
		key = fds[i];
		v = 0;
		good += fds[i] >= 0 && !map_lookup(ret_map, &key, &v) && v == 1;
		close(fds[i]);
	}
	for (key = ~0ULL; !map_next_key(ret_map, keys ? &key : NULL, &next); key = next)
		keys++;
	ok_eq(good, 10, "each fd returned seen once by the kretprobe");
	ok_eq(keys, 10, "and nothing else returned");
	ok(kprobe_attach(prog, "do_sys_openat2", 4, BPFDEV_PROBE_F_RETURN, 0) == -EINVAL,
	   "a kretprobe off the function's entry: EINVAL");
	link = kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 64);
	ok(link >= 0, "kretprobe with maxactive 64");
	if (link >= 0)
		close(link);
out:
	close(prog);
	close(ret_map);
}

static void test_stackid(void)
{
	int stack_map = map_create(BPF_MAP_TYPE_STACK_TRACE, 4, 32 * 8, 64, 0);
	__u64 ips[32] = { 0 };
	long prog, link;
	__u32 id;
	int i, syscall_seen = 0;
	const char *caller;

	prog = stack_map >= 0 ? load_stackid(stack_map) : -1;
	if (!ok(prog >= 0, "get_stackid program loads"))
		goto out_map;
	link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	if (!ok(link >= 0, "kprobe attaches"))
		goto out;
	open_name(1);
	close(link);
	id = counter(1);
	if (!ok((__s64)counter(1) >= 0 && !map_lookup(stack_map, &id, ips),
		"stack id %lld is in the stack map", (long long)counter(1)))
		goto out;
	if (ksyms_load()) {
		tap_skip("no /proc/kallsyms", "stack resolves");
		goto out;
	}
	ok(!strcmp(ksym_name(ips[0]), "do_sys_openat2"),
	   "first address in do_sys_openat2 (%s)", ksym_name(ips[0]));
	caller = ksym_name(ips[1]);
	ok(strstr(caller, "openat") || strstr(caller, "do_sys_open"),
	   "then its caller (%s)", caller);
	for (i = 1; i < 32 && ips[i]; i++)
		syscall_seen |= !strcmp(ksym_name(ips[i]), "do_syscall_64");
	ok(syscall_seen, "and do_syscall_64 below");
	if (!syscall_seen)
		for (i = 0; i < 32 && ips[i]; i++)
			tap_diag("  %d: %#llx %s", i, (unsigned long long)ips[i],
				 ksym_name(ips[i]));
	id = 0x7fffffff;
	ok(map_lookup(stack_map, &id, ips) == -ENOENT, "an unused id: ENOENT");
	id = counter(1);
	ok(!map_delete(stack_map, &id) && map_lookup(stack_map, &id, ips) == -ENOENT,
	   "a stack id deleted");
	ok(map_update(stack_map, &id, ips, 0) == -EINVAL, "stack map update: EINVAL");
out:
	close(prog);
out_map:
	close(stack_map);
}

/* A socket filter calling bpf_ktime_get_ns, run n times. */
static void run_ktime(int n)
{
	struct bpf_insn p[] = { CALL(BPF_FUNC_ktime_get_ns), MOV64_IMM(0, 0), EXIT() };
	long fd = prog_load(p, NINSNS(p));

	if (fd >= 0) {
		prog_run(fd, n, NULL, NULL);
		close(fd);
	}
}

static void test_recursion(void)
{
	struct bpf_prog_info info;
	long prog = load_recursive(), link;
	__u64 before, after;
	int err;

	if (!ok(prog >= 0, "recursive program loads"))
		return;
	link = kprobe_attach(prog, "ktime_get_mono_fast_ns", 0, 0, 0);
	if (!ok(link >= 0, "kprobe on ktime_get_mono_fast_ns (%ld)", link)) {
		close(prog);
		return;
	}
	run_ktime(100);
	ok(counter(2) >= 100, "the kprobe ran %llu times for 100 calls, not hung",
	   (unsigned long long)counter(2));
	ok(fdinfo_get(link, "missed") >= 100,
	   "each hit inside its own program skipped: missed %lld",
	   fdinfo_get(link, "missed"));
	/* the rest of the kernel calls it too: run_cnt between two reads */
	before = counter(2);
	err = prog_stats(prog, &info);
	after = counter(2);
	ok(!err && info.run_cnt >= before && info.run_cnt <= after,
	   "run_cnt %llu = runs (%llu..%llu)", (unsigned long long)info.run_cnt,
	   (unsigned long long)before, (unsigned long long)after);
	close(link);
	close(prog);
}

static void test_refused(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_nop", NULL, 0);
	long sf = prog_load(nop, 2);
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ok(kprobe_attach(prog, "bpfdev_trace_run", 0, 0, 0) == -EINVAL,
	   "a kprobe in bpfdev: EINVAL");
	ok(kprobe_attach(prog, "bpfdev_get_prandom_u32", 0, BPFDEV_PROBE_F_RETURN, 0) == -EINVAL,
	   "a kretprobe in bpfdev: EINVAL");
	ok(kprobe_attach(prog, "no_such_function_t60", 0, 0, 0) == -ENOENT,
	   "an unknown symbol: ENOENT");
	ok(kprobe_attach(prog, big, 0, 0, 0) == -EINVAL, "a symbol too long: EINVAL");
	ok(kprobe_attach(prog, "", 0, 0, 0) == -EINVAL, "an empty symbol: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, 2, 0) == -EINVAL, "unknown flags: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, 0, 8) == -EINVAL,
	   "maxactive on a kprobe: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 5000) == -E2BIG,
	   "maxactive over 4096: E2BIG");
	ok(kprobe_attach(sf, "do_sys_openat2", 0, 0, 0) == -EINVAL,
	   "a socket filter: EINVAL");
	ok(kprobe_attach(999, "do_sys_openat2", 0, 0, 0) == -EBADF, "a bad fd: EBADF");
	ok(kprobe_attach(prog, "kprobe_int3_handler", 0, 0, 0) == -EINVAL,
	   "what kprobes refuses (its own handler): EINVAL");
	close(sf);
	close(prog);
}

/* In a child with caps: load (and attach prog_fd) -> bits */
static int priv_child(__u64 caps, int prog_fd)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		long fd;
		int r = 0;

		if (caps_only(caps))
			_exit(64);
		fd = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, NULL, NULL, 0);
		r |= fd == -EPERM ? 1 : fd >= 0 ? 2 : 4;
		fd = kprobe_attach(prog_fd, "do_sys_openat2", 0, 0, 0);
		r |= fd == -EPERM ? 8 : fd >= 0 ? 16 : 32;
		_exit(r);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_privileges(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, NULL, NULL, 0);
	__u64 adm = CAPBIT(CAP_SYS_ADMIN);
	__u64 both = CAPBIT(CAP_BPF) | CAPBIT(CAP_PERFMON);

	ok_eq(priv_child(CAPBIT(CAP_BPF), prog), 1 | 8,
	      "CAP_BPF without CAP_PERFMON: load and attach EPERM");
	ok_eq(priv_child(CAPBIT(CAP_PERFMON), prog), 1 | 8,
	      "CAP_PERFMON without CAP_BPF: EPERM");
	ok_eq(priv_child(both, prog), 2 | 16, "CAP_BPF and CAP_PERFMON: load and attach");
	ok_eq(priv_child(adm, prog), 2 | 16, "CAP_SYS_ADMIN: load and attach");
	close(prog);
}

/*
 * Attach and detach while a child opens files (the probes hit between
 * them).  Both run on one vCPU: each attach and detach patches
 * do_sys_openat2's entry, and a TCG guest whose other vCPU runs the code
 * being patched meets stale int3s (t_93_faults: "Oops: int3" on the stock
 * 6.12 kernel without bpfdev; here kprobes took one for its own and
 * jumped to 0).
 */
static void test_storm(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_storm", NULL, 0);
	cpu_set_t all, one;
	int i, good = 0;
	pid_t pid;
	int st;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_getaffinity(0, sizeof(all), &all) || sched_setaffinity(0, sizeof(one), &one))
		tap_diag("storm: not pinned (%s)", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* not left behind if the test is killed on its timeout */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			open_name(100);
	}
	for (i = 0; i < STORM; i++) {
		long a = kprobe_attach(prog, "do_sys_openat2", 0, i & 1 ? BPFDEV_PROBE_F_RETURN : 0, 0);
		long b = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);

		good += a >= 0 && b >= 0;
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	sched_setaffinity(0, sizeof(all), &all);
	ok_eq(good, STORM, "%d attach/detach pairs under load", STORM);
	close(prog);
}

static void test_rmmod(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_rmmod", NULL, 0);
	long link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	const char *ko = getenv("BPFDEV_KO");
	char cmd[256];

	close(prog);
	close(count_map);
	close(devfd);
	devfd = -1;
	if (!ok(link >= 0, "a link alone keeps the module"))
		return;
	ok(system("rmmod bpfdev 2>/dev/null") != 0, "rmmod refused while a link lives");
	open_name(3);
	close(link);
	ok(live_zero(), "nothing left after the link closed");
	ok(system("rmmod bpfdev") == 0, "rmmod after the link closed");
	snprintf(cmd, sizeof(cmd), "insmod %s", ko ? ko : "/bpfdev/bpfdev.ko");
	ok(system(cmd) == 0, "insmod again");
}

int main(void)
{
	struct bpfdev_version v;

	tap_plan(0);
	objs_init();
	ok(!ioctl_err(devfd, BPFDEV_IOC_VERSION, &v) && (v.features & BPFDEV_FEAT_TRACE),
	   "BPFDEV_FEAT_TRACE is offered");
	count_map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	if (count_map < 0)
		tap_bail("array map: %d", count_map);
	tp_timed("opens", test_opens);
	tp_timed("returns", test_returns);
	tp_timed("stackid", test_stackid);
	tp_timed("recursion", test_recursion);
	tp_timed("refused", test_refused);
	tp_timed("privileges", test_privileges);
	tp_timed("storm", test_storm);
	tp_timed("rmmod", test_rmmod);
	return tap_done();
}
