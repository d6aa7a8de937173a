/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_HELPERS_H
#define BPFDEV_HELPERS_H

#include <linux/types.h>

#include "code.h"

/*
 * The module's helper table, indexed by the kernel's helper ids, so
 * clang-compiled programs call helpers unchanged; prog.c gives it to the
 * verifier (what is offered) and to every program (what runs).
 */
extern const struct bpfdev_env bpfdev_env;

/* Ring buffer helpers, kmod/map_ringbuf.c. */
u64 bpfdev_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5);
u64 bpfdev_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5);
u64 bpfdev_ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5);
u64 bpfdev_ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5);
u64 bpfdev_ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5);

/* Tail calls, kmod/map_prog_array.c. */
const struct bpfdev_code *bpfdev_prog_array_target(void *map, u32 index);

/* trace_printk's output: /sys/kernel/debug/bpfdev/trace_pipe. */
int bpfdev_helpers_init(void);
void bpfdev_helpers_exit(void);

#endif /* BPFDEV_HELPERS_H */
