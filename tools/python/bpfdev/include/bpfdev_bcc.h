/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bcc's program-side vocabulary over libbpf's: what BPF(text=...) puts in
 * front of a bcc-style C snippet (clang -include).  Tables are libbpf .maps
 * with BTF key and value types, so the Python side reads their types from
 * the object.
 *
 * bcc's method calls (counts.increment(key), events.perf_submit(...)) are
 * not C: bpfdev/rewriter.py turns NAME.method( into bpfdev_bcc_method(NAME,
 * and the macros below do the work.  Deliberate differences from bcc:
 *   - BPF_PERF_OUTPUT is a BPF_MAP_TYPE_RINGBUF (bpfdev has no perf event
 *     array); perf_submit() is bpf_ringbuf_output();
 *   - BPF_HISTOGRAM is an array for an int/u32 key, else a hash, as bcc;
 *   - the kernel's types (struct task_struct, ...) come from its BTF, not
 *     its headers, for a program that includes a kernel header
 *     (BPFDEV_KERNEL_TYPES, see bpfdev/kernel_btf.py); accesses through
 *     kernel pointers are then probe reads (bpfdev/deref.py), as in bcc.
 */
#ifndef BPFDEV_BCC_H
#define BPFDEV_BCC_H

#ifdef BPFDEV_KERNEL_TYPES
/* Every kernel type, the uapi's among them: those headers would clash. */
#include <bpfdev_vmlinux.h>
#include "bpfdev_kernel.h"
#else
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/ptrace.h>
#include <asm/ptrace.h>
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef TASK_COMM_LEN
#define TASK_COMM_LEN	16
#endif
#ifndef PERF_MAX_STACK_DEPTH
#define PERF_MAX_STACK_DEPTH	127
#endif
#ifndef __user
#define __user
#endif

/* Optional trailing arguments: the macro of the argument count. */
#define BPFDEV_NARG(...)	BPFDEV_NARG_(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define BPFDEV_NARG_(a1, a2, a3, a4, a5, a6, n, ...)	n
#define BPFDEV_CAT(a, b)	BPFDEV_CAT_(a, b)
#define BPFDEV_CAT_(a, b)	a##b
#define BPFDEV_PICK(base, ...)	BPFDEV_CAT(base, BPFDEV_NARG(__VA_ARGS__))(__VA_ARGS__)

#define BPFDEV_MAP(mtype, name, ktype, vtype, n)		\
	struct {						\
		__uint(type, mtype);				\
		__type(key, ktype);				\
		__type(value, vtype);				\
		__uint(max_entries, n);				\
	} name SEC(".maps")

/* ---- tables ---------------------------------------------------------------- */

#define BPF_HASH(...)		BPFDEV_PICK(BPFDEV_HASH, __VA_ARGS__)
#define BPFDEV_HASH1(name)	BPFDEV_HASH4(name, u64, u64, 10240)
#define BPFDEV_HASH2(name, k)	BPFDEV_HASH4(name, k, u64, 10240)
#define BPFDEV_HASH3(name, k, v)	BPFDEV_HASH4(name, k, v, 10240)
#define BPFDEV_HASH4(name, k, v, n)	BPFDEV_MAP(BPF_MAP_TYPE_HASH, name, k, v, n)

#define BPF_LRU_HASH(...)	BPFDEV_PICK(BPFDEV_LRU_HASH, __VA_ARGS__)
#define BPFDEV_LRU_HASH1(name)	BPFDEV_LRU_HASH4(name, u64, u64, 10240)
#define BPFDEV_LRU_HASH2(name, k)	BPFDEV_LRU_HASH4(name, k, u64, 10240)
#define BPFDEV_LRU_HASH3(name, k, v)	BPFDEV_LRU_HASH4(name, k, v, 10240)
#define BPFDEV_LRU_HASH4(name, k, v, n)	BPFDEV_MAP(BPF_MAP_TYPE_LRU_HASH, name, k, v, n)

#define BPF_PERCPU_HASH(...)	BPFDEV_PICK(BPFDEV_PERCPU_HASH, __VA_ARGS__)
#define BPFDEV_PERCPU_HASH1(name)	BPFDEV_PERCPU_HASH4(name, u64, u64, 10240)
#define BPFDEV_PERCPU_HASH2(name, k)	BPFDEV_PERCPU_HASH4(name, k, u64, 10240)
#define BPFDEV_PERCPU_HASH3(name, k, v)	BPFDEV_PERCPU_HASH4(name, k, v, 10240)
#define BPFDEV_PERCPU_HASH4(name, k, v, n) \
	BPFDEV_MAP(BPF_MAP_TYPE_PERCPU_HASH, name, k, v, n)

#define BPF_ARRAY(...)		BPFDEV_PICK(BPFDEV_ARRAY, __VA_ARGS__)
#define BPFDEV_ARRAY1(name)	BPFDEV_ARRAY3(name, u64, 10240)
#define BPFDEV_ARRAY2(name, v)	BPFDEV_ARRAY3(name, v, 10240)
#define BPFDEV_ARRAY3(name, v, n)	BPFDEV_MAP(BPF_MAP_TYPE_ARRAY, name, int, v, n)

#define BPF_PERCPU_ARRAY(...)	BPFDEV_PICK(BPFDEV_PERCPU_ARRAY, __VA_ARGS__)
#define BPFDEV_PERCPU_ARRAY1(name)	BPFDEV_PERCPU_ARRAY3(name, u64, 10240)
#define BPFDEV_PERCPU_ARRAY2(name, v)	BPFDEV_PERCPU_ARRAY3(name, v, 10240)
#define BPFDEV_PERCPU_ARRAY3(name, v, n) \
	BPFDEV_MAP(BPF_MAP_TYPE_PERCPU_ARRAY, name, int, v, n)

/* An int-like key indexes an array (every slot exists), others hash. */
#define BPFDEV_IS_INDEX(k)						\
	(__builtin_types_compatible_p(k, int) ||			\
	 __builtin_types_compatible_p(k, unsigned int))
#define BPF_HISTOGRAM(...)	BPFDEV_PICK(BPFDEV_HIST, __VA_ARGS__)
#define BPFDEV_HIST1(name)	BPFDEV_HIST3(name, int, 64)
#define BPFDEV_HIST2(name, k)	BPFDEV_HIST3(name, k, 64)
#define BPFDEV_HIST3(name, k, n)					\
	BPFDEV_MAP(BPFDEV_IS_INDEX(k) ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH, \
		   name, k, u64, n)

#define BPF_STACK_TRACE(name, n)					\
	BPFDEV_MAP(BPF_MAP_TYPE_STACK_TRACE, name, u32, u64[PERF_MAX_STACK_DEPTH], n)

#define BPF_PROG_ARRAY(name, n)	BPFDEV_MAP(BPF_MAP_TYPE_PROG_ARRAY, name, u32, u32, n)

#define BPFDEV_RINGBUF(name, bytes)				\
	struct {						\
		__uint(type, BPF_MAP_TYPE_RINGBUF);		\
		__uint(max_entries, bytes);			\
	} name SEC(".maps")
#define BPF_RINGBUF_OUTPUT(name, pages)	BPFDEV_RINGBUF(name, (pages) * 4096)
/* bcc's per-CPU perf buffers are one ring buffer here (see the top). */
#define BPF_PERF_OUTPUT(name)		BPFDEV_RINGBUF(name, 64 * 4096)

/* ---- table methods (NAME.method( becomes bpfdev_bcc_method(NAME, ) --------- */

#define BPFDEV_KEY_T(m)		typeof(*(m).key)
#define BPFDEV_VAL_T(m)		typeof(*(m).value)

#define bpfdev_bcc_lookup(m, k)		((BPFDEV_VAL_T(m) *)bpf_map_lookup_elem(&(m), (k)))
#define bpfdev_bcc_update(m, k, v)	bpf_map_update_elem(&(m), (k), (v), BPF_ANY)
#define bpfdev_bcc_insert(m, k, v)	bpf_map_update_elem(&(m), (k), (v), BPF_NOEXIST)
#define bpfdev_bcc_delete(m, k)		bpf_map_delete_elem(&(m), (k))

#define bpfdev_bcc_lookup_or_try_init(m, k, init) ({			\
	BPFDEV_VAL_T(m) *__v = bpfdev_bcc_lookup(m, k);			\
	if (!__v) {							\
		bpf_map_update_elem(&(m), (k), (init), BPF_NOEXIST);	\
		__v = bpfdev_bcc_lookup(m, k);				\
	}								\
	__v;								\
})
#define bpfdev_bcc_lookup_or_init(m, k, init)	bpfdev_bcc_lookup_or_try_init(m, k, init)

#define bpfdev_bcc_increment(...)	BPFDEV_PICK(bpfdev_bcc_increment, __VA_ARGS__)
#define bpfdev_bcc_increment2(m, key)	bpfdev_bcc_increment3(m, key, 1)
#define bpfdev_bcc_increment3(m, key, inc) ({				\
	BPFDEV_KEY_T(m) __k = (key);					\
	BPFDEV_VAL_T(m) *__v = bpf_map_lookup_elem(&(m), &__k);	\
	if (__v) {							\
		__sync_fetch_and_add(__v, (inc));			\
	} else {							\
		BPFDEV_VAL_T(m) __init = (inc);				\
		bpf_map_update_elem(&(m), &__k, &__init, BPF_NOEXIST);	\
	}								\
})
#define bpfdev_bcc_atomic_increment(...)	bpfdev_bcc_increment(__VA_ARGS__)

#define bpfdev_bcc_perf_submit(m, ctx, data, size)	\
	bpf_ringbuf_output(&(m), (data), (size), 0)
#define bpfdev_bcc_ringbuf_output(m, data, size, flags)	\
	bpf_ringbuf_output(&(m), (data), (size), (flags))
#define bpfdev_bcc_ringbuf_reserve(m, size)	bpf_ringbuf_reserve(&(m), (size), 0)
#define bpfdev_bcc_ringbuf_submit(m, data, flags)	bpf_ringbuf_submit((data), (flags))
#define bpfdev_bcc_ringbuf_discard(m, data, flags)	bpf_ringbuf_discard((data), (flags))
#define bpfdev_bcc_get_stackid(m, ctx, flags)	bpf_get_stackid((ctx), &(m), (flags))
#define bpfdev_bcc_call(m, ctx, idx)		bpf_tail_call((ctx), &(m), (idx))

/* ---- bcc's helpers ---------------------------------------------------------- */

/* floor(log2(v)) for v > 0, 0 for 0: branch-free, as the verifier likes. */
static __always_inline unsigned int bpf_log2(unsigned int v)
{
	unsigned int r, shift;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* The histogram slot of v: floor(log2(v)) + 1, so 0 and 1 share slot 1. */
static __always_inline unsigned int bpf_log2l(unsigned long v)
{
	unsigned int hi = v >> 32;

	if (hi)
		return bpf_log2(hi) + 32 + 1;
	return bpf_log2(v) + 1;
}

#define lock_xadd(ptr, val)	((void)__sync_fetch_and_add(ptr, val))

/* bcc's bpf_trace_printk takes the format alone: libbpf's bpf_printk. */
#define bpf_trace_printk(fmt, ...)	bpf_printk(fmt, ##__VA_ARGS__)

/*
 * bcc loads every program as GPL: the tracing helpers (probe_read_*,
 * get_stackid, ...) are GPL-only.  A program that declares its own
 * license adds a second string to the section; libbpf reads the first.
 */
char __bpfdev_bcc_license[] SEC("license") = "GPL";

/* ---- program declarations ---------------------------------------------------- */

/* The struct (tracepoint__CAT__EVENT) comes from the event's format file. */
#define TRACEPOINT_PROBE(cat, event)					\
	int tracepoint__##cat##__##event(struct tracepoint__##cat##__##event *args)
#define RAW_TRACEPOINT_PROBE(event)					\
	int raw_tracepoint__##event(struct bpf_raw_tracepoint_args *ctx)

#endif /* BPFDEV_BCC_H */
