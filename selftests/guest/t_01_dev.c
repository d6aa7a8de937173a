// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/bpf basics: open/close cycles, errors for unknown ioctls and bpf()
 * commands, the attr size rules of bpf(2), and the version query.
 */

#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <sys/syscall.h>

#include "guest.h"

static char big[8192] __attribute__((aligned(8)));

static void test_open_close(void)
{
	int i, fd, first = -1, bad = 0;

	for (i = 0; i < 1000; i++) {
		fd = bpfdev_open();
		if (fd < 0) {
			bad++;
			continue;
		}
		if (first < 0)
			first = fd;
		if (fd != first)	/* a leaked fd would move the number */
			bad++;
		if (close(fd))
			bad++;
	}
	ok_eq(bad, 0, "1000 open/close cycles");
}

static void test_unknown_ioctls(int fd)
{
	struct termios t;
	char buf[64] = { 0 };

	ok_eq(ioctl_err(fd, _IO(BPFDEV_IOC_MAGIC, 0x7f), NULL), -ENOTTY,
	      "unknown ioctl in our range gives ENOTTY");
	ok_eq(ioctl_err(fd, TCGETS, &t), -ENOTTY, "TCGETS gives ENOTTY");
	ok_eq(ioctl_err(fd, _IOW(BPFDEV_IOC_MAGIC, 0x41, buf), buf), -ENOTTY,
	      "BPFDEV_IOC_BPF with the wrong size gives ENOTTY");
	ok_eq(ioctl_err(fd, 0, NULL), -ENOTTY, "ioctl 0 gives ENOTTY");
}

static void test_unknown_cmds(int fd)
{
	union bpf_attr attr;
	static const unsigned int cmds[] = { BPF_PROG_BIND_MAP + 1, 1000, 0xffffffffu };
	unsigned int i;

	memset(&attr, 0, sizeof(attr));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ok_eq(bpfdev_call(fd, cmds[i], &attr, sizeof(attr)), -EINVAL,
		      "unknown bpf() command %u gives EINVAL", cmds[i]);
}

static long kernel_bpf(unsigned int cmd, void *attr, unsigned int size)
{
	long r = syscall(__NR_bpf, cmd, attr, size);

	return r < 0 ? -errno : r;
}

static void test_attr_size(int fd)
{
	size_t known = sizeof(union bpf_attr);

	memset(big, 0, sizeof(big));
	ok_eq(bpfdev_call(fd, 1000, big, known + 8), -EINVAL,
	      "oversized attr with a zero tail is accepted (then EINVAL)");
	/*
	 * Non-zero past this header's union: E2BIG only where the running
	 * kernel's union ends there too (6.1); a newer kernel's is larger,
	 * the byte is a field of it and the unknown command says EINVAL.
	 * The module is built with that kernel's headers: its bpf()'s answer.
	 */
	big[known + 5] = 1;
	ok_eq(bpfdev_call(fd, 1000, big, known + 8), kernel_bpf(1000, big, known + 8),
	      "oversized attr with a non-zero tail: the running kernel's bpf() answer");
	big[known + 5] = 0;
	ok_eq(bpfdev_call(fd, 1000, big, 4096 + 1), -E2BIG,
	      "attr larger than a page gives E2BIG");
	ok_eq(bpfdev_call(fd, 1000, big, 4), -EINVAL,
	      "short attr is zero-extended (then EINVAL)");
	ok_eq(bpfdev_call(fd, 1000, NULL, known), -EFAULT,
	      "NULL attr gives EFAULT");
	ok_eq(bpfdev_call(fd, 1000, (void *)16, known + 8), -EFAULT,
	      "bad attr pointer with a tail gives EFAULT");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_BPF, NULL), -EFAULT,
	      "NULL bpfdev_call gives EFAULT");
}

static void test_version(int fd)
{
	struct bpfdev_version v;
	char sys[64] = "";
	FILE *f;

	memset(&v, 0xa5, sizeof(v));
	ok_eq(ioctl_err(fd, BPFDEV_IOC_VERSION, &v), 0, "version ioctl");
	ok_eq(v.abi_major, 1, "ABI major is 1");
	ok_eq(v.abi_minor, 0, "ABI minor is 0");
	ok(v.features & BPFDEV_FEAT_BPF, "features has BPFDEV_FEAT_BPF");
	ok(memchr(v.release, 0, sizeof(v.release)) != NULL,
	   "release string is NUL-terminated");
	f = fopen("/sys/module/bpfdev/version", "r");
	if (f) {
		if (!fgets(sys, sizeof(sys), f))
			sys[0] = 0;
		sys[strcspn(sys, "\n")] = 0;
		fclose(f);
	}
	ok(sys[0] && memchr(v.release, 0, sizeof(v.release)) &&
	   !strcmp(v.release, sys),
	   "release \"%.32s\" matches the module version \"%s\"",
	   memchr(v.release, 0, sizeof(v.release)) ? v.release : "?", sys);
	ok_eq(ioctl_err(fd, BPFDEV_IOC_VERSION, NULL), -EFAULT,
	      "version ioctl to NULL gives EFAULT");
}

int main(void)
{
	int fd;

	tap_plan(24);
	test_open_close();
	fd = bpfdev_open();
	if (!ok(fd >= 0, "open %s", BPFDEV_PATH))
		tap_bail("cannot open %s: %s", BPFDEV_PATH, strerror(errno));
	test_unknown_ioctls(fd);
	test_unknown_cmds(fd);
	test_attr_size(fd);
	test_version(fd);
	ok_eq(close(fd), 0, "close");
	return tap_done();
}
