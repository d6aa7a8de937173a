// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes running BPF_PROG_TYPE_KPROBE programs
 * (BPFDEV_IOC_KPROBE_ATTACH), as the kernel's perf kprobe with a BPF
 * program: the context is the probe's struct pt_regs (at entry, ip is
 * just past the probed instruction, as the kernel's BPF programs see it).
 *
 * A probe is registered disabled, so the address kprobes resolved from
 * the symbol can be refused before the probe is armed when it lies in
 * bpfdev (its functions and the JIT arena in its .text): a program there
 * would run inside itself.  register_kprobe() refuses what the kernel
 * refuses (blacklisted and notrace-only code, unknown symbols: its
 * errno passes through).
 *
 * A hit kprobes skips because another probe handler runs on the CPU
 * (kprobe_running()) never reaches bpfdev: kprobes counts it in the
 * probe's nmissed, shown as "missed" in the link's fdinfo (6.1 shows it in
 * kprobe_profile); a hit while another bpfdev program runs on the CPU
 * reaches bpfdev_trace_run(), which counts it in recursion_misses.
 */

#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "prog.h"
#include "trace.h"

/* trace_kprobe's KRETPROBE_MAXACTIVE_MAX */
#define BPFDEV_KRETPROBE_MAXACTIVE_MAX	4096

struct bpfdev_kprobe_link {
	struct bpfdev_trace_link	link;
	struct kretprobe		rp;	/* rp.kp alone for a kprobe */
	bool				retprobe;
	char				symbol[KSYM_NAME_LEN];
};

static int bpfdev_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct bpfdev_kprobe_link *kl = container_of(kp, struct bpfdev_kprobe_link, rp.kp);

	bpfdev_trace_run(kl->link.prog, regs);
	/* the program cannot change regs: single-step the instruction */
	return 0;
}

static int bpfdev_kretprobe_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct bpfdev_kprobe_link *kl;

	if (unlikely(!rp))
		return 0;
	kl = container_of(rp, struct bpfdev_kprobe_link, rp);
	bpfdev_trace_run(kl->link.prog, regs);
	return 0;
}

/* Unregistering waits until no CPU runs the handlers. */
static void bpfdev_kprobe_detach(struct bpfdev_trace_link *link)
{
	struct bpfdev_kprobe_link *kl = container_of(link, struct bpfdev_kprobe_link, link);

	if (kl->retprobe)
		unregister_kretprobe(&kl->rp);
	else
		unregister_kprobe(&kl->rp.kp);
}

static void bpfdev_kprobe_dealloc(struct bpfdev_trace_link *link)
{
	kfree(container_of(link, struct bpfdev_kprobe_link, link));
}

/* The probe's symbol and the hits kprobes skipped (and kretprobe instances missing). */
static void bpfdev_kprobe_show_fdinfo(const struct bpfdev_trace_link *link,
				      struct seq_file *m)
{
	const struct bpfdev_kprobe_link *kl =
		container_of(link, struct bpfdev_kprobe_link, link);

	seq_printf(m, "func:\t%s+%u\nmissed:\t%lu\n", kl->symbol, kl->rp.kp.offset,
		   kl->rp.kp.nmissed + (kl->retprobe ? (unsigned long)kl->rp.nmissed : 0));
}

static const struct bpfdev_trace_link_ops bpfdev_kprobe_link_ops = {
	.detach		= bpfdev_kprobe_detach,
	.dealloc	= bpfdev_kprobe_dealloc,
	.show_fdinfo	= bpfdev_kprobe_show_fdinfo,
};

static int bpfdev_kprobe_register(struct bpfdev_kprobe_link *kl)
{
	struct kprobe *kp = &kl->rp.kp;
	int err;

	kp->flags = KPROBE_FLAG_DISABLED;
	if (kl->retprobe)
		err = register_kretprobe(&kl->rp);
	else
		err = register_kprobe(kp);
	if (err)
		return err;
	if (bpfdev_trace_addr_in_module((unsigned long)kp->addr)) {
		err = -EINVAL;
		goto err_unregister;
	}
	err = enable_kprobe(kp);
	if (err)
		goto err_unregister;
	return 0;

err_unregister:
	bpfdev_kprobe_detach(&kl->link);
	return err;
}

int bpfdev_kprobe_attach(void __user *arg)
{
	struct bpfdev_kprobe_attach attr;
	struct bpfdev_kprobe_link *kl;
	struct bpfdev_prog *prog;
	long len;
	int err, fd;

	if (copy_from_user(&attr, arg, sizeof(attr)))
		return -EFAULT;
	if (attr.flags & ~BPFDEV_PROBE_F_RETURN || attr.pad)
		return -EINVAL;
	/* maxactive is for kretprobes only, as tracefs says */
	if (attr.maxactive && !(attr.flags & BPFDEV_PROBE_F_RETURN))
		return -EINVAL;
	if (attr.maxactive > BPFDEV_KRETPROBE_MAXACTIVE_MAX)
		return -E2BIG;
	if (attr.offset > INT_MAX)
		return -EINVAL;
	prog = bpfdev_trace_prog_get(attr.prog_fd, BPF_PROG_TYPE_KPROBE);
	if (IS_ERR(prog))
		return PTR_ERR(prog);

	kl = kzalloc(sizeof(*kl), GFP_KERNEL_ACCOUNT);
	if (!kl) {
		err = -ENOMEM;
		goto err_prog;
	}
	len = strncpy_from_user(kl->symbol, u64_to_user_ptr(attr.func), sizeof(kl->symbol));
	if (len < 0) {
		err = len;
		goto err_free;
	}
	if (!len || len == sizeof(kl->symbol)) {
		err = -EINVAL;
		goto err_free;
	}
	kl->retprobe = attr.flags & BPFDEV_PROBE_F_RETURN;
	kl->link.ops = &bpfdev_kprobe_link_ops;
	kl->link.prog = prog;
	kl->link.kind = kl->retprobe ? "kretprobe" : "kprobe";
	kl->rp.kp.symbol_name = kl->symbol;
	kl->rp.kp.offset = attr.offset;
	if (kl->retprobe) {
		kl->rp.handler = bpfdev_kretprobe_handler;
		kl->rp.maxactive = attr.maxactive;
	} else {
		kl->rp.kp.pre_handler = bpfdev_kprobe_pre;
	}

	err = bpfdev_kprobe_register(kl);
	if (err)
		goto err_free;
	fd = bpfdev_trace_link_fd(&kl->link);
	if (fd < 0) {
		bpfdev_kprobe_detach(&kl->link);
		err = fd;
		goto err_free;
	}
	return fd;

err_free:
	kfree(kl);
err_prog:
	bpfdev_prog_put(prog);
	return err;
}
