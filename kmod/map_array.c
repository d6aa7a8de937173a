// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: max_entries values
 * indexed by a u32 key, all preallocated and zeroed, never deleted.
 * Values are updated in place, so readers need no lock (as in the kernel,
 * a concurrent reader may see a value half written).
 */

#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "map.h"

/* BPF_F_INNER_MAP only relaxes map-in-map checks bpfdev has no use for. */
#define BPFDEV_ARRAY_FLAGS	(BPF_F_RDONLY | BPF_F_WRONLY | \
				 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG | \
				 BPF_F_NUMA_NODE | BPF_F_INNER_MAP)

struct bpfdev_array {
	struct bpfdev_map	map;
	u32			elem_size;	/* value_size rounded up to 8 */
	union {
		char		*value;		/* ARRAY */
		void __percpu	**pptrs;	/* PERCPU_ARRAY */
	};
};

static struct bpfdev_array *to_array(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_array, map);
}

static int bpfdev_array_check(const union bpf_attr *attr)
{
	u64 bytes;

	if (attr->key_size != sizeof(u32) || !attr->value_size ||
	    !attr->max_entries)
		return -EINVAL;
	if (attr->map_flags & ~BPFDEV_ARRAY_FLAGS)
		return -EINVAL;
	/* As the kernel's: per-CPU values have no one node, nor inner maps. */
	if (attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY &&
	    (attr->map_flags & (BPF_F_NUMA_NODE | BPF_F_INNER_MAP)))
		return -EINVAL;
	/* As the kernel's: round_up() of the value size must not overflow. */
	if (attr->value_size > INT_MAX)
		return -E2BIG;
	bytes = (u64)round_up(attr->value_size, 8) * attr->max_entries;
	if (attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY) {
		/* The kernel's per-CPU allocator takes at most 32 KiB at once. */
		if (round_up(attr->value_size, 8) > PCPU_MIN_UNIT_SIZE)
			return -E2BIG;
		bytes *= num_possible_cpus();
	}
	return bpfdev_map_check_size(bytes);
}

static struct bpfdev_map *bpfdev_array_alloc(const union bpf_attr *attr)
{
	struct bpfdev_array *array;
	u32 elem_size = round_up(attr->value_size, 8);

	array = kzalloc(sizeof(*array), GFP_KERNEL_ACCOUNT);
	if (!array)
		return ERR_PTR(-ENOMEM);
	array->elem_size = elem_size;
	array->value = kvzalloc((size_t)elem_size * attr->max_entries,
				GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!array->value) {
		kfree(array);
		return ERR_PTR(-ENOMEM);
	}
	/* Programs look values up inline (verifier_inline.c). */
	array->map.desc.gen_lookup = true;
	array->map.desc.gen_lookup_off = offsetof(struct bpfdev_array, value);
	array->map.desc.elem_size = elem_size;
	/* A single value may be addressed directly (BPF_PSEUDO_MAP_VALUE). */
	if (attr->max_entries == 1)
		array->map.desc.value_base = array->value;
	return &array->map;
}

static void bpfdev_array_free(struct bpfdev_map *map)
{
	struct bpfdev_array *array = to_array(map);

	kvfree(array->value);
	kfree(array);
}

void *bpfdev_array_lookup(struct bpfdev_map *map, const void *key)
{
	struct bpfdev_array *array = to_array(map);
	u32 index = *(const u32 *)key;

	if (unlikely(index >= map->max_entries))
		return NULL;
	/* no speculative read past the array with a user-chosen index */
	index = array_index_nospec(index, map->max_entries);
	return array->value + (size_t)array->elem_size * index;
}

long bpfdev_array_update(struct bpfdev_map *map, const void *key,
			 const void *value, u64 flags)
{
	void *ptr;

	if (unlikely(flags > BPF_EXIST))
		return -EINVAL;
	ptr = bpfdev_array_lookup(map, key);
	if (unlikely(!ptr))
		return -E2BIG;
	/* Every element always exists. */
	if (unlikely(flags == BPF_NOEXIST))
		return -EEXIST;
	bpfdev_value_copy(ptr, value, map->value_size);
	return 0;
}

static long bpfdev_array_delete(struct bpfdev_map *map, const void *key)
{
	return -EINVAL;
}

int bpfdev_array_get_next_key(struct bpfdev_map *map, const void *key,
			      void *next_key)
{
	u32 index = key ? *(const u32 *)key : U32_MAX;
	u32 *next = next_key;

	if (index >= map->max_entries) {
		*next = 0;
		return 0;
	}
	if (index == map->max_entries - 1)
		return -ENOENT;
	*next = index + 1;
	return 0;
}

const struct bpfdev_map_ops bpfdev_array_ops = {
	.check		= bpfdev_array_check,
	.alloc		= bpfdev_array_alloc,
	.free		= bpfdev_array_free,
	.lookup		= bpfdev_array_lookup,
	.update		= bpfdev_array_update,
	.delete		= bpfdev_array_delete,
	.get_next_key	= bpfdev_array_get_next_key,
};

/* ---- per-CPU ------------------------------------------------------------- */

static void bpfdev_percpu_array_free(struct bpfdev_map *map)
{
	struct bpfdev_array *array = to_array(map);
	u32 i;

	for (i = 0; i < map->max_entries; i++)
		free_percpu(array->pptrs[i]);
	kvfree(array->pptrs);
	kfree(array);
}

static struct bpfdev_map *bpfdev_percpu_array_alloc(const union bpf_attr *attr)
{
	struct bpfdev_array *array;
	u32 i;

	array = kzalloc(sizeof(*array), GFP_KERNEL_ACCOUNT);
	if (!array)
		return ERR_PTR(-ENOMEM);
	array->elem_size = round_up(attr->value_size, 8);
	array->map.max_entries = attr->max_entries;
	array->map.percpu = true;
	array->pptrs = kvcalloc(attr->max_entries, sizeof(*array->pptrs),
				GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!array->pptrs)
		goto err;
	for (i = 0; i < attr->max_entries; i++) {
		array->pptrs[i] = __alloc_percpu_gfp(array->elem_size, 8,
						     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!array->pptrs[i])
			goto err;
		cond_resched();
	}
	return &array->map;
err:
	/* Unallocated slots are NULL: free_percpu(NULL) is a no-op. */
	if (array->pptrs)
		bpfdev_percpu_array_free(&array->map);
	else
		kfree(array);
	return ERR_PTR(-ENOMEM);
}

static void *bpfdev_percpu_array_lookup(struct bpfdev_map *map, const void *key)
{
	struct bpfdev_array *array = to_array(map);
	u32 index = *(const u32 *)key;

	if (unlikely(index >= map->max_entries))
		return NULL;
	index = array_index_nospec(index, map->max_entries);
	return this_cpu_ptr(array->pptrs[index]);
}

static long bpfdev_percpu_array_update(struct bpfdev_map *map, const void *key,
				       const void *value, u64 flags)
{
	void *ptr;

	if (unlikely(flags > BPF_EXIST))
		return -EINVAL;
	ptr = bpfdev_percpu_array_lookup(map, key);
	if (unlikely(!ptr))
		return -E2BIG;
	if (unlikely(flags == BPF_NOEXIST))
		return -EEXIST;
	bpfdev_value_copy(ptr, value, map->value_size);
	return 0;
}

static int bpfdev_percpu_array_lookup_sys(struct bpfdev_map *map,
					  const void *key, void *value)
{
	struct bpfdev_array *array = to_array(map);
	u32 index = *(const u32 *)key;
	int cpu, off = 0;

	if (index >= map->max_entries)
		return -ENOENT;
	for_each_possible_cpu(cpu) {
		bpfdev_value_copy(value + off, per_cpu_ptr(array->pptrs[index], cpu),
				  array->elem_size);
		off += array->elem_size;
	}
	return 0;
}

static int bpfdev_percpu_array_update_sys(struct bpfdev_map *map,
					  const void *key, const void *value,
					  u64 flags)
{
	struct bpfdev_array *array = to_array(map);
	u32 index = *(const u32 *)key;
	int cpu, off = 0;

	if (flags > BPF_EXIST)
		return -EINVAL;
	if (index >= map->max_entries)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	for_each_possible_cpu(cpu) {
		bpfdev_value_copy(per_cpu_ptr(array->pptrs[index], cpu), value + off,
				  array->elem_size);
		off += array->elem_size;
	}
	return 0;
}

const struct bpfdev_map_ops bpfdev_percpu_array_ops = {
	.check		= bpfdev_array_check,
	.alloc		= bpfdev_percpu_array_alloc,
	.free		= bpfdev_percpu_array_free,
	.lookup		= bpfdev_percpu_array_lookup,
	.update		= bpfdev_percpu_array_update,
	.delete		= bpfdev_array_delete,
	.get_next_key	= bpfdev_array_get_next_key,
	.lookup_sys	= bpfdev_percpu_array_lookup_sys,
	.update_sys	= bpfdev_percpu_array_update_sys,
};
