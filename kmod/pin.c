// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_PIN / OBJ_GET without bpffs: a module-wide registry of names.
 *
 * attr.pathname is a plain NUL-terminated name (1 to BPFDEV_PIN_NAME_MAX
 * bytes, any characters but NUL; "/sys/fs/bpf/x" is just a name here).
 * A pin holds a reference on its object (and, for a map, a user
 * reference), so a pinned object outlives every fd; the pin itself lives
 * until BPFDEV_IOC_OBJ_UNPIN removes it.  Objects pin the module, so the
 * module cannot be unloaded while pins exist.
 *
 * Permissions: pinning and unpinning need what every bpf() command needs
 * (CAP_BPF or CAP_SYS_ADMIN); names are global, not per namespace.
 */

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "debugfs.h"
#include "map.h"
#include "objfd.h"
#include "pin.h"
#include "prog.h"

struct bpfdev_pin {
	struct hlist_node	node;
	struct bpfdev_map	*map;	/* one of map and prog */
	struct bpfdev_prog	*prog;
	char			name[];
};

static DEFINE_HASHTABLE(bpfdev_pins, 6);
static DEFINE_MUTEX(bpfdev_pin_mutex);

static char *bpfdev_pin_name(u64 uptr)
{
	char *name;

	if (!uptr)
		return ERR_PTR(-EINVAL);
	name = strndup_user(u64_to_user_ptr(uptr), BPFDEV_PIN_NAME_MAX + 1);
	if (IS_ERR(name))
		return PTR_ERR(name) == -EINVAL ? ERR_PTR(-ENAMETOOLONG) : name;
	if (!*name) {
		kfree(name);
		return ERR_PTR(-EINVAL);
	}
	return name;
}

static struct bpfdev_pin *bpfdev_pin_find(const char *name)
{
	struct bpfdev_pin *pin;

	hash_for_each_possible(bpfdev_pins, pin, node, full_name_hash(NULL, name, strlen(name)))
		if (!strcmp(pin->name, name))
			return pin;
	return NULL;
}

int bpfdev_cmd_obj_pin(struct bpfdev_file *bf, union bpf_attr *attr,
		       union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_pin *pin;
	struct fd f;
	char *name;
	int err = 0;

	if (BPFDEV_CHECK_ATTR(attr, file_flags) || attr->file_flags)
		return -EINVAL;
	name = bpfdev_pin_name(attr->pathname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	pin = kzalloc(struct_size(pin, name, strlen(name) + 1), GFP_KERNEL);
	if (!pin) {
		err = -ENOMEM;
		goto out_name;
	}
	strcpy(pin->name, name);

	f = fdget(attr->bpf_fd);
	if (!fd_file(f)) {
		err = -EBADF;
		goto out_pin;
	}
	pin->map = bpfdev_map_get_by_file(fd_file(f));
	pin->prog = bpfdev_prog_get_by_file(fd_file(f));
	if (!pin->map && !pin->prog) {
		fdput(f);
		err = -EINVAL;
		goto out_pin;
	}
	mutex_lock(&bpfdev_pin_mutex);
	if (bpfdev_pin_find(name)) {
		err = -EEXIST;
	} else {
		if (pin->map) {
			bpfdev_map_get(pin->map);
			bpfdev_map_inc_uref(pin->map);
		} else {
			bpfdev_prog_get(pin->prog);
		}
		hash_add(bpfdev_pins, &pin->node,
			 full_name_hash(NULL, name, strlen(name)));
		atomic_inc(&bpfdev_stats.pins);
		pin = NULL;
	}
	mutex_unlock(&bpfdev_pin_mutex);
	fdput(f);
out_pin:
	kfree(pin);
out_name:
	kfree(name);
	return err;
}

int bpfdev_cmd_obj_get(struct bpfdev_file *bf, union bpf_attr *attr,
		       union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_pin *pin;
	char *name;
	int fd, f_flags;

	if (BPFDEV_CHECK_ATTR(attr, file_flags) || attr->bpf_fd ||
	    attr->file_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	if ((attr->file_flags & BPF_F_RDONLY) && (attr->file_flags & BPF_F_WRONLY))
		return -EINVAL;
	f_flags = attr->file_flags & BPF_F_RDONLY ? O_RDONLY :
		  attr->file_flags & BPF_F_WRONLY ? O_WRONLY : O_RDWR;
	name = bpfdev_pin_name(attr->pathname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	mutex_lock(&bpfdev_pin_mutex);
	pin = bpfdev_pin_find(name);
	if (!pin)
		fd = -ENOENT;
	else if (pin->map)
		fd = bpfdev_map_new_fd(pin->map, f_flags);
	else
		fd = bpfdev_prog_new_fd(pin->prog);
	mutex_unlock(&bpfdev_pin_mutex);
	kfree(name);
	return fd;
}

static void bpfdev_pin_free(struct bpfdev_pin *pin)
{
	if (pin->map) {
		bpfdev_map_put_uref(pin->map);
		bpfdev_map_put(pin->map);
	} else {
		bpfdev_prog_put(pin->prog);
	}
	atomic_dec(&bpfdev_stats.pins);
	kfree(pin);
}

long bpfdev_ioctl_obj_unpin(void __user *arg)
{
	struct bpfdev_obj_unpin req;
	struct bpfdev_pin *pin;
	char *name;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;
	name = bpfdev_pin_name(req.pathname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	mutex_lock(&bpfdev_pin_mutex);
	pin = bpfdev_pin_find(name);
	if (pin)
		hash_del(&pin->node);
	mutex_unlock(&bpfdev_pin_mutex);
	kfree(name);
	if (!pin)
		return -ENOENT;
	bpfdev_pin_free(pin);
	return 0;
}
