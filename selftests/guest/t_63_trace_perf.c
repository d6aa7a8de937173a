// SPDX-License-Identifier: GPL-2.0
/*
 * Sampling (BPFDEV_IOC_PERF_ATTACH): a BPF_PROG_TYPE_PERF_EVENT program on
 * the software cpu-clock of one CPU that this test keeps busy, at 99 Hz
 * (frequency mode) and every 20 ms (period mode), counts about as many
 * samples as the elapsed time gives, sees sample_period as the kernel
 * sets it (NSEC_PER_SEC / 99 for 99 Hz) and the interrupted registers
 * (mostly user mode, since the CPU spins in user space); every CPU at
 * once; closing the link stops the samples; bpfdev cannot be unloaded
 * while only a link holds it, and unloads once the link is closed;
 * refusals of bad arguments and of callers without CAP_PERFMON.
 *
 * Under TCG a vCPU can be descheduled by the host and perf skips the
 * periods it missed, so the sample counts are checked within 40%..110%
 * of the elapsed time's: loose, but a counter on the wrong CPU, one run
 * per tick instead of per sample, or a period ignored, falls outside.
 */

#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf_perf_event.h>
#include <linux/capability.h>
#include <linux/perf_event.h>

#include "objs.h"
#include "sys.h"

#define FREQ		99
#define PERIOD_NS	20000000ULL
#define SPIN_MS		3000
#define LOW		0.4
#define HIGH		1.1

/* The program's map value. */
struct samples {
	__u64	count;
	__u64	period;		/* the last sample_period seen */
	__u64	user;		/* samples that interrupted user mode */
};

static int busy_cpu;
static char log_buf[65536];

static long sample_prog(int map)
{
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		ST_MEM(BPF_W, 10, -4, 0),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 9),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, offsetof(struct samples, count)),
		LDX_MEM(BPF_DW, 1, 6, offsetof(struct bpf_perf_event_data, sample_period)),
		STX_MEM(BPF_DW, 0, 1, offsetof(struct samples, period)),
		LDX_MEM(BPF_DW, 1, 6, offsetof(struct bpf_perf_event_data, regs.cs)),
		ALU64_IMM(BPF_AND, 1, 3),
		JMP_IMM(BPF_JNE, 1, 3, 2),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, offsetof(struct samples, user)),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	long fd = prog_load_log(BPF_PROG_TYPE_PERF_EVENT, p, NINSNS(p), "t63",
				log_buf, sizeof(log_buf));

	if (fd < 0)
		tap_diag("load: %ld: %.400s", fd, log_buf);
	return fd;
}

static long perf_attach(int prog, __u32 flags, __u32 type, __u32 config,
			__u64 sample, int cpu)
{
	struct bpfdev_perf_attach a = {
		.prog_fd = prog,
		.flags = flags,
		.type = type,
		.config = config,
		.sample = sample,
		.cpu = cpu,
	};

	return ioctl_err(devfd, BPFDEV_IOC_PERF_ATTACH, &a);
}

static void spin(unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	volatile unsigned long x = 0;

	while (now_ms() < end)
		x++;
}

static void read_samples(int map, struct samples *s)
{
	__u32 k = 0;

	memset(s, 0, sizeof(*s));
	map_lookup(map, &k, s);
}

static void reset_samples(int map)
{
	struct samples s = { 0 };
	__u32 k = 0;

	map_update(map, &k, &s, BPF_ANY);
}

/* Samples while this process spins on busy_cpu for SPIN_MS. */
static void test_rate(int map, int prog, __u32 flags, __u64 sample,
		      double hz, __u64 want_period, const char *what)
{
	struct samples s;
	uint64_t t0, ms;
	double want;
	long link;

	reset_samples(map);
	link = perf_attach(prog, flags, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK,
			   sample, busy_cpu);
	if (!ok(link >= 0, "%s: attached on CPU %d (%ld)", what, busy_cpu, link))
		return;
	t0 = now_ms();
	spin(SPIN_MS);
	ms = now_ms() - t0;
	close(link);
	read_samples(map, &s);
	want = hz * ms / 1000.0;
	ok(s.count >= LOW * want && s.count <= HIGH * want,
	   "%s: %llu samples in %llu ms, %.0f expected (%.0f%%)", what,
	   (unsigned long long)s.count, (unsigned long long)ms, want,
	   100.0 * s.count / want);
	ok_eq(s.period, want_period, "%s: sample_period %llu", what,
	      (unsigned long long)want_period);
	ok(s.user * 2 >= s.count, "%s: most samples interrupted user mode (%llu of %llu)",
	   what, (unsigned long long)s.user, (unsigned long long)s.count);
}

static void test_every_cpu(int map, int prog)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct samples s, after;
	uint64_t t0, ms;
	double want;
	long link;

	reset_samples(map);
	link = perf_attach(prog, BPFDEV_PERF_F_FREQ, PERF_TYPE_SOFTWARE,
			   PERF_COUNT_SW_CPU_CLOCK, FREQ, -1);
	if (!ok(link >= 0, "every CPU: attached (%ld)", link))
		return;
	t0 = now_ms();
	spin(SPIN_MS / 2);
	ms = now_ms() - t0;
	close(link);
	read_samples(map, &s);
	want = (double)FREQ * ms / 1000.0;
	ok(s.count >= LOW * want && s.count <= HIGH * want * ncpu,
	   "every CPU: %llu samples in %llu ms on %ld CPUs, one CPU gives %.0f",
	   (unsigned long long)s.count, (unsigned long long)ms, ncpu, want);
	usleep(300 * 1000);
	read_samples(map, &after);
	ok(after.count == s.count, "every CPU: no sample after the link is closed (%llu, %llu)",
	   (unsigned long long)s.count, (unsigned long long)after.count);
}

static long attach_without_perfmon(int prog)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		long r;

		syscall(SYS_capget, &h, d);
		d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
		d[CAP_TO_INDEX(CAP_PERFMON)].effective &= ~CAP_TO_MASK(CAP_PERFMON);
		if (syscall(SYS_capset, &h, d))
			_exit(100);
		r = perf_attach(prog, BPFDEV_PERF_F_FREQ, PERF_TYPE_SOFTWARE,
				PERF_COUNT_SW_CPU_CLOCK, FREQ, -1);
		_exit(r == -EPERM ? 0 : r >= 0 ? 101 : 102);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_refusals(int prog)
{
	struct bpf_insn t[] = { MOV64_IMM(0, 0), EXIT() };
	long tp = prog_load_log(BPF_PROG_TYPE_TRACEPOINT, t, NINSNS(t), NULL, NULL, 0);
	struct bpfdev_perf_attach a = {
		.prog_fd = prog, .type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK, .sample = FREQ, .cpu = -1, .pad = 1,
	};

	ok_eq(perf_attach(prog, 2, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, FREQ, -1),
	      -EINVAL, "refusals: unknown flags: EINVAL");
	ok_eq(ioctl_err(devfd, BPFDEV_IOC_PERF_ATTACH, &a), -EINVAL,
	      "refusals: pad not zero: EINVAL");
	ok_eq(perf_attach(prog, 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 0, -1),
	      -EINVAL, "refusals: period 0: EINVAL");
	ok_eq(perf_attach(prog, BPFDEV_PERF_F_FREQ, PERF_TYPE_SOFTWARE,
			  PERF_COUNT_SW_CPU_CLOCK, 1000000, -1),
	      -EINVAL, "refusals: 1 MHz, above the default perf_event_max_sample_rate: EINVAL");
	ok_eq(perf_attach(prog, 0, PERF_TYPE_TRACEPOINT, 1, 1, -1),
	      -EINVAL, "refusals: a tracepoint event type: EINVAL");
	ok_eq(perf_attach(prog, 0, PERF_TYPE_SOFTWARE, 9999, PERIOD_NS, -1),
	      -ENOENT, "refusals: an unknown software event: ENOENT");
	ok_eq(perf_attach(prog, 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, PERIOD_NS, 4096),
	      -EINVAL, "refusals: CPU 4096: EINVAL");
	ok_eq(perf_attach(prog, 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, PERIOD_NS, -2),
	      -EINVAL, "refusals: CPU -2: EINVAL");
	ok_eq(perf_attach(tp, 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, PERIOD_NS, -1),
	      -EINVAL, "refusals: a tracepoint program: EINVAL");
	ok_eq(attach_without_perfmon(prog), 0, "refusals: without CAP_PERFMON: EPERM");
	if (tp >= 0)
		close(tp);
}

static int try_unload(void)
{
	long r = syscall(__NR_delete_module, "bpfdev", O_NONBLOCK);

	return r < 0 ? -errno : 0;
}

/* Only a link holds bpfdev: it stays; closed, bpfdev unloads. */
static void test_unload(void)
{
	const char *ko = getenv("BPFDEV_KO");
	long map = map_create(BPF_MAP_TYPE_ARRAY, 4, sizeof(struct samples), 1, 0);
	long prog = map >= 0 ? sample_prog(map) : -1;
	long link = prog >= 0 ? perf_attach(prog, BPFDEV_PERF_F_FREQ, PERF_TYPE_SOFTWARE,
					    PERF_COUNT_SW_CPU_CLOCK, FREQ, -1) : -1;
	char cmd[512];
	int r, i;

	if (!ok(link >= 0, "unload: a sampling link (%ld)", link))
		return;
	close(prog);
	close(map);
	close(devfd);
	usleep(200 * 1000);
	r = try_unload();
	ok(r == -EAGAIN || r == -EBUSY, "unload: refused while a link is open (%d)", r);
	close(link);
	for (i = 0; i < 500 && (r = try_unload()) != 0; i++)
		usleep(10000);
	ok_eq(r, 0, "unload: bpfdev unloads once the link is closed");
	snprintf(cmd, sizeof(cmd), "insmod %s", ko ? ko : "/bpfdev/bpfdev.ko");
	ok_eq(system(cmd), 0, "unload: bpfdev loads again");
	objs_init();
}

int main(void)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };
	long map, prog, fd;
	cpu_set_t set;

	objs_init();
	fd = prog_load_log(BPF_PROG_TYPE_PERF_EVENT, p, NINSNS(p), NULL, NULL, 0);
	if (fd < 0) {
		printf("1..0 # SKIP no perf event programs (%ld)\n", fd);
		return 0;
	}
	close(fd);
	tap_plan(0);

	busy_cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;
	CPU_ZERO(&set);
	CPU_SET(busy_cpu, &set);
	ok_eq(sched_setaffinity(0, sizeof(set), &set), 0, "pinned to CPU %d", busy_cpu);

	map = map_create(BPF_MAP_TYPE_ARRAY, 4, sizeof(struct samples), 1, 0);
	prog = map >= 0 ? sample_prog(map) : -1;
	if (ok(prog >= 0, "perf event program loads")) {
		test_rate(map, prog, BPFDEV_PERF_F_FREQ, FREQ, FREQ, 1000000000ULL / FREQ,
			  "99 Hz");
		test_rate(map, prog, 0, PERIOD_NS, 1e9 / PERIOD_NS, PERIOD_NS, "period 20 ms");
		test_every_cpu(map, prog);
		test_refusals(prog);
		close(prog);
	}
	if (map >= 0)
		close(map);
	ok(live_zero(), "nothing left");
	test_unload();
	return tap_done();
}
