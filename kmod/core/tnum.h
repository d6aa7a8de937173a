/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tristate numbers: a value whose bits are each 0, 1 or unknown, as the
 * kernel's verifier tracks them (kernel/bpf/tnum.c).  A bit set in mask is
 * unknown; value holds the known bits and is 0 where mask is 1.
 */
#ifndef BPFDEV_CORE_TNUM_H
#define BPFDEV_CORE_TNUM_H

#include "platform.h"

struct tnum {
	u64 value;
	u64 mask;
};

#define TNUM(_v, _m)	((struct tnum){ .value = (_v), .mask = (_m) })

extern const struct tnum bpfdev_tnum_unknown;

struct tnum bpfdev_tnum_const(u64 value);
struct tnum bpfdev_tnum_range(u64 min, u64 max);
struct tnum bpfdev_tnum_lshift(struct tnum a, u8 shift);
struct tnum bpfdev_tnum_rshift(struct tnum a, u8 shift);
struct tnum bpfdev_tnum_arshift(struct tnum a, u8 min_shift, u8 insn_bitness);
struct tnum bpfdev_tnum_add(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_sub(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_and(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_or(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_xor(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_mul(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_intersect(struct tnum a, struct tnum b);
struct tnum bpfdev_tnum_cast(struct tnum a, u8 size);
bool bpfdev_tnum_is_aligned(struct tnum a, u64 size);
bool bpfdev_tnum_in(struct tnum a, struct tnum b);
int bpfdev_tnum_strn(char *str, size_t size, struct tnum a);
int bpfdev_tnum_sbin(char *str, size_t size, struct tnum a);
struct tnum bpfdev_tnum_subreg(struct tnum a);
struct tnum bpfdev_tnum_clear_subreg(struct tnum a);
struct tnum bpfdev_tnum_const_subreg(struct tnum a, u32 value);

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
	return !(bpfdev_tnum_subreg(a)).mask;
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
