// SPDX-License-Identifier: GPL-2.0
/*
 * bench_maps: map operations per second from a program, bpfdev's maps
 * against the running kernel's own, in one run.  Runs in the QEMU guest
 * (make bench-maps), where bpf() is Debian's 6.1 kernel.
 *
 * For each map type (ARRAY, HASH, LRU_HASH, LPM_TRIE, 1024 entries, all
 * present) and operation (lookup, update), one program makes 32 calls on
 * 32 different keys; PROG_TEST_RUN runs it `repeat` times through
 * /dev/bpf and through bpf(2).  The cost of one call is the mean run time
 * minus that of an empty program, over 32, each the fastest of 5 rounds
 * taken in turn on both sides.  Under TCG absolute numbers mean little:
 * compare the columns of one run.
 *
 * usage: bench_maps [repeat]   (default 10000)
 */

#include <stddef.h>
#include <arpa/inet.h>
#include <sys/syscall.h>

#include "objs.h"

#define ENTRIES	1024
#define CALLS	32
#define ROUNDS	5

struct side {
	const char *name;
	long (*call)(unsigned int cmd, union bpf_attr *a);
};

static long kernel_call(unsigned int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

static const struct side sides[2] = {
	{ "bpfdev", sys },
	{ "kernel", kernel_call },
};

struct mtype {
	__u32 type;
	const char *name;
	int lpm;
};

static const struct mtype mtypes[] = {
	{ BPF_MAP_TYPE_ARRAY, "array", 0 },
	{ BPF_MAP_TYPE_HASH, "hash", 0 },
	{ BPF_MAP_TYPE_LRU_HASH, "lru_hash", 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, "lpm_trie", 1 },
};

static void key_of(const struct mtype *m, __u32 i, void *buf)
{
	if (m->lpm) {
		__u32 *k = buf;

		k[0] = 32;
		k[1] = htonl(0x0a000000 | i);	/* 10.0.x.y/32 */
	} else {
		*(__u32 *)buf = i;
	}
}

static long make_map(const struct side *s, const struct mtype *m)
{
	union bpf_attr a;
	__u64 v = 1;
	__u32 key[2], i;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = m->type;
	a.key_size = m->lpm ? 8 : 4;
	a.value_size = 8;
	a.max_entries = ENTRIES;
	a.map_flags = m->lpm ? BPF_F_NO_PREALLOC : 0;
	fd = s->call(BPF_MAP_CREATE, &a);
	if (fd < 0)
		return fd;
	for (i = 0; i < ENTRIES; i++) {
		key_of(m, i, key);
		memset(&a, 0, sizeof(a));
		a.map_fd = fd;
		a.key = (uintptr_t)key;
		a.value = (uintptr_t)&v;
		if (s->call(BPF_MAP_UPDATE_ELEM, &a) < 0) {
			close(fd);
			return -EIO;
		}
	}
	return fd;
}

/* CALLS lookups or updates of keys spread over the map; map_fd < 0: empty. */
static long make_prog(const struct side *s, const struct mtype *m, int map_fd,
		      int update)
{
	struct bpf_insn p[CALLS * 12 + 8];
	union bpf_attr a;
	int n = 0, i;

	p[n++] = ST_MEM(BPF_DW, 10, -16, 7);
	for (i = 0; map_fd >= 0 && i < CALLS; i++) {
		__u32 k = (i * 37) % ENTRIES, key[2];

		key_of(m, k, key);
		p[n++] = ST_MEM(BPF_W, 10, -8, key[0]);
		if (m->lpm)
			p[n++] = ST_MEM(BPF_W, 10, -4, key[1]);
		p[n++] = I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map_fd);
		p[n++] = I(0, 0, 0, 0, 0);
		p[n++] = MOV64_REG(2, 10);
		p[n++] = ALU64_IMM(BPF_ADD, 2, -8);
		if (update) {
			p[n++] = MOV64_REG(3, 10);
			p[n++] = ALU64_IMM(BPF_ADD, 3, -16);
			p[n++] = MOV64_IMM(4, BPF_ANY);
			p[n++] = CALL(BPF_FUNC_map_update_elem);
		} else {
			p[n++] = CALL(BPF_FUNC_map_lookup_elem);
		}
	}
	p[n++] = MOV64_IMM(0, 0);
	p[n++] = EXIT();

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)p;
	a.insn_cnt = n;
	a.license = (uintptr_t)"GPL";
	return s->call(BPF_PROG_LOAD, &a);
}

/* Mean ns of one run over `repeat`; < 0 on error. */
static double run_ns(const struct side *s, int prog_fd, __u32 repeat)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = prog_fd;
	a.test.data_in = (uintptr_t)test_pkt;
	a.test.data_size_in = sizeof(test_pkt);
	a.test.repeat = repeat;
	if (s->call(BPF_PROG_TEST_RUN, &a) < 0)
		return -1;
	return a.test.duration;
}

struct setup {
	long map, prog, empty;
	double best, best0;	/* fastest run of prog and of the empty one */
};

static int setup(const struct side *s, const struct mtype *m, int update,
		 struct setup *st)
{
	st->best = st->best0 = -1;
	st->prog = st->empty = -1;
	st->map = make_map(s, m);
	if (st->map < 0)
		return st->map;
	st->prog = make_prog(s, m, st->map, update);
	st->empty = make_prog(s, m, -1, update);
	if (st->prog < 0)
		return st->prog;
	return st->empty < 0 ? st->empty : 0;
}

static void sample(const struct side *s, struct setup *st, __u32 repeat)
{
	double t = run_ns(s, st->prog, repeat), t0 = run_ns(s, st->empty, repeat);

	if (t >= 0 && (st->best < 0 || t < st->best))
		st->best = t;
	if (t0 >= 0 && (st->best0 < 0 || t0 < st->best0))
		st->best0 = t0;
}

static double result(int err, const struct setup *st)
{
	double r;

	if (err)
		return err;
	if (st->best < 0 || st->best0 < 0)
		return -EIO;
	r = (st->best - st->best0) / CALLS;
	return r < 0.01 ? 0.01 : r;
}

static void teardown(struct setup *st)
{
	if (st->prog >= 0)
		close(st->prog);
	if (st->empty >= 0)
		close(st->empty);
	if (st->map >= 0)
		close(st->map);
}

static void cell(double ns)
{
	if (ns < 0)
		printf(" %11s %8s", strerror((int)-ns), "");
	else
		printf(" %11.1f %8.2f", ns, 1000.0 / ns);
}

int main(int argc, char **argv)
{
	__u32 repeat = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	size_t i;
	int update;

	objs_init();
	printf("bench_maps: %u entries, %d calls per run, repeat %u, ns per call (Mops/s)\n",
	       ENTRIES, CALLS, repeat);
	printf("%-9s %-6s %11s %8s %11s %8s %7s\n", "map", "op", "bpfdev ns", "Mops/s",
	       "kernel ns", "Mops/s", "ratio");
	for (i = 0; i < sizeof(mtypes) / sizeof(mtypes[0]); i++) {
		for (update = 0; update <= 1; update++) {
			struct setup st[2];
			int err[2], j, round;
			double d, k;

			/* Both sides in turn, best of ROUNDS: the host is shared. */
			for (j = 0; j < 2; j++)
				err[j] = setup(&sides[j], &mtypes[i], update, &st[j]);
			for (round = 0; round < ROUNDS; round++)
				for (j = 0; j < 2; j++)
					if (!err[j])
						sample(&sides[j], &st[j], repeat);
			d = result(err[0], &st[0]);
			k = result(err[1], &st[1]);
			teardown(&st[0]);
			teardown(&st[1]);

			printf("%-9s %-6s", mtypes[i].name, update ? "update" : "lookup");
			cell(d);
			cell(k);
			if (d > 0 && k > 0)
				printf(" %7.2f", k / d);
			printf("\n");
		}
	}
	printf("ratio: kernel ns / bpfdev ns (above 1: bpfdev is faster)\n");
	close(devfd);
	return 0;
}
