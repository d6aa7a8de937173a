// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-version: print what BPFDEV_IOC_VERSION reports.  A small guest
 * tool for the demo and for checking which module is loaded.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/bpfdev.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/bpf";
	struct bpfdev_version v;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "bpfdev-version: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(&v, 0, sizeof(v));
	if (ioctl(fd, BPFDEV_IOC_VERSION, &v) < 0) {
		fprintf(stderr, "bpfdev-version: BPFDEV_IOC_VERSION: %s\n",
			strerror(errno));
		close(fd);
		return 1;
	}
	v.release[sizeof(v.release) - 1] = 0;
	printf("bpfdev %s, ABI %u.%u, features %#llx\n", v.release,
	       v.abi_major, v.abi_minor, (unsigned long long)v.features);
	close(fd);
	return 0;
}
