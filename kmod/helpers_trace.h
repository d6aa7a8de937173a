/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_HELPERS_TRACE_H
#define BPFDEV_HELPERS_TRACE_H

#include <linux/types.h>

struct bpfdev_map;

/*
 * The type of the tracing program running on this CPU (trace.c), for the
 * helpers that find the probe's registers by context type; the caller is
 * that program, so the CPU cannot change under it.  A TRACEPOINT context
 * holds the probe's struct pt_regs * (or NULL) in its first 8 bytes, as
 * the kernel's perf record does.
 */
u32 bpfdev_trace_cur_type(void);

/*
 * The tracing helpers (helpers_trace.c), at the kernel's ids in
 * helpers.c's table; semantics are 6.1's.
 */
u64 bpfdev_probe_read_user(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_probe_read_kernel(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_probe_read_user_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_probe_read_kernel_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_probe_read_compat(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_probe_read_compat_str(u64 dst, u64 size, u64 unsafe_ptr, u64 r4, u64 r5);
u64 bpfdev_get_current_pid_tgid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 bpfdev_get_current_uid_gid(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 bpfdev_get_current_comm(u64 buf, u64 size, u64 r3, u64 r4, u64 r5);
u64 bpfdev_get_current_task(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5);
u64 bpfdev_send_signal(u64 sig, u64 r2, u64 r3, u64 r4, u64 r5);
u64 bpfdev_get_stackid(u64 ctx, u64 map, u64 flags, u64 r4, u64 r5);
u64 bpfdev_get_stack(u64 ctx, u64 buf, u64 size, u64 flags, u64 r5);

/* Wait for the signals programs queued (irq_work) to be sent; may sleep. */
void bpfdev_trace_helpers_sync(void);

/* The kernel's PERF_MAX_STACK_DEPTH, sysctl_perf_event_max_stack's default. */
#define BPFDEV_STACK_MAX_DEPTH	127

/*
 * BPF_MAP_TYPE_STACK_TRACE (map_stack.c): the id of the nr addresses at
 * ips, stored if new, as 6.1's __bpf_get_stackid() with its flags.
 */
long bpfdev_stackmap_get_stackid(struct bpfdev_map *map, const u64 *ips, u32 nr,
				 u64 flags);

#endif /* BPFDEV_HELPERS_TRACE_H */
