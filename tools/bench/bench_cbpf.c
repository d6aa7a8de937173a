// SPDX-License-Identifier: GPL-2.0
/*
 * bench_cbpf: nanoseconds per packet of classic filters, libpcap's own
 * bpf_filter() against bpfdev (the program converted to eBPF and run by
 * the engine), in the same process over the same packets.
 *
 *   bench_cbpf [-r ROUNDS] [-f EXPRS_FILE] [EXPR ...]
 *
 * Packets are every capture in $SHARED/pcaps (default: the repository's
 * ../shared).  Expressions: those given, else those of EXPRS_FILE, else a
 * built-in set.  Each engine filters every packet ROUNDS times; the best of
 * five such passes is reported, engines interleaved so that drift in the
 * machine's speed hits both alike.  Results must agree, packet for packet.
 */

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define bpf_insn	pcap_bpf_insn
#define bpf_program	pcap_bpf_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program

#include "cbpf.h"
#include "interp.h"
#include "skb.h"

struct packet {
	u8			*data;
	u32			caplen;
	u32			wirelen;
	struct bpfdev_skb	skb;
};

static struct packet *packets;
static u32 nr_packets;

static const char *const default_exprs[] = {
	"ip",
	"tcp port 80",
	"udp port 53 and greater 100",
	"host 192.168.1.1 or net 10.0.0.0/8",
	"ip6 and tcp",
	"vlan and ip",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"ip[6:2] & 0x1fff = 0",
	"ip[2:2] / 4 > 10",
	"ether[0] % 2 == 1",
	"not (port 22 or port 80)",
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
};

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void top_dir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	int up;

	snprintf(out, size, ".");
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (up = 0; up < 3; up++) {	/* tools/bench/bench_cbpf -> top */
		slash = strrchr(exe, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
	snprintf(out, size, "%s", exe);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_packet(const struct pcap_pkthdr *h, const u8 *bytes)
{
	static u32 cap;
	struct packet *p;

	if (nr_packets == cap) {
		cap = cap ? cap * 2 : 256;
		packets = realloc(packets, cap * sizeof(*packets));
		if (!packets)
			exit(1);
	}
	p = &packets[nr_packets++];
	p->data = malloc(h->caplen ? h->caplen : 1);
	if (!p->data)
		exit(1);
	memcpy(p->data, bytes, h->caplen);
	p->caplen = h->caplen;
	p->wirelen = h->len;
}

static int read_captures(const char *dir)
{
	char *names[256], path[PATH_MAX * 3], err[PCAP_ERRBUF_SIZE];
	struct dirent *de;
	u32 n = 0, i;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "bench_cbpf: cannot open %s (set SHARED)\n", dir);
		return -1;
	}
	while ((de = readdir(d)) && n < 256) {
		size_t len = strlen(de->d_name);

		if ((len > 5 && !strcmp(de->d_name + len - 5, ".pcap")) ||
		    (len > 7 && !strcmp(de->d_name + len - 7, ".pcapng")))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		struct pcap_pkthdr *h;
		const u_char *bytes;
		pcap_t *pc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		pc = pcap_open_offline(path, err);
		if (!pc) {
			fprintf(stderr, "bench_cbpf: %s\n", err);
			continue;
		}
		while (pcap_next_ex(pc, &h, &bytes) == 1)
			add_packet(h, bytes);
		pcap_close(pc);
	}
	/* The host builds each context once, as the kernel has its skb. */
	for (i = 0; i < nr_packets; i++) {
		struct packet *p = &packets[i];

		bpfdev_skb_init_linear(&p->skb, p->data, p->caplen);
		p->skb.md.len = p->wirelen;
		p->skb.md.wire_len = p->wirelen;
	}
	return 0;
}

static u64 pass_libpcap(const struct pcap_bpf_program *bp, u32 rounds, u64 *sum)
{
	u64 start = now_ns(), s = 0;
	u32 r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < nr_packets; i++)
			s += bpf_filter(bp->bf_insns, packets[i].data,
					packets[i].wirelen, packets[i].caplen);
	*sum = s;
	return now_ns() - start;
}

static u64 pass_interp(const struct bpfdev_code *code, u32 rounds, u64 *sum)
{
	u64 start = now_ns(), s = 0;
	u32 r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < nr_packets; i++)
			s += bpfdev_interp_run(code, &packets[i].skb);
	*sum = s;
	return now_ns() - start;
}

/* Packets whose verdicts differ between the two engines. */
static u32 count_mismatches(const struct pcap_bpf_program *bp,
			    const struct bpfdev_code *code)
{
	u32 i, bad = 0;

	for (i = 0; i < nr_packets; i++)
		bad += bpf_filter(bp->bf_insns, packets[i].data, packets[i].wirelen,
				  packets[i].caplen) !=
		       bpfdev_interp_run(code, &packets[i].skb);
	return bad;
}

static int bench_one(pcap_t *dead, const struct bpfdev_env *env,
		     const char *expr, u32 rounds)
{
	u64 best_pcap = U64_MAX, best_interp = U64_MAX, sum_pcap, sum_interp, t;
	double per = (double)rounds * nr_packets;
	char msg[BPFDEV_CBPF_MSG_SIZE], shown[80];
	struct pcap_bpf_program bp;
	struct bpfdev_code code;
	u32 bad;
	int pass;

	if (strlen(expr) > 46)
		snprintf(shown, sizeof(shown), "%.36s...(%zu)", expr, strlen(expr));
	else
		snprintf(shown, sizeof(shown), "%s", expr);
	if (pcap_compile(dead, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		fprintf(stderr, "bench_cbpf: %s: %s\n", expr, pcap_geterr(dead));
		return -1;
	}
	if (bpfdev_cbpf_load((const struct sock_filter *)bp.bf_insns, bp.bf_len,
			     &code, msg, sizeof(msg))) {
		printf("%-46s %10s  (not runnable on Linux: %s)\n", shown, "-", msg);
		pcap_freecode(&bp);
		return 0;
	}
	code.env = env;
	for (pass = 0; pass < 5; pass++) {
		t = pass_libpcap(&bp, rounds, &sum_pcap);
		best_pcap = t < best_pcap ? t : best_pcap;
		t = pass_interp(&code, rounds, &sum_interp);
		best_interp = t < best_interp ? t : best_interp;
	}
	bad = count_mismatches(&bp, &code);
	printf("%-46s %10.1f %12.1f %7.2f%s\n", shown, best_pcap / per,
	       best_interp / per, (double)best_interp / best_pcap,
	       bad || sum_pcap != sum_interp ? "  RESULTS DIFFER" : "");
	bpfdev_cbpf_release(&code);
	pcap_freecode(&bp);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX * 2], line[1 << 16];
	const char *shared = getenv("SHARED"), *file = NULL;
	static struct bpfdev_env env;
	u32 rounds = 200;
	int opt, err = 0;
	pcap_t *dead;

	while ((opt = getopt(argc, argv, "r:f:h")) != -1) {
		switch (opt) {
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			file = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_cbpf [-r ROUNDS] [-f EXPRS_FILE] [EXPR ...]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!rounds)
		rounds = 1;
	top_dir(top, sizeof(top));
	if (shared && *shared)
		snprintf(dir, sizeof(dir), "%s/pcaps", shared);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/pcaps", top);
	if (read_captures(dir) || !nr_packets)
		return 1;
	bpfdev_cbpf_env_init(&env);
	dead = pcap_open_dead(DLT_EN10MB, 262144);

	printf("# %u packets from %s, %u rounds, best of 5\n", nr_packets, dir, rounds);
	printf("%-46s %10s %12s %7s\n", "expression", "libpcap", "bpfdev", "ratio");
	printf("%-46s %10s %12s %7s\n", "", "ns/pkt", "interp ns/pkt", "");
	if (optind < argc) {
		for (; optind < argc; optind++)
			err |= bench_one(dead, &env, argv[optind], rounds);
	} else if (file) {
		FILE *f = fopen(file, "r");

		if (!f) {
			perror(file);
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if (line[0] && line[0] != '#')
				err |= bench_one(dead, &env, line, rounds);
		}
		fclose(f);
	} else {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(default_exprs); i++)
			err |= bench_one(dead, &env, default_exprs[i], rounds);
	}
	pcap_close(dead);
	return err ? 1 : 0;
}
