// SPDX-License-Identifier: GPL-2.0
/*
 * Raw tracepoints: BPF_RAW_TRACEPOINT_OPEN of the bpf() mirror.  A probe
 * on a tracepoint of vmlinux (found with for_each_kernel_tracepoint(), as
 * the kernel's bpf_get_raw_tracepoint() finds only vmlinux's) hands the
 * program the tracepoint's arguments as u64 args[], each widened as the
 * kernel's __bpf_trace_<call> does with CAST_TO_U64().
 *
 * The kernel generates one such probe per prototype; a module cannot, so
 * one probe is declared with MAX_BPF_FUNC_ARGS u64 parameters and
 * registered on every tracepoint.  The tracepoint calls it with its own
 * prototype: on x86-64 the first six arguments come in registers and the
 * rest on the stack, each in a slot of 64 bits whose bits above the
 * argument's own width are undefined.  So the probe takes only as many
 * as the tracepoint passes (it does not even load the others) and widens
 * each by the width and sign its type has in the kernel's BTF
 * (btf_vmlinux.c).  That count also bounds what the program may read, as
 * bpf_probe_register() does with num_args: EINVAL past it.
 *
 * Lifetime: the probe's data is the link; tracepoint_probe_unregister()
 * and then tracepoint_synchronize_unregister() (tracepoints run their
 * probes under RCU, or SRCU where RCU is not watching) come before the
 * link is freed.  vmlinux's tracepoints never go away.
 */

#include <linux/bpf.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "btf_vmlinux.h"
#include "objfd.h"
#include "prog.h"
#include "trace.h"
#include "trace_event.h"

/* The kernel's buffer for the name (bpf_raw_tp_link_attach()). */
#define BPFDEV_RAW_TP_NAME_LEN	128

struct bpfdev_raw_tp_link {
	struct bpfdev_trace_link	link;
	struct tracepoint		*tp;
	u32				nargs;
	struct bpfdev_tp_arg		args[MAX_BPF_FUNC_ARGS];
};

static u64 bpfdev_raw_tp_widen(u64 v, const struct bpfdev_tp_arg *arg)
{
	switch (arg->size) {
	case 1:
		return arg->is_signed ? (u64)(s64)(s8)v : (u8)v;
	case 2:
		return arg->is_signed ? (u64)(s64)(s16)v : (u16)v;
	case 4:
		return arg->is_signed ? (u64)(s64)(s32)v : (u32)v;
	default:
		return v;
	}
}

static void bpfdev_raw_tp_probe(void *data, u64 a0, u64 a1, u64 a2, u64 a3,
				u64 a4, u64 a5, u64 a6, u64 a7, u64 a8,
				u64 a9, u64 a10, u64 a11)
{
	struct bpfdev_raw_tp_link *rl = data;
	u64 args[MAX_BPF_FUNC_ARGS];
	u32 i;

	/* Only the arguments the tracepoint passed: the rest are not ours. */
	switch (rl->nargs) {
	case 12:
		args[11] = a11;
		fallthrough;
	case 11:
		args[10] = a10;
		fallthrough;
	case 10:
		args[9] = a9;
		fallthrough;
	case 9:
		args[8] = a8;
		fallthrough;
	case 8:
		args[7] = a7;
		fallthrough;
	case 7:
		args[6] = a6;
		fallthrough;
	case 6:
		args[5] = a5;
		fallthrough;
	case 5:
		args[4] = a4;
		fallthrough;
	case 4:
		args[3] = a3;
		fallthrough;
	case 3:
		args[2] = a2;
		fallthrough;
	case 2:
		args[1] = a1;
		fallthrough;
	case 1:
		args[0] = a0;
		fallthrough;
	default:
		break;
	}
	for (i = 0; i < rl->nargs; i++)
		args[i] = bpfdev_raw_tp_widen(args[i], &rl->args[i]);
	bpfdev_trace_run(rl->link.prog, args);
}

static void bpfdev_raw_tp_detach(struct bpfdev_trace_link *link)
{
	struct bpfdev_raw_tp_link *rl = container_of(link, struct bpfdev_raw_tp_link, link);

	WARN_ON_ONCE(tracepoint_probe_unregister(rl->tp, (void *)bpfdev_raw_tp_probe, rl));
	tracepoint_synchronize_unregister();
}

static void bpfdev_raw_tp_dealloc(struct bpfdev_trace_link *link)
{
	kfree(container_of(link, struct bpfdev_raw_tp_link, link));
}

static const struct bpfdev_trace_link_ops bpfdev_raw_tp_ops = {
	.detach		= bpfdev_raw_tp_detach,
	.dealloc	= bpfdev_raw_tp_dealloc,
};

struct bpfdev_raw_tp_find {
	const char		*name;
	struct tracepoint	*tp;
};

static void bpfdev_raw_tp_match(struct tracepoint *tp, void *priv)
{
	struct bpfdev_raw_tp_find *find = priv;

	if (!find->tp && !strcmp(tp->name, find->name))
		find->tp = tp;
}

int bpfdev_cmd_raw_tp_open(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_raw_tp_find find = {};
	struct bpfdev_raw_tp_link *rl;
	struct bpfdev_prog *prog;
	char *name;
	int nargs, err, fd;

	if (BPFDEV_CHECK_ATTR(attr, raw_tracepoint.prog_fd))
		return -EINVAL;
	prog = bpfdev_trace_prog_get(attr->raw_tracepoint.prog_fd,
				     BPF_PROG_TYPE_RAW_TRACEPOINT);
	if (IS_ERR(prog))
		return PTR_ERR(prog);

	rl = kzalloc(sizeof(*rl), GFP_KERNEL);
	name = kzalloc(BPFDEV_RAW_TP_NAME_LEN, GFP_KERNEL);
	if (!rl || !name) {
		err = -ENOMEM;
		goto free;
	}
	if (strncpy_from_user(name, u64_to_user_ptr(attr->raw_tracepoint.name),
			      BPFDEV_RAW_TP_NAME_LEN - 1) < 0) {
		err = -EFAULT;
		goto free;
	}
	find.name = name;
	for_each_kernel_tracepoint(bpfdev_raw_tp_match, &find);
	if (!find.tp) {
		err = -ENOENT;
		goto free;
	}
	nargs = bpfdev_btf_vmlinux_tp_args(name, rl->args, MAX_BPF_FUNC_ARGS);
	if (nargs < 0) {
		err = nargs;
		goto free;
	}
	/* bpf_probe_register(): no read past the arguments passed. */
	if (prog->max_ctx_offset > nargs * sizeof(u64)) {
		err = -EINVAL;
		goto free;
	}

	rl->link.ops = &bpfdev_raw_tp_ops;
	rl->link.prog = prog;
	rl->link.kind = "raw_tracepoint";
	rl->tp = find.tp;
	rl->nargs = nargs;
	err = tracepoint_probe_register(rl->tp, (void *)bpfdev_raw_tp_probe, rl);
	if (err)
		goto free;
	kfree(name);
	fd = bpfdev_trace_link_fd(&rl->link);
	if (fd < 0) {
		bpfdev_raw_tp_detach(&rl->link);
		bpfdev_raw_tp_dealloc(&rl->link);
		bpfdev_prog_put(prog);
	}
	return fd;

free:
	kfree(name);
	kfree(rl);
	bpfdev_prog_put(prog);
	return err;
}
