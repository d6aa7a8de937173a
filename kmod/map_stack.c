// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_STACK_TRACE, as 6.1's kernel/bpf/stackmap.c: keys are stack
 * ids (a hash of the addresses masked to a power-of-two bucket count),
 * values the addresses, zero-padded to value_size.  bpf_get_stackid()
 * stores (helpers_trace.c); the syscall side looks up, iterates and
 * deletes; updates are EINVAL.  Build ids (BPF_F_STACK_BUILD_ID) are not
 * offered (EINVAL; uapi list).
 *
 * Buckets are preallocated (max_entries of them) and swapped in and out
 * of the table with xchg(), as the kernel's: a reader that takes a bucket
 * out owns it until it puts it back.  The kernel's per-CPU freelist is
 * not exported; the free buckets are a list under a raw spinlock taken
 * with interrupts off, and only tried in NMI (a failed pop is -ENOMEM, a
 * failed push leaves the bucket off the list until the map is freed).
 */

#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "helpers_trace.h"
#include "map.h"

struct bpfdev_stack_bucket {
	struct bpfdev_stack_bucket	*next;	/* on the free list */
	u32				hash;
	u32				nr;
	u64				data[];
};

struct bpfdev_stack_map {
	struct bpfdev_map		map;
	void				*elems;
	struct bpfdev_stack_bucket	*free;
	raw_spinlock_t			lock;	/* free */
	u32				n_buckets;
	struct bpfdev_stack_bucket	*buckets[];
};

static struct bpfdev_stack_map *to_smap(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_stack_map, map);
}

static struct bpfdev_stack_bucket *bpfdev_stack_pop(struct bpfdev_stack_map *smap)
{
	struct bpfdev_stack_bucket *b;
	unsigned long flags;

	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&smap->lock, flags))
			return NULL;
	} else {
		raw_spin_lock_irqsave(&smap->lock, flags);
	}
	b = smap->free;
	if (b)
		smap->free = b->next;
	raw_spin_unlock_irqrestore(&smap->lock, flags);
	return b;
}

static void bpfdev_stack_push(struct bpfdev_stack_map *smap, struct bpfdev_stack_bucket *b)
{
	unsigned long flags;

	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&smap->lock, flags))
			return;
	} else {
		raw_spin_lock_irqsave(&smap->lock, flags);
	}
	b->next = smap->free;
	smap->free = b;
	raw_spin_unlock_irqrestore(&smap->lock, flags);
}

static u32 bpfdev_stack_elem_size(const struct bpfdev_map *map)
{
	return sizeof(struct bpfdev_stack_bucket) + map->value_size;
}

/* The kernel's __bpf_get_stackid() without build ids. */
long bpfdev_stackmap_get_stackid(struct bpfdev_map *map, const u64 *ips, u32 nr,
				 u64 flags)
{
	struct bpfdev_stack_map *smap = to_smap(map);
	struct bpfdev_stack_bucket *bucket, *new_bucket, *old_bucket;
	u32 len = nr * sizeof(u64), hash, id;
	bool hash_matches;

	/* the walk was bounded by value_size + skip: nr fits a bucket */
	hash = jhash2((const u32 *)ips, len / sizeof(u32), 0);
	id = hash & (smap->n_buckets - 1);
	bucket = READ_ONCE(smap->buckets[id]);

	hash_matches = bucket && bucket->hash == hash;
	/* fast cmp */
	if (hash_matches && (flags & BPF_F_FAST_STACK_CMP))
		return id;
	if (hash_matches && bucket->nr == nr && !memcmp(bucket->data, ips, len))
		return id;
	if (bucket && !(flags & BPF_F_REUSE_STACKID))
		return -EEXIST;

	new_bucket = bpfdev_stack_pop(smap);
	if (unlikely(!new_bucket))
		return -ENOMEM;
	memcpy(new_bucket->data, ips, len);
	new_bucket->hash = hash;
	new_bucket->nr = nr;

	old_bucket = xchg(&smap->buckets[id], new_bucket);
	if (old_bucket)
		bpfdev_stack_push(smap, old_bucket);
	return id;
}

static int bpfdev_stack_check(const union bpf_attr *attr)
{
	if (attr->map_flags & ~(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	/* check sanity of attributes */
	if (attr->max_entries == 0 || attr->key_size != 4 ||
	    attr->value_size < 8 || attr->value_size % 8)
		return -EINVAL;
	if (attr->value_size / 8 > BPFDEV_STACK_MAX_DEPTH)
		return -EINVAL;
	if (attr->max_entries > 1UL << 31)
		return -E2BIG;
	return bpfdev_map_check_size((u64)attr->max_entries *
				     (sizeof(struct bpfdev_stack_bucket) + attr->value_size) +
				     (u64)roundup_pow_of_two(attr->max_entries) * sizeof(void *));
}

static void bpfdev_stack_free(struct bpfdev_map *map)
{
	struct bpfdev_stack_map *smap = to_smap(map);

	kvfree(smap->elems);
	kvfree(smap);
}

static struct bpfdev_map *bpfdev_stack_alloc(const union bpf_attr *attr)
{
	u32 n_buckets = roundup_pow_of_two(attr->max_entries), i;
	struct bpfdev_stack_map *smap;
	u32 elem_size;

	smap = kvzalloc(struct_size(smap, buckets, n_buckets),
			GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!smap)
		return ERR_PTR(-ENOMEM);
	smap->n_buckets = n_buckets;
	raw_spin_lock_init(&smap->lock);
	smap->map.value_size = attr->value_size;
	elem_size = bpfdev_stack_elem_size(&smap->map);
	smap->elems = kvcalloc(attr->max_entries, elem_size,
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!smap->elems) {
		kvfree(smap);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < attr->max_entries; i++)
		bpfdev_stack_push(smap, smap->elems + (size_t)i * elem_size);
	return &smap->map;
}

/* Programs may not look up (the verifier refuses); the syscall side copies. */
static void *bpfdev_stack_lookup(struct bpfdev_map *map, const void *key)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/* The kernel's bpf_stackmap_copy(). */
static int bpfdev_stack_lookup_sys(struct bpfdev_map *map, const void *key, void *value)
{
	struct bpfdev_stack_map *smap = to_smap(map);
	struct bpfdev_stack_bucket *bucket, *old_bucket;
	u32 id = *(const u32 *)key, len;

	if (unlikely(id >= smap->n_buckets))
		return -ENOENT;
	bucket = xchg(&smap->buckets[id], NULL);
	if (!bucket)
		return -ENOENT;
	len = bucket->nr * sizeof(u64);
	memcpy(value, bucket->data, len);
	memset(value + len, 0, map->value_size - len);
	old_bucket = xchg(&smap->buckets[id], bucket);
	if (old_bucket)
		bpfdev_stack_push(smap, old_bucket);
	return 0;
}

static long bpfdev_stack_update(struct bpfdev_map *map, const void *key,
				const void *value, u64 flags)
{
	return -EINVAL;
}

static long bpfdev_stack_delete(struct bpfdev_map *map, const void *key)
{
	struct bpfdev_stack_map *smap = to_smap(map);
	struct bpfdev_stack_bucket *old_bucket;
	u32 id = *(const u32 *)key;

	if (unlikely(id >= smap->n_buckets))
		return -E2BIG;
	old_bucket = xchg(&smap->buckets[id], NULL);
	if (!old_bucket)
		return -ENOENT;
	bpfdev_stack_push(smap, old_bucket);
	return 0;
}

static int bpfdev_stack_get_next_key(struct bpfdev_map *map, const void *key,
				     void *next_key)
{
	struct bpfdev_stack_map *smap = to_smap(map);
	u32 id;

	if (!key) {
		id = 0;
	} else {
		id = *(const u32 *)key;
		if (id >= smap->n_buckets || !READ_ONCE(smap->buckets[id]))
			id = 0;
		else
			id++;
	}
	while (id < smap->n_buckets && !READ_ONCE(smap->buckets[id]))
		id++;
	if (id >= smap->n_buckets)
		return -ENOENT;
	*(u32 *)next_key = id;
	return 0;
}

const struct bpfdev_map_ops bpfdev_stack_trace_ops = {
	.check		= bpfdev_stack_check,
	.alloc		= bpfdev_stack_alloc,
	.free		= bpfdev_stack_free,
	.lookup		= bpfdev_stack_lookup,
	.update		= bpfdev_stack_update,
	.delete		= bpfdev_stack_delete,
	.get_next_key	= bpfdev_stack_get_next_key,
	.lookup_sys	= bpfdev_stack_lookup_sys,
};
