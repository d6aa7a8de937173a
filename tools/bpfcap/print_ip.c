// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 and IPv6 (extension headers, fragments) and the demultiplexer to
 * the upper layers.
 */
#include <netdb.h>
#include <string.h>

#include "print.h"

#define IP_RF		0x8000
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff

static const struct tok ip_frag_values[] = {
	{ IP_MF, "+" },
	{ IP_DF, "DF" },
	{ IP_RF, "rsvd" },
	{ 0, NULL }
};

static const struct tok ip_option_values[] = {
	{ 0, "EOL" },
	{ 1, "NOP" },
	{ 68, "timestamp" },
	{ 130, "security" },
	{ 7, "RR" },
	{ 133, "E-SEC" },
	{ 134, "CIPSO" },
	{ 131, "LSRR" },
	{ 136, "SSID" },
	{ 137, "SSRR" },
	{ 148, "RA" },
	{ 0, NULL }
};

static void ip_optprint(const u8 *cp, u32 length)
{
	u32 option_len;
	const char *sep = "";

	for (; length > 0; cp += option_len, length -= option_len) {
		u8 option_code = cp[0];

		ND_PRINT("%s%s", sep, tok2str(ip_option_values, "unknown %u", option_code));
		sep = ",";
		if (option_code == 0 || option_code == 1)
			option_len = 1;
		else {
			if (length < 2 || !nd_ttest(cp, 2)) {
				ND_PRINT(" [bad length %u]", length);
				return;
			}
			option_len = cp[1];
			if (option_len < 2 || option_len > length) {
				ND_PRINT(" [bad length %u]", option_len);
				return;
			}
			if (!nd_ttest(cp, option_len)) {
				nd_trunc("ip");
				return;
			}
		}
		switch (option_code) {
		case 0:
			return;
		case 1:
			break;
		case 148:	/* router alert */
			if (option_len != 4)
				ND_PRINT(" [bad length %u]", option_len);
			else if (be16(cp + 2))
				ND_PRINT(" value %u", be16(cp + 2));
			break;
		default:
			break;
		}
	}
}

static const char *protoname(u8 nh)
{
	struct protoent *pe;

	if (nd.o->nflag)
		return NULL;
	pe = getprotobynumber(nh);
	return pe ? pe->p_name : NULL;
}

void ip_demux_print(const u8 *p, u32 length, int ver, bool fragmented,
		    u8 nh, const u8 *iph)
{
	const char *name;

	if (!iph) {	/* raw IP link type */
		if (nd_ttest(p, 1) && (p[0] >> 4) == 4)
			ip_print(p, length);
		else if (nd_ttest(p, 1) && (p[0] >> 4) == 6)
			ip6_print(p, length);
		else
			ND_PRINT("IP%u [|ip]", nd_ttest(p, 1) ? p[0] >> 4 : 0);
		return;
	}
	switch (nh) {
	case 6:
		tcp_print(p, length, iph, fragmented);
		return;
	case 17:
		udp_print(p, length, iph, fragmented);
		return;
	case 1:
		if (ver == 4) {
			icmp_print(p, length, iph, fragmented);
			return;
		}
		break;
	case 58:
		if (ver == 6) {
			icmp6_print(p, length, iph, fragmented);
			return;
		}
		break;
	case 4:
		ip_print(p, length);
		return;
	case 41:
		ip6_print(p, length);
		return;
	case 59:
		if (ver == 6) {
			ND_PRINT("IP6 no next header");
			return;
		}
		break;
	}
	name = protoname(nh);
	if (name)
		ND_PRINT(" %s", name);
	else
		ND_PRINT(" ip-proto-%u", nh);
	ND_PRINT(" %u", length);
}

void ip_print(const u8 *bp, u32 length)
{
	const struct bpfcap_opts *o = nd.o;
	u32 hlen, len, off;
	const u8 *snapend_save = nd.snapend;
	u8 proto;

	if (!nd_ttest(bp, 1)) {
		nd_trunc("ip");
		return;
	}
	if ((bp[0] >> 4) != 4) {
		if ((bp[0] >> 4) == 6)
			ND_PRINT("IP6, wrong link-layer encapsulation");
		else
			ND_PRINT("IP%u", bp[0] >> 4);
		ND_PRINT(" (invalid)");
		return;
	}
	if (!o->eflag)
		ND_PRINT("IP ");
	if (!nd_ttest(bp, 20)) {
		nd_trunc("ip");
		return;
	}
	if (length < 20) {
		ND_PRINT("truncated-ip %u", length);
		return;
	}
	hlen = (bp[0] & 0x0f) * 4;
	if (hlen < 20) {
		ND_PRINT("bad-hlen %u", hlen);
		return;
	}
	len = be16(bp + 2);
	if (len > length) {
		ND_PRINT("truncated-ip - %u bytes missing! ", len - length);
		len = length;
	} else if (len < length) {
		/* Ethernet padding: the datagram ends where IP says. */
		length = len;
	}
	if (len < hlen) {
		ND_PRINT("bad-len %u", len);
		return;
	}
	if (bp + len < nd.snapend)
		nd.snapend = bp + len;
	off = be16(bp + 6);
	proto = bp[9];

	if (o->vflag) {
		u8 tos = bp[1];

		ND_PRINT("(tos 0x%x", tos);
		switch (tos & 3) {
		case 1:
			ND_PRINT(",ECT(1)");
			break;
		case 2:
			ND_PRINT(",ECT(0)");
			break;
		case 3:
			ND_PRINT(",CE");
			break;
		}
		if (bp[8] >= 1)
			ND_PRINT(", ttl %u", bp[8]);
		ND_PRINT(", id %u, offset %u, flags [%s], proto %s (%u)",
			 be16(bp + 4), (off & IP_OFFMASK) * 8,
			 bittok2str(ip_frag_values, "none", off & (IP_RF | IP_DF | IP_MF)),
			 tok2str(ipproto_values, "unknown", proto), proto);
		ND_PRINT(", length %u", be16(bp + 2));
		if (hlen > 20) {
			ND_PRINT(", options (");
			ip_optprint(bp + 20, hlen - 20);
			ND_PRINT(")");
		}
		if (nd_ttest(bp, hlen)) {
			u16 sum = in_cksum(bp, hlen, 0);

			if (sum)
				ND_PRINT(", bad cksum %x (->%x)!", be16(bp + 10),
					 in_cksum_shouldbe(be16(bp + 10), sum));
		}
		ND_PRINT(")\n    ");
	}

	if ((off & IP_OFFMASK) == 0) {
		if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
			ND_PRINT("%s > ", ipaddr_string(bp + 12));
			ND_PRINT("%s: ", ipaddr_string(bp + 16));
		}
		if (!nd_ttest(bp, hlen)) {
			nd_trunc("ip");
			goto out;
		}
		ip_demux_print(bp + hlen, len - hlen, 4, off & IP_MF, proto, bp);
	} else {
		const char *name;

		if (o->qflag > 1)
			goto out;
		ND_PRINT("%s > ", ipaddr_string(bp + 12));
		ND_PRINT("%s:", ipaddr_string(bp + 16));
		name = protoname(proto);
		if (name)
			ND_PRINT(" %s", name);
		else
			ND_PRINT(" ip-proto-%u", proto);
	}
out:
	nd.snapend = snapend_save;
}

/* ---- IPv6 ---- */

static const struct tok ip6opt_values[] = {
	{ 0x00, "pad1" },
	{ 0x01, "padn" },
	{ 0x05, "rtalert" },
	{ 0xc2, "jumbo" },
	{ 0x04, "tunnelencap" },
	{ 0xc9, "homeaddr" },
	{ 0, NULL }
};

/* The options of a hop-by-hop or destination options header (-v). */
static void ip6_opt_print(const u8 *bp, int len)
{
	int i, optlen;

	for (i = 0; i < len; i += optlen) {
		u8 t = bp[i];

		if (t == 0) {
			optlen = 1;
			ND_PRINT("(pad1)");
			continue;
		}
		if (i + 2 > len) {
			ND_PRINT("[|ip6opt]");
			return;
		}
		optlen = bp[i + 1] + 2;
		if (i + optlen > len) {
			ND_PRINT("[|ip6opt]");
			return;
		}
		switch (t) {
		case 1:
			ND_PRINT("(padn)");
			break;
		case 5:
			if (optlen != 4) {
				ND_PRINT("(rtalert: invalid len %u)", optlen - 2);
				break;
			}
			ND_PRINT("(rtalert: 0x%04x) ", be16(bp + i + 2));
			break;
		case 0xc2:
			if (optlen != 6) {
				ND_PRINT("(jumbo: invalid len %u)", optlen - 2);
				break;
			}
			ND_PRINT("(jumbo: %u) ", be32(bp + i + 2));
			break;
		default:
			ND_PRINT("(%s opt_type 0x%02x: len=%u)",
				 tok2str(ip6opt_values, "unknown", t), t, optlen - 2);
			break;
		}
	}
}

static int ip6_opthdr_print(const u8 *cp, const char *name, const char *proto)
{
	int hlen;

	if (!nd_ttest(cp, 2)) {
		nd_trunc_jmp(proto);
		return -1;
	}
	hlen = (cp[1] + 1) << 3;
	if (!nd_ttest(cp, hlen)) {
		nd_trunc(proto);
		return -1;
	}
	ND_PRINT("%s ", name);
	if (nd.o->vflag) {
		ip6_opt_print(cp + 2, hlen - 2);
		ND_PRINT(" ");
	}
	return hlen;
}

static int frag6_print(const u8 *cp, const u8 *ip6)
{
	u16 offlg;
	u32 len;

	if (!nd_ttest(cp, nd.o->vflag ? 8 : 4)) {
		nd_trunc_jmp("frag6");
		return -1;
	}
	offlg = be16(cp + 2);
	len = 40 + be16(ip6 + 4) - (u32)(cp - ip6) - 8;
	if (nd.o->vflag)
		ND_PRINT("frag (0x%08x:%u|%u)", be32(cp + 4), offlg & 0xfff8, len);
	else
		ND_PRINT("frag (%u|%u)", offlg & 0xfff8, len);
	if (offlg & 0xfff8)
		return -1;
	ND_PRINT(" ");
	return 8;
}

static int rt6_print(const u8 *cp)
{
	u32 len, type, segleft, i;

	/* Field by field, as far as the capture goes (as tcpdump). */
	ND_PRINT("RT6");
	if (!nd_ttest(cp + 1, 1))
		goto trunc;
	len = cp[1];
	ND_PRINT(" (len=%u", len);
	if (!nd_ttest(cp + 2, 1))
		goto trunc;
	type = cp[2];
	ND_PRINT(", type=%u", type);
	if (type == 0)
		ND_PRINT(" [Deprecated]");
	if (!nd_ttest(cp + 3, 1))
		goto trunc;
	segleft = cp[3];
	ND_PRINT(", segleft=%u", segleft);
	switch (type) {
	case 0:
	case 2:
		if (!nd_ttest(cp, 8)) {
			nd_trunc_jmp("rt6");
			return -1;
		}
		if (nd.o->vflag)
			ND_PRINT(", rsv=0x%0x", be32(cp + 4));
		if (len % 2 == 1) {
			ND_PRINT(" [invalid]");
			return -1;
		}
		len >>= 1;
		for (i = 0; i < len; i++) {
			const u8 *a = cp + 8 + 16 * i;

			if (!nd_ttest(a, 16)) {
				nd_trunc_jmp("rt6");
				return -1;
			}
			ND_PRINT(", [%u]%s", i, ip6addr_string(a));
		}
		ND_PRINT(") ");
		return (cp[1] + 1) << 3;
	default:
		ND_PRINT(") ");
		return (cp[1] + 1) << 3;
	}
trunc:
	nd_trunc_jmp("rt6");
	return -1;
}

void ip6_print(const u8 *bp, u32 length)
{
	const struct bpfcap_opts *o = nd.o;
	const u8 *snapend_save = nd.snapend;
	const u8 *cp;
	u32 payload_len, len;
	int advance;
	bool fragmented = false;
	u8 nh;

	if (!nd_ttest(bp, 40)) {
		nd_trunc("ip6");
		return;
	}
	if (!o->eflag)
		ND_PRINT("IP6 ");
	if ((bp[0] >> 4) != 6) {
		ND_PRINT("version error: %u != 6", bp[0] >> 4);
		return;
	}
	if (length < 40) {
		ND_PRINT("truncated-ip6 %u", length);
		return;
	}
	payload_len = be16(bp + 4);
	len = payload_len + 40;
	if (payload_len == 0 || len > length) {
		if (payload_len)
			ND_PRINT("[header+payload length %u > length %u] (invalid)",
				 len, length);
		else
			ND_PRINT("[jumbo payload not supported]");
		return;
	}
	nh = bp[6];
	if (o->vflag) {
		u32 flow = be32(bp);

		ND_PRINT("(");
		if (flow & 0x0ff00000)
			ND_PRINT("class 0x%02x, ", (flow & 0x0ff00000) >> 20);
		if (flow & 0x000fffff)
			ND_PRINT("flowlabel 0x%05x, ", flow & 0x000fffff);
		ND_PRINT("hlim %u, next-header %s (%u) payload length: %u) ",
			 bp[7], tok2str(ipproto_values, "unknown", nh), nh, payload_len);
	}
	if (bp + len < nd.snapend)
		nd.snapend = bp + len;

	cp = bp;
	advance = 40;
	while (cp < nd.snapend && advance > 0) {
		if (len < (u32)advance) {
			nd_trunc("ip6");
			break;
		}
		cp += advance;
		len -= advance;
		if (cp == bp + 40 && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
			ND_PRINT("%s > ", ip6addr_string(bp + 8));
			ND_PRINT("%s: ", ip6addr_string(bp + 24));
		}
		switch (nh) {
		case 0:
			advance = ip6_opthdr_print(cp, "HBH", "hbhopt");
			if (advance < 0)
				goto out;
			nh = cp[0];
			break;
		case 60:
			advance = ip6_opthdr_print(cp, "DSTOPT", "dstopt");
			if (advance < 0)
				goto out;
			nh = cp[0];
			break;
		case 44:
			advance = frag6_print(cp, bp);
			if (advance < 0 || nd.snapend <= cp + advance)
				goto out;
			nh = cp[0];
			fragmented = true;
			break;
		case 43:
			if (!nd_ttest(cp, 1)) {
				nd_trunc("ip6");
				goto out;
			}
			advance = rt6_print(cp);
			if (advance < 0)
				goto out;
			nh = cp[0];
			break;
		default:
			ip_demux_print(cp, len, 6, fragmented, nh, bp);
			goto out;
		}
	}
out:
	nd.snapend = snapend_save;
}
