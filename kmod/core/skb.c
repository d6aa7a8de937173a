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

/*
 * Where the flow dissector's walk stands: the next header's offset, the
 * protocol found there, and whether a later fragment left no L4 header.
 */
struct bpfdev_poff {
	u32	nhoff;
	u16	proto;		/* ethertype at nhoff, host order */
	u8	ip_proto;
	bool	later_frag;
};

enum { POFF_BAD, POFF_DONE, POFF_PROTO_AGAIN, POFF_IPPROTO_AGAIN };

static int bpfdev_poff_ipv4(const struct bpfdev_skb *skb, struct bpfdev_poff *w)
{
	u8 hdr[20];
	u16 frag;

	if (bpfdev_skb_load_bytes(skb, w->nhoff, hdr, sizeof(hdr)))
		return POFF_BAD;
	if ((hdr[0] & 0xf) < 5)
		return POFF_BAD;
	w->nhoff += (hdr[0] & 0xf) * 4;
	w->ip_proto = hdr[9];
	frag = get_unaligned_be16(&hdr[6]);
	if (frag & 0x3fff) {		/* IP_MF | IP_OFFSET */
		/* Not parsed further: a first fragment keeps its L4 header. */
		w->later_frag = frag & 0x1fff;
		return POFF_DONE;
	}
	return POFF_IPPROTO_AGAIN;
}

static int bpfdev_poff_ipv6(const struct bpfdev_skb *skb, struct bpfdev_poff *w)
{
	u8 hdr[40];

	if (bpfdev_skb_load_bytes(skb, w->nhoff, hdr, sizeof(hdr)))
		return POFF_BAD;
	w->ip_proto = hdr[6];
	w->nhoff += sizeof(hdr);
	return POFF_IPPROTO_AGAIN;
}

static int bpfdev_poff_proto(const struct bpfdev_skb *skb, struct bpfdev_poff *w)
{
	u8 vlan[4];

	switch (w->proto) {
	case 0x0800:
		return bpfdev_poff_ipv4(skb, w);
	case 0x86dd:
		return bpfdev_poff_ipv6(skb, w);
	case 0x8100:			/* ETH_P_8021Q */
	case 0x88a8:			/* ETH_P_8021AD */
		if (bpfdev_skb_load_bytes(skb, w->nhoff, vlan, sizeof(vlan)))
			return POFF_BAD;
		w->proto = get_unaligned_be16(&vlan[2]);
		w->nhoff += 4;
		return POFF_PROTO_AGAIN;
	case 0x0806:			/* ARP, RARP, MPLS: no key asked for */
	case 0x8035:
	case 0x8847:
	case 0x8848:
		return POFF_DONE;
	default:
		return POFF_BAD;
	}
}

static int bpfdev_poff_ipproto(const struct bpfdev_skb *skb, struct bpfdev_poff *w)
{
	u8 ext[8];

	switch (w->ip_proto) {
	case IPPROTO_HOPOPTS_:
	case IPPROTO_ROUTING_:
	case IPPROTO_DSTOPTS_:
		if (w->proto != 0x86dd)
			return POFF_DONE;
		if (bpfdev_skb_load_bytes(skb, w->nhoff, ext, 2))
			return POFF_BAD;
		w->ip_proto = ext[0];
		w->nhoff += (ext[1] + 1) * 8;
		return POFF_IPPROTO_AGAIN;
	case IPPROTO_FRAGMENT_:
		if (w->proto != 0x86dd)
			return POFF_DONE;
		if (bpfdev_skb_load_bytes(skb, w->nhoff, ext, 8))
			return POFF_BAD;
		w->ip_proto = ext[0];
		w->nhoff += 8;
		w->later_frag = get_unaligned_be16(&ext[2]) & 0xfff8;
		return POFF_DONE;
	case 4:				/* IPPROTO_IPIP */
		w->proto = 0x0800;
		return POFF_PROTO_AGAIN;
	case 41:			/* IPPROTO_IPV6 */
		w->proto = 0x86dd;
		return POFF_PROTO_AGAIN;
	case 137:			/* IPPROTO_MPLS */
		w->ip_proto = 0;
		return POFF_DONE;
	default:
		return POFF_DONE;
	}
}

/*
 * skb_get_poff(): the flow dissector's basic walk from the network header
 * (VLAN tags, IPv4, IPv6 and its extension headers, IP-in-IP), then the
 * transport header's length.  A walk the dissector calls bad gives 0.
 * Not followed, as bpfdev captures rarely see them: GRE, PPPoE, and the
 * other encapsulations the kernel's dissector knows.
 */
u32 bpfdev_skb_pay_offset(const struct bpfdev_skb *skb)
{
	u16 wire = (u16)skb->md.protocol;
	struct bpfdev_poff w = { .nhoff = skb->net_off };
	int ret = POFF_PROTO_AGAIN, hdrs;
	u32 thoff;

	/* md.protocol holds the ethertype's bytes as they are on the wire */
	w.proto = get_unaligned_be16(&wire);

	/* MAX_FLOW_DISSECT_HDRS: the dissector stops, content, after 15 */
	for (hdrs = 0; hdrs < 15; hdrs++) {
		if (ret == POFF_PROTO_AGAIN)
			ret = bpfdev_poff_proto(skb, &w);
		else
			ret = bpfdev_poff_ipproto(skb, &w);
		if (ret == POFF_BAD)
			return 0;
		if (ret == POFF_DONE)
			break;
	}
	thoff = min_t(u32, min_t(u32, w.nhoff, skb->md.len), U16_MAX);
	if (w.later_frag)
		return thoff;
	return thoff + bpfdev_l4_hlen(skb, w.ip_proto, thoff);
}

void bpfdev_skb_init_linear(struct bpfdev_skb *skb, const void *data, u32 len)
{
	const u8 *p = data;
	u16 wire;

	memset(skb, 0, sizeof(*skb));
	skb->data = p;
	skb->data_end = p + len;
	skb->md.len = len;
	skb->md.wire_len = len;
	skb->hatype = 1;	/* ARPHRD_ETHER */
	if (len >= ETH_HLEN) {
		skb->net_off = ETH_HLEN;
		/* protocol holds the __be16 ethertype, as skb->protocol does */
		memcpy(&wire, p + 12, sizeof(wire));
		skb->md.protocol = wire;
		if (p[0] & 1)	/* PACKET_BROADCAST or PACKET_MULTICAST */
			skb->md.pkt_type = (p[0] == 0xff && p[1] == 0xff) ? 1 : 2;
	}
}
