/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86-64 JIT: turns a program's xlated instructions into machine code
 * that runs with the same results as the interpreter.
 *
 * The JIT itself is portable core code; the executable memory it fills
 * belongs to the host: kmod/jit_arena.c in the module (an arena inside the
 * module's own text, written through a temporary alias), jit_mem_user.c in
 * userspace (mmap, write, mprotect to read+exec).  Neither host ever maps
 * the image writable and executable at once.
 */
#ifndef BPFDEV_CORE_JIT_H
#define BPFDEV_CORE_JIT_H

#include "platform.h"

struct bpf_insn;
struct bpfdev_code;

/*
 * Why a program runs interpreted.  bpfdev_jit_compile() maps each to one
 * errno so hosts can count fallbacks without another out parameter.
 */
enum bpfdev_jit_fallback {
	BPFDEV_JIT_FB_DISABLED,		/* jit_enable=0 (counted by the host) */
	BPFDEV_JIT_FB_NOMEM,		/* -ENOMEM: arena or scratch memory full */
	BPFDEV_JIT_FB_UNSUPPORTED,	/* -EOPNOTSUPP: an instruction it cannot do */
	BPFDEV_JIT_FB_INVALID,		/* -EINVAL: malformed (bad jump, no helper) */
	BPFDEV_JIT_FB_TOO_BIG,		/* -E2BIG: image too large or not converging */
	BPFDEV_JIT_FB_LIMIT,		/* -EPERM: the host's limit for this caller */
	BPFDEV_JIT_FB_NR
};

/* The fallback reason an error from bpfdev_jit_compile() stands for. */
enum bpfdev_jit_fallback bpfdev_jit_fallback_reason(int err);
const char *bpfdev_jit_fallback_name(enum bpfdev_jit_fallback reason);

/* Flags of bpfdev_jit_compile(). */
#define BPFDEV_JIT_BLIND	0x1U	/* blind constants (bpf_jit_harden) */
/*
 * The bpf_conformance "unwind" helper (as bpfdev_run_opts.unwind_helper):
 * when helper id returns 0 the whole program ends with r0 = 0.
 */
#define BPFDEV_JIT_UNWIND(id)		(((u32)(id) & 0xff) << 8)
#define BPFDEV_JIT_UNWIND_ID(flags)	(((flags) >> 8) & 0xff)

/*
 * Compile code->insns (verified, trusted) into an image and set
 * code->jited, jit_image and jit_len.  Returns 0 or a negative errno (see
 * enum bpfdev_jit_fallback); on error code is left untouched and runs
 * interpreted.  May sleep: call at program load, in process context.
 * code->insns is never changed, even when blinding.
 */
int bpfdev_jit_compile(struct bpfdev_code *code, u32 flags);

/* Release the image of a compiled program; code runs interpreted again. */
void bpfdev_jit_free(struct bpfdev_code *code);

/*
 * Constant blinding (as the kernel's bpf_jit_blind_constants()): a copy of
 * insns[0..len) where every immediate operand is replaced by imm ^ key and
 * an xor with key through BPF_REG_AX, with a fresh random key per
 * immediate, and every jump offset adjusted.  *out is allocated with
 * bpfdev_zalloc(); the caller frees it.  Returns 0 or -ENOMEM/-E2BIG.
 */
#define BPFDEV_REG_AX	MAX_BPF_REG	/* the JIT's hidden scratch register */
int bpfdev_jit_blind(const struct bpf_insn *insns, u32 len,
		     struct bpf_insn **out, u32 *out_len);

/* ---- services of the host ---------------------------------------------- */

/*
 * Executable memory.  bpfdev_jit_mem_alloc() sets *mem to size bytes that
 * are not yet runnable and returns 0, or returns -ENOMEM (no room) or
 * -EPERM (the caller may not take more: the module's jit_limit);
 * bpfdev_jit_mem_write() fills them once with the finished image, after
 * which they are executable and read-only; free takes the size given to
 * alloc.  alloc and free may sleep; alloc runs in the task that loads the
 * program (bpfdev_jit_compile()), so the host may judge its credentials.
 */
int bpfdev_jit_mem_alloc(u32 size, void **mem);
int bpfdev_jit_mem_write(void *dst, const void *src, u32 len);
void bpfdev_jit_mem_free(void *p, u32 size);

/*
 * Where an indirect call or jump through r11 and a return must go instead
 * of the plain instruction (retpoline and return thunks), or NULL for the
 * plain instruction.  Calls from the image use rel32 when the host says
 * every target is within +-2 GiB of its memory (the module area), else an
 * absolute address in a register.
 */
const void *bpfdev_jit_indirect_thunk(void);
const void *bpfdev_jit_return_thunk(void);
bool bpfdev_jit_mem_near(void);

#endif /* BPFDEV_CORE_JIT_H */
