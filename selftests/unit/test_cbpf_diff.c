// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of classic BPF against libpcap.  Each expression of
 * cbpf_exprs.txt is compiled by pcap_compile() for Ethernet; bpfdev must
 * accept the program, print it exactly as bpf_dump() does (-d, -dd,
 * -ddd), and, converted to eBPF, return what libpcap's bpf_filter()
 * returns for every packet of every capture in $SHARED/pcaps, through
 * the fast and the checked interpreter and the JIT.
 *
 * The packet model: libpcap bounds loads by the captured length and
 * answers BPF_LEN with the wire length.  Our context has md.len = wire
 * length and only the captured bytes linear, with no way to fetch the
 * rest, exactly like a non-linear skb whose copy fails: a load past the
 * captured bytes ends the program with 0 in both engines.
 */

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "cbpf_pcap.h"
#include "tap.h"
#include "cbpf_run.h"

struct packet {
	u8	*data;
	u32	caplen;
	u32	wirelen;
};

static struct packet *packets;
static u32 nr_packets, packets_cap;

/* The repository's top directory, from where this binary lives. */
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
	/* build/unit/test_cbpf_diff -> top */
	for (up = 0; up < 3; up++) {
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

static bool is_capture(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".pcap")) ||
	       (n > 7 && !strcmp(name + n - 7, ".pcapng"));
}

static void add_packet(u32 caplen, u32 wirelen, const u8 *bytes)
{
	struct packet *p;

	if (nr_packets == packets_cap) {
		packets_cap = packets_cap ? packets_cap * 2 : 256;
		packets = realloc(packets, packets_cap * sizeof(*packets));
		if (!packets)
			tap_bail("out of memory");
	}
	p = &packets[nr_packets++];
	/* An exact-size copy: ASan sees any read past the captured bytes. */
	p->data = malloc(caplen ? caplen : 1);
	if (!p->data)
		tap_bail("out of memory");
	memcpy(p->data, bytes, caplen);
	p->caplen = caplen;
	p->wirelen = wirelen;
}

/*
 * Captures rarely cut packets short, so each packet also comes cut to
 * half and to one byte less, as a small snap length would leave it: loads
 * near and past the captured end must fail alike in both engines.
 */
static u32 truncated;

static void add_capture_packet(const struct pcap_pkthdr *h, const u8 *bytes)
{
	add_packet(h->caplen, h->len, bytes);
	if (h->caplen < 2)
		return;
	add_packet(h->caplen / 2, h->len, bytes);
	add_packet(h->caplen - 1, h->len, bytes);
	truncated += 2;
}

static u32 read_captures(const char *dir)
{
	char *names[256], path[PATH_MAX * 3], err[PCAP_ERRBUF_SIZE];
	u32 n = 0, i, files = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		tap_bail("cannot open %s: set SHARED to the shared data directory", dir);
	while ((de = readdir(d)) && n < ARRAY_SIZE(names))
		if (is_capture(de->d_name))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);

	for (i = 0; i < n; i++) {
		struct pcap_pkthdr *h;
		const u_char *bytes;
		u32 read = 0;
		pcap_t *pc;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		pc = pcap_open_offline(path, err);
		if (!pc) {
			ok(0, "read %s: %s", names[i], err);
			free(names[i]);
			continue;
		}
		while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
			add_capture_packet(h, bytes);
			read++;
		}
		ok(rc == PCAP_ERROR_BREAK && read > 0,
		   "read %s: %u packets, link type %s", names[i], read,
		   pcap_datalink_val_to_name(pcap_datalink(pc)));
		if (rc != PCAP_ERROR_BREAK)
			tap_diag("  %s", pcap_geterr(pc));
		pcap_close(pc);
		free(names[i]);
		files++;
	}
	return files;
}

/* libpcap's bpf_dump() writes to stdout: catch it. */
static char *pcap_dump_text(struct pcap_bpf_program *bp, int option)
{
	FILE *tmp = tmpfile();
	char *out;
	long len;
	int saved;

	if (!tmp)
		return NULL;
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	bpf_dump(bp, option);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	len = ftell(tmp);
	out = calloc(1, len + 1);
	rewind(tmp);
	if (out && fread(out, 1, len, tmp) != (size_t)len) {
		free(out);
		out = NULL;
	}
	fclose(tmp);
	return out;
}

static bool dumps_match(const struct pcap_bpf_program *bp, int option)
{
	const struct sock_filter *insns = (const struct sock_filter *)bp->bf_insns;
	char *theirs = pcap_dump_text((struct pcap_bpf_program *)bp, option);
	char *ours;
	int len;
	bool same;

	if (!theirs)
		return false;
	len = bpfdev_cbpf_dump(insns, bp->bf_len, option, NULL, 0);
	ours = malloc(len + 1);
	bpfdev_cbpf_dump(insns, bp->bf_len, option, ours, len + 1);
	same = !strcmp(ours, theirs);
	if (!same)
		tap_diag("  -%.*s differs: ours %d bytes, libpcap %zu", option,
			 "ddd", len, strlen(theirs));
	free(ours);
	free(theirs);
	return same;
}

/* Every packet: libpcap's bpf_filter() against both our interpreters. */
static void run_expression(const char *expr, const struct pcap_bpf_program *bp)
{
	const struct sock_filter *insns = (const struct sock_filter *)bp->bf_insns;
	u32 i, accepted = 0, differ = 0, faults = 0;
	struct cbpf_prog prog;
	int err, bad;

	err = cbpf_prog_load(&prog, insns, bp->bf_len);
	if (!ok(!err, "load %s (%u insns)", expr, bp->bf_len)) {
		tap_diag("  %s", prog.msg);
		ok(0, "run %s", expr);
		return;
	}
	for (i = 0; i < nr_packets; i++) {
		const struct packet *p = &packets[i];
		struct cbpf_result r;
		struct bpfdev_skb skb;
		u32 want;

		want = bpf_filter(bp->bf_insns, p->data, p->wirelen, p->caplen);
		cbpf_skb_capture(&skb, p->data, p->caplen, p->wirelen);
		cbpf_prog_run(&prog, &skb, &r);
		if (r.checked_err) {
			if (faults++ < 3)
				tap_diag("  packet %u: checked interpreter: %s", i, r.err);
		}
		if (r.fast != want || r.checked != want || r.jit != want) {
			if (differ++ < 3)
				tap_diag("  packet %u: libpcap %u, fast %llu, checked %llu, jit %llu",
					 i, want, (unsigned long long)r.fast,
					 (unsigned long long)r.checked,
					 (unsigned long long)r.jit);
		}
		accepted += want != 0;
	}
	bad = cbpf_ebpf_shape_bad(&prog.code);
	if (bad >= 0)
		tap_diag("  converted program malformed at insn %d", bad);
	/*
	 * A JIT may give up on a huge image (the host then interprets, as
	 * the kernel does); any other refusal is a bug.
	 */
	if (prog.jit_err)
		tap_diag("  JIT: %d (%s)", prog.jit_err,
			 bpfdev_jit_fallback_name(bpfdev_jit_fallback_reason(prog.jit_err)));
	ok(!differ && !faults && bad < 0 && !prog.jit_err,
	   "run %s: %u/%u packets accepted, %u differ, %u faults, %u eBPF insns%s",
	   expr, accepted, nr_packets, differ, faults, prog.code.len,
	   prog.jit_err ? ", JIT fell back" : "");
	cbpf_prog_free(&prog);
}

/*
 * libpcap's protochain loops with a backward ja, which Linux's classic
 * checker refuses (libpcap then filters in userspace); so does ours.
 */
static int backward_jump(const struct pcap_bpf_program *bp)
{
	u32 pc;

	for (pc = 0; pc < bp->bf_len; pc++)
		if (bp->bf_insns[pc].code == (BPF_JMP | BPF_JA) &&
		    bp->bf_insns[pc].k >= bp->bf_len - pc - 1)
			return pc;
	return -1;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/*
 * One expression, compiled with libpcap's optimiser (what tcpdump runs)
 * or without it (-O0: long code that leans on the scratch memory).
 * Returns whether it ran on every packet.
 */
static bool check_expression(pcap_t *dead, const char *expr, int optimize)
{
	char msg[BPFDEV_CBPF_MSG_SIZE], want[64], name[128];
	struct pcap_bpf_program bp;
	int err, back;

	/* Long or-chains get a short name. */
	if (strlen(expr) > 80)
		snprintf(name, sizeof(name), "%s%.60s ... (%zu chars)",
			 optimize ? "" : "-O0 ", expr, strlen(expr));
	else
		snprintf(name, sizeof(name), "%s%.100s", optimize ? "" : "-O0 ", expr);
	if (pcap_compile(dead, &bp, expr, optimize, PCAP_NETMASK_UNKNOWN)) {
		ok(0, "compile %s: %s", name, pcap_geterr(dead));
		return false;
	}
	err = bpfdev_cbpf_validate((struct sock_filter *)bp.bf_insns,
				   bp.bf_len, msg, sizeof(msg));
	back = backward_jump(&bp);
	if (back >= 0) {
		snprintf(want, sizeof(want), "insn %d: jump out of range", back);
		if (!ok(err == -EINVAL && !strcmp(msg, want),
			"validate %s: refused as Linux refuses it (backward ja at insn %d)",
			name, back))
			tap_diag("  got %d \"%s\"", err, msg);
	} else if (!ok(!err, "validate %s", name)) {
		tap_diag("  %s", msg);
	}
	ok(dumps_match(&bp, 1) && dumps_match(&bp, 2) && dumps_match(&bp, 3),
	   "dump -d -dd -ddd %s", name);
	if (back >= 0)
		tap_skip("a backward jump: Linux runs it only in libpcap's userspace filter",
			 "run %s", name);
	else
		run_expression(name, &bp);
	pcap_freecode(&bp);
	return back < 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX * 2], exprs_path[PATH_MAX * 2];
	const char *shared = getenv("SHARED");
	static char line[1 << 16];
	u32 files, exprs = 0, runnable = 0;
	pcap_t *dead;
	FILE *f;

	tap_plan(0);
	top_dir(top, sizeof(top));
	if (shared && *shared)
		snprintf(dir, sizeof(dir), "%s/pcaps", shared);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/pcaps", top);
	snprintf(exprs_path, sizeof(exprs_path), "%s",
		 argc > 1 ? argv[1] : "");
	if (!*exprs_path)
		snprintf(exprs_path, sizeof(exprs_path),
			 "%s/selftests/unit/cbpf_exprs.txt", top);

	files = read_captures(dir);
	ok(files > 0 && nr_packets > truncated, "%u captures in %s: %u packets and %u cut shorter",
	   files, dir, nr_packets - truncated, truncated);

	f = fopen(exprs_path, "r");
	if (!f)
		tap_bail("cannot open %s", exprs_path);
	dead = pcap_open_dead(DLT_EN10MB, 262144);
	while (fgets(line, sizeof(line), f)) {
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		exprs++;
		runnable += check_expression(dead, line, 1);
		check_expression(dead, line, 0);
	}
	fclose(f);
	pcap_close(dead);
	ok(runnable >= 60, "%u expressions, %u run on every packet (at least 60)",
	   exprs, runnable);
	return tap_done();
}
