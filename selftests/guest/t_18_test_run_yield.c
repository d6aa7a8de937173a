// SPDX-License-Identifier: GPL-2.0
/*
 * PROG_TEST_RUN of a long program never holds the CPU: as the kernel's
 * bpf_test_run(), a pending signal ends the repetitions with EINTR and a
 * pending reschedule yields, after every run.  The program is a verified
 * bounded loop (300,000 instructions a run), interpreted
 * (jit_enable=0), so one run takes milliseconds even under TCG; the old
 * loop looked only every 1,024 runs, i.e. after tens of seconds.
 */

#include <signal.h>
#include <sys/klog.h>
#include <sys/time.h>

#include "objs.h"
#include "sys.h"

#define PARAM_JIT	"/sys/module/bpfdev/parameters/jit_enable"
#define WATCHDOG	"/proc/sys/kernel/watchdog_thresh"
#define LOOPS		150000	/* iterations of the program's loop */

static void on_alarm(int sig)
{
	(void)sig;
}

/* The kernel log holds a soft lockup report. */
static int soft_lockup_logged(void)
{
	static char buf[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return strstr(buf, "soft lockup") != NULL;
}

int main(void)
{
	struct bpf_insn loop[] = {
		MOV64_IMM(BPF_REG_0, 0),
		ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
		JMP_IMM(BPF_JLT, BPF_REG_0, LOOPS, -2),
		EXIT(),
	};
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value.tv_usec = 300000 };
	__u32 retval = 0, duration = 0, repeat;
	char thresh[32] = "";
	uint64_t t0, ms;
	long r;
	int fd;

	tap_plan(0);
	objs_init();
	if (!ok_eq(sys_write(PARAM_JIT, "0"), 0, "jit_enable=0: programs are interpreted"))
		return tap_done();
	fd = prog_load(loop, NINSNS(loop));
	if (!ok(fd >= 0, "a bounded loop of %d iterations verifies (%ld)", LOOPS, (long)fd))
		goto out;

	t0 = now_ms();
	r = prog_run(fd, 1, &retval, &duration);
	ok(r == 0 && retval == LOOPS, "one run returns %d (%ld, %u)", LOOPS, r, retval);
	tap_diag("one interpreted run: %u us (%llu ms of wall time)", duration / 1000,
		 (unsigned long long)(now_ms() - t0));

	/* A signal ends a long run within one repetition, not 1,024. */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now_ms();
	r = prog_run(fd, 1U << 30, NULL, NULL);
	ms = now_ms() - t0;
	ok_eq(r, -EINTR, "a signal interrupts repeat=2^30 with EINTR");
	ok(ms < 300 + 2000, "...within %llu ms of the run's start (the signal came at 300)",
	   (unsigned long long)ms);

	/*
	 * A run of some seconds, fewer than 1,024 repetitions, with the
	 * soft-lockup threshold at its lowest (reports after 2 s).
	 */
	repeat = duration ? 6000000000ULL / duration : 1000;
	if (repeat > 1000)
		repeat = 1000;
	if (repeat < 2)
		repeat = 2;
	if (sys_read(WATCHDOG, thresh, sizeof(thresh)) || !thresh[0] ||
	    sys_write(WATCHDOG, "1")) {
		tap_skip("no soft-lockup watchdog", "a long run yields: no soft lockup");
		goto out;
	}
	t0 = now_ms();
	r = prog_run(fd, repeat, &retval, NULL);
	ms = now_ms() - t0;
	sys_write(WATCHDOG, thresh);
	ok(r == 0 && retval == LOOPS, "repeat=%u runs to the end (%ld), %llu ms", repeat, r,
	   (unsigned long long)ms);
	ok_eq(soft_lockup_logged(), 0, "no soft lockup reported with watchdog_thresh=1");
out:
	if (fd >= 0)
		close(fd);
	ok_eq(sys_write(PARAM_JIT, "1"), 0, "jit_enable=1 again");
	ok(live_zero(), "no live program or fd is left");
	return tap_done();
}
