/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_PKT_H
#define BPFDEV_CAPTURE_PKT_H

#include <linux/types.h>

#include "skb.h"

struct sk_buff;
struct net_device;

/* Where a socket's bytes start: the link-layer or the network header. */
enum bpfdev_view_kind {
	BPFDEV_VIEW_MAC,
	BPFDEV_VIEW_NET,
	BPFDEV_VIEW_NR
};

/*
 * A packet as the sockets of one view see it: the filter context and what
 * copying needs.  Built on first use at a hook and shared by every socket
 * there.  Building it sets what any filter needs (data, data_end,
 * net_off, md.len; load_bytes and priv never change); the rest of ctx.md
 * only once a filter reads it (bpfdev_pkt_ctx()).
 */
struct bpfdev_view {
	struct bpfdev_skb	ctx;	/* ctx.priv: this view */
	struct sk_buff		*skb;
	int			base;	/* byte 0 of the view, from skb->data */
	u32			len;	/* bytes of the view */
	u32			lin;	/* bytes at ctx.data, copied without skb */
	bool			vlan_inline; /* an out-of-band tag is at [12, 16) */
	u8			tag[4];	/* that tag: vlan_proto, tci (big endian) */
};

#define BPFDEV_SCRATCH	256

/* One packet at one hook (per CPU: see capture_pkt.c). */
struct bpfdev_pkt {
	u64			seq;	/* this CPU's hook runs, this one's number */
	struct sk_buff		*skb;
	struct net_device	*dev;
	u8			dir;	/* BPFDEV_DIR_IN or BPFDEV_DIR_OUT */
	u8			built;	/* bit per view kind */
	u8			md_built; /* and its __sk_buff */
	u8			have_addr;
	u8			scratch_built; /* the MAC view's inline tag copy */
	u8			halen;
	u8			addr[8];
	u64			tstamp[3];	/* per BPFDEV_TSTAMP_*, 0: not read yet */
	struct bpfdev_view	view[BPFDEV_VIEW_NR];
	u8			scratch[BPFDEV_SCRATCH]; /* a view with its tag inline */
};

/* This CPU's packet state, for skb at a hook (bottom halves off). */
struct bpfdev_pkt *bpfdev_pkt_start(struct sk_buff *skb, u8 dir);
struct bpfdev_view *bpfdev_pkt_view(struct bpfdev_pkt *pkt, enum bpfdev_view_kind kind);
/*
 * The filter context of a built view.  md: the filter reads __sk_buff
 * fields other than len (or cb[], or passes the context on to a tail
 * call): they are filled and cb[] zeroed; else only what building the
 * view set is there.
 */
const struct bpfdev_skb *bpfdev_pkt_ctx(struct bpfdev_pkt *pkt, enum bpfdev_view_kind kind,
					bool md);
u64 bpfdev_pkt_tstamp(struct bpfdev_pkt *pkt, u32 source);
/* The source link-layer address (dev_parse_header()); sets pkt->halen. */
const u8 *bpfdev_pkt_addr(struct bpfdev_pkt *pkt);

/* Bytes [off, off + len) of the view; -EFAULT outside it.  Never sleeps. */
int bpfdev_view_copy(const struct bpfdev_view *v, u32 off, void *to, u32 len);

/* The view a device is captured in, and its pcap link type. */
enum bpfdev_view_kind bpfdev_view_of_dev(const struct net_device *dev);
u32 bpfdev_linktype_of_dev(const struct net_device *dev);

int bpfdev_packet_init(void);
void bpfdev_packet_exit(void);

#endif /* BPFDEV_CAPTURE_PKT_H */
