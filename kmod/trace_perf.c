// SPDX-License-Identifier: GPL-2.0
/*
 * Sampling (BPFDEV_IOC_PERF_ATTACH): a kernel perf counter per CPU, a
 * software clock by default, whose overflow runs the program with the
 * kernel's struct bpf_perf_event_data as context: the interrupted
 * registers, the sample period and the sample address, as 6.1's
 * bpf_overflow_handler() shows them through its converted context.
 * Also the per-CPU counter set the tracepoint links use (trace_tp.c).
 *
 * CPUs are those online at attach: a CPU that comes online later gets
 * no counter (CPU hotplug is not followed), and one that goes offline
 * keeps its counter, which perf no longer schedules.
 *
 * Lifetime: perf_event_release_kernel() takes a counter off its CPU
 * (an IPI), but an overflow handler that the IPI interrupted on that CPU
 * may still hold the link: handlers run with interrupts or preemption
 * off, so an RCU grace period after the release is what ends the last
 * one, before the link is freed.
 */

#include <linux/bpf_perf_event.h>
#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "prog.h"
#include "trace.h"
#include "trace_event.h"

/* The kernel's default perf_event_max_sample_rate (not exported). */
#define BPFDEV_PERF_MAX_FREQ	100000

struct bpfdev_perf_link {
	struct bpfdev_trace_link	link;
	struct perf_event		**events;
};

struct perf_event **
bpfdev_perf_events_create(struct perf_event_attr *attr, int cpu,
			  void (*handler)(struct perf_event *event,
					  struct perf_sample_data *data,
					  struct pt_regs *regs),
			  void *context)
{
	struct perf_event **events;
	int c, err = 0;

	events = kcalloc(nr_cpu_ids, sizeof(*events), GFP_KERNEL);
	if (!events)
		return ERR_PTR(-ENOMEM);
	/*
	 * Not under cpus_read_lock(), as register_wide_hw_breakpoint() is: a
	 * tracepoint event's init registers the tracepoint's probe, whose
	 * static call update takes that lock again (lockdep: recursive
	 * locking, a deadlock with a hotplug writer waiting between the two).
	 * The perf core checks, under the CPU context's mutex, that the CPU
	 * is online: one that went away meanwhile is ENODEV, skipped unless
	 * it was the one asked for.  A CPU that comes up later has no counter.
	 */
	if (cpu >= 0 && !cpu_online(cpu))
		err = -ENODEV;
	for_each_online_cpu(c) {
		if (err)
			break;
		if (cpu >= 0 && c != cpu)
			continue;
		events[c] = perf_event_create_kernel_counter(attr, c, NULL, handler,
							     context);
		if (IS_ERR(events[c])) {
			err = PTR_ERR(events[c]);
			events[c] = NULL;
			if (err == -ENODEV && cpu < 0)
				err = 0;
		}
	}
	if (err) {
		bpfdev_perf_events_release(events);
		return ERR_PTR(err);
	}
	return events;
}

void bpfdev_perf_events_release(struct perf_event **events)
{
	unsigned int c;

	for (c = 0; c < nr_cpu_ids; c++)
		if (events[c])
			perf_event_release_kernel(events[c]);
	kfree(events);
}

static void bpfdev_perf_overflow(struct perf_event *event,
				 struct perf_sample_data *data,
				 struct pt_regs *regs)
{
	struct bpfdev_perf_link *pl = event->overflow_handler_context;
	struct bpf_perf_event_data ctx;

	ctx.regs = *regs;
	ctx.sample_period = data->period;
	/* perf_sample_data_init() sets addr only when it is not zero. */
	ctx.addr = data->sample_flags & PERF_SAMPLE_ADDR ? data->addr : 0;
	bpfdev_trace_run(pl->link.prog, &ctx);
}

static void bpfdev_perf_detach(struct bpfdev_trace_link *link)
{
	struct bpfdev_perf_link *pl = container_of(link, struct bpfdev_perf_link, link);

	bpfdev_perf_events_release(pl->events);
	pl->events = NULL;
	synchronize_rcu();
}

static void bpfdev_perf_dealloc(struct bpfdev_trace_link *link)
{
	kfree(container_of(link, struct bpfdev_perf_link, link));
}

static const struct bpfdev_trace_link_ops bpfdev_perf_ops = {
	.detach		= bpfdev_perf_detach,
	.dealloc	= bpfdev_perf_dealloc,
};

/* The checks of sys_perf_event_open() that a kernel counter skips. */
static int bpfdev_perf_attr(const struct bpfdev_perf_attach *pa,
			    struct perf_event_attr *attr)
{
	if ((pa->flags & ~BPFDEV_PERF_F_FREQ) || pa->pad)
		return -EINVAL;
	if (pa->type != PERF_TYPE_SOFTWARE && pa->type != PERF_TYPE_HARDWARE)
		return -EINVAL;
	if (pa->cpu < -1 || (pa->cpu >= 0 && pa->cpu >= nr_cpu_ids))
		return -EINVAL;
	/* A program runs on samples only: a sampling event, as the kernel asks. */
	if (!pa->sample)
		return -EINVAL;
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = pa->type;
	attr->config = pa->config;
	if (pa->flags & BPFDEV_PERF_F_FREQ) {
		if (pa->sample > BPFDEV_PERF_MAX_FREQ)
			return -EINVAL;
		attr->freq = 1;
		attr->sample_freq = pa->sample;
	} else {
		if (pa->sample & (1ULL << 63))
			return -EINVAL;
		attr->sample_period = pa->sample;
	}
	return 0;
}

int bpfdev_perf_attach(void __user *arg)
{
	struct bpfdev_perf_attach pa;
	struct perf_event_attr attr;
	struct bpfdev_perf_link *pl;
	struct bpfdev_prog *prog;
	int err, fd;

	if (copy_from_user(&pa, arg, sizeof(pa)))
		return -EFAULT;
	err = bpfdev_perf_attr(&pa, &attr);
	if (err)
		return err;
	prog = bpfdev_trace_prog_get(pa.prog_fd, BPF_PROG_TYPE_PERF_EVENT);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	pl = kzalloc(sizeof(*pl), GFP_KERNEL);
	if (!pl) {
		err = -ENOMEM;
		goto put_prog;
	}
	pl->link.ops = &bpfdev_perf_ops;
	pl->link.prog = prog;
	pl->link.kind = "perf_event";
	pl->events = bpfdev_perf_events_create(&attr, pa.cpu, bpfdev_perf_overflow, pl);
	if (IS_ERR(pl->events)) {
		err = PTR_ERR(pl->events);
		/* Handlers of the counters made before the failure may still run. */
		synchronize_rcu();
		goto free;
	}
	fd = bpfdev_trace_link_fd(&pl->link);
	if (fd < 0) {
		bpfdev_perf_detach(&pl->link);
		bpfdev_perf_dealloc(&pl->link);
		bpfdev_prog_put(prog);
	}
	return fd;

free:
	kfree(pl);
put_prog:
	bpfdev_prog_put(prog);
	return err;
}
