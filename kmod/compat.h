/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels bpfdev builds for (Debian 12's 6.1
 * and 6.12), in one place.
 *
 * Kbuild force-includes this header into every object of the module
 * (-include, as wireguard-linux-compat does), so no .c file and not
 * core/platform.h carries a version test or a compat include of its own:
 * the code is written against the newest kernel's interfaces, and each
 * entry here gives one of them to the older kernels.  An entry names the
 * release that brought the interface; when the oldest supported kernel
 * has it, the entry goes and no call site changes.
 *
 * Interfaces whose spelling is the same on every supported kernel need no
 * entry, even where one kernel deprecates them:
 *   - no_llseek is NULL since 6.0 and gone in 6.12: leave .llseek unset;
 *   - skb_tstamp() (5.18) reads a receive stamp on both, where the skb
 *     bit it tests (mono_delivery_time, tstamp_type since 6.11) differs.
 */
#ifndef BPFDEV_COMPAT_H
#define BPFDEV_COMPAT_H

#include <linux/version.h>
#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uprobes.h>

/* 6.12 moved the unaligned accessors to linux/ and removed asm/unaligned.h. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

/* 6.12 made struct fd opaque: its file is read with fd_file(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
static inline struct file *fd_file(struct fd f)
{
	return f.file;
}
#endif

/*
 * 6.3 made vma->vm_flags read-only for per-VMA locking; writers call
 * vm_flags_set()/vm_flags_clear().  Before 6.3 the caller's mmap_lock,
 * held for writing in ->mmap(), is all a write needs.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * 6.3 added slab_build_skb() for kmalloc()ed data and made build_skb()
 * warn when given it with frag_size 0; before, build_skb(data, 0) was the
 * way.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline struct sk_buff *slab_build_skb(void *data)
{
	return build_skb(data, 0);
}
#endif

/*
 * Whether skb_tstamp() of a packet is CLOCK_REALTIME.  Since 6.11 every
 * other clock is marked (tstamp_type: monotonic and TAI), so a stamp
 * there is a receive stamp the stack took moments before the hook; 6.1
 * marks only monotonic delivery times, and a CLOCK_TAI txtime (SO_TXTIME)
 * looks like a receive stamp.
 */
static inline bool bpfdev_skb_stamp_is_real(void)
{
	return LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0);
}

/*
 * 6.4 made the maps' update and delete ops return long: since then a
 * program's bpf_map_update_elem()/bpf_map_delete_elem() error is
 * sign-extended (-EEXIST); before, the verifier called the int op
 * directly and r0 got it zero-extended from 32 bits (0xffffffef).
 * Programs see what the running kernel's own helpers give.
 */
static inline u64 bpfdev_map_op_ret(int err)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
	return (u32)err;
#else
	return (u64)(s64)err;
#endif
}

/*
 * bpf(2) answers that changed between 6.1 and 6.12 (the release between
 * that brought each is not pinned here): bpf_prog_load() copies the
 * license after the instructions, not before insn_cnt is checked;
 * map_freeze() needs a writable fd (6.1 takes any fd of the map); and
 * __sys_bpf() no longer refuses MAP_CREATE and PROG_LOAD to callers
 * without the capability before reading the attr (the commands do,
 * after it).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define BPFDEV_BPF_LICENSE_FIRST	true
#define BPFDEV_BPF_FREEZE_FMODE		0
#define BPFDEV_BPF_CAP_BEFORE_ATTR	true
#else
#define BPFDEV_BPF_LICENSE_FIRST	false
#define BPFDEV_BPF_FREEZE_FMODE		FMODE_WRITE
#define BPFDEV_BPF_CAP_BEFORE_ATTR	false
#endif

/*
 * 6.9 renamed CONFIG_RETPOLINE and CONFIG_RETHUNK to CONFIG_MITIGATION_*
 * (and stable series may carry either): a test of one spelling alone
 * silently drops the JIT's retpolines and return thunks on the other, so
 * the JIT tests these, which accept both.
 */
#define BPFDEV_RETPOLINE	(IS_ENABLED(CONFIG_RETPOLINE) || \
				 IS_ENABLED(CONFIG_MITIGATION_RETPOLINE))
#define BPFDEV_RETHUNK		(IS_ENABLED(CONFIG_RETHUNK) || \
				 IS_ENABLED(CONFIG_MITIGATION_RETHUNK))

/*
 * 6.12 reworked uprobes (the release between that brought each part is
 * not pinned here): uprobe_register() returns the struct uprobe * (or an
 * ERR_PTR) that unregistering takes, and takes the ref_ctr_offset that
 * uprobe_register_refctr() took; uprobe_unregister() became
 * uprobe_unregister_nosync() with uprobe_unregister_sync() to wait for
 * running handlers; a consumer's filter() lost its enum uprobe_filter_ctx.
 * On 6.1 the handle is the (inode, offset) pair, so both calls take it.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define BPFDEV_UPROBE_FILTER_ARGS \
	struct uprobe_consumer *self, enum uprobe_filter_ctx ctx, struct mm_struct *mm

static inline struct uprobe *bpfdev_uprobe_register(struct inode *inode, loff_t offset,
						    struct uprobe_consumer *uc)
{
	int err = uprobe_register(inode, offset, uc);

	/* any non-NULL handle: 6.1 unregisters by inode and offset */
	return err ? ERR_PTR(err) : (struct uprobe *)inode;
}

static inline void bpfdev_uprobe_unregister(struct inode *inode, loff_t offset,
					    struct uprobe *uprobe,
					    struct uprobe_consumer *uc)
{
	/* waits: no handler of uc runs after it */
	uprobe_unregister(inode, offset, uc);
}
#else
#define BPFDEV_UPROBE_FILTER_ARGS struct uprobe_consumer *self, struct mm_struct *mm

static inline struct uprobe *bpfdev_uprobe_register(struct inode *inode, loff_t offset,
						    struct uprobe_consumer *uc)
{
	return uprobe_register(inode, offset, 0, uc);
}

static inline void bpfdev_uprobe_unregister(struct inode *inode, loff_t offset,
					    struct uprobe *uprobe,
					    struct uprobe_consumer *uc)
{
	uprobe_unregister_nosync(uprobe, uc);
	uprobe_unregister_sync();
}
#endif

/*
 * The kernel's kprobe events, and so bpf()'s perf kprobes, refuse a
 * function ftrace has no location in (trace_kprobe.c's
 * within_notrace_func()) only with CONFIG_DYNAMIC_FTRACE and without
 * CONFIG_KPROBE_EVENTS_ON_NOTRACE; without the function tracer there is
 * no struct ftrace_ops either.  Whether ftrace has no location in the
 * function starting at ip (name NULL), or in any function called name:
 * ftrace_set_filter_ip() (whose ftrace_location() looks through the whole
 * function from its start) and ftrace_set_filter() fail with EINVAL then.
 * The ops is private and never registered, so no text is patched; it is
 * allocated per call, as ftrace_free_filter() leaves its hashes freed.
 * Returns 1 (untraceable), 0, or -ENOMEM; 0 where the kernel refuses
 * nothing for this, and where ftrace has shut itself down (ENODEV) and
 * cannot tell.
 */
#if IS_ENABLED(CONFIG_DYNAMIC_FTRACE) && !IS_ENABLED(CONFIG_KPROBE_EVENTS_ON_NOTRACE)
static inline int bpfdev_ftrace_untraceable(unsigned long ip, char *name)
{
	struct ftrace_ops *ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	int err;

	if (!ops)
		return -ENOMEM;
	if (name)
		err = ftrace_set_filter(ops, (unsigned char *)name, strlen(name), 1);
	else
		err = ftrace_set_filter_ip(ops, ip, 0, 1);
	ftrace_free_filter(ops);
	kfree(ops);
	if (err == -EINVAL)
		return 1;
	return err == -ENOMEM ? err : 0;
}
#else
static inline int bpfdev_ftrace_untraceable(unsigned long ip, char *name)
{
	return 0;
}
#endif

#endif /* BPFDEV_COMPAT_H */
