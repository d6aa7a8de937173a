// SPDX-License-Identifier: GPL-2.0
/*
 * JIT arena exhaustion (issue 15).  Classic filters need no capability,
 * so a caller without any can hold many large JITed filters open.  Past
 * jit_limit its filters must run interpreted, counted as "limit" in
 * jit_fallbacks, while callers with CAP_BPF/CAP_SYS_ADMIN still get
 * JITed (as the kernel's bpf_jit_limit); closing the filters gives the
 * memory back.  JIT state is seen as in t_14_jit: the jit_arena and
 * jit_fallbacks parameters, and jited_prog_len for eBPF programs.
 * Also: a stack trace taken inside a helper called from JITed code goes
 * on past the program's frame to its caller (the arena's ORC entry).
 */
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/filter.h>

#include "objs.h"
#include "sys.h"

#define PARAM(name)	"/sys/module/bpfdev/parameters/" name
#define BIG_LEN		4096	/* BPF_MAXINSNS */
#define MAX_SOCKS	256
#define ROOT_SOCKS	3

/* n from "name=n" in a parameter, or -1 */
static long param_field(const char *param, const char *name)
{
	char buf[256], *p;

	if (sys_read(param, buf, sizeof(buf)))
		return -1;
	p = strstr(buf, name);
	if (!p || p[strlen(name)] != '=')
		return -1;
	return strtol(p + strlen(name) + 1, NULL, 10);
}

static long arena(const char *name)
{
	return param_field(PARAM("jit_arena"), name);
}

static long fallbacks(const char *name)
{
	return param_field(PARAM("jit_fallbacks"), name);
}

/*
 * len - 1 LD_ABS and a return: at BPF_MAXINSNS the largest classic
 * filter, a few hundred KiB of image; at 1 a single chunk of the arena.
 */
static struct sock_filter big[BIG_LEN];

static long set_filter(int fd, unsigned int len)
{
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC,
		.len = len,
		.insns = (uintptr_t)big,
	};
	long err;

	big[len - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	err = ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
	big[len - 1] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12);
	return err;
}

/* No capability at all: effective, permitted and inheritable cleared. */
static int drop_all_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	return syscall(SYS_capset, &h, d);
}

struct fill {
	int	socks;		/* filters attached */
	int	jited;		/* ... that took arena memory */
	int	refused;	/* ... that did not */
	int	over;		/* JITed ones that took the arena past the limit */
	long	max_used;
};

/*
 * The unprivileged side, in a child: attach filters on new sockets, the
 * largest first, halving the size whenever one finds no arena memory,
 * down to one chunk, so that without a limit the arena would end up
 * full; report, then hold them open until the parent is done.
 */
static void fill_unprivileged(int report, int hold)
{
	unsigned int len = BIG_LEN;
	struct fill r = { 0 };
	long limit = arena("limit");
	int fd;
	char c;

	if (drop_all_caps())
		_exit(10);
	while (len && r.socks < MAX_SOCKS) {
		long before = arena("used"), after;

		fd = bpfdev_open();
		if (fd < 0 || set_filter(fd, len))
			_exit(11);
		r.socks++;
		after = arena("used");
		if (after > r.max_used)
			r.max_used = after;
		if (after > before) {
			r.jited++;
			if (after > limit)
				r.over++;
		} else {
			r.refused++;
			len /= 2;
		}
	}
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(12);
	if (read(hold, &c, 1) < 0)
		_exit(13);
	_exit(0);
}

static const struct bpf_insn ret7[] = { MOV64_IMM(0, 7), EXIT() };

static long prog_jited_len(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (obj_info(fd, &info, &len))
		return -1;
	return info.jited_prog_len;
}

static void test_params(void)
{
	char v[128] = "";
	long size = arena("size"), limit = arena("limit");

	ok(sys_read(PARAM("jit_arena"), v, sizeof(v)) == 0 && limit >= 0,
	   "jit_arena shows the limit: %s", v);
	ok(limit == size / 2, "jit_limit defaults to half the arena (%ld of %ld)", limit, size);
	ok(sys_write(PARAM("jit_limit"), "99999999999") < 0 && arena("limit") == limit,
	   "jit_limit refuses more than the arena");
	ok(sys_write(PARAM("jit_limit"), "65536") == 0 && arena("limit") == 65536,
	   "jit_limit can be set (65536)");
	snprintf(v, sizeof(v), "%ld", limit);
	ok(sys_write(PARAM("jit_limit"), v) == 0 && arena("limit") == limit,
	   "and set back (%ld)", limit);
	ok(fallbacks("limit") >= 0, "jit_fallbacks lists \"limit\"");
}

static void test_exhaustion(void)
{
	long used0 = arena("used"), limit = arena("limit"), size = arena("size");
	long limit0 = fallbacks("limit"), used, pfd = -1, rfd[ROOT_SOCKS], len, err = 0;
	int report[2], hold[2], status = -1, tries, i, bad;
	struct fill r = { 0 };
	__u32 ret = 0;
	pid_t pid, pid2;

	if (pipe(report) || pipe(hold)) {
		ok(0, "pipes: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		close(hold[1]);
		fill_unprivileged(report[1], hold[0]);
	}
	close(report[1]);
	close(hold[0]);
	if (read(report[0], &r, sizeof(r)) != sizeof(r))
		r.socks = -1;

	ok(r.socks > 0, "unprivileged: %d classic filters attached", r.socks);
	ok(r.jited > 0, "unprivileged: %d of them JITed", r.jited);
	ok(r.refused >= 2, "unprivileged: past the limit %d run interpreted (sizes 4096 down to 1)",
	   r.refused);
	ok(!r.over && r.max_used <= (used0 > limit ? used0 : limit),
	   "unprivileged filters never take the arena past jit_limit (%ld of %ld, limit %ld)",
	   r.max_used, size, limit);
	ok(fallbacks("limit") >= limit0 + r.refused,
	   "jit_fallbacks counts them as limit (%ld -> %ld)", limit0, fallbacks("limit"));

	/* root (CAP_BPF, CAP_SYS_ADMIN): still JITed, past the limit */
	pfd = prog_load(ret7, NINSNS(ret7));
	len = pfd >= 0 ? prog_jited_len(pfd) : pfd;
	ok(len > 0, "privileged: an eBPF program is still JITed (%ld bytes)", len);
	err = pfd >= 0 ? prog_run(pfd, 1, &ret, NULL) : pfd;
	ok(!err && ret == 7, "privileged: it runs (%ld, %u)", err, ret);
	/* unblinded, root's filters are smaller: enough of them to pass it */
	for (i = 0, bad = 0; i < ROOT_SOCKS && !bad; i++) {
		used = arena("used");
		rfd[i] = bpfdev_open();
		err = rfd[i] >= 0 ? set_filter(rfd[i], BIG_LEN) : rfd[i];
		bad = err || arena("used") <= used;
	}
	ok(!bad && arena("used") > limit,
	   "privileged: %d big classic filters JITed, past the limit (%ld: %ld of %ld)",
	   i, err, arena("used"), limit);

	if (write(hold[1], "x", 1) != 1)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the unprivileged child ends (%#x)",
	   status);
	close(report[0]);
	close(hold[1]);
	while (i-- > 0)
		if (rfd[i] >= 0)
			close(rfd[i]);
	if (pfd >= 0)
		close(pfd);

	/* release is deferred past an RCU grace period: retry a while */
	for (tries = 0; tries < 50 && arena("used") > used0; tries++)
		usleep(100000);
	ok(arena("used") <= used0, "closing them gives the arena back (%ld, was %ld)",
	   arena("used"), used0);

	/* and the unprivileged side JITs again */
	pid2 = fork();
	if (pid2 == 0) {
		int s;

		if (drop_all_caps())
			_exit(10);
		used = arena("used");
		s = bpfdev_open();
		_exit(s >= 0 && set_filter(s, BIG_LEN) == 0 && arena("used") > used ? 0 : 1);
	}
	status = -1;
	waitpid(pid2, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "after release an unprivileged filter is JITed again (%#x)", status);
}

#define TRACING	"/sys/kernel/tracing/"

/*
 * A kprobe with a stack trace on the helper bpf_ktime_get_ns, called
 * from a JITed program: the trace (ftrace's, through the ORC unwinder)
 * must name a frame after the program's (bpfdev_jit_arena), where before
 * the arena had ORC data it ended there.  The helper is a bare tail call:
 * on the debug kernel (no ftrace: an int3 probe after the ENDBR) a trace
 * from inside a helper with a frame of its own, such as
 * bpfdev_get_prandom_u32 since its per-CPU state, stops at the helper.
 */
static void test_stack_trace(void)
{
	static const struct bpf_insn call[] = {
		I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ktime_get_ns),
		EXIT(),
	};
	char line[256], after[256] = "";
	int seen = 0, err;
	long fd;
	FILE *f;

	if (access(TRACING "kprobe_events", F_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	if (sys_write(TRACING "kprobe_events", "p:jit_arena_t bpfdev_ktime_get_ns")) {
		ok(1, "# SKIP no kprobe events");
		return;
	}
	err = sys_write(TRACING "trace", "") || sys_write(TRACING "options/stacktrace", "1") ||
	      sys_write(TRACING "events/kprobes/jit_arena_t/enable", "1");
	fd = prog_load(call, NINSNS(call));
	if (fd >= 0 && prog_jited_len(fd) > 0)
		err |= prog_run(fd, 1, NULL, NULL) != 0;
	else
		err = 1;
	sys_write(TRACING "events/kprobes/jit_arena_t/enable", "0");
	sys_write(TRACING "options/stacktrace", "0");
	f = fopen(TRACING "trace", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (seen == 1 && strstr(line, "=> ")) {
			snprintf(after, sizeof(after), "%s", line + strspn(line, " =>"));
			after[strcspn(after, "\n")] = '\0';
			seen = 2;
		}
		if (!seen && strstr(line, "=> bpfdev_jit_arena"))
			seen = 1;
	}
	if (f)
		fclose(f);
	sys_write(TRACING "kprobe_events", "");
	if (fd >= 0)
		close(fd);
	ok(!err && seen == 2,
	   "a stack trace from a helper goes past the JITed frame (to %s)", after);
}

int main(void)
{
	int i;

	objs_init();
	if (access(PARAM("jit_enable"), F_OK)) {
		printf("1..0 # SKIP no jit_enable parameter\n");
		return 0;
	}
	for (i = 0; i < BIG_LEN; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12);
	tap_plan(0);
	test_params();
	test_exhaustion();
	test_stack_trace();
	return tap_done();
}
