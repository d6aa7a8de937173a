/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_TRACE_H
#define BPFDEV_TRACE_H

#include <linux/types.h>

struct bpfdev_file;
struct bpfdev_prog;
struct file;

/*
 * Tracing links (uapi BPFDEV_IOC_*_ATTACH, BPF_RAW_TRACEPOINT_OPEN): the
 * common part every kind shares (trace.c) and each kind's attach
 * (trace_kprobe.c, trace_uprobe.c, trace_tp.c, trace_raw_tp.c,
 * trace_perf.c).
 *
 * Lifetime: a link holds one reference on its program and one on the
 * module; its fd's release calls ops->detach, which unregisters the
 * probe and waits until no CPU still runs it (the kind's own sync:
 * unregister_kprobe(), tracepoint_synchronize_unregister(), ...), then
 * the link and its references are dropped.  The probe path reads
 * link->prog only: it never changes while the link is registered.
 */
struct bpfdev_trace_link;
struct seq_file;

struct bpfdev_trace_link_ops {
	/* Unregister and wait for running probes; may sleep. */
	void (*detach)(struct bpfdev_trace_link *link);
	/* Free the kind's part (the link itself is the kind's allocation). */
	void (*dealloc)(struct bpfdev_trace_link *link);
	/* The kind's own fdinfo lines, after the common ones; may be NULL. */
	void (*show_fdinfo)(const struct bpfdev_trace_link *link, struct seq_file *m);
};

struct bpfdev_trace_link {
	const struct bpfdev_trace_link_ops	*ops;
	struct bpfdev_prog			*prog;
	const char				*kind;	/* "kprobe", ... (fdinfo) */
};

/*
 * The program behind prog_fd for a tracing attach of prog_type, with a
 * reference, after the tracing privilege check (CAP_BPF and CAP_PERFMON,
 * or CAP_SYS_ADMIN): -EPERM, -EBADF, -EINVAL as the kernel.
 */
struct bpfdev_prog *bpfdev_trace_prog_get(int prog_fd, u32 prog_type);

/*
 * Give an initialised, already registered link an fd (O_CLOEXEC); on
 * failure the caller still owns link and detaches it itself.
 */
int bpfdev_trace_link_fd(struct bpfdev_trace_link *link);

/*
 * Run link's program on ctx from a probe (any context, preemption may be
 * on): skipped and counted in the program's recursion_misses when a
 * bpfdev program already runs on this CPU; run_cnt/run_time_ns counted.
 * Returns the program's r0, 0 when skipped.
 */
u64 bpfdev_trace_run(struct bpfdev_prog *prog, const void *ctx);

/* Whether a probe at addr would land in bpfdev's own code (refused). */
bool bpfdev_trace_addr_in_module(unsigned long addr);

long bpfdev_trace_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg);

/*
 * Each kind's attach ioctl, arg its struct bpfdev_*_attach: a link fd or
 * a negative errno (bpfdev_trace_ioctl() dispatches).
 */
int bpfdev_kprobe_attach(void __user *arg);
int bpfdev_uprobe_attach(void __user *arg);

#endif /* BPFDEV_TRACE_H */
