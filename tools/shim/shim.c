// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpfdev-shim.so: LD_PRELOAD it (or run `bpfdev-run CMD...`) and a
 * program's bpf(2) calls go to /dev/bpf instead of the kernel's BPF.
 *
 * libbpf and bpftool call syscall(__NR_bpf, ...) through libc, never the
 * instruction, so interposing syscall() catches them all; every other
 * number goes on to libc's.  unlink() and unlinkat() of a bpffs path that
 * is a bpfdev pin and no file remove the pin, as unlink() of a pinned
 * file on bpffs does.  Programs that enter the kernel themselves (an
 * inline `syscall` instruction, a static binary) are out of reach.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define BPFDEV_SHIM_API	__attribute__((visibility("default")))

typedef long (*bpfdev_syscall_fn)(long nr, ...);
typedef int (*bpfdev_unlink_fn)(const char *path);
typedef int (*bpfdev_unlinkat_fn)(int dirfd, const char *path, int flags);

BPFDEV_SHIM_API long syscall(long nr, ...)
{
	static bpfdev_syscall_fn next;
	long a[6];
	va_list ap;
	int i, ret;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr == SYS_bpf) {
		ret = bpfdev_redirect_bpf((int)a[0], (union bpf_attr *)a[1],
					  (unsigned int)a[2]);
		if (ret < 0) {
			errno = -ret;
			return -1;
		}
		return ret;
	}
	if (!next)
		next = (bpfdev_syscall_fn)dlsym(RTLD_NEXT, "syscall");
	if (!next) {
		errno = ENOSYS;
		return -1;
	}
	return next(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* After a failed unlink of path (errno ENOENT): a pin of that name goes. */
static int bpfdev_shim_unpin(const char *path)
{
	char name[PATH_MAX];

	if (!bpfdev_pin_path(path, name, sizeof(name)) || bpfdev_obj_unpin(name)) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

BPFDEV_SHIM_API int unlink(const char *path)
{
	static bpfdev_unlink_fn next;
	int ret;

	if (!next)
		next = (bpfdev_unlink_fn)dlsym(RTLD_NEXT, "unlink");
	if (!next) {
		errno = ENOSYS;
		return -1;
	}
	ret = next(path);
	if (ret < 0 && errno == ENOENT)
		return bpfdev_shim_unpin(path);
	return ret;
}

BPFDEV_SHIM_API int unlinkat(int dirfd, const char *path, int flags)
{
	static bpfdev_unlinkat_fn next;
	int ret;

	if (!next)
		next = (bpfdev_unlinkat_fn)dlsym(RTLD_NEXT, "unlinkat");
	if (!next) {
		errno = ENOSYS;
		return -1;
	}
	ret = next(dirfd, path, flags);
	/* Only names the registry can hold: absolute, or from the cwd. */
	if (ret < 0 && errno == ENOENT && !(flags & AT_REMOVEDIR) &&
	    (path[0] == '/' || dirfd == AT_FDCWD))
		return bpfdev_shim_unpin(path);
	return ret;
}
