/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_JIT_ARENA_H
#define BPFDEV_JIT_ARENA_H

#include <linux/types.h>

struct bpfdev_code;

/* The arena: BPFDEV_JIT_ARENA_SIZE bytes of int3 in the module's text. */
extern u8 bpfdev_jit_arena[];

void bpfdev_jit_arena_init(void);

/*
 * JIT code at program load unless jit_enable=0, blinding its constants as
 * jit_harden asks (1, the default: unprivileged loads; 2: all; 0: none);
 * a program the JIT cannot take runs interpreted and the reason is
 * counted in jit_fallbacks.  Call it in the loading task: past jit_limit
 * its CAP_BPF/CAP_SYS_ADMIN decide whether the image may take more of the
 * arena (privileged, here, only chooses blinding).
 */
void bpfdev_jit_prog(struct bpfdev_code *code, bool privileged);

#endif /* BPFDEV_JIT_ARENA_H */
