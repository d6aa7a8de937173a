// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching a filter waits for nobody: PROG_ATTACH, PROG_DETACH and
 * BPFDEV_IOC_CAP_SET_FILTER replace the socket's filter and leave the old
 * one to be freed after a grace period, instead of waiting in
 * synchronize_rcu() (behind a module-wide mutex) on every call.  Many
 * swaps, on two sockets from two processes at once, take well under what
 * as many grace periods take, and every replaced program is freed.
 */

#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/membarrier.h>

#include "objs.h"
#include "sys.h"

#define SWAPS	300

static long attach(int target, int prog, int detach)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = target;
	a.attach_bpf_fd = prog;
	return sys(detach ? BPF_PROG_DETACH : BPF_PROG_ATTACH, &a);
}

static long set_classic(int fd)
{
	struct sock_filter insns[] = { BPF_STMT(BPF_RET | BPF_K, 0xffff) };
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC,
		.len = 1,
		.insns = (uintptr_t)insns,
	};

	return ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

/* SWAPS rounds of attach, attach again, detach, classic filter: 0 or -errno. */
static long swaps(int cap, int p1, int p2)
{
	long r = 0;
	int i;

	for (i = 0; i < SWAPS && !r; i++) {
		r = attach(cap, p1, 0);
		r = r ?: attach(cap, p2, 0);
		r = r ?: attach(cap, p2, 1);
		r = r ?: set_classic(cap);
	}
	return r;
}

/*
 * What a grace period costs here: MEMBARRIER_CMD_GLOBAL is a
 * synchronize_rcu().  Under TCG on a debug kernel everything is slower,
 * a grace period included, so the bound scales with it.
 */
static double grace_period_ms(void)
{
	uint64_t t0 = now_ms();
	int i;

	for (i = 0; i < 10; i++)
		if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
			return 0;
	return (now_ms() - t0) / 10.0;
}

int main(void)
{
	struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	struct bpf_insn ret1[] = { MOV64_IMM(0, 1), EXIT() };
	int cap1, cap2, p1, p2, st = -1;
	uint64_t t0, ms, limit;
	double gp;
	pid_t pid;
	long r;

	tap_plan(0);
	objs_init();
	p1 = prog_load(ret0, 2);
	p2 = prog_load(ret1, 2);
	cap1 = bpfdev_open();
	cap2 = bpfdev_open();
	if (!ok(p1 >= 0 && p2 >= 0 && cap1 >= 0 && cap2 >= 0, "two programs, two capture fds"))
		return tap_done();

	t0 = now_ms();
	pid = fork();
	if (pid == 0)
		_exit(swaps(cap2, p1, p2) ? 1 : 0);
	r = swaps(cap1, p1, p2);
	waitpid(pid, &st, 0);
	ms = now_ms() - t0;
	ok_eq(r, 0, "%d rounds of attach/attach/detach/classic filter on one socket", SWAPS);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "...and as many on another, in another process");
	/*
	 * 2 x 300 x 4 replacements: with a grace period each, tens of
	 * seconds, and never under as many grace periods; under that
	 * passes, and 8 s always does.  (Swaps cost 0.2 to 0.35 of a
	 * grace period each on stock kernels, 0.6 on the debug one.)
	 */
	gp = grace_period_ms();
	limit = 2 * SWAPS * 4 * gp;
	if (limit < 8000)
		limit = 8000;
	ok(ms < limit, "all %d replacements took %llu ms, under %llu (a grace period: %.1f ms; none waited for)",
	   2 * SWAPS * 4, (unsigned long long)ms, (unsigned long long)limit, gp);
	ok_eq(attach(cap1, 0, 1), 0, "detach the classic filter");
	close(cap1);
	close(cap2);
	close(p1);
	close(p2);
	ok(live_zero(), "every replaced program freed: no live program or fd is left");
	return tap_done();
}
