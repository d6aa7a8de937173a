// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency stress: on each map type, 4 threads update, look up, delete
 * and iterate the same small key range while a fifth runs a program that
 * updates, looks up and deletes random keys of the same map through
 * PROG_TEST_RUN.  Every result must be one the kernel's bpf() could give
 * (0, ENOENT, EEXIST, E2BIG or ENOSPC for a full map, EINVAL for deleting
 * from an array), values must be ones some writer wrote, and the guest's
 * dmesg must stay clean (the harness checks it).
 *
 * Time: BPFDEV_STRESS_SECS per map type (default 10 s, as the issue asks;
 * under TCG each second is already ~10^5 operations).
 */

#include <pthread.h>
#include <stdatomic.h>
#include <sys/sysinfo.h>

#include "objs.h"

#define RANGE		64	/* keys 0..63 */
#define MAX_ENTRIES	48	/* hash maps fill up */
#define MUL		0x10001ULL

struct type {
	__u32		type;
	const char	*name;
	int		percpu, lpm, array;
};

static const struct type types[] = {
	{ BPF_MAP_TYPE_ARRAY, "array", 0, 0, 1 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, "percpu array", 1, 0, 1 },
	{ BPF_MAP_TYPE_HASH, "hash", 0, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_HASH, "percpu hash", 1, 0, 0 },
	{ BPF_MAP_TYPE_LRU_HASH, "lru hash", 0, 0, 0 },
	{ BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru percpu hash", 1, 0, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, "lpm trie", 0, 1, 0 },
};

struct lpm_key {
	__u32 prefixlen;
	__u32 data;
};

static const struct type *cur;
static int map_fd, ncpus;
static atomic_int stop;
static atomic_long ops, bad, bad_value, prog_runs;
static atomic_int first_err;

static void make_key(void *buf, __u32 k)
{
	if (cur->lpm) {
		struct lpm_key *lk = buf;

		lk->prefixlen = 32;
		lk->data = k;
	} else {
		*(__u32 *)buf = k;
	}
}

static int allowed(long r, int op)
{
	if (r == 0 || r == -ENOENT || r == -EEXIST)
		return 1;
	if ((r == -E2BIG || r == -ENOSPC) && op <= 3)
		return 1;	/* a full map */
	if (r == -EINVAL && op == 6 && cur->array)
		return 1;	/* arrays have no delete */
	return 0;
}

static void check_value(const __u64 *v)
{
	int i, n = cur->percpu ? ncpus : 1;

	for (i = 0; i < n; i++)
		if (v[i] % MUL || v[i] / MUL >= RANGE)
			atomic_fetch_add(&bad_value, 1);
}

static void *worker(void *arg)
{
	unsigned int seed = (unsigned long)arg * 7919 + 1;
	__u64 v[256], got[256];
	unsigned char key[8], next[8], bkeys[16 * 8];
	static __thread __u64 bvals[16 * 256];
	long r;

	while (!atomic_load(&stop)) {
		int op = rand_r(&seed) % 8, i, n = 0;
		__u32 k = rand_r(&seed) % RANGE;

		make_key(key, k);
		for (i = 0; i < (cur->percpu ? ncpus : 1); i++)
			v[i] = k * MUL;
		switch (op) {
		case 0: case 1:
			r = map_update(map_fd, key, v, BPF_ANY);
			break;
		case 2:
			r = map_update(map_fd, key, v, BPF_NOEXIST);
			break;
		case 3:
			r = map_update(map_fd, key, v, BPF_EXIST);
			break;
		case 4: case 5:
			r = map_lookup(map_fd, key, got);
			if (!r)
				check_value(got);
			break;
		case 6:
			r = map_delete(map_fd, key);
			break;
		default:
			if (!cur->array && !cur->lpm && (k & 1)) {
				r = map_lookup_and_delete(map_fd, key, got);
				if (!r)
					check_value(got);
				break;
			}
			if (!cur->array && !cur->lpm && (k & 2)) {
				/* Bucket-token batches across the whole map. */
				__u32 tok = 0, cnt;
				void *in = NULL;

				do {
					cnt = 16;
					r = map_batch(BPF_MAP_LOOKUP_BATCH, map_fd, in, &tok,
						      bkeys, bvals, &cnt, 0);
					in = &tok;
				} while (r == 0 && ++n < 100);
				if (r == -ENOENT || r == -ENOSPC)
					r = 0;
				break;
			}
			/* A bounded walk: keys come and go under it. */
			r = map_next_key(map_fd, NULL, next);
			for (; r == 0 && n < 2 * RANGE; n++) {
				memcpy(key, next, sizeof(key));
				r = map_next_key(map_fd, key, next);
			}
			break;
		}
		atomic_fetch_add(&ops, 1);
		if (!allowed(r, op)) {
			atomic_fetch_add(&bad, 1);
			atomic_compare_exchange_strong(&first_err, &(int){ 0 }, (int)r);
		}
	}
	return NULL;
}

/* update(key, key * MUL); lookup(key); delete(key) for a random key. */
static long load_prog(void)
{
	int ko = cur->lpm ? -8 : -4;
	struct bpf_insn p[] = {
		ST_MEM(BPF_W, 10, -8, 32),	/* LPM prefixlen (else overwritten or unused) */
		CALL(BPF_FUNC_get_prandom_u32),
		ALU64_IMM(BPF_AND, 0, RANGE - 1),
		STX_MEM(BPF_W, 10, 0, -4),
		MOV64_REG(1, 0),
		ALU64_IMM(BPF_MUL, 1, (int)MUL),
		STX_MEM(BPF_DW, 10, 1, -16),
		LD_MAP_FD(1, map_fd),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, ko),
		MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16),
		MOV64_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		LD_MAP_FD(1, map_fd),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, ko),
		CALL(BPF_FUNC_map_lookup_elem),
		LD_MAP_FD(1, map_fd),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, ko),
		CALL(BPF_FUNC_map_delete_elem),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	return prog_load(p, NINSNS(p));
}

static void *prog_thread(void *arg)
{
	long fd = (long)arg;

	while (!atomic_load(&stop)) {
		if (prog_run(fd, 100, NULL, NULL) == 0)
			atomic_fetch_add(&prog_runs, 100);
		else
			atomic_fetch_add(&bad, 1);
	}
	return NULL;
}

static void stress(const struct type *t, double secs, int with_prog)
{
	pthread_t th[5];
	long prog = -1;
	int i, nth = 4;
	struct timespec ts = { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) };

	cur = t;
	map_fd = map_create(t->type, t->lpm ? 8 : 4, 8, t->array ? RANGE : MAX_ENTRIES,
			    t->lpm ? BPF_F_NO_PREALLOC : 0);
	if (!ok(map_fd >= 0, "%s: create (%d)", t->name, map_fd))
		return;
	atomic_store(&stop, 0);
	atomic_store(&ops, 0);
	atomic_store(&bad, 0);
	atomic_store(&bad_value, 0);
	atomic_store(&prog_runs, 0);
	atomic_store(&first_err, 0);
	if (with_prog) {
		prog = load_prog();
		ok(prog >= 0, "%s: program updating the same map loads (%ld)", t->name, prog);
	}
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	if (prog >= 0)
		pthread_create(&th[nth++], NULL, prog_thread, (void *)prog);
	nanosleep(&ts, NULL);
	atomic_store(&stop, 1);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	ok(atomic_load(&bad) == 0,
	   "%s: %ld syscall ops and %ld program runs in %.1fs, no unexpected result (%ld, first %d)",
	   t->name, atomic_load(&ops), atomic_load(&prog_runs), secs, atomic_load(&bad),
	   atomic_load(&first_err));
	ok_eq(atomic_load(&bad_value), 0, "%s: every value read is one a writer wrote", t->name);
	{
		unsigned char key[8], next[8];
		long r = map_next_key(map_fd, NULL, next);
		int n = 0;

		for (; r == 0 && n < 10 * RANGE; n++) {
			memcpy(key, next, sizeof(key));
			r = map_next_key(map_fd, key, next);
		}
		ok(r == -ENOENT && n <= (t->array ? RANGE : MAX_ENTRIES),
		   "%s: afterwards a walk ends, %d keys within max_entries", t->name, n);
	}
	if (prog >= 0)
		close(prog);
	close(map_fd);
}

int main(void)
{
	const char *env = getenv("BPFDEV_STRESS_SECS");
	double secs = env ? atof(env) : 10.0;
	int with_prog;
	size_t i;

	tap_plan(0);
	objs_init();
	ncpus = get_nprocs_conf();
	with_prog = have_verifier();
	if (!with_prog)
		tap_diag("no verifier in this build: syscall threads only");
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		stress(&types[i], secs, with_prog);
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
