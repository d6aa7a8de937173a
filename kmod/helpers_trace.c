// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing helpers, with 6.1's semantics (kernel/trace/bpf_trace.c,
 * kernel/bpf/helpers.c, kernel/bpf/stackmap.c).  They run in the program's
 * context: preemption off, any context a probe fires in (process, softirq,
 * hardirq); nothing here sleeps or allocates.
 *
 * Strings are read a page-bounded chunk at a time, because the kernel's
 * strncpy_from_{kernel,user}_nofault() are not exported: a chunk faults
 * only where the byte-wise copy would, and only the bytes up to the NUL
 * reach the program's buffer, as the kernel's never copies past it.
 *
 * Stacks: the kernel's get_perf_callchain() is not exported either.  A
 * kernel stack is the probe's ip and then the ORC unwinder from its
 * registers (unwind_start() is exported), as perf_callchain_kernel()
 * walks it; a user stack (stack_trace_save_user() is not exported) walks
 * the frame-pointer chain from the task's user registers with
 * copy_from_user_nofault(), as perf_callchain_user() does.
 */

#include <linux/cred.h>
#include <linux/irq_work.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/perf_event.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/unwind.h>

#include "helpers_trace.h"
#include "map.h"

/* ---- memory ----------------------------------------------------------------- */

u64 bpfdev_probe_read_user(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	void *d = (void *)(unsigned long)dst;
	long ret;

	ret = copy_from_user_nofault(d, (const void __user *)(unsigned long)unsafe_ptr,
				     (u32)size);
	if (unlikely(ret < 0))
		memset(d, 0, (u32)size);
	return ret;
}

u64 bpfdev_probe_read_kernel(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	void *d = (void *)(unsigned long)dst;
	long ret;

	ret = copy_from_kernel_nofault(d, (const void *)(unsigned long)unsafe_ptr,
				       (u32)size);
	if (unlikely(ret < 0))
		memset(d, 0, (u32)size);
	return ret;
}

/* Up to a NUL or count bytes; the length read, NUL included; -EFAULT, -ERANGE. */
static long bpfdev_read_str(char *dst, unsigned long src, u32 count, bool user)
{
	char chunk[64];
	u32 done = 0;

	while (done < count) {
		unsigned long addr = src + done;
		u32 n = min3(count - done, (u32)sizeof(chunk),
			     (u32)(PAGE_SIZE - offset_in_page(addr)));
		const char *nul;
		long err;

		if (user)
			err = copy_from_user_nofault(chunk, (const void __user *)addr, n);
		else
			err = copy_from_kernel_nofault(chunk, (const void *)addr, n);
		if (err)
			return err;
		nul = memchr(chunk, 0, n);
		if (nul) {
			memcpy(dst + done, chunk, nul - chunk + 1);
			return done + (nul - chunk) + 1;
		}
		memcpy(dst + done, chunk, n);
		done += n;
	}
	return -E2BIG;	/* no NUL within count */
}

/*
 * strncpy_from_user_nofault() as 6.1's bpf_probe_read_user_str() sees it:
 * the length with the NUL, count when truncated (the last byte made NUL),
 * and 0, not 1, for an empty string (strncpy_from_user() returned 0).
 */
u64 bpfdev_probe_read_user_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	char *d = (char *)(unsigned long)dst;
	u32 count = size;
	long ret;

	if (unlikely(!count))
		return 0;
	ret = bpfdev_read_str(d, unsafe_ptr, count, true);
	if (ret == -E2BIG) {
		d[count - 1] = 0;
		ret = count;
	} else if (ret == 1) {
		ret = 0;
	}
	if (unlikely(ret < 0))
		memset(d, 0, count);
	return ret;
}

/* strncpy_from_kernel_nofault(): as above, but 1 for an empty string. */
u64 bpfdev_probe_read_kernel_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	char *d = (char *)(unsigned long)dst;
	u32 count = size;
	long ret;

	if (unlikely(!count))
		return 0;
	ret = bpfdev_read_str(d, unsafe_ptr, count, false);
	if (ret == -E2BIG) {
		d[count - 1] = 0;
		ret = count;
	}
	if (unlikely(ret < 0))
		memset(d, 0, count);
	return ret;
}

/*
 * bpf_probe_read() and bpf_probe_read_str(), for old programs: x86 has
 * non-overlapping address spaces, so 6.1 reads an address below
 * TASK_SIZE as user memory and the others as kernel memory.
 */
u64 bpfdev_probe_read_compat(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	if (unsafe_ptr < TASK_SIZE)
		return bpfdev_probe_read_user(dst, size, unsafe_ptr, r4, r5);
	return bpfdev_probe_read_kernel(dst, size, unsafe_ptr, r4, r5);
}

u64 bpfdev_probe_read_compat_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5)
{
	if (unsafe_ptr < TASK_SIZE)
		return bpfdev_probe_read_user_str(dst, size, unsafe_ptr, r4, r5);
	return bpfdev_probe_read_kernel_str(dst, size, unsafe_ptr, r4, r5);
}

/* ---- the current task ------------------------------------------------------- */

u64 bpfdev_get_current_pid_tgid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct task_struct *task = current;

	return (u64)task->tgid << 32 | task->pid;
}

u64 bpfdev_get_current_uid_gid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	kuid_t uid;
	kgid_t gid;

	current_uid_gid(&uid, &gid);
	return (u64)from_kgid(&init_user_ns, gid) << 32 |
	       from_kuid(&init_user_ns, uid);
}

u64 bpfdev_get_current_comm(u64 buf, u64 size, u64 r3, u64 r4, u64 r5)
{
	/* the verifier guarantees size > 0 */
	strscpy((char *)(unsigned long)buf, current->comm, (u32)size);
	return 0;
}

u64 bpfdev_get_current_task(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return (unsigned long)current;
}

/* ---- send_signal -------------------------------------------------------------- */

/*
 * With preemption or interrupts off (every probe here) the signal goes
 * from an irq_work, as 6.1's bpf_send_signal_common(): one in flight per
 * CPU (-EBUSY else), the task held until it is sent.
 */
struct bpfdev_signal_work {
	struct irq_work		irq_work;
	struct task_struct	*task;
	u32			sig;
};

static void bpfdev_do_send_signal(struct irq_work *entry)
{
	struct bpfdev_signal_work *work =
		container_of(entry, struct bpfdev_signal_work, irq_work);

	/* send_sig_info() is process-directed (PIDTYPE_TGID), as bpf_send_signal() */
	send_sig_info(work->sig, SEND_SIG_PRIV, work->task);
	put_task_struct(work->task);
}

static DEFINE_PER_CPU(struct bpfdev_signal_work, bpfdev_signal_work) = {
	.irq_work = IRQ_WORK_INIT(bpfdev_do_send_signal),
};

u64 bpfdev_send_signal(u64 sig, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct bpfdev_signal_work *work;

	if (unlikely(current->flags & (PF_KTHREAD | PF_EXITING)))
		return -EPERM;
	/*
	 * 6.1 also asks nmi_uaccess_okay() (cpu_tlbstate, not exported):
	 * in NMI bpfdev refuses, where 6.1 refuses only mid-switch_mm.
	 */
	if (unlikely(in_nmi()))
		return -EPERM;
	/* Task should not be pid=1 to avoid kernel panic. */
	if (unlikely(is_global_init(current)))
		return -EPERM;
	if (preempt_count() == 0 && !irqs_disabled())
		return send_sig_info((u32)sig, SEND_SIG_PRIV, current);

	/* the error would be lost in the deferred work */
	if (unlikely(!valid_signal((u32)sig)))
		return -EINVAL;
	work = this_cpu_ptr(&bpfdev_signal_work);
	if (irq_work_is_busy(&work->irq_work))
		return -EBUSY;
	work->task = get_task_struct(current);
	work->sig = sig;
	irq_work_queue(&work->irq_work);
	return 0;
}

void bpfdev_trace_helpers_sync(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu(bpfdev_signal_work, cpu).irq_work);
}

/* ---- stacks ------------------------------------------------------------------- */

/*
 * The registers the probe saw: a kprobe's context is its pt_regs, a
 * perf event's struct bpf_perf_event_data starts with them, and a
 * tracepoint's record holds a pointer to them in its first 8 bytes (the
 * kernel's perf buffer does the same; NULL: none).  Raw tracepoints have
 * none: the walk starts here and leaves bpfdev's own frames out.
 */
static struct pt_regs *bpfdev_trace_regs(const void *ctx)
{
	switch (bpfdev_trace_cur_type()) {
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_PERF_EVENT:
		return (struct pt_regs *)ctx;
	case BPF_PROG_TYPE_TRACEPOINT:
		return *(struct pt_regs * const *)ctx;
	default:
		return NULL;
	}
}

/* perf_callchain_kernel() */
static u32 bpfdev_stack_kernel(struct pt_regs *regs, u64 *ips, u32 max)
{
	struct unwind_state state;
	unsigned long addr;
	u32 nr = 0;

	if (regs) {
		ips[nr++] = regs->ip;
		if (regs->flags & X86_EFLAGS_FIXED)	/* perf_hw_regs() */
			unwind_start(&state, current, regs, NULL);
		else
			unwind_start(&state, current, NULL, (void *)regs->sp);
	} else {
		unwind_start(&state, current, NULL, NULL);
	}
	for (; nr < max && !unwind_done(&state); unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		if (!regs && within_module(addr, THIS_MODULE))
			continue;
		ips[nr++] = addr;
	}
	return nr;
}

/* perf_callchain_user(): the frame-pointer chain of the user stack. */
static u32 bpfdev_stack_user(struct pt_regs *regs, u64 *ips, u32 max)
{
	struct {
		unsigned long next_frame;
		unsigned long return_address;
	} frame;
	unsigned long fp;
	u32 nr = 0;

	if (!regs || !user_mode(regs)) {
		if (!current->mm || (current->flags & PF_KTHREAD))
			return 0;
		regs = task_pt_regs(current);
	}
	ips[nr++] = regs->ip;
	fp = regs->bp;
	while (nr < max) {
		/* valid_user_frame() */
		if (!fp || fp + sizeof(frame) > TASK_SIZE || fp + sizeof(frame) < fp)
			break;
		if (copy_from_user_nofault(&frame, (const void __user *)fp, sizeof(frame)))
			break;
		ips[nr++] = frame.return_address;
		fp = frame.next_frame;
	}
	return nr;
}

/* One walk per CPU at a time: a program does not run nested (trace.c). */
static DEFINE_PER_CPU(u64 [BPFDEV_STACK_MAX_DEPTH], bpfdev_stack_ips);

static u32 bpfdev_stack_collect(const void *ctx, bool user, u32 max, u64 **ips)
{
	struct pt_regs *regs = bpfdev_trace_regs(ctx);

	*ips = *this_cpu_ptr(&bpfdev_stack_ips);
	max = min_t(u32, max, BPFDEV_STACK_MAX_DEPTH);
	if (user)
		return bpfdev_stack_user(regs, *ips, max);
	return bpfdev_stack_kernel(regs, *ips, max);
}

u64 bpfdev_get_stackid(u64 ctx, u64 map, u64 flags, u64 r4, u64 r5)
{
	struct bpfdev_map *m = (struct bpfdev_map *)(unsigned long)map;
	u32 skip = flags & BPF_F_SKIP_FIELD_MASK;
	u32 max_depth = m->value_size / sizeof(u64);
	u64 *ips;
	u32 nr;

	if (unlikely(flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK |
			       BPF_F_FAST_STACK_CMP | BPF_F_REUSE_STACKID)))
		return -EINVAL;
	nr = bpfdev_stack_collect((const void *)(unsigned long)ctx,
				  flags & BPF_F_USER_STACK, max_depth + skip, &ips);
	/* skipping more than usable stack trace */
	if (nr <= skip)
		return -EFAULT;
	return bpfdev_stackmap_get_stackid(m, ips + skip, nr - skip, flags);
}

u64 bpfdev_get_stack(u64 ctx, u64 buf, u64 size, u64 flags, u64 r5)
{
	u32 skip = flags & BPF_F_SKIP_FIELD_MASK, len = size, num_elem, nr;
	void *b = (void *)(unsigned long)buf;
	long err = -EINVAL;
	u64 *ips;

	/* BPF_F_USER_BUILD_ID: build ids are not offered (EINVAL; uapi list) */
	if (unlikely(flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK)))
		goto clear;
	if (unlikely(len % sizeof(u64)))
		goto clear;
	num_elem = len / sizeof(u64);
	nr = bpfdev_stack_collect((const void *)(unsigned long)ctx,
				  flags & BPF_F_USER_STACK, num_elem + skip, &ips);
	if (nr < skip) {
		err = -EFAULT;
		goto clear;
	}
	nr = min(nr - skip, num_elem);
	memcpy(b, ips + skip, nr * sizeof(u64));
	if (len > nr * sizeof(u64))
		memset(b + nr * sizeof(u64), 0, len - nr * sizeof(u64));
	return nr * sizeof(u64);
clear:
	memset(b, 0, len);
	return err;
}
