/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_MAP_H
#define BPFDEV_MAP_H

#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/compiler.h>
#include <linux/refcount.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/bpf.h>

#include "map_desc.h"

struct bpfdev_btf;

struct bpfdev_map;
struct file;
struct vm_area_struct;

/*
 * What a map type implements.  lookup/update/delete are called by
 * programs (softirq or process context, under rcu_read_lock(), never
 * sleeping) and by the syscall side (process context, also under
 * rcu_read_lock()).  *_sys variants, when present, replace the generic
 * syscall path (per-CPU values, fd-valued maps).
 */
struct bpfdev_map_ops {
	/* Checks attr beyond the common checks; may be NULL. */
	int (*check)(const union bpf_attr *attr);
	struct bpfdev_map *(*alloc)(const union bpf_attr *attr);
	/* Process context, after every reader is gone. */
	void (*free)(struct bpfdev_map *map);
	void *(*lookup)(struct bpfdev_map *map, const void *key);
	long (*update)(struct bpfdev_map *map, const void *key,
		       const void *value, u64 flags);
	long (*delete)(struct bpfdev_map *map, const void *key);
	/* key NULL: the first key.  -ENOENT after the last. */
	int (*get_next_key)(struct bpfdev_map *map, const void *key,
			    void *next_key);
	int (*lookup_sys)(struct bpfdev_map *map, const void *key, void *value);
	int (*update_sys)(struct bpfdev_map *map, const void *key,
			  const void *value, u64 flags);
	int (*lookup_and_delete_sys)(struct bpfdev_map *map, const void *key,
				     void *value);
	/* The last fd or pin is gone (prog arrays drop their programs). */
	void (*release_uref)(struct bpfdev_map *map);
	int (*mmap)(struct bpfdev_map *map, struct vm_area_struct *vma);
	__poll_t (*poll)(struct bpfdev_map *map, struct file *file,
			 struct poll_table_struct *pts);
	/*
	 * LOOKUP(_AND_DELETE)_BATCH of its own (hash maps: 4-byte bucket
	 * tokens, as the kernel's); NULL: the generic one over get_next_key.
	 */
	int (*lookup_batch)(struct bpfdev_map *map, const union bpf_attr *attr,
			    union bpf_attr __user *uattr, bool delete);
	/* The verifier's direct value address (BPF_PSEUDO_MAP_VALUE); may be NULL. */
	int (*direct_value_addr)(const struct bpfdev_map *map, u64 *addr, u32 off);
};

struct bpfdev_map {
	const struct bpfdev_map_ops	*ops;
	u32			type;		/* enum bpf_map_type */
	u32			key_size;
	u32			value_size;
	u32			max_entries;
	u32			map_flags;
	u32			id;
	bool			frozen;		/* MAP_FREEZE: syscall writes refused */
	bool			percpu;
	char			name[BPF_OBJ_NAME_LEN];
	/* Kernel references: fds, pins, programs using it. */
	refcount_t		refcnt;
	/* The fds and pins alone (the kernel's usercnt). */
	atomic64_t		usercnt;
	struct mutex		freeze_mutex;	/* serialises MAP_FREEZE */
	/* MAP_CREATE's BTF (a reference) and type ids, for the info only. */
	struct bpfdev_btf	*btf;
	u32			btf_key_type_id;
	u32			btf_value_type_id;
	struct rcu_work		free_work;
	/* The verifier's view; desc.host points back here. */
	struct bpfdev_map_desc	desc;
};

/* Bytes of one value as the syscall side sees it (all CPUs for per-CPU maps). */
u32 bpfdev_map_value_size_sys(const struct bpfdev_map *map);

/* Fills the common fields from attr (after ops->alloc). */
void bpfdev_map_init_from_attr(struct bpfdev_map *map, const union bpf_attr *attr);

/* Rejects maps whose total footprint would exceed the cap (E2BIG). */
int bpfdev_map_check_size(u64 bytes);

struct bpfdev_map *bpfdev_map_get_from_fd(int fd);
void bpfdev_map_get(struct bpfdev_map *map);
void bpfdev_map_put(struct bpfdev_map *map);
void bpfdev_map_inc_uref(struct bpfdev_map *map);
void bpfdev_map_put_uref(struct bpfdev_map *map);
int bpfdev_map_new_fd(struct bpfdev_map *map, int flags);
struct bpfdev_map *bpfdev_map_get_by_file(struct file *file);

/* Fills struct bpf_map_info for OBJ_GET_INFO_BY_FD. */
int bpfdev_map_info(struct bpfdev_map *map, union bpf_attr *attr,
		    union bpf_attr __user *uattr);

struct bpfdev_file;
int bpfdev_cmd_map_create(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_lookup(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_update(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_delete(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_get_next_key(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_lookup_and_delete(struct bpfdev_file *bf, union bpf_attr *attr,
				     union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_freeze(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_lookup_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_lookup_and_delete_batch(struct bpfdev_file *bf,
					   union bpf_attr *attr,
					   union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_update_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_delete_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
			       union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_map_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);

/* Map types, each in its own file. */
extern const struct bpfdev_map_ops bpfdev_array_ops;
extern const struct bpfdev_map_ops bpfdev_percpu_array_ops;
extern const struct bpfdev_map_ops bpfdev_prog_array_ops;
extern const struct bpfdev_map_ops bpfdev_htab_ops;
extern const struct bpfdev_map_ops bpfdev_htab_percpu_ops;
extern const struct bpfdev_map_ops bpfdev_htab_lru_ops;
extern const struct bpfdev_map_ops bpfdev_htab_lru_percpu_ops;
extern const struct bpfdev_map_ops bpfdev_lpm_ops;
extern const struct bpfdev_map_ops bpfdev_ringbuf_ops;
extern const struct bpfdev_map_ops bpfdev_stack_trace_ops;

/*
 * Values are copied a u64 at a time where both ends are 8-byte aligned and
 * the size is a multiple of 8: a reader racing an in-place writer sees
 * each word whole, old or new, never a mix of bytes (memcpy may copy byte
 * by byte, with rep movsb).  Wider values may still mix words, as in the
 * kernel without BPF_F_LOCK.
 */
static inline void bpfdev_value_copy(void *dst, const void *src, u32 size)
{
	u64 *d = dst;
	const u64 *s = src;
	u32 i;

	if ((size | (unsigned long)dst | (unsigned long)src) & 7) {
		memcpy(dst, src, size);
		return;
	}
	for (i = 0; i < size / 8; i++)
		WRITE_ONCE(d[i], READ_ONCE(s[i]));
}

/*
 * Zeroes a value the same way: a reused hash element's per-CPU values are
 * zeroed while a reader that found it under its old key may still copy
 * them, and memset (rep stosb) would let it see a word half cleared.
 */
static inline void bpfdev_value_zero(void *dst, u32 size)
{
	u64 *d = dst;
	u32 i;

	if ((size | (unsigned long)dst) & 7) {
		memset(dst, 0, size);
		return;
	}
	for (i = 0; i < size / 8; i++)
		WRITE_ONCE(d[i], 0);
}

/* The array's get_next_key, shared by the array-like maps. */
int bpfdev_array_get_next_key(struct bpfdev_map *map, const void *key,
			      void *next_key);

/*
 * The element operations of the common map types, called directly by the
 * helpers: an indirect call through ops costs a retpoline per call.
 */
void *bpfdev_array_lookup(struct bpfdev_map *map, const void *key);
long bpfdev_array_update(struct bpfdev_map *map, const void *key,
			 const void *value, u64 flags);
void *bpfdev_htab_lookup(struct bpfdev_map *map, const void *key);
long bpfdev_htab_update(struct bpfdev_map *map, const void *key,
			const void *value, u64 flags);
void *bpfdev_lpm_lookup(struct bpfdev_map *map, const void *key);

/* A prog array runs programs of one type: the first user's (-EINVAL else). */
int bpfdev_prog_array_check_owner(struct bpfdev_map *map, u32 prog_type);

#endif /* BPFDEV_MAP_H */
