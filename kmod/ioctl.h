/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_IOCTL_H
#define BPFDEV_IOCTL_H

#include <linux/compiler.h>

struct bpfdev_file;

long bpfdev_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg);

#endif /* BPFDEV_IOCTL_H */
