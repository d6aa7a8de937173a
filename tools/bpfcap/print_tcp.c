// SPDX-License-Identifier: GPL-2.0
/*
 * TCP: flags, sequence numbers relative to the first ones seen in each
 * conversation (as tcpdump without -S), window, options, length.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "print.h"

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20
#define TH_ECE	0x40
#define TH_CWR	0x80

static const struct tok tcp_flag_values[] = {
	{ TH_FIN, "F" },
	{ TH_SYN, "S" },
	{ TH_RST, "R" },
	{ TH_PUSH, "P" },
	{ TH_ACK, "." },
	{ TH_URG, "U" },
	{ TH_ECE, "E" },
	{ TH_CWR, "W" },
	{ 0, NULL }
};

static const struct tok tcp_option_values[] = {
	{ 0, "eol" },
	{ 1, "nop" },
	{ 2, "mss" },
	{ 3, "wscale" },
	{ 4, "sackOK" },
	{ 5, "sack" },
	{ 6, "echo" },
	{ 7, "echoreply" },
	{ 8, "TS" },
	{ 11, "cc" },
	{ 12, "ccnew" },
	{ 13, "" },
	{ 19, "md5" },
	{ 20, "scps" },
	{ 28, "uto" },
	{ 29, "tcp-ao" },
	{ 30, "mptcp" },
	{ 34, "tfo" },
	{ 254, "exp" },
	{ 0, NULL }
};

/* One conversation, both directions under one key (lower port first). */
struct tcp_seq_hash {
	struct tcp_seq_hash	*nxt;
	u8			src[16], dst[16];
	u32			port;
	u32			seq, ack;
};

#define TSEQ_HASHSIZE	919
static struct tcp_seq_hash tcp_seq_hash4[TSEQ_HASHSIZE];
static struct tcp_seq_hash tcp_seq_hash6[TSEQ_HASHSIZE];

static void tcp_addr_print(const u8 *iph, u8 nh_is_tcp, u16 sport, u16 dport)
{
	bool v6 = (iph[0] >> 4) == 6;

	if (nh_is_tcp) {
		ND_PRINT("%s.", v6 ? ip6addr_string(iph + 8) : ipaddr_string(iph + 12));
		ND_PRINT("%s > ", tcpport_string(sport));
		ND_PRINT("%s.", v6 ? ip6addr_string(iph + 24) : ipaddr_string(iph + 16));
		ND_PRINT("%s: ", tcpport_string(dport));
	} else {
		ND_PRINT("%s > ", tcpport_string(sport));
		ND_PRINT("%s: ", tcpport_string(dport));
	}
}

/* Find or record a conversation; returns whether the addresses were swapped. */
static struct tcp_seq_hash *tcp_conv(const u8 *iph, u16 sport, u16 dport,
				     bool syn, u32 seq, u32 ack, bool *rev,
				     bool *isnew)
{
	bool v6 = (iph[0] >> 4) == 6;
	u32 alen = v6 ? 16 : 4;
	const u8 *src = iph + (v6 ? 8 : 12), *dst = iph + (v6 ? 24 : 16);
	struct tcp_seq_hash key, *th;
	int c;

	memset(&key, 0, sizeof(key));
	c = memcmp(src, dst, alen);
	if (sport > dport || (sport == dport && c > 0)) {
		memcpy(key.src, dst, alen);
		memcpy(key.dst, src, alen);
		key.port = (u32)dport << 16 | sport;
		*rev = true;
	} else {
		memcpy(key.src, src, alen);
		memcpy(key.dst, dst, alen);
		key.port = (u32)sport << 16 | dport;
		*rev = false;
	}
	th = &(v6 ? tcp_seq_hash6 : tcp_seq_hash4)[key.port % TSEQ_HASHSIZE];
	for (; th->nxt; th = th->nxt)
		if (th->port == key.port && !memcmp(th->src, key.src, 16) &&
		    !memcmp(th->dst, key.dst, 16))
			break;
	*isnew = false;
	if (!th->nxt || syn) {
		if (!th->nxt) {
			th->nxt = calloc(1, sizeof(*th));
			if (!th->nxt) {
				bpfcap_err("out of memory");
				exit(1);
			}
		}
		memcpy(th->src, key.src, 16);
		memcpy(th->dst, key.dst, 16);
		th->port = key.port;
		if (*rev) {
			th->ack = seq;
			th->seq = ack - 1;
		} else {
			th->seq = seq;
			th->ack = ack - 1;
		}
		*isnew = true;
	}
	return th;
}

static bool tcp_options_print(const u8 *cp, u32 hlen, bool rev, u32 thseq, u32 thack)
{
	char ch = '\0';

	ND_PRINT(", options [");
	while (hlen > 0) {
		u32 opt, len, datalen, i;

		if (ch != '\0')
			ND_PRINT("%c", ch);
		/* tcpdump: a cut in the kind or length byte ends the packet. */
		if (!nd_ttest(cp, 1))
			goto cut;
		opt = *cp++;
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			if (!nd_ttest(cp, 1))
				goto cut;
			len = *cp++;
			if (len < 2 || len > hlen)
				goto bad;
			--hlen;
		}
		--hlen;
		datalen = 0;
#define LENCHECK(l) do { if ((l) > hlen) goto bad; if (!nd_ttest(cp, l)) goto trunc; } while (0)
		ND_PRINT("%s", tok2str(tcp_option_values, "unknown-%u", opt));
		switch (opt) {
		case 0:
		case 1:
		case 4:
			break;
		case 2:
			datalen = 2;
			LENCHECK(datalen);
			ND_PRINT(" %u", be16(cp));
			break;
		case 3:
			datalen = 1;
			LENCHECK(datalen);
			ND_PRINT(" %u", cp[0]);
			break;
		case 5:
			datalen = len - 2;
			if (datalen % 8 != 0) {
				ND_PRINT(" invalid sack");
			} else {
				ND_PRINT(" %u ", datalen / 8);
				for (i = 0; i < datalen; i += 8) {
					u32 s, e;

					LENCHECK(i + 8);
					s = be32(cp + i);
					e = be32(cp + i + 4);
					if (rev) {
						s -= thseq;
						e -= thseq;
					} else {
						s -= thack;
						e -= thack;
					}
					ND_PRINT("{%u:%u}", s, e);
				}
			}
			break;
		case 6:
		case 7:
		case 11:
		case 12:
		case 13:
			datalen = 4;
			LENCHECK(datalen);
			ND_PRINT(" %u", be32(cp));
			break;
		case 8:
			datalen = 8;
			LENCHECK(datalen);
			ND_PRINT(" val %u ecr %u", be32(cp), be32(cp + 4));
			break;
		case 28:
			datalen = len - 2;
			LENCHECK(datalen);
			if (datalen != 2) {
				ND_PRINT(" invalid");
			} else {
				u16 utoval = be16(cp);

				ND_PRINT(" 0x%x", utoval);
				if (utoval & 0x0001)
					utoval = (utoval >> 1) * 60;
				else
					utoval >>= 1;
				ND_PRINT(" %u", utoval);
			}
			break;
		default:
			datalen = len - 2;
			if (datalen)
				ND_PRINT(" 0x");
			for (i = 0; i < datalen; ++i) {
				LENCHECK(i + 1);
				ND_PRINT("%02x", cp[i]);
			}
			break;
		}
#undef LENCHECK
		cp += datalen;
		hlen -= datalen;
		++datalen;
		if (opt != 0 && opt != 1)
			++datalen;
		if (datalen != len)
			ND_PRINT("[len %u]", len);
		ch = ',';
		if (opt == 0)
			break;
	}
	ND_PRINT("]");
	return true;
bad:
	ND_PRINT("[bad opt]");
	if (ch != '\0')
		ND_PRINT("]");
	return true;
trunc:
	nd_trunc("tcp");
	if (ch != '\0')
		ND_PRINT(">");
	return false;
cut:
	nd_trunc_jmp("tcp");
	return false;
}

static bool is_print(u8 c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* tcpdump's fetch_token(): one token, then the blanks after it. */
static u32 fetch_token(const u8 *p, u32 idx, u32 len, char *tok, size_t size)
{
	size_t n = 0;

	for (; idx < len; idx++) {
		u8 c;

		if (!nd_ttest(p + idx, 1))
			return 0;
		c = p[idx];
		if (c & 0x80)
			return 0;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (!is_print(c) || n + 2 > size)
			return 0;
		tok[n++] = (char)c;
	}
	if (!n)
		return 0;
	tok[n] = '\0';
	for (; idx < len && nd_ttest(p + idx, 1); idx++) {
		u8 c = p[idx];

		if (c == '\r' || c == '\n' || !is_print(c) || (c != ' ' && c != '\t'))
			break;
	}
	return idx;
}

/* One text line after prefix; returns where the next begins, 0 at the end. */
static u32 print_txt_line(const char *prefix, const u8 *p, u32 idx, u32 len)
{
	u32 start = idx, linelen;

	while (idx < len) {
		u8 c;

		if (!nd_ttest(p + idx, 1)) {
			nd_trunc_jmp("http");
			return 0;
		}
		c = p[idx];
		if (c == '\n') {
			linelen = idx - start;
			idx++;
			goto print;
		} else if (c == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (!nd_ttest(p + idx + 1, 1)) {
				nd_trunc_jmp("http");
				return 0;
			}
			if (p[idx + 1] == '\n') {
				linelen = idx - start;
				idx += 2;
				goto print;
			}
			return 0;
		} else if (!is_print(c) && c != '\t') {
			return 0;
		}
		idx++;
	}
	ND_PRINT("%s%.*s", prefix, (int)(idx - start), p + start);
	nd_trunc("http");	/* no line end: tcpdump's explicit mark */
	return 0;
print:
	ND_PRINT("%s%.*s", prefix, (int)linelen, p + start);
	return idx;
}

/* HTTP as tcpdump's txtproto_print(): the request or status line (-v: all). */
static void http_print(const u8 *p, u32 len)
{
	static const char *const cmds[] = {
		"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE",
		"CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE",
		"LOCK", "UNLOCK", "ORDERPATCH", NULL
	};
	char tok[300];
	bool print_this = false;
	u32 idx, i;

	idx = fetch_token(p, 0, len, tok, sizeof(tok));
	if (idx) {
		for (i = 0; cmds[i]; i++)
			if (!strcasecmp(tok, cmds[i]))
				print_this = true;
		idx = fetch_token(p, idx, len, tok, sizeof(tok));
		if (idx && isdigit((u8)tok[0]) && isdigit((u8)tok[1]) &&
		    isdigit((u8)tok[2]) && !tok[3])
			print_this = true;
	}
	ND_PRINT("HTTP");
	if (!print_this)
		return;
	if (nd.o->vflag) {
		ND_PRINT(", length: %u", len);
		for (idx = 0; idx < len && (i = print_txt_line("\n\t", p, idx, len)) != 0; idx = i)
			;
	} else {
		print_txt_line(": ", p, 0, len);
	}
}

/* -v: the text a reset carries (RFC 1122 4.2.2.12), as tcpdump shows it. */
static void print_tcp_rst_data(const u8 *sp, u32 length)
{
	ND_PRINT(nd_ttest(sp, length) ? " [RST" : " [!RST");
	if (length > 30) {
		length = 30;
		ND_PRINT("+");
	}
	ND_PRINT(" ");
	for (; length && sp < nd.snapend; sp++, length--) {
		u8 c = *sp;

		if (c & 0x80) {
			c &= 0x7f;
			ND_PRINT("M-");
		}
		if (!is_print(c)) {
			c ^= 0x40;
			ND_PRINT("^");
		}
		ND_PRINT("%c", c);
	}
	ND_PRINT("]");
}

void tcp_print(const u8 *bp, u32 length, const u8 *iph, bool fragmented)
{
	const struct bpfcap_opts *o = nd.o;
	bool v6 = (iph[0] >> 4) == 6;
	u8 nh = v6 ? iph[6] : iph[9];
	u16 sport, dport, win, urp;
	u32 hlen, seq, ack, thseq = 0, thack = 0;
	bool rev = false;
	u8 flags;

	if (!nd_ttest(bp, 4)) {
		bool v6 = (iph[0] >> 4) == 6;

		ND_PRINT("%s > ", v6 ? ip6addr_string(iph + 8) : ipaddr_string(iph + 12));
		ND_PRINT("%s:", v6 ? ip6addr_string(iph + 24) : ipaddr_string(iph + 16));
		nd_trunc("tcp");
		return;
	}
	sport = be16(bp);
	dport = be16(bp + 2);
	tcp_addr_print(iph, nh == 6, sport, dport);
	/* The whole fixed header before anything else (tcpdump's order). */
	if (!nd_ttest(bp, 20)) {
		nd_trunc("tcp");
		return;
	}
	hlen = (bp[12] >> 4) * 4;
	if (hlen < 20) {
		ND_PRINT(" tcp %u [bad hdr length %u - too short, < 20]", length - hlen, hlen);
		return;
	}
	if (o->qflag) {
		ND_PRINT("tcp %u", length - hlen);
		if (hlen > length)
			ND_PRINT(" [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	seq = be32(bp + 4);
	ack = be32(bp + 8);
	flags = bp[13];
	win = be16(bp + 14);
	urp = be16(bp + 18);
	ND_PRINT("Flags [%s]", bittok2str_nosep(tcp_flag_values, "none", flags));
	if (hlen > length) {
		ND_PRINT(" [bad hdr length %u - too long, > %u]", hlen, length);
		return;
	}
	if (!o->Sflag && flags & TH_ACK) {
		bool isnew;
		struct tcp_seq_hash *th;

		th = tcp_conv(iph, sport, dport, flags & TH_SYN, seq, ack, &rev, &isnew);
		if (!isnew) {
			if (rev) {
				seq -= th->ack;
				ack -= th->seq;
			} else {
				seq -= th->seq;
				ack -= th->ack;
			}
		}
		thseq = th->seq;
		thack = th->ack;
	} else {
		thseq = 0;
		thack = 0;
	}

	if (o->vflag && !fragmented && nd_ttest(bp, length)) {
		u16 sum = in_cksum(bp, length, nextproto_cksum_sum(iph, 6, length));
		u16 tcp_sum = be16(bp + 16);

		ND_PRINT(", cksum 0x%04x", tcp_sum);
		if (sum)
			ND_PRINT(" (incorrect -> 0x%04x)", in_cksum_shouldbe(tcp_sum, sum));
		else
			ND_PRINT(" (correct)");
	}

	length -= hlen;
	if (o->vflag > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
		ND_PRINT(", seq %u", seq);
		if (length > 0)
			ND_PRINT(":%u", seq + length);
	}
	if (flags & TH_ACK)
		ND_PRINT(", ack %u", ack);
	ND_PRINT(", win %u", win);
	if (flags & TH_URG)
		ND_PRINT(", urg %u", urp);
	if (hlen > 20) {
		if (!tcp_options_print(bp + 20, hlen - 20, rev, thseq, thack))
			return;
	}
	ND_PRINT(", length %u", length);
	if (!length)
		return;
	bp += hlen;
	if (flags & TH_RST && o->vflag) {
		print_tcp_rst_data(bp, length);
		return;
	}
	if (sport == 80 || dport == 80 || sport == 8080 || dport == 8080) {
		ND_PRINT(": ");
		http_print(bp, length);
	}
}
