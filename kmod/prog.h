/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_PROG_H
#define BPFDEV_PROG_H

#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
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
 * Per-CPU run statistics, as the kernel's struct bpf_prog_stats: runs and
 * their time (tracing runs, when the module's stats parameter is on) and
 * runs skipped because a program already ran on the CPU.
 */
struct bpfdev_prog_stats {
	u64_stats_t		cnt;
	u64_stats_t		nsecs;
	u64_stats_t		misses;
	struct u64_stats_sync	syncp;
};

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
	bool			tc_ctx_written;	/* tc: store the ctx back after it runs */
	u64			tc_ctx_fill;	/* tc: __sk_buff words to set (core/skb_tc.h) */
	struct bpfdev_map	**used_maps;	/* each holds a reference */
	u32			nr_used_maps;
	u32			verified_insns;
	/* end of the farthest context access (the kernel's max_ctx_offset) */
	u32			max_ctx_offset;
	struct bpfdev_prog_stats __percpu *stats;
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

/* Count a run of ns on this CPU; the caller cannot migrate. */
static inline void bpfdev_prog_stats_add(struct bpfdev_prog *prog, u64 ns)
{
	struct bpfdev_prog_stats *st = this_cpu_ptr(prog->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->cnt);
	u64_stats_add(&st->nsecs, ns);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
}

/* A run skipped (recursion); the caller cannot migrate. */
static inline void bpfdev_prog_inc_misses(struct bpfdev_prog *prog)
{
	struct bpfdev_prog_stats *st = this_cpu_ptr(prog->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->misses);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
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
