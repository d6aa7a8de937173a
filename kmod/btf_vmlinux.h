/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_BTF_VMLINUX_H
#define BPFDEV_BTF_VMLINUX_H

#include <linux/types.h>

/* How one tracepoint argument widens to a u64, as CAST_TO_U64() does. */
struct bpfdev_tp_arg {
	u8	size;		/* bytes: 1, 2, 4 or 8 */
	bool	is_signed;	/* sign-extended, else zero-extended */
};

/*
 * The arguments tracepoint tp_name passes its probes (after the probe's
 * data), from the running kernel's BTF, into args[0..max): their number,
 * -ENOENT when the BTF has no btf_trace_<tp_name>, -EINVAL when it has
 * more than max or one no register holds.  Sleeps (reads sysfs).
 */
int bpfdev_btf_vmlinux_tp_args(const char *tp_name, struct bpfdev_tp_arg *args,
			       u32 max);

#endif /* BPFDEV_BTF_VMLINUX_H */
