// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl dispatch: the version query and the bpf(2) mirror.
 *
 * BPFDEV_IOC_BPF takes union bpf_attr exactly as bpf(2) does: a caller may
 * pass a larger attr than we know if the tail is zero (else E2BIG), and a
 * shorter one is zero-extended.  Unknown commands are EINVAL, as in bpf(2).
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "dev.h"
#include "ioctl.h"
#include "version.h"

typedef int (*bpfdev_cmd_fn)(struct bpfdev_file *bf, union bpf_attr *attr,
			     union bpf_attr __user *uattr, u32 size);

/*
 * Indexed by enum bpf_cmd (6.1 ends at BPF_PROG_BIND_MAP); a NULL slot is a
 * command bpfdev does not offer.
 */
static const bpfdev_cmd_fn bpfdev_cmds[BPF_PROG_BIND_MAP + 1] = {
};

static long bpfdev_ioctl_version(void __user *arg)
{
	struct bpfdev_version v = {
		.abi_major	= BPFDEV_ABI_MAJOR,
		.abi_minor	= BPFDEV_ABI_MINOR,
		.features	= BPFDEV_FEAT_CAPTURE,
	};

	strscpy(v.release, BPFDEV_VERSION, sizeof(v.release));
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* bpf_check_uarg_tail_zero() is not exported: the same rule, by hand. */
static int bpfdev_check_tail_zero(void __user *uaddr, size_t known, size_t size)
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

static long bpfdev_ioctl_bpf(struct bpfdev_file *bf, void __user *arg)
{
	struct bpfdev_call call;
	union bpf_attr __user *uattr;
	union bpf_attr attr;
	u32 size;
	int err;

	if (copy_from_user(&call, arg, sizeof(call)))
		return -EFAULT;

	uattr = u64_to_user_ptr(call.attr);
	err = bpfdev_check_tail_zero(uattr, sizeof(attr), call.size);
	if (err)
		return err;
	size = min_t(u32, call.size, sizeof(attr));

	memset(&attr, 0, sizeof(attr));
	if (copy_from_user(&attr, uattr, size))
		return -EFAULT;

	if (call.cmd >= ARRAY_SIZE(bpfdev_cmds) || !bpfdev_cmds[call.cmd])
		return -EINVAL;
	return bpfdev_cmds[call.cmd](bf, &attr, uattr, size);
}

long bpfdev_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case BPFDEV_IOC_VERSION:
		return bpfdev_ioctl_version(arg);
	case BPFDEV_IOC_BPF:
		return bpfdev_ioctl_bpf(bf, arg);
	default:
		return bpfdev_capture_ioctl(bf, cmd, arg);
	}
}
