// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers programs call, at the kernel's helper ids.  They run in the
 * program's context (softirq or bh-disabled, under RCU): nothing here may
 * sleep or allocate.
 *
 * bpf_trace_printk() output goes to a 64 KiB FIFO read (and consumed) from
 * /sys/kernel/debug/bpfdev/trace_pipe; writers are rate-limited and a line
 * that does not fit is dropped and counted (the "dropped" file).
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "helpers.h"
#include "map.h"
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

static u64 bpfdev_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return get_random_u32();
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

#define BPFDEV_TRACE_LINE	256

static DEFINE_KFIFO(bpfdev_trace_fifo, char, 65536);
static DEFINE_SPINLOCK(bpfdev_trace_lock);
static DEFINE_MUTEX(bpfdev_trace_read_mutex);
static DECLARE_WAIT_QUEUE_HEAD(bpfdev_trace_wq);
static DEFINE_RATELIMIT_STATE(bpfdev_trace_rs, HZ, 1000);
static DEFINE_PER_CPU(char [BPFDEV_TRACE_LINE], bpfdev_trace_line);
static atomic_t bpfdev_trace_dropped;

#define BPFDEV_TRACE_STR	64

/*
 * A %s argument: any address a program passes, read without faulting (an
 * empty string where nothing is readable), as the kernel's
 * bpf_trace_printk() does.
 */
static const char *bpfdev_trace_str(char *buf, u64 ptr)
{
	const char *src = (const char *)(unsigned long)ptr;
	u32 j;

	for (j = 0; j < BPFDEV_TRACE_STR - 1; j++) {
		if (copy_from_kernel_nofault(&buf[j], src + j, 1)) {
			j = 0;
			break;
		}
		if (!buf[j])
			break;
	}
	buf[j] = 0;
	return buf;
}

/*
 * Formats like the kernel's bpf_trace_printk(): at most three arguments,
 * integer conversions (%d %i %u %x %X %c with l/ll/h/hh, flags and width),
 * %s of kernel memory and %%.  Returns the length, or -EINVAL for anything
 * else.
 */
static int bpfdev_trace_format(char *out, u32 size, const char *fmt,
			       u32 fmt_size, const u64 *args)
{
	char spec[16], str[BPFDEV_TRACE_STR];
	u32 i = 0, len = 0, nargs = 0;

	if (!fmt_size || fmt[fmt_size - 1])
		return -EINVAL;
	while (i < fmt_size - 1) {
		u32 s = 0, lmod = 0;
		char c = fmt[i];

		if (c != '%') {
			if (!isprint(c) && !isspace(c))
				return -EINVAL;
			if (len + 1 < size)
				out[len++] = c;
			i++;
			continue;
		}
		if (fmt[i + 1] == '%') {
			if (len + 1 < size)
				out[len++] = '%';
			i += 2;
			continue;
		}
		spec[s++] = fmt[i++];
		while (fmt[i] && strchr("-+ #0", fmt[i]) && s < 6)
			spec[s++] = fmt[i++];
		while (isdigit(fmt[i]) && s < 9)
			spec[s++] = fmt[i++];
		while ((fmt[i] == 'l' || fmt[i] == 'h') && lmod < 2) {
			spec[s++] = fmt[i++];
			lmod++;
		}
		if (!fmt[i] || !strchr("diuxXcs", fmt[i]) || nargs == 3 ||
		    (fmt[i] == 's' && lmod))
			return -EINVAL;
		spec[s++] = fmt[i];
		spec[s] = 0;
		if (len < size && fmt[i] == 's')
			len += scnprintf(out + len, size - len, spec,
					 bpfdev_trace_str(str, args[nargs]));
		else if (len < size)
			len += scnprintf(out + len, size - len, spec,
					 args[nargs]);
		i++;
		nargs++;
	}
	out[min(len, size - 1)] = 0;
	return min(len, size - 1);
}

static u64 bpfdev_trace_printk(u64 fmt, u64 fmt_size, u64 a1, u64 a2, u64 a3)
{
	const u64 args[3] = { a1, a2, a3 };
	unsigned long flags;
	char *line;
	int len;

	if (!__ratelimit(&bpfdev_trace_rs)) {
		atomic_inc(&bpfdev_trace_dropped);
		return 0;
	}
	local_irq_save(flags);
	line = this_cpu_ptr(bpfdev_trace_line);
	len = bpfdev_trace_format(line, BPFDEV_TRACE_LINE,
				  (const char *)(unsigned long)fmt, fmt_size, args);
	if (len > 0) {
		spin_lock(&bpfdev_trace_lock);
		if (kfifo_avail(&bpfdev_trace_fifo) >= len)
			kfifo_in(&bpfdev_trace_fifo, line, len);
		else
			atomic_inc(&bpfdev_trace_dropped);
		spin_unlock(&bpfdev_trace_lock);
	}
	local_irq_restore(flags);
	if (len > 0)
		wake_up_interruptible(&bpfdev_trace_wq);
	return len;
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
		[BPFDEV_FUNC_skb_pay_offset]	= bpfdev_skb_pay_offset_helper,
	},
	.tail_call_target = bpfdev_prog_array_target,
};

int bpfdev_helpers_init(void)
{
	struct dentry *dir = bpfdev_debugfs_dir();

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
	/* The debugfs files go with the directory (debugfs.c). */
}
