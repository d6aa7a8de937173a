/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_H
#define BPFDEV_CAPTURE_H

#include <linux/hrtimer.h>
#include <linux/if.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <linux/bpfdev.h>

struct bpfdev_cap_prog;
struct bpfdev_fanout;
struct bpfdev_file;
struct bpfdev_pkt;
struct bpfdev_prog;
struct bpfdev_ring;
struct bpfdev_tap_dev;
struct file;
struct net;
struct net_device;
struct vm_area_struct;

struct bpfdev_cap_pcpu {
	u64	seen;
	u64	accepted;
	u64	dropped;
	u64	last_seq;	/* the last packet offered here (bpfdev_pkt.seq) */
};

/*
 * The capture socket of one open /dev/bpf (BSD bpf(4) model).
 *
 * Locking: lock serialises the ioctls and read(); ring_lock (inside lock,
 * and the only one mmap() takes: mmap() runs under mmap_lock, which the
 * ioctls and read() take when they fault on user memory) guards creating
 * and replacing the ring; mapped counts the ring's mappings and becomes
 * non-zero only in mmap() under ring_lock, where a resize reads it (the
 * copies fork() makes and the vm close that ends each count outside it,
 * under mmap_lock alone); rtnl guards
 * what the netdevice notifier changes (the tap membership, dev, promisc
 * state, err) and the fanout membership (capture_fanout.h: a member is
 * on no tap list, its group is); the packet path reads the rest under
 * RCU or READ_ONCE.
 * filter and ring are replaced with rcu_assign_pointer() and freed after
 * a grace period; a socket unlinked from a tap list waits for one before
 * it is linked again or freed.
 *
 * Attaching a filter (SET_FILTER, and PROG_ATTACH/DETACH from prog.c with
 * references on the program and the target fd held) takes lock alone:
 * no module-wide lock, and no wait, since the replaced filter is freed
 * from bpfdev_wq after a grace period (queue_rcu_work()).  The order where
 * locks nest: lock before rtnl, lock before mmap_lock (an ioctl faulting
 * on user memory) and before ring_lock, mmap_lock before ring_lock
 * (mmap()); rtnl and ring_lock are never held together.
 */
struct bpfdev_capture {
	struct mutex		lock;		/* ioctls, read() */
	struct mutex		ring_lock;	/* ring creation/replacement, mapped */
	atomic_t		mapped;		/* live mappings of the ring */
	struct net		*net;

	/* rtnl */
	struct list_head	tap_node;	/* in a tap's RCU list */
	struct bpfdev_tap_dev	*tap;		/* bound to a device */
	struct net_device	*dev;
	bool			bound;		/* to dev or "any" */
	bool			any;
	bool			promisc_on;	/* we raised dev's promiscuity */
	bool			ever_bound;
	int			err;		/* -ENXIO: device gone */
	struct bpfdev_fanout	*fanout;	/* our group (and lock), or NULL */
	u32			fanout_idx;	/* our slot in it */

	/* lock; read by the packet path */
	u8			view;		/* enum bpfdev_view_kind */
	u8			direction;	/* BPFDEV_DIR_* */
	u8			tstamp;		/* BPFDEV_TSTAMP_* */
	bool			promisc;	/* asked for */
	u32			snaplen;
	u32			ring_size;
	u32			linktype;
	u32			hatype;
	int			ifindex;
	char			ifname[IFNAMSIZ];
	struct bpfdev_cap_prog __rcu *filter;
	struct bpfdev_ring __rcu *ring;
	struct bpfdev_cap_pcpu __percpu *stats;
	struct bpfdev_cap_stats	base;		/* counters at the last reset */

	/* wakeups */
	wait_queue_head_t	wq;
	u32			wake_count;
	u32			wake_timeout_ms;
	unsigned long		ready;		/* BPFDEV_CAP_READY: batch is due */
	struct hrtimer		timer;
};

int bpfdev_capture_init(void);
void bpfdev_capture_exit(void);

int bpfdev_capture_open(struct bpfdev_file *bf);
void bpfdev_capture_release(struct bpfdev_file *bf);
long bpfdev_capture_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg);
ssize_t bpfdev_capture_read(struct bpfdev_file *bf, char __user *buf,
			    size_t len, bool nonblock);
__poll_t bpfdev_capture_poll(struct bpfdev_file *bf, struct file *file,
			     poll_table *wait);
int bpfdev_capture_mmap(struct bpfdev_file *bf, struct vm_area_struct *vma);

/*
 * BPF_PROG_ATTACH / PROG_DETACH with a /dev/bpf fd as target_fd: the same
 * as BPFDEV_IOC_CAP_SET_FILTER with an eBPF program (attach_type 0); the
 * socket keeps its own reference on prog.  Detach with prog NULL removes
 * whatever is attached.
 */
int bpfdev_capture_attach(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			  u32 attach_type, u32 flags);
int bpfdev_capture_detach(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			  u32 attach_type);

/*
 * Whether a socket filter reads __sk_buff fields other than len (or hands
 * its context to a helper that may): bpfdev_pkt_ctx()'s md.
 */
bool bpfdev_capture_prog_reads_md(const struct bpfdev_prog *prog);

/* What became of a packet offered to a socket, for its fanout group. */
enum bpfdev_cap_verdict {
	BPFDEV_VERDICT_IGNORED,		/* not its direction, or no ring */
	BPFDEV_VERDICT_REJECTED,	/* by its filter */
	BPFDEV_VERDICT_DELIVERED,
	BPFDEV_VERDICT_DROPPED,		/* the ring was full */
};

/* The packet path: offer one packet to c (RCU, bottom halves off). */
enum bpfdev_cap_verdict bpfdev_capture_packet(struct bpfdev_capture *c,
					      struct bpfdev_pkt *pkt);
/* c's device is going away (rtnl; c is already off the tap). */
void bpfdev_capture_dev_gone(struct bpfdev_capture *c);

#endif /* BPFDEV_CAPTURE_H */
