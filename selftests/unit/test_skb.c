// SPDX-License-Identifier: GPL-2.0
/*
 * kmod/core/skb.c: legacy packet loads (LD_ABS/LD_IND) on a linear
 * packet, the SKF_NET_OFF/SKF_LL_OFF negative offsets, out-of-bounds
 * loads, skb_load_bytes, and the payload offset of SKF_AD_PAY_OFFSET.
 */

#include "skb.h"
#include "tap.h"

/* Ethernet + IPv4 (IHL 5) + TCP (doff 8: 32 bytes with options) + "hi". */
static const u8 tcp4[] = {
	/* ethernet: dst, src, type 0x0800 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x08, 0x00,
	/* IPv4: ver/ihl, tos, len 54, id, frag 0, ttl 64, proto 6, csum */
	0x45, 0x00, 0x00, 0x36, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	/* TCP: sport 1234, dport 80, seq, ack, doff 8, flags SYN */
	0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	/* 12 bytes of options: mss, nop, nop, sack-ok, nop, nop, nop, nop */
	0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x01, 0x01, 0x01,
	'h', 'i',
};

static void test_ld_abs(const struct bpfdev_skb *skb)
{
	ok_eq(bpfdev_skb_ld_abs(skb, 12, 2), 0x0800, "ld_abs h at 12: ethertype");
	ok_eq(bpfdev_skb_ld_abs(skb, 23, 1), 6, "ld_abs b at 23: IP protocol");
	ok_eq(bpfdev_skb_ld_abs(skb, 26, 4), 0x0a000001, "ld_abs w at 26: saddr, big-endian");
	ok_eq(bpfdev_skb_ld_abs(skb, sizeof(tcp4) - 4, 4), 0x010168 << 8 | 'i',
	      "ld_abs w ending at the last byte");
	ok_eq(bpfdev_skb_ld_abs(skb, sizeof(tcp4) - 3, 4), BPFDEV_LD_ABS_FAIL,
	      "ld_abs w one byte past the end fails");
	ok_eq(bpfdev_skb_ld_abs(skb, 0x7fffffff, 1), BPFDEV_LD_ABS_FAIL,
	      "ld_abs b far out of bounds fails");
	ok_eq(bpfdev_skb_ld_abs(skb, -1, 1), BPFDEV_LD_ABS_FAIL,
	      "ld_abs at -1 (not a special offset) fails");
}

static void test_negative_offsets(const struct bpfdev_skb *skb)
{
	ok_eq(bpfdev_skb_ld_abs(skb, SKF_NET_OFF + 9, 1), 6,
	      "SKF_NET_OFF + 9: IP protocol");
	ok_eq(bpfdev_skb_ld_abs(skb, SKF_NET_OFF + 16, 4), 0x0a000002,
	      "SKF_NET_OFF + 16: daddr");
	ok_eq(bpfdev_skb_ld_abs(skb, SKF_LL_OFF + 12, 2), 0x0800,
	      "SKF_LL_OFF + 12: ethertype");
	ok_eq(bpfdev_skb_ld_abs(skb, SKF_NET_OFF + (int)sizeof(tcp4), 1),
	      BPFDEV_LD_ABS_FAIL, "SKF_NET_OFF past the end fails");
	ok_eq(bpfdev_skb_ld_abs(skb, SKF_LL_OFF - 1, 1), BPFDEV_LD_ABS_FAIL,
	      "below SKF_LL_OFF fails");
}

static void test_load_bytes(const struct bpfdev_skb *skb)
{
	u8 buf[4] = { 0 };

	ok(bpfdev_skb_load_bytes(skb, 34, buf, 4) == 0 &&
	   buf[0] == 0x04 && buf[1] == 0xd2 && buf[2] == 0x00 && buf[3] == 0x50,
	   "load_bytes of the TCP ports");
	ok_eq(bpfdev_skb_load_bytes(skb, sizeof(tcp4) - 1, buf, 2), -EFAULT,
	      "load_bytes past the end gives -EFAULT");
	ok_eq(bpfdev_skb_load_bytes(skb, 0xfffffffe, buf, 4), -EFAULT,
	      "load_bytes with a wrapping offset gives -EFAULT");
}

static void test_pay_offset(void)
{
	struct bpfdev_skb skb;
	u8 pkt[sizeof(tcp4)];

	bpfdev_skb_init_linear(&skb, tcp4, sizeof(tcp4));
	ok_eq(bpfdev_skb_pay_offset(&skb), 14 + 20 + 32,
	      "pay_offset of TCP/IPv4 with options: 66");

	memcpy(pkt, tcp4, sizeof(pkt));
	pkt[20] = 0x00;
	pkt[21] = 0x10;		/* a later fragment: no transport header */
	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	ok_eq(bpfdev_skb_pay_offset(&skb), 14 + 20,
	      "pay_offset of a later IPv4 fragment: 34");

	memcpy(pkt, tcp4, sizeof(pkt));
	pkt[12] = 0x88;
	pkt[13] = 0xcc;		/* LLDP: the flow dissector does not know it */
	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	ok_eq(bpfdev_skb_pay_offset(&skb), 0, "pay_offset of a non-IP frame: 0");

	pkt[12] = 0x08;
	pkt[13] = 0x06;		/* ARP: dissected, no keys: the network header */
	bpfdev_skb_init_linear(&skb, pkt, sizeof(pkt));
	ok_eq(bpfdev_skb_pay_offset(&skb), 14, "pay_offset of ARP: 14");
}

int main(void)
{
	struct bpfdev_skb skb;

	tap_plan(20);
	bpfdev_skb_init_linear(&skb, tcp4, sizeof(tcp4));
	ok(skb.md.len == sizeof(tcp4) && skb.net_off == 14 &&
	   skb.md.protocol == htobe16(0x0800),
	   "init_linear: len, network offset, protocol");
	test_ld_abs(&skb);
	test_negative_offsets(&skb);
	test_load_bytes(&skb);
	test_pay_offset();
	return tap_done();
}
