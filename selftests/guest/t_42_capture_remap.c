// SPDX-License-Identifier: GPL-2.0
/*
 * The ring size is fixed while the ring is mapped, and only then: every
 * mapping counts (the first mmap(), the pieces a partial munmap() leaves,
 * the copy a fork() makes), and once the last one is gone the ring can be
 * resized and mapped again at its new size.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "guest.h"

#define PAGE	4096UL

static struct bpfdev_cap_info info(int fd)
{
	struct bpfdev_cap_info i = { 0 };

	ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &i);
	return i;
}

static long ring_size(int fd, uint32_t v)
{
	return ioctl_err(fd, BPFDEV_IOC_CAP_RING_SIZE, &v);
}

static int mapped(int fd)
{
	return !!(info(fd).flags & BPFDEV_CAP_MAPPED);
}

static void *map(int fd, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

int main(void)
{
	size_t len4 = BPFDEV_RING_DATA_OFF + (4UL << 20);
	size_t len1 = BPFDEV_RING_DATA_OFF + (1UL << 20);
	struct bpfdev_ring_ctl *ctl;
	int fd = bpfdev_open(), p[2], st;
	char c = 0;
	void *m;
	pid_t pid;

	tap_plan(0);
	if (fd < 0)
		tap_bail("open /dev/bpf: %s", strerror(errno));

	m = map(fd, len4);
	if (!ok(m != MAP_FAILED, "mmap the default 4 MiB ring"))
		return tap_done();
	ok(mapped(fd), "info: mapped");
	ok_eq(ring_size(fd, 1 << 20), -EBUSY, "resize while mapped: EBUSY");
	munmap(m, len4);
	ok(!mapped(fd), "munmap: info no longer says mapped");
	ok_eq(ring_size(fd, 1 << 20), 0, "after munmap the ring can be resized");
	ok_eq(info(fd).ring_size, 1 << 20, "info: ring_size 1 MiB");
	ok(map(fd, len4) == MAP_FAILED && errno == EINVAL, "mmap at the old size: EINVAL");
	m = map(fd, len1);
	ctl = m;
	ok(m != MAP_FAILED && ctl->ring_size == 1 << 20, "mmap at the new size: ring_size 1 MiB");

	/* A partial munmap leaves a mapping: still fixed until it goes too. */
	ok_eq(munmap((char *)m + len1 - PAGE, PAGE), 0, "munmap the last page only");
	ok_eq(ring_size(fd, 4 << 20), -EBUSY, "the rest still mapped: EBUSY");
	munmap(m, len1 - PAGE);
	ok_eq(ring_size(fd, 4 << 20), 0, "all unmapped: resize to 4 MiB");

	/* A fork()ed copy of the mapping counts as one. */
	m = map(fd, len4);
	if (!ok(m != MAP_FAILED && !pipe(p), "mmap again, and a pipe"))
		return tap_done();
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		(void)!read(p[0], &c, 1);	/* hold the copy until told */
		_exit(0);
	}
	close(p[0]);
	munmap(m, len4);
	ok_eq(ring_size(fd, 1 << 20), -EBUSY, "the child's copy is still mapped: EBUSY");
	close(p[1]);
	waitpid(pid, &st, 0);
	ok(!mapped(fd), "the child exited: not mapped");
	ok_eq(ring_size(fd, 1 << 20), 0, "resize after the child's copy is gone");
	m = map(fd, len1);
	ok(m != MAP_FAILED, "and map it at 1 MiB");
	munmap(m, len1);
	close(fd);
	return tap_done();
}
