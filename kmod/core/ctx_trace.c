// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing programs' contexts, read-only all four, as 6.1's
 * kernel/trace/bpf_trace.c gives them:
 *   - KPROBE: struct pt_regs (kprobe_prog_is_valid_access());
 *   - TRACEPOINT: the event's record, bounded by PERF_MAX_TRACE_SIZE here
 *     and by the event's own size at attach (max_ctx_offset); its first
 *     8 bytes hold the kernel's pt_regs pointer and are not readable
 *     (tp_prog_is_valid_access());
 *   - RAW_TRACEPOINT: u64 args[MAX_BPF_FUNC_ARGS], bounded by the
 *     tracepoint's argument count at attach (raw_tp_prog_is_valid_access());
 *   - PERF_EVENT: struct bpf_perf_event_data (pe_prog_is_valid_access()),
 *     which the host lays out as the uapi does, so sample_period and addr
 *     need no rewrite: a narrow load reads the bytes the kernel's shifted
 *     load gives on a little-endian host.
 * A refused access is the kernel's "invalid bpf_context access".
 */

#include "verifier_internal.h"

bool bpfdev_prog_type_is_trace(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_KPROBE ||
	       prog_type == BPF_PROG_TYPE_TRACEPOINT ||
	       prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	       prog_type == BPF_PROG_TYPE_PERF_EVENT;
}

static bool kprobe_prog_is_valid_access(int off, int size, int t)
{
	if (off < 0 || off >= BPFDEV_PT_REGS_SIZE)
		return false;
	if (t != BPFDEV_READ)
		return false;
	if (off % size != 0)
		return false;
	/* the kernel's assertion for 32-bit, where the last member is 4 bytes */
	return off + size <= BPFDEV_PT_REGS_SIZE;
}

static bool tp_prog_is_valid_access(int off, int size, int t)
{
	if (off < (int)sizeof(u64) || off >= BPFDEV_PERF_MAX_TRACE_SIZE)
		return false;
	if (t != BPFDEV_READ)
		return false;
	return off % size == 0;
}

/* The kernel's bpf_tracing_ctx_access(). */
static bool raw_tp_prog_is_valid_access(int off, int size, int t)
{
	if (off < 0 || off >= (int)sizeof(u64) * BPFDEV_MAX_BPF_FUNC_ARGS)
		return false;
	if (t != BPFDEV_READ)
		return false;
	return off % size == 0;
}

static bool pe_field_narrow(int off)
{
	return (off >= BPFDEV_PERF_EVENT_SAMPLE_PERIOD &&
		off < BPFDEV_PERF_EVENT_SAMPLE_PERIOD + (int)sizeof(u64)) ||
	       (off >= BPFDEV_PERF_EVENT_ADDR &&
		off < BPFDEV_PERF_EVENT_ADDR + (int)sizeof(u64));
}

static bool pe_prog_is_valid_access(int off, int size, int t, u8 *field_size)
{
	if (off < 0 || off >= BPFDEV_PERF_EVENT_DATA_SIZE)
		return false;
	if (t != BPFDEV_READ)
		return false;
	/* (the kernel's 32-bit exception for 8-byte loads does not apply) */
	if (off % size != 0)
		return false;
	if (pe_field_narrow(off)) {
		/* bpf_ctx_narrow_access_ok(): a power of two within the field */
		*field_size = sizeof(u64);
		return size <= (int)sizeof(u64) && (size & (size - 1)) == 0;
	}
	/* the registers: whole longs only */
	return size == sizeof(u64);
}

bool bpfdev_trace_is_valid_access(struct bpfdev_verifier *env, int off, int size,
				  int t, u8 *field_size)
{
	switch (env->prog_type) {
	case BPF_PROG_TYPE_KPROBE:
		return kprobe_prog_is_valid_access(off, size, t);
	case BPF_PROG_TYPE_TRACEPOINT:
		return tp_prog_is_valid_access(off, size, t);
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return raw_tp_prog_is_valid_access(off, size, t);
	case BPF_PROG_TYPE_PERF_EVENT:
		return pe_prog_is_valid_access(off, size, t, field_size);
	default:
		return false;
	}
}
