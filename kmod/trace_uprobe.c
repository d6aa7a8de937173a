// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes and uretprobes running BPF_PROG_TYPE_KPROBE programs
 * (BPFDEV_IOC_UPROBE_ATTACH), as the kernel's perf uprobe with a BPF
 * program: the context is the task's user registers at the probed
 * instruction (at the return, ax is the return value).
 *
 * Lifetime: the link holds the probed file's path (so its inode), as
 * trace_uprobe does: a file deleted while probed keeps its inode, and
 * the processes that still map it keep hitting the probe until the link
 * closes.  A pid filter holds the struct pid, not a task: once that
 * process has exited the filter matches nothing (a new process with the
 * same number has another struct pid).  Unregistering waits until no
 * handler of the link runs (compat.h); uprobe handlers run in process
 * context and may sleep, the program itself runs with preemption off
 * under rcu_read_lock() (bpfdev_trace_run()), as 6.1 runs it.
 */

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uprobes.h>

#include <linux/bpfdev.h>

#include "prog.h"
#include "trace.h"

struct bpfdev_uprobe_link {
	struct bpfdev_trace_link	link;
	struct uprobe_consumer		uc;
	struct uprobe			*uprobe;
	struct path			path;
	loff_t				offset;
	struct pid			*pid;	/* NULL: every process */
};

static struct bpfdev_uprobe_link *to_ul(struct uprobe_consumer *uc)
{
	return container_of(uc, struct bpfdev_uprobe_link, uc);
}

/* Whether mm is the filtered process's (uprobes asks per mm: consumer filter). */
static bool bpfdev_uprobe_filter(BPFDEV_UPROBE_FILTER_ARGS)
{
	struct bpfdev_uprobe_link *ul = to_ul(self);
	struct task_struct *task;
	bool match;

	if (!ul->pid)
		return true;
	rcu_read_lock();
	task = pid_task(ul->pid, PIDTYPE_TGID);
	match = task && READ_ONCE(task->mm) == mm;
	rcu_read_unlock();
	return match;
}

/* Another process of the same file: not ours, and no breakpoint there. */
static bool bpfdev_uprobe_ours(struct bpfdev_uprobe_link *ul)
{
	return !ul->pid || task_tgid(current) == ul->pid;
}

static int bpfdev_uprobe_handler(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct bpfdev_uprobe_link *ul = to_ul(uc);

	if (!bpfdev_uprobe_ours(ul))
		return UPROBE_HANDLER_REMOVE;
	bpfdev_trace_run(ul->link.prog, regs);
	return 0;
}

static int bpfdev_uretprobe_handler(struct uprobe_consumer *uc, unsigned long func,
				    struct pt_regs *regs)
{
	struct bpfdev_uprobe_link *ul = to_ul(uc);

	if (bpfdev_uprobe_ours(ul))
		bpfdev_trace_run(ul->link.prog, regs);
	return 0;
}

static void bpfdev_uprobe_detach(struct bpfdev_trace_link *link)
{
	struct bpfdev_uprobe_link *ul = container_of(link, struct bpfdev_uprobe_link, link);

	bpfdev_uprobe_unregister(d_inode(ul->path.dentry), ul->offset, ul->uprobe, &ul->uc);
}

static void bpfdev_uprobe_dealloc(struct bpfdev_trace_link *link)
{
	struct bpfdev_uprobe_link *ul = container_of(link, struct bpfdev_uprobe_link, link);

	put_pid(ul->pid);
	path_put(&ul->path);
	kfree(ul);
}

static void bpfdev_uprobe_show_fdinfo(const struct bpfdev_trace_link *link,
				      struct seq_file *m)
{
	const struct bpfdev_uprobe_link *ul =
		container_of(link, struct bpfdev_uprobe_link, link);

	seq_printf(m, "inode:\t%lu\noffset:\t%#llx\npid:\t%d\n",
		   d_inode(ul->path.dentry)->i_ino, (unsigned long long)ul->offset,
		   ul->pid ? pid_vnr(ul->pid) : -1);
}

static const struct bpfdev_trace_link_ops bpfdev_uprobe_link_ops = {
	.detach		= bpfdev_uprobe_detach,
	.dealloc	= bpfdev_uprobe_dealloc,
	.show_fdinfo	= bpfdev_uprobe_show_fdinfo,
};

/* The process pid names in the caller's namespace (a tgid): -ESRCH else. */
static int bpfdev_uprobe_pid(struct bpfdev_uprobe_link *ul, s32 pid)
{
	bool leader;

	if (pid == -1)
		return 0;
	if (pid <= 0)
		return -EINVAL;
	ul->pid = find_get_pid(pid);
	if (!ul->pid)
		return -ESRCH;
	rcu_read_lock();
	leader = pid_task(ul->pid, PIDTYPE_TGID);
	rcu_read_unlock();
	return leader ? 0 : -ESRCH;
}

static int bpfdev_uprobe_target(struct bpfdev_uprobe_link *ul, const char __user *path,
				u64 offset)
{
	struct inode *inode;
	int err;

	err = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &ul->path);
	if (err)
		return err;
	/* as create_local_trace_uprobe(): a regular file, an offset inside it */
	if (!d_is_reg(ul->path.dentry))
		return -EINVAL;
	inode = d_inode(ul->path.dentry);
	if (offset > i_size_read(inode))
		return -EINVAL;
	ul->offset = offset;
	return 0;
}

int bpfdev_uprobe_attach(void __user *arg)
{
	struct bpfdev_uprobe_attach attr;
	struct bpfdev_uprobe_link *ul;
	struct bpfdev_prog *prog;
	int err, fd;

	if (copy_from_user(&attr, arg, sizeof(attr)))
		return -EFAULT;
	if (attr.flags & ~BPFDEV_PROBE_F_RETURN || attr.pad)
		return -EINVAL;
	if (attr.offset > LLONG_MAX)
		return -EINVAL;
	prog = bpfdev_trace_prog_get(attr.prog_fd, BPF_PROG_TYPE_KPROBE);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	ul = kzalloc(sizeof(*ul), GFP_KERNEL_ACCOUNT);
	if (!ul) {
		err = -ENOMEM;
		goto err_prog;
	}
	err = bpfdev_uprobe_target(ul, u64_to_user_ptr(attr.path), attr.offset);
	if (err)
		goto err_free;
	err = bpfdev_uprobe_pid(ul, attr.pid);
	if (err)
		goto err_free;
	ul->link.ops = &bpfdev_uprobe_link_ops;
	ul->link.prog = prog;
	if (attr.flags & BPFDEV_PROBE_F_RETURN) {
		ul->link.kind = "uretprobe";
		ul->uc.ret_handler = bpfdev_uretprobe_handler;
	} else {
		ul->link.kind = "uprobe";
		ul->uc.handler = bpfdev_uprobe_handler;
	}
	ul->uc.filter = bpfdev_uprobe_filter;

	ul->uprobe = bpfdev_uprobe_register(d_inode(ul->path.dentry), ul->offset, &ul->uc);
	if (IS_ERR(ul->uprobe)) {
		err = PTR_ERR(ul->uprobe);
		goto err_free;
	}
	fd = bpfdev_trace_link_fd(&ul->link);
	if (fd < 0) {
		bpfdev_uprobe_detach(&ul->link);
		err = fd;
		goto err_free;
	}
	return fd;

err_free:
	/* path and pid are zeroed until taken: the puts are no-ops then */
	put_pid(ul->pid);
	if (ul->path.dentry)
		path_put(&ul->path);
	kfree(ul);
err_prog:
	bpfdev_prog_put(prog);
	return err;
}
