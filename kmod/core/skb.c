// SPDX-License-Identifier: GPL-2.0
/*
 * Packet access for socket-filter contexts: legacy LD_ABS/LD_IND loads,
 * skb_load_bytes, and the payload offset of SKF_AD_PAY_OFFSET.
 */

#include "skb.h"

#define ETH_HLEN	14
#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ICMP_	1
#define IPPROTO_IGMP_	2
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17
#define IPPROTO_DCCP_	33
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_ICMPV6_	58
#define IPPROTO_DSTOPTS_	60
#define IPPROTO_SCTP_	132
#define IPPROTO_UDPLITE_	136

static u32 bpfdev_skb_headlen(const struct bpfdev_skb *skb)
{
	return (u32)(skb->data_end - skb->data);
}

int bpfdev_skb_load_bytes(const struct bpfdev_skb *skb, u32 off, void *to, u32 len)
{
	u32 headlen = bpfdev_skb_headlen(skb);
	u32 end;

	if (check_add_overflow(off, len, &end) || end > skb->md.len)
		return -EFAULT;
	if (likely(end <= headlen)) {
		memcpy(to, skb->data + off, len);
		return 0;
	}
	if (!skb->load_bytes)
		return -EFAULT;
	return skb->load_bytes(skb, off, to, len);
}

static u64 bpfdev_skb_load_be(const u8 *p, u32 size)
{
	switch (size) {
	case 1:
		return p[0];
	case 2:
		return get_unaligned_be16(p);
	default:
		return get_unaligned_be32(p);
	}
}

/*
 * Negative offsets reach the linear bytes from the network or link-layer
 * header (bpf_internal_load_pointer_neg_helper()); nothing else.
 */
static u64 bpfdev_skb_ld_neg(const struct bpfdev_skb *skb, s32 off, u32 size)
{
	s64 pos;

	if (off >= SKF_NET_OFF)
		pos = (s64)skb->net_off + (off - SKF_NET_OFF);
	else if (off >= SKF_LL_OFF)
		pos = off - SKF_LL_OFF;
	else
		return BPFDEV_LD_ABS_FAIL;
	if (pos < 0 || pos + size > bpfdev_skb_headlen(skb))
		return BPFDEV_LD_ABS_FAIL;
	return bpfdev_skb_load_be(skb->data + pos, size);
}

u64 bpfdev_skb_ld_abs(const struct bpfdev_skb *skb, s32 off, u32 size)
{
	u8 buf[4];

	if (unlikely(off < 0))
		return bpfdev_skb_ld_neg(skb, off, size);
	if (likely((u32)off + size <= bpfdev_skb_headlen(skb)))
		return bpfdev_skb_load_be(skb->data + off, size);
	if (bpfdev_skb_load_bytes(skb, off, buf, size))
		return BPFDEV_LD_ABS_FAIL;
	return bpfdev_skb_load_be(buf, size);
}

/* Transport header length past thoff, as __skb_get_poff() counts it. */
static u32 bpfdev_l4_hlen(const struct bpfdev_skb *skb, u8 proto, u32 thoff)
{
	u8 doff;

	switch (proto) {
	case IPPROTO_TCP_:
		if (bpfdev_skb_load_bytes(skb, thoff + 12, &doff, 1))
			return 0;
		return max_t(u32, 20, (doff >> 4) * 4);
	case IPPROTO_UDP_:
	case IPPROTO_UDPLITE_:
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
	case IPPROTO_IGMP_:
		return 8;
	case IPPROTO_DCCP_:
		return 16;
	case IPPROTO_SCTP_:
		return 12;
	default:
		return 0;
	}
}

static u32 bpfdev_poff_ipv4(const struct bpfdev_skb *skb, u32 nh)
{
	u8 hdr[20];
	u32 ihl;

	if (bpfdev_skb_load_bytes(skb, nh, hdr, sizeof(hdr)))
		return 0;
	ihl = (hdr[0] & 0xf) * 4;
	if (ihl < 20)
		return 0;
	/* A later fragment has no transport header: the payload starts at thoff. */
	if (get_unaligned_be16(&hdr[6]) & 0x1fff)
		return nh + ihl;
	return nh + ihl + bpfdev_l4_hlen(skb, hdr[9], nh + ihl);
}

static u32 bpfdev_poff_ipv6(const struct bpfdev_skb *skb, u32 nh)
{
	u32 thoff = nh + 40;
	u8 next, ext[8];
	int i;

	if (bpfdev_skb_load_bytes(skb, nh + 6, &next, 1))
		return 0;
	for (i = 0; i < 8; i++) {
		switch (next) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
			if (bpfdev_skb_load_bytes(skb, thoff, ext, 2))
				return 0;
			next = ext[0];
			thoff += (ext[1] + 1) * 8;
			continue;
		case IPPROTO_FRAGMENT_:
			if (bpfdev_skb_load_bytes(skb, thoff, ext, 8))
				return 0;
			next = ext[0];
			thoff += 8;
			if (get_unaligned_be16(&ext[2]) & 0xfff8)
				return thoff;
			continue;
		default:
			return thoff + bpfdev_l4_hlen(skb, next, thoff);
		}
	}
	return thoff;
}

u32 bpfdev_skb_pay_offset(const struct bpfdev_skb *skb)
{
	switch (be16_to_cpu((u16)skb->md.protocol)) {
	case 0x0800:
		return bpfdev_poff_ipv4(skb, skb->net_off);
	case 0x86dd:
		return bpfdev_poff_ipv6(skb, skb->net_off);
	default:
		return 0;
	}
}

void bpfdev_skb_init_linear(struct bpfdev_skb *skb, const void *data, u32 len)
{
	const u8 *p = data;

	memset(skb, 0, sizeof(*skb));
	skb->data = p;
	skb->data_end = p + len;
	skb->md.len = len;
	skb->md.wire_len = len;
	skb->hatype = 1;	/* ARPHRD_ETHER */
	if (len >= ETH_HLEN) {
		skb->net_off = ETH_HLEN;
		/* protocol holds the __be16 ethertype, as skb->protocol does */
		skb->md.protocol = cpu_to_be16(get_unaligned_be16(p + 12));
		if (p[0] & 1)	/* PACKET_BROADCAST or PACKET_MULTICAST */
			skb->md.pkt_type = (p[0] == 0xff && p[1] == 0xff) ? 1 : 2;
	}
}
