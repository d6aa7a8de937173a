// SPDX-License-Identifier: GPL-2.0
/*
 * One summary per packet, as tcpdump 4.99 prints it: time stamp (-t...),
 * link layer dispatch, then -x/-X hex dumps.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print.h"

struct nd nd;

static int print_linktype;
static struct timespec ts_ref;	/* -ttt: previous packet, -ttttt: first */
static bool ts_ref_set;

void bpfcap_print_init(const struct bpfcap_opts *o, int linktype, bool nano)
{
	nd.o = o;
	nd.out = stdout;
	nd.nano = nano;
	print_linktype = linktype;
}

static void ts_frac_print(long nsec)
{
	if (nd.nano)
		ND_PRINT(".%09ld", nsec);
	else
		ND_PRINT(".%06ld", nsec / 1000);
}

static void ts_hms_print(time_t sec, long nsec, bool date, bool utc)
{
	struct tm tm;
	char buf[64];

	if (utc ? !gmtime_r(&sec, &tm) : !localtime_r(&sec, &tm)) {
		ND_PRINT("[Time stamp out of range]");
		return;
	}
	strftime(buf, sizeof(buf), date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
	ND_PRINT("%s", buf);
	ts_frac_print(nsec);
}

/* -ttt and -ttttt: the (signed) distance from the reference stamp. */
static void ts_delta_print(const struct timespec *ts)
{
	struct timespec a = *ts, b = ts_ref, d;
	bool negative = false;

	if (a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec)) {
		struct timespec t = a;

		a = b;
		b = t;
		negative = true;
	}
	d.tv_sec = a.tv_sec - b.tv_sec;
	d.tv_nsec = a.tv_nsec - b.tv_nsec;
	if (d.tv_nsec < 0) {
		d.tv_sec--;
		d.tv_nsec += 1000000000L;
	}
	if (!nd.nano)	/* tcpdump subtracts microsecond stamps */
		d.tv_nsec = (a.tv_nsec / 1000 - b.tv_nsec / 1000 + 1000000) % 1000000 * 1000;
	ND_PRINT("%s", negative ? "-" : " ");
	ts_hms_print(d.tv_sec, d.tv_nsec, false, true);
}

static void ts_print(const struct timespec *ts)
{
	switch (nd.o->tflag) {
	case 0:
		ts_hms_print(ts->tv_sec, ts->tv_nsec, false, false);
		ND_PRINT(" ");
		break;
	case 1:
		break;
	case 2:
		ND_PRINT("%lu", (unsigned long)ts->tv_sec);
		ts_frac_print(ts->tv_nsec);
		ND_PRINT(" ");
		break;
	case 3:
	case 5:
		if (!ts_ref_set) {
			ts_ref = *ts;
			ts_ref_set = true;
		}
		ts_delta_print(ts);
		ND_PRINT(" ");
		if (nd.o->tflag == 3)
			ts_ref = *ts;
		break;
	default:
		ts_hms_print(ts->tv_sec, ts->tv_nsec, true, false);
		ND_PRINT(" ");
		break;
	}
}

/* Payload of a link type we do not decode: tcpdump's default print. */
static u32 raw_print(const u8 *p, u32 length, u32 caplen)
{
	ip_demux_print(p, length, 0, false, 0, NULL);
	return 0;
}

/* -A: printable bytes as they are, CR-LF as LF (tcpdump's ascii_print). */
static void ascii_print(const u8 *cp, u32 length)
{
	ND_PRINT("\n");
	while (length > 0) {
		u8 s = *cp++;

		length--;
		if (s == '\r') {
			if (length > 1 && *cp != '\n')
				ND_PRINT(".");
		} else if ((s > 0x20 && s < 0x7f) || s == '\t' || s == ' ' || s == '\n') {
			ND_PRINT("%c", s);
		} else {
			ND_PRINT(".");
		}
	}
}

void bpfcap_print(const struct bpfcap_pkt *pkt)
{
	const struct bpfcap_opts *o = nd.o;
	u32 hdrlen = 0;

	nd.snapend = pkt->data + pkt->caplen;
	nd.cut = false;
	ts_print(&pkt->ts);
	switch (print_linktype) {
	case DLT_EN10MB:
		hdrlen = ether_print(pkt->data, pkt->len, pkt->caplen);
		break;
	case DLT_LINUX_SLL:
		hdrlen = sll_print(pkt->data, pkt->len, pkt->caplen);
		break;
	case DLT_LINUX_SLL2:
		hdrlen = sll2_print(pkt->data, pkt->len, pkt->caplen);
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case 101:	/* LINKTYPE_RAW */
		hdrlen = raw_print(pkt->data, pkt->len, pkt->caplen);
		break;
	default:
		ND_PRINT("unsupported link type %d, length %u", print_linktype, pkt->len);
		break;
	}
	/* Printers may have narrowed snapend to a protocol's end. */
	nd.snapend = pkt->data + pkt->caplen;
	/* Cut short: tcpdump dumps the whole packet, link header included. */
	if (nd.cut)
		hdrlen = 0;
	if (o->Xflag) {
		if (o->Xflag > 1)
			hex_and_ascii_print("\n\t", pkt->data, pkt->caplen);
		else if (pkt->caplen > hdrlen)
			hex_and_ascii_print("\n\t", pkt->data + hdrlen, pkt->caplen - hdrlen);
	} else if (o->xflag) {
		if (o->xflag > 1)
			hex_print("\n\t", pkt->data, pkt->caplen);
		else if (pkt->caplen > hdrlen)
			hex_print("\n\t", pkt->data + hdrlen, pkt->caplen - hdrlen);
	} else if (o->Aflag) {
		ascii_print(pkt->data + hdrlen, pkt->caplen > hdrlen ? pkt->caplen - hdrlen : 0);
	}
	ND_PRINT("\n");
	if (o->packet_buffered)
		fflush(nd.out);
}

void nd_trunc(const char *proto)
{
	ND_PRINT(" [|%s]", proto);
}

/*
 * A cut where tcpdump's printer reads through its GET_ macros: it
 * abandons the packet, and -x/-X then dump it whole.
 */
void nd_trunc_jmp(const char *proto)
{
	nd_trunc(proto);
	nd.cut = true;
}

void hex_print(const char *ident, const u8 *cp, u32 length)
{
	u32 i = 0, oset = 0;

	if (!nd_ttest(cp, length))
		length = cp <= nd.snapend ? (u32)(nd.snapend - cp) : 0;
	while (length > 1) {
		if (i % 8 == 0) {
			ND_PRINT("%s0x%04x: ", ident, oset);
			oset += 16;
		}
		ND_PRINT(" %02x%02x", cp[0], cp[1]);
		cp += 2;
		length -= 2;
		i++;
	}
	if (length == 1) {
		if (i % 8 == 0)
			ND_PRINT("%s0x%04x: ", ident, oset);
		ND_PRINT(" %02x", cp[0]);
	}
}

static char ascii_or_dot(u8 c)
{
	return c > 0x20 && c < 0x7f ? (char)c : '.';
}

void hex_and_ascii_print(const char *ident, const u8 *cp, u32 length)
{
	char hex[8 * 5 + 1], asc[16 + 1];
	u32 oset = 0, n, i;

	if (!nd_ttest(cp, length))
		length = cp <= nd.snapend ? (u32)(nd.snapend - cp) : 0;
	while (length > 0) {
		char *h = hex, *a = asc;

		n = length < 16 ? length : 16;
		for (i = 0; i + 1 < n; i += 2) {
			h += sprintf(h, " %02x%02x", cp[i], cp[i + 1]);
			*a++ = ascii_or_dot(cp[i]);
			*a++ = ascii_or_dot(cp[i + 1]);
		}
		if (i < n) {
			h += sprintf(h, " %02x", cp[i]);
			*a++ = ascii_or_dot(cp[i]);
		}
		*h = *a = '\0';
		ND_PRINT("%s0x%04x: %-40s  %s", ident, oset, hex, asc);
		oset += 16;
		cp += n;
		length -= n;
	}
}

/* Payload nobody decodes: hex, unless -x/-X dump it anyway, or -q. */
void nd_default_print(const u8 *cp, u32 length)
{
	const struct bpfcap_opts *o = nd.o;

	if (o->xflag || o->Xflag || o->qflag)
		return;
	hex_and_ascii_print("\n\t", cp, length);
}
