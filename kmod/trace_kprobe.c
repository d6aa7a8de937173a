// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes running BPF_PROG_TYPE_KPROBE programs.
 */

#include <linux/errno.h>

#include "trace.h"

int bpfdev_kprobe_attach(void __user *arg)
{
	return -EOPNOTSUPP;
}
