/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_PROF_H
#define BPFDEV_CAPTURE_PROF_H

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/timekeeping.h>
#include <linux/types.h>

/*
 * Where the capture path's time goes, per packet and stage: a debug knob,
 * the module parameter capture_profile (writing 1 clears the counters
 * and starts, 0 stops, reading prints them).  Off by default, and then
 * every mark is a static branch patched to a jump over it.  Marks read
 * the clock (ktime_get_ns()), which perf under TCG cannot stand in for;
 * the clock's own cost is measured as a stage of its own, to be taken
 * off the others.
 */
enum bpfdev_prof_stage {
	BPFDEV_PROF_HOOK,	/* the whole tap hook, every mark inside included */
	BPFDEV_PROF_CLOCK,	/* one mark: a clock read and two per-CPU adds */
	BPFDEV_PROF_VIEW,	/* the view, built once per packet and view */
	BPFDEV_PROF_FILTER,	/* the filter's verdict, its context included */
	BPFDEV_PROF_RESERVE,	/* a ring record (or a drop) */
	BPFDEV_PROF_FILL,	/* timestamp, header and bytes */
	BPFDEV_PROF_COMMIT,	/* publishing the record, the wakeup policy */
	BPFDEV_PROF_NR
};

struct bpfdev_prof_pcpu {
	u64	ns[BPFDEV_PROF_NR];
	u64	n[BPFDEV_PROF_NR];
};

DECLARE_STATIC_KEY_FALSE(bpfdev_prof_on);
DECLARE_PER_CPU(struct bpfdev_prof_pcpu, bpfdev_prof);

/* A stage's start time while profiling, else 0. */
static __always_inline u64 bpfdev_prof_now(void)
{
	return static_branch_unlikely(&bpfdev_prof_on) ? ktime_get_ns() : 0;
}

/* Charge the time since *t to stage s; *t starts the next (BHs off). */
static __always_inline void bpfdev_prof_mark(u64 *t, enum bpfdev_prof_stage s)
{
	u64 now;

	/* *t is 0 when profiling started after the packet did. */
	if (!static_branch_unlikely(&bpfdev_prof_on) || !*t)
		return;
	now = ktime_get_ns();
	__this_cpu_add(bpfdev_prof.ns[s], now - *t);
	__this_cpu_inc(bpfdev_prof.n[s]);
	*t = now;
}

#endif /* BPFDEV_CAPTURE_PROF_H */
