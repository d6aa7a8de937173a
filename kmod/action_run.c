// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path of action programs: a hook's programs run in prio order
 * on the packet as tc would give it to them (skb->data at the link-layer
 * header: pushed at ingress and pulled back after, as cls_bpf does), each
 * program's writes to the __sk_buff fields reach the skb when it returns,
 * and the first final verdict of cls_bpf's direct-action mode decides.
 * Runs in softirq (ingress) or with bottom halves off (egress), under
 * RCU: nothing here sleeps.
 *
 * A redirect leaves the hook with the packet (NF_STOLEN), as
 * nf_fwd_netdev's nf_do_netdev_egress() does: to the target's egress by
 * dev_queue_xmit(), or with BPF_F_INGRESS into its receive path by
 * dev_forward_skb().  A per-CPU depth bounds redirect loops (a program on
 * the target redirecting back), as the kernel's NF_RECURSION_LIMIT.
 */

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/sch_generic.h>
#include <net/sock.h>
#include <uapi/linux/pkt_cls.h>

#include "action.h"
#include "helpers_tc.h"
#include "prog.h"
#include "skb_tc.h"

#define BPFDEV_ACT_RECURSION_LIMIT	2

static DEFINE_PER_CPU(u8, bpfdev_act_depth);

static int bpfdev_act_load_bytes(const struct bpfdev_skb *ctx, u32 off, void *to, u32 len)
{
	return skb_copy_bits(ctx->priv, off, to, len);
}

/* The __sk_buff a tc program reads; cb[] starts zeroed for the chain. */
static void bpfdev_act_ctx_fill(struct bpfdev_tc_skb *ctx, struct sk_buff *skb,
				bool ingress)
{
	struct __sk_buff *md = &ctx->skb.md;

	memset(md, 0, sizeof(*md));
	md->pkt_type = skb->pkt_type;
	md->mark = skb->mark;
	md->queue_mapping = skb->queue_mapping;
	md->priority = skb->priority;
	md->ingress_ifindex = skb->skb_iif;
	md->ifindex = skb->dev->ifindex;
#ifdef CONFIG_NET_SCHED
	md->tc_index = skb->tc_index;
#endif
	md->hash = skb->hash;
	md->napi_id = skb->napi_id;
	md->wire_len = skb->len;
	md->gso_segs = skb_shinfo(skb)->gso_segs;
	md->gso_size = skb_shinfo(skb)->gso_size;
	md->tstamp = ktime_to_ns(skb->tstamp);
	md->hwtstamp = ktime_to_ns(skb_hwtstamps(skb)->hwtstamp);
	ctx->skb.hatype = skb->dev->type;
	ctx->skb.load_bytes = bpfdev_act_load_bytes;
	ctx->skb.priv = skb;
	ctx->at_ingress = ingress;
	bpfdev_tc_ctx_sync(ctx, skb);
}

/* What tc_cls_act_convert_ctx_access() stores for a program's writes. */
static void bpfdev_act_ctx_writeback(const struct bpfdev_tc_skb *ctx, struct sk_buff *skb)
{
	const struct __sk_buff *md = &ctx->skb.md;

	skb->mark = md->mark;
	skb->priority = md->priority;
#ifdef CONFIG_NET_SCHED
	skb->tc_index = md->tc_index;
#endif
	/* a value of NO_QUEUE_MAPPING or more is not stored */
	if (md->queue_mapping < NO_QUEUE_MAPPING)
		skb->queue_mapping = md->queue_mapping;
	/* a written tstamp is a delivery time of the realtime clock */
	if (md->tstamp != ktime_to_ns(skb->tstamp))
		skb_set_delivery_time(skb, ns_to_ktime(md->tstamp), 0);
	/*
	 * tc_classid is a class for the qdisc to choose: a netdev hook has
	 * no classification result to put it in.
	 */
}

static unsigned int bpfdev_act_redirect(struct sk_buff *skb)
{
	struct bpfdev_tc_redirect ri = bpfdev_tc_redirect_target();
	struct net_device *dev;
	u8 *depth = this_cpu_ptr(&bpfdev_act_depth);

	dev = dev_get_by_index_rcu(dev_net(skb->dev), ri.ifindex);
	if (unlikely(!dev || *depth >= BPFDEV_ACT_RECURSION_LIMIT)) {
		kfree_skb(skb);
		return NF_STOLEN;
	}
	(*depth)++;
	if (ri.flags & BPF_F_INGRESS) {
		dev_forward_skb(dev, skb);
	} else {
		skb->dev = dev;
		skb_clear_tstamp(skb);
		dev_queue_xmit(skb);
	}
	(*depth)--;
	return NF_STOLEN;
}

unsigned int bpfdev_act_hook_run(const struct bpfdev_act_array *arr,
				 struct sk_buff *skb, bool ingress)
{
	struct bpfdev_tc_skb ctx;
	unsigned int verdict = NF_ACCEPT;
	int mac_len = 0;
	u32 i;

	/* tc gives programs the link-layer header at skb->data */
	if (ingress && skb_mac_header_was_set(skb)) {
		mac_len = skb->mac_len;
		__skb_push(skb, mac_len);
	}
	bpfdev_act_ctx_fill(&ctx, skb, ingress);
	for (i = 0; i < arr->n; i++) {
		struct bpfdev_act_link *link = arr->links[i];
		struct bpfdev_prog *prog = rcu_dereference(link->prog);
		struct bpfdev_act_stats *st = this_cpu_ptr(link->stats);
		int ret;

		/* bpf_unclone_prologue(): direct writes need a private head */
		if (prog->seen_direct_write && skb_cloned(skb)) {
			if (pskb_expand_head(skb, 0, 0, GFP_ATOMIC)) {
				verdict = NF_DROP;
				break;
			}
			bpfdev_tc_ctx_sync(&ctx, skb);
		}
		ret = (int)bpfdev_prog_run(prog, &ctx);
		bpfdev_act_ctx_writeback(&ctx, skb);
		st->run_cnt++;
		/* cls_bpf_exec_opcode(): the codes that end the chain */
		switch (ret) {
		case TC_ACT_OK:
			goto out;
		case TC_ACT_SHOT:
			st->drop_cnt++;
			verdict = NF_DROP;
			goto out;
		case TC_ACT_STOLEN:
		case TC_ACT_TRAP:
			consume_skb(skb);
			return NF_STOLEN;
		case TC_ACT_REDIRECT:
			/* still at the link-layer header, as xmit wants it */
			return bpfdev_act_redirect(skb);
		default:
			/* TC_ACT_UNSPEC and the rest: the next program */
			break;
		}
	}
out:
	if (mac_len)
		__skb_pull(skb, skb->mac_len);
	return verdict;
}
