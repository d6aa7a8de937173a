// SPDX-License-Identifier: GPL-2.0
/*
 * Hash maps: BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH.
 *
 * Every element is preallocated at creation, as the kernel's default
 * (prealloc) htab: programs update from softirq and must never allocate.
 * BPF_F_NO_PREALLOC is accepted and changes nothing but memory use.
 *
 * Readers walk a bucket's hlist_nulls under RCU alone.  An element freed
 * to the free list may be reused at once (the kernel's prealloc semantics:
 * a reader may see the new contents); the nulls marker at the end of each
 * chain is the bucket index, so a reader that followed a reused element
 * into another chain notices and restarts.
 *
 * Writers: plain and per-CPU hash maps lock one bucket (irqsave: programs
 * run in softirq) and, nested inside it, the free list's lock.  LRU
 * maps take one map-wide lock for writers, which also guards the LRU and
 * free lists; eviction is a clock sweep from the LRU tail over a reference
 * bit that lookups set.  BPF_F_NO_COMMON_LRU is accepted and shares the
 * one list.
 */

#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/rculist_nulls.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "map.h"

#define BPFDEV_HTAB_FLAGS	(BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | \
				 BPF_F_ZERO_SEED | BPF_F_RDONLY | \
				 BPF_F_WRONLY | BPF_F_RDONLY_PROG | \
				 BPF_F_WRONLY_PROG | BPF_F_NUMA_NODE)
/* Elements beyond max_entries, so replacing a key in a full map works. */
#define BPFDEV_HTAB_SPARES	(num_possible_cpus() + 16)
/* LRU: how far the clock hand looks for an unreferenced element. */
#define BPFDEV_LRU_SCAN		64

struct bpfdev_htab_elem {
	struct hlist_nulls_node	node;
	struct list_head	list;	/* free list, or LRU list when hashed */
	u32			hash;
	u8			ref;	/* LRU: looked up since the last sweep */
	void __percpu		*pptr;	/* per-CPU value */
	char			key[] __aligned(8);	/* then the value */
};

struct bpfdev_htab_bucket {
	struct hlist_nulls_head	head;
	raw_spinlock_t		lock;
};

struct bpfdev_htab {
	struct bpfdev_map		map;
	struct bpfdev_htab_bucket	*buckets;
	u32				n_buckets;	/* power of two */
	u32				elem_size;
	u32				key_size8;	/* key_size rounded up to 8 */
	u32				hashrnd;
	bool				lru;
	atomic_t			count;
	char				*elems;
	u32				nr_elems;
	raw_spinlock_t			lock;	/* free list; LRU: all writes */
	struct list_head		free;
	/*
	 * Plain hash maps: one spare element per CPU, swapped with the old
	 * element when a key is replaced (the kernel's extra_elems), so a
	 * replacement touches no free list.  Used under the bucket's lock.
	 */
	struct bpfdev_htab_elem * __percpu *extra;
	struct list_head		lru_list;
};

static struct bpfdev_htab *to_htab(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_htab, map);
}

static bool bpfdev_htab_is_percpu(u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static bool bpfdev_htab_is_lru(u32 type)
{
	return type == BPF_MAP_TYPE_LRU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static void *elem_value(const struct bpfdev_htab *htab,
			const struct bpfdev_htab_elem *l)
{
	return (void *)l->key + htab->key_size8;
}

static struct bpfdev_htab_elem *elem_at(struct bpfdev_htab *htab, u32 i)
{
	return (struct bpfdev_htab_elem *)(htab->elems + (size_t)i * htab->elem_size);
}

/* ---- creation ---------------------------------------------------------- */

static struct bpfdev_htab_elem *bpfdev_htab_pop_free(struct bpfdev_htab *htab)
{
	struct bpfdev_htab_elem *l;

	l = list_first_entry_or_null(&htab->free, struct bpfdev_htab_elem, list);
	if (l)
		list_del_init(&l->list);
	return l;
}

/*
 * As the kernel's htab_map_alloc(): an LRU map with BPF_F_NO_COMMON_LRU
 * holds a multiple of the CPUs (a list each, none empty), rounded up,
 * and says so in max_entries.  bpfdev keeps one list, of that size.
 */
static u32 bpfdev_htab_max_entries(const union bpf_attr *attr)
{
	u32 ncpus = num_possible_cpus(), max;

	if (!bpfdev_htab_is_lru(attr->map_type) ||
	    !(attr->map_flags & BPF_F_NO_COMMON_LRU))
		return attr->max_entries;
	max = roundup(attr->max_entries, ncpus);
	return max < attr->max_entries ? rounddown(attr->max_entries, ncpus) : max;
}

static u64 bpfdev_htab_bytes(const union bpf_attr *attr, u32 *elem_size,
			     u32 *nr_elems)
{
	bool percpu = bpfdev_htab_is_percpu(attr->map_type);
	u32 max = bpfdev_htab_max_entries(attr);
	u64 size, bytes;

	size = sizeof(struct bpfdev_htab_elem) + round_up(attr->key_size, 8);
	if (!percpu)
		size += round_up(attr->value_size, 8);
	*elem_size = size;
	*nr_elems = max + BPFDEV_HTAB_SPARES;
	bytes = size * *nr_elems;
	bytes += (u64)roundup_pow_of_two(max) *
		 sizeof(struct bpfdev_htab_bucket);
	if (percpu)
		bytes += (u64)*nr_elems * round_up(attr->value_size, 8) *
			 num_possible_cpus();
	return bytes;
}

static int bpfdev_htab_check(const union bpf_attr *attr)
{
	bool lru = bpfdev_htab_is_lru(attr->map_type);
	u32 elem_size, nr_elems;

	if (attr->map_flags & ~BPFDEV_HTAB_FLAGS)
		return -EINVAL;
	if (!lru && (attr->map_flags & BPF_F_NO_COMMON_LRU))
		return -EINVAL;
	if (lru && (attr->map_flags & BPF_F_NO_PREALLOC))
		return -ENOTSUPP;
	/* As the kernel's: per-CPU values and lists have no one node. */
	if ((attr->map_flags & BPF_F_NUMA_NODE) &&
	    (bpfdev_htab_is_percpu(attr->map_type) ||
	     (attr->map_flags & BPF_F_NO_COMMON_LRU)))
		return -EINVAL;
	if (!attr->key_size || !attr->value_size || !attr->max_entries)
		return -EINVAL;
	/* As the kernel's: keys need not fit the stack, elements kmalloc. */
	if ((u64)attr->key_size + attr->value_size >=
	    KMALLOC_MAX_SIZE - sizeof(struct bpfdev_htab_elem))
		return -E2BIG;
	if (bpfdev_htab_is_percpu(attr->map_type) &&
	    round_up(attr->value_size, 8) > PCPU_MIN_UNIT_SIZE)
		return -E2BIG;
	if (attr->max_entries > (1U << 31))
		return -E2BIG;
	return bpfdev_map_check_size(bpfdev_htab_bytes(attr, &elem_size,
						       &nr_elems));
}

static void bpfdev_htab_free(struct bpfdev_map *map)
{
	struct bpfdev_htab *htab = to_htab(map);
	u32 i;

	if (htab->elems && map->percpu) {
		for (i = 0; i < htab->nr_elems; i++)
			free_percpu(elem_at(htab, i)->pptr);
	}
	free_percpu(htab->extra);
	kvfree(htab->elems);
	kvfree(htab->buckets);
	kfree(htab);
}

static struct bpfdev_map *bpfdev_htab_alloc(const union bpf_attr *attr)
{
	struct bpfdev_htab *htab;
	u32 i;

	htab = kzalloc(sizeof(*htab), GFP_KERNEL_ACCOUNT);
	if (!htab)
		return ERR_PTR(-ENOMEM);
	bpfdev_htab_bytes(attr, &htab->elem_size, &htab->nr_elems);
	htab->map.percpu = bpfdev_htab_is_percpu(attr->map_type);
	htab->lru = bpfdev_htab_is_lru(attr->map_type);
	htab->key_size8 = round_up(attr->key_size, 8);
	htab->map.max_entries = bpfdev_htab_max_entries(attr);
	htab->n_buckets = roundup_pow_of_two(htab->map.max_entries);
	htab->hashrnd = (attr->map_flags & BPF_F_ZERO_SEED) ? 0 :
			get_random_u32();
	raw_spin_lock_init(&htab->lock);
	INIT_LIST_HEAD(&htab->free);
	INIT_LIST_HEAD(&htab->lru_list);

	htab->buckets = kvcalloc(htab->n_buckets, sizeof(*htab->buckets),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!htab->buckets)
		goto err;
	for (i = 0; i < htab->n_buckets; i++) {
		INIT_HLIST_NULLS_HEAD(&htab->buckets[i].head, i);
		raw_spin_lock_init(&htab->buckets[i].lock);
	}
	htab->elems = kvzalloc((size_t)htab->elem_size * htab->nr_elems,
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!htab->elems)
		goto err;
	for (i = 0; i < htab->nr_elems; i++) {
		struct bpfdev_htab_elem *l = elem_at(htab, i);

		if (htab->map.percpu) {
			l->pptr = __alloc_percpu_gfp(round_up(attr->value_size, 8),
						     8, GFP_KERNEL_ACCOUNT |
						     __GFP_NOWARN);
			if (!l->pptr)
				goto err;
		}
		list_add_tail(&l->list, &htab->free);
		if (!(i & 1023))
			cond_resched();
	}
	if (!htab->lru && !htab->map.percpu) {
		int cpu;

		htab->extra = alloc_percpu_gfp(struct bpfdev_htab_elem *,
					       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!htab->extra)
			goto err;
		/* BPFDEV_HTAB_SPARES >= the number of CPUs: never empty here. */
		for_each_possible_cpu(cpu) {
			struct bpfdev_htab_elem **spare = per_cpu_ptr(htab->extra, cpu);

			*spare = bpfdev_htab_pop_free(htab);
		}
	}
	return &htab->map;
err:
	bpfdev_htab_free(&htab->map);
	return ERR_PTR(-ENOMEM);
}

/* ---- lookup (RCU) ---------------------------------------------------------- */

static u32 bpfdev_htab_hash(const struct bpfdev_htab *htab, const void *key)
{
	return jhash(key, htab->map.key_size, htab->hashrnd);
}

static struct bpfdev_htab_bucket *bucket_of(struct bpfdev_htab *htab, u32 hash)
{
	return &htab->buckets[hash & (htab->n_buckets - 1)];
}

static struct bpfdev_htab_elem *
bpfdev_htab_find(struct bpfdev_htab *htab, const void *key, u32 hash)
{
	struct hlist_nulls_head *head = &bucket_of(htab, hash)->head;
	struct bpfdev_htab_elem *l;
	struct hlist_nulls_node *n;

again:
	hlist_nulls_for_each_entry_rcu(l, n, head, node)
		if (l->hash == hash && !memcmp(l->key, key, htab->map.key_size))
			return l;
	if (unlikely(get_nulls_value(n) != (hash & (htab->n_buckets - 1))))
		goto again;
	return NULL;
}

void *bpfdev_htab_lookup(struct bpfdev_map *map, const void *key)
{
	struct bpfdev_htab *htab = to_htab(map);
	struct bpfdev_htab_elem *l;

	l = bpfdev_htab_find(htab, key, bpfdev_htab_hash(htab, key));
	if (!l)
		return NULL;
	if (htab->lru && !READ_ONCE(l->ref))
		WRITE_ONCE(l->ref, 1);
	if (map->percpu)
		return this_cpu_ptr(l->pptr);
	return elem_value(htab, l);
}

/* ---- free list and LRU -------------------------------------------------------- */

static void bpfdev_htab_put_free(struct bpfdev_htab *htab,
				 struct bpfdev_htab_elem *l)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&htab->lock, flags);
	list_add(&l->list, &htab->free);
	raw_spin_unlock_irqrestore(&htab->lock, flags);
}

/* LRU, under htab->lock: unlink the coldest element and return it. */
static struct bpfdev_htab_elem *bpfdev_lru_evict(struct bpfdev_htab *htab)
{
	struct bpfdev_htab_elem *l = NULL;
	int i;

	for (i = 0; i < BPFDEV_LRU_SCAN && !list_empty(&htab->lru_list); i++) {
		l = list_last_entry(&htab->lru_list, struct bpfdev_htab_elem,
				    list);
		if (!READ_ONCE(l->ref))
			break;
		WRITE_ONCE(l->ref, 0);
		list_move(&l->list, &htab->lru_list);
	}
	if (!l)
		return NULL;
	l = list_last_entry(&htab->lru_list, struct bpfdev_htab_elem, list);
	list_del_init(&l->list);
	hlist_nulls_del_rcu(&l->node);
	atomic_dec(&htab->count);
	return l;
}

/* ---- update and delete --------------------------------------------------------- */

static void bpfdev_htab_copy_value(struct bpfdev_htab *htab,
				   struct bpfdev_htab_elem *l,
				   const void *value, bool all_cpus)
{
	u32 size8 = round_up(htab->map.value_size, 8);
	int cpu, off = 0;

	if (!htab->map.percpu) {
		bpfdev_value_copy(elem_value(htab, l), value, htab->map.value_size);
		return;
	}
	if (!all_cpus) {
		bpfdev_value_copy(this_cpu_ptr(l->pptr), value, htab->map.value_size);
		return;
	}
	for_each_possible_cpu(cpu) {
		/* As the kernel's: the padding to 8 bytes is stored too. */
		bpfdev_value_copy(per_cpu_ptr(l->pptr, cpu), value + off,
				  size8);
		off += size8;
	}
}

/* A new per-CPU element from a program: this CPU's value, zero elsewhere. */
static void bpfdev_htab_init_percpu(struct bpfdev_htab *htab,
				    struct bpfdev_htab_elem *l,
				    const void *value, bool all_cpus)
{
	int cpu;

	if (htab->map.percpu && !all_cpus) {
		for_each_possible_cpu(cpu)
			bpfdev_value_zero(per_cpu_ptr(l->pptr, cpu),
					  round_up(htab->map.value_size, 8));
	}
	bpfdev_htab_copy_value(htab, l, value, all_cpus);
}

static int bpfdev_htab_check_flags(struct bpfdev_htab_elem *old, u64 flags)
{
	if (old && flags == BPF_NOEXIST)
		return -EEXIST;
	if (!old && flags == BPF_EXIST)
		return -ENOENT;
	return 0;
}

/*
 * One critical section under the bucket's lock; the free list's lock nests
 * inside it (bucket, then free list: never the other way round), so an
 * update disables interrupts once.
 */
static long bpfdev_htab_update_plain(struct bpfdev_htab *htab, const void *key,
				     const void *value, u64 flags, bool all_cpus)
{
	u32 hash = bpfdev_htab_hash(htab, key);
	struct bpfdev_htab_bucket *b = bucket_of(htab, hash);
	struct bpfdev_htab_elem *l, *old;
	unsigned long irqflags;
	int err;

	raw_spin_lock_irqsave(&b->lock, irqflags);
	old = bpfdev_htab_find(htab, key, hash);
	err = bpfdev_htab_check_flags(old, flags);
	if (err)
		goto out;
	if (old && htab->map.percpu) {
		/* Per-CPU values of an existing key are updated in place. */
		bpfdev_htab_copy_value(htab, old, value, all_cpus);
		goto out;
	}
	if (!old && atomic_inc_return(&htab->count) > htab->map.max_entries) {
		atomic_dec(&htab->count);
		err = -E2BIG;
		goto out;
	}
	if (old && htab->extra) {
		/* Replace through this CPU's spare; old becomes the spare. */
		l = *this_cpu_ptr(htab->extra);
		*this_cpu_ptr(htab->extra) = old;
		memcpy(l->key, key, htab->map.key_size);
		l->hash = hash;
		bpfdev_htab_copy_value(htab, l, value, all_cpus);
		hlist_nulls_add_head_rcu(&l->node, &b->head);
		hlist_nulls_del_rcu(&old->node);
		goto out;
	}
	raw_spin_lock(&htab->lock);
	l = bpfdev_htab_pop_free(htab);
	raw_spin_unlock(&htab->lock);
	if (!l) {
		if (!old)
			atomic_dec(&htab->count);
		err = -E2BIG;
		goto out;
	}
	memcpy(l->key, key, htab->map.key_size);
	l->hash = hash;
	bpfdev_htab_init_percpu(htab, l, value, all_cpus);
	hlist_nulls_add_head_rcu(&l->node, &b->head);
	if (old) {
		hlist_nulls_del_rcu(&old->node);
		raw_spin_lock(&htab->lock);
		list_add(&old->list, &htab->free);
		raw_spin_unlock(&htab->lock);
	}
out:
	raw_spin_unlock_irqrestore(&b->lock, irqflags);
	return err;
}

static long bpfdev_htab_update_lru(struct bpfdev_htab *htab, const void *key,
				   const void *value, u64 flags, bool all_cpus)
{
	u32 hash = bpfdev_htab_hash(htab, key);
	struct bpfdev_htab_bucket *b = bucket_of(htab, hash);
	struct bpfdev_htab_elem *l, *old, *victim;
	unsigned long irqflags;
	int err;

	raw_spin_lock_irqsave(&htab->lock, irqflags);
	old = bpfdev_htab_find(htab, key, hash);
	err = bpfdev_htab_check_flags(old, flags);
	if (err)
		goto out;
	if (old && htab->map.percpu) {
		bpfdev_htab_copy_value(htab, old, value, all_cpus);
		list_move(&old->list, &htab->lru_list);
		goto out;
	}
	if (!old && atomic_read(&htab->count) >= htab->map.max_entries) {
		victim = bpfdev_lru_evict(htab);
		if (victim)
			list_add(&victim->list, &htab->free);
	}
	l = bpfdev_htab_pop_free(htab);
	if (!l) {
		err = -E2BIG;
		goto out;
	}
	memcpy(l->key, key, htab->map.key_size);
	l->hash = hash;
	l->ref = 0;
	bpfdev_htab_init_percpu(htab, l, value, all_cpus);
	hlist_nulls_add_head_rcu(&l->node, &b->head);
	list_add(&l->list, &htab->lru_list);
	if (old) {
		hlist_nulls_del_rcu(&old->node);
		list_move(&old->list, &htab->free);
	} else {
		atomic_inc(&htab->count);
	}
out:
	raw_spin_unlock_irqrestore(&htab->lock, irqflags);
	return err;
}

static long bpfdev_htab_update_common(struct bpfdev_map *map, const void *key,
				      const void *value, u64 flags,
				      bool all_cpus)
{
	struct bpfdev_htab *htab = to_htab(map);

	if (unlikely(flags > BPF_EXIST))
		return -EINVAL;
	if (htab->lru)
		return bpfdev_htab_update_lru(htab, key, value, flags, all_cpus);
	return bpfdev_htab_update_plain(htab, key, value, flags, all_cpus);
}

long bpfdev_htab_update(struct bpfdev_map *map, const void *key,
			const void *value, u64 flags)
{
	return bpfdev_htab_update_common(map, key, value, flags, false);
}

static int bpfdev_htab_update_sys(struct bpfdev_map *map, const void *key,
				  const void *value, u64 flags)
{
	int err;

	rcu_read_lock();
	err = bpfdev_htab_update_common(map, key, value, flags, true);
	rcu_read_unlock();
	return err;
}

/*
 * Unlinks key's element; copies its value out first when value is set.
 * The element goes back to the free list.
 */
static int bpfdev_htab_remove(struct bpfdev_htab *htab, const void *key,
			      void *value)
{
	u32 hash = bpfdev_htab_hash(htab, key);
	struct bpfdev_htab_bucket *b = bucket_of(htab, hash);
	raw_spinlock_t *lock = htab->lru ? &htab->lock : &b->lock;
	struct bpfdev_htab_elem *l;
	unsigned long irqflags;
	u32 size8 = round_up(htab->map.value_size, 8);
	int cpu, off = 0;

	raw_spin_lock_irqsave(lock, irqflags);
	l = bpfdev_htab_find(htab, key, hash);
	if (!l) {
		raw_spin_unlock_irqrestore(lock, irqflags);
		return -ENOENT;
	}
	if (value && htab->map.percpu) {
		for_each_possible_cpu(cpu) {
			bpfdev_value_copy(value + off, per_cpu_ptr(l->pptr, cpu),
					  size8);
			off += size8;
		}
	} else if (value) {
		bpfdev_value_copy(value, elem_value(htab, l), htab->map.value_size);
	}
	hlist_nulls_del_rcu(&l->node);
	atomic_dec(&htab->count);
	if (htab->lru) {
		list_move(&l->list, &htab->free);
	} else {
		raw_spin_lock(&htab->lock);
		list_add(&l->list, &htab->free);
		raw_spin_unlock(&htab->lock);
	}
	raw_spin_unlock_irqrestore(lock, irqflags);
	return 0;
}

static long bpfdev_htab_delete(struct bpfdev_map *map, const void *key)
{
	return bpfdev_htab_remove(to_htab(map), key, NULL);
}

static int bpfdev_htab_lookup_and_delete_sys(struct bpfdev_map *map,
					     const void *key, void *value)
{
	int err;

	rcu_read_lock();
	err = bpfdev_htab_remove(to_htab(map), key, value);
	rcu_read_unlock();
	return err;
}

static int bpfdev_htab_lookup_sys(struct bpfdev_map *map, const void *key,
				  void *value)
{
	struct bpfdev_htab *htab = to_htab(map);
	u32 size8 = round_up(map->value_size, 8);
	struct bpfdev_htab_elem *l;
	int cpu, off = 0, err = 0;

	rcu_read_lock();
	l = bpfdev_htab_find(htab, key, bpfdev_htab_hash(htab, key));
	if (!l) {
		err = -ENOENT;
	} else if (map->percpu) {
		for_each_possible_cpu(cpu) {
			bpfdev_value_copy(value + off, per_cpu_ptr(l->pptr, cpu),
					  size8);
			off += size8;
		}
	} else {
		bpfdev_value_copy(value, elem_value(htab, l), map->value_size);
	}
	rcu_read_unlock();
	return err;
}

/*
 * The element after key in bucket order; the first element of the map if
 * key is NULL or gone (as the kernel does).
 */
static int bpfdev_htab_get_next_key(struct bpfdev_map *map, const void *key,
				    void *next_key)
{
	struct bpfdev_htab *htab = to_htab(map);
	struct bpfdev_htab_elem *l = NULL, *next;
	struct hlist_nulls_node *n;
	u32 i = 0, hash;
	int err = -ENOENT;

	rcu_read_lock();
	if (key) {
		hash = bpfdev_htab_hash(htab, key);
		l = bpfdev_htab_find(htab, key, hash);
	}
	if (l) {
		i = hash & (htab->n_buckets - 1);
		next = hlist_nulls_entry_safe(rcu_dereference_raw(hlist_nulls_next_rcu(&l->node)),
					      struct bpfdev_htab_elem, node);
		if (next) {
			memcpy(next_key, next->key, map->key_size);
			err = 0;
			goto out;
		}
		i++;
	}
	for (; i < htab->n_buckets; i++) {
		hlist_nulls_for_each_entry_rcu(next, n, &htab->buckets[i].head,
					       node) {
			memcpy(next_key, next->key, map->key_size);
			err = 0;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return err;
}

/* ---- batch lookups, bucket by bucket -------------------------------------- */

/*
 * The kernel's __htab_map_lookup_and_delete_batch(): whole buckets from
 * the u32 bucket index in in_batch; out_batch gets the next bucket; ENOENT
 * once past the last bucket; ENOSPC if the first bucket is larger than
 * count.  Elements are copied out under the bucket's lock.
 */
static int bpfdev_htab_lookup_batch(struct bpfdev_map *map,
				    const union bpf_attr *attr,
				    union bpf_attr __user *uattr, bool delete)
{
	struct bpfdev_htab *htab = to_htab(map);
	void __user *ukeys = u64_to_user_ptr(attr->batch.keys);
	void __user *uvalues = u64_to_user_ptr(attr->batch.values);
	u32 vsize = bpfdev_map_value_size_sys(map), size8 = round_up(map->value_size, 8);
	u32 max = attr->batch.count, total = 0, batch = 0, cap = 8, cnt, i;
	struct bpfdev_htab_elem *l, **dead = NULL;
	struct hlist_nulls_node *n;
	struct bpfdev_htab_bucket *b;
	void *keys = NULL, *values = NULL;
	unsigned long irqflags;
	raw_spinlock_t *lock;
	int cpu, off, err = 0;

	if (attr->batch.in_batch &&
	    get_user(batch, (u32 __user *)u64_to_user_ptr(attr->batch.in_batch)))
		return -EFAULT;
	if (batch >= htab->n_buckets)
		return -ENOENT;
grow:
	kvfree(keys);
	kvfree(values);
	kvfree(dead);
	keys = kvmalloc_array(cap, map->key_size, GFP_USER | __GFP_NOWARN);
	/* Zeroed, as no stale bytes of an earlier batch may reach the caller. */
	values = kvcalloc(cap, vsize, GFP_USER | __GFP_NOWARN);
	dead = kvmalloc_array(cap, sizeof(*dead), GFP_USER | __GFP_NOWARN);
	if (!keys || !values || !dead) {
		err = -ENOMEM;
		goto out;
	}
	while (batch < htab->n_buckets) {
		b = &htab->buckets[batch];
		lock = htab->lru ? &htab->lock : &b->lock;
		raw_spin_lock_irqsave(lock, irqflags);
		cnt = 0;
		hlist_nulls_for_each_entry(l, n, &b->head, node)
			cnt++;
		if (cnt > max - total) {
			raw_spin_unlock_irqrestore(lock, irqflags);
			if (!total)
				err = -ENOSPC;
			break;
		}
		if (cnt > cap) {
			raw_spin_unlock_irqrestore(lock, irqflags);
			cap = roundup_pow_of_two(cnt);
			goto grow;
		}
		i = 0;
		hlist_nulls_for_each_entry(l, n, &b->head, node) {
			memcpy(keys + i * map->key_size, l->key, map->key_size);
			if (map->percpu) {
				off = 0;
				for_each_possible_cpu(cpu) {
					bpfdev_value_copy(values + i * vsize + off,
							  per_cpu_ptr(l->pptr, cpu),
							  size8);
					off += size8;
				}
			} else {
				bpfdev_value_copy(values + i * vsize, elem_value(htab, l),
						  map->value_size);
			}
			dead[i++] = l;
		}
		if (delete) {
			for (i = 0; i < cnt; i++) {
				hlist_nulls_del_rcu(&dead[i]->node);
				atomic_dec(&htab->count);
				if (htab->lru)
					list_move(&dead[i]->list, &htab->free);
			}
		}
		raw_spin_unlock_irqrestore(lock, irqflags);
		if (delete && !htab->lru) {
			for (i = 0; i < cnt; i++)
				bpfdev_htab_put_free(htab, dead[i]);
		}
		if (cnt && (copy_to_user(ukeys + total * map->key_size, keys,
					 cnt * map->key_size) ||
			    copy_to_user(uvalues + total * vsize, values,
					 cnt * vsize))) {
			err = -EFAULT;
			goto out;
		}
		total += cnt;
		batch++;
		cond_resched();
	}
	if (!err && batch >= htab->n_buckets)
		err = -ENOENT;
	if (put_user(batch, (u32 __user *)u64_to_user_ptr(attr->batch.out_batch)) ||
	    put_user(total, &uattr->batch.count))
		err = -EFAULT;
out:
	kvfree(keys);
	kvfree(values);
	kvfree(dead);
	return err;
}

#define BPFDEV_HTAB_OPS(name)						\
const struct bpfdev_map_ops name = {					\
	.check			= bpfdev_htab_check,			\
	.alloc			= bpfdev_htab_alloc,			\
	.free			= bpfdev_htab_free,			\
	.lookup			= bpfdev_htab_lookup,			\
	.update			= bpfdev_htab_update,			\
	.delete			= bpfdev_htab_delete,			\
	.get_next_key		= bpfdev_htab_get_next_key,		\
	.lookup_sys		= bpfdev_htab_lookup_sys,		\
	.update_sys		= bpfdev_htab_update_sys,		\
	.lookup_and_delete_sys	= bpfdev_htab_lookup_and_delete_sys,	\
	.lookup_batch		= bpfdev_htab_lookup_batch,		\
}

BPFDEV_HTAB_OPS(bpfdev_htab_ops);
BPFDEV_HTAB_OPS(bpfdev_htab_percpu_ops);
BPFDEV_HTAB_OPS(bpfdev_htab_lru_ops);
BPFDEV_HTAB_OPS(bpfdev_htab_lru_percpu_ops);
