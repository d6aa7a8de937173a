/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The packet printer's internals, shared by the print_*.c files.
 *
 * Each protocol printer takes the bytes of its header (p), the length its
 * enclosing layer says it has (length) and prints what tcpdump 4.99
 * prints for it.  Bytes end at nd.snapend (the captured part): a printer
 * that needs more prints tcpdump's " [|proto]" and stops.
 */
#ifndef BPFCAP_PRINT_H
#define BPFCAP_PRINT_H

#include <stdint.h>
#include <stdio.h>

#include "bpfcap.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

struct nd {
	const struct bpfcap_opts *o;
	FILE		*out;
	const u8	*snapend;
	bool		nano;
	bool		cut;		/* a printer ran out of bytes */
};

extern struct nd nd;

#define ND_PRINT(...)	fprintf(nd.out, __VA_ARGS__)

static inline bool nd_ttest(const void *p, u32 len)
{
	const u8 *b = p;

	return b <= nd.snapend && len <= (u32)(nd.snapend - b);
}

static inline u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* " [|proto]": tcpdump's mark of a header cut short by the snap length. */
void nd_trunc(const char *proto);
void nd_trunc_jmp(const char *proto);

struct tok {
	u32		v;
	const char	*s;
};

/* The name of v in t, or fmt (with v) when it is not there. */
const char *tok2str(const struct tok *t, const char *fmt, u32 v);
const char *bittok2str_nosep(const struct tok *t, const char *none, u32 v);
const char *bittok2str(const struct tok *t, const char *none, u32 v);

/* Addresses and ports, resolved to names unless -n. */
const char *etheraddr_string(const u8 *ea);
const char *ipaddr_string(const u8 *a);
const char *ip6addr_string(const u8 *a);
const char *tcpport_string(u16 port);
const char *udpport_string(u16 port);
const char *linkaddr_string(const u8 *a, u32 len);

extern const struct tok ethertype_values[];
extern const struct tok ipproto_values[];

/* Hex dumps of -x/-X and of payloads tcpdump does not decode. */
void hex_print(const char *ident, const u8 *cp, u32 length);
void hex_and_ascii_print(const char *ident, const u8 *cp, u32 length);
void nd_default_print(const u8 *cp, u32 length);

uint16_t in_cksum(const u8 *p, u32 len, uint32_t sum);
uint16_t in_cksum_shouldbe(uint16_t sum, uint16_t computed_sum);
uint32_t cksum_add(const u8 *p, u32 len);

/* Link layers: return the link header length (tcpdump's hdrlen). */
u32 ether_print(const u8 *p, u32 length, u32 caplen);
u32 sll_print(const u8 *p, u32 length, u32 caplen);
u32 sll2_print(const u8 *p, u32 length, u32 caplen);
/* Returns 0 when the ether type is not one we decode. */
int ethertype_print(u16 type, const u8 *p, u32 length);
void arp_print(const u8 *p, u32 length);

void ip_print(const u8 *p, u32 length);
void ip6_print(const u8 *p, u32 length);
/* Upper layers; iph is the enclosing IPv4 or IPv6 header. */
void ip_demux_print(const u8 *p, u32 length, int ver, bool fragmented,
		    u8 nh, const u8 *iph);
void tcp_print(const u8 *p, u32 length, const u8 *iph, bool fragmented);
void udp_print(const u8 *p, u32 length, const u8 *iph, bool fragmented);
void icmp_print(const u8 *p, u32 length, const u8 *iph, bool fragmented);
void icmp6_print(const u8 *p, u32 length, const u8 *iph, bool fragmented);

/* Pseudo-header checksum sums over an IPv4 or IPv6 header. */
uint32_t nextproto_cksum_sum(const u8 *iph, u8 proto, u32 len);

#endif /* BPFCAP_PRINT_H */
