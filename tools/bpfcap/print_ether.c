// SPDX-License-Identifier: GPL-2.0
/*
 * Link layers: Ethernet with 802.1Q/QinQ tags, Linux cooked headers
 * (SLL, SLL2), the ethertype demultiplexer and ARP.
 */
#include <net/if.h>
#include <string.h>

#include "print.h"

#define ETHER_HDRLEN	14
#define MAX_ETHERNET_LENGTH_VAL	1500

static bool is_vlan_type(u16 t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200;
}

static void ether_type_print(u16 type)
{
	if (nd.o->qflag)
		ND_PRINT("%s", tok2str(ethertype_values, "Unknown Ethertype (0x%04x)", type));
	else
		ND_PRINT("ethertype %s", tok2str(ethertype_values, "Unknown", type));
}

static void ether_addresses_print(const u8 *src, const u8 *dst)
{
	ND_PRINT("%s > ", etheraddr_string(src));
	ND_PRINT("%s, ", etheraddr_string(dst));
}

/*
 * 802.3 frames carry LLC, which we do not decode: print what tcpdump
 * prints for an LLC payload it does not know.
 */
static void llc_print(const u8 *p, u32 length, u32 caplen)
{
	if (!nd_ttest(p, 3)) {
		nd_trunc("llc");
		return;
	}
	ND_PRINT("LLC, dsap 0x%02x, ssap 0x%02x, ctrl 0x%02x, length %u",
		 p[0], p[1], p[2], length);
}

int ethertype_print(u16 type, const u8 *p, u32 length)
{
	switch (type) {
	case 0x0800:
		ip_print(p, length);
		return 1;
	case 0x86dd:
		ip6_print(p, length);
		return 1;
	case 0x0806:
	case 0x8035:
		arp_print(p, length);
		return 1;
	default:
		return 0;
	}
}

u32 ether_print(const u8 *p, u32 length, u32 caplen)
{
	const struct bpfcap_opts *o = nd.o;
	u32 orig_length = length, hdrlen = ETHER_HDRLEN;
	const u8 *src = p + 6, *dst = p;
	u16 type;

	if (caplen < ETHER_HDRLEN || length < ETHER_HDRLEN) {
		nd_trunc("ether");
		return caplen < length ? caplen : length;
	}
	if (o->eflag)
		ether_addresses_print(src, dst);
	type = be16(p + 12);
	length -= ETHER_HDRLEN;
	caplen -= ETHER_HDRLEN;
	p += ETHER_HDRLEN;

	if (type <= MAX_ETHERNET_LENGTH_VAL) {
		length = type;
		if (o->eflag)
			ND_PRINT("802.3, length %u: ", length);
		llc_print(p, length, caplen);
		return hdrlen;
	}
	if (is_vlan_type(type) && (caplen < 4 || length < 4)) {
		nd_trunc("vlan");
		return hdrlen + (caplen < length ? caplen : length);
	}
	if (o->eflag) {
		ether_type_print(type);
		if (!o->qflag)
			ND_PRINT(" (0x%04x)", type);
		ND_PRINT(", length %u: ", orig_length);
	}
	/*
	 * Tags: tcpdump's 802.1Q printer, one per tag; a tag's own type is
	 * shown only once its bytes are there, then the innermost type.
	 */
	while (is_vlan_type(type)) {
		u16 tci;

		if (caplen < 4 || length < 4) {
			nd_trunc("vlan");
			return hdrlen + (caplen < length ? caplen : length);
		}
		if (o->eflag && hdrlen > ETHER_HDRLEN) {
			ether_type_print(type);
			if (!o->qflag)
				ND_PRINT(" (0x%04x)", type);
			ND_PRINT(", ");
		}
		tci = be16(p);
		type = be16(p + 2);
		if (o->eflag)
			ND_PRINT("vlan %u, p %u%s, ", tci & 0xfff, tci >> 13,
				 tci & 0x1000 ? ", DEI" : "");
		p += 4;
		length -= 4;
		caplen -= 4;
		hdrlen += 4;
		if (type <= MAX_ETHERNET_LENGTH_VAL) {
			llc_print(p, type, caplen);
			return hdrlen;
		}
		if (o->eflag && !is_vlan_type(type)) {
			ether_type_print(type);
			if (!o->qflag)
				ND_PRINT(" (0x%04x)", type);
			ND_PRINT(", ");
		}
	}
	if (!ethertype_print(type, p, length)) {
		if (!o->eflag) {
			ether_addresses_print(src, dst);
			ether_type_print(type);
			if (!o->qflag)
				ND_PRINT(" (0x%04x)", type);
			ND_PRINT(", length %u: ", orig_length);
		}
		nd_default_print(p, caplen);
	}
	return hdrlen;
}

/* ---- Linux cooked captures ---- */

static const struct tok sll_pkttype_values[] = {
	{ 0, "In" },
	{ 1, "B" },
	{ 2, "M" },
	{ 3, "P" },
	{ 4, "Out" },
	{ 0, NULL }
};

#define SLL_HDR_LEN	16
#define SLL2_HDR_LEN	20

static u32 sll_payload(const u8 *p, u32 length, u32 caplen, u32 hlen, u16 type)
{
	length -= hlen;
	caplen -= hlen;
	p += hlen;
	while (is_vlan_type(type)) {
		u16 tci;

		if (caplen < 4 || length < 4) {
			nd_trunc("vlan");
			return hlen;
		}
		tci = be16(p);
		type = be16(p + 2);
		if (nd.o->eflag) {
			ND_PRINT("vlan %u, p %u%s, ", tci & 0xfff, tci >> 13,
				 tci & 0x1000 ? ", DEI" : "");
			ether_type_print(type);
			if (!nd.o->qflag)
				ND_PRINT(" (0x%04x)", type);
			ND_PRINT(", ");
		}
		p += 4;
		length -= 4;
		caplen -= 4;
		hlen += 4;
	}
	if (!ethertype_print(type, p, length)) {
		if (!nd.o->eflag) {
			ether_type_print(type);
			ND_PRINT(" (0x%04x), length %u: ", type, length);
		}
		nd_default_print(p, caplen);
	}
	return hlen;
}

/* -e: what the cooked header says about the link layer. */
static void sll_link_print(u32 halen, const u8 *addr, u16 type, u32 length)
{
	if (halen == 6)
		ND_PRINT("%s ", etheraddr_string(addr));
	if (!nd.o->qflag)
		ND_PRINT("ethertype %s (0x%04x), length %u: ",
			 tok2str(ethertype_values, "Unknown", type), type, length);
}

u32 sll_print(const u8 *p, u32 length, u32 caplen)
{
	u16 type;

	if (caplen < SLL_HDR_LEN || length < SLL_HDR_LEN) {
		nd_trunc("sll");
		return caplen;
	}
	type = be16(p + 14);
	if (nd.o->eflag) {
		ND_PRINT("%3s ", tok2str(sll_pkttype_values, "?", be16(p)));
		sll_link_print(be16(p + 4), p + 6, type, length);
	}
	return sll_payload(p, length, caplen, SLL_HDR_LEN, type);
}

/* tcpdump -i any: the interface name and direction lead every line. */
u32 sll2_print(const u8 *p, u32 length, u32 caplen)
{
	char ifname[IF_NAMESIZE];
	u32 ifindex;
	u16 type;

	if (caplen < SLL2_HDR_LEN || length < SLL2_HDR_LEN) {
		nd_trunc("sll2");
		return caplen;
	}
	type = be16(p);
	ifindex = be32(p + 4);
	if (!if_indextoname(ifindex, ifname))
		strcpy(ifname, "?");
	ND_PRINT("%-5s ", ifname);
	ND_PRINT("%-3s ", tok2str(sll_pkttype_values, "?", p[10]));
	if (nd.o->eflag) {
		ND_PRINT("ifindex %u ", ifindex);
		sll_link_print(p[11], p + 12, type, length);
	}
	return sll_payload(p, length, caplen, SLL2_HDR_LEN, type);
}

/* ---- ARP ---- */

static const struct tok arpop_values[] = {
	{ 1, "Request" },
	{ 2, "Reply" },
	{ 3, "Reverse Request" },
	{ 4, "Reverse Reply" },
	{ 8, "Inverse Request" },
	{ 9, "Inverse Reply" },
	{ 10, "NACK Reply" },
	{ 0, NULL }
};

static const struct tok arphrd_values[] = {
	{ 1, "Ethernet" },
	{ 6, "TokenRing" },
	{ 15, "Frame Relay" },
	{ 19, "ATM" },
	{ 24, "IEEE 1394" },
	{ 32, "InfiniBand" },
	{ 0, NULL }
};

static bool isnonzero(const u8 *p, u32 len)
{
	while (len--)
		if (*p++)
			return true;
	return false;
}

static void arp_paddr_print(const u8 *a, u32 plen, u16 pro)
{
	if ((pro == 0x0800 || pro == 0x1000) && plen == 4)
		ND_PRINT("%s", ipaddr_string(a));
	else if (!plen)
		ND_PRINT("<No address>");
	else
		ND_PRINT("%s", linkaddr_string(a, plen));
}

void arp_print(const u8 *p, u32 length)
{
	u16 hrd, pro, op;
	u8 hln, pln;
	const u8 *sha, *spa, *tha, *tpa;

	if (!nd_ttest(p, 8)) {
		nd_trunc("arp");
		return;
	}
	hrd = be16(p);
	pro = be16(p + 2);
	hln = p[4];
	pln = p[5];
	op = be16(p + 6);
	sha = p + 8;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	if (!nd_ttest(tpa, pln)) {
		nd_trunc("arp");
		return;
	}
	if (!nd.o->eflag)
		ND_PRINT("ARP, ");
	if ((pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0 || nd.o->vflag) {
		ND_PRINT("%s (len %u), %s (len %u)",
			 tok2str(arphrd_values, "Unknown Hardware (%u)", hrd), hln,
			 tok2str(ethertype_values, "Unknown Protocol (0x%04x)", pro), pln);
		if (!nd.o->vflag)
			goto out;
	}
	ND_PRINT("%s%s ", nd.o->vflag ? ", " : "",
		 tok2str(arpop_values, "Unknown (%u)", op));
	switch (op) {
	case 1:
		ND_PRINT("who-has ");
		arp_paddr_print(tpa, pln, pro);
		if (isnonzero(tha, hln))
			ND_PRINT(" (%s)", linkaddr_string(tha, hln));
		ND_PRINT(" tell ");
		arp_paddr_print(spa, pln, pro);
		break;
	case 2:
		arp_paddr_print(spa, pln, pro);
		ND_PRINT(" is-at %s", linkaddr_string(sha, hln));
		break;
	case 3:
		ND_PRINT("who-is %s", linkaddr_string(tha, hln));
		ND_PRINT(" tell %s", linkaddr_string(sha, hln));
		break;
	case 4:
		ND_PRINT("%s at ", linkaddr_string(tha, hln));
		arp_paddr_print(tpa, pln, pro);
		break;
	default:
		nd_default_print(p, length);
		return;
	}
out:
	ND_PRINT(", length %u", length);
}
