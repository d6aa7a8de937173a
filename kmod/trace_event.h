/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_TRACE_EVENT_H
#define BPFDEV_TRACE_EVENT_H

#include <linux/types.h>

struct bpfdev_file;
struct perf_event;
struct perf_event_attr;
struct perf_sample_data;
struct pt_regs;
union bpf_attr;

/*
 * Tracing links on kernel events rather than on probed code:
 * tracepoints (trace_tp.c), raw tracepoints (trace_raw_tp.c) and
 * sampling (trace_perf.c).  Each runs its program through
 * bpfdev_trace_run() (trace.h).
 */

/* BPFDEV_IOC_TP_ATTACH: a link fd or -errno. */
int bpfdev_tp_attach(void __user *arg);

/* BPFDEV_IOC_PERF_ATTACH: a link fd or -errno. */
int bpfdev_perf_attach(void __user *arg);

/* BPF_RAW_TRACEPOINT_OPEN of the bpf() mirror: a link fd or -errno. */
int bpfdev_cmd_raw_tp_open(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size);

/*
 * A kernel counter of attr on each online CPU (cpu < 0) or on cpu only,
 * each calling handler with context on overflow: an array of nr_cpu_ids
 * slots (NULL where none), or an ERR_PTR.  Handlers may run as soon as
 * the first counter exists, and after bpfdev_perf_events_release()
 * until the caller's RCU grace period: wait for one before freeing what
 * context points to, on failure too.
 */
struct perf_event **
bpfdev_perf_events_create(struct perf_event_attr *attr, int cpu,
			  void (*handler)(struct perf_event *event,
					  struct perf_sample_data *data,
					  struct pt_regs *regs),
			  void *context);
void bpfdev_perf_events_release(struct perf_event **events);

#endif /* BPFDEV_TRACE_EVENT_H */
