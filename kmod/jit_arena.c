// SPDX-License-Identifier: GPL-2.0
/*
 * Executable memory for the JIT, and when to use it.
 *
 * What it costs.  The kernel exports no way to allocate executable memory
 * to a module (module_alloc, execmem_alloc and set_memory_x/rox are not
 * exported; vmap() forces NX), so the module carries its own, built from
 * exported symbols only:
 *  - An arena of int3 inside the module's own text, which the module
 *    loader maps read-only and executable (STRICT_MODULE_RWX) within
 *    +-2 GiB of kernel text, so images call helpers with rel32.  Its size
 *    is fixed when the module is built (BPFDEV_JIT_ARENA_SIZE, 4 MiB):
 *    those pages are allocated at load and stay resident until unload,
 *    used or not.  Nothing exported makes executable module memory at run
 *    time, so no load-time parameter can size it: jit_limit only decides
 *    how much of it callers without CAP_BPF/CAP_SYS_ADMIN may fill.
 *  - Images are written through a temporary writable vmap() alias of the
 *    arena's pages (vmalloc_to_page()), not through text_poke(), which is
 *    not exported: no mapping is ever writable and executable, but for the
 *    length of the copy the same pages are writable at a second address,
 *    around STRICT_MODULE_RWX.  The alias is unmapped and its TLB entries
 *    flushed before the image runs.
 *  - JITed code has no ORC data of its own and no symbols
 *    (bpf_prog_kallsyms_add() and perf's ksymbol events are the kernel's
 *    own).  The module's ORC table describes the whole arena as one frame
 *    pointer frame (below), the rule the ORC unwinder falls back to for
 *    the kernel's own JITed code, so a stack trace through a program
 *    reaches its caller; but it is unreliable (wrong inside a prologue or
 *    epilogue), names every program bpfdev_jit_arena, and perf cannot
 *    attribute samples to a program.
 *
 * When it runs out.  As the kernel's bpf_jit_limit: every image is
 * charged to one count; an image that would take the count past jit_limit
 * (half the arena by default, settable) is refused unless its loader has
 * CAP_BPF or CAP_SYS_ADMIN, so however many programs unprivileged callers
 * hold open (classic filters need no capability), the rest of the arena
 * stays for privileged loads.  A refused program runs interpreted, with
 * the same results, counted as "limit" in jit_fallbacks; one that finds no
 * room at all is counted as "nomem".  The check is made in the loading
 * task (bpfdev_jit_mem_alloc() runs inside bpfdev_jit_prog()), as
 * bpf_jit_charge_modmem() checks bpf_capable().  The count is global, not
 * per user, as the kernel's: one unprivileged user can take the whole
 * unprivileged share.  jit_arena shows used, size and limit in bytes.
 */

#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/objtool.h>
#include <linux/stringify.h>
#include <linux/vmalloc.h>
#include <asm/nospec-branch.h>
#include <asm/orc_types.h>

#include "jit.h"
#include "code.h"
#include "jit_arena.h"

#ifndef BPFDEV_JIT_ARENA_SIZE
#define BPFDEV_JIT_ARENA_SIZE	(4 << 20)	/* bytes; override with KCFLAGS */
#endif
#define JIT_CHUNK		64		/* allocation unit, bytes */
#define JIT_CHUNKS		(BPFDEV_JIT_ARENA_SIZE / JIT_CHUNK)

/*
 * The arena as the module is built: a hinted function entry, push rbp;
 * mov rbp, rsp, then nops to the end, so objtool gives the whole arena
 * the ORC entry of a body with a frame pointer (CFA = rbp + 16, rbp saved
 * at CFA - 16), which holds for every JITed function (jit_x86_64.c's
 * frame).  bpfdev_jit_arena_init() overwrites it all with int3 before
 * anything runs there; the ORC table stays.  The hint's macro took its
 * arguments in another order before 6.4, which also added the UNDEFINED
 * hint type: its presence tells the two apart.
 */
#ifdef UNWIND_HINT_TYPE_UNDEFINED
#define JIT_ARENA_HINT	UNWIND_HINT(UNWIND_HINT_TYPE_FUNC, ORC_REG_SP, 8, 0)
#else
#define JIT_ARENA_HINT	UNWIND_HINT(ORC_REG_SP, 8, UNWIND_HINT_TYPE_FUNC, 0)
#endif
/* a 15-byte nop: few instructions for objtool; .nops jumps over long runs */
#define JIT_NOP15	".byte 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0\n"

asm(".pushsection .text.bpfdev_jit_arena, \"ax\", @progbits\n"
	".balign 4096\n"
	"bpfdev_jit_arena:\n"
	/* Written and called through JITed entries, each with its own ENDBR64. */
	ANNOTATE_NOENDBR
	JIT_ARENA_HINT
	"push %rbp\n"
	"mov %rsp, %rbp\n"
	".rept (" __stringify(BPFDEV_JIT_ARENA_SIZE) " - 6) / 15\n"
	JIT_NOP15
	".endr\n"
	".fill (" __stringify(BPFDEV_JIT_ARENA_SIZE) " - 6) % 15, 1, 0x90\n"
	"ud2\n"
	".popsection\n");

/* Guards jit_arena_used and jit_arena_charged. */
static DEFINE_MUTEX(jit_arena_lock);
static DECLARE_BITMAP(jit_arena_used, JIT_CHUNKS);
static unsigned long jit_arena_charged;	/* chunks in use */

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

static unsigned long jit_limit = BPFDEV_JIT_ARENA_SIZE / 2;

static int jit_limit_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int err = kstrtoul(val, 0, &v);

	if (err)
		return err;
	/* as the kernel's bpf_jit_limit sysctl: CAP_SYS_ADMIN, not just uid 0 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (v > BPFDEV_JIT_ARENA_SIZE)
		return -ERANGE;
	WRITE_ONCE(jit_limit, v);
	return 0;
}

static const struct kernel_param_ops jit_limit_ops = {
	.set = jit_limit_set,
	.get = param_get_ulong,
};

module_param_cb(jit_limit, &jit_limit_ops, &jit_limit, 0644);
MODULE_PARM_DESC(jit_limit,
		 "bytes of the JIT arena callers without CAP_BPF/CAP_SYS_ADMIN may fill (default: half)");

static int jit_arena_get(char *buf, const struct kernel_param *kp)
{
	unsigned long used;

	mutex_lock(&jit_arena_lock);
	used = jit_arena_charged * JIT_CHUNK;
	mutex_unlock(&jit_arena_lock);
	return sysfs_emit(buf, "used=%lu size=%u limit=%lu\n", used,
			  BPFDEV_JIT_ARENA_SIZE, READ_ONCE(jit_limit));
}

static const struct kernel_param_ops jit_arena_ops = {
	.get = jit_arena_get,
};

module_param_cb(jit_arena, &jit_arena_ops, NULL, 0444);
MODULE_PARM_DESC(jit_arena, "bytes of the JIT arena in use, in all, and jit_limit (read-only)");

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

/*
 * Past jit_limit only callers with CAP_BPF or CAP_SYS_ADMIN may charge
 * more, as bpf_jit_charge_modmem(); asked only then, so loads under the
 * limit leave no capability audit record.
 */
static bool jit_arena_may_charge(unsigned long nr)
{
	if ((jit_arena_charged + nr) * JIT_CHUNK <= READ_ONCE(jit_limit))
		return true;
	return capable(CAP_BPF) || capable(CAP_SYS_ADMIN);
}

int bpfdev_jit_mem_alloc(u32 size, void **mem)
{
	unsigned long nr = DIV_ROUND_UP(size, JIT_CHUNK), start;
	int err = 0;

	*mem = NULL;
	if (!size || size > BPFDEV_JIT_ARENA_SIZE)
		return -ENOMEM;
	mutex_lock(&jit_arena_lock);
	if (!jit_arena_may_charge(nr)) {
		err = -EPERM;
		goto out;
	}
	start = bitmap_find_next_zero_area(jit_arena_used, JIT_CHUNKS, 0, nr, 0);
	if (start >= JIT_CHUNKS) {
		err = -ENOMEM;
		goto out;
	}
	bitmap_set(jit_arena_used, start, nr);
	jit_arena_charged += nr;
	*mem = bpfdev_jit_arena + start * JIT_CHUNK;
out:
	mutex_unlock(&jit_arena_lock);
	return err;
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
	jit_arena_charged -= nr;
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

/*
 * Holds nothing to release: the arena is the module's own text, freed
 * with it, and a failure only turns the JIT off (programs interpret).
 */
void bpfdev_jit_arena_init(void)
{
	if (!vmalloc_to_page(bpfdev_jit_arena)) {
		pr_err("JIT arena is not in vmalloc space, JIT disabled\n");
		jit_enable = 0;
	} else if (jit_arena_poke(bpfdev_jit_arena, NULL, BPFDEV_JIT_ARENA_SIZE)) {
		/* the nops objtool read must not stay runnable */
		pr_err("JIT arena cannot be written, JIT disabled\n");
		jit_enable = 0;
	}
}
