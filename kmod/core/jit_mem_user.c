// SPDX-License-Identifier: GPL-2.0
/*
 * Executable memory for the JIT in userspace (bpfvm, tests, benchmarks):
 * fresh anonymous pages mapped read+write, filled once, then turned
 * read+exec.  Never writable and executable at once (W^X).  In the module
 * kmod/jit_arena.c provides the same services.
 */
#ifndef __KERNEL__

#include <sys/mman.h>
#include <unistd.h>

#include "jit.h"

static size_t jit_mem_round(u32 size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return ((size_t)size + page - 1) & ~(page - 1);
}

int bpfdev_jit_mem_alloc(u32 size, void **mem)
{
	void *p;

	*mem = NULL;
	if (!size)
		return -ENOMEM;
	p = mmap(NULL, jit_mem_round(size), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	/* int3 everywhere the image does not cover */
	memset(p, 0xcc, jit_mem_round(size));
	*mem = p;
	return 0;
}

int bpfdev_jit_mem_write(void *dst, const void *src, u32 len)
{
	memcpy(dst, src, len);
	if (mprotect(dst, jit_mem_round(len), PROT_READ | PROT_EXEC))
		return -errno;
	__builtin___clear_cache((char *)dst, (char *)dst + len);
	return 0;
}

void bpfdev_jit_mem_free(void *p, u32 size)
{
	if (p)
		munmap(p, jit_mem_round(size));
}

const void *bpfdev_jit_indirect_thunk(void)
{
	return NULL;
}

const void *bpfdev_jit_return_thunk(void)
{
	return NULL;
}

/* mmap may place the image anywhere: call helpers by absolute address. */
bool bpfdev_jit_mem_near(void)
{
	return false;
}

#endif /* !__KERNEL__ */
