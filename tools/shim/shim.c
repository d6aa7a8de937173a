// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpfdev-shim.so: LD_PRELOAD it (or run `bpfdev-run CMD...`) and a
 * program's bpf(2) calls go to /dev/bpf instead of the kernel's BPF.
 *
 * libbpf and bpftool call syscall(__NR_bpf, ...) through libc, never the
 * instruction, so interposing syscall() catches them all: libbpfdev's
 * redirect.c defines it (every other number is made as libc makes it),
 * and this library exports it.  unlink() and unlinkat() of a bpffs path that
 * is a bpfdev pin and no file remove the pin, as unlink() of a pinned
 * file on bpffs does.  Programs that enter the kernel themselves (an
 * inline `syscall` instruction, a static binary) are out of reach.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

#define BPFDEV_SHIM_API	__attribute__((visibility("default")))

typedef int (*bpfdev_unlink_fn)(const char *path);
typedef int (*bpfdev_unlinkat_fn)(int dirfd, const char *path, int flags);

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
