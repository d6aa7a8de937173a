// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf(2) redirected to /dev/bpf: what libbpfdev-shim.so (LD_PRELOAD) and
 * the tools that link libbpf with libbpfdev run for syscall(__NR_bpf).
 *
 * Most commands pass unchanged: the ioctl takes the kernel's union
 * bpf_attr.  What bpf(2) reaches through the filesystem is mapped here.
 * OBJ_PIN and OBJ_GET name a file on bpffs; bpfdev's pins are names in a
 * registry of the module.  A pathname whose directory is on a bpffs mount
 * becomes its canonical absolute path (so "./x" in /sys/fs/bpf and
 * "/sys/fs/bpf/x" are one pin, as they are one file), which is also what
 * bpftool and libbpf check about the path (statfs() of the directory says
 * BPF_FS_MAGIC) before they pin.  Other names pass as they are: the
 * registry takes any name, where bpf(2) would say EPERM.
 *
 * syscall() is defined here too: libbpf calls syscall(__NR_bpf, ...), so
 * a program linked with libbpfdev.a has libbpf's calls sent to /dev/bpf
 * (object.c names syscall so that this file joins every static link).
 * Other numbers are made here as libc makes them.  In libbpfdev.so the
 * definition stays local: a program using the shared library loads
 * objects on /dev/bpf under bpfdev-run, as any libbpf program does.
 */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>

#include "internal.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC	0xcafe4a11
#endif

/* The directory part of path (a copy in dir), "." when there is none. */
static void bpfdev_path_dir(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash) {
		snprintf(dir, size, ".");
		return;
	}
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= size)
		len = size - 1;
	memcpy(dir, path, len);
	dir[len] = 0;
}

bool bpfdev_path_on_bpffs(const char *path)
{
	char dir[PATH_MAX];
	struct statfs st;

	bpfdev_path_dir(path, dir, sizeof(dir));
	return !statfs(dir, &st) && (unsigned long)st.f_type == BPF_FS_MAGIC;
}

/*
 * The registry name of a bpffs path into name (size bytes): the real path
 * of its directory and its last component.  Returns false when path is
 * not on bpffs or does not fit, and the name is path itself.
 */
bool bpfdev_pin_path(const char *path, char *name, size_t size)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *base = strrchr(path, '/');
	int n;

	if (!bpfdev_path_on_bpffs(path))
		return false;
	bpfdev_path_dir(path, dir, sizeof(dir));
	if (!realpath(dir, real))
		return false;
	base = base ? base + 1 : path;
	n = snprintf(name, size, "%s/%s", strcmp(real, "/") ? real : "", base);
	return n > 0 && (size_t)n < size;
}

int bpfdev_redirect_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	char name[PATH_MAX];
	union bpf_attr copy;
	const char *path;

	/* An attr larger than ours goes as it is: the module checks its tail. */
	if ((cmd != BPF_OBJ_PIN && cmd != BPF_OBJ_GET) || !attr ||
	    size < offsetofend(union bpf_attr, pathname) ||
	    size > sizeof(copy) || !attr->pathname)
		return bpfdev_sys_bpf(cmd, attr, size);
	path = (const char *)(uintptr_t)attr->pathname;
	if (!bpfdev_pin_path(path, name, sizeof(name)))
		return bpfdev_sys_bpf(cmd, attr, size);
	/* The caller's attr stays as it passed it. */
	memset(&copy, 0, sizeof(copy));
	memcpy(&copy, attr, size);
	copy.pathname = ptr_to_u64(name);
	return bpfdev_sys_bpf(cmd, &copy, size);
}

/* libc's syscall(): the instruction, and errno from a -4095..-1 result. */
static long bpfdev_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
			       long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a" (ret)
			  : "a" (nr), "D" (a1), "S" (a2), "d" (a3), "r" (r10), "r" (r8), "r" (r9)
			  : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = -ret;
		return -1;
	}
	return ret;
}

__attribute__((visibility("default"))) long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i, ret;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr != SYS_bpf)
		return bpfdev_raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	ret = bpfdev_redirect_bpf((int)a[0], (union bpf_attr *)a[1], (unsigned int)a[2]);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}
