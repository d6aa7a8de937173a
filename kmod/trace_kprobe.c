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
 * would run inside itself.  register_kprobe() refuses what kprobes
 * refuse (blacklisted code, unknown symbols: its errno passes through).
 * The kernel's kprobe events, which bpf() attaches its kprobe programs
 * through, also refuse a function ftrace cannot trace (notrace: none of
 * available_filter_functions) with EINVAL before kprobes see it
 * (trace_kprobe.c's within_notrace_func()), and so does bpfdev, on the
 * resolved address: a compiler's clone (foo.isra.0) passes when foo
 * itself is traceable, as there.
 *
 * A hit kprobes skips because another probe handler runs on the CPU
 * (kprobe_running()) never reaches bpfdev: kprobes counts it in the
 * probe's nmissed, shown as "missed" in the link's fdinfo (6.1 shows it in
 * kprobe_profile); a hit while another bpfdev program runs on the CPU
 * reaches bpfdev_trace_run(), which counts it in recursion_misses.
 */

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "prog.h"
#include "trace.h"

/*
 * The kernel's CONFIG_KPROBE_EVENTS_ON_NOTRACE, which Debian leaves off:
 * root may let kprobes reach functions ftrace cannot trace, at the risk
 * the kernel's help text gives (a probe recursing through ftrace's own
 * code), e.g. for bcc 0.26's biolatency, whose blk_account_io_done is
 * notrace on 6.1 and 6.12.  Read at each attach.
 */
static bool kprobe_on_notrace;
module_param(kprobe_on_notrace, bool, 0644);
MODULE_PARM_DESC(kprobe_on_notrace,
		 "let kprobes attach to notrace functions (0, default, as the kernel's kprobe events)");

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

/*
 * Whether a function called name is notrace as the kernel's kprobe
 * events judge it: ftrace has no location in it, nor, for a clone
 * foo.isra.0 or foo.constprop.0, in foo (or there is no foo).
 * 1, 0 or -errno.
 */
static int bpfdev_kprobe_notrace_name(const char *name)
{
	char *base, *dot;
	int ret;

	base = kstrdup(name, GFP_KERNEL);
	if (!base)
		return -ENOMEM;
	ret = bpfdev_ftrace_untraceable(0, base);
	dot = strchr(base, '.');
	if (ret > 0 && dot) {
		*dot = '\0';
		ret = bpfdev_ftrace_untraceable(0, base);
	}
	kfree(base);
	return ret;
}

/*
 * Whether the function holding addr is notrace (1, 0 or -errno), as
 * within_notrace_func() judges it: kallsyms_lookup_size_offset() is not
 * exported, sprint_symbol() gives the same "name+0xoff/0xsize [module]".
 * An address in no symbol is not refused for this, as there.
 */
static int bpfdev_kprobe_notrace(unsigned long addr)
{
	unsigned long off, size;
	char *sym, *plus, *slash, *sp;
	int ret = 0;

	sym = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!sym)
		return -ENOMEM;
	sprint_symbol(sym, addr);
	sp = strchr(sym, ' ');
	if (sp)
		*sp = '\0';
	plus = strrchr(sym, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		goto out;
	*plus = '\0';
	*slash = '\0';
	if (kstrtoul(plus + 1, 0, &off) || kstrtoul(slash + 1, 0, &size) || !size)
		goto out;
	ret = bpfdev_ftrace_untraceable(addr - off, NULL);
	if (ret > 0 && strchr(sym, '.'))
		ret = bpfdev_kprobe_notrace_name(sym);
out:
	kfree(sym);
	return ret;
}

/* untraceable as bpfdev_kprobe_notrace*() gave it: the attach's errno */
static int bpfdev_kprobe_notrace_refused(const struct bpfdev_kprobe_link *kl, int untraceable)
{
	if (untraceable < 0)
		return untraceable;
	pr_warn_ratelimited("Could not probe notrace function %s\n", kl->symbol);
	return -EINVAL;
}

static int bpfdev_kprobe_register(struct bpfdev_kprobe_link *kl)
{
	bool any = READ_ONCE(kprobe_on_notrace);
	struct kprobe *kp = &kl->rp.kp;
	int err, untraceable;

	kp->flags = KPROBE_FLAG_DISABLED;
	if (kl->retprobe)
		err = register_kretprobe(&kl->rp);
	else
		err = register_kprobe(kp);
	if (err) {
		/*
		 * The kernel checks notrace before kprobes see the address:
		 * a notrace function's probe is EINVAL where kprobes refuse
		 * it otherwise too (EILSEQ: off an instruction boundary;
		 * EBUSY: on a jump label).  Without an address, by name;
		 * that walks every ftrace record, so only on such failures.
		 */
		if (any || err == -ENOENT || err == -EINVAL || err == -ENOMEM)
			return err;
		untraceable = bpfdev_kprobe_notrace_name(kl->symbol);
		return untraceable ? bpfdev_kprobe_notrace_refused(kl, untraceable) : err;
	}
	untraceable = any ? 0 : bpfdev_kprobe_notrace((unsigned long)kp->addr);
	if (untraceable) {
		err = bpfdev_kprobe_notrace_refused(kl, untraceable);
		goto err_unregister;
	}
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
