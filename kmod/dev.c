// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/bpf misc device: open/release of per-fd state and the ioctl
 * entry point.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "dev.h"
#include "ioctl.h"

static ushort devmode = 0600;
module_param(devmode, ushort, 0444);
MODULE_PARM_DESC(devmode, "permission bits of /dev/bpf (default 0600)");

static int bpfdev_open(struct inode *inode, struct file *file)
{
	struct bpfdev_file *bf;
	int err;

	bf = kzalloc(sizeof(*bf), GFP_KERNEL);
	if (!bf)
		return -ENOMEM;

	bf->net = get_net(current->nsproxy->net_ns);
	bf->cred = get_current_cred();
	err = bpfdev_capture_open(bf);
	if (err) {
		put_cred(bf->cred);
		put_net(bf->net);
		kfree(bf);
		return err;
	}
	file->private_data = bf;
	return nonseekable_open(inode, file);
}

static int bpfdev_release(struct inode *inode, struct file *file)
{
	struct bpfdev_file *bf = file->private_data;

	bpfdev_capture_release(bf);
	put_cred(bf->cred);
	put_net(bf->net);
	kfree(bf);
	return 0;
}

static long bpfdev_unlocked_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	return bpfdev_ioctl(file->private_data, cmd, (void __user *)arg);
}

static ssize_t bpfdev_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	return bpfdev_capture_read(file->private_data, buf, len,
				   file->f_flags & O_NONBLOCK);
}

static __poll_t bpfdev_poll(struct file *file, poll_table *wait)
{
	return bpfdev_capture_poll(file->private_data, file, wait);
}

static int bpfdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	return bpfdev_capture_mmap(file->private_data, vma);
}

static const struct file_operations bpfdev_fops = {
	.owner		= THIS_MODULE,
	.open		= bpfdev_open,
	.release	= bpfdev_release,
	.read		= bpfdev_read,
	.poll		= bpfdev_poll,
	.mmap		= bpfdev_mmap,
	.unlocked_ioctl	= bpfdev_unlocked_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice bpfdev_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "bpf",
	.fops	= &bpfdev_fops,
};

struct bpfdev_file *bpfdev_file_of(struct file *file)
{
	return file->f_op == &bpfdev_fops ? file->private_data : NULL;
}

int bpfdev_dev_init(void)
{
	if (devmode & ~0777) {
		pr_err("devmode %#o is not a permission mode\n", devmode);
		return -EINVAL;
	}
	bpfdev_misc.mode = devmode;
	return misc_register(&bpfdev_misc);
}

void bpfdev_dev_exit(void)
{
	misc_deregister(&bpfdev_misc);
}
