// SPDX-License-Identifier: GPL-2.0
/*
 * The capture tap: netfilter netdev ingress and egress hooks.
 *
 * A struct bpfdev_tap_dev exists for each device some socket listens on,
 * directly or through "any", and holds the hook registrations, a
 * reference on the device and the RCU list of sockets bound to it.  The
 * sockets bound to "any" hang off the namespace instead, and every
 * device of a namespace that has one is tapped, following
 * NETDEV_REGISTER.  A fanout group is on the same lists as one socket
 * would be (in groups and any_groups), its members on none.  On
 * NETDEV_UNREGISTER the device's sockets and groups are told (they read
 * ENXIO) and its hooks go.  Everything here changes under rtnl;
 * the hook reads under RCU and always accepts the packet.
 *
 * Loopback has no egress hook: every loopback packet passes egress and
 * then ingress, and is kept once, as it arrives (as libpcap keeps it).
 */

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "capture_fanout.h"
#include "capture_pkt.h"
#include "capture_prof.h"
#include "capture_tap.h"
#include "hook_prio.h"

struct bpfdev_tap_net {
	struct list_head	devs;		/* bpfdev_tap_dev.node */
	struct list_head	any_socks;	/* RCU: sockets bound to "any" */
	struct list_head	any_groups;	/* RCU: fanout groups on "any" */
	unsigned int		nr_any;		/* of both */
};

struct bpfdev_tap_dev {
	struct list_head	node;
	struct net_device	*dev;
	netdevice_tracker	tracker;
	struct bpfdev_tap_net	*tn;
	struct list_head	socks;		/* RCU: sockets bound here */
	struct list_head	groups;		/* RCU: fanout groups bound here */
	unsigned int		nr_socks;	/* of both */
	unsigned int		nr_ops;		/* registered ops[] */
	struct nf_hook_ops	ops[2];
	struct rcu_head		rcu;
};

static unsigned int bpfdev_tap_net_id __read_mostly;

static struct bpfdev_tap_net *bpfdev_tap_net(const struct net *net)
{
	return net_generic(net, bpfdev_tap_net_id);
}

static unsigned int bpfdev_tap_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct bpfdev_tap_dev *td = priv;
	struct bpfdev_fanout *f;
	struct bpfdev_capture *c;
	struct bpfdev_pkt *pkt;
	u64 t = bpfdev_prof_now(), clock = t;

	/* One mark timed alone: what each mark below adds to the stages. */
	bpfdev_prof_mark(&clock, BPFDEV_PROF_CLOCK);
	pkt = bpfdev_pkt_start(skb, state->hook == NF_NETDEV_INGRESS ?
			       BPFDEV_DIR_IN : BPFDEV_DIR_OUT);
	rcu_read_lock();
	list_for_each_entry_rcu(c, &td->socks, tap_node)
		bpfdev_capture_packet(c, pkt);
	list_for_each_entry_rcu(c, &td->tn->any_socks, tap_node)
		bpfdev_capture_packet(c, pkt);
	list_for_each_entry_rcu(f, &td->groups, tap_node)
		bpfdev_fanout_packet(f, pkt);
	list_for_each_entry_rcu(f, &td->tn->any_groups, tap_node)
		bpfdev_fanout_packet(f, pkt);
	rcu_read_unlock();
	bpfdev_prof_mark(&t, BPFDEV_PROF_HOOK);
	return NF_ACCEPT;
}

static struct bpfdev_tap_dev *bpfdev_tap_dev_find(struct bpfdev_tap_net *tn,
						  const struct net_device *dev)
{
	struct bpfdev_tap_dev *td;

	list_for_each_entry(td, &tn->devs, node)
		if (td->dev == dev)
			return td;
	return NULL;
}

static void bpfdev_tap_dev_free(struct bpfdev_tap_dev *td)
{
	while (td->nr_ops)
		nf_unregister_net_hook(dev_net(td->dev), &td->ops[--td->nr_ops]);
	list_del(&td->node);
	netdev_put(td->dev, &td->tracker);
	/* A hook may still be running on another CPU with td as priv. */
	kfree_rcu(td, rcu);
}

static int bpfdev_tap_dev_register(struct bpfdev_tap_dev *td)
{
	static const int hooknums[] = { NF_NETDEV_INGRESS, NF_NETDEV_EGRESS };
	static const int prios[] = { BPFDEV_PRIO_CAP_INGRESS, BPFDEV_PRIO_CAP_EGRESS };
	int i, err, n = 2;

	/* Loopback packets are kept as they arrive. */
	if (td->dev->flags & IFF_LOOPBACK)
		n = 1;
	for (i = 0; i < n; i++) {
		struct nf_hook_ops *ops = &td->ops[i];

		ops->hook = bpfdev_tap_hook;
		ops->priv = td;
		ops->pf = NFPROTO_NETDEV;
		ops->hooknum = hooknums[i];
		ops->priority = prios[i];
		ops->dev = td->dev;
		err = nf_register_net_hook(dev_net(td->dev), ops);
		if (err)
			return err;
		td->nr_ops++;
	}
	return 0;
}

static struct bpfdev_tap_dev *bpfdev_tap_dev_get(struct bpfdev_tap_net *tn,
						 struct net_device *dev)
{
	struct bpfdev_tap_dev *td;
	int err;

	ASSERT_RTNL();
	td = bpfdev_tap_dev_find(tn, dev);
	if (td)
		return td;
	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return ERR_PTR(-ENOMEM);
	td->dev = dev;
	td->tn = tn;
	INIT_LIST_HEAD(&td->socks);
	INIT_LIST_HEAD(&td->groups);
	netdev_hold(dev, &td->tracker, GFP_KERNEL);
	list_add(&td->node, &tn->devs);
	err = bpfdev_tap_dev_register(td);
	if (err) {
		bpfdev_tap_dev_free(td);
		return ERR_PTR(err);
	}
	return td;
}

/* Untap the devices nobody listens on any more. */
static void bpfdev_tap_sweep(struct bpfdev_tap_net *tn)
{
	struct bpfdev_tap_dev *td, *tmp;

	list_for_each_entry_safe(td, tmp, &tn->devs, node)
		if (!td->nr_socks && !tn->nr_any)
			bpfdev_tap_dev_free(td);
}

static int bpfdev_tap_attach_any(struct net *net, struct list_head *node, bool group)
{
	struct bpfdev_tap_net *tn = bpfdev_tap_net(net);
	struct bpfdev_tap_dev *td;
	struct net_device *dev;

	for_each_netdev(net, dev) {
		td = bpfdev_tap_dev_get(tn, dev);
		if (IS_ERR(td)) {
			bpfdev_tap_sweep(tn);
			return PTR_ERR(td);
		}
	}
	list_add_tail_rcu(node, group ? &tn->any_groups : &tn->any_socks);
	tn->nr_any++;
	return 0;
}

/* Link node (a socket's or a group's) to dev's list, or to "any"'s. */
static struct bpfdev_tap_dev *bpfdev_tap_link(struct net *net, struct net_device *dev,
					      struct list_head *node, bool group)
{
	struct bpfdev_tap_dev *td;
	int err;

	ASSERT_RTNL();
	if (!dev) {
		err = bpfdev_tap_attach_any(net, node, group);
		return err ? ERR_PTR(err) : NULL;
	}
	td = bpfdev_tap_dev_get(bpfdev_tap_net(net), dev);
	if (IS_ERR(td))
		return td;
	list_add_tail_rcu(node, group ? &td->groups : &td->socks);
	td->nr_socks++;
	return td;
}

static void bpfdev_tap_unlink(struct net *net, struct bpfdev_tap_dev **tap,
			      struct list_head *node)
{
	struct bpfdev_tap_net *tn = bpfdev_tap_net(net);

	ASSERT_RTNL();
	list_del_rcu(node);
	if (*tap) {
		(*tap)->nr_socks--;
		*tap = NULL;
	} else {
		tn->nr_any--;
	}
	bpfdev_tap_sweep(tn);
}

int bpfdev_tap_attach(struct bpfdev_capture *c, struct net_device *dev)
{
	struct bpfdev_tap_dev *td = bpfdev_tap_link(c->net, dev, &c->tap_node, false);

	if (IS_ERR(td))
		return PTR_ERR(td);
	c->tap = td;
	return 0;
}

void bpfdev_tap_detach(struct bpfdev_capture *c)
{
	if (c->tap || c->any)
		bpfdev_tap_unlink(c->net, &c->tap, &c->tap_node);
}

int bpfdev_tap_attach_fanout(struct bpfdev_fanout *f)
{
	struct bpfdev_tap_dev *td = bpfdev_tap_link(f->net, f->dev, &f->tap_node, true);

	if (IS_ERR(td))
		return PTR_ERR(td);
	f->tap = td;
	f->tapped = true;
	return 0;
}

void bpfdev_tap_detach_fanout(struct bpfdev_fanout *f)
{
	if (!f->tapped)
		return;
	bpfdev_tap_unlink(f->net, &f->tap, &f->tap_node);
	f->tapped = false;
}

static void bpfdev_tap_dev_gone(struct bpfdev_tap_net *tn, struct net_device *dev)
{
	struct bpfdev_tap_dev *td = bpfdev_tap_dev_find(tn, dev);
	struct bpfdev_fanout *f, *ftmp;
	struct bpfdev_capture *c, *tmp;

	if (!td)
		return;
	list_for_each_entry_safe(c, tmp, &td->socks, tap_node) {
		list_del_rcu(&c->tap_node);
		c->tap = NULL;
		bpfdev_capture_dev_gone(c);
	}
	list_for_each_entry_safe(f, ftmp, &td->groups, tap_node) {
		list_del_rcu(&f->tap_node);
		f->tap = NULL;
		f->tapped = false;
		bpfdev_fanout_dev_gone(f);
	}
	td->nr_socks = 0;
	bpfdev_tap_dev_free(td);
}

static int bpfdev_tap_netdev_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct bpfdev_tap_net *tn = bpfdev_tap_net(dev_net(dev));
	struct bpfdev_tap_dev *td;

	switch (event) {
	case NETDEV_REGISTER:
		if (!tn->nr_any)
			break;
		td = bpfdev_tap_dev_get(tn, dev);
		if (IS_ERR(td))
			net_warn_ratelimited("cannot tap %s for \"any\": %ld\n",
					     dev->name, PTR_ERR(td));
		break;
	case NETDEV_UNREGISTER:
		bpfdev_tap_dev_gone(tn, dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block bpfdev_tap_notifier = {
	.notifier_call = bpfdev_tap_netdev_event,
};

static int __net_init bpfdev_tap_net_init(struct net *net)
{
	struct bpfdev_tap_net *tn = bpfdev_tap_net(net);

	INIT_LIST_HEAD(&tn->devs);
	INIT_LIST_HEAD(&tn->any_socks);
	INIT_LIST_HEAD(&tn->any_groups);
	tn->nr_any = 0;
	return 0;
}

/*
 * Sockets hold their namespace, so none is left here; devices have been
 * unregistered (or moved away) before subsystems exit.  Drop whatever a
 * failed registration might have left.
 */
static void __net_exit bpfdev_tap_net_exit(struct net *net)
{
	struct bpfdev_tap_net *tn = bpfdev_tap_net(net);
	struct bpfdev_tap_dev *td, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(td, tmp, &tn->devs, node)
		bpfdev_tap_dev_gone(tn, td->dev);
	rtnl_unlock();
}

static struct pernet_operations bpfdev_tap_net_ops = {
	.init	= bpfdev_tap_net_init,
	.exit	= bpfdev_tap_net_exit,
	.id	= &bpfdev_tap_net_id,
	.size	= sizeof(struct bpfdev_tap_net),
};

int bpfdev_tap_init(void)
{
	int err;

	err = register_pernet_subsys(&bpfdev_tap_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&bpfdev_tap_notifier);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&bpfdev_tap_net_ops);
	return err;
}

void bpfdev_tap_exit(void)
{
	unregister_netdevice_notifier(&bpfdev_tap_notifier);
	unregister_pernet_subsys(&bpfdev_tap_net_ops);
	/* No hook of ours runs any more once this returns. */
	synchronize_net();
}
