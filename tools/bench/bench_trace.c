// SPDX-License-Identifier: GPL-2.0
/*
 * bench_trace: the cost per event of a kprobe program that counts in a
 * per-CPU array, on a hot syscall path (getppid(), its handler probed),
 * bpfdev's against the kernel's own, inside the guest (tools/bench/
 * bench_trace.sh boots it).  Setups, back to back in each round:
 *   - nothing probed;
 *   - a kernel kprobe perf event (the kprobe PMU) counting, no program:
 *     the kprobe and the kernel's perf record of each hit;
 *   - the kernel's BPF: the same program loaded by bpf(2) as
 *     BPF_PROG_TYPE_KPROBE, attached with PERF_EVENT_IOC_SET_BPF;
 *   - bpfdev: the same instructions loaded through /dev/bpf, attached
 *     with BPFDEV_IOC_KPROBE_ATTACH, with bpfdev's run statistics off
 *     (as the kernel's bpf_stats_enabled is by default) and on.
 * A round times CALLS getppid() calls pinned to one CPU per setup; the
 * cost of an event is the setup's ns per call less nothing's, medians
 * over the rounds (the host's load moves absolute times from one second
 * to the next, under TCG more than anywhere).  Each program's counter
 * must have seen at least the calls made while it was attached.
 *
 *	bench_trace [CALLS [ROUNDS [FUNC]]]
 */

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "objs.h"

#define STATS_PARAM	"/sys/module/bpfdev/parameters/stats"
#define KPROBE_TYPE	"/sys/bus/event_source/devices/kprobe/type"
#define MAX_ROUNDS	64
#define MAX_CPUS	64

enum setup { NONE, PERF_KPROBE, KERNEL_BPF, BPFDEV, BPFDEV_STATS, NR_SETUPS };

static const char *const setup_names[NR_SETUPS] = {
	[NONE]		= "nothing probed",
	[PERF_KPROBE]	= "kernel kprobe perf event, counting",
	[KERNEL_BPF]	= "kernel BPF kprobe program",
	[BPFDEV]	= "bpfdev kprobe program",
	[BPFDEV_STATS]	= "bpfdev, run statistics on",
};

static const char *func = "__x64_sys_getppid";
static long calls = 200000;
static int rounds = 9;
static double ns[NR_SETUPS][MAX_ROUNDS];
static int counts_short;

static long kbpf(int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/* The program both engines run: counter[0]++ in this CPU's slot. */
static void count_prog(struct bpf_insn *p, int map)
{
	struct bpf_insn insns[] = {
		ST_MEM(BPF_W, 10, -4, 0),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 3),
		LDX_MEM(BPF_DW, 1, 0, 0),
		ALU64_IMM(BPF_ADD, 1, 1),
		STX_MEM(BPF_DW, 0, 1, 0),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	memcpy(p, insns, sizeof(insns));
}

#define COUNT_INSNS	12

static void percpu_attr(union bpf_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	a->key_size = 4;
	a->value_size = 8;
	a->max_entries = 1;
}

static void load_attr(union bpf_attr *a, const struct bpf_insn *p)
{
	memset(a, 0, sizeof(*a));
	a->prog_type = BPF_PROG_TYPE_KPROBE;
	a->insns = (uintptr_t)p;
	a->insn_cnt = COUNT_INSNS;
	a->license = (uintptr_t)"GPL";
}

/* The sum of a per-CPU counter's slots. */
static uint64_t percpu_sum(int map, int kernel)
{
	uint64_t v[MAX_CPUS] = { 0 }, sum = 0;
	__u32 k = 0;
	union bpf_attr a;
	int i;

	memset(&a, 0, sizeof(a));
	a.map_fd = map;
	a.key = (uintptr_t)&k;
	a.value = (uintptr_t)v;
	if (kernel ? kbpf(BPF_MAP_LOOKUP_ELEM, &a) : sys(BPF_MAP_LOOKUP_ELEM, &a))
		return 0;
	for (i = 0; i < MAX_CPUS; i++)
		sum += v[i];
	return sum;
}

static double time_calls(void)
{
	struct timespec t0, t1;
	long i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < calls; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / calls;
}

/*
 * A kprobe perf event on func (the kprobe PMU), enabled, sampling every
 * hit (as libbpf opens it for a program) or counting: an fd or -errno.
 */
static int perf_kprobe(int sampling)
{
	struct perf_event_attr attr;
	char buf[32];
	FILE *f = fopen(KPROBE_TYPE, "r");
	int type, fd;

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -ENOENT;
	}
	fclose(f);
	type = atoi(buf);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (uintptr_t)func;		/* kprobe_func */
	attr.config2 = 0;			/* probe_offset */
	attr.sample_period = sampling;
	attr.wakeup_events = sampling;
	/* libbpf's perf_event_kprobe_open_opts(): every task, CPU 0 */
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

struct engine {
	int map, prog, link;
};

static int kernel_attach(struct engine *e)
{
	struct bpf_insn p[COUNT_INSNS];
	union bpf_attr a;

	percpu_attr(&a);
	e->map = kbpf(BPF_MAP_CREATE, &a);
	if (e->map < 0)
		return e->map;
	count_prog(p, e->map);
	load_attr(&a, p);
	e->prog = kbpf(BPF_PROG_LOAD, &a);
	if (e->prog < 0)
		return e->prog;
	e->link = perf_kprobe(1);
	if (e->link < 0)
		return e->link;
	return ioctl(e->link, PERF_EVENT_IOC_SET_BPF, e->prog) < 0 ? -errno : 0;
}

static int bpfdev_attach(struct engine *e)
{
	struct bpf_insn p[COUNT_INSNS];
	struct bpfdev_kprobe_attach k;
	union bpf_attr a;

	percpu_attr(&a);
	e->map = sys(BPF_MAP_CREATE, &a);
	if (e->map < 0)
		return e->map;
	count_prog(p, e->map);
	load_attr(&a, p);
	e->prog = sys(BPF_PROG_LOAD, &a);
	if (e->prog < 0)
		return e->prog;
	memset(&k, 0, sizeof(k));
	k.prog_fd = e->prog;
	k.func = (uintptr_t)func;
	e->link = ioctl_err(devfd, BPFDEV_IOC_KPROBE_ATTACH, &k);
	return e->link < 0 ? e->link : 0;
}

static void engine_close(struct engine *e)
{
	if (e->link >= 0)
		close(e->link);
	if (e->prog >= 0)
		close(e->prog);
	if (e->map >= 0)
		close(e->map);
}

static void set_stats(int on)
{
	FILE *f = fopen(STATS_PARAM, "w");

	if (f) {
		fputs(on ? "1" : "0", f);
		fclose(f);
	}
}

/* One measurement of setup s; 0, or -errno when it could not be set up. */
static int measure(enum setup s, int round)
{
	struct engine e = { -1, -1, -1 };
	uint64_t seen = 0;
	int err = 0, kernel = 0;

	switch (s) {
	case NONE:
		break;
	case PERF_KPROBE:
		e.link = perf_kprobe(0);
		err = e.link < 0 ? e.link : 0;
		break;
	case KERNEL_BPF:
		kernel = 1;
		err = kernel_attach(&e);
		break;
	case BPFDEV:
	case BPFDEV_STATS:
		set_stats(s == BPFDEV_STATS);
		err = bpfdev_attach(&e);
		break;
	default:
		break;
	}
	if (!err) {
		ns[s][round] = time_calls();
		if (e.map >= 0) {
			seen = percpu_sum(e.map, kernel);
			if (seen < (uint64_t)calls) {
				fprintf(stderr, "%s: counted %llu of %ld calls\n", setup_names[s],
					(unsigned long long)seen, calls);
				counts_short++;
			}
		}
	}
	engine_close(&e);
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	double med[NR_SETUPS], cost[NR_SETUPS];
	int failed[NR_SETUPS] = { 0 };
	cpu_set_t set;
	int r, s, err;

	if (argc > 1)
		calls = atol(argv[1]);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (argc > 3)
		func = argv[3];
	if (calls <= 0 || rounds <= 0 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: bench_trace [CALLS [ROUNDS [FUNC]]]\n");
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	objs_init();

	for (r = 0; r < rounds; r++) {
		for (s = 0; s < NR_SETUPS; s++) {
			err = measure(s, r);
			if (err && !failed[s]) {
				fprintf(stderr, "%s: %s\n", setup_names[s], strerror(-err));
				failed[s] = 1;
			}
		}
	}
	set_stats(1);

	for (s = 0; s < NR_SETUPS; s++) {
		med[s] = median(ns[s], rounds);
		cost[s] = med[s] - med[NONE];
	}
	printf("bench_trace: kprobe on %s, a per-CPU counter incremented per event, %d rounds of %ld getppid() calls\n",
	       func, rounds, calls);
	printf("%-32s %12s %14s %14s\n", "setup", "ns/call", "ns/event", "vs kernel BPF");
	for (s = 0; s < NR_SETUPS; s++) {
		if (failed[s]) {
			printf("%-32s %12s\n", setup_names[s], "failed");
			continue;
		}
		printf("%-32s %12.1f ", setup_names[s], med[s]);
		if (s == NONE)
			printf("%14s %14s\n", "-", "-");
		else if (failed[KERNEL_BPF] || cost[KERNEL_BPF] <= 0)
			printf("%14.1f %14s\n", cost[s], "-");
		else
			printf("%14.1f %13.2fx\n", cost[s], cost[s] / cost[KERNEL_BPF]);
	}
	printf("# ns/call per round:");
	for (s = 0; s < NR_SETUPS; s++) {
		printf(" %s [", setup_names[s]);
		for (r = 0; r < rounds; r++)
			printf(" %.0f", ns[s][r]);
		printf(" ]");
	}
	printf("\n");
	return counts_short || failed[BPFDEV] || failed[KERNEL_BPF] ? 1 : 0;
}
