/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_OBJFD_H
#define BPFDEV_OBJFD_H

#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/types.h>

struct workqueue_struct;
union bpf_attr;

/*
 * Ids of live objects (maps, programs), as the kernel's map_idr/prog_idr:
 * cyclic from 1, looked up under the lock so a dying object (refcount
 * zero) is never revived.
 */
struct bpfdev_ids {
	spinlock_t	lock;	/* idr changes and lookups that take a reference */
	struct idr	idr;
};

#define BPFDEV_IDS_INIT(name) {						\
	.lock = __SPIN_LOCK_UNLOCKED(name.lock),			\
	.idr = IDR_INIT(name.idr),					\
}

/* Frees run here, after an RCU grace period; module exit drains it. */
extern struct workqueue_struct *bpfdev_wq;

int bpfdev_id_alloc(struct bpfdev_ids *ids, void *obj, u32 *id);
void bpfdev_id_free(struct bpfdev_ids *ids, u32 id);
void *bpfdev_id_get(struct bpfdev_ids *ids, u32 id, bool (*tryget)(void *obj));
int bpfdev_id_next(struct bpfdev_ids *ids, u32 start, u32 *next);
/* BPF_{MAP,PROG}_GET_NEXT_ID over ids, as bpf_obj_get_next_id(). */
int bpfdev_id_cmd_next(struct bpfdev_ids *ids, const union bpf_attr *attr,
		       union bpf_attr __user *uattr);

/*
 * A new anonymous-inode fd for obj.  The fops' .owner pins the module for
 * as long as the file lives; objects also pin it themselves (pins outlive
 * fds).
 */
int bpfdev_obj_fd(const char *name, const struct file_operations *fops,
		  void *obj, int flags);

/* The kernel's bpf_obj_name_cpy(): [A-Za-z0-9_.], NUL-terminated, else -EINVAL. */
int bpfdev_obj_name_cpy(char *dst, const char *src, unsigned int size);

/*
 * CAP_BPF or CAP_SYS_ADMIN (the kernel's bpf_capable()): what the
 * privileged commands of the dispatch table (ioctl.c) need, and what the
 * verifier calls bpf_capable.
 */
bool bpfdev_capable(void);
/* CAP_PERFMON or CAP_SYS_ADMIN: the verifier's allow_ptr_leaks and bypass_spec_* */
bool bpfdev_perfmon_capable(void);
/*
 * bpfdev_capable(), or unprivileged_bpf_disabled=0: what the commands 6.1
 * lets unprivileged callers use need (PROG_LOAD of a socket filter, the
 * map commands, ...).
 */
bool bpfdev_unpriv_allowed(void);

/* CHECK_ATTR: true when a byte of attr after field is not zero. */
bool bpfdev_attr_tail_nonzero(const union bpf_attr *attr, size_t end);
#define BPFDEV_CHECK_ATTR(attr, field)	\
	bpfdev_attr_tail_nonzero(attr, offsetofend(union bpf_attr, field))

/*
 * A user struct of size bytes of which we know the first known: as the
 * kernel's bpf_check_uarg_tail_zero(), E2BIG beyond a page or when a byte
 * past known is not zero.
 */
int bpfdev_check_tail_zero(void __user *uaddr, size_t known, size_t size);

/*
 * OBJ_GET_INFO_BY_FD's two ends, as the kernel's *_get_info_by_fd():
 * bpfdev_info_start() checks the caller's info_len against the struct
 * we know (size), zeroes info and returns the length both sides share in
 * *len; bpfdev_info_finish() copies that much out and says it in
 * uattr->info.info_len.
 */
int bpfdev_info_start(const union bpf_attr *attr, void *info, size_t size, u32 *len);
int bpfdev_info_finish(const union bpf_attr *attr, union bpf_attr __user *uattr,
		       const void *info, u32 len);

/* Maps, programs, pins, helpers and their debugfs files. */
int bpfdev_objects_init(void);
void bpfdev_objects_exit(void);

#endif /* BPFDEV_OBJFD_H */
