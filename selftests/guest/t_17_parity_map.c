// SPDX-License-Identifier: GPL-2.0
/*
 * One row per map-command cause of disagreement once found between
 * /dev/bpf and bpf(2) (issues 15 and 21): each row runs the same attr on
 * the guest kernel's own bpf(2) and on /dev/bpf and must get the same
 * return code and the same written-back field (a batch count, an info
 * field, value bytes).  The kernel's answer is the expected one, so the
 * rows hold on whatever kernel the guest boots.
 */

#include <stddef.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "bpf_sides.h"
#include "objs.h"

struct side {
	int kernel;
	int fds[4];		/* maps made by the row, closed after it */
	int nfds;
};

static long call(struct side *s, unsigned int cmd, union bpf_attr *a)
{
	return bpf_side_call(s->kernel ? -1 : devfd, cmd, a, sizeof(*a));
}

static long create(struct side *s, union bpf_attr *a)
{
	long fd = call(s, BPF_MAP_CREATE, a);

	if (fd >= 0 && s->nfds < 4)
		s->fds[s->nfds++] = fd;
	return fd;
}

static long mk(struct side *s, __u32 type, __u32 ksz, __u32 vsz, __u32 max,
	       __u32 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ksz;
	a.value_size = vsz;
	a.max_entries = max;
	a.map_flags = flags;
	return create(s, &a);
}

static long batch(struct side *s, unsigned int cmd, int fd, void *in, void *out,
		  void *keys, void *values, __u32 count, __u64 elem_flags,
		  __u64 flags, __u64 *count_out)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = fd;
	a.batch.in_batch = (uintptr_t)in;
	a.batch.out_batch = (uintptr_t)out;
	a.batch.keys = (uintptr_t)keys;
	a.batch.values = (uintptr_t)values;
	a.batch.count = count;
	a.batch.elem_flags = elem_flags;
	a.batch.flags = flags;
	r = call(s, cmd, &a);
	if (count_out)
		*count_out = a.batch.count;
	return r;
}

static long elem(struct side *s, unsigned int cmd, int fd, void *key,
		 void *value, __u64 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	a.flags = flags;
	return call(s, cmd, &a);
}

static long map_info(struct side *s, int fd, struct bpf_map_info *info,
		     __u32 len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = len;
	a.info.info = (uintptr_t)info;
	return call(s, BPF_OBJ_GET_INFO_BY_FD, &a);
}

/* ---- MAP_CREATE ----------------------------------------------------------- */

static long create_inner_map_fd(struct side *s, __u64 *out)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
			     .value_size = 8, .max_entries = 2, .inner_map_fd = 1 };

	long r = create(s, &a);

	return r < 0 ? r : 0;
}

static long create_numa_no_flag(struct side *s, __u64 *out)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_HASH, .key_size = 4,
			     .value_size = 8, .max_entries = 2, .numa_node = 7 };
	long r = create(s, &a);

	return r < 0 ? r : 0;
}

static long create_numa_node0(struct side *s, __u64 *out)
{
	union bpf_attr a = { .key_size = 4, .value_size = 8, .max_entries = 2,
			     .map_flags = BPF_F_NUMA_NODE };
	static const __u32 types[] = { BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_HASH,
				       BPF_MAP_TYPE_PERCPU_ARRAY,
				       BPF_MAP_TYPE_PERCPU_HASH };
	long r;
	int i;

	/* Each type's errno, two digits each: the kernel's 0, 0, 22, 22. */
	for (i = 0; i < 4; i++) {
		a.map_type = types[i];
		r = create(s, &a);
		*out = *out * 100 + (r < 0 ? -r : 0);
	}
	return 0;
}

static long create_prog_rw(struct side *s, __u64 *out)
{
	long r = mk(s, BPF_MAP_TYPE_HASH, 4, 8, 2,
		    BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);

	return r < 0 ? r : 0;
}

static long create_name_after_type(struct side *s, __u64 *out)
{
	/* The type's E2BIG before the name's EINVAL. */
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_PERCPU_ARRAY,
			     .key_size = 4, .value_size = 64 << 10,
			     .max_entries = 1, .map_name = "bad-name" };
	long r = create(s, &a);

	return r < 0 ? r : 0;
}

static long create_ifindex_after_type(struct side *s, __u64 *out)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_PERCPU_ARRAY,
			     .key_size = 4, .value_size = 64 << 10,
			     .max_entries = 1, .map_ifindex = 1 };
	long r = create(s, &a);

	return r < 0 ? r : 0;
}

static long create_inner_map_flag(struct side *s, __u64 *out)
{
	long r = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_INNER_MAP);

	return r < 0 ? r : 0;
}

static long create_inner_map_flag_percpu(struct side *s, __u64 *out)
{
	long r = mk(s, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, BPF_F_INNER_MAP);

	return r < 0 ? r : 0;
}

static long create_unprivileged_oversized(struct side *s, __u64 *out)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	static unsigned char big[4096];
	int status;
	pid_t pid;

	/*
	 * No capability at all (the guest keeps 6.1's default of unprivileged
	 * BPF disabled): EPERM before the attr's non-zero tail (E2BIG).
	 */
	pid = fork();
	if (pid == 0) {
		long r;

		if (syscall(SYS_capset, &h, d))
			_exit(255);
		memset(big, 0, sizeof(big));
		((union bpf_attr *)big)->map_type = BPF_MAP_TYPE_ARRAY;
		big[sizeof(big) - 1] = 1;
		if (s->kernel) {
			r = syscall(__NR_bpf, BPF_MAP_CREATE, big, sizeof(big));
			r = r < 0 ? -errno : r;
		} else {
			r = bpfdev_call(devfd, BPF_MAP_CREATE, big, sizeof(big));
		}
		_exit(r < 0 ? -r : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1000;
	return -WEXITSTATUS(status);
}

/* ---- info --------------------------------------------------------------- */

static long info_rdonly_flags(struct side *s, __u64 *out)
{
	struct bpf_map_info info;
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_RDONLY | BPF_F_RDONLY_PROG);
	long r;

	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	r = map_info(s, fd, &info, sizeof(info));
	*out = info.map_flags;
	return r;
}

static long info_lru_no_common(struct side *s, __u64 *out)
{
	static const __u32 types[] = { BPF_MAP_TYPE_LRU_HASH,
				       BPF_MAP_TYPE_LRU_PERCPU_HASH };
	struct bpf_map_info info;
	long fd, r = 0;
	int i;

	/* max_entries 5 on 2 CPUs: the kernel allocates, and says, 6. */
	for (i = 0; i < 2; i++) {
		fd = mk(s, types[i], 4, 8, 5, BPF_F_NO_COMMON_LRU);
		if (fd < 0)
			return fd;
		memset(&info, 0, sizeof(info));
		r = map_info(s, fd, &info, sizeof(info));
		*out = *out * 1000 + info.max_entries;
	}
	return r;
}

static long info_len_8192(struct side *s, __u64 *out)
{
	static char buf[8192];
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);

	if (fd < 0)
		return fd;
	memset(buf, 0, sizeof(buf));
	return map_info(s, fd, (void *)buf, sizeof(buf));
}

/* ---- values -------------------------------------------------------------- */

static long percpu_padding(struct side *s, __u64 *out)
{
	int ncpus = get_nprocs_conf(), i;
	__u8 val[8 * 64], got[8 * 64];
	__u32 key = 1;
	long fd = mk(s, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 5, 2, 0), r;

	if (fd < 0)
		return fd;
	for (i = 0; i < 8 * ncpus; i++)
		val[i] = 0x10 + i;
	r = elem(s, BPF_MAP_UPDATE_ELEM, fd, &key, val, 0);
	if (r)
		return r;
	memset(got, 0, sizeof(got));
	r = elem(s, BPF_MAP_LOOKUP_ELEM, fd, &key, got, 0);
	/* A checksum of every byte, padding included. */
	for (i = 0; i < 8 * ncpus; i++)
		*out = *out * 31 + got[i];
	return r;
}

static long percpu_hash_padding(struct side *s, __u64 *out)
{
	int ncpus = get_nprocs_conf(), i;
	__u8 val[8 * 64], got[8 * 64];
	__u32 key = 3;
	long fd = mk(s, BPF_MAP_TYPE_PERCPU_HASH, 4, 3, 2, 0), r;

	if (fd < 0)
		return fd;
	for (i = 0; i < 8 * ncpus; i++)
		val[i] = 0x20 + i;
	r = elem(s, BPF_MAP_UPDATE_ELEM, fd, &key, val, 0);
	if (r)
		return r;
	memset(got, 0, sizeof(got));
	r = elem(s, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, got, 0);
	for (i = 0; i < 8 * ncpus; i++)
		*out = *out * 31 + got[i];
	return r;
}

/* ---- FREEZE ------------------------------------------------------------- */

static long freeze_rdonly_fd(struct side *s, __u64 *out)
{
	union bpf_attr a;
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_RDONLY);

	if (fd < 0)
		return fd;
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	return call(s, BPF_MAP_FREEZE, &a);
}

static long freeze_prog_array(struct side *s, __u64 *out)
{
	union bpf_attr a;
	__u32 key = 0;
	long fd = mk(s, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0);

	if (fd < 0)
		return fd;
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	*out = call(s, BPF_MAP_FREEZE, &a);
	/* Frozen: syscall writes are refused. */
	return elem(s, BPF_MAP_DELETE_ELEM, fd, &key, NULL, 0);
}

/* ---- elements ------------------------------------------------------------ */

static long update_lock_null_key(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_HASH, 4, 8, 2, 0);

	if (fd < 0)
		return fd;
	return elem(s, BPF_MAP_UPDATE_ELEM, fd, NULL, NULL, BPF_F_LOCK);
}

static long ringbuf_key(struct side *s, __u64 *out)
{
	__u32 key = 0;
	__u64 val = 0;
	long fd = mk(s, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);
	long r[4];

	if (fd < 0)
		return fd;
	r[0] = elem(s, BPF_MAP_LOOKUP_ELEM, fd, &key, &val, 0);
	r[1] = elem(s, BPF_MAP_UPDATE_ELEM, fd, &key, &val, 0);
	r[2] = elem(s, BPF_MAP_DELETE_ELEM, fd, &key, NULL, 0);
	r[3] = elem(s, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, &key, &val, 0);
	*out = -r[1] * 1000000 - r[2] * 1000 - r[3];
	return r[0];
}

static long ringbuf_next_key(struct side *s, __u64 *out)
{
	union bpf_attr a;
	__u32 key = 0, next;
	long fd = mk(s, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);

	if (fd < 0)
		return fd;
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)&key;
	a.next_key = (uintptr_t)&next;
	return call(s, BPF_MAP_GET_NEXT_KEY, &a);
}

/* ---- batches ------------------------------------------------------------- */

/* Keys and values written by batches, then room for the lookups' output. */
static __u32 keys[16] = { 0, 1, 9, 2 };
static __u64 values[16 * 64];
static __u32 okeys[16];
static __u64 ovalues[16 * 64];

static long write_batch_tokens(struct side *s, __u64 *out)
{
	__u32 tok = 5;
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	return batch(s, BPF_MAP_UPDATE_BATCH, fd, &tok, &tok, keys, values, 2,
		     0, 1, out);
}

static long lookup_batch_flags_generic(struct side *s, __u64 *out)
{
	__u32 tok;
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	return batch(s, BPF_MAP_LOOKUP_BATCH, fd, NULL, &tok, okeys, ovalues, 8,
		     0, 1, out);
}

static long lookup_batch_flags_hash(struct side *s, __u64 *out)
{
	__u32 tok;
	long fd = mk(s, BPF_MAP_TYPE_HASH, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	return batch(s, BPF_MAP_LOOKUP_BATCH, fd, NULL, &tok, okeys, ovalues, 8,
		     0, 1, out);
}

static long elem_flags_after_fd(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_RDONLY);
	long r[2];

	if (fd < 0)
		return fd;
	r[0] = batch(s, BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, 1,
		     BPF_F_LOCK, 0, NULL);
	r[1] = batch(s, BPF_MAP_UPDATE_BATCH, 1000, NULL, NULL, keys, values,
		     1, 4, 0, NULL);
	*out = -r[1];
	return r[0];
}

static long update_batch_elem_flags(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	return batch(s, BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values, 1,
		     BPF_NOEXIST, 0, out);
}

static long delete_batch_array(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	*out = -batch(s, BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, 0,
		      0, 0, NULL);
	return batch(s, BPF_MAP_DELETE_BATCH, fd, NULL, NULL, keys, NULL, 2,
		     1, 0, NULL);
}

static long lookup_and_delete_batch_order(struct side *s, __u64 *out)
{
	__u32 tok;
	long afd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY);
	long lfd = mk(s, BPF_MAP_TYPE_LPM_TRIE, 8, 8, 4, BPF_F_NO_PREALLOC);
	long r;

	if (afd < 0 || lfd < 0)
		return afd < 0 ? afd : lfd;
	/* EPERM before ENOTSUPP, ENOTSUPP before EINVAL. */
	*out = -batch(s, BPF_MAP_LOOKUP_AND_DELETE_BATCH, afd, NULL, &tok,
		      okeys, ovalues, 2, 0, 0, NULL);
	r = batch(s, BPF_MAP_LOOKUP_AND_DELETE_BATCH, lfd, NULL, &tok, okeys,
		  ovalues, 2, 1, 1, NULL);
	return r;
}

static long ringbuf_batch_count0(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0);

	if (fd < 0)
		return fd;
	*out = -batch(s, BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values, 0,
		      0, 0, NULL);
	return batch(s, BPF_MAP_LOOKUP_BATCH, fd, NULL, NULL, okeys, ovalues, 0,
		     0, 0, NULL);
}

static long failed_update_batch_count(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	/* keys[2] = 9 is past the end: E2BIG after two done. */
	return batch(s, BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, values, 4,
		     0, 0, out);
}

static long failed_lookup_batch_count(struct side *s, __u64 *out)
{
	long fd = mk(s, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	/* A faulting out_batch after the count is written. */
	return batch(s, BPF_MAP_LOOKUP_BATCH, fd, NULL, NULL, okeys, ovalues, 2,
		     0, 0, out);
}

static long failed_delete_batch_count(struct side *s, __u64 *out)
{
	__u32 k[3] = { 1, 2, 1 };
	__u64 v[3] = { 0 };
	long fd = mk(s, BPF_MAP_TYPE_HASH, 4, 8, 4, 0);

	if (fd < 0)
		return fd;
	batch(s, BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, k, v, 2, 0, 0, NULL);
	/* The second delete of key 1 is ENOENT after two done. */
	return batch(s, BPF_MAP_DELETE_BATCH, fd, NULL, NULL, k, NULL, 3,
		     0, 0, out);
}

/* ---- ids ---------------------------------------------------------------- */

static long next_id_int_max(struct side *s, __u64 *out)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.start_id = 0x7fffffff;
	*out = -call(s, BPF_PROG_GET_NEXT_ID, &a);
	a.start_id = 0xffffffff;
	return call(s, BPF_MAP_GET_NEXT_ID, &a);
}

struct row {
	const char *name;
	long (*run)(struct side *s, __u64 *out);
};

static const struct row rows[] = {
	{ "MAP_CREATE: inner_map_fd on a plain map is ignored", create_inner_map_fd },
	{ "MAP_CREATE: numa_node without BPF_F_NUMA_NODE is ignored", create_numa_no_flag },
	{ "MAP_CREATE: BPF_F_NUMA_NODE node 0 per type", create_numa_node0 },
	{ "MAP_CREATE: BPF_F_RDONLY_PROG|BPF_F_WRONLY_PROG", create_prog_rw },
	{ "MAP_CREATE: the type's E2BIG before the name's EINVAL", create_name_after_type },
	{ "MAP_CREATE: the type's E2BIG before map_ifindex", create_ifindex_after_type },
	{ "MAP_CREATE: BPF_F_INNER_MAP on an array", create_inner_map_flag },
	{ "MAP_CREATE: no capability, oversized attr", create_unprivileged_oversized },
	{ "MAP_CREATE: BPF_F_INNER_MAP on a per-CPU array", create_inner_map_flag_percpu },
	{ "info: map_flags without BPF_F_RDONLY", info_rdonly_flags },
	{ "info: LRU with BPF_F_NO_COMMON_LRU rounds max_entries", info_lru_no_common },
	{ "info: info_len 8192 with a zero tail", info_len_8192 },
	{ "per-CPU array values keep their padding", percpu_padding },
	{ "per-CPU hash values keep their padding", percpu_hash_padding },
	{ "FREEZE through a BPF_F_RDONLY map's fd", freeze_rdonly_fd },
	{ "FREEZE of a prog array", freeze_prog_array },
	{ "UPDATE_ELEM BPF_F_LOCK before the key copy", update_lock_null_key },
	{ "ringbuf element commands with a key", ringbuf_key },
	{ "ringbuf GET_NEXT_KEY with a key", ringbuf_next_key },
	{ "UPDATE_BATCH ignores in/out_batch and batch.flags", write_batch_tokens },
	{ "LOOKUP_BATCH (generic) ignores batch.flags", lookup_batch_flags_generic },
	{ "LOOKUP_BATCH (hash) refuses batch.flags", lookup_batch_flags_hash },
	{ "batch elem_flags after the fd and its access", elem_flags_after_fd },
	{ "UPDATE_BATCH elem_flags BPF_NOEXIST", update_batch_elem_flags },
	{ "DELETE_BATCH on an array", delete_batch_array },
	{ "LOOKUP_AND_DELETE_BATCH: EPERM, ENOTSUPP, EINVAL order", lookup_and_delete_batch_order },
	{ "ringbuf batches with count 0", ringbuf_batch_count0 },
	{ "failed UPDATE_BATCH writes the count done", failed_update_batch_count },
	{ "failed LOOKUP_BATCH keeps the count written", failed_lookup_batch_count },
	{ "failed DELETE_BATCH writes the count done", failed_delete_batch_count },
	{ "*_GET_NEXT_ID with start_id >= INT_MAX", next_id_int_max },
};

int main(void)
{
	size_t i;
	int j;

	tap_plan(0);
	objs_init();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct side s[2] = { { .kernel = 1 }, { .kernel = 0 } };
		__u64 out[2] = { 0, 0 };
		long r[2];

		for (j = 0; j < 2; j++) {
			r[j] = rows[i].run(&s[j], &out[j]);
			while (s[j].nfds)
				close(s[j].fds[--s[j].nfds]);
		}
		ok(r[0] == r[1] && out[0] == out[1],
		   "%s: kernel %ld (%llu), bpfdev %ld (%llu)", rows[i].name,
		   r[0], (unsigned long long)out[0], r[1],
		   (unsigned long long)out[1]);
	}
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
