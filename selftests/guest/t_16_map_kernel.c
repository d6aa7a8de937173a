// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev's maps against the guest kernel's own: the same pseudo-random
 * sequence of element commands (update with each flag, lookup, delete,
 * lookup-and-delete, get_next_key, freeze, bad flags) on a map of each
 * type made both through /dev/bpf and through bpf(2); every return code
 * and every value read must be the kernel's.  LRU maps are left out:
 * their eviction order is an implementation choice, in the kernel too.
 * MAP_CREATE's errors are compared too, except where bpfdev's memory cap
 * answers E2BIG before the kernel would try (and fail) to allocate.
 */

#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "objs.h"

#define OPS	400
#define RANGE	24

struct side {
	long (*call)(unsigned int cmd, union bpf_attr *a);
	int fd;
};

static long kernel_call(unsigned int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

static long elem(struct side *s, unsigned int cmd, void *key, void *val, __u64 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)val;
	a.flags = flags;
	return s->call(cmd, &a);
}

static long next_key(struct side *s, void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = s->fd;
	a.key = (uintptr_t)key;
	a.next_key = (uintptr_t)next;
	return s->call(BPF_MAP_GET_NEXT_KEY, &a);
}

/* Keys reachable by get_next_key from NULL, at most 4 * RANGE. */
static int walk(struct side *s, size_t ksz)
{
	unsigned char k[16], n[16];
	int cnt = 0;

	if (next_key(s, NULL, n))
		return 0;
	do {
		memcpy(k, n, ksz);
		cnt++;
	} while (cnt < 4 * RANGE && next_key(s, k, n) == 0);
	return cnt;
}

struct mtype {
	__u32 type;
	const char *name;
	__u32 ksz, max, flags;
	int percpu;
};

static const struct mtype mtypes[] = {
	{ BPF_MAP_TYPE_ARRAY, "array", 4, RANGE - 4, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, "percpu array", 4, RANGE - 4, 0, 1 },
	{ BPF_MAP_TYPE_HASH, "hash", 4, RANGE - 8, 0, 0 },
	{ BPF_MAP_TYPE_PERCPU_HASH, "percpu hash", 4, RANGE - 8, 0, 1 },
	{ BPF_MAP_TYPE_HASH, "hash (no prealloc)", 4, RANGE - 8, BPF_F_NO_PREALLOC, 0 },
	{ BPF_MAP_TYPE_LPM_TRIE, "lpm trie", 8, RANGE - 8, BPF_F_NO_PREALLOC, 0 },
};

static void make_key(const struct mtype *m, __u32 k, void *buf)
{
	if (m->type == BPF_MAP_TYPE_LPM_TRIE) {
		__u32 *lk = buf;

		/* Prefixes of several lengths, some nested. */
		lk[0] = 8 + (k % 4) * 8;
		lk[1] = htobe32(0x0a000000 | (k << 8) | k);
	} else {
		*(__u32 *)buf = k;
	}
}

static void diff(const struct mtype *m, int ncpus)
{
	size_t vsz = m->percpu ? 8 * ncpus : 8;
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	unsigned int seed = 12345;
	int i, j, mism = 0, first = -1, frozen = 0;
	union bpf_attr a;
	__u64 *v = calloc(ncpus, 8), *got[2] = { calloc(ncpus, 8), calloc(ncpus, 8) };
	long r[2];

	for (j = 0; j < 2; j++) {
		memset(&a, 0, sizeof(a));
		a.map_type = m->type;
		a.key_size = m->ksz;
		a.value_size = 8;
		a.max_entries = m->max;
		a.map_flags = m->flags;
		s[j].fd = s[j].call(BPF_MAP_CREATE, &a);
	}
	if (!ok(s[0].fd >= 0 && s[1].fd >= 0, "%s: created on both sides (%d, %d)", m->name,
		s[0].fd, s[1].fd))
		goto out;
	for (i = 0; i < OPS; i++) {
		int op = rand_r(&seed) % 9;
		__u32 kn = rand_r(&seed) % RANGE;
		unsigned char key[8], next[2][8];

		make_key(m, kn, key);
		for (j = 0; j < ncpus; j++)
			v[j] = (__u64)i << 8 | j;
		if (!frozen && i == OPS * 3 / 4 && m->type != BPF_MAP_TYPE_LPM_TRIE)
			op = 9;
		for (j = 0; j < 2; j++) {
			memset(got[j], 0, vsz);
			memset(next[j], 0, sizeof(next[j]));
			switch (op) {
			case 0: case 1:
				r[j] = elem(&s[j], BPF_MAP_UPDATE_ELEM, key, v, BPF_ANY);
				break;
			case 2:
				r[j] = elem(&s[j], BPF_MAP_UPDATE_ELEM, key, v, BPF_NOEXIST);
				break;
			case 3:
				r[j] = elem(&s[j], BPF_MAP_UPDATE_ELEM, key, v, BPF_EXIST);
				break;
			case 4:
				r[j] = elem(&s[j], BPF_MAP_UPDATE_ELEM, key, v, 1ULL << (kn % 40 + 3));
				break;
			case 5: case 6:
				r[j] = elem(&s[j], BPF_MAP_LOOKUP_ELEM, key, got[j], 0);
				break;
			case 7:
				r[j] = elem(&s[j], BPF_MAP_DELETE_ELEM, key, NULL, 0);
				break;
			case 8:
				if (m->type == BPF_MAP_TYPE_LPM_TRIE)
					r[j] = walk(&s[j], m->ksz);
				else
					r[j] = elem(&s[j], BPF_MAP_LOOKUP_AND_DELETE_ELEM, key,
						    got[j], 0);
				break;
			default:
				memset(&a, 0, sizeof(a));
				a.map_fd = s[j].fd;
				r[j] = s[j].call(BPF_MAP_FREEZE, &a);
				frozen = 1;
				break;
			}
		}
		if (r[0] != r[1] || memcmp(got[0], got[1], vsz)) {
			if (!mism++)
				first = i;
			if (mism <= 3)
				tap_diag("%s: op %d (kind %d, key %u): bpfdev %ld, kernel %ld, values %#llx %#llx",
					 m->name, i, op, kn, r[0], r[1],
					 (unsigned long long)got[0][0], (unsigned long long)got[1][0]);
		}
	}
	ok(mism == 0, "%s: %d commands, every result and value as the kernel's (%d differ, first %d)",
	   m->name, OPS, mism, first);
	ok_eq(walk(&s[0], m->ksz), walk(&s[1], m->ksz), "%s: as many keys at the end", m->name);
out:
	for (j = 0; j < 2; j++)
		if (s[j].fd >= 0)
			close(s[j].fd);
	free(v);
	free(got[0]);
	free(got[1]);
}

/* MAP_CREATE errors: every one must be the kernel's errno. */
struct create_case {
	const char *what;
	__u32 type, ksz, vsz, max, flags;
	const char *name;
};

static const struct create_case creates[] = {
	{ "array, 8-byte key", BPF_MAP_TYPE_ARRAY, 8, 8, 4, 0, NULL },
	{ "array, value 0", BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0, NULL },
	{ "array, max_entries 0", BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0, NULL },
	{ "array, BPF_F_NO_PREALLOC", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_NO_PREALLOC, NULL },
	{ "array, 8 MiB values", BPF_MAP_TYPE_ARRAY, 4, 8U << 20, 1, 0, NULL },
	{ "array, RDONLY|WRONLY", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY, NULL },
	{ "array, RDONLY_PROG", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY_PROG, NULL },
	{ "array, bad name", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, "a-b" },
	{ "array, unknown flag", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 1U << 30, NULL },
	{ "percpu array, 40000-byte values", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 40000, 4, 0, NULL },
	{ "hash, key 0", BPF_MAP_TYPE_HASH, 0, 8, 4, 0, NULL },
	{ "hash, value 0", BPF_MAP_TYPE_HASH, 4, 0, 4, 0, NULL },
	{ "hash, max_entries 0", BPF_MAP_TYPE_HASH, 4, 8, 0, 0, NULL },
	{ "hash, 513-byte key", BPF_MAP_TYPE_HASH, 513, 8, 4, 0, NULL },
	{ "hash, 512-byte key", BPF_MAP_TYPE_HASH, 512, 8, 4, 0, NULL },
	{ "hash, BPF_F_NO_COMMON_LRU", BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, NULL },
	{ "hash, BPF_F_ZERO_SEED", BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_ZERO_SEED, NULL },
	{ "percpu hash, 40000-byte values", BPF_MAP_TYPE_PERCPU_HASH, 4, 40000, 4, 0, NULL },
	{ "lru hash, BPF_F_NO_PREALLOC", BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC, NULL },
	{ "lru hash, BPF_F_NO_COMMON_LRU", BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, NULL },
	{ "lpm, preallocated", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 4, 0, NULL },
	{ "lpm, 4-byte key", BPF_MAP_TYPE_LPM_TRIE, 4, 8, 4, BPF_F_NO_PREALLOC, NULL },
	{ "lpm, 261-byte key", BPF_MAP_TYPE_LPM_TRIE, 261, 8, 4, BPF_F_NO_PREALLOC, NULL },
	{ "lpm, 260-byte key", BPF_MAP_TYPE_LPM_TRIE, 260, 8, 4, BPF_F_NO_PREALLOC, NULL },
	{ "lpm, value 0", BPF_MAP_TYPE_LPM_TRIE, 8, 0, 4, BPF_F_NO_PREALLOC, NULL },
	{ "lpm, max_entries 0", BPF_MAP_TYPE_LPM_TRIE, 8, 8, 0, BPF_F_NO_PREALLOC, NULL },
	{ "ringbuf, 12345 bytes", BPF_MAP_TYPE_RINGBUF, 0, 0, 12345, 0, NULL },
	{ "ringbuf, 2048 bytes", BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, NULL },
	{ "ringbuf, a key", BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0, NULL },
	{ "ringbuf, a value", BPF_MAP_TYPE_RINGBUF, 0, 4, 4096, 0, NULL },
	{ "ringbuf, a flag", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, BPF_F_RDONLY, NULL },
	{ "prog array, 8-byte values", BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0, NULL },
	{ "prog array, RDONLY_PROG", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, NULL },
	{ "prog array, RDONLY", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_RDONLY, NULL },
	{ "unknown type", 1000, 4, 8, 4, 0, NULL },
};

static void test_creates(void)
{
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	union bpf_attr a;
	size_t i;
	int j, same = 0;
	long r[2];

	for (i = 0; i < sizeof(creates) / sizeof(creates[0]); i++) {
		const struct create_case *c = &creates[i];

		for (j = 0; j < 2; j++) {
			memset(&a, 0, sizeof(a));
			a.map_type = c->type;
			a.key_size = c->ksz;
			a.value_size = c->vsz;
			a.max_entries = c->max;
			a.map_flags = c->flags;
			if (c->name)
				strcpy(a.map_name, c->name);
			r[j] = s[j].call(BPF_MAP_CREATE, &a);
			if (r[j] >= 0) {
				close(r[j]);
				r[j] = 0;
			}
		}
		if (r[0] == r[1])
			same++;
		else
			tap_diag("MAP_CREATE %s: bpfdev %ld, kernel %ld", c->what, r[0], r[1]);
	}
	ok_eq(same, sizeof(creates) / sizeof(creates[0]),
	      "MAP_CREATE: %zu bad and edge cases, each with the kernel's result",
	      sizeof(creates) / sizeof(creates[0]));
}

/*
 * The helpers' results from a program: a sequence of map_update_elem and
 * map_delete_elem calls with every flag, each result stored in an array;
 * both arrays (bpfdev's and the kernel's) must read the same.
 */
struct hop {
	int del;
	__u64 key, flags;
};

static const struct hop hops[] = {
	{ 0, 1, BPF_ANY }, { 0, 1, BPF_NOEXIST }, { 0, 2, BPF_EXIST }, { 0, 1, BPF_EXIST },
	{ 0, 1, 7 }, { 1, 3, 0 }, { 1, 1, 0 }, { 1, 1, 0 },
	{ 0, 2, BPF_ANY }, { 0, 3, BPF_ANY }, { 0, 4, BPF_ANY }, { 0, 5, BPF_ANY },
	{ 0, 6, BPF_NOEXIST }, { 0, 2, BPF_ANY }, { 1, 2, 0 }, { 0, 7, BPF_ANY },
	{ 0, 40, BPF_ANY },
};

#define NHOPS	(sizeof(hops) / sizeof(hops[0]))

static long helper_prog(struct side *s, const struct mtype *m, int map, int res)
{
	struct bpf_insn p[NHOPS * 24 + 2];
	union bpf_attr a;
	size_t i;
	int n = 0;

	for (i = 0; i < NHOPS; i++) {
		__u64 key = hops[i].key;

		if (m->type == BPF_MAP_TYPE_LPM_TRIE)	/* /24 prefixes; 40: /40 */
			key = (key == 40 ? 40 : 24) | (__u64)htobe32(key << 8 | 0x0a000000) << 32;
		p[n++] = ST_MEM(BPF_W, 10, -8, (__u32)key);
		p[n++] = ST_MEM(BPF_W, 10, -4, (__u32)(key >> 32));
		p[n++] = ST_MEM(BPF_DW, 10, -16, 100 + i);
		p[n++] = I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map);
		p[n++] = I(0, 0, 0, 0, 0);
		p[n++] = MOV64_REG(2, 10);
		p[n++] = ALU64_IMM(BPF_ADD, 2, -8);
		if (hops[i].del) {
			p[n++] = CALL(BPF_FUNC_map_delete_elem);
		} else {
			p[n++] = MOV64_REG(3, 10);
			p[n++] = ALU64_IMM(BPF_ADD, 3, -16);
			p[n++] = MOV64_IMM(4, hops[i].flags);
			p[n++] = CALL(BPF_FUNC_map_update_elem);
		}
		p[n++] = STX_MEM(BPF_DW, 10, 0, -24);
		p[n++] = ST_MEM(BPF_W, 10, -28, i);
		p[n++] = I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, res);
		p[n++] = I(0, 0, 0, 0, 0);
		p[n++] = MOV64_REG(2, 10);
		p[n++] = ALU64_IMM(BPF_ADD, 2, -28);
		p[n++] = MOV64_REG(3, 10);
		p[n++] = ALU64_IMM(BPF_ADD, 3, -24);
		p[n++] = MOV64_IMM(4, BPF_ANY);
		p[n++] = CALL(BPF_FUNC_map_update_elem);
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

static void test_helpers(const struct mtype *m)
{
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	__s64 res[2][NHOPS];
	union bpf_attr a;
	int j, good = 1;
	size_t i;

	for (j = 0; j < 2; j++) {
		long map, rmap, prog;

		memset(&a, 0, sizeof(a));
		a.map_type = m->type;
		a.key_size = m->ksz;
		a.value_size = 8;
		a.max_entries = 4;
		a.map_flags = m->flags;
		map = s[j].call(BPF_MAP_CREATE, &a);
		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_ARRAY;
		a.key_size = 4;
		a.value_size = 8;
		a.max_entries = NHOPS;
		rmap = s[j].call(BPF_MAP_CREATE, &a);
		prog = map >= 0 && rmap >= 0 ? helper_prog(&s[j], m, map, rmap) : -1;
		memset(res[j], 0x55, sizeof(res[j]));
		if (prog >= 0) {
			s[j].fd = prog;
			memset(&a, 0, sizeof(a));
			a.test.prog_fd = prog;
			a.test.data_in = (uintptr_t)test_pkt;
			a.test.data_size_in = sizeof(test_pkt);
			if (s[j].call(BPF_PROG_TEST_RUN, &a))
				good = 0;
			for (i = 0; i < NHOPS; i++) {
				__u32 k = i;

				memset(&a, 0, sizeof(a));
				a.map_fd = rmap;
				a.key = (uintptr_t)&k;
				a.value = (uintptr_t)&res[j][i];
				s[j].call(BPF_MAP_LOOKUP_ELEM, &a);
			}
			close(prog);
		} else {
			good = 0;
			tap_diag("%s: %s side: no program (%ld)", m->name, j ? "kernel" : "bpfdev",
				 prog);
		}
		if (map >= 0)
			close(map);
		if (rmap >= 0)
			close(rmap);
	}
	for (i = 0; i < NHOPS; i++) {
		if (res[0][i] != res[1][i]) {
			good = 0;
			tap_diag("%s: helper call %zu: bpfdev %lld, kernel %lld", m->name, i,
				 (long long)res[0][i], (long long)res[1][i]);
		}
	}
	ok(good, "%s: %zu helper calls from a program return what the kernel's return",
	   m->name, NHOPS);
}

/* PROG_TEST_RUN: errors, retval and the __sk_buff that comes back. */
static void test_run_diff(void)
{
	struct bpf_insn p[] = {
		LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, mark)),
		LDX_MEM(BPF_W, 3, 1, offsetof(struct __sk_buff, cb[0])),
		ALU64_IMM(BPF_MUL, 3, 1000),
		MOV64_REG(0, 2),
		ALU64_REG(BPF_ADD, 0, 3),
		LDX_MEM(BPF_W, 4, 1, offsetof(struct __sk_buff, ifindex)),
		STX_MEM(BPF_W, 1, 4, offsetof(struct __sk_buff, cb[1])),
		LDX_MEM(BPF_W, 4, 1, offsetof(struct __sk_buff, priority)),
		STX_MEM(BPF_W, 1, 4, offsetof(struct __sk_buff, cb[2])),
		EXIT(),
	};
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	static unsigned char ctxbuf[2][sizeof(struct __sk_buff) + 16];
	struct __sk_buff in, out[2];
	unsigned char dout[2][128];
	union bpf_attr a[2];
	int c, j, good = 0, ncases = 10;

	for (j = 0; j < 2; j++) {
		memset(&a[j], 0, sizeof(a[j]));
		a[j].prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a[j].insns = (uintptr_t)p;
		a[j].insn_cnt = NINSNS(p);
		a[j].license = (uintptr_t)"GPL";
		s[j].fd = s[j].call(BPF_PROG_LOAD, &a[j]);
	}
	if (!ok(s[0].fd >= 0 && s[1].fd >= 0, "test run: the program loads on both sides"))
		goto out;
	for (c = 0; c < ncases; c++) {
		long r[2];

		memset(&in, 0, sizeof(in));
		in.mark = 5;
		in.priority = 7;
		in.cb[0] = 9;
		in.tstamp = 11;
		in.wire_len = 100;
		in.gso_segs = 2;
		in.hwtstamp = 13;
		for (j = 0; j < 2; j++) {
			memset(&a[j], 0, sizeof(a[j]));
			memset(&out[j], 0, sizeof(out[j]));
			memset(dout[j], 0, sizeof(dout[j]));
			a[j].test.prog_fd = s[j].fd;
			a[j].test.data_in = (uintptr_t)test_pkt;
			a[j].test.data_size_in = sizeof(test_pkt);
			a[j].test.data_out = (uintptr_t)dout[j];
			a[j].test.data_size_out = sizeof(dout[j]);
			a[j].test.ctx_in = (uintptr_t)&in;
			a[j].test.ctx_size_in = sizeof(in);
			a[j].test.ctx_out = (uintptr_t)&out[j];
			a[j].test.ctx_size_out = sizeof(out[j]);
			switch (c) {
			case 1: a[j].test.ctx_in = 0; a[j].test.ctx_size_in = 0; break;
			case 2: in.ifindex = 1; break;
			case 3: in.ifindex = 999; break;
			case 4: in.len = 7; break;
			case 5: in.gso_segs = 70000; break;
			case 6: a[j].test.data_size_out = 16; break;
			case 7: a[j].test.flags = 1; break;
			case 8:
				memset(ctxbuf[j], 0, sizeof(ctxbuf[j]));
				memcpy(ctxbuf[j], &in, sizeof(in));
				ctxbuf[j][sizeof(in) + 3] = j == 0 ? 1 : 1;
				a[j].test.ctx_in = (uintptr_t)ctxbuf[j];
				a[j].test.ctx_size_in = sizeof(ctxbuf[j]);
				break;
			case 9: a[j].test.data_size_in = 10; break;
			}
			r[j] = s[j].call(BPF_PROG_TEST_RUN, &a[j]);
		}
		/*
		 * Without a wire_len of the caller's, it is the packet's length:
		 * bpfdev's socket filters see the link-layer header, the
		 * kernel's test run starts at the network header (14 bytes on).
		 */
		if (c == 1 && out[0].wire_len == sizeof(test_pkt) &&
		    out[1].wire_len == sizeof(test_pkt) - 14)
			out[1].wire_len = out[0].wire_len;
		if (r[0] == r[1] && a[0].test.retval == a[1].test.retval &&
		    a[0].test.data_size_out == a[1].test.data_size_out &&
		    !memcmp(&out[0], &out[1], sizeof(out[0])) &&
		    !memcmp(dout[0], dout[1], sizeof(dout[0]))) {
			good++;
		} else {
			tap_diag("test run case %d: bpfdev %ld retval %u size %u, kernel %ld retval %u size %u",
				 c, r[0], a[0].test.retval, a[0].test.data_size_out,
				 r[1], a[1].test.retval, a[1].test.data_size_out);
			for (j = 0; j < (int)(sizeof(out[0]) / 4); j++)
				if (((__u32 *)&out[0])[j] != ((__u32 *)&out[1])[j])
					tap_diag("  __sk_buff word %d: bpfdev %#x, kernel %#x", j,
						 ((__u32 *)&out[0])[j], ((__u32 *)&out[1])[j]);
		}
	}
	ok_eq(good, ncases, "test run: %d cases of ctx_in/out, data_out and errors as the kernel's",
	      ncases);
out:
	for (j = 0; j < 2; j++)
		if (s[j].fd >= 0)
			close(s[j].fd);
}

/* Ring buffer records as the kernel lays them out, byte for byte. */
static void test_ringbuf_diff(void)
{
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	unsigned long *cons[2] = { MAP_FAILED, MAP_FAILED };
	unsigned char *prod[2] = { MAP_FAILED, MAP_FAILED };
	__u32 q[2] = { 0, 0 };
	union bpf_attr a;
	long rb[2] = { -1, -1 };
	int j, same = 0;

	for (j = 0; j < 2; j++) {
		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_RINGBUF;
		a.max_entries = 4096;
		rb[j] = s[j].call(BPF_MAP_CREATE, &a);
		if (rb[j] < 0)
			continue;
		cons[j] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rb[j], 0);
		prod[j] = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, rb[j], 4096);
		{
			/* output 16 bytes; reserve 100, submit; reserve 8, discard; query */
			struct bpf_insn p[] = {
				ST_MEM(BPF_DW, 10, -16, 0x11223344),
				ST_MEM(BPF_DW, 10, -8, 0x55667788),
				I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, rb[j]),
				I(0, 0, 0, 0, 0),
				MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -16),
				MOV64_IMM(3, 16),
				MOV64_IMM(4, 0),
				CALL(BPF_FUNC_ringbuf_output),
				I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, rb[j]),
				I(0, 0, 0, 0, 0),
				MOV64_IMM(2, 100),
				MOV64_IMM(3, 0),
				CALL(BPF_FUNC_ringbuf_reserve),
				JMP_IMM(BPF_JEQ, 0, 0, 4),
				ST_MEM(BPF_W, 0, 96, 0xabcd),
				MOV64_REG(1, 0),
				MOV64_IMM(2, 0),
				CALL(BPF_FUNC_ringbuf_submit),
				I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, rb[j]),
				I(0, 0, 0, 0, 0),
				MOV64_IMM(2, 8),
				MOV64_IMM(3, 0),
				CALL(BPF_FUNC_ringbuf_reserve),
				JMP_IMM(BPF_JEQ, 0, 0, 3),
				MOV64_REG(1, 0),
				MOV64_IMM(2, 0),
				CALL(BPF_FUNC_ringbuf_discard),
				I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, rb[j]),
				I(0, 0, 0, 0, 0),
				MOV64_IMM(2, BPF_RB_AVAIL_DATA),
				CALL(BPF_FUNC_ringbuf_query),
				EXIT(),
			};
			long prog;

			memset(&a, 0, sizeof(a));
			a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
			a.insns = (uintptr_t)p;
			a.insn_cnt = NINSNS(p);
			a.license = (uintptr_t)"GPL";
			prog = s[j].call(BPF_PROG_LOAD, &a);
			if (prog < 0) {
				tap_diag("ringbuf: %s side: load %ld", j ? "kernel" : "bpfdev", prog);
				continue;
			}
			memset(&a, 0, sizeof(a));
			a.test.prog_fd = prog;
			a.test.data_in = (uintptr_t)test_pkt;
			a.test.data_size_in = sizeof(test_pkt);
			s[j].call(BPF_PROG_TEST_RUN, &a);
			q[j] = a.test.retval;
			close(prog);
		}
	}
	if (ok(cons[0] != MAP_FAILED && cons[1] != MAP_FAILED && prod[0] != MAP_FAILED &&
	       prod[1] != MAP_FAILED, "ringbuf: mapped on both sides")) {
		unsigned long pp[2] = { *(unsigned long *)prod[0], *(unsigned long *)prod[1] };

		same = pp[0] == pp[1] && *cons[0] == *cons[1] && q[0] == q[1] &&
		       !memcmp(prod[0] + 4096, prod[1] + 4096, pp[0] < 4096 ? pp[0] : 4096);
		ok(same, "ringbuf: positions (%lu, %lu), query (%u, %u) and record bytes as the kernel's",
		   pp[0], pp[1], q[0], q[1]);
	}
	for (j = 0; j < 2; j++) {
		if (cons[j] != MAP_FAILED)
			munmap(cons[j], 4096);
		if (prod[j] != MAP_FAILED)
			munmap(prod[j], 3 * 4096);
		if (rb[j] >= 0)
			close(rb[j]);
	}
}

/* /proc/self/fdinfo/FD with the lines named in skip left out. */
static void fdinfo(int fd, char *buf, size_t size, const char *skip)
{
	char path[64], line[256];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	buf[0] = 0;
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char key[64];

		if (sscanf(line, "%63[^:]", key) != 1)
			continue;
		/* The file's own lines and the per-object ids differ anyway. */
		if (!strcmp(key, "pos") || !strcmp(key, "flags") || !strcmp(key, "mnt_id") ||
		    !strcmp(key, "ino") || strstr(skip, key))
			continue;
		n += snprintf(buf + n, n < size ? size - n : 0, "%s", line);
	}
	fclose(f);
}

/*
 * Whether the running kernel's fdinfo memlock is 6.1's rule, the
 * footprint of max_entries (key + value) rounded to pages, which bpfdev
 * reports on every kernel; from 6.4 on, each map type reports its real
 * memory use (map_mem_usage), which bpfdev does not model (uapi list).
 */
static int memlock_is_footprint(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	return major < 6 || (major == 6 && minor < 4);
}

static void test_fdinfo(void)
{
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	static char txt[2][2][1024];
	struct bpf_insn p[] = { MOV64_IMM(0, 3), EXIT() };
	union bpf_attr a;
	int j;

	for (j = 0; j < 2; j++) {
		long m, pr;

		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_HASH;
		a.key_size = 6;
		a.value_size = 10;
		a.max_entries = 300;
		a.map_flags = BPF_F_ZERO_SEED;
		m = s[j].call(BPF_MAP_CREATE, &a);
		memset(&a, 0, sizeof(a));
		a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a.insns = (uintptr_t)p;
		a.insn_cnt = 2;
		a.license = (uintptr_t)"GPL";
		pr = s[j].call(BPF_PROG_LOAD, &a);
		if (m >= 0) {
			fdinfo(m, txt[j][0], sizeof(txt[j][0]),
			       memlock_is_footprint() ? "map_id" : "map_id memlock");
			close(m);
		}
		if (pr >= 0) {
			fdinfo(pr, txt[j][1], sizeof(txt[j][1]),
			       "prog_id memlock run_time_ns run_cnt verified_insns prog_jited");
			close(pr);
		}
	}
	if (!ok(txt[0][0][0] && !strcmp(txt[0][0], txt[1][0]), "fdinfo: a map's is the kernel's%s",
		memlock_is_footprint() ? "" : " (memlock left out: the kernel's is per type)"))
		tap_diag("bpfdev:\n%s# kernel:\n%s", txt[0][0], txt[1][0]);
	if (!ok(txt[0][1][0] && !strcmp(txt[0][1], txt[1][1]),
		"fdinfo: a program's type and tag are the kernel's"))
		tap_diag("bpfdev:\n%s# kernel:\n%s", txt[0][1], txt[1][1]);
}

/*
 * With BPF_F_ZERO_SEED both sides hash keys to the same buckets (jhash,
 * seed 0, head insertion): get_next_key order and every batch (bucket
 * tokens, counts, ENOSPC, ENOENT) must then be the kernel's exactly.
 */
static long batch(struct side *s, unsigned int cmd, void *in, void *out, void *keys,
		  void *vals, __u32 *count)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = s->fd;
	a.batch.in_batch = (uintptr_t)in;
	a.batch.out_batch = (uintptr_t)out;
	a.batch.keys = (uintptr_t)keys;
	a.batch.values = (uintptr_t)vals;
	a.batch.count = *count;
	r = s->call(cmd, &a);
	*count = a.batch.count;
	return r;
}

static void test_hash_order(void)
{
	struct side s[2] = { { sys, -1 }, { kernel_call, -1 } };
	__u32 keys[2][64], tok[2], cnt[2], i, k, mism = 0, calls = 0;
	__u64 vals[2][64], v;
	unsigned char kb[2][4];
	union bpf_attr a;
	long r[2];
	int j, done = 0;

	for (j = 0; j < 2; j++) {
		memset(&a, 0, sizeof(a));
		a.map_type = BPF_MAP_TYPE_HASH;
		a.key_size = 4;
		a.value_size = 8;
		a.max_entries = 64;
		a.map_flags = BPF_F_ZERO_SEED;
		s[j].fd = s[j].call(BPF_MAP_CREATE, &a);
		for (k = 0; k < 50; k++) {
			v = k * 3;
			elem(&s[j], BPF_MAP_UPDATE_ELEM, &k, &v, 0);
		}
		for (k = 0; k < 50; k += 7)
			elem(&s[j], BPF_MAP_DELETE_ELEM, &k, NULL, 0);
	}
	/* get_next_key walks in the same order */
	for (i = 0; i < 60; i++) {
		for (j = 0; j < 2; j++)
			r[j] = next_key(&s[j], i ? kb[j] : NULL, kb[j]);
		if (r[0] != r[1] || memcmp(kb[0], kb[1], 4))
			mism++;
		if (r[0])
			break;
	}
	ok(!mism && i == 42, "hash order: get_next_key walks the 42 keys in the kernel's order (%u)", i);
	/* batches of 3: whole buckets, same tokens */
	mism = 0;
	for (calls = 0; !done && calls < 60; calls++) {
		for (j = 0; j < 2; j++) {
			cnt[j] = 8;
			memset(keys[j], 0, sizeof(keys[j]));
			memset(vals[j], 0, sizeof(vals[j]));
			r[j] = batch(&s[j], BPF_MAP_LOOKUP_BATCH, calls ? &tok[j] : NULL, &tok[j],
				     keys[j], vals[j], &cnt[j]);
		}
		if (r[0] != r[1] || cnt[0] != cnt[1] || tok[0] != tok[1] ||
		    memcmp(keys[0], keys[1], sizeof(keys[0])) ||
		    memcmp(vals[0], vals[1], sizeof(vals[0]))) {
			if (!mism++)
				tap_diag("batch call %u: bpfdev %ld count %u token %u, kernel %ld count %u token %u",
					 calls, r[0], cnt[0], tok[0], r[1], cnt[1], tok[1]);
		}
		done = r[0] != 0;
	}
	ok(!mism && calls > 4, "hash order: %u LOOKUP_BATCH calls of 8 give the kernel's results and tokens",
	   calls);
	mism = 0;
	for (j = 0; j < 2; j++) {
		cnt[j] = 64;
		r[j] = batch(&s[j], BPF_MAP_LOOKUP_AND_DELETE_BATCH, NULL, &tok[j], keys[j],
			     vals[j], &cnt[j]);
	}
	ok(r[0] == r[1] && cnt[0] == cnt[1] && cnt[0] == 42 && !memcmp(keys[0], keys[1], 42 * 4) &&
	   !memcmp(vals[0], vals[1], 42 * 8),
	   "hash order: LOOKUP_AND_DELETE_BATCH drains the same 42 in the same order (%ld, %u)",
	   r[0], cnt[0]);
	for (j = 0; j < 2; j++)
		close(s[j].fd);
}

int main(void)
{
	int ncpus = get_nprocs_conf();
	size_t i;

	tap_plan(0);
	objs_init();
	test_creates();
	for (i = 0; i < sizeof(mtypes) / sizeof(mtypes[0]); i++)
		diff(&mtypes[i], ncpus);
	for (i = 0; i < sizeof(mtypes) / sizeof(mtypes[0]); i++)
		test_helpers(&mtypes[i]);
	test_run_diff();
	test_ringbuf_diff();
	test_fdinfo();
	test_hash_order();
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
