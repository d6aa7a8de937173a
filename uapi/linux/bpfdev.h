/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bpfdev: a BSD-style BPF device for Linux.
 *
 * This header is the only contract between bpfdev.ko and userspace.
 *
 * /dev/bpf takes one ioctl that mirrors bpf(2):
 *
 *	union bpf_attr attr = { ... };
 *	struct bpfdev_call call = {
 *		.cmd = BPF_PROG_LOAD, .size = sizeof(attr),
 *		.attr = (__u64)(unsigned long)&attr,
 *	};
 *	int fd = ioctl(devfd, BPFDEV_IOC_BPF, &call);
 *
 * Command numbers, union bpf_attr, struct bpf_insn, map and program types,
 * flags and error codes are the kernel's own from <linux/bpf.h>.  The
 * ioctl returns what bpf(2) would: a new fd, 0, or -1 with errno set.
 */
#ifndef _UAPI_LINUX_BPFDEV_H
#define _UAPI_LINUX_BPFDEV_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on incompatible changes; minor on additions. */
#define BPFDEV_ABI_MAJOR	1
#define BPFDEV_ABI_MINOR	0

#define BPFDEV_IOC_MAGIC	'B'

/* One bpf(2) call: cmd and size as bpf(2) takes them, attr a user pointer. */
struct bpfdev_call {
	__u32		cmd;	/* enum bpf_cmd */
	__u32		size;	/* bytes at attr, as bpf(2)'s third argument */
	__aligned_u64	attr;	/* union bpf_attr __user * */
};

/* Feature bits in struct bpfdev_version.features. */
#define BPFDEV_FEAT_BPF		(1ULL << 0)	/* BPFDEV_IOC_BPF */

struct bpfdev_version {
	__u32		abi_major;	/* BPFDEV_ABI_MAJOR of the module */
	__u32		abi_minor;	/* BPFDEV_ABI_MINOR of the module */
	__aligned_u64	features;	/* BPFDEV_FEAT_* */
	char		release[32];	/* module version string, NUL-ended */
};

/* ioctl numbers start at 0x40 to stay clear of BSD's BIOC range. */
#define BPFDEV_IOC_VERSION	_IOR(BPFDEV_IOC_MAGIC, 0x40, struct bpfdev_version)
#define BPFDEV_IOC_BPF		_IOW(BPFDEV_IOC_MAGIC, 0x41, struct bpfdev_call)

#endif /* _UAPI_LINUX_BPFDEV_H */
