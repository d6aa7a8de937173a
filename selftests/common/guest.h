/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for guest C tests: open /dev/bpf and make bpf() calls through
 * BPFDEV_IOC_BPF.  Built with gcc -static (selftests/guest/build.mk).
 */
#ifndef BPFDEV_GUEST_H
#define BPFDEV_GUEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>

#include "tap.h"

#define BPFDEV_PATH "/dev/bpf"

static inline int bpfdev_open(void)
{
	return open(BPFDEV_PATH, O_RDWR | O_CLOEXEC);
}

/* bpf(cmd, attr, size) through the device: a result, or -errno. */
static inline long bpfdev_call(int fd, unsigned int cmd, const void *attr,
			       unsigned int size)
{
	struct bpfdev_call call = {
		.cmd = cmd,
		.size = size,
		.attr = (uintptr_t)attr,
	};
	long r = ioctl(fd, BPFDEV_IOC_BPF, &call);

	return r < 0 ? -errno : r;
}

/* ioctl() as a result or -errno. */
static inline long ioctl_err(int fd, unsigned long req, void *arg)
{
	long r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

#endif /* BPFDEV_GUEST_H */
