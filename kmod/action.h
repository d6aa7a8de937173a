/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_ACTION_H
#define BPFDEV_ACTION_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct bpfdev_file;
struct bpfdev_prog;
struct bpfdev_tc_skb;
struct net_device;
struct sk_buff;

/*
 * Action programs at netdev hooks (uapi BPFDEV_IOC_ACT_*).
 *
 * Locking: every attachment change, the lists below and link->hook
 * change under rtnl; the packet path reads a hook's array and a link's
 * program under RCU only (netfilter hooks run inside rcu_read_lock()).
 * An array is replaced whole (rcu_assign_pointer) and freed after a grace
 * period; a link's program is swapped in place, so a packet runs exactly
 * one of the old and the new.  Links and arrays are freed after a grace
 * period, programs an RCU grace period after their last reference
 * (prog.h), so a hook still running on another CPU may finish.
 */

/* One attached program, and what the packet path counts for it. */
struct bpfdev_act_link {
	struct bpfdev_prog __rcu	*prog;
	struct bpfdev_act_stats __percpu *stats;
	struct bpfdev_act_hook		*hook;	/* rtnl; NULL: detached */
	struct list_head		node;	/* hook->links, by prio (rtnl) */
	u32				prio;
	bool				persist; /* no fd: owned by the hook */
	struct rcu_head			rcu;
};

struct bpfdev_act_stats {
	u64	run_cnt;
	u64	drop_cnt;
};

/* What the packet path walks: a snapshot of a hook's links, by prio. */
struct bpfdev_act_array {
	struct rcu_head			rcu;
	u32				n;
	struct bpfdev_act_link		*links[];
};

/* action_run.c: the hook function (priv: struct bpfdev_act_hook). */
unsigned int bpfdev_act_hook_run(const struct bpfdev_act_array *arr,
				 struct sk_buff *skb, bool ingress);

/*
 * The __sk_buff of skb (at the link-layer header) as a tc program reads
 * it, every field, and the program's writes to it stored back into skb:
 * PROG_TEST_RUN's, which hands the whole context back.  The hook fills
 * and stores back only what each program uses (action_run.c).
 */
void bpfdev_act_ctx_fill(struct bpfdev_tc_skb *ctx, struct sk_buff *skb, bool ingress,
			 u32 wire_len);
void bpfdev_act_ctx_writeback(const struct bpfdev_tc_skb *ctx, struct sk_buff *skb);

int bpfdev_act_init(void);
void bpfdev_act_exit(void);
long bpfdev_act_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg);

#endif /* BPFDEV_ACTION_H */
