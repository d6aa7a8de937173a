// SPDX-License-Identifier: GPL-2.0
/*
 * Fanout groups: capture sockets sharing one device's packets, each
 * packet offered to one member (AF_PACKET's PACKET_FANOUT for /dev/bpf).
 *
 * The group, not its members, is on the tap's lists: the tap offers each
 * packet to the group once, the group picks a member and hands the
 * packet to bpfdev_capture_packet() as if the member were alone on the
 * device, then counts what the member did with it.  Picking costs no
 * shared write: the counters and the round-robin position are per CPU.
 *
 * Joining and leaving move a socket between the tap's list and its
 * group's slots.  A socket joining a group that has members, or leaving
 * one that keeps some, waits for a grace period (synchronize_net(),
 * expedited under rtnl) between taking the socket off one and putting it
 * on the other: the other members take the packets meanwhile, counted,
 * and none reaches the socket through the group once it has left.  A
 * group's first member and its last have nobody to cover for them: they
 * are on both for a moment instead, and bpfdev_capture_packet() offers
 * a packet that reaches a socket both ways only once.
 *
 * A group whose device goes leaves the list of groups at once (its id
 * may be used again); its members, who read ENXIO, leave it by closing
 * or FANOUT_LEAVE, and the last one frees it.
 */

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "capture_fanout.h"
#include "capture_pkt.h"
#include "capture_tap.h"
#include "prog.h"

struct bpfdev_fanout_pcpu {
	struct bpfdev_cap_pcpu	st;
	u32			rr;	/* this CPU's round-robin position */
};

/* Every group of every namespace (rtnl). */
static LIST_HEAD(bpfdev_fanouts);

static u32 bpfdev_fanout_pick(struct bpfdev_fanout *f, struct bpfdev_pkt *pkt, u32 n)
{
	struct bpfdev_fanout_pcpu *pc;
	u32 v;

	switch (f->mode) {
	case BPFDEV_FANOUT_HASH:
		/* Addresses and ports sorted first: the same both ways. */
		return reciprocal_scale(__skb_get_hash_symmetric(pkt->skb), n);
	case BPFDEV_FANOUT_CPU:
		return smp_processor_id() % n;
	case BPFDEV_FANOUT_RR:
		pc = this_cpu_ptr(f->stats);
		return pc->rr++ % n;
	default:
		bpfdev_pkt_view(pkt, f->view);
		v = bpfdev_prog_run(f->prog, bpfdev_pkt_ctx(pkt, f->view, f->prog_md));
		return v % n;
	}
}

void bpfdev_fanout_packet(struct bpfdev_fanout *f, struct bpfdev_pkt *pkt)
{
	/* Pairs with join's release: the slots below the count are set. */
	u32 n = smp_load_acquire(&f->nr);
	struct bpfdev_cap_pcpu *st;
	struct bpfdev_capture *c;

	if (unlikely(!n))
		return;
	c = READ_ONCE(f->members[bpfdev_fanout_pick(f, pkt, n)]);
	st = &this_cpu_ptr(f->stats)->st;
	switch (bpfdev_capture_packet(c, pkt)) {
	case BPFDEV_VERDICT_IGNORED:
		break;
	case BPFDEV_VERDICT_REJECTED:
		st->seen++;
		break;
	case BPFDEV_VERDICT_DROPPED:
		st->dropped++;
		fallthrough;
	case BPFDEV_VERDICT_DELIVERED:
		st->seen++;
		st->accepted++;
		break;
	}
}

/* ---- groups ------------------------------------------------------------------- */

static struct bpfdev_fanout *bpfdev_fanout_find(const struct net *net, u32 id)
{
	struct bpfdev_fanout *f;

	list_for_each_entry(f, &bpfdev_fanouts, node)
		if (f->net == net && f->id == id)
			return f;
	return NULL;
}

static void bpfdev_fanout_free(struct bpfdev_fanout *f)
{
	if (f->prog)
		bpfdev_prog_put(f->prog);
	free_percpu(f->stats);
	kfree(f->members);
	kfree(f);
}

/*
 * A group for c's binding with c its first member, on the tap beside c
 * (bpfdev_capture_packet() offers c each packet once): no packet of the
 * device passes while neither c nor the group is on the tap's lists.
 */
static struct bpfdev_fanout *bpfdev_fanout_new(struct bpfdev_capture *c,
					       const struct bpfdev_cap_fanout *j,
					       struct bpfdev_prog *prog)
{
	struct bpfdev_fanout *f;
	int err = -ENOMEM;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->members = kcalloc(BPFDEV_FANOUT_MAX, sizeof(*f->members), GFP_KERNEL);
	f->stats = alloc_percpu(struct bpfdev_fanout_pcpu);
	if (!f->members || !f->stats)
		goto err;
	f->net = c->net;
	f->dev = c->dev;
	f->any = c->any;
	f->view = c->view;
	f->id = j->id;
	f->mode = j->mode;
	INIT_LIST_HEAD(&f->tap_node);
	f->members[0] = c;
	f->nr = 1;
	err = bpfdev_tap_attach_fanout(f);
	if (err)
		goto err;
	if (prog) {
		bpfdev_prog_get(prog);
		f->prog = prog;
		f->prog_md = bpfdev_capture_prog_reads_md(prog);
	}
	list_add(&f->node, &bpfdev_fanouts);
	return f;

err:
	bpfdev_fanout_free(f);
	return ERR_PTR(err);
}

/* The last member left: off the tap, and freed once no packet sees it. */
static void bpfdev_fanout_put(struct bpfdev_fanout *f)
{
	list_del_init(&f->node);
	bpfdev_tap_detach_fanout(f);
	synchronize_net();
	bpfdev_fanout_free(f);
}

static bool bpfdev_fanout_matches(const struct bpfdev_fanout *f,
				  const struct bpfdev_capture *c,
				  const struct bpfdev_cap_fanout *j,
				  const struct bpfdev_prog *prog)
{
	return f->dev == c->dev && f->any == c->any && f->mode == j->mode &&
	       f->prog == prog && f->tapped;
}

static int bpfdev_fanout_join_rtnl(struct bpfdev_capture *c,
				   const struct bpfdev_cap_fanout *j,
				   struct bpfdev_prog *prog)
{
	struct bpfdev_fanout *f;

	ASSERT_RTNL();
	if (!c->bound)
		return -ENOTCONN;
	if (c->fanout)
		return -EALREADY;
	f = bpfdev_fanout_find(c->net, j->id);
	if (!f) {
		f = bpfdev_fanout_new(c, j, prog);
		if (IS_ERR(f))
			return PTR_ERR(f);
		c->fanout = f;
		c->fanout_idx = 0;
		/* The group holds the device (or "any"): c's own link can go. */
		bpfdev_tap_detach(c);
		synchronize_net();
		return 0;
	}
	if (!bpfdev_fanout_matches(f, c, j, prog))
		return -EINVAL;
	if (f->nr >= BPFDEV_FANOUT_MAX)
		return -ENOSPC;
	/* The other members take the packets c misses meanwhile, counted. */
	bpfdev_tap_detach(c);
	synchronize_net();
	c->fanout = f;
	c->fanout_idx = f->nr;
	f->members[f->nr] = c;
	/* Pairs with the packet path's acquire: the slot is set. */
	smp_store_release(&f->nr, f->nr + 1);
	return 0;
}

int bpfdev_fanout_join(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_prog *prog = NULL;
	struct bpfdev_cap_fanout j;
	bool ebpf;
	int err;

	if (copy_from_user(&j, arg, sizeof(j)))
		return -EFAULT;
	ebpf = j.mode == BPFDEV_FANOUT_EBPF;
	if (j.flags || j.mode > BPFDEV_FANOUT_EBPF || ebpf != !!j.prog_fd)
		return -EINVAL;
	if (ebpf) {
		prog = bpfdev_prog_get_from_fd(j.prog_fd, BPF_PROG_TYPE_SOCKET_FILTER);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
	}
	rtnl_lock();
	err = bpfdev_fanout_join_rtnl(c, &j, prog);
	rtnl_unlock();
	if (prog)
		bpfdev_prog_put(prog);
	return err;
}

void bpfdev_fanout_remove(struct bpfdev_capture *c)
{
	struct bpfdev_fanout *f = c->fanout;
	struct bpfdev_capture *last;
	u32 n = f->nr - 1;

	ASSERT_RTNL();
	last = f->members[n];
	/* The last member takes our slot before the count drops below it. */
	WRITE_ONCE(f->members[c->fanout_idx], last);
	WRITE_ONCE(last->fanout_idx, c->fanout_idx);
	/* Pairs with the packet path's acquire: the moved slot is seen first. */
	smp_store_release(&f->nr, n);
	c->fanout = NULL;
	if (!n) {
		bpfdev_fanout_put(f);
		return;
	}
	/* No packet that picked c (or our old slot) is still on its way. */
	synchronize_net();
	f->members[n] = NULL;
}

int bpfdev_fanout_leave(struct bpfdev_capture *c)
{
	int err = 0;

	rtnl_lock();
	if (!c->fanout) {
		err = -ENOENT;
		goto out;
	}
	/*
	 * Still bound: offered every packet of the device again, on the
	 * tap before the group lets go (each packet reaches c once: see
	 * bpfdev_capture_packet()), so that the last member misses nothing
	 * while its group goes.  c's link has been off the tap's list for
	 * a grace period since it joined.
	 */
	if (c->bound) {
		err = bpfdev_tap_attach(c, c->dev);
		if (err) {
			c->dev = NULL;
			WRITE_ONCE(c->bound, false);
		}
	}
	bpfdev_fanout_remove(c);
out:
	rtnl_unlock();
	return err;
}

void bpfdev_fanout_dev_gone(struct bpfdev_fanout *f)
{
	u32 i;

	ASSERT_RTNL();
	for (i = 0; i < f->nr; i++)
		bpfdev_capture_dev_gone(f->members[i]);
	f->dev = NULL;
	/* Its id is free for a new group; the members leave this one. */
	list_del_init(&f->node);
}

int bpfdev_fanout_get_stats(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_cap_fanout_stats s = { 0 };
	struct bpfdev_fanout *f;
	int cpu;

	rtnl_lock();
	f = c->fanout;
	if (!f) {
		rtnl_unlock();
		return -ENOENT;
	}
	s.id = f->id;
	s.mode = f->mode;
	s.members = f->nr;
	s.index = c->fanout_idx;
	for_each_possible_cpu(cpu) {
		const struct bpfdev_cap_pcpu *st = &per_cpu_ptr(f->stats, cpu)->st;

		s.group.seen += READ_ONCE(st->seen);
		s.group.accepted += READ_ONCE(st->accepted);
		s.group.dropped += READ_ONCE(st->dropped);
	}
	rtnl_unlock();
	s.group.delivered = s.group.accepted - s.group.dropped;
	return copy_to_user(arg, &s, sizeof(s)) ? -EFAULT : 0;
}
