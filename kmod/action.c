// SPDX-License-Identifier: GPL-2.0
/*
 * Action programs at a device's netfilter netdev hooks: attach, replace,
 * detach and query (BPFDEV_IOC_ACT_*), and cleanup when the device or its
 * namespace goes.  The packet path is action_run.c; locking in action.h.
 *
 * A struct bpfdev_act_dev exists for each device with a program attached
 * and holds one hook per direction; a hook is registered with netfilter
 * while it has links.  A link fd owns its link: closing it detaches and
 * frees.  A persistent link (no fd) is owned by its hook, freed when
 * detached, and holds a module reference meanwhile.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter_netdev.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <linux/bpfdev.h>

#include "action.h"
#include "dev.h"
#include "hook_prio.h"
#include "objfd.h"
#include "prog.h"

struct bpfdev_act_hook {
	struct nf_hook_ops		ops;	/* ops.priv: this hook */
	bool				registered;
	struct list_head		links;	/* by prio */
	struct bpfdev_act_array __rcu	*arr;	/* NULL: no link */
	struct bpfdev_act_dev		*ad;
};

struct bpfdev_act_dev {
	struct list_head	node;		/* bpfdev_act_net.devs */
	struct net_device	*dev;
	netdevice_tracker	tracker;
	struct bpfdev_act_hook	hook[2];	/* BPFDEV_ACT_INGRESS, _EGRESS */
	struct rcu_head		rcu;
};

struct bpfdev_act_net {
	struct list_head	devs;
};

static unsigned int bpfdev_act_net_id __read_mostly;

static struct bpfdev_act_net *bpfdev_act_net(const struct net *net)
{
	return net_generic(net, bpfdev_act_net_id);
}

static unsigned int bpfdev_act_nf_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct bpfdev_act_hook *h = priv;
	const struct bpfdev_act_array *arr = rcu_dereference(h->arr);

	if (!arr)
		return NF_ACCEPT;
	return bpfdev_act_hook_run(arr, skb, state->hook == NF_NETDEV_INGRESS);
}

/* ---- links ------------------------------------------------------------------ */

static void bpfdev_act_link_free_rcu(struct rcu_head *rcu)
{
	struct bpfdev_act_link *link = container_of(rcu, struct bpfdev_act_link, rcu);

	/* The program itself waits for its own grace period (prog.h). */
	bpfdev_prog_put(rcu_dereference_protected(link->prog, true));
	free_percpu(link->stats);
	kfree(link);
}

static struct bpfdev_act_link *bpfdev_act_link_new(struct bpfdev_prog *prog,
						   u32 prio, bool persist)
{
	struct bpfdev_act_link *link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);

	if (!link)
		return NULL;
	link->stats = alloc_percpu_gfp(struct bpfdev_act_stats, GFP_KERNEL_ACCOUNT);
	if (!link->stats) {
		kfree(link);
		return NULL;
	}
	RCU_INIT_POINTER(link->prog, prog);
	link->prio = prio;
	link->persist = persist;
	INIT_LIST_HEAD(&link->node);
	return link;
}

/* ---- hooks ------------------------------------------------------------------ */

/*
 * Publish h's links as a new array; the old one goes after a grace period.
 * Taking a link off cannot fail (gfp has __GFP_NOFAIL: a few pointers).
 */
static int bpfdev_act_hook_publish(struct bpfdev_act_hook *h, gfp_t gfp)
{
	struct bpfdev_act_array *arr = NULL, *old;
	struct bpfdev_act_link *link;
	u32 n = 0;

	list_for_each_entry(link, &h->links, node)
		n++;
	if (n) {
		arr = kzalloc(struct_size(arr, links, n), gfp);
		if (!arr)
			return -ENOMEM;
		list_for_each_entry(link, &h->links, node)
			arr->links[arr->n++] = link;
	}
	old = rtnl_dereference(h->arr);
	rcu_assign_pointer(h->arr, arr);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static struct bpfdev_act_dev *bpfdev_act_dev_find(struct bpfdev_act_net *an,
						  const struct net_device *dev)
{
	struct bpfdev_act_dev *ad;

	list_for_each_entry(ad, &an->devs, node)
		if (ad->dev == dev)
			return ad;
	return NULL;
}

static struct bpfdev_act_dev *bpfdev_act_dev_get(struct bpfdev_act_net *an,
						 struct net_device *dev)
{
	static const int hooknums[] = { NF_NETDEV_INGRESS, NF_NETDEV_EGRESS };
	static const int prios[] = { BPFDEV_PRIO_ACT_INGRESS, BPFDEV_PRIO_ACT_EGRESS };
	struct bpfdev_act_dev *ad = bpfdev_act_dev_find(an, dev);
	int i;

	if (ad)
		return ad;
	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return NULL;
	ad->dev = dev;
	netdev_hold(dev, &ad->tracker, GFP_KERNEL);
	for (i = 0; i < 2; i++) {
		struct bpfdev_act_hook *h = &ad->hook[i];

		INIT_LIST_HEAD(&h->links);
		h->ad = ad;
		h->ops.hook = bpfdev_act_nf_hook;
		h->ops.priv = h;
		h->ops.pf = NFPROTO_NETDEV;
		h->ops.hooknum = hooknums[i];
		h->ops.priority = prios[i];
		h->ops.dev = dev;
	}
	list_add(&ad->node, &an->devs);
	return ad;
}

/* Unregisters the hooks without links; frees ad once neither has one. */
static void bpfdev_act_dev_put(struct bpfdev_act_dev *ad)
{
	int i;

	for (i = 0; i < 2; i++) {
		struct bpfdev_act_hook *h = &ad->hook[i];

		if (h->registered && list_empty(&h->links)) {
			nf_unregister_net_hook(dev_net(ad->dev), &h->ops);
			h->registered = false;
		}
	}
	if (!list_empty(&ad->hook[0].links) || !list_empty(&ad->hook[1].links))
		return;
	list_del(&ad->node);
	netdev_put(ad->dev, &ad->tracker);
	/* A hook may still be running on another CPU with a hook of ad as priv. */
	kfree_rcu(ad, rcu);
}

static int bpfdev_act_link_attach(struct bpfdev_act_hook *h, struct bpfdev_act_link *link)
{
	struct bpfdev_act_link *pos;
	int err;

	list_for_each_entry(pos, &h->links, node) {
		if (pos->prio == link->prio)
			return -EEXIST;
		if (pos->prio > link->prio)
			break;
	}
	list_add_tail(&link->node, &pos->node);
	err = bpfdev_act_hook_publish(h, GFP_KERNEL);
	if (!err && !h->registered) {
		err = nf_register_net_hook(dev_net(h->ad->dev), &h->ops);
		h->registered = !err;
	}
	if (err) {
		list_del_init(&link->node);
		bpfdev_act_hook_publish(h, GFP_KERNEL | __GFP_NOFAIL);
		return err;
	}
	link->hook = h;
	if (link->persist)
		__module_get(THIS_MODULE);
	return 0;
}

/*
 * Takes link off its hook; a persistent link is freed, a link fd stays
 * open, detached.  The caller then puts the hook's device.
 */
static void bpfdev_act_link_unhook(struct bpfdev_act_link *link)
{
	struct bpfdev_act_hook *h = link->hook;

	list_del_init(&link->node);
	link->hook = NULL;
	bpfdev_act_hook_publish(h, GFP_KERNEL | __GFP_NOFAIL);
	if (link->persist) {
		call_rcu(&link->rcu, bpfdev_act_link_free_rcu);
		module_put(THIS_MODULE);
	}
}

static void bpfdev_act_link_detach(struct bpfdev_act_link *link)
{
	struct bpfdev_act_dev *ad;

	if (!link->hook)
		return;
	ad = link->hook->ad;
	bpfdev_act_link_unhook(link);
	bpfdev_act_dev_put(ad);
}

static int bpfdev_act_link_release(struct inode *inode, struct file *file)
{
	struct bpfdev_act_link *link = file->private_data;

	rtnl_lock();
	bpfdev_act_link_detach(link);
	rtnl_unlock();
	call_rcu(&link->rcu, bpfdev_act_link_free_rcu);
	return 0;
}

static const struct file_operations bpfdev_act_link_fops = {
	.owner		= THIS_MODULE,
	.release	= bpfdev_act_link_release,
};

/* ---- ioctls ----------------------------------------------------------------- */

static bool bpfdev_act_capable(const struct bpfdev_file *bf)
{
	return bpfdev_capable() && ns_capable(bf->net->user_ns, CAP_NET_ADMIN);
}

static struct bpfdev_act_hook *bpfdev_act_hook_find(struct bpfdev_file *bf,
						    u32 ifindex, u32 dir)
{
	struct bpfdev_act_dev *ad;
	struct net_device *dev;

	dev = __dev_get_by_index(bf->net, ifindex);
	if (!dev)
		return NULL;
	ad = bpfdev_act_dev_find(bpfdev_act_net(bf->net), dev);
	return ad ? &ad->hook[dir] : NULL;
}

static struct bpfdev_act_link *bpfdev_act_link_find(struct bpfdev_act_hook *h, u32 prio)
{
	struct bpfdev_act_link *link;

	list_for_each_entry(link, &h->links, node)
		if (link->prio == prio)
			return link;
	return NULL;
}

static u32 bpfdev_act_next_prio(struct bpfdev_act_hook *h)
{
	if (!h || list_empty(&h->links))
		return 1;
	return list_last_entry(&h->links, struct bpfdev_act_link, node)->prio + 1;
}

static int bpfdev_act_do_attach(struct bpfdev_file *bf, const struct bpfdev_act_attach *a,
				struct bpfdev_act_link *link)
{
	struct bpfdev_act_dev *ad;
	struct net_device *dev;
	int err;

	dev = __dev_get_by_index(bf->net, a->ifindex);
	if (!dev)
		return -ENODEV;
	ad = bpfdev_act_dev_get(bpfdev_act_net(bf->net), dev);
	if (!ad)
		return -ENOMEM;
	if (!link->prio)
		link->prio = bpfdev_act_next_prio(&ad->hook[a->dir]);
	err = link->prio > BPFDEV_ACT_PRIO_MAX ? -E2BIG :
	      bpfdev_act_link_attach(&ad->hook[a->dir], link);
	if (err)
		bpfdev_act_dev_put(ad);
	return err;
}

static long bpfdev_act_attach(struct bpfdev_file *bf, void __user *arg)
{
	struct bpfdev_act_link *link;
	struct bpfdev_act_attach a;
	struct bpfdev_prog *prog;
	struct file *file = NULL;
	bool persist;
	int fd = 0, err;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (a.dir > BPFDEV_ACT_EGRESS || a.prio > BPFDEV_ACT_PRIO_MAX ||
	    (a.flags & ~BPFDEV_ACT_F_PERSIST) || a.pad)
		return -EINVAL;
	persist = a.flags & BPFDEV_ACT_F_PERSIST;
	prog = bpfdev_prog_get_from_fd(a.prog_fd, BPF_PROG_TYPE_SCHED_CLS);
	if (PTR_ERR_OR_ZERO(prog) == -EINVAL)
		prog = bpfdev_prog_get_from_fd(a.prog_fd, BPF_PROG_TYPE_SCHED_ACT);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	link = bpfdev_act_link_new(prog, a.prio, persist);
	if (!link) {
		bpfdev_prog_put(prog);
		return -ENOMEM;
	}
	if (!persist) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0) {
			err = fd;
			goto err_link;
		}
		file = anon_inode_getfile("bpfdev-act-link", &bpfdev_act_link_fops,
					  link, O_CLOEXEC);
		if (IS_ERR(file)) {
			err = PTR_ERR(file);
			goto err_fd;
		}
	}
	rtnl_lock();
	err = bpfdev_act_do_attach(bf, &a, link);
	rtnl_unlock();
	if (err)
		goto err_file;
	if (file)
		fd_install(fd, file);
	return fd;

err_file:
	if (file) {
		/* release() frees the detached link */
		fput(file);
		put_unused_fd(fd);
		return err;
	}
err_fd:
	if (!persist)
		put_unused_fd(fd);
err_link:
	bpfdev_act_link_free_rcu(&link->rcu);
	return err;
}

static long bpfdev_act_update_detach(struct bpfdev_file *bf, void __user *arg, bool update)
{
	struct bpfdev_prog *prog = NULL, *old;
	struct bpfdev_act_target t;
	struct bpfdev_act_link *link;
	struct bpfdev_act_hook *h;
	int err = 0;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if (t.dir > BPFDEV_ACT_EGRESS || (!update && t.prog_fd))
		return -EINVAL;
	if (update) {
		prog = bpfdev_prog_get_from_fd(t.prog_fd, BPF_PROG_TYPE_SCHED_CLS);
		if (PTR_ERR_OR_ZERO(prog) == -EINVAL)
			prog = bpfdev_prog_get_from_fd(t.prog_fd, BPF_PROG_TYPE_SCHED_ACT);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
	}
	rtnl_lock();
	h = bpfdev_act_hook_find(bf, t.ifindex, t.dir);
	link = h ? bpfdev_act_link_find(h, t.prio) : NULL;
	if (!link) {
		err = -ENOENT;
	} else if (update) {
		/* One pointer: each packet runs the old program or the new. */
		old = rtnl_dereference(link->prog);
		rcu_assign_pointer(link->prog, prog);
		prog = old;
	} else {
		bpfdev_act_link_detach(link);
	}
	rtnl_unlock();
	if (prog)
		bpfdev_prog_put(prog);
	return err;
}

static void bpfdev_act_link_info(const struct bpfdev_act_link *link,
				 struct bpfdev_act_info *info)
{
	int cpu;

	memset(info, 0, sizeof(*info));
	info->prog_id = rtnl_dereference(link->prog)->id;
	info->prio = link->prio;
	info->flags = link->persist ? BPFDEV_ACT_F_PERSIST : 0;
	for_each_possible_cpu(cpu) {
		const struct bpfdev_act_stats *s = per_cpu_ptr(link->stats, cpu);

		info->run_cnt += READ_ONCE(s->run_cnt);
		info->drop_cnt += READ_ONCE(s->drop_cnt);
	}
}

static long bpfdev_act_query(struct bpfdev_file *bf, void __user *arg)
{
	struct bpfdev_act_info *infos = NULL;
	struct bpfdev_act_link *link;
	struct bpfdev_act_query q;
	struct bpfdev_act_hook *h;
	u32 n = 0, room;
	int err = 0;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	if (q.dir > BPFDEV_ACT_EGRESS || q.pad)
		return -EINVAL;
	room = min_t(u32, q.count, BPFDEV_ACT_PRIO_MAX);
	if (room) {
		infos = kvcalloc(room, sizeof(*infos), GFP_KERNEL);
		if (!infos)
			return -ENOMEM;
	}
	rtnl_lock();
	if (!__dev_get_by_index(bf->net, q.ifindex)) {
		err = -ENODEV;
	} else {
		h = bpfdev_act_hook_find(bf, q.ifindex, q.dir);
		if (h) {
			list_for_each_entry(link, &h->links, node) {
				if (n < room)
					bpfdev_act_link_info(link, &infos[n]);
				n++;
			}
		}
	}
	rtnl_unlock();
	if (err)
		goto out;
	if (copy_to_user(u64_to_user_ptr(q.infos), infos,
			 min(n, room) * sizeof(*infos)) ||
	    put_user(n, &((struct bpfdev_act_query __user *)arg)->count))
		err = -EFAULT;
	else if (n > room)
		err = -ENOSPC;
out:
	kvfree(infos);
	return err;
}

long bpfdev_act_ioctl(struct bpfdev_file *bf, unsigned int cmd, void __user *arg)
{
	if (!bpfdev_act_capable(bf))
		return -EPERM;
	switch (cmd) {
	case BPFDEV_IOC_ACT_ATTACH:
		return bpfdev_act_attach(bf, arg);
	case BPFDEV_IOC_ACT_UPDATE:
		return bpfdev_act_update_detach(bf, arg, true);
	case BPFDEV_IOC_ACT_DETACH:
		return bpfdev_act_update_detach(bf, arg, false);
	case BPFDEV_IOC_ACT_QUERY:
		return bpfdev_act_query(bf, arg);
	default:
		return -ENOTTY;
	}
}

/* ---- devices and namespaces going away --------------------------------------- */

static void bpfdev_act_dev_gone(struct bpfdev_act_dev *ad)
{
	struct bpfdev_act_link *link, *tmp;
	int i;

	for (i = 0; i < 2; i++)
		list_for_each_entry_safe(link, tmp, &ad->hook[i].links, node)
			bpfdev_act_link_unhook(link);
	bpfdev_act_dev_put(ad);
}

static int bpfdev_act_netdev_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct bpfdev_act_dev *ad;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	ad = bpfdev_act_dev_find(bpfdev_act_net(dev_net(dev)), dev);
	if (ad)
		bpfdev_act_dev_gone(ad);
	return NOTIFY_DONE;
}

static struct notifier_block bpfdev_act_notifier = {
	.notifier_call = bpfdev_act_netdev_event,
};

static int __net_init bpfdev_act_net_init(struct net *net)
{
	INIT_LIST_HEAD(&bpfdev_act_net(net)->devs);
	return 0;
}

/* Devices are unregistered (or moved away) before subsystems exit. */
static void __net_exit bpfdev_act_net_exit(struct net *net)
{
	struct bpfdev_act_net *an = bpfdev_act_net(net);
	struct bpfdev_act_dev *ad, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(ad, tmp, &an->devs, node)
		bpfdev_act_dev_gone(ad);
	rtnl_unlock();
}

static struct pernet_operations bpfdev_act_net_ops = {
	.init	= bpfdev_act_net_init,
	.exit	= bpfdev_act_net_exit,
	.id	= &bpfdev_act_net_id,
	.size	= sizeof(struct bpfdev_act_net),
};

int bpfdev_act_init(void)
{
	int err;

	err = register_pernet_subsys(&bpfdev_act_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&bpfdev_act_notifier);
	if (err)
		unregister_pernet_subsys(&bpfdev_act_net_ops);
	return err;
}

/* Nothing is attached: links hold the module (fds, or a reference). */
void bpfdev_act_exit(void)
{
	unregister_netdevice_notifier(&bpfdev_act_notifier);
	unregister_pernet_subsys(&bpfdev_act_net_ops);
	rcu_barrier();	/* links freed by call_rcu() */
}
