// SPDX-License-Identifier: GPL-2.0
/*
 * bench_jit: nanoseconds per packet of the JIT against bpfdev's own
 * interpreter, the running kernel's JIT (bpf(BPF_PROG_TEST_RUN) of the same
 * instructions as BPF_PROG_TYPE_SCHED_CLS, whose data starts at the mac
 * header) and libpcap's bpf_filter(), on one packet in a tight loop.
 *
 *   bench_jit [-v] [-n ITERATIONS] [-p PCAP] [-i INDEX]
 *
 * Programs: libpcap-compiled filters (converted to eBPF by kmod/core/cbpf)
 * and two eBPF packet parsers (direct packet access, legacy LD_ABS).  The
 * packet: frame INDEX of PCAP (default: the first HTTP request of
 * http_ip4and6.pcapng in $SHARED/pcaps).  Each figure is the best of
 * five runs; every engine must return the same value.  The kernel's figure
 * includes no syscall: PROG_TEST_RUN repeats the program in the kernel and
 * reports its own per-run average; it is "n/a" without bpf() rights or
 * when the kernel's verifier refuses the program (bpfdev-only context).
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define bpf_insn	pcap_bpf_insn
#define bpf_program	pcap_bpf_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program

#include "cbpf.h"
#include "interp.h"
#include "jit.h"
#include "skb.h"

#include "../../selftests/common/bench_jit_progs.h"

#define BEST_OF	5

static const char *const filters[] = {
	"ip",
	"tcp port 80",
	"udp port 53 and greater 100",
	"host 192.168.1.1 or net 10.0.0.0/8",
	"ip6 and tcp",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"not (port 22 or port 80)",
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
	"tcp port 22 or tcp port 23 or tcp port 25 or udp port 53 or tcp port 80 or tcp port 443",
};

static u8 pkt[65536];
static u32 pkt_len, pkt_wire;
static u64 iterations = 2000000;
static bool verbose;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- the running kernel ------------------------------------------------- */

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* ns per run of insns in the kernel, or a negative value if it cannot. */
static double kernel_ns(const struct bpf_insn *insns, u32 len, u64 *ret)
{
	static char log[65536];
	union bpf_attr attr;
	double best = -1;
	int fd, i;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (u64)(uintptr_t)insns;
	attr.insn_cnt = len;
	attr.license = (u64)(uintptr_t)"GPL";
	if (verbose) {
		attr.log_buf = (u64)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
	}
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		if (verbose)
			fprintf(stderr, "kernel load: %s\n%s\n", strerror(errno), log);
		return -1;
	}
	for (i = 0; i < BEST_OF; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.test.prog_fd = fd;
		attr.test.data_in = (u64)(uintptr_t)pkt;
		attr.test.data_size_in = pkt_len;
		attr.test.repeat = iterations;
		if (sys_bpf(BPF_PROG_TEST_RUN, &attr)) {
			if (verbose)
				fprintf(stderr, "kernel test run: %s\n", strerror(errno));
			close(fd);
			return -1;
		}
		*ret = attr.test.retval;
		if (best < 0 || attr.test.duration < best)
			best = attr.test.duration;
	}
	close(fd);
	return best;
}

/* ---- bpfdev ------------------------------------------------------------- */

static double run_ns(const struct bpfdev_code *code, const struct bpfdev_skb *skb,
		     bool jit, u64 n, u64 *ret)
{
	double best = -1;
	u64 i, t, r = 0;
	int k;

	for (k = 0; k < BEST_OF; k++) {
		t = now_ns();
		if (jit) {
			for (i = 0; i < n; i++)
				r += code->jited((u64)(uintptr_t)skb, 0);
		} else {
			for (i = 0; i < n; i++)
				r += bpfdev_interp_run(code, skb);
		}
		t = now_ns() - t;
		if (best < 0 || (double)t / n < best)
			best = (double)t / n;
	}
	*ret = r / (BEST_OF * n);
	return best;
}

static double pcap_ns(const struct pcap_bpf_program *bp, u64 n, u64 *ret)
{
	double best = -1;
	u64 i, t, r = 0;
	int k;

	for (k = 0; k < BEST_OF; k++) {
		t = now_ns();
		for (i = 0; i < n; i++)
			r += bpf_filter(bp->bf_insns, pkt, pkt_wire, pkt_len);
		t = now_ns() - t;
		if (best < 0 || (double)t / n < best)
			best = (double)t / n;
	}
	*ret = r / (BEST_OF * n);
	return best;
}

static void print_ns(double ns)
{
	if (ns < 0)
		printf(" %9s", "n/a");
	else
		printf(" %9.1f", ns);
}

static void print_ratio(double a, double b)
{
	if (a < 0 || b <= 0)
		printf(" %7s", "n/a");
	else
		printf(" %6.1fx", a / b);
}

/*
 * One row: interp, JIT, kernel JIT, libpcap (bp may be NULL); kinsns is
 * the kernel's version of code (differs only in context offsets).
 */
static int bench_row(const char *name, struct bpfdev_code *code,
		     const struct bpf_insn *kinsns, const struct pcap_bpf_program *bp)
{
	struct bpfdev_skb skb;
	double ti, tj, tk, tp = -1;
	u64 ri, rj, rk = 0, rp = 0;
	int err, bad = 0;

	bpfdev_skb_init_linear(&skb, pkt, pkt_len);
	skb.md.len = pkt_wire;
	err = bpfdev_jit_compile(code, 0);
	if (err) {
		printf("%-44.44s JIT failed: %d\n", name, err);
		return 1;
	}
	ti = run_ns(code, &skb, false, iterations / 4, &ri);
	tj = run_ns(code, &skb, true, iterations, &rj);
	tk = kernel_ns(kinsns, code->len, &rk);
	if (bp)
		tp = pcap_ns(bp, iterations, &rp);
	bad = ri != rj || (tk >= 0 && (u32)rk != (u32)rj) ||
	      (bp && (u32)rp != (u32)rj);
	printf("%-44.44s %5u %4llu", name, code->len, (unsigned long long)rj);
	print_ns(ti);
	print_ns(tj);
	print_ns(tk);
	print_ns(tp);
	print_ratio(ti, tj);
	print_ratio(tk, tj);
	print_ratio(tp, tj);
	printf("%s\n", bad ? "  RESULTS DIFFER" : "");
	bpfdev_jit_free(code);
	return bad;
}

/*
 * The converter clears A and X with "w0 ^= w0" as the kernel's own does;
 * the kernel's eBPF verifier, which never sees converted programs, would
 * call that a read of an uninitialised register.  "w0 = 0" is the same.
 */
static void kernel_fixup(struct bpf_insn *insns, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (insns[i].code == (BPF_ALU | BPF_XOR | BPF_X) &&
		    insns[i].dst_reg == insns[i].src_reg)
			insns[i] = INSN_MOV32_IMM(insns[i].dst_reg, 0);
}

static int bench_filter(pcap_t *dead, const struct bpfdev_env *env, const char *expr)
{
	struct pcap_bpf_program bp;
	struct bpfdev_code code = { 0 };
	char msg[BPFDEV_CBPF_MSG_SIZE];
	struct bpf_insn *kinsns;
	int bad;

	if (pcap_compile(dead, &bp, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		printf("%-44.44s pcap_compile: %s\n", expr, pcap_geterr(dead));
		return 1;
	}
	if (bpfdev_cbpf_load((const struct sock_filter *)bp.bf_insns, bp.bf_len,
			     &code, msg, sizeof(msg))) {
		printf("%-44.44s convert: %s\n", expr, msg);
		pcap_freecode(&bp);
		return 1;
	}
	code.env = env;
	kinsns = calloc(code.len, sizeof(*kinsns));
	if (!kinsns)
		return 1;
	memcpy(kinsns, code.insns, code.len * sizeof(*kinsns));
	kernel_fixup(kinsns, code.len);
	bad = bench_row(expr, &code, kinsns, &bp);
	free(kinsns);
	bpfdev_cbpf_release(&code);
	pcap_freecode(&bp);
	return bad;
}

static int bench_parsers(const struct bpfdev_env *env)
{
	struct bpf_insn ours[] = {
		PARSER(INSN_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1,
				    offsetof(struct bpfdev_skb, data)),
		       INSN_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_1,
				    offsetof(struct bpfdev_skb, data_end))),
	};
	struct bpf_insn kernels[] = {
		PARSER(INSN_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1,
				    offsetof(struct __sk_buff, data)),
		       INSN_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1,
				    offsetof(struct __sk_buff, data_end))),
	};
	struct bpf_insn legacy[] = { PARSER_LD_ABS };
	struct bpfdev_code code = {
		.insns = ours, .len = ARRAY_SIZE(ours), .env = env,
		.type = BPF_PROG_TYPE_SCHED_CLS,
	};
	int bad;

	bad = bench_row("eBPF: IPv4/TCP flow hash, direct access", &code, kernels, NULL);
	code.insns = legacy;
	code.len = ARRAY_SIZE(legacy);
	bad |= bench_row("eBPF: IPv4/TCP flow hash, LD_ABS/LD_IND", &code, legacy, NULL);
	return bad;
}

static int load_packet(const char *path, int index)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_bpf_program bp;
	struct pcap_pkthdr *h;
	const u8 *data;
	pcap_t *p = pcap_open_offline(path, err);
	int i = 0;

	if (!p) {
		fprintf(stderr, "bench_jit: %s\n", err);
		return -1;
	}
	/* default: the first TCP segment to port 80 carrying data */
	if (pcap_compile(p, &bp, "tcp dst port 80 and tcp[tcpflags] & tcp-push != 0",
			 1, PCAP_NETMASK_UNKNOWN))
		return -1;
	while (pcap_next_ex(p, &h, &data) == 1) {
		if (index < 0 ? bpf_filter(bp.bf_insns, data, h->len, h->caplen)
			      : i == index) {
			pkt_len = h->caplen;
			pkt_wire = h->len;
			memcpy(pkt, data, h->caplen);
			break;
		}
		i++;
	}
	pcap_freecode(&bp);
	pcap_close(p);
	return pkt_len ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *shared = getenv("SHARED");
	char path[PATH_MAX], jit_enable[16] = "?";
	static struct bpfdev_env env;
	int opt, index = -1, bad = 0;
	const char *file = NULL;
	pcap_t *dead;
	FILE *f;
	u32 i;

	while ((opt = getopt(argc, argv, "n:p:i:v")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'n':
			iterations = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			file = optarg;
			break;
		case 'i':
			index = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench_jit [-v] [-n ITERATIONS] [-p PCAP] [-i INDEX]\n");
			return 2;
		}
	}
	if (!file) {
		snprintf(path, sizeof(path), "%s/pcaps/http_ip4and6.pcapng",
			 shared ? shared : "../shared");
		file = path;
	}
	if (load_packet(file, index)) {
		fprintf(stderr, "bench_jit: no packet from %s (set SHARED or -p)\n", file);
		return 1;
	}
	f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	if (f) {
		if (!fgets(jit_enable, sizeof(jit_enable), f))
			jit_enable[0] = '\0';
		jit_enable[strcspn(jit_enable, "\n")] = '\0';
		fclose(f);
	}
	printf("packet: %u bytes (%s); %llu iterations, best of %d; kernel bpf_jit_enable=%s\n",
	       pkt_len, file, (unsigned long long)iterations, BEST_OF, jit_enable);
	printf("%-44s %5s %4s %9s %9s %9s %9s %7s %7s %7s\n", "program (ns per packet)",
	       "insns", "ret", "interp", "jit", "kernel", "libpcap",
	       "int/jit", "ker/jit", "pcap/jit");
	bpfdev_cbpf_env_init(&env);
	dead = pcap_open_dead(DLT_EN10MB, 262144);
	for (i = 0; i < ARRAY_SIZE(filters); i++)
		bad |= bench_filter(dead, &env, filters[i]);
	bad |= bench_parsers(&env);
	pcap_close(dead);
	return bad;
}
