// SPDX-License-Identifier: GPL-2.0
/*
 * What every tracing kind shares (trace.h): the privilege check and
 * program lookup of an attach, link fds, the run with its recursion guard
 * and statistics, and the dispatch of the attach ioctls to the kinds.
 *
 * Recursion: bpfdev_trace_active counts, per CPU, the tracing programs
 * running there, as the kernel's bpf_prog_active: a probe that fires
 * while one runs (in a helper, or in an interrupt taken meanwhile) skips
 * its program and counts a miss.  The counter is changed with preemption
 * off, so it is always this CPU's, and the running program's type beside
 * it (for the helpers that read the context by type) is only written by
 * the run that took the counter from 0 to 1.
 *
 * Statistics: run_cnt and run_time_ns cost two clock reads per run; the
 * kernel takes them only while bpf_stats_enabled is set, bpfdev while the
 * module parameter stats is (default on: who traces with bpfdev reads
 * them in bpfctl and the tests, and a benchmark turns them off to compare
 * with the kernel's default).  Misses are always counted, as the kernel's.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/bpf.h>
#include <linux/trace_events.h>
#include <uapi/linux/bpf_perf_event.h>

#include <linux/bpfdev.h>

#include "helpers_trace.h"
#include "objfd.h"
#include "prog.h"
#include "trace.h"
#include "trace_event.h"
#include "verifier.h"

static bool stats = true;
module_param(stats, bool, 0644);
MODULE_PARM_DESC(stats, "count tracing programs' run_cnt and run_time_ns (1, default)");

struct bpfdev_trace_cpu {
	int	active;		/* tracing programs running on this CPU */
	u32	prog_type;	/* of the outermost one */
};

static DEFINE_PER_CPU(struct bpfdev_trace_cpu, bpfdev_trace_cpu);

u32 bpfdev_trace_cur_type(void)
{
	return this_cpu_read(bpfdev_trace_cpu.prog_type);
}

u64 bpfdev_trace_run(struct bpfdev_prog *prog, const void *ctx)
{
	u64 ret = 0, start;

	/* kprobes come with preemption off; uprobes do not (6.1 adds it too) */
	preempt_disable();
	if (unlikely(__this_cpu_inc_return(bpfdev_trace_cpu.active) != 1)) {
		bpfdev_prog_inc_misses(prog);
		goto out;
	}
	__this_cpu_write(bpfdev_trace_cpu.prog_type, prog->type);
	rcu_read_lock();
	if (READ_ONCE(stats)) {
		start = sched_clock();
		ret = bpfdev_prog_run(prog, ctx);
		bpfdev_prog_stats_add(prog, sched_clock() - start);
	} else {
		ret = bpfdev_prog_run(prog, ctx);
	}
	rcu_read_unlock();
out:
	__this_cpu_dec(bpfdev_trace_cpu.active);
	preempt_enable();
	return ret;
}

struct bpfdev_prog *bpfdev_trace_prog_get(int prog_fd, u32 prog_type)
{
	struct bpfdev_prog *prog;

	/* the kernel's is_perfmon_prog_type() rule, asked again at attach */
	if (!bpfdev_capable() || !bpfdev_perfmon_capable())
		return ERR_PTR(-EPERM);
	prog = bpfdev_prog_get_from_fd(prog_fd, prog_type);
	/* kprobe_multi programs attach through kprobe_multi links (none here) */
	if (!IS_ERR(prog) && prog_type == BPF_PROG_TYPE_KPROBE &&
	    prog->expected_attach_type == BPF_TRACE_KPROBE_MULTI) {
		bpfdev_prog_put(prog);
		return ERR_PTR(-EINVAL);
	}
	return prog;
}

bool bpfdev_trace_addr_in_module(unsigned long addr)
{
	/* the JIT arena is in the module's .text: JITed programs too */
	return within_module(addr, THIS_MODULE);
}

/* ---- link fds ------------------------------------------------------------ */

static int bpfdev_trace_link_release(struct inode *inode, struct file *file)
{
	struct bpfdev_trace_link *link = file->private_data;
	struct bpfdev_prog *prog = link->prog;

	link->ops->detach(link);
	/* no signal the program queued may outlive the module */
	bpfdev_trace_helpers_sync();
	link->ops->dealloc(link);
	bpfdev_prog_put(prog);
	return 0;
}

/* As the kernel's bpf_link_show_fdinfo(), without link ids. */
static void bpfdev_trace_link_show_fdinfo(struct seq_file *m, struct file *file)
{
	const struct bpfdev_trace_link *link = file->private_data;

	seq_printf(m, "link_type:\t%s\nprog_tag:\t%*phN\nprog_id:\t%u\n",
		   link->kind, BPF_TAG_SIZE, link->prog->tag, link->prog->id);
	if (link->ops->show_fdinfo)
		link->ops->show_fdinfo(link, m);
}

static const struct file_operations bpfdev_trace_link_fops = {
	.owner		= THIS_MODULE,
	.show_fdinfo	= bpfdev_trace_link_show_fdinfo,
	.release	= bpfdev_trace_link_release,
};

int bpfdev_trace_link_fd(struct bpfdev_trace_link *link)
{
	/* the file's .owner is the link's module reference */
	return anon_inode_getfd("bpf_link", &bpfdev_trace_link_fops, link,
				O_RDWR | O_CLOEXEC);
}

/* ---- ioctls -------------------------------------------------------------- */

long bpfdev_trace_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg)
{
	/* the portable verifier's sizes are the kernel's (verifier.h) */
	BUILD_BUG_ON(sizeof(struct pt_regs) != BPFDEV_PT_REGS_SIZE);
	BUILD_BUG_ON(PERF_MAX_TRACE_SIZE != BPFDEV_PERF_MAX_TRACE_SIZE);
	BUILD_BUG_ON(MAX_BPF_FUNC_ARGS != BPFDEV_MAX_BPF_FUNC_ARGS);
	BUILD_BUG_ON(sizeof(struct bpf_perf_event_data) != BPFDEV_PERF_EVENT_DATA_SIZE);
	BUILD_BUG_ON(offsetof(struct bpf_perf_event_data, sample_period) !=
		     BPFDEV_PERF_EVENT_SAMPLE_PERIOD);
	BUILD_BUG_ON(offsetof(struct bpf_perf_event_data, addr) != BPFDEV_PERF_EVENT_ADDR);

	switch (cmd) {
	case BPFDEV_IOC_KPROBE_ATTACH:
		return bpfdev_kprobe_attach(arg);
	case BPFDEV_IOC_UPROBE_ATTACH:
		return bpfdev_uprobe_attach(arg);
	case BPFDEV_IOC_TP_ATTACH:
		return bpfdev_tp_attach(arg);
	case BPFDEV_IOC_PERF_ATTACH:
		return bpfdev_perf_attach(arg);
	default:
		return -ENOTTY;
	}
}
