// SPDX-License-Identifier: GPL-2.0
/*
 * bench_verifier: verification time and processed instructions of bpfdev's
 * verifier, side by side with the running kernel's verifier
 * (bpf(BPF_PROG_LOAD) time and verified_insns from BPF_OBJ_GET_INFO_BY_FD)
 * on the same programs, in one run:
 *   - classic filters compiled by libpcap and converted to eBPF by the
 *     classic helper (kmod/core/cbpf.h);
 *   - clang -O2 socket filters (the .bpf.o files in build/unit/progs);
 *   - programs that once cost bpfdev far more than the kernel (issue 21,
 *     selftests/common/verifier_cost_progs.h), one with a log: the
 *     verifier's time per processed instruction and per log message.
 * Times are the best of 5 passes of N verifications each.  The counts are
 * processed instructions, also for loads both verifiers refuse (E2BIG,
 * or ENOSPC for a log that fills up).
 *
 *   bench_verifier [-n N] [OBJECT.bpf.o ...]
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

#define bpf_insn	pcap_bpf_insn
#define bpf_program	pcap_bpf_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program

#include "cbpf.h"
#include "verifier.h"
#include "../../selftests/common/test_verifier_harness.h"
#include "../../selftests/common/test_verifier_host.h"
#include "../../selftests/common/test_verifier_elf.h"
#include "../../selftests/common/verifier_cost_progs.h"

static const char *const exprs[] = {
	"ip",
	"tcp port 80",
	"udp port 53 and greater 100",
	"host 192.168.1.1 or net 10.0.0.0/8",
	"ip6 and tcp",
	"vlan and ip",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"not (port 22 or port 80)",
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420",
	"(tcp and (port 80 or port 443 or port 8080)) or (udp and (port 53 or port 123))",
};

static u32 rounds = 20;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- the running kernel ---- */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int kmap_fds[VT_ALL_MAPS];

static void kernel_maps(void)
{
	u32 i;

	for (i = 0; i < VT_ALL_MAPS; i++) {
		union bpf_attr a;

		if (kmap_fds[i] > 0)
			close(kmap_fds[i]);
		kmap_fds[i] = -1;
		if (!vt_maps[i].desc.host)
			continue;
		memset(&a, 0, sizeof(a));
		a.map_type = vt_maps[i].desc.type;
		a.key_size = vt_maps[i].desc.key_size;
		a.value_size = vt_maps[i].desc.value_size;
		a.max_entries = vt_maps[i].desc.max_entries;
		a.map_flags = vt_maps[i].desc.flags;
		kmap_fds[i] = sys_bpf(BPF_MAP_CREATE, &a);
	}
}

static char klog[1 << 18];

/* The processed instructions the stats line of a log gives, or 0. */
static u32 log_processed(const char *log)
{
	const char *p = strstr(log, "processed ");
	unsigned int n;

	return p && sscanf(p, "processed %u insns", &n) == 1 ? n : 0;
}

static int kernel_load_one(const struct bpf_insn *insns, u32 len, u32 log_level, u32 log_size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = len;
	a.license = (uintptr_t)"GPL";
	if (log_level) {
		klog[0] = 0;
		a.log_buf = (uintptr_t)klog;
		a.log_size = log_size;
		a.log_level = log_level;
	}
	return sys_bpf(BPF_PROG_LOAD, &a);
}

/*
 * Best time of passes x nr loads of insns into the kernel, with a log of
 * log_level and log_size if log_level; its processed instructions (from
 * the stats of a load without a log); 0 or the -errno of the timed loads.
 * One pass of a load without a log gives its own stats: a second load of
 * a program that takes the kernel minutes would be one too many.
 */
static int kernel_load(const struct bpf_insn *src, u32 len, u32 log_level, u32 log_size,
		       u32 passes, u32 nr, u64 *best, u32 *verified)
{
	static struct bpf_insn insns[MAX_PROG];
	u32 pass, r, i;
	int fd, err = 0;

	memcpy(insns, src, len * sizeof(*insns));
	for (i = 0; i < len; i++) {
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD) {
			if (insns[i].imm < 0 || insns[i].imm >= VT_ALL_MAPS ||
			    kmap_fds[insns[i].imm] < 0)
				return -EBADF;
			insns[i].imm = kmap_fds[insns[i].imm];
		}
	}
	*verified = 0;
	if (passes > 1 || log_level) {
		fd = kernel_load_one(insns, len, BPFDEV_LOG_STATS, sizeof(klog));
		if (fd >= 0)
			close(fd);
		*verified = log_processed(klog);
	} else {
		log_level = BPFDEV_LOG_STATS;
		log_size = sizeof(klog);
	}
	*best = ~0ULL;
	for (pass = 0; pass < passes; pass++) {
		u64 t = now_ns();

		for (r = 0; r < nr; r++) {
			fd = kernel_load_one(insns, len, log_level, log_size);
			if (fd < 0)
				err = -errno;
			else
				close(fd);
		}
		t = (now_ns() - t) / nr;
		if (t < *best)
			*best = t;
	}
	if (!*verified)
		*verified = log_processed(klog);
	return err;
}

/* ---- bpfdev ---- */

/* The module's sink, with memcpy for copy_to_user: one call per flush. */
static char blog[1 << 18];
static u64 sink_calls;

static int bench_log_sink(struct bpfdev_log *log, u32 pos, const char *text, u32 n)
{
	memcpy(blog + pos, text, n);
	blog[pos + n] = 0;
	sink_calls++;
	return 0;
}

static int bpfdev_load(const struct bpf_insn *insns, u32 len, bool internal, u32 log_level,
		       u32 log_size, u32 passes, u32 nr, u64 *best, u32 *processed)
{
	static char line[BPFDEV_LOG_LINE];
	u32 pass, r;
	int err = 0;

	*best = ~0ULL;
	for (pass = 0; pass < passes; pass++) {
		u64 t = now_ns();

		for (r = 0; r < nr; r++) {
			struct bpfdev_log log = {
				.level = log_level, .buf = line, .size = log_size,
				.sink = bench_log_sink,
			};
			struct bpfdev_verifier_env env = {
				.insns = insns, .len = len,
				.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
				.privileged = true, .internal = internal,
				.map_resolve = vt_map_resolve,
				.log = log_level ? &log : NULL,
			};

			err = bpfdev_verify(&env);
			*processed = env.verified_insns;
			bpfdev_verifier_env_release(&env);
		}
		t = (now_ns() - t) / nr;
		if (t < *best)
			*best = t;
	}
	return err;
}

static void log_row(const char *name, const struct bpf_insn *insns, u32 len, bool internal,
		    u32 log_level, u32 log_size, u32 passes, u32 nr)
{
	u64 bt = 0, kt = 0;
	u32 bp = 0, kv = 0;
	int berr, kerr;
	char bcol[48], kcol[48];

	berr = bpfdev_load(insns, len, internal, log_level, log_size, passes, nr, &bt, &bp);
	kerr = kernel_load(insns, len, log_level, log_size, passes, nr, &kt, &kv);
	if (berr && !bp)
		snprintf(bcol, sizeof(bcol), "rejected (%s)", strerror(-berr));
	else
		snprintf(bcol, sizeof(bcol), "%9.1f %8u%s", bt / 1000.0, bp,
			 berr ? "*" : "");
	if (kerr && !kv)
		snprintf(kcol, sizeof(kcol), "rejected (%s)", strerror(-kerr));
	else
		snprintf(kcol, sizeof(kcol), "%9.1f %8u%s", kt / 1000.0, kv,
			 kerr ? "*" : "");
	printf("%-44.44s %5u  %-19s  %-19s", name, len, bcol, kcol);
	if (berr || kerr)
		printf("  * %s / %s", berr ? strerror(-berr) : "ok", kerr ? strerror(-kerr) : "ok");
	printf("\n");
}

static void row(const char *name, const struct bpf_insn *insns, u32 len, bool internal)
{
	log_row(name, insns, len, internal, 0, 0, 5, rounds);
}

/* One load each: the kernel takes minutes over some of these. */
static void cost_rows(void)
{
	static struct bpf_insn insns[MAX_PROG];
	u32 i;
	int n;

	vt_maps_reset();
	kernel_maps();
	for (i = 0; i < ARRAY_SIZE(vc_progs); i++) {
		const struct vc_prog *p = &vc_progs[i];

		n = vc_parse(p, VT_MAP_ARRAY_1, insns, ARRAY_SIZE(insns));
		if (n < 0) {
			printf("%-44.44s bad program text\n", p->name);
			continue;
		}
		sink_calls = 0;
		log_row(p->name, insns, n, false, p->log_level, p->log_size, 1, 1);
		if (p->log_level)
			printf("%-44s        bpfdev log: %llu sink calls\n", "",
			       (unsigned long long)sink_calls);
	}
}

static void classic_rows(void)
{
	static struct bpf_insn out[8192];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(exprs); i++) {
		struct pcap_bpf_program fp;
		u32 stack;
		int n;

		pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);

		if (!dead || pcap_compile(dead, &fp, exprs[i], 1, PCAP_NETMASK_UNKNOWN)) {
			printf("%-44.44s pcap_compile failed\n", exprs[i]);
			if (dead)
				pcap_close(dead);
			continue;
		}
		pcap_close(dead);
		n = bpfdev_cbpf_convert((const struct sock_filter *)fp.bf_insns, fp.bf_len,
					out, ARRAY_SIZE(out), &stack);
		pcap_freecode(&fp);
		if (n <= 0) {
			printf("%-44.44s conversion failed (%d)\n", exprs[i], n);
			continue;
		}
		row(exprs[i], out, n, true);
	}
}

static void object_row(void *priv, const char *name, const struct bpf_insn *insns, u32 len)
{
	char label[96];

	snprintf(label, sizeof(label), "%s:%s", (const char *)priv, name);
	row(label, insns, len, false);
}

static void object_rows(const char *path)
{
	struct elf_obj o;
	char base[256], *b;

	if (elf_open(&o, path)) {
		printf("%s: cannot open\n", path);
		return;
	}
	snprintf(base, sizeof(base), "%s", path);
	b = basename(base);
	vt_maps_reset();
	o.map_base = VT_NR_MAPS;
	elf_maps(&o);
	kernel_maps();
	elf_for_each_prog(&o, object_row, b);
	elf_close(&o);
}

int main(int argc, char **argv)
{
	static const char *const objs[] = {
		"parser", "counters", "loop", "ringbuf_calls",
	};
	char self[512], path[600], *dir;
	struct utsname u;
	int i, first = 1;
	u32 k;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		rounds = strtoul(argv[2], NULL, 0);
		first = 3;
	}
	uname(&u);
	/* the kernel's counts are its version's: 6.1's differ from later ones' */
	printf("bench_verifier: best of 5 x %u verifications (the issue 21 rows: one); "
	       "time in usec per load; kernel %s\n", rounds, u.release);
	printf("%-44s %5s  %-19s  %-19s\n", "program", "insns", "bpfdev usec  insns",
	       "kernel usec  insns");
	cost_rows();
	vt_maps_reset();
	classic_rows();
	if (argc > first) {
		for (i = first; i < argc; i++)
			object_rows(argv[i]);
		return 0;
	}
	snprintf(self, sizeof(self), "%s", argv[0]);
	dir = dirname(self);
	for (k = 0; k < ARRAY_SIZE(objs); k++) {
		snprintf(path, sizeof(path), "%s/../unit/progs/%s.bpf.o", dir, objs[k]);
		object_rows(path);
	}
	return 0;
}
