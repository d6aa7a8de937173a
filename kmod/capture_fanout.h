/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_FANOUT_H
#define BPFDEV_CAPTURE_FANOUT_H

#include <linux/list.h>
#include <linux/types.h>

struct bpfdev_capture;
struct bpfdev_cap_pcpu;
struct bpfdev_pkt;
struct bpfdev_prog;
struct bpfdev_tap_dev;
struct net;
struct net_device;

/*
 * A fanout group: capture sockets bound to one device (or "any") that
 * share its packets, one member per packet (BPFDEV_IOC_CAP_FANOUT).
 *
 * Locking: rtnl guards everything but the packet path's view: the list of
 * groups, creating and freeing a group, its tap membership (tap_node,
 * tap, tapped), joining and leaving, and each member's c->fanout and
 * c->fanout_idx.  The packet path reads nr and members[] under RCU:
 * a join stores the member before the count that shows it (release,
 * paired with the packet path's acquire); a leave moves the last member
 * into the leaver's slot, then lowers the count, then waits for a grace
 * period, so a packet that picked either slot delivers to a socket that
 * is still alive and still a member or leaving, and none is delivered
 * after the leave returns.  members[] has room for BPFDEV_FANOUT_MAX so
 * that neither join nor leave allocates (a leave cannot fail).
 */
struct bpfdev_fanout {
	struct list_head	node;		/* in the list of groups, until its device goes */
	struct list_head	tap_node;	/* in a tap's RCU list */
	struct bpfdev_tap_dev	*tap;		/* set by the tap (rtnl) */
	struct net		*net;
	struct net_device	*dev;		/* NULL: "any" */
	bool			any;
	bool			tapped;		/* on a tap list */
	u8			view;		/* the members' enum bpfdev_view_kind */
	u32			id;
	u32			mode;		/* BPFDEV_FANOUT_* */
	struct bpfdev_prog	*prog;		/* BPFDEV_FANOUT_EBPF, referenced */
	bool			prog_md;	/* it reads __sk_buff beyond len */
	struct bpfdev_fanout_pcpu __percpu *stats;
	u32			nr;		/* live members (acquire/release) */
	struct bpfdev_capture	**members;	/* BPFDEV_FANOUT_MAX slots */
};

/* The packet path: pick a member of f for pkt (RCU, bottom halves off). */
void bpfdev_fanout_packet(struct bpfdev_fanout *f, struct bpfdev_pkt *pkt);

/* The fanout ioctls, under c->lock. */
int bpfdev_fanout_join(struct bpfdev_capture *c, void __user *arg);
int bpfdev_fanout_leave(struct bpfdev_capture *c);
int bpfdev_fanout_get_stats(struct bpfdev_capture *c, void __user *arg);

/*
 * c leaves its group (rtnl; c->fanout set): after it, no packet path
 * delivers to c through the group.  c is left off every tap list.
 */
void bpfdev_fanout_remove(struct bpfdev_capture *c);
/* f's device is going away (rtnl; f is already off the tap). */
void bpfdev_fanout_dev_gone(struct bpfdev_fanout *f);

#endif /* BPFDEV_CAPTURE_FANOUT_H */
