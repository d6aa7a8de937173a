/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_PROG_H
#define BPFDEV_PROG_H

#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <uapi/linux/bpf.h>

#include "btf.h"
#include "code.h"

struct bpfdev_file;
struct bpfdev_map;
struct cred;
struct file;

/*
 * A loaded program.  Runs under rcu_read_lock() (packet path: softirq or
 * bh-disabled); freed an RCU grace period after its last reference, so a
 * program that was just replaced in a prog array or detached may finish.
 */
struct bpfdev_prog {
	struct bpfdev_code	code;		/* insns are the xlated program */
	u32			id;
	u32			type;		/* enum bpf_prog_type */
	u32			expected_attach_type;
	refcount_t		refcnt;		/* fds, pins, prog arrays, attachments */
	char			name[BPF_OBJ_NAME_LEN];
	u8			tag[BPF_TAG_SIZE];
	bool			gpl_compatible;
	bool			seen_direct_write; /* tc: unclone before it runs */
	struct bpfdev_map	**used_maps;	/* each holds a reference */
	u32			nr_used_maps;
	u32			verified_insns;
	kuid_t			uid;
	u64			load_time;	/* boot time, ns */
	struct bpfdev_prog_btf	btf;		/* func_info, line_info */
	struct rcu_work		free_work;
};

/* Run a program: the caller holds rcu_read_lock() and cannot migrate. */
static inline u32 bpfdev_prog_run(const struct bpfdev_prog *prog, const void *ctx)
{
	return bpfdev_code_run(&prog->code, ctx);
}

/*
 * The program behind fd, with a reference: -EBADF for no fd, -EINVAL for
 * an fd that is not a program or (type != ~0U) a program of another type.
 */
struct bpfdev_prog *bpfdev_prog_get_from_fd(int fd, u32 type);
void bpfdev_prog_get(struct bpfdev_prog *prog);
void bpfdev_prog_put(struct bpfdev_prog *prog);
int bpfdev_prog_new_fd(struct bpfdev_prog *prog);
struct bpfdev_prog *bpfdev_prog_get_by_file(struct file *file);

/* OBJ_GET_INFO_BY_FD of prog for a /dev/bpf opened with cred. */
int bpfdev_prog_info(struct bpfdev_prog *prog, const struct cred *cred,
		     union bpf_attr *attr, union bpf_attr __user *uattr);

/*
 * PROG_ATTACH/PROG_DETACH targets: a capture socket (a /dev/bpf fd)
 * registers how it takes a program; target is the file of target_fd.
 */
int bpfdev_cmd_prog_load(struct bpfdev_file *bf, union bpf_attr *attr,
			 union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_prog_test_run(struct bpfdev_file *bf, union bpf_attr *attr,
			     union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_prog_attach(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_prog_detach(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_prog_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_prog_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				 union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_obj_get_info_by_fd(struct bpfdev_file *bf, union bpf_attr *attr,
				  union bpf_attr __user *uattr, u32 size);

#endif /* BPFDEV_PROG_H */
