/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What guest tests do to the system around them: write and read sysctls
 * and module parameters (one line each), a monotonic clock in ms, and
 * loopback up in a fresh network namespace.
 */
#ifndef BPFDEV_GUEST_SYS_H
#define BPFDEV_GUEST_SYS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* Writes v to path: 0 or -errno. */
static inline int sys_write(const char *path, const char *v)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -errno;
	r = fputs(v, f) < 0 ? -EIO : 0;
	if (fclose(f))
		r = -errno;
	return r;
}

/* The first line of path without its newline (empty if none): 0 or -errno. */
static inline int sys_read(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Brings lo up (in a new network namespace it starts down). */
static inline int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int r;

	strcpy(ifr.ifr_name, "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	r = r ?: ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return r;
}

#endif /* BPFDEV_GUEST_SYS_H */
