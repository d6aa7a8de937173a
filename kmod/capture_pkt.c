// SPDX-License-Identifier: GPL-2.0
/*
 * A packet at a netdev hook as capture sockets see it.
 *
 * The common case costs no copy: the filter reads the skb's linear bytes
 * in place and non-linear ones through skb_copy_bits().  Only a packet
 * whose outer VLAN tag is out of band (skb_vlan_tag_present()) is copied:
 * the filter must see the tag inline, where the captured bytes will have
 * it, so its first BPFDEV_SCRATCH bytes are rebuilt with the tag in a
 * scratch buffer and later bytes are read through the view's offset map.
 * The rebuild waits for the first filter: sockets without one copy
 * through the offset map straight from the skb.
 *
 * The packet state, views and scratch buffer are per CPU: the hooks run
 * with bottom halves off and never nest on one CPU, and a per-CPU state
 * keeps a large frame off the transmit path's stack and lets the
 * __sk_buff fields no socket filter gets stay zero instead of being
 * cleared for every packet.
 *
 * Most filters read packet bytes and nothing else (a classic program
 * without ancillary loads, an eBPF one reading at most len): they run on
 * the view as built, and the other __sk_buff fields (a dozen skb loads
 * and cb[]'s clearing) are filled only for a filter that reads them.
 */

#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>

#include <linux/bpfdev.h>

#include "capture_pkt.h"

#define BPFDEV_TAG_OFF	(2 * ETH_ALEN)
#define BPFDEV_TAG_END	(BPFDEV_TAG_OFF + VLAN_HLEN)

static struct bpfdev_pkt __percpu *bpfdev_pkts;

int bpfdev_view_copy(const struct bpfdev_view *v, u32 off, void *to, u32 len)
{
	u8 *dst = to;
	u32 end;

	if (check_add_overflow(off, len, &end) || end > v->len)
		return -EFAULT;
	if (!v->vlan_inline)
		return skb_copy_bits(v->skb, v->base + (int)off, dst, len);
	while (len) {
		u32 n;

		if (off < BPFDEV_TAG_OFF) {
			n = min(len, BPFDEV_TAG_OFF - off);
			if (skb_copy_bits(v->skb, v->base + (int)off, dst, n))
				return -EFAULT;
		} else if (off < BPFDEV_TAG_END) {
			n = min(len, BPFDEV_TAG_END - off);
			memcpy(dst, v->tag + off - BPFDEV_TAG_OFF, n);
		} else {
			n = len;
			if (skb_copy_bits(v->skb, v->base + (int)off - VLAN_HLEN, dst, n))
				return -EFAULT;
		}
		dst += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int bpfdev_view_load_bytes(const struct bpfdev_skb *ctx, u32 off,
				  void *to, u32 len)
{
	return bpfdev_view_copy(ctx->priv, off, to, len);
}

enum bpfdev_view_kind bpfdev_view_of_dev(const struct net_device *dev)
{
	if (dev->type == ARPHRD_ETHER || dev->type == ARPHRD_LOOPBACK)
		return BPFDEV_VIEW_MAC;
	return BPFDEV_VIEW_NET;
}

u32 bpfdev_linktype_of_dev(const struct net_device *dev)
{
	if (!dev)
		return BPFDEV_LINKTYPE_LINUX_SLL2;
	if (bpfdev_view_of_dev(dev) == BPFDEV_VIEW_MAC)
		return BPFDEV_LINKTYPE_ETHERNET;
	if (dev->type == ARPHRD_NONE || dev->type == ARPHRD_RAWIP)
		return BPFDEV_LINKTYPE_RAW;
	return BPFDEV_LINKTYPE_LINUX_SLL2;
}

struct bpfdev_pkt *bpfdev_pkt_start(struct sk_buff *skb, u8 dir)
{
	struct bpfdev_pkt *pkt = this_cpu_ptr(bpfdev_pkts);

	pkt->seq++;
	pkt->skb = skb;
	pkt->dev = skb->dev;
	pkt->dir = dir;
	pkt->built = 0;
	pkt->md_built = 0;
	pkt->have_addr = 0;
	pkt->scratch_built = 0;
	pkt->tstamp[0] = 0;
	pkt->tstamp[1] = 0;
	pkt->tstamp[2] = 0;
	return pkt;
}

/*
 * Only fields socket filters may read; the rest stay zero (per-CPU,
 * zeroed).  md->len is the view's: set when it was built.
 */
static void bpfdev_view_md(struct bpfdev_pkt *pkt, struct bpfdev_view *v)
{
	struct sk_buff *skb = pkt->skb;
	struct __sk_buff *md = &v->ctx.md;
	bool oob = skb_vlan_tag_present(skb) && !v->vlan_inline;

	md->wire_len = v->len;
	md->protocol = (__force u32)skb->protocol;
	md->pkt_type = pkt->dir == BPFDEV_DIR_OUT ? PACKET_OUTGOING : skb->pkt_type;
	md->ifindex = pkt->dev->ifindex;
	md->ingress_ifindex = skb->skb_iif;
	md->mark = skb->mark;
	md->queue_mapping = skb->queue_mapping;
	md->priority = skb->priority;
	md->hash = skb->hash;
	/* An inline tag is no longer out of band in the view the filter gets. */
	md->vlan_present = oob;
	md->vlan_tci = oob ? skb_vlan_tag_get(skb) : 0;
	md->vlan_proto = oob ? (__force u32)skb->vlan_proto : 0;
	memset(md->cb, 0, sizeof(md->cb));
	v->ctx.hatype = pkt->dev->type;
}

static void bpfdev_view_build_mac(struct bpfdev_pkt *pkt, struct bpfdev_view *v)
{
	struct sk_buff *skb = pkt->skb;
	const u8 *mac = skb_mac_header_was_set(skb) ? skb_mac_header(skb) : skb->data;
	const u8 *lin_end = skb->data + skb_headlen(skb);
	u16 tci;

	v->skb = skb;
	v->base = mac - skb->data;
	v->len = skb->len - v->base;
	v->vlan_inline = skb_vlan_tag_present(skb) && v->len >= BPFDEV_TAG_OFF;
	v->ctx.net_off = skb_network_header(skb) - mac;
	v->ctx.md.len = v->len;
	if (!v->vlan_inline) {
		v->ctx.data = mac;
		v->ctx.data_end = lin_end;
		v->lin = lin_end - mac;
		return;
	}
	tci = skb_vlan_tag_get(skb);
	memcpy(v->tag, &skb->vlan_proto, 2);
	v->tag[2] = tci >> 8;
	v->tag[3] = tci & 0xff;
	v->len += VLAN_HLEN;
	v->ctx.md.len = v->len;
	if (v->ctx.net_off >= BPFDEV_TAG_OFF)
		v->ctx.net_off += VLAN_HLEN;
	/* No linear bytes until a filter asks (bpfdev_view_scratch()). */
	v->lin = 0;
	v->ctx.data = pkt->scratch;
	v->ctx.data_end = pkt->scratch;
}

/* The first BPFDEV_SCRATCH bytes of a view with its tag inline. */
static void bpfdev_view_scratch(struct bpfdev_pkt *pkt, struct bpfdev_view *v)
{
	u32 n = min_t(u32, v->len, BPFDEV_SCRATCH);

	pkt->scratch_built = 1;
	if (bpfdev_view_copy(v, 0, pkt->scratch, n))
		return;
	v->lin = n;
	v->ctx.data_end = pkt->scratch + n;
}

static void bpfdev_view_build_net(struct bpfdev_pkt *pkt, struct bpfdev_view *v)
{
	struct sk_buff *skb = pkt->skb;
	int base = skb_network_offset(skb);

	if (base < 0 || base > (int)skb->len)
		base = 0;
	v->skb = skb;
	v->base = base;
	v->len = skb->len - base;
	v->ctx.md.len = v->len;
	v->vlan_inline = false;
	v->ctx.net_off = 0;
	v->ctx.data = skb->data + base;
	if (base <= (int)skb_headlen(skb)) {
		v->ctx.data_end = skb->data + skb_headlen(skb);
		v->lin = skb_headlen(skb) - base;
	} else {
		v->ctx.data_end = v->ctx.data;
		v->lin = 0;
	}
}

struct bpfdev_view *bpfdev_pkt_view(struct bpfdev_pkt *pkt, enum bpfdev_view_kind kind)
{
	struct bpfdev_view *v = &pkt->view[kind];

	if (!(pkt->built & BIT(kind))) {
		if (kind == BPFDEV_VIEW_MAC)
			bpfdev_view_build_mac(pkt, v);
		else
			bpfdev_view_build_net(pkt, v);
		pkt->built |= BIT(kind);
	}
	return v;
}

/* The rest of __sk_buff costs a dozen skb loads and cb[]'s clearing. */
const struct bpfdev_skb *bpfdev_pkt_ctx(struct bpfdev_pkt *pkt, enum bpfdev_view_kind kind,
					bool md)
{
	struct bpfdev_view *v = &pkt->view[kind];

	if (unlikely(v->vlan_inline) && !pkt->scratch_built)
		bpfdev_view_scratch(pkt, v);
	if (!md)
		return &v->ctx;
	if (!(pkt->md_built & BIT(kind))) {
		bpfdev_view_md(pkt, v);
		pkt->md_built |= BIT(kind);
	} else {
		/* Each filter starts with cb[] zeroed, as on a fresh skb. */
		memset(v->ctx.md.cb, 0, sizeof(v->ctx.md.cb));
	}
	return &v->ctx;
}

u64 bpfdev_pkt_tstamp(struct bpfdev_pkt *pkt, u32 source)
{
	struct sk_buff *skb = pkt->skb;
	u64 *t;

	/* Where a stack's stamp is realtime, the two sources are one. */
	if (source == BPFDEV_TSTAMP_SKB && bpfdev_skb_stamp_is_real())
		source = BPFDEV_TSTAMP_REALTIME;
	t = &pkt->tstamp[source];
	if (*t)
		return *t;
	switch (source) {
	case BPFDEV_TSTAMP_MONOTONIC:
		*t = ktime_get_ns();
		break;
	case BPFDEV_TSTAMP_SKB:
		/* A receive stamp is realtime; a delivery time is not. */
		if (skb_tstamp(skb)) {
			*t = ktime_to_ns(skb->tstamp);
			break;
		}
		fallthrough;
	default:
		/* Where the stamp is known to be realtime, no clock read. */
		if (bpfdev_skb_stamp_is_real() && skb_tstamp(skb))
			*t = ktime_to_ns(skb->tstamp);
		else
			*t = ktime_get_real_ns();
		break;
	}
	return *t;
}

const u8 *bpfdev_pkt_addr(struct bpfdev_pkt *pkt)
{
	unsigned char buf[MAX_ADDR_LEN];
	int n = 0;

	if (pkt->have_addr)
		return pkt->addr;
	memset(pkt->addr, 0, sizeof(pkt->addr));
	if (skb_mac_header_was_set(pkt->skb))
		n = dev_parse_header(pkt->skb, buf);
	n = clamp_t(int, n, 0, sizeof(pkt->addr));
	memcpy(pkt->addr, buf, n);
	pkt->halen = n;
	pkt->have_addr = 1;
	return pkt->addr;
}

int bpfdev_packet_init(void)
{
	int cpu, k;

	bpfdev_pkts = alloc_percpu(struct bpfdev_pkt);
	if (!bpfdev_pkts)
		return -ENOMEM;
	/* Each view's ctx reads bytes beyond data_end through the view. */
	for_each_possible_cpu(cpu) {
		struct bpfdev_pkt *pkt = per_cpu_ptr(bpfdev_pkts, cpu);

		for (k = 0; k < BPFDEV_VIEW_NR; k++) {
			pkt->view[k].ctx.load_bytes = bpfdev_view_load_bytes;
			pkt->view[k].ctx.priv = &pkt->view[k];
		}
	}
	return 0;
}

void bpfdev_packet_exit(void)
{
	free_percpu(bpfdev_pkts);
}
