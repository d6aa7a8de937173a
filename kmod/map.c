// SPDX-License-Identifier: GPL-2.0
/*
 * Map objects and the bpf() map commands: MAP_CREATE, the element
 * commands, MAP_FREEZE, the batch commands and the id commands.
 *
 * A map lives as long as its references: each fd and pin (those also
 * count in usercnt, the kernel's "uref") and each program using it.  The
 * last put removes its id and frees it after an RCU grace period, since
 * programs read maps under rcu_read_lock() only.  Each map pins the module.
 */

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "btf.h"
#include "debugfs.h"
#include "dev.h"
#include "map.h"
#include "objfd.h"

/* No map may hold more than this (keys, values, bookkeeping). */
#define BPFDEV_MAP_MAX_BYTES	(256ULL << 20)

static struct bpfdev_ids bpfdev_map_ids = BPFDEV_IDS_INIT(bpfdev_map_ids);

static const struct bpfdev_map_ops *bpfdev_map_types(u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:		return &bpfdev_array_ops;
	case BPF_MAP_TYPE_PERCPU_ARRAY:		return &bpfdev_percpu_array_ops;
	case BPF_MAP_TYPE_PROG_ARRAY:		return &bpfdev_prog_array_ops;
	case BPF_MAP_TYPE_HASH:			return &bpfdev_htab_ops;
	case BPF_MAP_TYPE_PERCPU_HASH:		return &bpfdev_htab_percpu_ops;
	case BPF_MAP_TYPE_LRU_HASH:		return &bpfdev_htab_lru_ops;
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:	return &bpfdev_htab_lru_percpu_ops;
	case BPF_MAP_TYPE_LPM_TRIE:		return &bpfdev_lpm_ops;
	case BPF_MAP_TYPE_RINGBUF:		return &bpfdev_ringbuf_ops;
	case BPF_MAP_TYPE_STACK_TRACE:		return &bpfdev_stack_trace_ops;
	default:				return NULL;
	}
}

u32 bpfdev_map_value_size_sys(const struct bpfdev_map *map)
{
	if (map->percpu)
		return round_up(map->value_size, 8) * num_possible_cpus();
	if (map->type == BPF_MAP_TYPE_PROG_ARRAY)
		return sizeof(u32);
	return map->value_size;
}

int bpfdev_map_check_size(u64 bytes)
{
	return bytes > BPFDEV_MAP_MAX_BYTES ? -E2BIG : 0;
}

void bpfdev_map_init_from_attr(struct bpfdev_map *map, const union bpf_attr *attr)
{
	map->type = attr->map_type;
	map->key_size = attr->key_size;
	map->value_size = attr->value_size;
	/* A type may have rounded it as it allocated (per-CPU LRU lists). */
	if (!map->max_entries)
		map->max_entries = attr->max_entries;
	/* The kernel's bpf_map_flags_retain_permanent(): fd access is per fd. */
	map->map_flags = attr->map_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY);
}

/* ---- references --------------------------------------------------------- */

void bpfdev_map_get(struct bpfdev_map *map)
{
	refcount_inc(&map->refcnt);
}

static bool bpfdev_map_tryget(void *obj)
{
	struct bpfdev_map *map = obj;

	return refcount_inc_not_zero(&map->refcnt);
}

static void bpfdev_map_free_work(struct work_struct *work)
{
	struct bpfdev_map *map = container_of(to_rcu_work(work),
					      struct bpfdev_map, free_work);

	if (map->btf)
		bpfdev_btf_put(map->btf);
	map->ops->free(map);
	atomic_dec(&bpfdev_stats.maps);
	/* Module exit drains bpfdev_wq, so this code outlives the put. */
	module_put(THIS_MODULE);
}

void bpfdev_map_put(struct bpfdev_map *map)
{
	if (!refcount_dec_and_test(&map->refcnt))
		return;
	bpfdev_id_free(&bpfdev_map_ids, map->id);
	INIT_RCU_WORK(&map->free_work, bpfdev_map_free_work);
	queue_rcu_work(bpfdev_wq, &map->free_work);
}

void bpfdev_map_inc_uref(struct bpfdev_map *map)
{
	atomic64_inc(&map->usercnt);
}

void bpfdev_map_put_uref(struct bpfdev_map *map)
{
	if (atomic64_dec_and_test(&map->usercnt) && map->ops->release_uref)
		map->ops->release_uref(map);
}

/* ---- fds ---------------------------------------------------------------- */

static int bpfdev_map_release(struct inode *inode, struct file *file)
{
	struct bpfdev_map *map = file->private_data;

	atomic_dec(&bpfdev_stats.map_fds);
	bpfdev_map_put_uref(map);
	bpfdev_map_put(map);
	return 0;
}

static int bpfdev_map_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct bpfdev_map *map = file->private_data;

	if (!map->ops->mmap)
		return -ENODEV;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	return map->ops->mmap(map, vma);
}

static __poll_t bpfdev_map_poll(struct file *file, struct poll_table_struct *pts)
{
	struct bpfdev_map *map = file->private_data;

	if (!map->ops->poll)
		return EPOLLERR;
	return map->ops->poll(map, file, pts);
}

/* /proc/PID/fdinfo/FD, in the kernel's bpf_map_show_fdinfo() format. */
static void bpfdev_map_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct bpfdev_map *map = file->private_data;
	/* The kernel's bpf_map_memory_footprint(). */
	u64 memlock = round_up((u64)map->max_entries *
			       round_up(map->key_size +
					bpfdev_map_value_size_sys(map), 8),
			       PAGE_SIZE);

	seq_printf(m,
		   "map_type:\t%u\n"
		   "key_size:\t%u\n"
		   "value_size:\t%u\n"
		   "max_entries:\t%u\n"
		   "map_flags:\t%#x\n"
		   "map_extra:\t%#llx\n"
		   "memlock:\t%llu\n"
		   "map_id:\t%u\n"
		   "frozen:\t%u\n",
		   map->type, map->key_size, map->value_size, map->max_entries,
		   map->map_flags, 0ULL, memlock, map->id, READ_ONCE(map->frozen));
}

static const struct file_operations bpfdev_map_fops = {
	.owner		= THIS_MODULE,
	.show_fdinfo	= bpfdev_map_show_fdinfo,
	.release	= bpfdev_map_release,
	.mmap		= bpfdev_map_mmap,
	.poll		= bpfdev_map_poll,
	.llseek		= noop_llseek,
};

struct bpfdev_map *bpfdev_map_get_by_file(struct file *file)
{
	return file->f_op == &bpfdev_map_fops ? file->private_data : NULL;
}

/* Takes a reference on the map behind fd (-EBADF, or -EINVAL: not a map). */
struct bpfdev_map *bpfdev_map_get_from_fd(int fd)
{
	struct bpfdev_map *map;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	map = bpfdev_map_get_by_file(fd_file(f));
	if (map)
		bpfdev_map_get(map);
	fdput(f);
	return map ?: ERR_PTR(-EINVAL);
}

/* O_* access of a new fd from BPF_F_RDONLY/BPF_F_WRONLY. */
static int bpfdev_map_fd_flags(u32 flags)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	if (flags & BPF_F_RDONLY)
		return O_RDONLY;
	if (flags & BPF_F_WRONLY)
		return O_WRONLY;
	return O_RDWR;
}

/* A new fd for map; the fd takes its own reference and uref. */
int bpfdev_map_new_fd(struct bpfdev_map *map, int flags)
{
	int fd;

	bpfdev_map_get(map);
	bpfdev_map_inc_uref(map);
	fd = bpfdev_obj_fd("bpf-map", &bpfdev_map_fops, map, flags);
	if (fd < 0) {
		bpfdev_map_put_uref(map);
		bpfdev_map_put(map);
		return fd;
	}
	atomic_inc(&bpfdev_stats.map_fds);
	return fd;
}

/*
 * The map behind fd for a syscall command, with the access it needs
 * (FMODE_READ and/or FMODE_WRITE); -EPERM when the fd lacks it.
 */
static struct bpfdev_map *bpfdev_map_fd_access(int fd, fmode_t need)
{
	struct bpfdev_map *map;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	map = bpfdev_map_get_by_file(fd_file(f));
	if (!map)
		map = ERR_PTR(-EINVAL);
	else if ((fd_file(f)->f_mode & need) != need)
		map = ERR_PTR(-EPERM);
	else
		bpfdev_map_get(map);
	fdput(f);
	return map;
}

/* ---- MAP_CREATE --------------------------------------------------------- */

int bpfdev_cmd_map_create(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size)
{
	const struct bpfdev_map_ops *ops;
	struct bpfdev_map *map;
	char name[BPF_OBJ_NAME_LEN];
	int f_flags, err, fd;

	/*
	 * The kernel's order: the attr, BTF ids, map_extra, the fd flags, the
	 * NUMA node, the type's own checks, then the name.  inner_map_fd and
	 * btf_fd alone are ignored by plain maps, numa_node without
	 * BPF_F_NUMA_NODE too; placement itself is not honoured (uapi list).
	 */
	if (BPFDEV_CHECK_ATTR(attr, map_extra))
		return -EINVAL;
	if (attr->btf_vmlinux_value_type_id ||
	    (attr->btf_key_type_id && !attr->btf_value_type_id) ||
	    attr->map_extra)
		return -EINVAL;
	f_flags = bpfdev_map_fd_flags(attr->map_flags);
	if (f_flags < 0)
		return f_flags;
	if ((attr->map_flags & BPF_F_NUMA_NODE) &&
	    (attr->numa_node >= nr_node_ids || !node_online(attr->numa_node)))
		return -EINVAL;
	ops = bpfdev_map_types(attr->map_type);
	if (!ops)
		return -EINVAL;
	/* Every type's check refuses both at once, first among its EINVALs. */
	if ((attr->map_flags & BPF_F_RDONLY_PROG) &&
	    (attr->map_flags & BPF_F_WRONLY_PROG))
		return -EINVAL;
	if (ops->check) {
		err = ops->check(attr);
		if (err)
			return err;
	}
	/* No offload: after the type's checks, as the kernel's. */
	if (attr->map_ifindex)
		return -EINVAL;
	err = bpfdev_obj_name_cpy(name, attr->map_name, sizeof(attr->map_name));
	if (err)
		return err;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	map = ops->alloc(attr);
	if (IS_ERR(map)) {
		err = PTR_ERR(map);
		goto err_module;
	}
	map->ops = ops;
	bpfdev_map_init_from_attr(map, attr);
	memcpy(map->name, name, sizeof(name));
	refcount_set(&map->refcnt, 1);
	atomic64_set(&map->usercnt, 0);
	mutex_init(&map->freeze_mutex);
	map->desc.type = map->type;
	map->desc.key_size = map->key_size;
	map->desc.value_size = map->value_size;
	map->desc.max_entries = map->max_entries;
	map->desc.flags = map->map_flags;
	map->desc.host = map;
	atomic_inc(&bpfdev_stats.maps);
	/* As the kernel's, after the allocation: the BTF and its types. */
	if (attr->btf_key_type_id || attr->btf_value_type_id) {
		struct bpfdev_btf *btf = bpfdev_btf_map_check(attr);

		if (IS_ERR(btf)) {
			err = PTR_ERR(btf);
			goto err_put;
		}
		map->btf = btf;
		map->btf_key_type_id = attr->btf_key_type_id;
		map->btf_value_type_id = attr->btf_value_type_id;
	}

	err = bpfdev_id_alloc(&bpfdev_map_ids, map, &map->id);
	if (err)
		goto err_put;
	fd = bpfdev_map_new_fd(map, f_flags);
	/* The creation reference goes; the fd holds its own. */
	bpfdev_map_put(map);
	return fd;

err_put:
	bpfdev_map_put(map);
	return err;
err_module:
	module_put(THIS_MODULE);
	return err;
}

/* ---- element commands --------------------------------------------------- */

/* A key or value from the caller; a zero-sized one (ringbuf) is NULL. */
static void *bpfdev_memdup_user(u64 uptr, u32 size)
{
	return size ? vmemdup_user(u64_to_user_ptr(uptr), size) : NULL;
}

/* The kernel's __bpf_copy_key(): a key given to a keyless map is EINVAL. */
static void *bpfdev_copy_key(u64 uptr, u32 size)
{
	if (!size && uptr)
		return ERR_PTR(-EINVAL);
	return bpfdev_memdup_user(uptr, size);
}

/* Copies the value stored under key into value (value_size_sys bytes). */
static int bpfdev_map_copy_value(struct bpfdev_map *map, const void *key,
				 void *value)
{
	void *ptr;
	int err = 0;

	if (map->ops->lookup_sys)
		return map->ops->lookup_sys(map, key, value);
	if (!map->ops->lookup)
		return -ENOTSUPP;
	rcu_read_lock();
	ptr = map->ops->lookup(map, key);
	if (IS_ERR(ptr))
		err = PTR_ERR(ptr);
	else if (!ptr)
		err = -ENOENT;
	else
		bpfdev_value_copy(value, ptr, map->value_size);
	rcu_read_unlock();
	return err;
}

static int bpfdev_map_update_value(struct bpfdev_map *map, const void *key,
				   const void *value, u64 flags)
{
	long err;

	if (map->ops->update_sys)
		return map->ops->update_sys(map, key, value, flags);
	if (!map->ops->update)
		return -ENOTSUPP;
	rcu_read_lock();
	err = map->ops->update(map, key, value, flags);
	rcu_read_unlock();
	return err;
}

static int bpfdev_map_delete_value(struct bpfdev_map *map, const void *key)
{
	long err;

	if (!map->ops->delete)
		return -ENOTSUPP;
	rcu_read_lock();
	err = map->ops->delete(map, key);
	rcu_read_unlock();
	return err;
}

/* Syscall writes need a writable fd and an unfrozen map. */
static int bpfdev_map_writable(struct bpfdev_map *map)
{
	return READ_ONCE(map->frozen) ? -EPERM : 0;
}

int bpfdev_cmd_map_lookup(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	void *key, *value;
	u32 vsize;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, flags))
		return -EINVAL;
	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	map = bpfdev_map_fd_access(attr->map_fd, FMODE_READ);
	if (IS_ERR(map))
		return PTR_ERR(map);
	/* As the kernel's, after the fd: BPF_F_LOCK needs a bpf_spin_lock (BTF). */
	if (attr->flags & BPF_F_LOCK) {
		err = -EINVAL;
		goto out_put;
	}
	key = bpfdev_copy_key(attr->key, map->key_size);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		goto out_put;
	}
	vsize = bpfdev_map_value_size_sys(map);
	value = kvzalloc(vsize, GFP_USER | __GFP_NOWARN);
	if (!value) {
		err = -ENOMEM;
		goto out_key;
	}
	err = bpfdev_map_copy_value(map, key, value);
	if (!err && copy_to_user(u64_to_user_ptr(attr->value), value, vsize))
		err = -EFAULT;
	kvfree(value);
out_key:
	kvfree(key);
out_put:
	bpfdev_map_put(map);
	return err;
}

int bpfdev_cmd_map_update(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	void *key, *value;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, flags))
		return -EINVAL;
	map = bpfdev_map_fd_access(attr->map_fd, FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	err = bpfdev_map_writable(map);
	if (err)
		goto out_put;
	/* As the kernel's, before the copies: BPF_F_LOCK needs a spin lock. */
	if (attr->flags & BPF_F_LOCK) {
		err = -EINVAL;
		goto out_put;
	}
	key = bpfdev_copy_key(attr->key, map->key_size);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		goto out_put;
	}
	value = bpfdev_memdup_user(attr->value, bpfdev_map_value_size_sys(map));
	if (IS_ERR(value)) {
		err = PTR_ERR(value);
		goto out_key;
	}
	err = bpfdev_map_update_value(map, key, value, attr->flags);
	kvfree(value);
out_key:
	kvfree(key);
out_put:
	bpfdev_map_put(map);
	return err;
}

int bpfdev_cmd_map_delete(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	void *key;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, key))
		return -EINVAL;
	map = bpfdev_map_fd_access(attr->map_fd, FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	err = bpfdev_map_writable(map);
	if (err)
		goto out_put;
	key = bpfdev_copy_key(attr->key, map->key_size);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		goto out_put;
	}
	err = bpfdev_map_delete_value(map, key);
	kvfree(key);
out_put:
	bpfdev_map_put(map);
	return err;
}

int bpfdev_cmd_map_get_next_key(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	void *key = NULL, *next;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, next_key))
		return -EINVAL;
	map = bpfdev_map_fd_access(attr->map_fd, FMODE_READ);
	if (IS_ERR(map))
		return PTR_ERR(map);
	/* As the kernel's: the key is copied before the type is asked. */
	if (attr->key) {
		key = bpfdev_copy_key(attr->key, map->key_size);
		if (IS_ERR(key)) {
			err = PTR_ERR(key);
			goto out_put;
		}
	}
	if (!map->ops->get_next_key) {
		err = -ENOTSUPP;
		goto out_key;
	}
	next = kvzalloc(map->key_size ?: 1, GFP_USER | __GFP_NOWARN);
	if (!next) {
		err = -ENOMEM;
		goto out_key;
	}
	err = map->ops->get_next_key(map, key, next);
	if (!err && copy_to_user(u64_to_user_ptr(attr->next_key), next,
				 map->key_size))
		err = -EFAULT;
	kvfree(next);
out_key:
	kvfree(key);
out_put:
	bpfdev_map_put(map);
	return err;
}

int bpfdev_cmd_map_lookup_and_delete(struct bpfdev_file *bf, union bpf_attr *attr,
				     union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	void *key, *value;
	u32 vsize;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, flags))
		return -EINVAL;
	if (attr->flags & ~BPF_F_LOCK)
		return -EINVAL;
	map = bpfdev_map_fd_access(attr->map_fd, FMODE_READ | FMODE_WRITE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	/* The kernel's order: permissions, BPF_F_LOCK, the key, the type. */
	err = bpfdev_map_writable(map);
	if (err)
		goto out_put;
	if (attr->flags & BPF_F_LOCK) {
		err = -EINVAL;
		goto out_put;
	}
	key = bpfdev_copy_key(attr->key, map->key_size);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		goto out_put;
	}
	if (!map->ops->lookup_and_delete_sys) {
		err = -ENOTSUPP;
		goto out_key;
	}
	vsize = bpfdev_map_value_size_sys(map);
	value = kvzalloc(vsize, GFP_USER | __GFP_NOWARN);
	if (!value) {
		err = -ENOMEM;
		goto out_key;
	}
	err = map->ops->lookup_and_delete_sys(map, key, value);
	if (!err && copy_to_user(u64_to_user_ptr(attr->value), value, vsize))
		err = -EFAULT;
	kvfree(value);
out_key:
	kvfree(key);
out_put:
	bpfdev_map_put(map);
	return err;
}

int bpfdev_cmd_map_freeze(struct bpfdev_file *bf, union bpf_attr *attr,
			  union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	int err = 0;

	if (BPFDEV_CHECK_ATTR(attr, map_fd))
		return -EINVAL;
	/*
	 * As the kernel's map_freeze(): any type that has neither timers nor
	 * kptrs (none here), through any fd of the map in 6.1, a writable
	 * one in 6.12 (compat.h): each build answers as its kernel.
	 */
	map = bpfdev_map_fd_access(attr->map_fd, BPFDEV_BPF_FREEZE_FMODE);
	if (IS_ERR(map))
		return PTR_ERR(map);
	mutex_lock(&map->freeze_mutex);
	if (map->frozen)
		err = -EBUSY;
	else
		WRITE_ONCE(map->frozen, true);
	mutex_unlock(&map->freeze_mutex);
	bpfdev_map_put(map);
	return err;
}

/* ---- batch commands ------------------------------------------------------ */

/*
 * The generic batch commands, over get_next_key: in_batch and out_batch
 * hold a key (key_size bytes), as the kernel's generic_map_lookup_batch().
 * Hash maps walk their buckets instead (ops->lookup_batch), with a 4-byte
 * bucket index as the token, as the kernel's hash maps do.
 */
#define BPFDEV_BATCH_RETRIES	3

struct bpfdev_batch {
	struct bpfdev_map	*map;
	void			*key;
	void			*prev;
	void			*value;
	u32			vsize;
	u32			max;
	u32			done;
};

/* Which batch commands a type has: the kernel's ops table, for ENOTSUPP. */
static bool bpfdev_map_has_batch(const struct bpfdev_map *map, int cmd)
{
	switch (map->type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_UPDATE_BATCH;
	case BPF_MAP_TYPE_LPM_TRIE:
		return cmd != BPF_MAP_LOOKUP_AND_DELETE_BATCH;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return true;
	default:
		return false;
	}
}

/*
 * The kernel's bpf_map_do_batch() and the start of each type's batch
 * function: the attr, the fd and its access (a frozen map has no write
 * access), whether the type has the command, elem_flags (no spin locks,
 * so any), batch.flags for the hash walk only.  Returns 1 for count 0:
 * done, nothing written back.
 */
static int bpfdev_batch_begin(struct bpfdev_batch *b, union bpf_attr *attr,
			      int cmd)
{
	fmode_t need = 0;
	int err;

	/* Before any check: every caller's error path ends the batch. */
	memset(b, 0, sizeof(*b));
	if (BPFDEV_CHECK_ATTR(attr, batch.flags))
		return -EINVAL;
	if (cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH)
		need |= FMODE_READ;
	if (cmd != BPF_MAP_LOOKUP_BATCH)
		need |= FMODE_WRITE;
	b->map = bpfdev_map_fd_access(attr->batch.map_fd, need);
	if (IS_ERR(b->map))
		return PTR_ERR(b->map);
	if (need & FMODE_WRITE) {
		err = bpfdev_map_writable(b->map);
		if (err)
			return err;
	}
	if (!bpfdev_map_has_batch(b->map, cmd))
		return -ENOTSUPP;
	if (attr->batch.elem_flags)
		return -EINVAL;
	if (b->map->ops->lookup_batch && attr->batch.flags &&
	    (cmd == BPF_MAP_LOOKUP_BATCH || cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH))
		return -EINVAL;
	b->max = attr->batch.count;
	if (!b->max)
		return 1;
	b->vsize = bpfdev_map_value_size_sys(b->map);
	b->key = kvzalloc(b->map->key_size, GFP_USER | __GFP_NOWARN);
	b->prev = kvzalloc(b->map->key_size, GFP_USER | __GFP_NOWARN);
	b->value = kvzalloc(b->vsize, GFP_USER | __GFP_NOWARN);
	if (!b->key || !b->prev || !b->value)
		return -ENOMEM;
	return 0;
}

static void bpfdev_batch_end(struct bpfdev_batch *b)
{
	if (IS_ERR_OR_NULL(b->map))
		return;
	kvfree(b->key);
	kvfree(b->prev);
	kvfree(b->value);
	bpfdev_map_put(b->map);
}

static int bpfdev_batch_put_count(union bpf_attr __user *uattr, u32 count)
{
	return put_user(count, &uattr->batch.count) ? -EFAULT : 0;
}

static int bpfdev_map_lookup_batch_common(union bpf_attr *attr,
					  union bpf_attr __user *uattr,
					  bool delete)
{
	void __user *keys = u64_to_user_ptr(attr->batch.keys);
	void __user *values = u64_to_user_ptr(attr->batch.values);
	int retry = BPFDEV_BATCH_RETRIES;
	struct bpfdev_batch b;
	bool have_prev = false;
	int err;

	err = bpfdev_batch_begin(&b, attr, delete ?
				 BPF_MAP_LOOKUP_AND_DELETE_BATCH :
				 BPF_MAP_LOOKUP_BATCH);
	if (err)
		goto out;
	/* As the kernel's: a failed lookup batch reports 0 done at least. */
	err = bpfdev_batch_put_count(uattr, 0);
	if (err)
		goto out;
	if (b.map->ops->lookup_batch) {
		err = b.map->ops->lookup_batch(b.map, attr, uattr, delete);
		goto out;
	}
	if (attr->batch.in_batch) {
		if (copy_from_user(b.prev, u64_to_user_ptr(attr->batch.in_batch),
				   b.map->key_size)) {
			err = -EFAULT;
			goto out;
		}
		have_prev = true;
	}
	while (b.done < b.max) {
		err = b.map->ops->get_next_key(b.map, have_prev ? b.prev : NULL,
					       b.key);
		if (err)
			break;
		err = bpfdev_map_copy_value(b.map, b.key, b.value);
		if (err == -ENOENT) {
			/* Deleted under us: ask again, a few times (the kernel's 3). */
			if (retry--)
				continue;
			err = -EINTR;
			break;
		}
		retry = BPFDEV_BATCH_RETRIES;
		/* As the kernel's: other errors leave count at 0. */
		if (err)
			goto out;
		if (copy_to_user(keys + b.done * b.map->key_size, b.key,
				 b.map->key_size) ||
		    copy_to_user(values + b.done * b.vsize, b.value, b.vsize)) {
			err = -EFAULT;
			goto out;
		}
		b.done++;
		swap(b.key, b.prev);
		have_prev = true;
		cond_resched();
	}
	/* The kernel's order: count first, so it stands if out_batch faults. */
	if (bpfdev_batch_put_count(uattr, b.done) ||
	    (b.done && copy_to_user(u64_to_user_ptr(attr->batch.out_batch),
				    b.prev, b.map->key_size)))
		err = -EFAULT;
out:
	bpfdev_batch_end(&b);
	return err < 0 ? err : 0;
}

int bpfdev_cmd_map_lookup_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_map_lookup_batch_common(attr, uattr, false);
}

int bpfdev_cmd_map_lookup_and_delete_batch(struct bpfdev_file *bf,
					   union bpf_attr *attr,
					   union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_map_lookup_batch_common(attr, uattr, true);
}

/*
 * The kernel's generic_map_update_batch() and generic_map_delete_batch():
 * in_batch, out_batch and batch.flags are not read; count always gets
 * the number done, also on failure.
 */
static int bpfdev_map_write_batch(union bpf_attr *attr,
				  union bpf_attr __user *uattr, bool update)
{
	void __user *keys = u64_to_user_ptr(attr->batch.keys);
	void __user *values = u64_to_user_ptr(attr->batch.values);
	struct bpfdev_batch b;
	int err;

	err = bpfdev_batch_begin(&b, attr, update ? BPF_MAP_UPDATE_BATCH :
				 BPF_MAP_DELETE_BATCH);
	if (err)
		goto out;
	while (b.done < b.max) {
		if (copy_from_user(b.key, keys + b.done * b.map->key_size,
				   b.map->key_size) ||
		    (update && copy_from_user(b.value, values + b.done * b.vsize,
					      b.vsize))) {
			err = -EFAULT;
			break;
		}
		if (update)
			err = bpfdev_map_update_value(b.map, b.key, b.value,
						      attr->batch.elem_flags);
		else
			err = bpfdev_map_delete_value(b.map, b.key);
		if (err)
			break;
		b.done++;
		cond_resched();
	}
	if (bpfdev_batch_put_count(uattr, b.done))
		err = -EFAULT;
out:
	bpfdev_batch_end(&b);
	return err < 0 ? err : 0;
}

int bpfdev_cmd_map_update_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_map_write_batch(attr, uattr, true);
}

int bpfdev_cmd_map_delete_batch(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_map_write_batch(attr, uattr, false);
}

/* ---- ids and info ---------------------------------------------------------- */

int bpfdev_cmd_map_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
			       union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_id_cmd_next(&bpfdev_map_ids, attr, uattr);
}

int bpfdev_cmd_map_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_map *map;
	int f_flags, fd;

	/* The kernel's order: the attr, then CAP_SYS_ADMIN. */
	if (BPFDEV_CHECK_ATTR(attr, open_flags) ||
	    attr->open_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f_flags = bpfdev_map_fd_flags(attr->open_flags);
	if (f_flags < 0)
		return f_flags;
	map = bpfdev_id_get(&bpfdev_map_ids, attr->map_id, bpfdev_map_tryget);
	if (!map)
		return -ENOENT;
	fd = bpfdev_map_new_fd(map, f_flags);
	bpfdev_map_put(map);
	return fd;
}

int bpfdev_map_info(struct bpfdev_map *map, union bpf_attr *attr,
		    union bpf_attr __user *uattr)
{
	struct bpf_map_info info;
	u32 info_len;
	int err;

	err = bpfdev_info_start(attr, &info, sizeof(info), &info_len);
	if (err)
		return err;
	info.type = map->type;
	info.id = map->id;
	info.key_size = map->key_size;
	info.value_size = map->value_size;
	info.max_entries = map->max_entries;
	info.map_flags = map->map_flags;
	memcpy(info.name, map->name, sizeof(info.name));
	info.btf_id = bpfdev_btf_id(map->btf);
	info.btf_key_type_id = map->btf_key_type_id;
	info.btf_value_type_id = map->btf_value_type_id;
	return bpfdev_info_finish(attr, uattr, &info, info_len);
}
