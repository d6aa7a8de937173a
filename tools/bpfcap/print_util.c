// SPDX-License-Identifier: GPL-2.0
/*
 * Printer utilities: token tables, address and port names (numbers with
 * -n, as tcpdump), Internet checksums.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "print.h"

#define TOKBUFS		4
#define TOKBUFSIZE	128

/* Rotating static buffers: several names may appear in one printf(). */
static char *tokbuf(void)
{
	static char bufs[TOKBUFS][TOKBUFSIZE];
	static unsigned int idx;

	return bufs[idx++ % TOKBUFS];
}

const char *tok2str(const struct tok *t, const char *fmt, u32 v)
{
	char *buf;

	for (; t && t->s; t++)
		if (t->v == v)
			return t->s;
	buf = tokbuf();
	snprintf(buf, TOKBUFSIZE, fmt ? fmt : "#%u", v);
	return buf;
}

static const char *bittok2str_sep(const struct tok *t, const char *none,
				  u32 v, const char *sep)
{
	char *buf = tokbuf();
	size_t n = 0;
	const char *s = "";

	buf[0] = '\0';
	for (; t->s; t++) {
		if (t->v && (v & t->v) == t->v) {
			n += snprintf(buf + n, TOKBUFSIZE - n, "%s%s", s, t->s);
			s = sep;
			if (n >= TOKBUFSIZE)
				break;
		}
	}
	if (!buf[0])
		snprintf(buf, TOKBUFSIZE, "%s", none);
	return buf;
}

const char *bittok2str_nosep(const struct tok *t, const char *none, u32 v)
{
	return bittok2str_sep(t, none, v, "");
}

const char *bittok2str(const struct tok *t, const char *none, u32 v)
{
	return bittok2str_sep(t, none, v, ", ");
}

const struct tok ethertype_values[] = {
	{ 0x0800, "IPv4" },
	{ 0x0806, "ARP" },
	{ 0x86dd, "IPv6" },
	{ 0x8100, "802.1Q" },
	{ 0x88a8, "802.1Q-QinQ" },
	{ 0x9100, "802.1Q-9100" },
	{ 0x9200, "802.1Q-9200" },
	{ 0x8035, "Reverse ARP" },
	{ 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" },
	{ 0x8863, "PPPoE D" },
	{ 0x8864, "PPPoE S" },
	{ 0x88cc, "LLDP" },
	{ 0x888e, "EAPOL" },
	{ 0x88e5, "802.1AE MACsec" },
	{ 0x88f7, "PTP" },
	{ 0x8809, "Slow Protocols" },
	{ 0x9000, "Loopback" },
	{ 0x6558, "Transparent Ethernet Bridging" },
	{ 0x22f0, "AVB" },
	{ 0x8902, "CFM" },
	{ 0x809b, "Appletalk" },
	{ 0x80f3, "Appletalk ARP" },
	{ 0x8137, "IPX" },
	{ 0x0200, "PUP" },
	{ 0x6003, "DN" },
	{ 0x8038, "DEC LANBridge" },
	{ 0x8892, "PROFINET" },
	{ 0x88a4, "EtherCAT" },
	{ 0, NULL }
};

const struct tok ipproto_values[] = {
	{ 0, "Options" },
	{ 1, "ICMP" },
	{ 2, "IGMP" },
	{ 4, "IPIP" },
	{ 6, "TCP" },
	{ 8, "EGP" },
	{ 9, "IGRP" },
	{ 17, "UDP" },
	{ 33, "DCCP" },
	{ 41, "IPv6" },
	{ 43, "Routing" },
	{ 44, "Fragment" },
	{ 46, "RSVP" },
	{ 47, "GRE" },
	{ 50, "ESP" },
	{ 51, "AH" },
	{ 55, "Mobile IP" },
	{ 58, "ICMPv6" },
	{ 59, "NONE" },
	{ 62, "Mobile IP (old)" },
	{ 88, "EIGRP" },
	{ 89, "OSPF" },
	{ 103, "PIM" },
	{ 108, "Compressed IP" },
	{ 112, "VRRP" },
	{ 113, "PGM" },
	{ 132, "SCTP" },
	{ 135, "Mobility" },
	{ 143, "Ethernet" },
	{ 0, NULL }
};

/* A small cache: live captures print the same few hosts again and again. */
struct name_cache {
	u8	addr[16];
	u32	len;
	char	*name;
};

#define NAME_CACHE_SIZE	256
static struct name_cache ip_names[NAME_CACHE_SIZE];

static const char *cached_name(const u8 *a, u32 len, int family)
{
	u32 h = 0, i;
	struct name_cache *e;
	char host[NI_MAXHOST];
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	for (i = 0; i < len; i++)
		h = h * 31 + a[i];
	e = &ip_names[h % NAME_CACHE_SIZE];
	if (e->name && e->len == len && !memcmp(e->addr, a, len))
		return e->name;
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		memcpy(&s->sin_addr, a, 4);
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, a, 16);
		sl = sizeof(*s);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), NULL, 0, 0))
		inet_ntop(family, a, host, sizeof(host));
	free(e->name);
	e->name = strdup(host);
	e->len = len;
	memcpy(e->addr, a, len);
	return e->name ? e->name : "?";
}

const char *ipaddr_string(const u8 *a)
{
	char *buf;

	if (!nd.o->nflag)
		return cached_name(a, 4, AF_INET);
	buf = tokbuf();
	inet_ntop(AF_INET, a, buf, TOKBUFSIZE);
	return buf;
}

const char *ip6addr_string(const u8 *a)
{
	char *buf;

	if (!nd.o->nflag)
		return cached_name(a, 16, AF_INET6);
	buf = tokbuf();
	inet_ntop(AF_INET6, a, buf, TOKBUFSIZE);
	return buf;
}

const char *etheraddr_string(const u8 *ea)
{
	char *buf = tokbuf();
	int n;

	n = snprintf(buf, TOKBUFSIZE, "%02x:%02x:%02x:%02x:%02x:%02x",
		     ea[0], ea[1], ea[2], ea[3], ea[4], ea[5]);
	if (!nd.o->nflag)
		snprintf(buf + n, TOKBUFSIZE - n, " (oui Unknown)");
	return buf;
}

const char *linkaddr_string(const u8 *a, u32 len)
{
	char *buf = tokbuf();
	size_t n = 0;
	u32 i;

	if (len == 6)
		return etheraddr_string(a);
	buf[0] = '\0';
	for (i = 0; i < len && n + 4 < TOKBUFSIZE; i++)
		n += snprintf(buf + n, TOKBUFSIZE - n, i ? ":%02x" : "%02x", a[i]);
	return buf;
}

static const char *port_string(u16 port, const char *proto)
{
	char *buf = tokbuf();
	struct servent *se;

	if (!nd.o->nflag) {
		se = getservbyport(htons(port), proto);
		if (se) {
			snprintf(buf, TOKBUFSIZE, "%s", se->s_name);
			return buf;
		}
	}
	snprintf(buf, TOKBUFSIZE, "%u", port);
	return buf;
}

const char *tcpport_string(u16 port)
{
	return port_string(port, "tcp");
}

const char *udpport_string(u16 port)
{
	return port_string(port, "udp");
}

uint32_t cksum_add(const u8 *p, u32 len)
{
	uint32_t sum = 0;

	while (len > 1) {
		sum += be16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (u32)p[0] << 8;
	return sum;
}

uint16_t in_cksum(const u8 *p, u32 len, uint32_t sum)
{
	sum += cksum_add(p, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The checksum field value that would have made the sum come out right. */
uint16_t in_cksum_shouldbe(uint16_t sum, uint16_t computed_sum)
{
	uint32_t shouldbe;

	shouldbe = sum;
	shouldbe += computed_sum;
	shouldbe = (shouldbe & 0xFFFF) + (shouldbe >> 16);
	shouldbe = (shouldbe & 0xFFFF) + (shouldbe >> 16);
	return (uint16_t)shouldbe;
}

/*
 * The destination an IPv6 pseudo-header uses: the last address of a type
 * 0 or 2 routing header, else the header's own (tcpdump's ip6_finddst).
 */
static const u8 *ip6_finddst(const u8 *ip6)
{
	const u8 *cp = ip6 + 40, *dst = ip6 + 24;
	u8 nh = ip6[6];

	for (;;) {
		u32 len;

		if (nh != 0 && nh != 60 && nh != 43)
			return dst;
		if (!nd_ttest(cp, 8))
			return dst;
		len = (cp[1] + 1) << 3;
		if (nh == 43 && (cp[2] == 0 || cp[2] == 2) && cp[1] >= 2) {
			const u8 *last = cp + 8 + 16 * (cp[1] / 2 - 1);

			if (nd_ttest(last, 16))
				dst = last;
			return dst;
		}
		nh = cp[0];
		cp += len;
	}
}

uint32_t nextproto_cksum_sum(const u8 *iph, u8 proto, u32 len)
{
	uint32_t sum;

	if ((iph[0] >> 4) == 4)
		sum = cksum_add(iph + 12, 8);
	else
		sum = cksum_add(iph + 8, 16) + cksum_add(ip6_finddst(iph), 16);
	return sum + proto + (len >> 16) + (len & 0xffff);
}
