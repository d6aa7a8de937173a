// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers programs call, at the kernel's helper ids.  They run in the
 * program's context (softirq or bh-disabled, under RCU): nothing here may
 * sleep or allocate.
 *
 * bpf_trace_printk() output goes to a 64 KiB FIFO read (and consumed) from
 * /sys/kernel/debug/bpfdev/trace_pipe; writers are rate-limited and a line
 * that does not fit is dropped and counted (the "trace_dropped" file).
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kfifo.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/poll.h>
#include <linux/prandom.h>
#include <linux/ratelimit.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "helpers.h"
#include "helpers_tc.h"
#include "helpers_trace.h"
#include "map.h"
#include "printk_fmt.h"
#include "skb.h"
#include "debugfs.h"

/* ---- maps ------------------------------------------------------------------ */

/* Direct calls for the common types; the others go through their ops. */
static u64 bpfdev_map_lookup_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	struct bpfdev_map *m = (struct bpfdev_map *)(unsigned long)map;
	const void *k = (const void *)(unsigned long)key;

	switch (m->type) {
	case BPF_MAP_TYPE_ARRAY:
		return (unsigned long)bpfdev_array_lookup(m, k);
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return (unsigned long)bpfdev_htab_lookup(m, k);
	case BPF_MAP_TYPE_LPM_TRIE:
		return (unsigned long)bpfdev_lpm_lookup(m, k);
	default:
		return (unsigned long)m->ops->lookup(m, k);
	}
}

/*
 * The kernel's verifier turns these helper calls into direct calls of the
 * map's op, so programs see its error as that op returns it: zero-extended
 * from 32 bits before 6.4 (-EEXIST is 0xffffffef in r0), sign-extended
 * since (bpfdev_map_op_ret()).
 */
static u64 bpfdev_map_update_elem(u64 map, u64 key, u64 value, u64 flags, u64 r5)
{
	struct bpfdev_map *m = (struct bpfdev_map *)(unsigned long)map;
	const void *k = (const void *)(unsigned long)key;
	const void *v = (const void *)(unsigned long)value;

	switch (m->type) {
	case BPF_MAP_TYPE_ARRAY:
		return bpfdev_map_op_ret(bpfdev_array_update(m, k, v, flags));
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return bpfdev_map_op_ret(bpfdev_htab_update(m, k, v, flags));
	default:
		return bpfdev_map_op_ret(m->ops->update(m, k, v, flags));
	}
}

static u64 bpfdev_map_delete_elem(u64 map, u64 key, u64 r3, u64 r4, u64 r5)
{
	struct bpfdev_map *m = (struct bpfdev_map *)(unsigned long)map;

	return bpfdev_map_op_ret(m->ops->delete(m, (const void *)(unsigned long)key));
}

/* ---- time, randomness, CPU ------------------------------------------------- */

static u64 bpfdev_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return ktime_get_mono_fast_ns();
}

static u64 bpfdev_ktime_get_boot_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return ktime_get_boot_fast_ns();
}

/*
 * A per-CPU pseudo-random state, as the kernel's bpf_user_rnd_u32(): a
 * tracing program runs in int3 and NMI-like context, where
 * get_random_u32()'s batched-entropy lock may not be taken (lockdep:
 * "inconsistent {INITIAL USE} -> {IN-NMI}").
 */
static DEFINE_PER_CPU(struct rnd_state, bpfdev_rnd_state);

static u64 bpfdev_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	struct rnd_state *state = get_cpu_ptr(&bpfdev_rnd_state);
	u32 r = prandom_u32_state(state);

	put_cpu_ptr(&bpfdev_rnd_state);
	return r;
}

static u64 bpfdev_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return raw_smp_processor_id();
}

/*
 * The engine performs tail calls itself (through env->tail_call_target);
 * this slot only marks the helper as offered.
 */
static u64 bpfdev_tail_call(u64 ctx, u64 map, u64 index, u64 r4, u64 r5)
{
	return 0;
}

/* ---- packets ----------------------------------------------------------------- */

static u64 bpfdev_skb_load_bytes_helper(u64 ctx, u64 off, u64 to, u64 len, u64 r5)
{
	const struct bpfdev_skb *skb = (const void *)(unsigned long)ctx;
	void *dst = (void *)(unsigned long)to;
	int err = -EFAULT;

	if (likely(off <= U32_MAX))
		err = bpfdev_skb_load_bytes(skb, off, dst, len);
	if (unlikely(err))
		memset(dst, 0, len);	/* as the kernel: no stale stack */
	return err;
}

static u64 bpfdev_skb_pay_offset_helper(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_skb_pay_offset((const void *)(unsigned long)ctx);
}

/* ---- trace_printk ------------------------------------------------------------ */

static DEFINE_KFIFO(bpfdev_trace_fifo, char, 65536);
/* raw: taken with interrupts off, which PREEMPT_RT's sleeping locks may not be */
static DEFINE_RAW_SPINLOCK(bpfdev_trace_lock);
static DEFINE_MUTEX(bpfdev_trace_read_mutex);
static DECLARE_WAIT_QUEUE_HEAD(bpfdev_trace_wq);
/*
 * Readers are woken from an irq_work, as the ringbuf's: a program in a
 * kprobe (int3, NMI-like) or inside the scheduler may not take the wait
 * queue's lock (lockdep: "inconsistent {INITIAL USE} -> {IN-NMI}").
 */
static struct irq_work bpfdev_trace_work;
static DEFINE_RATELIMIT_STATE(bpfdev_trace_rs, HZ, 1000);
/* Used with interrupts off: a nested program cannot share it. */
static DEFINE_PER_CPU(struct bpfdev_printk_buf, bpfdev_trace_buf);
static atomic_t bpfdev_trace_dropped;

/*
 * A %s, %pks or %pus argument: any address a program passes, read without
 * faulting, as bpf_trace_copy_string() does (%s of an address below
 * TASK_SIZE reads user memory); the byte-wise copy stands in for
 * strncpy_from_*_nofault(), which are not exported.
 */
static long bpfdev_trace_read_str(char *dst, u64 addr, u32 size, char kind)
{
	bool user = kind == 'u' || (kind == 's' && addr < TASK_SIZE);
	const char *src = (const char *)(unsigned long)addr;
	long err;
	u32 i;

	for (i = 0; i < size; i++) {
		if (user)
			err = copy_from_user_nofault(&dst[i],
						     (const char __user *)src + i, 1);
		else
			err = copy_from_kernel_nofault(&dst[i], src + i, 1);
		if (err) {
			dst[0] = 0;
			return err;
		}
		if (!dst[i])
			return i + 1;
	}
	dst[size - 1] = 0;
	return size;
}

/* %pI4 and %pI6 read kernel memory only, as in the kernel. */
static int bpfdev_trace_read(void *dst, u64 addr, u32 size)
{
	return copy_from_kernel_nofault(dst, (const void *)(unsigned long)addr, size);
}

/* The kernel's own %p (hashed), %pK, %px and symbols. */
static int bpfdev_trace_ptr(char *dst, u32 size, const char *spec, u64 addr)
{
	return snprintf(dst, size, spec, (void *)(unsigned long)addr);
}

static const struct bpfdev_printk_ops bpfdev_trace_ops = {
	.read_str	= bpfdev_trace_read_str,
	.read		= bpfdev_trace_read,
	.ptr		= bpfdev_trace_ptr,
};

/*
 * Returns what the kernel's bpf_trace_printk() returns; the line goes to
 * trace_pipe up to its first NUL, as the kernel's trace event copies it.
 */
static u64 bpfdev_trace_printk(u64 fmt, u64 fmt_size, u64 a1, u64 a2, u64 a3)
{
	const u64 args[BPFDEV_PRINTK_MAX_ARGS] = { a1, a2, a3 };
	struct bpfdev_printk_buf *buf;
	unsigned long flags;
	u32 len = 0;
	int ret;

	if (!__ratelimit(&bpfdev_trace_rs)) {
		atomic_inc(&bpfdev_trace_dropped);
		return 0;
	}
	local_irq_save(flags);
	buf = this_cpu_ptr(&bpfdev_trace_buf);
	ret = bpfdev_printk_format(buf, (const char *)(unsigned long)fmt,
				   fmt_size, args, &bpfdev_trace_ops);
	if (ret > 0)
		len = strnlen(buf->line, sizeof(buf->line));
	if (!len)
		goto out;
	/* In NMI context the lock may be this CPU's own: a drop, counted. */
	if (in_nmi()) {
		if (!raw_spin_trylock(&bpfdev_trace_lock))
			goto drop;
	} else {
		raw_spin_lock(&bpfdev_trace_lock);
	}
	if (kfifo_avail(&bpfdev_trace_fifo) < len) {
		raw_spin_unlock(&bpfdev_trace_lock);
		goto drop;
	}
	kfifo_in(&bpfdev_trace_fifo, buf->line, len);
	raw_spin_unlock(&bpfdev_trace_lock);
	irq_work_queue(&bpfdev_trace_work);
	goto out;
drop:
	atomic_inc(&bpfdev_trace_dropped);
out:
	local_irq_restore(flags);
	return ret;
}

static void bpfdev_trace_wake(struct irq_work *work)
{
	wake_up_interruptible(&bpfdev_trace_wq);
}

static ssize_t bpfdev_trace_pipe_read(struct file *file, char __user *buf,
				      size_t count, loff_t *ppos)
{
	unsigned int copied;
	int err;

	if (!(file->f_flags & O_NONBLOCK)) {
		err = wait_event_interruptible(bpfdev_trace_wq,
					       !kfifo_is_empty(&bpfdev_trace_fifo));
		if (err)
			return err;
	}
	if (mutex_lock_interruptible(&bpfdev_trace_read_mutex))
		return -ERESTARTSYS;
	err = kfifo_to_user(&bpfdev_trace_fifo, buf, count, &copied);
	mutex_unlock(&bpfdev_trace_read_mutex);
	if (err)
		return err;
	if (!copied && (file->f_flags & O_NONBLOCK))
		return -EAGAIN;
	return copied;
}

static __poll_t bpfdev_trace_pipe_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &bpfdev_trace_wq, wait);
	return kfifo_is_empty(&bpfdev_trace_fifo) ? 0 : EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations bpfdev_trace_pipe_fops = {
	.owner	= THIS_MODULE,
	.open	= nonseekable_open,
	.read	= bpfdev_trace_pipe_read,
	.poll	= bpfdev_trace_pipe_poll,
};

/* ---- the table ----------------------------------------------------------------- */

const struct bpfdev_env bpfdev_env = {
	.helpers = {
		[BPF_FUNC_map_lookup_elem]	= bpfdev_map_lookup_elem,
		[BPF_FUNC_map_update_elem]	= bpfdev_map_update_elem,
		[BPF_FUNC_map_delete_elem]	= bpfdev_map_delete_elem,
		[BPF_FUNC_ktime_get_ns]		= bpfdev_ktime_get_ns,
		[BPF_FUNC_trace_printk]		= bpfdev_trace_printk,
		[BPF_FUNC_get_prandom_u32]	= bpfdev_get_prandom_u32,
		[BPF_FUNC_get_smp_processor_id]	= bpfdev_get_smp_processor_id,
		[BPF_FUNC_tail_call]		= bpfdev_tail_call,
		[BPF_FUNC_skb_load_bytes]	= bpfdev_skb_load_bytes_helper,
		[BPF_FUNC_ktime_get_boot_ns]	= bpfdev_ktime_get_boot_ns,
		[BPF_FUNC_ringbuf_output]	= bpfdev_ringbuf_output,
		[BPF_FUNC_ringbuf_reserve]	= bpfdev_ringbuf_reserve,
		[BPF_FUNC_ringbuf_submit]	= bpfdev_ringbuf_submit,
		[BPF_FUNC_ringbuf_discard]	= bpfdev_ringbuf_discard,
		[BPF_FUNC_ringbuf_query]	= bpfdev_ringbuf_query,
		[BPF_FUNC_skb_store_bytes]	= bpfdev_tc_skb_store_bytes,
		[BPF_FUNC_l3_csum_replace]	= bpfdev_tc_l3_csum_replace,
		[BPF_FUNC_l4_csum_replace]	= bpfdev_tc_l4_csum_replace,
		[BPF_FUNC_csum_diff]		= bpfdev_tc_csum_diff,
		[BPF_FUNC_redirect]		= bpfdev_tc_redirect,
		[BPF_FUNC_get_hash_recalc]	= bpfdev_tc_get_hash_recalc,
		[BPF_FUNC_skb_vlan_push]	= bpfdev_tc_skb_vlan_push,
		[BPF_FUNC_skb_vlan_pop]		= bpfdev_tc_skb_vlan_pop,
		[BPF_FUNC_probe_read]		= bpfdev_probe_read_compat,
		[BPF_FUNC_get_current_pid_tgid]	= bpfdev_get_current_pid_tgid,
		[BPF_FUNC_get_current_uid_gid]	= bpfdev_get_current_uid_gid,
		[BPF_FUNC_get_current_comm]	= bpfdev_get_current_comm,
		[BPF_FUNC_get_stackid]		= bpfdev_get_stackid,
		[BPF_FUNC_get_current_task]	= bpfdev_get_current_task,
		[BPF_FUNC_probe_read_str]	= bpfdev_probe_read_compat_str,
		[BPF_FUNC_send_signal]		= bpfdev_send_signal,
		[BPF_FUNC_get_stack]		= bpfdev_get_stack,
		[BPF_FUNC_probe_read_user]	= bpfdev_probe_read_user,
		[BPF_FUNC_probe_read_kernel]	= bpfdev_probe_read_kernel,
		[BPF_FUNC_probe_read_user_str]	= bpfdev_probe_read_user_str,
		[BPF_FUNC_probe_read_kernel_str] = bpfdev_probe_read_kernel_str,
		[BPFDEV_FUNC_skb_pay_offset]	= bpfdev_skb_pay_offset_helper,
	},
	.tail_call_target = bpfdev_prog_array_target,
};

int bpfdev_helpers_init(void)
{
	struct dentry *dir = bpfdev_debugfs_dir();

	prandom_seed_full_state(&bpfdev_rnd_state);
	init_irq_work(&bpfdev_trace_work, bpfdev_trace_wake);
	/* Dropped lines are counted in trace_dropped, not logged. */
	ratelimit_set_flags(&bpfdev_trace_rs, RATELIMIT_MSG_ON_RELEASE);
	if (!dir)
		return 0;
	debugfs_create_file("trace_pipe", 0400, dir, NULL,
			    &bpfdev_trace_pipe_fops);
	debugfs_create_atomic_t("trace_dropped", 0444, dir, &bpfdev_trace_dropped);
	return 0;
}

void bpfdev_helpers_exit(void)
{
	irq_work_sync(&bpfdev_trace_work);
}
