// SPDX-License-Identifier: GPL-2.0
/*
 * bpfcap: tcpdump's options with tcpdump's letters and meaning, on
 * /dev/bpf.  This file parses them and hands over to the live or the
 * offline source.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfcap.h"

const char *bpfcap_prog = "bpfcap";

void bpfcap_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", bpfcap_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: %s [-AdDehlnpqStUvxX] [-B size_KiB] [-c count] [-C file_size]\n"
"\t\t[-F file] [-G seconds] [-i interface] [--immediate-mode]\n"
"\t\t[--print] [-Q in|out|inout] [-r file] [-s snaplen] [--version]\n"
"\t\t[-w file] [-W filecount] [--time-stamp-precision=micro|nano]\n"
"\t\t[-Z user] [--ebpf OBJ[:SECTION]] [--jit|--no-jit]\n"
"\t\t[--fanout=N[,hash|cpu|rr]] [expression]\n"
"Long forms: --buffer-size (-B), --list-interfaces (-D), --interface (-i),\n"
"  --direction (-Q), --snapshot-length (-s), --packet-buffered (-U),\n"
"  --help (-h)\n"
"--fanout=N[,MODE]: N readers share the packets (a fanout group; MODE hash,\n"
"  the default, keeps both directions of a flow on one reader; cpu; rr);\n"
"  -w FILE writes FILE0, FILE1, ... one per reader\n", bpfcap_prog);
}

enum {
	OPT_IMMEDIATE = 256,
	OPT_TSPREC,
	OPT_EBPF,
	OPT_JIT,
	OPT_NO_JIT,
	OPT_PRINT,
	OPT_VERSION,
	OPT_HELP,
	OPT_FANOUT,
};

static const struct option long_opts[] = {
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "interface", required_argument, NULL, 'i' },
	{ "direction", required_argument, NULL, 'Q' },
	{ "snapshot-length", required_argument, NULL, 's' },
	{ "immediate-mode", no_argument, NULL, OPT_IMMEDIATE },
	{ "time-stamp-precision", required_argument, NULL, OPT_TSPREC },
	{ "ebpf", required_argument, NULL, OPT_EBPF },
	{ "jit", no_argument, NULL, OPT_JIT },
	{ "no-jit", no_argument, NULL, OPT_NO_JIT },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "packet-buffered", no_argument, NULL, 'U' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "fanout", required_argument, NULL, OPT_FANOUT },
	{ NULL, 0, NULL, 0 }
};

static long parse_long(const char *arg, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno || end == arg || *end || v < lo || v > hi) {
		bpfcap_err("invalid %s %s", what, arg);
		exit(1);
	}
	return v;
}

/* tcpdump's -F: the file's text with "#" comments blanked out. */
static char *read_infile(const char *name)
{
	FILE *f = fopen(name, "r");
	char *buf, *cp;
	long size;
	size_t n;

	if (!f) {
		bpfcap_err("can't open %s: %s", name, strerror(errno));
		exit(1);
	}
	size = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
	if (size < 0 || fseek(f, 0, SEEK_SET)) {
		bpfcap_err("can't stat %s: %s", name, strerror(errno));
		exit(1);
	}
	buf = malloc(size + 1);
	if (!buf) {
		bpfcap_err("out of memory");
		exit(1);
	}
	n = fread(buf, 1, size, f);
	if ((long)n != size) {
		bpfcap_err("problem reading %s", name);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	for (cp = buf; *cp; cp++) {
		if (*cp == '#')
			while (*cp && *cp != '\n')
				*cp++ = ' ';
		if (!*cp)
			break;
	}
	return buf;
}

/* The words after the options, joined with spaces (tcpdump's copy_argv). */
static char *copy_argv(char **argv)
{
	size_t len = 0;
	char **p, *buf, *dst;

	if (!*argv)
		return NULL;
	for (p = argv; *p; p++)
		len += strlen(*p) + 1;
	buf = malloc(len);
	if (!buf) {
		bpfcap_err("out of memory");
		exit(1);
	}
	dst = buf;
	for (p = argv; *p; p++) {
		if (p != argv)
			*dst++ = ' ';
		dst = stpcpy(dst, *p);
	}
	return buf;
}

int bpfcap_deliver(const struct bpfcap_opts *o, const struct bpfcap_pkt *pkt)
{
	uint64_t n = 0;
	int rc = 0;

	/* -c over every reader of a group: a packet past count is nobody's. */
	if (o->fanout && o->count) {
		n = bpfcap_fanout_take();
		if (n > (uint64_t)o->count)
			return 1;
	}
	if (o->wfile) {
		rc = bpfcap_dump(pkt);
		if (rc < 0)
			return -1;
		if (rc > 0)	/* -G with -W: the last file is done */
			return 1;
	}
	if (o->print)
		bpfcap_print(pkt);
	bpfcap_stats.captured++;
	bpfcap_stats.bytes += pkt->caplen;
	if (o->count && (o->fanout ? n : bpfcap_stats.captured) >= (uint64_t)o->count)
		return 1;
	return 0;
}

static void parse_options(struct bpfcap_opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "AB:c:C:dDeF:G:hi:lnpqQ:r:s:StUvw:W:xXZ:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'A':
			o->Aflag++;
			break;
		case 'B':
			o->buffer_kib = parse_long(optarg, "packet buffer size", 1, INT_MAX / 1024);
			break;
		case 'c':
			o->count = parse_long(optarg, "packet count", 1, LONG_MAX);
			break;
		case 'C':
			o->rotate_bytes = parse_long(optarg, "file size", 1, INT_MAX) * 1000000LL;
			break;
		case 'd':
			o->dflag++;
			break;
		case 'D':
			o->list_ifaces = true;
			break;
		case 'e':
			o->eflag++;
			break;
		case 'F':
			o->ffile = optarg;
			break;
		case 'G':
			o->rotate_secs = parse_long(optarg, "rotate seconds", 1, INT_MAX);
			break;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case 'i':
			o->iface = optarg;
			break;
		case 'l':
			setvbuf(stdout, NULL, _IOLBF, 0);
			break;
		case 'n':
			o->nflag++;
			break;
		case 'p':
			o->promisc = false;
			break;
		case 'q':
			o->qflag++;
			break;
		case 'Q':
			if (!strcasecmp(optarg, "in"))
				o->direction = BPFCAP_DIR_IN;
			else if (!strcasecmp(optarg, "out"))
				o->direction = BPFCAP_DIR_OUT;
			else if (!strcasecmp(optarg, "inout"))
				o->direction = BPFCAP_DIR_INOUT;
			else {
				bpfcap_err("unknown capture direction '%s'", optarg);
				exit(1);
			}
			break;
		case 'r':
			o->rfile = optarg;
			break;
		case 's':
			o->snaplen = parse_long(optarg, "snaplen", 0, BPFCAP_MAXIMUM_SNAPLEN);
			break;
		case 'S':
			o->Sflag++;
			break;
		case 't':
			o->tflag++;
			break;
		case 'U':
			o->packet_buffered = true;
			break;
		case 'v':
			o->vflag++;
			break;
		case 'w':
			o->wfile = optarg;
			break;
		case 'W':
			o->rotate_files = parse_long(optarg, "number of output files", 1, INT_MAX);
			break;
		case 'x':
			o->xflag++;
			break;
		case 'X':
			o->Xflag++;
			break;
		case 'Z':	/* tcpdump drops privileges; bpfcap has none to drop */
			break;
		case OPT_IMMEDIATE:
			o->immediate = true;
			break;
		case OPT_TSPREC:
			if (!strcmp(optarg, "nano"))
				o->nano = true;
			else if (!strcmp(optarg, "micro"))
				o->nano = false;
			else {
				bpfcap_err("unsupported time stamp precision");
				exit(1);
			}
			break;
		case OPT_EBPF:
			o->ebpf_obj = optarg;
			break;
		case OPT_JIT:
			o->jit = true;
			break;
		case OPT_NO_JIT:
			o->jit = false;
			break;
		case OPT_PRINT:
			o->print = true;
			break;
		case OPT_FANOUT:
			if (bpfcap_fanout_parse(o, optarg))
				exit(1);
			break;
		case OPT_VERSION:
			printf("bpfcap version 1.0 (tcpdump 4.99 compatible output)\n");
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	/* -t: none, -tt: seconds, -ttt: delta, -tttt: date, -ttttt: since first */
	if (o->tflag > 5)
		o->tflag = 5;
}

int main(int argc, char **argv)
{
	struct bpfcap_opts o = { .promisc = true, .jit = true };

	parse_options(&o, argc, argv);
	if (o.list_ifaces)
		return bpfcap_list_ifaces();
	if (o.ffile) {
		if (argv[optind])
			fprintf(stderr, "%s: Warning: command-line arguments ignored in favor of -F\n",
				bpfcap_prog);
		o.expr = read_infile(o.ffile);
	} else {
		o.expr = copy_argv(argv + optind);
	}
	if (o.ebpf_obj && o.expr) {
		bpfcap_err("--ebpf and a filter expression exclude each other");
		return 1;
	}
	if ((o.rotate_bytes || o.rotate_secs) && !o.wfile) {
		bpfcap_err("-%c requires -w", o.rotate_bytes ? 'C' : 'G');
		return 1;
	}
	if (o.rotate_files && !o.rotate_bytes && !o.rotate_secs) {
		bpfcap_err("-W requires -C or -G");
		return 1;
	}
	if (!o.wfile)
		o.print = true;
	bpfcap_signals_init();
	if (o.rfile && o.fanout) {
		bpfcap_err("--fanout reads a live interface, not -r");
		return 1;
	}
	if (o.rfile)
		return bpfcap_offline(&o);
	if (o.fanout)
		return bpfcap_fanout_run(&o);
	return bpfcap_live(&o);
}
