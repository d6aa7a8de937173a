// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6: type, code and the fields of the common messages
 * (echo, unreachable, time exceeded, neighbour discovery, MLD).
 */
#include <stdio.h>
#include <string.h>

#include "print.h"

static const struct tok icmp2str[] = {
	{ 0, "echo reply" },
	{ 4, "source quench" },
	{ 8, "echo request" },
	{ 10, "router solicitation" },
	{ 13, "time stamp query" },
	{ 14, "time stamp reply" },
	{ 15, "information request" },
	{ 16, "information reply" },
	{ 17, "address mask request" },
	{ 0, NULL }
};

static const struct tok unreach2str[] = {
	{ 0, "net %s unreachable" },
	{ 1, "host %s unreachable" },
	{ 5, "%s unreachable - source route failed" },
	{ 6, "net %s unreachable - unknown" },
	{ 7, "host %s unreachable - unknown" },
	{ 8, "%s unreachable - source host isolated" },
	{ 9, "net %s unreachable - admin prohibited" },
	{ 10, "host %s unreachable - admin prohibited" },
	{ 11, "net %s unreachable - tos prohibited" },
	{ 12, "host %s unreachable - tos prohibited" },
	{ 13, "host %s unreachable - admin prohibited filter" },
	{ 14, "host %s unreachable - host precedence violation" },
	{ 15, "host %s unreachable - precedence cutoff" },
	{ 0, NULL }
};


static bool icmp_errtype(u8 t)
{
	return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
}

void icmp_print(const u8 *bp, u32 plen, const u8 *iph, bool fragmented)
{
	char buf[512];
	const u8 *oip = bp + 8;
	u8 type, code;

	if (!nd_ttest(bp, 2)) {
		nd_trunc_jmp("icmp");
		return;
	}
	type = bp[0];
	code = bp[1];
	snprintf(buf, sizeof(buf), "%s", tok2str(icmp2str, "type-#%u", type));
	switch (type) {
	case 0:
	case 8:
		if (!nd_ttest(bp, 8))
			goto trunc;
		snprintf(buf, sizeof(buf), "echo %s, id %u, seq %u",
			 type == 8 ? "request" : "reply", be16(bp + 4), be16(bp + 6));
		break;
	case 3:
		if (!nd_ttest(oip, 20))
			goto trunc;
		switch (code) {
		case 2:
			snprintf(buf, sizeof(buf), "%s protocol %u unreachable",
				 ipaddr_string(oip + 16), oip[9]);
			break;
		case 3: {
			const u8 *ouh = oip + (oip[0] & 0xf) * 4;
			u16 dport;

			if (!nd_ttest(ouh + 2, 2))
				goto trunc;
			dport = be16(ouh + 2);
			if (oip[9] == 6)
				snprintf(buf, sizeof(buf), "%s tcp port %s unreachable",
					 ipaddr_string(oip + 16), tcpport_string(dport));
			else if (oip[9] == 17)
				snprintf(buf, sizeof(buf), "%s udp port %s unreachable",
					 ipaddr_string(oip + 16), udpport_string(dport));
			else
				snprintf(buf, sizeof(buf), "%s protocol %u port %u unreachable",
					 ipaddr_string(oip + 16), oip[9], dport);
			break;
		}
		case 4: {
			u16 mtu = be16(bp + 6);

			if (mtu)
				snprintf(buf, sizeof(buf), "%s unreachable - need to frag (mtu %u)",
					 ipaddr_string(oip + 16), mtu);
			else
				snprintf(buf, sizeof(buf), "%s unreachable - need to frag",
					 ipaddr_string(oip + 16));
			break;
		}
		default: {
			char fmt[64];

			snprintf(fmt, sizeof(fmt), "%s", tok2str(unreach2str, "#%u %%s unreachable", code));
			snprintf(buf, sizeof(buf), fmt, ipaddr_string(oip + 16));
			break;
		}
		}
		break;
	case 5:
		if (!nd_ttest(oip, 20))
			goto trunc;
		{
			char gw[64];
			static const char *const kind[] = {
				"redirect %s to net %s", "redirect %s to host %s",
				"redirect-tos %s to net %s", "redirect-tos %s to host %s",
			};

			snprintf(gw, sizeof(gw), "%s", ipaddr_string(bp + 4));
			if (code <= 3)
				snprintf(buf, sizeof(buf), kind[code], ipaddr_string(oip + 16), gw);
			else
				snprintf(buf, sizeof(buf), "redirect-#%u %s to %s", code,
					 ipaddr_string(oip + 16), gw);
		}
		break;
	case 11:
		if (!nd_ttest(oip + 16, 4))
			goto trunc;
		switch (code) {
		case 0:
			snprintf(buf, sizeof(buf), "time exceeded in-transit");
			break;
		case 1:
			snprintf(buf, sizeof(buf), "ip reassembly time exceeded");
			break;
		default:
			snprintf(buf, sizeof(buf), "time exceeded-#%u", code);
			break;
		}
		break;
	case 12:
		if (code)
			snprintf(buf, sizeof(buf), "parameter problem - code %u", code);
		else {
			if (!nd_ttest(bp + 4, 1))
				goto trunc;
			snprintf(buf, sizeof(buf), "parameter problem - octet %u", bp[4]);
		}
		break;
	case 13:
	case 14:
		if (!nd_ttest(bp, 20))
			goto trunc;
		{
			u32 t = be32(bp + 8);

			snprintf(buf, sizeof(buf), "time stamp %s id %u seq %u: org %02u:%02u:%02u.%03u",
				 type == 13 ? "query" : "reply", be16(bp + 4), be16(bp + 6),
				 t / 3600000, t / 60000 % 60, t / 1000 % 60, t % 1000);
			if (type == 14) {
				size_t n = strlen(buf);

				t = be32(bp + 12);
				n += snprintf(buf + n, sizeof(buf) - n, ", recv %02u:%02u:%02u.%03u",
					      t / 3600000, t / 60000 % 60, t / 1000 % 60, t % 1000);
				t = be32(bp + 16);
				snprintf(buf + n, sizeof(buf) - n, ", xmit %02u:%02u:%02u.%03u",
					 t / 3600000, t / 60000 % 60, t / 1000 % 60, t % 1000);
			}
		}
		break;
	default:
		break;
	}
	ND_PRINT("ICMP %s, length %u", buf, plen);
	if (nd.o->vflag && !fragmented && nd_ttest(bp, plen)) {
		u16 sum = in_cksum(bp, plen, 0);

		if (sum) {
			u16 icmp_sum = be16(bp + 2);

			ND_PRINT(" (wrong icmp cksum %x (->%x)!)", icmp_sum,
				 in_cksum_shouldbe(icmp_sum, sum));
		}
	}
	if (nd.o->vflag >= 1 && icmp_errtype(type) && nd_ttest(oip, 20)) {
		const u8 *snapend_save = nd.snapend;

		ND_PRINT("\n\t");
		ip_print(oip, be16(oip + 2));
		nd.snapend = snapend_save;
	}
	return;
trunc:
	nd_trunc_jmp("icmp");
}

/* ---- ICMPv6 ---- */

static const struct tok icmp6_type_values[] = {
	{ 1, "destination unreachable" },
	{ 2, "packet too big" },
	{ 3, "time exceeded in-transit" },
	{ 4, "parameter problem" },
	{ 128, "echo request" },
	{ 129, "echo reply" },
	{ 130, "multicast listener query" },
	{ 131, "multicast listener report" },
	{ 132, "multicast listener done" },
	{ 133, "router solicitation" },
	{ 134, "router advertisement" },
	{ 135, "neighbor solicitation" },
	{ 136, "neighbor advertisement" },
	{ 137, "redirect" },
	{ 138, "router renumbering" },
	{ 139, "node information query" },
	{ 140, "node information reply" },
	{ 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" },
	{ 144, "ha discovery request" },
	{ 145, "ha discovery reply" },
	{ 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" },
	{ 148, "certification path solicitation" },
	{ 149, "certification path advertisement" },
	{ 151, "multicast router advertisement" },
	{ 152, "multicast router solicitation" },
	{ 153, "multicast router termination" },
	{ 155, "RPL" },
	{ 0, NULL }
};

static const struct tok icmp6_dst_unreach_code_values[] = {
	{ 0, "unreachable route" },
	{ 1, " unreachable prohibited" },
	{ 2, "beyond scope" },
	{ 3, "unreachable address" },
	{ 4, "unreachable port" },
	{ 5, "source address failed policy" },
	{ 6, "reject route" },
	{ 0, NULL }
};

static const struct tok icmp6_opt_values[] = {
	{ 1, "source link-address" },
	{ 2, "destination link-address" },
	{ 3, "prefix info" },
	{ 4, "redirected header" },
	{ 5, "mtu" },
	{ 25, "rdnss" },
	{ 31, "dnssl" },
	{ 7, "advertisement interval" },
	{ 8, "homeagent information" },
	{ 24, "route info" },
	{ 0, NULL }
};

static const struct tok icmp6_nd_na_flag_values[] = {
	{ 0x80000000, "router" },
	{ 0x40000000, "solicited" },
	{ 0x20000000, "override" },
	{ 0x10000000, "extended" },
	{ 0, NULL }
};

static const struct tok icmp6_opt_pi_flag_values[] = {
	{ 0x80, "onlink" },
	{ 0x40, "auto" },
	{ 0x20, "router" },
	{ 0, NULL }
};

static const char *get_lifetime(u32 v)
{
	static char buf[32];

	if (v == 0xffffffff)
		return "infinity";
	snprintf(buf, sizeof(buf), "%us", v);
	return buf;
}

/* Neighbour discovery options (-v), the kinds tcpdump decodes most. */
static void icmp6_opt_print(const u8 *bp, int resid)
{
	/* Options end where the capture does, silently (as tcpdump). */
	while (resid > 0 && bp < nd.snapend) {
		u32 type, len, i;

		if (!nd_ttest(bp, 2))
			goto trunc;
		type = bp[0];
		len = bp[1];
		if (len == 0 || resid < (int)(len << 3) || !nd_ttest(bp, len << 3))
			goto trunc;
		ND_PRINT("\n\t  %s option (%u), length %u (%u): ",
			 tok2str(icmp6_opt_values, "unknown", type), type, len << 3, len);
		switch (type) {
		case 1:
		case 2:
			for (i = 0; i < (len << 3) - 2; i++)
				ND_PRINT(i ? ":%02x" : "%02x", bp[2 + i]);
			break;
		case 3:
			ND_PRINT("%s/%u%s, Flags [%s], valid time %s",
				 ip6addr_string(bp + 16), bp[2], len != 4 ? "badlen" : "",
				 bittok2str(icmp6_opt_pi_flag_values, "none", bp[3]),
				 get_lifetime(be32(bp + 4)));
			ND_PRINT(", pref. time %s", get_lifetime(be32(bp + 8)));
			break;
		case 5:
			ND_PRINT(" %u%s", be32(bp + 4), len != 1 ? "bad option length" : "");
			break;
		case 7:
			ND_PRINT(" %ums", be32(bp + 4));
			break;
		case 8:
			ND_PRINT(" preference %u, lifetime %u", be16(bp + 4), be16(bp + 6));
			break;
		case 25:
			ND_PRINT(" lifetime %us,", be32(bp + 4));
			for (i = 0; i < (len - 1) / 2; i++)
				ND_PRINT(" addr: %s", ip6addr_string(bp + 8 + 16 * i));
			break;
		case 31: {
			const u8 *d = bp + 8, *end = bp + (len << 3);

			ND_PRINT(" lifetime %us, domain(s):", be32(bp + 4));
			while (d < end && *d) {
				ND_PRINT(" ");
				while (d < end && *d && d + 1 + *d <= end) {
					ND_PRINT("%.*s.", *d, d + 1);
					d += 1 + *d;
				}
				d++;
				while (d < end && !*d)
					d++;
			}
			break;
		}
		default:
			if (nd.o->vflag <= 1) {
				hex_print("\n\t  ", bp + 2, (len << 3) - 2);
				return;
			}
			break;
		}
		if (nd.o->vflag > 1)
			hex_print("\n\t    ", bp + 2, (len << 3) - 2);
		bp += len << 3;
		resid -= len << 3;
	}
	return;
trunc:
	nd_trunc_jmp("icmp6");
}

static const struct tok mldv2report2str[] = {
	{ 1, "is_in" },
	{ 2, "is_ex" },
	{ 3, "to_in" },
	{ 4, "to_ex" },
	{ 5, "allow" },
	{ 6, "block" },
	{ 0, NULL }
};

/* The transport header inside an ICMPv6 error's quoted packet. */
static const u8 *icmp6_upperlayer(const u8 *ip6, u8 *prot)
{
	const u8 *cp = ip6 + 40;
	u8 nh;

	if (!nd_ttest(ip6, 40))
		return NULL;
	nh = ip6[6];
	for (;;) {
		switch (nh) {
		case 6:
		case 17:
			*prot = nh;
			return nd_ttest(cp, 4) ? cp : NULL;
		case 0:
		case 43:
		case 60:
			if (!nd_ttest(cp, 2))
				return NULL;
			nh = cp[0];
			cp += (cp[1] + 1) << 3;
			break;
		case 44:
			if (!nd_ttest(cp, 8) || (be16(cp + 2) & 0xfff8))
				return NULL;
			nh = cp[0];
			cp += 8;
			break;
		default:
			*prot = nh;
			return NULL;
		}
	}
}

static bool mld6_print(const u8 *bp)
{
	if (!nd_ttest(bp, 24))
		return false;
	ND_PRINT("max resp delay: %u ", be16(bp + 4));
	ND_PRINT("addr: %s", ip6addr_string(bp + 8));
	return true;
}

static bool mldv2_report_print(const u8 *bp, u32 len)
{
	u32 group, nsrcs, ngroups, i, j;

	if (len < 8) {
		ND_PRINT(" [invalid len %u]", len);
		return true;
	}
	if (!nd_ttest(bp + 6, 2))
		return false;
	ngroups = be16(bp + 6);
	ND_PRINT(", %u group record(s)", ngroups);
	if (!nd.o->vflag)
		return true;
	group = 8;
	for (i = 0; i < ngroups; i++) {
		if (len < group + 20) {
			ND_PRINT(" [invalid number of groups]");
			return true;
		}
		if (!nd_ttest(bp + group, 20))
			return false;
		ND_PRINT(" [gaddr %s", ip6addr_string(bp + group + 4));
		ND_PRINT(" %s", tok2str(mldv2report2str, " [v2-report-#%u]", bp[group]));
		nsrcs = be16(bp + group + 2);
		if (len < group + 20 + nsrcs * 16) {
			ND_PRINT(" [invalid number of sources %u]", nsrcs);
			return true;
		}
		if (nd.o->vflag == 1) {
			ND_PRINT(", %u source(s)", nsrcs);
		} else {
			ND_PRINT(" {");
			for (j = 0; j < nsrcs; j++) {
				if (!nd_ttest(bp + group + 20 + j * 16, 16))
					return false;
				ND_PRINT(" %s", ip6addr_string(bp + group + 20 + j * 16));
			}
			ND_PRINT(" }");
		}
		group += 20 + nsrcs * 16 + bp[group + 1] * 4;
		ND_PRINT("]");
	}
	return true;
}

static bool mldv2_query_print(const u8 *bp, u32 len)
{
	u32 mrc, mrd, qqic, qqi, nsrcs, i;

	if (len < 28) {
		ND_PRINT(" [invalid len %u]", len);
		return true;
	}
	if (!nd_ttest(bp + 4, 2))
		return false;
	mrc = be16(bp + 4);
	if (mrc < 32768)
		mrd = mrc;
	else
		mrd = ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
	if (nd.o->vflag)
		ND_PRINT(" [max resp delay=%u]", mrd);
	if (!nd_ttest(bp + 8, 16))
		return false;
	ND_PRINT(" [gaddr %s", ip6addr_string(bp + 8));
	if (nd.o->vflag) {
		if (!nd_ttest(bp + 24, 1))
			return false;
		if (bp[24] & 0x08)
			ND_PRINT(" sflag");
		if (bp[24] & 0x07)
			ND_PRINT(" robustness=%u", bp[24] & 0x07);
		if (!nd_ttest(bp + 25, 1))
			return false;
		qqic = bp[25];
		if (qqic < 128)
			qqi = qqic;
		else
			qqi = ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);
		ND_PRINT(" qqi=%u", qqi);
	}
	if (!nd_ttest(bp + 26, 2))
		return false;
	nsrcs = be16(bp + 26);
	if (nsrcs > 0) {
		if (len < 28 + nsrcs * 16) {
			ND_PRINT(" [invalid number of sources]");
		} else if (nd.o->vflag > 1) {
			ND_PRINT(" {");
			for (i = 0; i < nsrcs; i++) {
				if (!nd_ttest(bp + 28 + i * 16, 16))
					return false;
				ND_PRINT(" %s", ip6addr_string(bp + 28 + i * 16));
			}
			ND_PRINT(" }");
		} else {
			ND_PRINT(", %u source(s)", nsrcs);
		}
	}
	ND_PRINT("]");
	return true;
}

void icmp6_print(const u8 *bp, u32 length, const u8 *ip6, bool fragmented)
{
	const struct bpfcap_opts *o = nd.o;
	const u8 *oip = bp + 8;
	u8 type, code, prot;
	const u8 *ouh;

	if (!nd_ttest(bp, 1)) {
		nd_trunc_jmp("icmp6");
		return;
	}
	type = bp[0];
	if (o->vflag && !fragmented && length >= 4 && nd_ttest(bp, length)) {
		u16 sum = in_cksum(bp, length, nextproto_cksum_sum(ip6, 58, length));
		u16 isum = be16(bp + 2);

		if (sum)
			ND_PRINT("[bad icmp6 cksum 0x%04x -> 0x%04x!] ", isum,
				 in_cksum_shouldbe(isum, sum));
		else
			ND_PRINT("[icmp6 sum ok] ");
	}
	ND_PRINT("ICMP6, %s", tok2str(icmp6_type_values, "unknown icmp6 type (%u)", type));
	if (o->vflag && (type == 133 || type == 134 || type == 135 || type == 136 ||
			 type == 137 || type == 145 || type == 147))
		ND_PRINT(", length %u", length);
	if (!nd_ttest(bp + 1, 1))
		goto trunc;
	code = bp[1];

	switch (type) {
	case 1:
		ND_PRINT(", %s", tok2str(icmp6_dst_unreach_code_values,
					 "unknown unreach code (%u)", code));
		switch (code) {
		case 0:
		case 1:
		case 3:
			if (!nd_ttest(oip + 24, 16))
				goto trunc;
			ND_PRINT(" %s", ip6addr_string(oip + 24));
			break;
		case 2:
			if (!nd_ttest(oip + 24, 16))
				goto trunc;
			ND_PRINT(" %s, source address %s", ip6addr_string(oip + 24),
				 ip6addr_string(oip + 8));
			break;
		case 4:
			ouh = icmp6_upperlayer(oip, &prot);
			if (!ouh)
				goto trunc;
			if (prot == 6)
				ND_PRINT(", %s tcp port %s", ip6addr_string(oip + 24),
					 tcpport_string(be16(ouh + 2)));
			else if (prot == 17)
				ND_PRINT(", %s udp port %s", ip6addr_string(oip + 24),
					 udpport_string(be16(ouh + 2)));
			else
				ND_PRINT(", %s protocol %u port %u unreachable",
					 ip6addr_string(oip + 24), prot, be16(ouh + 2));
			break;
		default:
			if (o->vflag <= 1) {
				hex_print("\n\t", bp, length);
				return;
			}
			break;
		}
		break;
	case 2:
		if (!nd_ttest(bp + 4, 4))
			goto trunc;
		ND_PRINT(", mtu %u", be32(bp + 4));
		break;
	case 3:
		switch (code) {
		case 0:
			if (!nd_ttest(oip + 24, 16))
				goto trunc;
			ND_PRINT(" for %s", ip6addr_string(oip + 24));
			break;
		case 1:
			ND_PRINT(" (reassembly)");
			break;
		default:
			ND_PRINT(", unknown code (%u)", code);
			break;
		}
		break;
	case 4:
		if (!nd_ttest(oip + 24, 16))
			goto trunc;
		switch (code) {
		case 0:
			ND_PRINT(", erroneous - octet %u", be32(bp + 4));
			break;
		case 1:
			ND_PRINT(", next header - octet %u", be32(bp + 4));
			break;
		case 2:
			ND_PRINT(", option - octet %u", be32(bp + 4));
			break;
		case 3:
			ND_PRINT(", incomplete header chain - octet %u", be32(bp + 4));
			break;
		default:
			ND_PRINT(", code-#%u", code);
			break;
		}
		break;
	case 128:
	case 129:
		if (!nd_ttest(bp + 4, 4))
			goto trunc;
		ND_PRINT(", id %u, seq %u", be16(bp + 4), be16(bp + 6));
		break;
	case 130:
		if (length == 24) {
			if (!mld6_print(bp))
				goto trunc;
		} else if (length >= 28) {
			ND_PRINT(" v2");
			if (!mldv2_query_print(bp, length))
				goto trunc;
		} else {
			ND_PRINT(" unknown-version (len %u) ", length);
		}
		break;
	case 131:
	case 132:
		if (!mld6_print(bp))
			goto trunc;
		break;
	case 135:
		if (!nd_ttest(bp + 8, 16))
			goto trunc;
		ND_PRINT(", who has %s", ip6addr_string(bp + 8));
		if (o->vflag)
			icmp6_opt_print(bp + 24, (int)length - 24);
		break;
	case 136:
		if (!nd_ttest(bp + 8, 16))
			goto trunc;
		ND_PRINT(", tgt is %s", ip6addr_string(bp + 8));
		if (o->vflag) {
			ND_PRINT(", Flags [%s]", bittok2str(icmp6_nd_na_flag_values,
							   "none", be32(bp + 4)));
			icmp6_opt_print(bp + 24, (int)length - 24);
		}
		break;
	case 137:
		if (!nd_ttest(bp + 8, 32))
			goto trunc;
		ND_PRINT(", %s", ip6addr_string(bp + 24));
		ND_PRINT(" to %s", ip6addr_string(bp + 8));
		break;
	case 133:
		if (o->vflag)
			icmp6_opt_print(bp + 8, (int)length - 8);
		break;
	case 134:
		if (o->vflag && !nd_ttest(bp, 16))
			goto trunc;
		if (o->vflag) {
			static const char *const pref[] = { "medium", "high", "rsv", "low" };
			static const struct tok ra_flags[] = {
				{ 0x80, "managed" },
				{ 0x40, "other stateful" },
				{ 0x20, "home agent" },
				{ 0x02, "ipv6 only" },
				{ 0, NULL }
			};

			ND_PRINT("\n\thop limit %u, Flags [%s], pref %s, router lifetime %us, reachable time %ums, retrans timer %ums",
				 bp[4], bittok2str(ra_flags, "none", bp[5]),
				 pref[(bp[5] & 0x18) >> 3], be16(bp + 6), be32(bp + 8),
				 be32(bp + 12));
			icmp6_opt_print(bp + 16, (int)length - 16);
		}
		break;
	case 141:
	case 142:
		break;
	case 143:
		if (!mldv2_report_print(bp, length))
			goto trunc;
		break;
	default:
		ND_PRINT(", length %u", length);
		if (o->vflag <= 1)
			hex_print("\n\t", bp, length);
		return;
	}
	if (!o->vflag)
		ND_PRINT(", length %u", length);
	return;
trunc:
	nd_trunc_jmp("icmp6");
}
