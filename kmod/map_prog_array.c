// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_PROG_ARRAY: program slots for bpf_tail_call().
 *
 * Userspace stores program fds (and reads back program ids); each slot
 * holds a reference on its program.  The engine reads slots under RCU and
 * bounds chains at BPF_MAX_TAIL_CALLS (33), as the kernel does.
 *
 * A program that uses the array and sits in it would keep both alive
 * forever; as in the kernel, the slots are emptied when the last fd or
 * pin of the array goes (release_uref).
 */

#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "helpers.h"
#include "map.h"
#include "prog.h"

struct bpfdev_prog_array {
	struct bpfdev_map		map;
	spinlock_t			owner_lock;	/* owner_type */
	u32				owner_type;	/* ~0U: no owner yet */
	struct bpfdev_prog __rcu	*progs[];
};

static struct bpfdev_prog_array *to_parray(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_prog_array, map);
}

static int bpfdev_prog_array_check(const union bpf_attr *attr)
{
	if (attr->key_size != sizeof(u32) || attr->value_size != sizeof(u32) ||
	    !attr->max_entries)
		return -EINVAL;
	/* Programs never read or write prog arrays: no *_PROG flags. */
	if (attr->map_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	return bpfdev_map_check_size((u64)attr->max_entries * sizeof(void *));
}

static struct bpfdev_map *bpfdev_prog_array_alloc(const union bpf_attr *attr)
{
	struct bpfdev_prog_array *pa;

	pa = kvzalloc(struct_size(pa, progs, attr->max_entries),
		      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pa)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&pa->owner_lock);
	pa->owner_type = ~0U;
	return &pa->map;
}

static void bpfdev_prog_array_clear(struct bpfdev_map *map)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	struct bpfdev_prog *old;
	u32 i;

	for (i = 0; i < map->max_entries; i++) {
		old = unrcu_pointer(xchg(&pa->progs[i], NULL));
		if (old)
			bpfdev_prog_put(old);
	}
}

static void bpfdev_prog_array_free(struct bpfdev_map *map)
{
	bpfdev_prog_array_clear(map);
	kvfree(to_parray(map));
}

int bpfdev_prog_array_check_owner(struct bpfdev_map *map, u32 prog_type)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&pa->owner_lock, flags);
	if (pa->owner_type == ~0U)
		pa->owner_type = prog_type;
	else if (pa->owner_type != prog_type)
		err = -EINVAL;
	spin_unlock_irqrestore(&pa->owner_lock, flags);
	return err;
}

const struct bpfdev_code *bpfdev_prog_array_target(void *map, u32 index)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	struct bpfdev_prog *prog;

	if (unlikely(index >= pa->map.max_entries))
		return NULL;
	/* as the kernel masks tail call indices, for every caller */
	index = array_index_nospec(index, pa->map.max_entries);
	prog = rcu_dereference(pa->progs[index]);
	return prog ? &prog->code : NULL;
}

/* Programs may neither read nor write prog arrays (the verifier says so). */
static void *bpfdev_prog_array_lookup(struct bpfdev_map *map, const void *key)
{
	return NULL;
}

static long bpfdev_prog_array_update(struct bpfdev_map *map, const void *key,
				     const void *value, u64 flags)
{
	return -EOPNOTSUPP;
}

static long bpfdev_prog_array_delete(struct bpfdev_map *map, const void *key)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	u32 index = *(const u32 *)key;
	struct bpfdev_prog *old;

	if (index >= map->max_entries)
		return -E2BIG;
	old = unrcu_pointer(xchg(&pa->progs[index], NULL));
	if (!old)
		return -ENOENT;
	bpfdev_prog_put(old);
	return 0;
}

static int bpfdev_prog_array_lookup_sys(struct bpfdev_map *map,
					const void *key, void *value)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	u32 index = *(const u32 *)key;
	struct bpfdev_prog *prog;
	int err = -ENOENT;

	if (index >= map->max_entries)
		return -ENOENT;
	rcu_read_lock();
	prog = rcu_dereference(pa->progs[index]);
	if (prog) {
		*(u32 *)value = prog->id;
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

static int bpfdev_prog_array_update_sys(struct bpfdev_map *map, const void *key,
					const void *value, u64 flags)
{
	struct bpfdev_prog_array *pa = to_parray(map);
	u32 index = *(const u32 *)key;
	struct bpfdev_prog *prog, *old;
	int err;

	if (flags != BPF_ANY)
		return -EINVAL;
	if (index >= map->max_entries)
		return -E2BIG;
	prog = bpfdev_prog_get_from_fd(*(const u32 *)value, ~0U);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	err = bpfdev_prog_array_check_owner(map, prog->type);
	if (err) {
		bpfdev_prog_put(prog);
		return err;
	}
	old = unrcu_pointer(xchg(&pa->progs[index], RCU_INITIALIZER(prog)));
	if (old)
		bpfdev_prog_put(old);
	/*
	 * The command let go of the array's fd before storing (the kernel
	 * holds it throughout), so its last fd may have been closed and the
	 * array emptied meanwhile: a program stored after that and using
	 * the array would keep it, and itself, alive for ever.  Empty it
	 * again.  Both sides are full barriers (xchg() here, the usercnt
	 * decrement there), so either that clear saw our store or we see
	 * its usercnt of 0.
	 */
	if (!atomic64_read(&map->usercnt))
		bpfdev_prog_array_clear(map);
	return 0;
}

const struct bpfdev_map_ops bpfdev_prog_array_ops = {
	.check		= bpfdev_prog_array_check,
	.alloc		= bpfdev_prog_array_alloc,
	.free		= bpfdev_prog_array_free,
	.lookup		= bpfdev_prog_array_lookup,
	.update		= bpfdev_prog_array_update,
	.delete		= bpfdev_prog_array_delete,
	.get_next_key	= bpfdev_array_get_next_key,
	.lookup_sys	= bpfdev_prog_array_lookup_sys,
	.update_sys	= bpfdev_prog_array_update_sys,
	.release_uref	= bpfdev_prog_array_clear,
};
