// SPDX-License-Identifier: GPL-2.0
/*
 * What maps and programs share: anonymous-inode fds, ids and the
 * workqueue their RCU-deferred frees run on.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <uapi/linux/bpf.h>

#include "debugfs.h"
#include "helpers.h"
#include "map.h"
#include "objfd.h"

struct workqueue_struct *bpfdev_wq;

/*
 * The kernel's bpf_capable(), checked at each call: what the bpf() command
 * set needs while unprivileged BPF is disabled, and what makes a load
 * bpf_capable in the verifier.  Opening /dev/bpf is gated by the device
 * mode on top.
 */
bool bpfdev_capable(void)
{
	return capable(CAP_BPF) || capable(CAP_SYS_ADMIN);
}

/* The kernel's perfmon_capable(): no Spectre mitigations, pointer leaks. */
bool bpfdev_perfmon_capable(void)
{
	return capable(CAP_PERFMON) || capable(CAP_SYS_ADMIN);
}

/*
 * unprivileged_bpf_disabled, with the semantics of the kernel's sysctl of
 * that name: 0 lets callers without CAP_BPF load socket filters and
 * create and use the maps 6.1 lets them; 1 refuses them until the module
 * is reloaded (no write may change it back); 2 refuses them but may be
 * changed.  Changing it takes CAP_SYS_ADMIN, as the sysctl does.
 */
static int unprivileged_bpf_disabled = 2;

static int unpriv_disabled_set(const char *val, const struct kernel_param *kp)
{
	int v, err = kstrtoint(val, 0, &v);

	if (err)
		return err;
	if (v < 0 || v > 2)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* as bpf_unpriv_handler(): 1 is locked */
	if (READ_ONCE(unprivileged_bpf_disabled) == 1 && v != 1)
		return -EPERM;
	WRITE_ONCE(unprivileged_bpf_disabled, v);
	return 0;
}

static const struct kernel_param_ops unpriv_disabled_ops = {
	.set = unpriv_disabled_set,
	.get = param_get_int,
};

module_param_cb(unprivileged_bpf_disabled, &unpriv_disabled_ops,
		&unprivileged_bpf_disabled, 0644);
MODULE_PARM_DESC(unprivileged_bpf_disabled,
		 "eBPF for callers without CAP_BPF: 0 allowed, 1 disabled until reload, 2 disabled (default)");

bool bpfdev_unpriv_allowed(void)
{
	return bpfdev_capable() || !READ_ONCE(unprivileged_bpf_disabled);
}

bool bpfdev_attr_tail_nonzero(const union bpf_attr *attr, size_t end)
{
	return memchr_inv((const u8 *)attr + end, 0, sizeof(*attr) - end);
}

/* bpf_check_uarg_tail_zero() is not exported: the same rule, by hand. */
int bpfdev_check_tail_zero(void __user *uaddr, size_t known, size_t size)
{
	int res;

	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size <= known)
		return 0;
	res = check_zeroed_user(uaddr + known, size - known);
	if (res < 0)
		return res;
	return res ? 0 : -E2BIG;
}

int bpfdev_info_start(const union bpf_attr *attr, void *info, size_t size, u32 *len)
{
	int err;

	err = bpfdev_check_tail_zero(u64_to_user_ptr(attr->info.info), size,
				     attr->info.info_len);
	if (err)
		return err;
	*len = min_t(u32, attr->info.info_len, size);
	memset(info, 0, size);
	return 0;
}

int bpfdev_info_finish(const union bpf_attr *attr, union bpf_attr __user *uattr,
		       const void *info, u32 len)
{
	if (copy_to_user(u64_to_user_ptr(attr->info.info), info, len) ||
	    put_user(len, &uattr->info.info_len))
		return -EFAULT;
	return 0;
}

/* The kernel's bpf_obj_name_cpy(): [A-Za-z0-9_.], NUL-terminated. */
int bpfdev_obj_name_cpy(char *dst, const char *src, unsigned int size)
{
	const char *end = src + size;

	memset(dst, 0, size);
	while (src < end && *src) {
		if (!isalnum(*src) && *src != '_' && *src != '.')
			return -EINVAL;
		*dst++ = *src++;
	}
	return src == end ? -EINVAL : 0;
}

int bpfdev_id_alloc(struct bpfdev_ids *ids, void *obj, u32 *id)
{
	unsigned long flags;
	int ret;

	idr_preload(GFP_KERNEL);
	spin_lock_irqsave(&ids->lock, flags);
	ret = idr_alloc_cyclic(&ids->idr, obj, 1, INT_MAX, GFP_ATOMIC);
	spin_unlock_irqrestore(&ids->lock, flags);
	idr_preload_end();
	if (ret < 0)
		return ret;
	*id = ret;
	return 0;
}

void bpfdev_id_free(struct bpfdev_ids *ids, u32 id)
{
	unsigned long flags;

	if (!id)
		return;
	spin_lock_irqsave(&ids->lock, flags);
	idr_remove(&ids->idr, id);
	spin_unlock_irqrestore(&ids->lock, flags);
}

void *bpfdev_id_get(struct bpfdev_ids *ids, u32 id, bool (*tryget)(void *obj))
{
	unsigned long flags;
	void *obj;

	spin_lock_irqsave(&ids->lock, flags);
	obj = idr_find(&ids->idr, id);
	if (obj && !tryget(obj))
		obj = NULL;
	spin_unlock_irqrestore(&ids->lock, flags);
	return obj;
}

int bpfdev_id_next(struct bpfdev_ids *ids, u32 start, u32 *next)
{
	unsigned long flags;
	int id = start + 1;

	if (start >= INT_MAX)
		return -ENOENT;
	spin_lock_irqsave(&ids->lock, flags);
	if (!idr_get_next(&ids->idr, &id))
		id = -ENOENT;
	spin_unlock_irqrestore(&ids->lock, flags);
	if (id < 0)
		return id;
	*next = id;
	return 0;
}

int bpfdev_id_cmd_next(struct bpfdev_ids *ids, const union bpf_attr *attr,
		       union bpf_attr __user *uattr)
{
	u32 next;
	int err;

	/* As the kernel's bpf_obj_get_next_id(): start_id, then the capability. */
	if (BPFDEV_CHECK_ATTR(attr, next_id) || attr->start_id >= INT_MAX)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = bpfdev_id_next(ids, attr->start_id, &next);
	if (err)
		return err;
	return put_user(next, &uattr->next_id) ? -EFAULT : 0;
}

int bpfdev_obj_fd(const char *name, const struct file_operations *fops,
		  void *obj, int flags)
{
	return anon_inode_getfd(name, fops, obj, flags | O_CLOEXEC);
}

int bpfdev_objects_init(void)
{
	int err;

	bpfdev_wq = alloc_workqueue("bpfdev", WQ_UNBOUND, 0);
	if (!bpfdev_wq)
		return -ENOMEM;
	bpfdev_debugfs_init();
	err = bpfdev_helpers_init();
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	bpfdev_debugfs_exit();
	destroy_workqueue(bpfdev_wq);
	return err;
}

void bpfdev_objects_exit(void)
{
	/* Frees queued by RCU callbacks must be queued before we drain. */
	rcu_barrier();
	destroy_workqueue(bpfdev_wq);
	bpfdev_helpers_exit();
	bpfdev_debugfs_exit();
}
