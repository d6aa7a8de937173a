// SPDX-License-Identifier: GPL-2.0
/*
 * The savefile writer: libpcap's dumper on a pcap_open_dead() handle of
 * the capture's link type, snap length and time stamp precision, with
 * tcpdump's -C (size), -G (time) and -W (file count) rotation and file
 * names.
 */
#include <limits.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcap.h"

static struct {
	const struct bpfcap_opts *o;
	pcap_t		*pd;
	pcap_dumper_t	*pdd;
	char		name[PATH_MAX + 1];
	long		c_count;	/* -C: files begun since the last -G */
	long		g_count;	/* -G: rotations so far */
	time_t		g_time;		/* -G: when the current file began */
	int		wchars;		/* digits of -W's largest suffix */
} dump;

/* tcpdump's MakeFilename(): strftime() with -G, a counter with -C/-W. */
static int make_filename(long cnt, int max_chars)
{
	const char *orig = dump.o->wfile;
	char base[PATH_MAX + 1];
	int n;

	if (dump.o->rotate_secs) {
		struct tm tm;

		if (!localtime_r(&dump.g_time, &tm)) {
			bpfcap_err("localtime failed");
			return -1;
		}
		strftime(base, sizeof(base), orig, &tm);
	} else {
		snprintf(base, sizeof(base), "%s", orig);
	}
	if (cnt == 0 && max_chars == 0)
		n = snprintf(dump.name, sizeof(dump.name), "%s", base);
	else
		n = snprintf(dump.name, sizeof(dump.name), "%s%0*ld", base, max_chars, cnt);
	if (n > PATH_MAX) {
		bpfcap_err("too many output files or filename is too long (> %d)", PATH_MAX);
		return -1;
	}
	return 0;
}

static int open_current(void)
{
	dump.pdd = pcap_dump_open(dump.pd, dump.name);
	if (!dump.pdd) {
		bpfcap_err("%s", pcap_geterr(dump.pd));
		return -1;
	}
	return 0;
}

static int digits_of_files(long w)
{
	int c = 0;

	for (w -= 1; w > 0; w /= 10)
		c++;
	return c;
}

int bpfcap_dump_open(const struct bpfcap_opts *o, int linktype, int snaplen)
{
	dump.o = o;
	dump.pd = pcap_open_dead_with_tstamp_precision(linktype, snaplen,
		o->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (!dump.pd) {
		bpfcap_err("pcap_open_dead failed");
		return -1;
	}
	if (o->rotate_files)
		dump.wchars = digits_of_files(o->rotate_files);
	dump.g_time = time(NULL);
	if (o->rotate_bytes || o->rotate_secs) {
		if (make_filename(0, dump.wchars))
			return -1;
	} else {
		snprintf(dump.name, sizeof(dump.name), "%s", o->wfile);
	}
	return open_current();
}

/* -G: a new file every rotate_secs seconds of wall-clock time. */
static int rotate_time(void)
{
	time_t t = time(NULL);

	if (t - dump.g_time < dump.o->rotate_secs)
		return 0;
	dump.g_count++;
	if (dump.o->rotate_files && dump.g_count >= dump.o->rotate_files) {
		/* The -W limit of -G: stop, as tcpdump does, with status 0. */
		return 1;
	}
	dump.g_time = t;
	pcap_dump_close(dump.pdd);
	dump.pdd = NULL;
	if (dump.o->rotate_bytes)
		dump.c_count = 0;
	if (make_filename(0, 0))
		return -1;
	return open_current() ? -1 : 0;
}

/* -C: a new file once the current one holds more than rotate_bytes. */
static int rotate_size(void)
{
	long long limit = dump.o->rotate_bytes;

	if (pcap_dump_ftell64(dump.pdd) <= limit)
		return 0;
	pcap_dump_close(dump.pdd);
	dump.pdd = NULL;
	dump.c_count++;
	if (dump.o->rotate_files && dump.c_count >= dump.o->rotate_files)
		dump.c_count = 0;
	if (make_filename(dump.c_count, dump.wchars))
		return -1;
	return open_current();
}

int bpfcap_dump(const struct bpfcap_pkt *pkt)
{
	struct pcap_pkthdr h;
	int err;

	if (dump.o->rotate_secs) {
		err = rotate_time();
		if (err)
			return err < 0 ? -1 : 1;
	}
	if (dump.o->rotate_bytes && rotate_size())
		return -1;
	h.ts.tv_sec = pkt->ts.tv_sec;
	/* A nanosecond dumper takes nanoseconds in tv_usec. */
	h.ts.tv_usec = dump.o->nano ? pkt->ts.tv_nsec : pkt->ts.tv_nsec / 1000;
	h.caplen = pkt->caplen;
	h.len = pkt->len;
	pcap_dump((u_char *)dump.pdd, &h, pkt->data);
	if (dump.o->packet_buffered)
		pcap_dump_flush(dump.pdd);
	return 0;
}

void bpfcap_dump_close(void)
{
	if (dump.pdd)
		pcap_dump_close(dump.pdd);
	dump.pdd = NULL;
	if (dump.pd)
		pcap_close(dump.pd);
	dump.pd = NULL;
}
