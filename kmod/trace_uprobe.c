// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes and uretprobes running BPF_PROG_TYPE_KPROBE programs.
 */

#include <linux/errno.h>

#include "trace.h"

int bpfdev_uprobe_attach(void __user *arg)
{
	return -EOPNOTSUPP;
}
