// SPDX-License-Identifier: GPL-2.0
/*
 * UDP: ports, length and (-v) the checksum.  Application protocols are
 * not decoded: tcpdump's generic "UDP, length N" is printed for all.
 */
#include "print.h"

static void udpipaddr_print(const u8 *iph, int sport, int dport)
{
	bool v6 = (iph[0] >> 4) == 6;
	u8 nh = v6 ? iph[6] : iph[9];

	if (nh == 17) {
		if (sport == -1) {
			ND_PRINT("%s > ", v6 ? ip6addr_string(iph + 8) : ipaddr_string(iph + 12));
			ND_PRINT("%s: ", v6 ? ip6addr_string(iph + 24) : ipaddr_string(iph + 16));
		} else {
			ND_PRINT("%s.", v6 ? ip6addr_string(iph + 8) : ipaddr_string(iph + 12));
			ND_PRINT("%s > ", udpport_string(sport));
			ND_PRINT("%s.", v6 ? ip6addr_string(iph + 24) : ipaddr_string(iph + 16));
			ND_PRINT("%s: ", udpport_string(dport));
		}
	} else if (sport != -1) {
		ND_PRINT("%s > ", udpport_string(sport));
		ND_PRINT("%s: ", udpport_string(dport));
	}
}

void udp_print(const u8 *bp, u32 length, const u8 *iph, bool fragmented)
{
	const struct bpfcap_opts *o = nd.o;
	bool v6 = (iph[0] >> 4) == 6;
	u32 ulen;
	u16 sport, dport;

	if (!nd_ttest(bp, 4)) {
		udpipaddr_print(iph, -1, -1);
		nd_trunc("udp");
		return;
	}
	sport = be16(bp);
	dport = be16(bp + 2);
	if (length < 8) {
		udpipaddr_print(iph, sport, dport);
		ND_PRINT("truncated-udp %u", length);
		return;
	}
	if (!nd_ttest(bp + 4, 2)) {
		udpipaddr_print(iph, sport, dport);
		nd_trunc("udp");
		return;
	}
	ulen = be16(bp + 4);
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		udpipaddr_print(iph, sport, dport);
		ND_PRINT("truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	if (bp + 8 > nd.snapend) {
		udpipaddr_print(iph, sport, dport);
		nd_trunc("udp");
		return;
	}
	udpipaddr_print(iph, sport, dport);
	if (o->vflag && !fragmented) {
		u16 udp_sum = nd_ttest(bp + 6, 2) ? be16(bp + 6) : 0;

		if (!v6 && o->vflag > 1) {
			if (udp_sum == 0) {
				ND_PRINT("[no cksum] ");
			} else if (nd_ttest(bp + 8, length)) {
				u16 sum = in_cksum(bp, length + 8,
						   nextproto_cksum_sum(iph, 17, length + 8));

				if (sum)
					ND_PRINT("[bad udp cksum 0x%04x -> 0x%04x!] ",
						 udp_sum, in_cksum_shouldbe(udp_sum, sum));
				else
					ND_PRINT("[udp sum ok] ");
			}
		} else if (v6 && nd_ttest(bp + 8, length)) {
			u16 sum = in_cksum(bp, length + 8,
					   nextproto_cksum_sum(iph, 17, length + 8));

			if (sum)
				ND_PRINT("[bad udp cksum 0x%04x -> 0x%04x!] ",
					 udp_sum, in_cksum_shouldbe(udp_sum, sum));
			else
				ND_PRINT("[udp sum ok] ");
		}
	}
	ND_PRINT("UDP, length %u", ulen);
}
