/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two sides of a differential test against the kernel: one bpf()
 * command through the guest kernel's own bpf(2) (dev < 0) or through a
 * /dev/bpf fd (BPFDEV_IOC_BPF), a result or -errno either way, so that a
 * test runs the same attr on both and compares.  Used by the t_17_parity
 * guest tests and the map_diff and prog_diff fuzzers.
 */
#ifndef BPFDEV_BPF_SIDES_H
#define BPFDEV_BPF_SIDES_H

#include <sys/syscall.h>

#include "guest.h"

static inline long bpf_side_call(int dev, unsigned int cmd, void *attr, unsigned int size)
{
	long r;

	if (dev >= 0)
		return bpfdev_call(dev, cmd, attr, size);
	r = syscall(__NR_bpf, cmd, attr, size);
	return r < 0 ? -errno : r;
}

#endif /* BPFDEV_BPF_SIDES_H */
