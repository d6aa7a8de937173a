// SPDX-License-Identifier: GPL-2.0
/*
 * Executable memory for the JIT, and when to use it.
 *
 * The kernel exports no way to allocate executable memory to a module
 * (module_alloc and set_memory_x are not exported; vmap() forces NX), so
 * the module carries its own: an arena of int3 inside its text, which the
 * module loader maps read-only and executable within +-2 GiB of kernel
 * text.  Images are written through a temporary writable vmap() alias of
 * the arena's pages, never through the executable mapping.
 */

#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/objtool.h>
#include <linux/stringify.h>
#include <linux/vmalloc.h>
#include <asm/nospec-branch.h>

#include "jit.h"
#include "code.h"
#include "jit_arena.h"

#ifndef BPFDEV_JIT_ARENA_SIZE
#define BPFDEV_JIT_ARENA_SIZE	(4 << 20)	/* bytes; override with KCFLAGS */
#endif
#define JIT_CHUNK		64		/* allocation unit, bytes */
#define JIT_CHUNKS		(BPFDEV_JIT_ARENA_SIZE / JIT_CHUNK)

asm(".pushsection .text.bpfdev_jit_arena, \"ax\", @progbits\n"
	".balign 4096\n"
	"bpfdev_jit_arena:\n"
	/* Written and called through JITed entries, each with its own ENDBR64. */
	ANNOTATE_NOENDBR
	".fill " __stringify(BPFDEV_JIT_ARENA_SIZE) ", 1, 0xcc\n"
	".popsection\n");

static DEFINE_MUTEX(jit_arena_lock);
static DECLARE_BITMAP(jit_arena_used, JIT_CHUNKS);

static int jit_enable = 1;
module_param(jit_enable, int, 0644);
MODULE_PARM_DESC(jit_enable, "JIT eBPF programs (1, default) or interpret them (0)");

static int jit_harden = 1;
module_param(jit_harden, int, 0644);
MODULE_PARM_DESC(jit_harden, "blind JIT constants: 0 never, 1 unprivileged loads (default), 2 all");

static atomic_long_t jit_fallbacks[BPFDEV_JIT_FB_NR];

static int jit_fallbacks_get(char *buf, const struct kernel_param *kp)
{
	int i, n = 0;

	for (i = 0; i < BPFDEV_JIT_FB_NR; i++)
		n += sysfs_emit_at(buf, n, "%s%s=%ld", i ? " " : "",
				   bpfdev_jit_fallback_name(i),
				   atomic_long_read(&jit_fallbacks[i]));
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}

static const struct kernel_param_ops jit_fallbacks_ops = {
	.get = jit_fallbacks_get,
};

module_param_cb(jit_fallbacks, &jit_fallbacks_ops, NULL, 0444);
MODULE_PARM_DESC(jit_fallbacks, "programs run interpreted, by reason (read-only)");

static int jit_arena_get(char *buf, const struct kernel_param *kp)
{
	unsigned long used;

	mutex_lock(&jit_arena_lock);
	used = bitmap_weight(jit_arena_used, JIT_CHUNKS) * JIT_CHUNK;
	mutex_unlock(&jit_arena_lock);
	return sysfs_emit(buf, "used=%lu size=%u\n", used, BPFDEV_JIT_ARENA_SIZE);
}

static const struct kernel_param_ops jit_arena_ops = {
	.get = jit_arena_get,
};

module_param_cb(jit_arena, &jit_arena_ops, NULL, 0444);
MODULE_PARM_DESC(jit_arena, "bytes of the JIT arena in use and in all (read-only)");

void bpfdev_jit_prog(struct bpfdev_code *code, bool privileged)
{
	int harden = READ_ONCE(jit_harden);
	u32 flags = 0;
	int err;

	if (!READ_ONCE(jit_enable)) {
		atomic_long_inc(&jit_fallbacks[BPFDEV_JIT_FB_DISABLED]);
		return;
	}
	if (harden >= 2 || (harden == 1 && !privileged))
		flags |= BPFDEV_JIT_BLIND;
	err = bpfdev_jit_compile(code, flags);
	if (err)
		atomic_long_inc(&jit_fallbacks[bpfdev_jit_fallback_reason(err)]);
}

void *bpfdev_jit_mem_alloc(u32 size)
{
	unsigned long nr = DIV_ROUND_UP(size, JIT_CHUNK), start;

	if (!size || size > BPFDEV_JIT_ARENA_SIZE)
		return NULL;
	mutex_lock(&jit_arena_lock);
	start = bitmap_find_next_zero_area(jit_arena_used, JIT_CHUNKS, 0, nr, 0);
	if (start >= JIT_CHUNKS) {
		mutex_unlock(&jit_arena_lock);
		return NULL;
	}
	bitmap_set(jit_arena_used, start, nr);
	mutex_unlock(&jit_arena_lock);
	return bpfdev_jit_arena + start * JIT_CHUNK;
}

/*
 * Write len bytes at dst in the arena (src, or int3 when src is NULL)
 * through a temporary writable alias of its pages.  Callers free only
 * images no CPU can still be running (the program's release waits for
 * that), so the bytes can be rewritten without the text_poke() dance live
 * code would need.
 */
static int jit_arena_poke(void *dst, const void *src, u32 len)
{
	unsigned long first = (unsigned long)dst & PAGE_MASK;
	unsigned long last = ((unsigned long)dst + len - 1) & PAGE_MASK;
	unsigned int i, nr = (last - first) / PAGE_SIZE + 1;
	struct page **pages;
	void *alias;
	int err = 0;

	if (!len)
		return 0;
	if ((u8 *)dst < bpfdev_jit_arena ||
	    (u8 *)dst + len > bpfdev_jit_arena + BPFDEV_JIT_ARENA_SIZE)
		return -EINVAL;
	pages = kvcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		pages[i] = vmalloc_to_page((void *)(first + i * PAGE_SIZE));
		if (!pages[i]) {
			err = -EFAULT;
			goto out_free;
		}
	}
	alias = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	if (!alias) {
		err = -ENOMEM;
		goto out_free;
	}
	if (src)
		memcpy(alias + offset_in_page(dst), src, len);
	else
		memset(alias + offset_in_page(dst), 0xcc, len);
	vunmap(alias);
	/*
	 * vunmap() clears the alias's page tables but leaves its TLB entries
	 * to a lazy purge: until then a writable view of executable text
	 * would survive on every CPU that used it.  Flush now.
	 */
	vm_unmap_aliases();
out_free:
	kvfree(pages);
	return err;
}

int bpfdev_jit_mem_write(void *dst, const void *src, u32 len)
{
	return jit_arena_poke(dst, src, len);
}

/* Refill with int3 so a stale jump into a freed image traps at once. */
void bpfdev_jit_mem_free(void *p, u32 size)
{
	unsigned long start, nr = DIV_ROUND_UP(size, JIT_CHUNK);

	if (!p)
		return;
	start = ((u8 *)p - bpfdev_jit_arena) / JIT_CHUNK;
	jit_arena_poke(p, NULL, size);
	mutex_lock(&jit_arena_lock);
	bitmap_clear(jit_arena_used, start, nr);
	mutex_unlock(&jit_arena_lock);
}

const void *bpfdev_jit_indirect_thunk(void)
{
#if BPFDEV_RETPOLINE
	return __x86_indirect_thunk_r11;
#else
	return NULL;
#endif
}

/*
 * Images return by jumping here: the compiler ends this function with the
 * return sequence the kernel patched in at module load (a plain ret, or a
 * return thunk against retbleed/SRSO), whatever mitigation is active.
 */
static noinline notrace void bpfdev_jit_ret(void)
{
	barrier();
}

const void *bpfdev_jit_return_thunk(void)
{
#if BPFDEV_RETHUNK
	return bpfdev_jit_ret;
#else
	return NULL;
#endif
}

bool bpfdev_jit_mem_near(void)
{
	return true;
}

int bpfdev_jit_arena_init(void)
{
	if (!vmalloc_to_page(bpfdev_jit_arena)) {
		pr_err("JIT arena is not in vmalloc space, JIT disabled\n");
		jit_enable = 0;
	}
	return 0;
}
