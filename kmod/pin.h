/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_PIN_H
#define BPFDEV_PIN_H

#include <linux/compiler.h>
#include <linux/types.h>

struct bpfdev_file;
union bpf_attr;

#define BPFDEV_PIN_NAME_MAX	255

int bpfdev_cmd_obj_pin(struct bpfdev_file *bf, union bpf_attr *attr,
		       union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_obj_get(struct bpfdev_file *bf, union bpf_attr *attr,
		       union bpf_attr __user *uattr, u32 size);
/* BPFDEV_IOC_OBJ_UNPIN: remove a name (bpffs' unlink). */
long bpfdev_ioctl_obj_unpin(void __user *arg);

#endif /* BPFDEV_PIN_H */
