// SPDX-License-Identifier: GPL-2.0
/*
 * Map commands through /dev/bpf: MAP_CREATE and the element, batch, freeze,
 * id and info commands on every map type, each with good input and with
 * every kind of bad input (bad fd, fd of the wrong kind, short or
 * oversized attr, non-zero unused fields, unknown flags, absurd sizes,
 * unreadable keys, full maps).  Ends with no live object left.
 */

#include <poll.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#include "objs.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

static int ncpus;

/* Every byte of attr after field must be zero, else EINVAL. */
static void test_check_attr(void)
{
	union bpf_attr a;
	unsigned char *raw = (unsigned char *)&a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 4;
	raw[offsetof(union bpf_attr, map_extra) + sizeof(a.map_extra)] = 1;
	ok_eq(sys(BPF_MAP_CREATE, &a), -EINVAL,
	      "MAP_CREATE: a byte after map_extra gives EINVAL");
	raw[offsetof(union bpf_attr, map_extra) + sizeof(a.map_extra)] = 0;
	/* bpf(2) reads btf_fd only with BTF type ids, which bpfdev refuses. */
	a.btf_fd = 3;
	fd = sys(BPF_MAP_CREATE, &a);
	ok(fd >= 0, "MAP_CREATE: btf_fd alone is ignored, as bpf(2)");
	if (fd >= 0)
		close(fd);
	a.btf_fd = 0;
	a.btf_vmlinux_value_type_id = 1;
	ok_eq(sys(BPF_MAP_CREATE, &a), -EINVAL,
	      "MAP_CREATE: btf_vmlinux_value_type_id gives EINVAL");
	a.btf_vmlinux_value_type_id = 0;
	a.map_extra = 1;
	ok_eq(sys(BPF_MAP_CREATE, &a), -EINVAL, "MAP_CREATE: map_extra gives EINVAL");
	a.map_extra = 0;

	/* A larger attr than ours is fine if its tail is zero (bpf(2)). */
	{
		static unsigned char big[sizeof(a) + 64];
		long r;

		memcpy(big, &a, sizeof(a));
		r = bpfdev_call(devfd, BPF_MAP_CREATE, big, sizeof(big));
		ok(r >= 0, "MAP_CREATE with a larger attr and a zero tail works (%ld)", r);
		if (r >= 0)
			close(r);
		big[sizeof(a) + 10] = 1;
		ok_eq(bpfdev_call(devfd, BPF_MAP_CREATE, big, sizeof(big)), -E2BIG,
		      "MAP_CREATE with a non-zero byte past our attr: E2BIG");
	}

	/* A short attr is zero-extended: the first 16 bytes make an array. */
	fd = bpfdev_call(devfd, BPF_MAP_CREATE, &a, 16);
	ok(fd >= 0, "MAP_CREATE with a 16-byte attr works (%ld)", fd);
	if (fd >= 0) {
		__u32 k = 0;
		__u64 v = 0;

		memset(&a, 0, sizeof(a));
		a.map_fd = fd;
		a.key = (uintptr_t)&k;
		a.value = (uintptr_t)&v;
		raw[offsetof(union bpf_attr, flags) + sizeof(a.flags)] = 1;
		ok_eq(sys(BPF_MAP_LOOKUP_ELEM, &a), -EINVAL,
		      "MAP_LOOKUP_ELEM: a byte after flags gives EINVAL");
		raw[offsetof(union bpf_attr, flags) + sizeof(a.flags)] = 0;
		ok_eq(sys(BPF_MAP_LOOKUP_ELEM, &a), 0, "MAP_LOOKUP_ELEM: the same attr, clean, works");
		a.flags = BPF_F_LOCK;
		ok_eq(sys(BPF_MAP_LOOKUP_ELEM, &a), -EINVAL,
		      "MAP_LOOKUP_ELEM: BPF_F_LOCK without a spin lock gives EINVAL");
		close(fd);
	}
}

static void test_create_errors(void)
{
	long fd;

	ok_eq(map_create(1000, 4, 4, 1, 0), -EINVAL, "unknown map type: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 1, 0), -EINVAL,
	      "unsupported map type: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 0, 4, 1, 0), -EINVAL, "array key_size 0: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 8, 4, 1, 0), -EINVAL, "array key_size 8: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 0, 1, 0), -EINVAL, "array value_size 0: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0), -EINVAL, "array max_entries 0: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 1U << 20), -EINVAL,
	      "unknown map flag: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_RDONLY | BPF_F_WRONLY),
	      -EINVAL, "BPF_F_RDONLY|BPF_F_WRONLY: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_NO_COMMON_LRU), -EINVAL,
	      "array with BPF_F_NO_COMMON_LRU: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 1U << 30, 1U << 20, 0), -E2BIG,
	      "array of 2^20 values of 1 GiB: E2BIG, no allocation");
	ok_eq(map_create(BPF_MAP_TYPE_ARRAY, 4, 0xffffffffu, 0xffffffffu, 0), -E2BIG,
	      "array whose size overflows: E2BIG");
	ok_eq(map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 65536, 1, 0), -E2BIG,
	      "per-CPU value of 64 KiB: E2BIG");
	ok_eq(map_create(BPF_MAP_TYPE_HASH, 4, 4, 0x80000001u, 0), -E2BIG,
	      "hash of 2^31+1 entries: E2BIG");
	ok_eq(map_create(BPF_MAP_TYPE_HASH, 4, 4, 100000000, 0), -E2BIG,
	      "hash of 10^8 entries: E2BIG (over the memory cap)");
	ok_eq(map_create(BPF_MAP_TYPE_HASH, 4 << 20, 4, 1, 0), -E2BIG, "hash key of 4 MiB: E2BIG");
	ok_eq(map_create(BPF_MAP_TYPE_HASH, 0, 4, 1, 0), -EINVAL, "hash key_size 0: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_LRU_HASH, 4, 4, 8, BPF_F_NO_PREALLOC), -ENOTSUPP,
	      "LRU hash with BPF_F_NO_PREALLOC: ENOTSUPP");
	ok_eq(map_create(BPF_MAP_TYPE_LPM_TRIE, 8, 4, 8, 0), -EINVAL,
	      "LPM trie without BPF_F_NO_PREALLOC: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_LPM_TRIE, 4, 4, 8, BPF_F_NO_PREALLOC), -EINVAL,
	      "LPM trie without data bytes: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 12345, 0), -EINVAL,
	      "ring buffer of 12345 bytes: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0), -EINVAL,
	      "ring buffer with a key: EINVAL");
	ok_eq(map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 1U << 31, 0), -E2BIG,
	      "ring buffer of 2 GiB: E2BIG");
	ok_eq(map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0), -EINVAL,
	      "prog array with 8-byte values: EINVAL");
	ok_eq(map_create_named(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, "bad-name"), -EINVAL,
	      "map name with '-': EINVAL");
	fd = map_create_named(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, "good_name.1");
	ok(fd >= 0, "map name [A-Za-z0-9_.] works");
	if (fd >= 0)
		close(fd);
}

static void test_bad_fds(void)
{
	__u32 k = 0, v = 0;
	int pfd[2];

	ok_eq(map_lookup(9999, &k, &v), -EBADF, "lookup on a closed fd: EBADF");
	ok_eq(map_update(-1, &k, &v, 0), -EBADF, "update on fd -1: EBADF");
	ok_eq(map_lookup(devfd, &k, &v), -EINVAL, "lookup on /dev/bpf's own fd: EINVAL");
	if (pipe(pfd) == 0) {
		ok_eq(map_delete(pfd[0], &k), -EINVAL, "delete on a pipe: EINVAL");
		ok_eq(map_freeze(pfd[1]), -EINVAL, "freeze on a pipe: EINVAL");
		close(pfd[0]);
		close(pfd[1]);
	}
}

static void test_array(void)
{
	__u32 k, n = 0, next;
	__u64 v, got;
	long fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0);
	unsigned char *page;

	if (!ok(fd >= 0, "array: create (%ld)", fd))
		return;
	k = 3;
	v = 0x1122334455667788ull;
	ok_eq(map_update(fd, &k, &v, BPF_ANY), 0, "array: update [3]");
	ok_eq(map_lookup(fd, &k, &got), 0, "array: lookup [3]");
	ok_eq(got, v, "array: the value read back");
	ok_eq(map_update(fd, &k, &v, BPF_EXIST), 0, "array: BPF_EXIST works");
	ok_eq(map_update(fd, &k, &v, BPF_NOEXIST), -EEXIST, "array: BPF_NOEXIST gives EEXIST");
	ok_eq(map_update(fd, &k, &v, 4), -EINVAL, "array: unknown update flag gives EINVAL");
	k = 16;
	ok_eq(map_update(fd, &k, &v, 0), -E2BIG, "array: update past the end gives E2BIG");
	ok_eq(map_lookup(fd, &k, &got), -ENOENT, "array: lookup past the end gives ENOENT");
	k = 3;
	ok_eq(map_delete(fd, &k), -EINVAL, "array: delete gives EINVAL");
	ok_eq(map_lookup_and_delete(fd, &k, &got), -ENOTSUPP,
	      "array: lookup-and-delete gives ENOTSUPP");
	while (map_next_key(fd, n ? &k : NULL, &next) == 0) {
		k = next;
		n++;
	}
	ok_eq(n, 16, "array: get_next_key walks 16 keys");

	/* A key that runs off the end of the mapped memory. */
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED) {
		munmap(page + 4096, 4096);
		ok_eq(map_lookup(fd, page + 4094, &got), -EFAULT,
		      "array: a 4-byte key with 2 readable bytes gives EFAULT");
		ok_eq(map_lookup(fd, &k, page + 4092), -EFAULT,
		      "array: an 8-byte value buffer with 4 writable bytes gives EFAULT");
		munmap(page, 4096);
	}
	ok_eq(map_freeze(fd), 0, "array: freeze");
	ok_eq(map_freeze(fd), -EBUSY, "array: freeze again gives EBUSY");
	ok_eq(map_update(fd, &k, &v, 0), -EPERM, "array: update after freeze gives EPERM");
	ok_eq(map_lookup(fd, &k, &got), 0, "array: lookup after freeze works");
	close(fd);
}

static void test_access_flags(void)
{
	__u32 k = 0;
	__u64 v = 1;
	long ro = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_RDONLY);
	long wo = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_WRONLY);

	if (ok(ro >= 0 && wo >= 0, "read-only and write-only maps created")) {
		ok_eq(map_update(ro, &k, &v, 0), -EPERM, "update through a BPF_F_RDONLY fd: EPERM");
		ok_eq(map_lookup(ro, &k, &v), 0, "lookup through a BPF_F_RDONLY fd works");
		ok_eq(map_lookup(wo, &k, &v), -EPERM, "lookup through a BPF_F_WRONLY fd: EPERM");
		ok_eq(map_update(wo, &k, &v, 0), 0, "update through a BPF_F_WRONLY fd works");
		ok_eq(map_next_key(wo, NULL, &k), -EPERM, "get_next_key through BPF_F_WRONLY: EPERM");
	}
	if (ro >= 0)
		close(ro);
	if (wo >= 0)
		close(wo);
}

static void test_percpu(__u32 type, const char *name)
{
	size_t vsize = 8 * ncpus;
	__u64 *v = calloc(ncpus, 8), *got = calloc(ncpus, 8);
	__u32 k = 1;
	int i, same = 1;
	long fd = map_create(type, 4, 8, 4, 0);

	if (!ok(fd >= 0, "%s: create (%ld)", name, fd))
		goto out;
	for (i = 0; i < ncpus; i++)
		v[i] = 1000 + i;
	ok_eq(map_update(fd, &k, v, 0), 0, "%s: update %zu bytes (one value per CPU)", name, vsize);
	ok_eq(map_lookup(fd, &k, got), 0, "%s: lookup", name);
	for (i = 0; i < ncpus; i++)
		same &= got[i] == v[i];
	ok(same, "%s: each CPU's value read back", name);
	close(fd);
out:
	free(v);
	free(got);
}

/* Values: 8 bytes, or 8 per CPU for per-CPU maps (all CPUs alike here). */
static __u64 vbuf[256], gbuf[256];

static void setv(__u64 x)
{
	int i;

	for (i = 0; i < 256; i++)
		vbuf[i] = x;
}

static void test_hash(__u32 type, const char *name, int lru)
{
	const __u32 max = 64;
	__u64 key, next;
	__u32 n = 0;
	long fd = map_create(type, 8, 8, max, 0), r = 0;
	int i, bad = 0;

	if (!ok(fd >= 0, "%s: create (%ld)", name, fd))
		return;
	key = 7;
	setv(70);
	ok_eq(map_update(fd, &key, vbuf, BPF_EXIST), -ENOENT, "%s: BPF_EXIST on a new key: ENOENT", name);
	ok_eq(map_update(fd, &key, vbuf, BPF_NOEXIST), 0, "%s: BPF_NOEXIST on a new key", name);
	ok_eq(map_update(fd, &key, vbuf, BPF_NOEXIST), -EEXIST, "%s: BPF_NOEXIST again: EEXIST", name);
	setv(71);
	ok_eq(map_update(fd, &key, vbuf, BPF_EXIST), 0, "%s: BPF_EXIST replaces", name);
	ok_eq(map_lookup(fd, &key, gbuf), 0, "%s: lookup", name);
	ok_eq(gbuf[0], 71, "%s: the replaced value", name);
	ok_eq(map_update(fd, &key, vbuf, 8), -EINVAL, "%s: unknown update flag: EINVAL", name);
	ok_eq(map_delete(fd, &key), 0, "%s: delete", name);
	ok_eq(map_delete(fd, &key), -ENOENT, "%s: delete again: ENOENT", name);
	ok_eq(map_lookup(fd, &key, gbuf), -ENOENT, "%s: lookup of a deleted key: ENOENT", name);

	for (i = 0; i < (int)max; i++) {
		key = i;
		setv(i * 10);
		bad += map_update(fd, &key, vbuf, BPF_NOEXIST) != 0;
	}
	ok_eq(bad, 0, "%s: %u keys fill the map", name, max);
	key = 1000;
	r = map_update(fd, &key, vbuf, BPF_ANY);
	if (lru)
		ok_eq(r, 0, "%s: one more key evicts an old one", name);
	else
		ok_eq(r, -E2BIG, "%s: one more key in the full map: E2BIG", name);
	key = 5;
	setv(555);
	/* LRU: key 5 may have been the one evicted; then it comes back. */
	ok_eq(map_update(fd, &key, vbuf, BPF_ANY), 0, "%s: replacing a key in the full map", name);
	while (map_next_key(fd, n ? &key : NULL, &next) == 0 && n < 10 * max) {
		key = next;
		n++;
	}
	ok_eq(n, max, "%s: get_next_key walks %u keys", name, max);
	key = 5;
	ok_eq(map_lookup_and_delete(fd, &key, gbuf), 0, "%s: lookup-and-delete", name);
	ok_eq(gbuf[0], 555, "%s: lookup-and-delete returns the value", name);
	ok_eq(map_lookup(fd, &key, gbuf), -ENOENT, "%s: and the key is gone", name);
	ok_eq(map_lookup_and_delete(fd, &key, gbuf), -ENOENT,
	      "%s: lookup-and-delete of a missing key: ENOENT", name);
	close(fd);
}

static void test_batch(void)
{
	__u64 keys[10], vals[10], okeys[32], ovals[32], out = 0, in;
	__u32 count, total = 0, i;
	long fd = map_create(BPF_MAP_TYPE_HASH, 8, 8, 16, 0), r;
	int bad = 0;

	if (!ok(fd >= 0, "batch: hash created"))
		return;
	for (i = 0; i < 10; i++) {
		keys[i] = 100 + i;
		vals[i] = 1000 + i;
	}
	count = 10;
	ok_eq(map_batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, vals, &count, 0), 0,
	      "batch: update 10");
	ok_eq(count, 10, "batch: update count 10");
	/* Hash maps hand out whole buckets; the token is a u32 bucket index. */
	{
		__u32 tok = 0, calls = 0, seen = 0;
		void *inp = NULL;

		r = 0;
		while (r == 0 && calls++ < 20) {
			count = 6;
			r = map_batch(BPF_MAP_LOOKUP_BATCH, fd, inp, &tok, okeys + total,
				      ovals + total, &count, 0);
			if ((r == 0 || r == -ENOENT) && count <= 6)
				total += count;
			inp = &tok;
		}
		ok(r == -ENOENT && total == 10, "batch: lookups of at most 6 return all 10, then ENOENT (%ld, %u)",
		   r, total);
		for (i = 0; i < total && i < 10; i++) {
			bad += ovals[i] != okeys[i] + 900;
			seen |= 1U << (okeys[i] - 100);
		}
		ok(!bad && seen == 0x3ff, "batch: every key once with its value");
	}
	(void)in;
	count = 10;
	ok_eq(map_batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, vals, &count, 1U << 5),
	      -EINVAL, "batch: unknown elem_flags: EINVAL");
	count = 3;
	ok_eq(map_batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, &count, 0), 0,
	      "batch: delete 3");
	count = 3;
	r = map_batch(BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, &count, 0);
	ok(r == -ENOENT && count == 0, "batch: delete of deleted keys: ENOENT, count 0");
	count = 10;
	r = map_batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, NULL, &out, okeys, ovals, &count, 0);
	ok(r == -ENOENT && count == 7, "batch: lookup-and-delete drains the other 7 (%ld, %u)",
	   r, count);
	{
		/* Two keys in one of two buckets: a count of 1 cannot take it. */
		int tries, nospc = 0;

		for (tries = 1; tries < 40 && !nospc; tries++) {
			long h = map_create(BPF_MAP_TYPE_HASH, 8, 8, 2, BPF_F_ZERO_SEED);
			__u64 k0 = 0, k1 = tries;
			__u32 tok;

			map_update(h, &k0, vals, 0);
			map_update(h, &k1, vals, 0);
			count = 1;
			r = map_batch(BPF_MAP_LOOKUP_BATCH, h, NULL, &tok, okeys, ovals, &count, 0);
			nospc = r == -ENOSPC && count == 0;
			close(h);
		}
		ok(nospc, "batch: a bucket larger than count: ENOSPC, nothing returned");
	}
	ok_eq(map_next_key(fd, NULL, &in), -ENOENT, "batch: the map is empty");
	close(fd);

	fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 8, 0);
	if (fd >= 0) {
		__u32 akeys[8], aout;

		count = 8;
		r = map_batch(BPF_MAP_LOOKUP_BATCH, fd, NULL, &aout, akeys, ovals, &count, 0);
		ok(r == 0 && count == 8 && akeys[7] == 7,
		   "batch: array lookup of exactly its 8 keys (%ld, %u)", r, count);
		count = 8;
		r = map_batch(BPF_MAP_LOOKUP_BATCH, fd, &aout, &aout, akeys, ovals, &count, 0);
		ok(r == -ENOENT && count == 0, "batch: then nothing more and ENOENT (%ld, %u)",
		   r, count);
		count = 8;
		ok_eq(map_batch(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, NULL, &aout, akeys, ovals,
				&count, 0), -ENOTSUPP, "batch: array lookup-and-delete: ENOTSUPP");
		close(fd);
	}
}

struct lpm_key {
	__u32 prefixlen;
	__u8 data[4];
};

static struct lpm_key lk(__u32 plen, int a, int b, int c, int d)
{
	struct lpm_key k = { plen, { a, b, c, d } };

	return k;
}

static void test_lpm(void)
{
	struct lpm_key k, next;
	__u32 v, got, n = 0;
	long fd = map_create(BPF_MAP_TYPE_LPM_TRIE, sizeof(k), 4, 4, BPF_F_NO_PREALLOC);
	int i;

	if (!ok(fd >= 0, "lpm: create (%ld)", fd))
		return;
	k = lk(8, 10, 0, 0, 0);
	v = 1;
	ok_eq(map_update(fd, &k, &v, 0), 0, "lpm: add 10/8");
	k = lk(16, 10, 1, 0, 0);
	v = 2;
	ok_eq(map_update(fd, &k, &v, 0), 0, "lpm: add 10.1/16");
	k = lk(24, 10, 1, 2, 0);
	v = 3;
	ok_eq(map_update(fd, &k, &v, 0), 0, "lpm: add 10.1.2/24");
	k = lk(24, 192, 168, 0, 0);
	v = 4;
	ok_eq(map_update(fd, &k, &v, 0), 0, "lpm: add 192.168.0/24");
	k = lk(24, 192, 168, 1, 0);
	ok_eq(map_update(fd, &k, &v, 0), -ENOSPC, "lpm: a fifth prefix in a map of 4: ENOSPC");
	k = lk(16, 10, 1, 0, 0);
	v = 22;
	ok_eq(map_update(fd, &k, &v, BPF_EXIST), 0, "lpm: replacing a prefix in the full map");
	ok_eq(map_update(fd, &k, &v, BPF_NOEXIST), -EEXIST, "lpm: BPF_NOEXIST: EEXIST");
	k = lk(33, 10, 1, 0, 0);
	ok_eq(map_update(fd, &k, &v, 0), -EINVAL, "lpm: prefix length 33: EINVAL");

	k = lk(32, 10, 1, 2, 3);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 3, "lpm: 10.1.2.3 matches /24 (%u)", got);
	k = lk(32, 10, 1, 3, 3);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 22, "lpm: 10.1.3.3 matches /16 (%u)", got);
	k = lk(32, 10, 2, 0, 1);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 1, "lpm: 10.2.0.1 matches /8 (%u)", got);
	k = lk(32, 11, 0, 0, 1);
	ok_eq(map_lookup(fd, &k, &got), -ENOENT, "lpm: 11.0.0.1 matches nothing");
	k = lk(32, 192, 168, 0, 77);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 4, "lpm: 192.168.0.77 matches (%u)", got);

	for (i = 0; map_next_key(fd, n ? &k : NULL, &next) == 0 && n < 20; i++) {
		k = next;
		n++;
	}
	ok_eq(n, 4, "lpm: get_next_key walks 4 prefixes");

	k = lk(16, 10, 1, 0, 0);
	ok_eq(map_delete(fd, &k), 0, "lpm: delete 10.1/16");
	ok_eq(map_delete(fd, &k), -ENOENT, "lpm: delete it again: ENOENT");
	k = lk(32, 10, 1, 3, 3);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 1, "lpm: 10.1.3.3 now matches /8 (%u)", got);
	k = lk(32, 10, 1, 2, 3);
	got = 0;
	ok(map_lookup(fd, &k, &got) == 0 && got == 3, "lpm: 10.1.2.3 still matches /24 (%u)", got);
	close(fd);
}

static void test_ringbuf(void)
{
	long fd = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 4 * 4096, 0);
	struct pollfd p;
	void *cons, *prod;
	__u32 k = 0, v;

	if (!ok(fd >= 0, "ringbuf: create 16 KiB (%ld)", fd))
		return;
	cons = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(cons != MAP_FAILED, "ringbuf: consumer page maps read-write");
	prod = mmap(NULL, 4096 + 2 * 4 * 4096, PROT_READ, MAP_SHARED, fd, 4096);
	ok(prod != MAP_FAILED, "ringbuf: producer page and data map read-only, data twice");
	ok(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096) == MAP_FAILED &&
	   errno == EPERM, "ringbuf: producer page read-write: EPERM");
	ok(mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	   errno == EPERM, "ringbuf: two pages read-write: EPERM");
	ok(mmap(NULL, 4096 * 20, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED,
	   "ringbuf: mapping past the end fails");
	if (prod != MAP_FAILED)
		ok(mprotect(prod, 4096, PROT_READ | PROT_WRITE) != 0,
		   "ringbuf: the producer page cannot be made writable");
	if (cons != MAP_FAILED && prod != MAP_FAILED)
		ok(*(unsigned long *)cons == 0 && *(unsigned long *)prod == 0,
		   "ringbuf: positions start at 0");
	p.fd = fd;
	p.events = POLLIN;
	ok_eq(poll(&p, 1, 0), 0, "ringbuf: poll on an empty ring: nothing");
	/* Without a key: a key given to a keyless map is EINVAL, as bpf(2). */
	ok_eq(map_lookup(fd, NULL, &v), -ENOTSUPP, "ringbuf: lookup: ENOTSUPP");
	ok_eq(map_update(fd, NULL, &v, 0), -ENOTSUPP, "ringbuf: update: ENOTSUPP");
	ok_eq(map_lookup(fd, &k, &v), -EINVAL, "ringbuf: lookup with a key: EINVAL");
	if (cons != MAP_FAILED)
		munmap(cons, 4096);
	if (prod != MAP_FAILED)
		munmap(prod, 4096 + 2 * 4 * 4096);
	close(fd);
}

static void test_prog_array(void)
{
	long fd = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	long afd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	__u32 k = 0, v;

	if (!ok(fd >= 0 && afd >= 0, "prog array: create"))
		return;
	v = afd;
	ok_eq(map_update(fd, &k, &v, 0), -EINVAL, "prog array: storing a map fd: EINVAL");
	v = 9999;
	ok_eq(map_update(fd, &k, &v, 0), -EBADF, "prog array: storing a closed fd: EBADF");
	ok_eq(map_lookup(fd, &k, &v), -ENOENT, "prog array: empty slot: ENOENT");
	ok_eq(map_delete(fd, &k), -ENOENT, "prog array: delete of an empty slot: ENOENT");
	/* As bpf(2): prog arrays freeze too, then refuse syscall writes. */
	ok_eq(map_freeze(fd), 0, "prog array: freeze");
	ok_eq(map_delete(fd, &k), -EPERM, "prog array: frozen: delete EPERM");
	close(fd);
	close(afd);
}

static void test_ids_info(void)
{
	long fd = map_create_named(BPF_MAP_TYPE_HASH, 4, 12, 7, 0, "info_map");
	struct bpf_map_info info;
	union bpf_attr a;
	__u32 len = sizeof(info), id = 0, found = 0;
	long fd2;

	if (!ok(fd >= 0, "info: map created"))
		return;
	memset(&info, 0, sizeof(info));
	ok_eq(obj_info(fd, &info, &len), 0, "info: OBJ_GET_INFO_BY_FD");
	ok(info.type == BPF_MAP_TYPE_HASH && info.key_size == 4 && info.value_size == 12 &&
	   info.max_entries == 7 && !strcmp(info.name, "info_map") && info.id > 0,
	   "info: type, sizes, max_entries, name, id");
	ok_eq(len, sizeof(info), "info: info_len is what was filled");
	len = 8;
	memset(&info, 0, sizeof(info));
	ok(obj_info(fd, &info, &len) == 0 && len == 8 && info.key_size == 0 && info.id > 0,
	   "info: a short info_len gets a prefix");
	ok_eq(obj_info(9999, &info, &len), -EBADFD, "info: bad fd: EBADFD");
	ok_eq(obj_info(devfd, &info, &len), -EINVAL, "info: /dev/bpf fd: EINVAL");

	len = sizeof(info);
	obj_info(fd, &info, &len);
	memset(&a, 0, sizeof(a));
	while (1) {
		a.start_id = id;
		if (sys(BPF_MAP_GET_NEXT_ID, &a))
			break;
		id = a.next_id;
		found |= id == info.id;
	}
	ok(found, "ids: MAP_GET_NEXT_ID finds the map's id %u", info.id);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	fd2 = sys(BPF_MAP_GET_FD_BY_ID, &a);
	ok(fd2 >= 0, "ids: MAP_GET_FD_BY_ID gives an fd");
	if (fd2 >= 0) {
		struct bpf_map_info i2;

		len = sizeof(i2);
		memset(&i2, 0, sizeof(i2));
		obj_info(fd2, &i2, &len);
		ok_eq(i2.id, info.id, "ids: the new fd is the same map");
		close(fd2);
	}
	a.map_id = 0x7fffff00;
	ok_eq(sys(BPF_MAP_GET_FD_BY_ID, &a), -ENOENT, "ids: unknown id: ENOENT");
	a.map_id = info.id;
	a.open_flags = 1U << 8;
	ok_eq(sys(BPF_MAP_GET_FD_BY_ID, &a), -EINVAL, "ids: unknown open_flags: EINVAL");
	close(fd);
}

int main(void)
{
	tap_plan(0);
	objs_init();
	ncpus = get_nprocs_conf();

	test_check_attr();
	test_create_errors();
	test_bad_fds();
	test_array();
	test_access_flags();
	test_percpu(BPF_MAP_TYPE_PERCPU_ARRAY, "percpu array");
	test_percpu(BPF_MAP_TYPE_PERCPU_HASH, "percpu hash");
	test_percpu(BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru percpu hash");
	test_hash(BPF_MAP_TYPE_HASH, "hash", 0);
	test_hash(BPF_MAP_TYPE_PERCPU_HASH, "percpu hash", 0);
	test_hash(BPF_MAP_TYPE_LRU_HASH, "lru hash", 1);
	test_hash(BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru percpu hash", 1);
	test_batch();
	test_lpm();
	test_ringbuf();
	test_prog_array();
	test_ids_info();

	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
