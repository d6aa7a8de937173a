/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real context behind a socket filter's struct __sk_buff.
 *
 * Programs see struct __sk_buff; the fields they may read keep their uapi
 * offsets here, so most context accesses need no rewriting.  data and
 * data_end, 32-bit in the uapi view, are rewritten by the verifier into
 * 64-bit loads of the pointers that follow.  Packet bytes start at the
 * link-layer header, as for AF_PACKET.
 */
#ifndef BPFDEV_CORE_SKB_H
#define BPFDEV_CORE_SKB_H

#include "platform.h"

struct bpfdev_skb {
	struct __sk_buff	md;		/* md.len: whole packet length */
	const u8		*data;		/* link-layer header */
	const u8		*data_end;	/* end of the linear bytes */
	u32			net_off;	/* network header, from data */
	u16			hatype;		/* ARPHRD_* (SKF_AD_HATYPE) */
	u16			pad;
	/*
	 * Copy bytes beyond data_end (a non-linear packet); NULL when the
	 * packet is all linear.  Must not sleep.
	 */
	int (*load_bytes)(const struct bpfdev_skb *skb, u32 off, void *to, u32 len);
	void			*priv;		/* the host's packet */
};

/* A legacy load that failed: the program ends and returns 0. */
#define BPFDEV_LD_ABS_FAIL	(~0ULL)

/* Bytes [off, off + len) of the packet; -EFAULT outside it. */
int bpfdev_skb_load_bytes(const struct bpfdev_skb *skb, u32 off, void *to, u32 len);

/*
 * LD_ABS/LD_IND: size bytes (1, 2 or 4) at off, host order, including the
 * SKF_NET_OFF and SKF_LL_OFF negative offsets; BPFDEV_LD_ABS_FAIL outside.
 */
u64 bpfdev_skb_ld_abs(const struct bpfdev_skb *skb, s32 off, u32 size);

/* SKF_AD_PAY_OFFSET: offset of the transport payload, as __skb_get_poff(). */
u32 bpfdev_skb_pay_offset(const struct bpfdev_skb *skb);

/* Point skb at a flat buffer holding a whole packet (tests, bpfvm, PROG_TEST_RUN). */
void bpfdev_skb_init_linear(struct bpfdev_skb *skb, const void *data, u32 len);

#endif /* BPFDEV_CORE_SKB_H */
