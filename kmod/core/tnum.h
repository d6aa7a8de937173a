/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tristate numbers: a value whose bits are each 0, 1 or unknown, as the
 * kernel's verifier tracks them (kernel/bpf/tnum.c).  A bit set in mask is
 * unknown; value holds the known bits and is 0 where mask is 1.
 */
#ifndef BPFDEV_CORE_TNUM_H
#define BPFDEV_CORE_TNUM_H

#include "platform.h"

/*
 * The kernel's names, mapped to prefixed symbols so the module never
 * collides with the kernel's own tnum code.
 */
#define tnum_unknown	bpfdev_tnum_unknown
#define tnum_const	bpfdev_tnum_const
#define tnum_range	bpfdev_tnum_range
#define tnum_lshift	bpfdev_tnum_lshift
#define tnum_rshift	bpfdev_tnum_rshift
#define tnum_arshift	bpfdev_tnum_arshift
#define tnum_add	bpfdev_tnum_add
#define tnum_sub	bpfdev_tnum_sub
#define tnum_and	bpfdev_tnum_and
#define tnum_or	bpfdev_tnum_or
#define tnum_xor	bpfdev_tnum_xor
#define tnum_mul	bpfdev_tnum_mul
#define tnum_intersect	bpfdev_tnum_intersect
#define tnum_cast	bpfdev_tnum_cast
#define tnum_is_aligned	bpfdev_tnum_is_aligned
#define tnum_in	bpfdev_tnum_in
#define tnum_strn	bpfdev_tnum_strn
#define tnum_sbin	bpfdev_tnum_sbin
#define tnum_subreg	bpfdev_tnum_subreg
#define tnum_clear_subreg	bpfdev_tnum_clear_subreg
#define tnum_const_subreg	bpfdev_tnum_const_subreg

struct tnum {
	u64 value;
	u64 mask;
};

#define TNUM(_v, _m)	((struct tnum){ .value = (_v), .mask = (_m) })

extern const struct tnum tnum_unknown;

struct tnum tnum_const(u64 value);
struct tnum tnum_range(u64 min, u64 max);
struct tnum tnum_lshift(struct tnum a, u8 shift);
struct tnum tnum_rshift(struct tnum a, u8 shift);
struct tnum tnum_arshift(struct tnum a, u8 min_shift, u8 insn_bitness);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_intersect(struct tnum a, struct tnum b);
struct tnum tnum_cast(struct tnum a, u8 size);
bool tnum_is_aligned(struct tnum a, u64 size);
bool tnum_in(struct tnum a, struct tnum b);
int tnum_strn(char *str, size_t size, struct tnum a);
int tnum_sbin(char *str, size_t size, struct tnum a);
struct tnum tnum_subreg(struct tnum a);
struct tnum tnum_clear_subreg(struct tnum a);
struct tnum tnum_const_subreg(struct tnum a, u32 value);

static inline bool tnum_is_const(struct tnum a)
{
	return !a.mask;
}

static inline bool tnum_equals_const(struct tnum a, u64 b)
{
	return tnum_is_const(a) && a.value == b;
}

static inline bool tnum_is_unknown(struct tnum a)
{
	return !~a.mask;
}

static inline bool tnum_subreg_is_const(struct tnum a)
{
	return !(tnum_subreg(a)).mask;
}

static inline u64 tnum_umin(struct tnum a)
{
	return a.value;
}

static inline u64 tnum_umax(struct tnum a)
{
	return a.value | a.mask;
}

#endif /* BPFDEV_CORE_TNUM_H */
