/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the portable engine meets its host.
 *
 * Every file in kmod/core/ includes this header and no kernel-internal or
 * libc header of its own (uapi headers are shared by both sides).  Built
 * with __KERNEL__ it maps to the kernel; otherwise to libc, so the same
 * engine runs in bpfdev.ko and in userspace under ASan/UBSan and fuzzers.
 *
 * Allocation helpers may sleep in the kernel: the engine allocates only
 * while loading a program, never while running one.
 */
#ifndef BPFDEV_CORE_PLATFORM_H
#define BPFDEV_CORE_PLATFORM_H

#ifdef __KERNEL__

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sched/signal.h>
#include <linux/sort.h>
#include <linux/stdarg.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <asm/byteorder.h>
/* get_unaligned_*() come from kmod/compat.h, which Kbuild force-includes. */
#include <uapi/linux/bpf.h>
#include <uapi/linux/filter.h>

static inline void *bpfdev_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

static inline void *bpfdev_zalloc_array(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL | __GFP_NOWARN);
}

static inline void bpfdev_free(const void *p)
{
	kvfree(p);
}

static inline u32 bpfdev_prandom_u32(void)
{
	return get_random_u32();
}

static inline u32 bpfdev_cpu_id(void)
{
	return raw_smp_processor_id();
}

static inline u64 bpfdev_ktime_ns(void)
{
	return ktime_get_mono_fast_ns();
}

static inline u64 bpfdev_ktime_boot_ns(void)
{
	return ktime_get_boot_fast_ns();
}

#define bpfdev_sort(base, n, size, cmp)	sort(base, n, size, cmp, NULL)

/* Long loads (the verifier) yield the CPU and stop for a fatal signal. */
static inline int bpfdev_yield(void)
{
	if (fatal_signal_pending(current))
		return -EAGAIN;
	cond_resched();
	return 0;
}

#else /* userspace */

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include <linux/filter.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define fallthrough	__attribute__((__fallthrough__))
#define __maybe_unused	__attribute__((__unused__))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#define noinline	__attribute__((__noinline__))
#define WARN_ON_ONCE(c)	({ int __c = !!(c); if (__c) fprintf(stderr, "WARN %s:%d\n", __FILE__, __LINE__); __c; })
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))

#define cpu_to_be16(x)	htobe16(x)
#define cpu_to_be32(x)	htobe32(x)
#define cpu_to_be64(x)	htobe64(x)
#define be16_to_cpu(x)	be16toh(x)
#define be32_to_cpu(x)	be32toh(x)
#define be64_to_cpu(x)	be64toh(x)
#define cpu_to_le16(x)	htole16(x)
#define cpu_to_le32(x)	htole32(x)
#define cpu_to_le64(x)	htole64(x)
#define swab16(x)	__builtin_bswap16(x)
#define swab32(x)	__builtin_bswap32(x)
#define swab64(x)	__builtin_bswap64(x)

static inline u16 get_unaligned_be16(const void *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return be16toh(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static inline void *bpfdev_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void *bpfdev_zalloc_array(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

static inline void bpfdev_free(const void *p)
{
	free((void *)p);
}

/* Userspace may replace these through the weak hooks in the tools. */
static inline u32 bpfdev_prandom_u32(void)
{
	return (u32)random();
}

static inline u32 bpfdev_cpu_id(void)
{
	return 0;
}

static inline u64 bpfdev_ktime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static inline u64 bpfdev_ktime_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

#define bpfdev_sort(base, n, size, cmp)	qsort(base, n, size, cmp)

static inline int bpfdev_yield(void)
{
	return 0;
}

#endif /* __KERNEL__ */

#endif /* BPFDEV_CORE_PLATFORM_H */
