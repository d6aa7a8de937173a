// SPDX-License-Identifier: GPL-2.0
/*
 * map_diff: the map commands of /dev/bpf against the guest kernel's own
 * bpf(2), which bpfdev promises to answer as.
 *
 * Runs inside the guest as root.  Each round creates the same map (random
 * type, sizes and flags, BPF_F_ZERO_SEED on hashes so that iteration order
 * is deterministic) on both sides, then runs the same random sequence of
 * element, batch, iteration and freeze commands on both, with valid and
 * invalid attrs (flags, NULL and unmapped pointers, short attr sizes,
 * nonzero tails).  Each step compares the return value, errno, and every
 * byte either side wrote back (values, keys, batch tokens, counts).
 *
 * Disagreements are printed once per distinct cause (command, both
 * results) with a count and the first step that showed it; the exit status
 * is the number of distinct causes (0: the two agree).
 *
 * usage: map_diff [-n STEPS] [-s SEED] [-v]
 */

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>

#include "../common/bpf_sides.h"

#define MAX_CPUS	64
#define BUF		8192
#define MAX_CAUSES	256

struct side {
	int dev;		/* -1: the kernel's bpf(2) */
	int map;
	uint8_t *buf;		/* BUF bytes, a guard page after */
};

struct cause {
	char key[160];
	unsigned long count;
	unsigned long first_step;
};

static struct side base[2];	/* the kernel, then /dev/bpf */
static struct cause causes[MAX_CAUSES];
static unsigned int ncauses;
static int verbose;
static unsigned int ncpus;

static uint64_t rs;

static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static long call(struct side *s, int cmd, union bpf_attr *attr, uint32_t size)
{
	return bpf_side_call(s->dev, cmd, attr, size);
}

static const char *cmd_name(int cmd)
{
	static const char *const names[] = {
		[BPF_MAP_CREATE] = "MAP_CREATE",
		[BPF_MAP_LOOKUP_ELEM] = "LOOKUP_ELEM",
		[BPF_MAP_UPDATE_ELEM] = "UPDATE_ELEM",
		[BPF_MAP_DELETE_ELEM] = "DELETE_ELEM",
		[BPF_MAP_GET_NEXT_KEY] = "GET_NEXT_KEY",
		[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = "LOOKUP_AND_DELETE_ELEM",
		[BPF_MAP_FREEZE] = "FREEZE",
		[BPF_MAP_LOOKUP_BATCH] = "LOOKUP_BATCH",
		[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = "LOOKUP_AND_DELETE_BATCH",
		[BPF_MAP_UPDATE_BATCH] = "UPDATE_BATCH",
		[BPF_MAP_DELETE_BATCH] = "DELETE_BATCH",
	};

	return cmd < (int)(sizeof(names) / sizeof(names[0])) && names[cmd] ? names[cmd] : "?";
}

static void disagree(unsigned long step, const char *what, const char *detail)
{
	unsigned int i;

	for (i = 0; i < ncauses; i++)
		if (!strcmp(causes[i].key, what))
			break;
	if (i == ncauses) {
		if (ncauses == MAX_CAUSES)
			return;
		snprintf(causes[ncauses].key, sizeof(causes[0].key), "%s", what);
		causes[ncauses].first_step = step;
		ncauses++;
		printf("# step %lu: %s%s%s\n", step, what, detail ? ": " : "", detail ? detail : "");
	}
	causes[i].count++;
	if (verbose)
		printf("#   step %lu: %s\n", step, detail ? detail : what);
}

struct map_shape {
	uint32_t type, key_size, value_size, max_entries, flags;
	const char *name;
};

static void rnd_shape(struct map_shape *m)
{
	static const struct { uint32_t type; const char *name; } types[] = {
		{ BPF_MAP_TYPE_HASH, "hash" },
		{ BPF_MAP_TYPE_ARRAY, "array" },
		{ BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash" },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array" },
		{ BPF_MAP_TYPE_LPM_TRIE, "lpm_trie" },
		{ BPF_MAP_TYPE_RINGBUF, "ringbuf" },
		{ BPF_MAP_TYPE_LRU_HASH, "lru_hash" },
		{ BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash" },
	};
	uint32_t t = below(sizeof(types) / sizeof(types[0]));

	m->type = types[t].type;
	m->name = types[t].name;
	m->key_size = (uint32_t[]){ 4, 4, 8, 1, 2, 3, 5, 16 }[below(8)];
	m->value_size = 1 + below(24);
	m->max_entries = 1 + below(12);
	m->flags = 0;
	switch (m->type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
		m->flags = BPF_F_ZERO_SEED | (below(2) ? BPF_F_NO_PREALLOC : 0);
		break;
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		m->flags = BPF_F_ZERO_SEED | (below(2) ? BPF_F_NO_COMMON_LRU : 0);
		break;
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		m->key_size = 4;
		break;
	case BPF_MAP_TYPE_LPM_TRIE:
		m->key_size = 4 + (uint32_t[]){ 1, 2, 4, 8 }[below(4)];
		m->flags = BPF_F_NO_PREALLOC;
		break;
	case BPF_MAP_TYPE_RINGBUF:
		m->key_size = m->value_size = 0;
		m->max_entries = 4096;
		break;
	}
	/* BPF_F_MMAPABLE is a documented refusal (uapi/linux/bpfdev.h). */
	if (!below(16))
		m->flags |= (1U << below(16)) & ~BPF_F_MMAPABLE;
	if (!below(32))
		m->flags |= BPF_F_RDONLY << below(2);
}

static uint32_t value_bytes(const struct map_shape *m)
{
	if (m->type == BPF_MAP_TYPE_PERCPU_HASH || m->type == BPF_MAP_TYPE_PERCPU_ARRAY)
		return ((m->value_size + 7) & ~7U) * ncpus;
	return m->value_size;
}

/*
 * Fills key at p: a small domain so that commands hit existing keys; LPM
 * keys are a prefix length and bytes.
 */
static void rnd_key(const struct map_shape *m, uint8_t *p)
{
	memset(p, 0, m->key_size);
	if (m->type == BPF_MAP_TYPE_LPM_TRIE) {
		uint32_t bits = (m->key_size - 4) * 8;

		*(uint32_t *)p = below(3) ? below(bits + 1) : below(bits + 8);
		p[4] = below(4) << 6;
		return;
	}
	if (m->key_size >= 1)
		p[0] = below(m->max_entries + 3);
	if (m->key_size >= 2 && !below(8))
		p[1] = below(2);
}

/* Per-step attr for both sides, with pointers relative to each side's buf. */
struct step {
	int cmd;
	uint32_t size;
	uint64_t flags, elem_flags;
	int key_ptr, value_ptr, next_ptr, in_ptr, out_ptr, keys_ptr, values_ptr;
	uint32_t count;
	uint8_t tail;
};

enum { P_NULL, P_BUF, P_BAD };

static uint64_t ptr(struct side *s, int kind, uint32_t off)
{
	if (kind == P_NULL)
		return 0;
	if (kind == P_BAD)
		return 0x10;
	return (uintptr_t)s->buf + off;
}

static int rnd_ptr_kind(void)
{
	uint32_t k = below(32);

	return k == 0 ? P_NULL : k == 1 ? P_BAD : P_BUF;
}

/* Buffer layout (offsets into buf). */
#define O_KEY		0
#define O_VALUE		256
#define O_NEXT		1024
#define O_IN		1280
#define O_OUT		1536
#define O_KEYS		2048
#define O_VALUES	4096
#define O_ATTR		(BUF - 256)

static long run_step(struct side *s, const struct map_shape *m, const struct step *st)
{
	union bpf_attr *a = (void *)(s->buf + O_ATTR);

	memset(a, 0, 256);
	if (st->cmd >= BPF_MAP_LOOKUP_BATCH && st->cmd <= BPF_MAP_DELETE_BATCH) {
		a->batch.map_fd = s->map;
		a->batch.in_batch = ptr(s, st->in_ptr, O_IN);
		a->batch.out_batch = ptr(s, st->out_ptr, O_OUT);
		a->batch.keys = ptr(s, st->keys_ptr, O_KEYS);
		a->batch.values = ptr(s, st->values_ptr, O_VALUES);
		a->batch.count = st->count;
		a->batch.elem_flags = st->elem_flags;
		a->batch.flags = st->flags;
	} else {
		a->map_fd = s->map;
		a->key = ptr(s, st->key_ptr, O_KEY);
		if (st->cmd == BPF_MAP_GET_NEXT_KEY)
			a->next_key = ptr(s, st->next_ptr, O_NEXT);
		else
			a->value = ptr(s, st->value_ptr, O_VALUE);
		a->flags = st->flags;
	}
	if (st->tail)
		((uint8_t *)a)[st->size - 1] = st->tail;
	return call(s, st->cmd, a, st->size);
}

static void rnd_step(const struct map_shape *m, struct step *st, uint8_t *kbuf, uint8_t *vbuf,
		     uint32_t vbytes)
{
	static const int cmds[] = {
		BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_UPDATE_ELEM,
		BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY,
		BPF_MAP_LOOKUP_AND_DELETE_ELEM, BPF_MAP_LOOKUP_BATCH,
		BPF_MAP_LOOKUP_AND_DELETE_BATCH, BPF_MAP_UPDATE_BATCH,
		BPF_MAP_DELETE_BATCH, BPF_MAP_FREEZE,
	};
	uint32_t i, n;

	memset(st, 0, sizeof(*st));
	st->cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
	if (st->cmd == BPF_MAP_FREEZE && below(8))
		st->cmd = BPF_MAP_LOOKUP_ELEM;
	st->size = sizeof(union bpf_attr);
	if (!below(16))
		st->size = 4 + 4 * below(12);
	if (!below(32)) {
		st->size = 256;
		st->tail = 1 + below(255);
	}
	st->key_ptr = rnd_ptr_kind();
	st->value_ptr = rnd_ptr_kind();
	st->next_ptr = rnd_ptr_kind();
	st->in_ptr = below(3) ? P_NULL : rnd_ptr_kind();
	st->out_ptr = rnd_ptr_kind();
	st->keys_ptr = rnd_ptr_kind();
	st->values_ptr = rnd_ptr_kind();
	st->count = below(8) ? below(m->max_entries + 2) : below(1000);
	switch (st->cmd) {
	case BPF_MAP_UPDATE_ELEM:
		st->flags = below(4) ? below(3) : below(8);
		break;
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_LOOKUP_AND_DELETE_ELEM:
		st->flags = below(8) ? 0 : (below(2) ? BPF_F_LOCK : below(8));
		break;
	default:
		st->flags = below(8) ? 0 : below(4);
		st->elem_flags = below(8) ? 0 : (below(2) ? BPF_F_LOCK : below(4));
		break;
	}
	rnd_key(m, kbuf + O_KEY);
	for (i = 0; i < vbytes; i++)
		vbuf[O_VALUE + i] = rnd();
	n = st->count < 64 ? st->count : 64;
	for (i = 0; i < n; i++)
		rnd_key(m, kbuf + O_KEYS + i * m->key_size);
	for (i = 0; i < n * vbytes && O_VALUES + i < BUF - 256; i++)
		vbuf[O_VALUES + i] = rnd();
}

static void compare_bufs(unsigned long step, const char *cmd, struct side *k, struct side *d,
			 uint32_t off, uint32_t len, const char *what)
{
	char key[160], detail[160];
	uint32_t i;

	for (i = 0; i < len; i++)
		if (k->buf[off + i] != d->buf[off + i])
			break;
	if (i == len)
		return;
	snprintf(key, sizeof(key), "%s: %s differ", cmd, what);
	snprintf(detail, sizeof(detail), "byte %u: kernel %02x bpfdev %02x", i,
		 k->buf[off + i], d->buf[off + i]);
	disagree(step, key, detail);
}

static int is_lru(const struct map_shape *m)
{
	return m->type == BPF_MAP_TYPE_LRU_HASH || m->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/*
 * OBJ_GET_INFO_BY_FD on both maps with an info_len of each kind (whole,
 * a prefix, over a page, past the struct with a zero or a non-zero
 * tail): the same answer, info_len and fields, the ids aside.
 */
static void info_step(unsigned long *step, const struct map_shape *m, struct side *sides)
{
	static const uint32_t lens[] = { sizeof(struct bpf_map_info), 8, 24, 8192, 4097,
					 sizeof(struct bpf_map_info) + 8 };
	static uint8_t ibuf[2][8192];
	uint32_t len = lens[below(sizeof(lens) / sizeof(lens[0]))], got[2];
	int tail = len > sizeof(struct bpf_map_info) && len <= 4096 && !below(2);
	struct bpf_map_info *info;
	union bpf_attr *a;
	char key[160];
	long r[2];
	int j;

	for (j = 0; j < 2; j++) {
		memset(ibuf[j], 0, sizeof(ibuf[j]));
		if (tail)
			ibuf[j][len - 1] = 1;
		a = (void *)(sides[j].buf + O_ATTR);
		memset(a, 0, 256);
		a->info.bpf_fd = sides[j].map;
		a->info.info_len = len;
		a->info.info = (uintptr_t)ibuf[j];
		r[j] = call(&sides[j], BPF_OBJ_GET_INFO_BY_FD, a, sizeof(*a));
		got[j] = a->info.info_len;
		info = (void *)ibuf[j];
		info->id = 0;
	}
	(*step)++;
	snprintf(key, sizeof(key), "OBJ_GET_INFO_BY_FD on %s%s info_len %u%s: kernel %ld bpfdev %ld",
		 m->name, m->flags & BPF_F_NO_COMMON_LRU ? " (no common lru)" : "", len,
		 tail ? " tail" : "", r[0], r[1]);
	if (r[0] != r[1] || got[0] != got[1] || memcmp(ibuf[0], ibuf[1], sizeof(ibuf[0])))
		disagree(*step, key, NULL);
}

static void one_round(unsigned long *step, unsigned int steps)
{
	struct side sides[2];
	struct map_shape m;
	union bpf_attr a;
	long rk, rd;
	uint32_t vbytes;
	unsigned int i;
	char key[160];

	rnd_shape(&m);
	vbytes = value_bytes(&m);
	memcpy(sides, base, sizeof(sides));
	memset(&a, 0, sizeof(a));
	a.map_type = m.type;
	a.key_size = m.key_size;
	a.value_size = m.value_size;
	a.max_entries = m.max_entries;
	a.map_flags = m.flags;
	rk = call(&sides[0], BPF_MAP_CREATE, &a, sizeof(a));
	rd = call(&sides[1], BPF_MAP_CREATE, &a, sizeof(a));
	(*step)++;
	if ((rk < 0) != (rd < 0) || (rk < 0 && rk != rd)) {
		snprintf(key, sizeof(key), "MAP_CREATE %s k%u v%u n%u flags %#x: kernel %ld bpfdev %ld",
			 m.name, m.key_size, m.value_size, m.max_entries, m.flags,
			 rk < 0 ? rk : 0, rd < 0 ? rd : 0);
		disagree(*step, key, NULL);
	}
	if (rk < 0 || rd < 0) {
		if (rk >= 0)
			close(rk);
		if (rd >= 0)
			close(rd);
		return;
	}
	sides[0].map = rk;
	sides[1].map = rd;
	info_step(step, &m, sides);
	/* Which element an LRU map evicts is the implementation's choice. */
	if (is_lru(&m))
		steps = 0;
	for (i = 0; i < steps; i++) {
		struct step st;
		const char *cn;

		rnd_step(&m, &st, sides[0].buf, sides[0].buf, vbytes);
		memcpy(sides[1].buf, sides[0].buf, BUF - 256);
		rk = run_step(&sides[0], &m, &st);
		rd = run_step(&sides[1], &m, &st);
		(*step)++;
		cn = cmd_name(st.cmd);
		if (verbose)
			printf("#   step %lu: %s on %s size %u count %u flags %#llx elem_flags %#llx ptrs key %d value %d in %d out %d keys %d values %d: kernel %ld bpfdev %ld\n",
			       *step, cn, m.name, st.size, st.count,
			       (unsigned long long)st.flags,
			       (unsigned long long)st.elem_flags, st.key_ptr,
			       st.value_ptr, st.in_ptr, st.out_ptr, st.keys_ptr,
			       st.values_ptr, rk, rd);
		if (rk != rd) {
			snprintf(key, sizeof(key), "%s on %s%s%s: kernel %ld bpfdev %ld", cn, m.name,
				 st.flags ? " flags" : "", st.elem_flags ? " elem_flags" : "",
				 rk, rd);
			disagree(*step, key, NULL);
			/*
			 * The two maps may differ from here on: end the round
			 * rather than report the same cause again as others.
			 */
			if (st.cmd != BPF_MAP_LOOKUP_ELEM && st.cmd != BPF_MAP_GET_NEXT_KEY &&
			    st.cmd != BPF_MAP_LOOKUP_BATCH)
				break;
			continue;
		}
		/* Same answer: compare everything written back. */
		compare_bufs(*step, cn, &sides[0], &sides[1], O_VALUE, vbytes, "values");
		compare_bufs(*step, cn, &sides[0], &sides[1], O_NEXT, m.key_size, "next keys");
		compare_bufs(*step, cn, &sides[0], &sides[1], O_OUT, 8, "out_batch");
		compare_bufs(*step, cn, &sides[0], &sides[1], O_KEYS, 64 * m.key_size, "batch keys");
		compare_bufs(*step, cn, &sides[0], &sides[1], O_VALUES, BUF - 256 - O_VALUES,
			     "batch values");
		/* The one field written back into the attr: batch.count. */
		compare_bufs(*step, cn, &sides[0], &sides[1],
			     O_ATTR + offsetof(union bpf_attr, batch.count), 4, "batch count");
	}
	close(sides[0].map);
	close(sides[1].map);
}

static uint8_t *guarded_buf(void)
{
	uint8_t *p = mmap(NULL, BUF + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + BUF, 4096, PROT_NONE))
		return NULL;
	return p;
}

int main(int argc, char **argv)
{
	unsigned long step = 0, target = 50000;
	uint64_t seed = time(NULL);
	unsigned int i;
	int c;

	while ((c = getopt(argc, argv, "n:s:v")) != -1) {
		switch (c) {
		case 'n':
			target = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: map_diff [-n STEPS] [-s SEED] [-v]\n");
			return 255;
		}
	}
	rs = seed;
	ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	base[0].dev = -1;
	base[1].dev = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	base[0].buf = guarded_buf();
	base[1].buf = guarded_buf();
	if (base[1].dev < 0 || !base[0].buf || !base[1].buf) {
		perror("map_diff: /dev/bpf");
		return 255;
	}
	printf("# map_diff: seed %llu, %lu steps, %u CPUs\n", (unsigned long long)seed, target,
	       ncpus);
	while (step < target)
		one_round(&step, 20 + below(60));
	printf("# %lu steps, %u distinct disagreements\n", step, ncauses);
	for (i = 0; i < ncauses; i++)
		printf("# %6lu x %s (first at step %lu)\n", causes[i].count, causes[i].key,
		       causes[i].first_step);
	return ncauses > 254 ? 254 : ncauses;
}
