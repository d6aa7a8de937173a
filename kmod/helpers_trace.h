/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_HELPERS_TRACE_H
#define BPFDEV_HELPERS_TRACE_H

#include <linux/types.h>

/*
 * The type of the tracing program running on this CPU (trace.c), for the
 * helpers that find the probe's registers by context type; the caller is
 * that program, so the CPU cannot change under it.
 */
u32 bpfdev_trace_cur_type(void);

#endif /* BPFDEV_HELPERS_TRACE_H */
