// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes and uretprobes (BPFDEV_IOC_UPROBE_ATTACH) on a function of this
 * very binary, with exact counts: calls counted by a uprobe, the values
 * a uretprobe sees returned, the pid filter (a child's calls apart from
 * ours, a process that exited, one that exits while probed), a probed
 * copy of the binary deleted while a process runs it, the user stack
 * (its first address is the probed function), a kprobe hit from a uprobe
 * program's helper skipped and counted in recursion_misses, what is
 * refused, attach/detach storms under calls, rmmod while a link lives.
 *
 * The probe's file offset comes from /proc/self/maps: the mapping that
 * holds t61_target() and its file offset.
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "trace_progs.h"

#define CALLS		1000
#define CHILD_CALLS	300
#define STORM		100
#define COPY		"/tmp/t61_copy"

static int count_map;		/* array of 8 u64 counters */
static char self_path[256];
static __u64 target_off;

/* The probed function: noipa keeps gcc from cloning or inlining it. */
__attribute__((noipa, used)) int t61_target(int x)
{
	return x * 3 + 1;
}

static int __attribute__((noipa)) t61_other(int x)
{
	return x;
}

static void call_target(int n)
{
	int i;

	for (i = 0; i < n; i++)
		t61_target(i);
}

/* The file offset of t61_target() in the file mapped there. */
static int find_target(void)
{
	unsigned long addr = (unsigned long)t61_target, start, end, pgoff;
	char line[512], path[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		path[0] = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %255s", &start, &end, &pgoff,
			   path) < 3)
			continue;
		if (addr < start || addr >= end || path[0] != '/')
			continue;
		snprintf(self_path, sizeof(self_path), "%s", path);
		target_off = addr - start + pgoff;
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

static __u64 counter(__u32 idx)
{
	__u64 v = 0;

	map_lookup(count_map, &idx, &v);
	return v;
}

static void counters_clear(void)
{
	__u64 zero = 0;
	__u32 i;

	for (i = 0; i < 8; i++)
		map_update(count_map, &i, &zero, 0);
}

/* map[key] += reg (reg one of r6-r9); r0-r5 clobbered */
static void tp_add(struct tprog *p, __u32 key, int reg)
{
	tp_emit(p, ST_MEM(BPF_W, 10, -4, key));
	tp_emit(p, MOV64_REG(2, 10));
	tp_emit(p, ALU64_IMM(BPF_ADD, 2, -4));
	tp_ld_map(p, 1, count_map);
	tp_emit(p, CALL(BPF_FUNC_map_lookup_elem));
	tp_emit(p, JMP_IMM(BPF_JEQ, 0, 0, 1));
	tp_emit(p, ATOMIC_ADD(BPF_DW, 0, reg, 0));
}

/* map[key] = reg (reg one of r6-r9); r0-r5 clobbered */
static void tp_set(struct tprog *p, __u32 key, int reg)
{
	tp_emit(p, ST_MEM(BPF_W, 10, -4, key));
	tp_emit(p, MOV64_REG(2, 10));
	tp_emit(p, ALU64_IMM(BPF_ADD, 2, -4));
	tp_ld_map(p, 1, count_map);
	tp_emit(p, CALL(BPF_FUNC_map_lookup_elem));
	tp_emit(p, JMP_IMM(BPF_JEQ, 0, 0, 1));
	tp_emit(p, STX_MEM(BPF_DW, 0, reg, 0));
}

/* uprobe: counter key += 1 */
static long load_counter(__u32 key)
{
	struct tprog p = { .n = 0 };

	tp_count(&p, count_map, key);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t61_count");
}

/* uretprobe: counter 1 += 1, counter 2 += the return value */
static long load_returns(void)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, LDX_MEM(BPF_DW, 6, 1, REGS_AX));
	tp_count(&p, count_map, 1);
	tp_add(&p, 2, 6);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t61_returns");
}

/* uprobe: counter 3 = get_stack(user)'s return, counter 4 = its first ip */
static long load_user_stack(void)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -64));
	tp_emit(&p, MOV64_IMM(3, 64));
	tp_emit(&p, MOV64_IMM(4, BPF_F_USER_STACK));
	tp_emit(&p, CALL(BPF_FUNC_get_stack));
	tp_emit(&p, MOV64_REG(6, 0));
	tp_emit(&p, LDX_MEM(BPF_DW, 7, 10, -64));
	tp_set(&p, 3, 6);
	tp_set(&p, 4, 7);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t61_ustack");
}

/*
 * uprobe whose helper hits a kprobe: counter 6 += 1.  The helper is
 * bpf_probe_read_kernel (copy_from_kernel_nofault), not bpf_ktime_get_ns:
 * ktime_get_mono_fast_ns is notrace, and the kernel refuses kprobes there.
 */
static long load_ktime(void)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(3, 1));
	tp_emit(&p, MOV64_REG(1, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 1, -8));
	tp_emit(&p, MOV64_IMM(2, 8));
	tp_emit(&p, CALL(BPF_FUNC_probe_read_kernel));
	tp_count(&p, count_map, 6);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t61_ktime");
}

static void test_calls(void)
{
	struct bpf_prog_info info;
	long prog = load_counter(0), link;
	int err;

	counters_clear();
	if (!ok(prog >= 0, "uprobe program loads"))
		return;
	link = uprobe_attach(prog, self_path, target_off, 0, -1);
	if (!ok(link >= 0, "uprobe on t61_target attaches (%ld)", link))
		goto out;
	call_target(CALLS);
	t61_other(1);
	ok_eq(counter(0), CALLS, "%d calls counted exactly", CALLS);
	ok(fdinfo_has(link, "link_type:\tuprobe") && fdinfo_has(link, "pid:\t-1"),
	   "link fdinfo names the uprobe");
	err = prog_stats(prog, &info);
	ok(!err && info.run_cnt == CALLS && info.recursion_misses == 0,
	   "prog info: run_cnt %llu", (unsigned long long)info.run_cnt);
	close(link);
	call_target(10);
	ok_eq(counter(0), CALLS, "closing the link detaches");
out:
	close(prog);
}

static void test_returns(void)
{
	long prog = load_returns(), link;
	__u64 sum = 0;
	int i;

	counters_clear();
	if (!ok(prog >= 0, "uretprobe program loads"))
		return;
	link = uprobe_attach(prog, self_path, target_off, BPFDEV_PROBE_F_RETURN, -1);
	if (!ok(link >= 0, "uretprobe attaches (%ld)", link))
		goto out;
	for (i = 0; i < CALLS; i++)
		sum += t61_target(i);
	close(link);
	ok_eq(counter(1), CALLS, "%d returns seen", CALLS);
	ok_eq(counter(2), sum, "the values returned, summed");
out:
	close(prog);
}

static void test_user_stack(void)
{
	long prog = load_user_stack(), link;

	counters_clear();
	if (!ok(prog >= 0, "get_stack(BPF_F_USER_STACK) program loads"))
		return;
	link = uprobe_attach(prog, self_path, target_off, 0, -1);
	if (ok(link >= 0, "uprobe attaches")) {
		call_target(1);
		close(link);
	}
	ok((__s64)counter(3) >= 8, "get_stack returned %lld bytes", (long long)counter(3));
	ok_eq(counter(4), (__u64)(unsigned long)t61_target,
	      "the user stack starts at the probed function");
	close(prog);
}

/* A child calling t61_target n times on each byte read from fd, then exiting at EOF. */
static pid_t spawn_caller(int n, int *go)
{
	int p[2], q[2];
	pid_t pid;
	char c;

	if (pipe(p) || pipe(q))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[1]);
		close(q[0]);
		while (read(p[0], &c, 1) == 1) {
			call_target(n);
			if (write(q[1], &c, 1) != 1)
				break;
		}
		_exit(0);
	}
	close(p[0]);
	close(q[1]);
	go[0] = p[1];
	go[1] = q[0];
	return pid;
}

/* One round of the child's calls, waited for. */
static void caller_round(int *go)
{
	char c = 1;

	if (write(go[0], &c, 1) == 1)
		(void)!read(go[1], &c, 1);
}

static void test_pid_filter(void)
{
	long prog = load_counter(0), link;
	int go[2] = { -1, -1 }, st;
	pid_t child;

	counters_clear();
	child = spawn_caller(CHILD_CALLS, go);
	if (!ok(prog >= 0 && child > 0, "uprobe program and a calling child")) {
		close(prog);
		return;
	}
	link = uprobe_attach(prog, self_path, target_off, 0, child);
	if (ok(link >= 0, "uprobe for the child's pid attaches")) {
		call_target(CALLS);
		caller_round(go);
		call_target(CALLS);
		ok_eq(counter(0), CHILD_CALLS, "only the child's calls counted");
		ok(fdinfo_get(link, "pid") == child, "fdinfo shows its pid");
		close(link);
	}
	counters_clear();
	link = uprobe_attach(prog, self_path, target_off, 0, getpid());
	if (ok(link >= 0, "uprobe for our pid attaches")) {
		caller_round(go);
		call_target(CALLS);
		caller_round(go);
		ok_eq(counter(0), CALLS, "only our calls counted");
		close(link);
	}

	/* the traced process exits while the link lives */
	counters_clear();
	link = uprobe_attach(prog, self_path, target_off, 0, child);
	ok(link >= 0, "uprobe for the child again");
	caller_round(go);
	close(go[0]);
	close(go[1]);
	ok(waitpid(child, &st, 0) == child && WIFEXITED(st) && !WEXITSTATUS(st),
	   "the child exits normally while probed");
	call_target(CALLS);
	ok_eq(counter(0), CHILD_CALLS, "then nothing more is counted");
	if (link >= 0)
		close(link);
	ok(uprobe_attach(prog, self_path, target_off, 0, child) == -ESRCH,
	   "a pid that exited: ESRCH");
	close(prog);
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

/*
 * The copy run as "t61_copy calls N": it says it runs (a byte on stdout),
 * is deleted, then makes N calls on a byte on stdin.
 */
static void test_deleted_file(void)
{
	long prog = load_counter(0), link;
	int go[2], ready[2], st;
	pid_t pid;
	char c = 1;

	counters_clear();
	if (!ok(prog >= 0 && !copy_file(self_path, COPY), "a copy of the binary"))
		return;
	link = uprobe_attach(prog, COPY, target_off, 0, -1);
	if (!ok(link >= 0, "uprobe on the copy attaches (%ld)", link))
		goto out;
	if (pipe(go) || pipe(ready))
		goto out_link;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(go[0], 0);
		dup2(ready[1], 1);
		execl(COPY, COPY, "calls", "500", (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(ready[1]);
	ok(read(ready[0], &c, 1) == 1 && !unlink(COPY),
	   "the probed file deleted while its process runs");
	(void)!write(go[1], &c, 1);
	close(go[1]);
	close(ready[0]);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	   "the process ran to its end");
	ok_eq(counter(0), 500, "its calls counted after the deletion");
out_link:
	close(link);
out:
	unlink(COPY);
	close(prog);
}

static void test_recursion(void)
{
	struct bpf_prog_info info;
	long kprog = load_counter(5), uprog = load_ktime(), klink, ulink;
	int err;

	counters_clear();
	if (!ok(kprog >= 0 && uprog >= 0, "programs load"))
		goto out;
	klink = kprobe_attach(kprog, "copy_from_kernel_nofault", 0, 0, 0);
	if (!ok(klink >= 0, "kprobe on copy_from_kernel_nofault (%ld)", klink))
		goto out;
	ulink = uprobe_attach(uprog, self_path, target_off, 0, -1);
	if (ok(ulink >= 0, "uprobe attaches")) {
		call_target(50);
		close(ulink);
	}
	ok_eq(counter(6), 50, "the uprobe program ran 50 times");
	err = prog_stats(kprog, &info);
	ok(!err && info.recursion_misses >= 50,
	   "the kprobe hit from its helper skipped: recursion_misses %llu",
	   (unsigned long long)info.recursion_misses);
	ok(fdinfo_get(kprog, "recursion_misses") >= 50, "and in the program's fdinfo");
	close(klink);
out:
	close(kprog);
	close(uprog);
}

static void test_refused(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t61_nop", NULL, 0);
	long sf = prog_load(nop, 2);
	struct bpfdev_uprobe_attach a = {
		.prog_fd = prog, .path = (uintptr_t)self_path, .offset = target_off,
		.pid = -1, .pad = 1,
	};

	ok(uprobe_attach(prog, "/tmp", 0, 0, -1) == -EINVAL, "a directory: EINVAL");
	ok(uprobe_attach(prog, "/tmp/t61_none", 0, 0, -1) == -ENOENT, "no such file: ENOENT");
	ok(uprobe_attach(prog, self_path, 1ULL << 40, 0, -1) == -EINVAL,
	   "an offset past the end: EINVAL");
	ok(uprobe_attach(prog, self_path, target_off, 2, -1) == -EINVAL, "unknown flags: EINVAL");
	ok(ioctl_err(devfd, BPFDEV_IOC_UPROBE_ATTACH, &a) == -EINVAL, "pad set: EINVAL");
	ok(uprobe_attach(prog, self_path, target_off, 0, 0) == -EINVAL, "pid 0: EINVAL");
	ok(uprobe_attach(sf, self_path, target_off, 0, -1) == -EINVAL, "a socket filter: EINVAL");
	close(sf);
	close(prog);
}

static int priv_child(__u64 caps, int prog_fd)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		long fd;

		if (caps_only(caps))
			_exit(64);
		fd = uprobe_attach(prog_fd, self_path, target_off, 0, -1);
		_exit(fd == -EPERM ? 1 : fd >= 0 ? 2 : 4);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_privileges(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, NULL, NULL, 0);

	ok_eq(priv_child(CAPBIT(CAP_BPF), prog), 1, "CAP_BPF without CAP_PERFMON: EPERM");
	ok_eq(priv_child(CAPBIT(CAP_BPF) | CAPBIT(CAP_PERFMON), prog), 2,
	      "CAP_BPF and CAP_PERFMON: attach");
	close(prog);
}

static void test_storm(void)
{
	long prog = load_counter(0);
	int i, good = 0, st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			call_target(1000);
	}
	for (i = 0; i < STORM; i++) {
		long a = uprobe_attach(prog, self_path, target_off,
				       i & 1 ? BPFDEV_PROBE_F_RETURN : 0, -1);
		long b = uprobe_attach(prog, self_path, target_off, 0, i & 2 ? pid : -1);

		good += a >= 0 && b >= 0;
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		call_target(1);
	}
	ok_eq(good, STORM, "%d attach/detach pairs while a process calls", STORM);
	ok(!waitpid(pid, &st, WNOHANG), "the calling process survived them");
	kill(pid, SIGKILL);
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	   "and dies only of our SIGKILL");
	close(prog);
}

static void test_rmmod(void)
{
	long prog = load_counter(0);
	long link = uprobe_attach(prog, self_path, target_off, BPFDEV_PROBE_F_RETURN, -1);
	const char *ko = getenv("BPFDEV_KO");
	char cmd[256];

	close(prog);
	close(count_map);
	close(devfd);
	devfd = -1;
	if (!ok(link >= 0, "a uretprobe link alone keeps the module"))
		return;
	ok(system("rmmod bpfdev 2>/dev/null") != 0, "rmmod refused while a link lives");
	call_target(3);
	close(link);
	call_target(3);
	ok(live_zero(), "nothing left after the link closed");
	ok(system("rmmod bpfdev") == 0, "rmmod after the link closed");
	snprintf(cmd, sizeof(cmd), "insmod %s", ko ? ko : "/bpfdev/bpfdev.ko");
	ok(system(cmd) == 0, "insmod again");
}

int main(int argc, char **argv)
{
	char c;

	if (argc == 3 && !strcmp(argv[1], "calls")) {
		c = 1;
		if (write(1, &c, 1) != 1 || read(0, &c, 1) != 1)
			return 1;
		call_target(atoi(argv[2]));
		return 0;
	}
	tap_plan(0);
	objs_init();
	if (find_target())
		tap_bail("t61_target not found in /proc/self/maps");
	tap_diag("t61_target at %s+%#llx", self_path, (unsigned long long)target_off);
	count_map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 8, 0);
	if (count_map < 0)
		tap_bail("array map: %d", count_map);
	tp_timed("calls", test_calls);
	tp_timed("returns", test_returns);
	tp_timed("user_stack", test_user_stack);
	tp_timed("pid_filter", test_pid_filter);
	tp_timed("deleted_file", test_deleted_file);
	tp_timed("recursion", test_recursion);
	tp_timed("refused", test_refused);
	tp_timed("privileges", test_privileges);
	tp_timed("storm", test_storm);
	tp_timed("rmmod", test_rmmod);
	return tap_done();
}
