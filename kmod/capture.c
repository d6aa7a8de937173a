// SPDX-License-Identifier: GPL-2.0
/*
 * Capture sockets: every open /dev/bpf can be bound to an interface (or
 * "any") and receive the packets its filter accepts in its ring, as in
 * BSD bpf(4).  The ABI is in uapi/linux/bpfdev.h.
 *
 * The packet path (bpfdev_capture_packet(), called by the tap with bottom
 * halves off) never sleeps: it runs the filter on the shared packet view,
 * reserves a record (a full ring drops and counts), copies and commits,
 * then wakes readers by the socket's wakeup policy.  A batched policy is
 * finished by an hrtimer, never by the packet path waiting.
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/if_packet.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "capture_fanout.h"
#include "capture_filter.h"
#include "capture_pkt.h"
#include "capture_prof.h"
#include "capture_ring.h"
#include "capture_tap.h"
#include "code.h"
#include "debugfs.h"
#include "dev.h"

#define BPFDEV_SNAPLEN_MAX	262144
#define BPFDEV_CAP_READY	0	/* bit in bpfdev_capture.ready */

/* ---- the packet path -------------------------------------------------------- */

static void bpfdev_capture_wake(struct bpfdev_capture *c, bool batched)
{
	if (batched)
		set_bit(BPFDEV_CAP_READY, &c->ready);
	if (wq_has_sleeper(&c->wq))
		wake_up_interruptible_poll(&c->wq, EPOLLIN | EPOLLRDNORM);
}

/* batch: what the reservation said (a full ring's drop is due at once). */
static void bpfdev_capture_notify(struct bpfdev_capture *c, enum bpfdev_ring_batch batch)
{
	u32 timeout;

	if (READ_ONCE(c->wake_count) <= 1) {
		bpfdev_capture_wake(c, false);
		return;
	}
	if (batch == BPFDEV_BATCH_DUE) {
		bpfdev_capture_wake(c, true);
		return;
	}
	timeout = READ_ONCE(c->wake_timeout_ms);
	if (batch == BPFDEV_BATCH_FIRST && timeout)
		hrtimer_start(&c->timer, ms_to_ktime(timeout), HRTIMER_MODE_REL_SOFT);
}

/* The reader was woken other than by count: the next record starts a batch. */
static void bpfdev_capture_batch_reset(struct bpfdev_capture *c)
{
	struct bpfdev_ring *ring;

	rcu_read_lock();
	ring = rcu_dereference(c->ring);
	if (ring)
		bpfdev_ring_batch_reset(ring);
	rcu_read_unlock();
}

static enum hrtimer_restart bpfdev_capture_timer(struct hrtimer *timer)
{
	struct bpfdev_capture *c = container_of(timer, struct bpfdev_capture, timer);

	bpfdev_capture_batch_reset(c);
	bpfdev_capture_wake(c, true);
	return HRTIMER_NORESTART;
}

static void bpfdev_capture_fill(struct bpfdev_capture *c, struct bpfdev_pkt *pkt,
				const struct bpfdev_view *v,
				struct bpfdev_cap_hdr *hdr, u32 caplen)
{
	struct sk_buff *skb = pkt->skb;
	u8 *data = (u8 *)(hdr + 1);
	u32 lin = min(caplen, v->lin);

	hdr->caplen = caplen;
	hdr->tstamp_ns = bpfdev_pkt_tstamp(pkt, c->tstamp);
	hdr->wirelen = v->len;
	hdr->ifindex = pkt->dev->ifindex;
	hdr->protocol = skb->protocol;
	hdr->hatype = pkt->dev->type;
	hdr->direction = pkt->dir;
	hdr->pkt_type = pkt->dir == BPFDEV_DIR_OUT ? PACKET_OUTGOING : skb->pkt_type;
	hdr->flags = 0;
	hdr->vlan_tci = 0;
	hdr->vlan_proto = 0;
	if (skb_vlan_tag_present(skb)) {
		hdr->flags = BPFDEV_REC_F_VLAN;
		if (v->vlan_inline)
			hdr->flags |= BPFDEV_REC_F_VLAN_INLINE;
		hdr->vlan_tci = skb_vlan_tag_get(skb);
		hdr->vlan_proto = ntohs(skb->vlan_proto);
	}
	memcpy(hdr->addr, bpfdev_pkt_addr(pkt), sizeof(hdr->addr));
	hdr->halen = pkt->halen;
	hdr->net_off = min_t(u32, v->ctx.net_off, U16_MAX);
	hdr->hdr_len = sizeof(*hdr);

	memcpy(data, v->ctx.data, lin);
	if (lin < caplen && bpfdev_view_copy(v, lin, data + lin, caplen - lin))
		memset(data + lin, 0, caplen - lin);
}

enum bpfdev_cap_verdict bpfdev_capture_packet(struct bpfdev_capture *c,
					      struct bpfdev_pkt *pkt)
{
	enum bpfdev_ring_batch batch;
	struct bpfdev_cap_prog *prog;
	struct bpfdev_cap_pcpu *st;
	struct bpfdev_cap_hdr *hdr;
	struct bpfdev_ring *ring;
	struct bpfdev_view *v;
	u32 keep = U32_MAX, caplen;
	u64 t;

	if (!(READ_ONCE(c->direction) & pkt->dir))
		return BPFDEV_VERDICT_IGNORED;
	ring = rcu_dereference(c->ring);
	if (unlikely(!ring))
		return BPFDEV_VERDICT_IGNORED;
	/*
	 * Joining or leaving a fanout group, c is on the tap's list and in
	 * its group for a moment, so that no packet misses it: each packet
	 * is offered to c once (the first time; the group counts only what
	 * it delivered).
	 */
	st = this_cpu_ptr(c->stats);
	if (unlikely(st->last_seq == pkt->seq))
		return BPFDEV_VERDICT_IGNORED;
	st->last_seq = pkt->seq;
	t = bpfdev_prof_now();
	v = bpfdev_pkt_view(pkt, c->view);
	bpfdev_prof_mark(&t, BPFDEV_PROF_VIEW);
	st->seen++;
	prog = rcu_dereference(c->filter);
	if (prog) {
		keep = bpfdev_code_run(prog->code, bpfdev_pkt_ctx(pkt, c->view, prog->md));
		bpfdev_prof_mark(&t, BPFDEV_PROF_FILTER);
		if (!keep)
			return BPFDEV_VERDICT_REJECTED;
	}
	st->accepted++;
	caplen = min3(keep, READ_ONCE(c->snaplen), v->len);
	caplen = min(caplen, bpfdev_ring_max_caplen(ring));
	hdr = bpfdev_ring_reserve(ring, caplen, READ_ONCE(c->wake_count), &batch);
	bpfdev_prof_mark(&t, BPFDEV_PROF_RESERVE);
	if (unlikely(!hdr)) {
		st->dropped++;
		bpfdev_capture_notify(c, batch);
		return BPFDEV_VERDICT_DROPPED;
	}
	bpfdev_capture_fill(c, pkt, v, hdr, caplen);
	bpfdev_prof_mark(&t, BPFDEV_PROF_FILL);
	bpfdev_ring_commit(hdr);
	bpfdev_capture_notify(c, batch);
	bpfdev_prof_mark(&t, BPFDEV_PROF_COMMIT);
	return BPFDEV_VERDICT_DELIVERED;
}

/* ---- binding ------------------------------------------------------------------ */

static void bpfdev_capture_stats_sum(struct bpfdev_capture *c, struct bpfdev_cap_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct bpfdev_cap_pcpu *st = per_cpu_ptr(c->stats, cpu);

		s->seen += READ_ONCE(st->seen);
		s->accepted += READ_ONCE(st->accepted);
		s->dropped += READ_ONCE(st->dropped);
	}
}

/* The ring, made on first use (ring_lock held). */
static struct bpfdev_ring *bpfdev_capture_ring(struct bpfdev_capture *c)
{
	struct bpfdev_ring *ring;

	ring = rcu_dereference_protected(c->ring, lockdep_is_held(&c->ring_lock));
	if (ring)
		return ring;
	ring = bpfdev_ring_alloc(c->ring_size);
	if (!ring)
		return ERR_PTR(-ENOMEM);
	rcu_assign_pointer(c->ring, ring);
	return ring;
}

/*
 * Drop the records and zero the counters (BIOCFLUSH).  The counters are
 * zeroed even when the reader left a corrupt consumer position (-EIO).
 */
static int bpfdev_capture_reset(struct bpfdev_capture *c)
{
	struct bpfdev_ring *ring;
	int err = 0;

	ring = rcu_dereference_protected(c->ring, lockdep_is_held(&c->lock));
	if (ring)
		err = bpfdev_ring_flush(ring);
	bpfdev_capture_stats_sum(c, &c->base);
	bpfdev_capture_batch_reset(c);
	clear_bit(BPFDEV_CAP_READY, &c->ready);
	return err;
}

static void bpfdev_capture_unbind_rtnl(struct bpfdev_capture *c)
{
	bool member = c->fanout;

	ASSERT_RTNL();
	/* A member is off the tap lists: its group is on them. */
	if (member)
		bpfdev_fanout_remove(c);
	if (!c->bound)
		return;
	if (!member)
		bpfdev_tap_detach(c);
	if (c->promisc_on)
		dev_set_promiscuity(c->dev, -1);
	c->promisc_on = false;
	c->dev = NULL;
	c->any = false;
	WRITE_ONCE(c->bound, false);
}

void bpfdev_capture_dev_gone(struct bpfdev_capture *c)
{
	ASSERT_RTNL();
	if (c->promisc_on)
		dev_set_promiscuity(c->dev, -1);
	c->promisc_on = false;
	c->dev = NULL;
	WRITE_ONCE(c->bound, false);
	WRITE_ONCE(c->err, -ENXIO);
	wake_up_interruptible_poll(&c->wq, EPOLLIN | EPOLLERR);
}

static void bpfdev_capture_unbind(struct bpfdev_capture *c)
{
	if (!c->ever_bound)
		return;
	rtnl_lock();
	bpfdev_capture_unbind_rtnl(c);
	rtnl_unlock();
	/* No packet path still walks a list through c->tap_node. */
	synchronize_rcu();
	wake_up_interruptible_poll(&c->wq, EPOLLIN | EPOLLERR);
}

static int bpfdev_capture_bind_rtnl(struct bpfdev_capture *c,
				    const struct bpfdev_cap_bind *b, bool any)
{
	struct net_device *dev = NULL;
	int err;

	if (!any) {
		if (b->ifname[0])
			dev = __dev_get_by_name(c->net, b->ifname);
		else
			dev = __dev_get_by_index(c->net, b->ifindex);
		if (!dev)
			return -ENXIO;
	} else if (c->promisc) {
		return -EINVAL;
	}

	c->view = dev ? bpfdev_view_of_dev(dev) : BPFDEV_VIEW_NET;
	c->linktype = bpfdev_linktype_of_dev(dev);
	c->hatype = dev ? dev->type : 0;
	c->ifindex = dev ? dev->ifindex : 0;
	strscpy(c->ifname, dev ? dev->name : "any", sizeof(c->ifname));
	c->any = any;
	/* A corrupt consumer position is the reader's to fix: bind anyway. */
	bpfdev_capture_reset(c);

	err = bpfdev_tap_attach(c, dev);
	if (err)
		return err;
	c->ever_bound = true;
	if (c->promisc) {
		err = dev_set_promiscuity(dev, 1);
		if (err) {
			bpfdev_tap_detach(c);
			return err;
		}
		c->promisc_on = true;
	}
	c->dev = dev;
	WRITE_ONCE(c->err, 0);
	WRITE_ONCE(c->bound, true);
	return 0;
}

static int bpfdev_capture_bind(struct bpfdev_capture *c, void __user *arg)
{
	struct user_namespace *ns = c->net->user_ns;
	struct bpfdev_cap_bind b;
	struct bpfdev_ring *ring;
	bool any;
	int err;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	if (b.flags || strnlen(b.ifname, sizeof(b.ifname)) == sizeof(b.ifname))
		return -EINVAL;
	if (!ns_capable(ns, CAP_NET_RAW) && !ns_capable(ns, CAP_NET_ADMIN))
		return -EPERM;
	any = !strcmp(b.ifname, "any") || (!b.ifname[0] && !b.ifindex);

	mutex_lock(&c->ring_lock);
	ring = bpfdev_capture_ring(c);
	mutex_unlock(&c->ring_lock);
	if (IS_ERR(ring))
		return PTR_ERR(ring);
	/* A group's members share one device: leave the group first. */
	if (c->fanout)
		return -EBUSY;
	bpfdev_capture_unbind(c);

	rtnl_lock();
	err = bpfdev_capture_bind_rtnl(c, &b, any);
	rtnl_unlock();
	return err;
}

/* ---- settings ------------------------------------------------------------------ */

static int bpfdev_capture_set_promisc(struct bpfdev_capture *c, u32 on)
{
	int err = 0;

	if (on > 1)
		return -EINVAL;
	rtnl_lock();
	if (on && c->bound && c->any) {
		err = -EINVAL;
		goto out;
	}
	if (c->bound && c->dev && on != c->promisc_on) {
		err = dev_set_promiscuity(c->dev, on ? 1 : -1);
		if (err)
			goto out;
		c->promisc_on = on;
	}
	c->promisc = on;
out:
	rtnl_unlock();
	return err;
}

static int bpfdev_capture_set_ring_size(struct bpfdev_capture *c, u32 size)
{
	struct bpfdev_ring *old, *ring;
	int err = 0;

	if (!size)
		return -EINVAL;
	mutex_lock(&c->ring_lock);
	if (atomic_read(&c->mapped)) {
		err = -EBUSY;
		goto out;
	}
	c->ring_size = bpfdev_ring_round_size(size);
	old = rcu_dereference_protected(c->ring, lockdep_is_held(&c->ring_lock));
	if (!old)
		goto out;
	ring = bpfdev_ring_alloc(c->ring_size);
	if (!ring) {
		err = -ENOMEM;
		goto out;
	}
	rcu_assign_pointer(c->ring, ring);
	synchronize_rcu();
	bpfdev_ring_free(old);
out:
	mutex_unlock(&c->ring_lock);
	return err;
}

static int bpfdev_capture_set_wakeup(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_cap_wakeup w;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.timeout_ms > 3600 * 1000)
		return -EINVAL;
	WRITE_ONCE(c->wake_timeout_ms, w.timeout_ms);
	WRITE_ONCE(c->wake_count, w.count);
	bpfdev_capture_batch_reset(c);
	/* Whatever waits is due under the new policy's first timeout at most. */
	bpfdev_capture_wake(c, true);
	return 0;
}

static int bpfdev_capture_get_stats(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_cap_stats s;

	bpfdev_capture_stats_sum(c, &s);
	s.seen -= c->base.seen;
	s.accepted -= c->base.accepted;
	s.dropped -= c->base.dropped;
	s.delivered = s.accepted - s.dropped;
	return copy_to_user(arg, &s, sizeof(s)) ? -EFAULT : 0;
}

static int bpfdev_capture_get_info(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_cap_info info = { 0 };
	struct bpfdev_cap_prog *prog;

	prog = rcu_dereference_protected(c->filter, lockdep_is_held(&c->lock));
	if (READ_ONCE(c->bound))
		info.flags |= BPFDEV_CAP_BOUND;
	if (c->any)
		info.flags |= BPFDEV_CAP_ANY;
	if (READ_ONCE(c->promisc_on))
		info.flags |= BPFDEV_CAP_PROMISC;
	if (atomic_read(&c->mapped))
		info.flags |= BPFDEV_CAP_MAPPED;
	if (prog)
		info.flags |= BPFDEV_CAP_FILTER;
	if (prog && prog->code->jited) {
		info.flags |= BPFDEV_CAP_JITED;
		info.jited_len = prog->code->jit_len;
	}
	info.ifindex = c->ifindex;
	memcpy(info.ifname, c->ifname, sizeof(info.ifname));
	info.linktype = c->linktype;
	info.hatype = c->hatype;
	info.ring_size = c->ring_size;
	info.snaplen = c->snaplen;
	info.direction = c->direction;
	info.tstamp = c->tstamp;
	info.wakeup_count = c->wake_count;
	info.wakeup_timeout_ms = c->wake_timeout_ms;
	info.error = READ_ONCE(c->err);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long bpfdev_capture_ioctl_locked(struct bpfdev_capture *c,
					unsigned int cmd, void __user *arg)
{
	u32 v;

	switch (cmd) {
	case BPFDEV_IOC_CAP_BIND:
		return bpfdev_capture_bind(c, arg);
	case BPFDEV_IOC_CAP_UNBIND:
		bpfdev_capture_unbind(c);
		return 0;
	case BPFDEV_IOC_CAP_SET_FILTER:
		return bpfdev_capture_set_filter(c, arg);
	case BPFDEV_IOC_CAP_FLUSH:
		return bpfdev_capture_reset(c);
	case BPFDEV_IOC_CAP_WAKEUP:
		return bpfdev_capture_set_wakeup(c, arg);
	case BPFDEV_IOC_CAP_GET_STATS:
		return bpfdev_capture_get_stats(c, arg);
	case BPFDEV_IOC_CAP_GET_INFO:
		return bpfdev_capture_get_info(c, arg);
	case BPFDEV_IOC_CAP_FANOUT:
		return bpfdev_fanout_join(c, arg);
	case BPFDEV_IOC_CAP_FANOUT_LEAVE:
		return bpfdev_fanout_leave(c);
	case BPFDEV_IOC_CAP_FANOUT_STATS:
		return bpfdev_fanout_get_stats(c, arg);
	}

	if (get_user(v, (u32 __user *)arg))
		return -EFAULT;
	switch (cmd) {
	case BPFDEV_IOC_CAP_SNAPLEN:
		if (!v || v > BPFDEV_SNAPLEN_MAX)
			return -EINVAL;
		WRITE_ONCE(c->snaplen, v);
		return 0;
	case BPFDEV_IOC_CAP_DIRECTION:
		if (!v || v & ~BPFDEV_DIR_INOUT)
			return -EINVAL;
		WRITE_ONCE(c->direction, v);
		return 0;
	case BPFDEV_IOC_CAP_PROMISC:
		return bpfdev_capture_set_promisc(c, v);
	case BPFDEV_IOC_CAP_RING_SIZE:
		return bpfdev_capture_set_ring_size(c, v);
	case BPFDEV_IOC_CAP_TSTAMP:
		if (v > BPFDEV_TSTAMP_SKB)
			return -EINVAL;
		WRITE_ONCE(c->tstamp, v);
		return 0;
	}
	return -ENOTTY;
}

static bool bpfdev_capture_cmd(unsigned int cmd)
{
	switch (cmd) {
	case BPFDEV_IOC_CAP_BIND:
	case BPFDEV_IOC_CAP_UNBIND:
	case BPFDEV_IOC_CAP_SET_FILTER:
	case BPFDEV_IOC_CAP_SNAPLEN:
	case BPFDEV_IOC_CAP_DIRECTION:
	case BPFDEV_IOC_CAP_PROMISC:
	case BPFDEV_IOC_CAP_RING_SIZE:
	case BPFDEV_IOC_CAP_WAKEUP:
	case BPFDEV_IOC_CAP_TSTAMP:
	case BPFDEV_IOC_CAP_GET_STATS:
	case BPFDEV_IOC_CAP_FLUSH:
	case BPFDEV_IOC_CAP_GET_INFO:
	case BPFDEV_IOC_CAP_FANOUT:
	case BPFDEV_IOC_CAP_FANOUT_LEAVE:
	case BPFDEV_IOC_CAP_FANOUT_STATS:
		return true;
	}
	return false;
}

long bpfdev_capture_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg)
{
	struct bpfdev_capture *c = bf->cap;
	long ret;

	if (!bpfdev_capture_cmd(cmd))
		return -ENOTTY;
	if (mutex_lock_interruptible(&c->lock))
		return -ERESTARTSYS;
	ret = bpfdev_capture_ioctl_locked(c, cmd, arg);
	mutex_unlock(&c->lock);
	return ret;
}

/* ---- reading ------------------------------------------------------------------- */

/*
 * Records are due: any at all for an immediate socket, else once a batch
 * was declared ready.  READY is dropped when the reader has caught up;
 * a record committed meanwhile sets it again rather than wait.
 */
static bool bpfdev_capture_due(struct bpfdev_capture *c, const struct bpfdev_ring *ring)
{
	if (!bpfdev_ring_readable(ring)) {
		if (READ_ONCE(c->wake_count) <= 1)
			return false;
		clear_bit(BPFDEV_CAP_READY, &c->ready);
		/* Clear before looking again: a commit we miss sets it after. */
		smp_mb__after_atomic();
		if (!bpfdev_ring_readable(ring))
			return false;
		set_bit(BPFDEV_CAP_READY, &c->ready);
		return true;
	}
	return READ_ONCE(c->wake_count) <= 1 || test_bit(BPFDEV_CAP_READY, &c->ready);
}

static bool bpfdev_capture_can_read(struct bpfdev_capture *c)
{
	struct bpfdev_ring *ring;
	bool due = false;

	if (READ_ONCE(c->err) || !READ_ONCE(c->bound))
		return true;
	rcu_read_lock();
	ring = rcu_dereference(c->ring);
	if (ring)
		due = bpfdev_capture_due(c, ring);
	rcu_read_unlock();
	return due;
}

ssize_t bpfdev_capture_read(struct bpfdev_file *bf, char __user *buf,
			    size_t len, bool nonblock)
{
	struct bpfdev_capture *c = bf->cap;
	struct bpfdev_ring *ring;
	ssize_t n;
	int err;

	for (;;) {
		if (!nonblock) {
			err = wait_event_interruptible(c->wq, bpfdev_capture_can_read(c));
			if (err)
				return err;
		}
		if (mutex_lock_interruptible(&c->lock))
			return -ERESTARTSYS;
		ring = rcu_dereference_protected(c->ring, lockdep_is_held(&c->lock));
		n = ring ? bpfdev_ring_read(ring, buf, len) : 0;
		mutex_unlock(&c->lock);
		if (n)
			return n;
		err = READ_ONCE(c->err);
		if (err)
			return err;
		if (!READ_ONCE(c->bound))
			return -EINVAL;
		if (nonblock)
			return -EAGAIN;
	}
}

__poll_t bpfdev_capture_poll(struct bpfdev_file *bf, struct file *file,
			     poll_table *wait)
{
	struct bpfdev_capture *c = bf->cap;
	struct bpfdev_ring *ring;
	__poll_t mask = 0;

	poll_wait(file, &c->wq, wait);
	rcu_read_lock();
	ring = rcu_dereference(c->ring);
	if (ring && bpfdev_capture_due(c, ring))
		mask |= EPOLLIN | EPOLLRDNORM;
	rcu_read_unlock();
	if (READ_ONCE(c->err))
		mask |= EPOLLERR;
	return mask;
}

/*
 * Each mapping of the ring counts, copies made by fork() and the pieces of
 * a partial munmap() included; the ring may be resized again once the
 * last is gone.  The mapping holds the file, so c outlives it.
 */
static void bpfdev_capture_vm_open(struct vm_area_struct *vma)
{
	struct bpfdev_capture *c = vma->vm_private_data;

	atomic_inc(&c->mapped);
}

static void bpfdev_capture_vm_close(struct vm_area_struct *vma)
{
	struct bpfdev_capture *c = vma->vm_private_data;

	atomic_dec(&c->mapped);
}

static const struct vm_operations_struct bpfdev_capture_vm_ops = {
	.open	= bpfdev_capture_vm_open,
	.close	= bpfdev_capture_vm_close,
};

int bpfdev_capture_mmap(struct bpfdev_file *bf, struct vm_area_struct *vma)
{
	struct bpfdev_capture *c = bf->cap;
	struct bpfdev_ring *ring;
	int err;

	/* Not c->lock: ioctls fault (mmap_lock) while holding it. */
	if (mutex_lock_interruptible(&c->ring_lock))
		return -ERESTARTSYS;
	ring = bpfdev_capture_ring(c);
	if (IS_ERR(ring)) {
		err = PTR_ERR(ring);
		goto out;
	}
	err = bpfdev_ring_mmap(ring, vma);
	if (!err) {
		/* The first mapping counts under ring_lock: resizing checks it. */
		vma->vm_private_data = c;
		vma->vm_ops = &bpfdev_capture_vm_ops;
		atomic_inc(&c->mapped);
	}
out:
	mutex_unlock(&c->ring_lock);
	return err;
}

/* ---- lifetime ------------------------------------------------------------------ */

int bpfdev_capture_open(struct bpfdev_file *bf)
{
	struct bpfdev_capture *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->stats = alloc_percpu(struct bpfdev_cap_pcpu);
	if (!c->stats) {
		kfree(c);
		return -ENOMEM;
	}
	mutex_init(&c->lock);
	mutex_init(&c->ring_lock);
	c->net = bf->net;
	INIT_LIST_HEAD(&c->tap_node);
	c->direction = BPFDEV_DIR_INOUT;
	c->tstamp = BPFDEV_TSTAMP_REALTIME;
	c->snaplen = BPFDEV_SNAPLEN_MAX;
	c->ring_size = BPFDEV_RING_DEFAULT;
	c->wake_count = 1;
	init_waitqueue_head(&c->wq);
	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	c->timer.function = bpfdev_capture_timer;
	bf->cap = c;
	atomic_inc(&bpfdev_stats.captures);
	return 0;
}

void bpfdev_capture_release(struct bpfdev_file *bf)
{
	struct bpfdev_capture *c = bf->cap;

	if (!c)
		return;
	/* Unbinding waits until no packet path can see c any more. */
	bpfdev_capture_unbind(c);
	hrtimer_cancel(&c->timer);
	bpfdev_cap_prog_free(rcu_dereference_protected(c->filter, 1));
	bpfdev_ring_free(rcu_dereference_protected(c->ring, 1));
	free_percpu(c->stats);
	mutex_destroy(&c->ring_lock);
	mutex_destroy(&c->lock);
	kfree(c);
	bf->cap = NULL;
	atomic_dec(&bpfdev_stats.captures);
}

int bpfdev_capture_init(void)
{
	int err;

	err = bpfdev_packet_init();
	if (err)
		return err;
	err = bpfdev_tap_init();
	if (err)
		goto err_packet;
	return 0;

err_packet:
	bpfdev_packet_exit();
	return err;
}

void bpfdev_capture_exit(void)
{
	bpfdev_tap_exit();
	bpfdev_packet_exit();
}
