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

/*
 * The contexts: one per CPU and redirect depth, as a redirect to another
 * device's egress runs that device's hooks inside this one's (the outer
 * context is not read again once its program has returned).  Not on the
 * stack: the kernel's CONFIG_INIT_STACK_ALL_ZERO would clear its 264 bytes
 * on every packet, a rep stos that costs the emulated guest more than the
 * program does.  The packet path runs with bottom halves off (softirq at
 * ingress, rcu_read_lock_bh() at egress), so the CPU's slots are its own.
 */
struct bpfdev_act_ctxs {
	struct bpfdev_tc_skb	ctx[BPFDEV_ACT_RECURSION_LIMIT + 1];
};

static DEFINE_PER_CPU(struct bpfdev_act_ctxs, bpfdev_act_ctxs);

/*
 * The fields of the __sk_buff a tc program reads that need (the words of
 * core/skb_tc.h) asks for, field by field: tc_cls_act_is_valid_access()
 * lets it read all of these, but most programs read few or none, and
 * this runs for every packet (no memset: the fields a tc program may not
 * read, family .. local_port, stay as they are).  cb[] starts zeroed for
 * the chain.  wire_len is the qdisc's pkt_len, which tc programs read
 * there.
 */
static void bpfdev_act_ctx_fill_fields(struct bpfdev_tc_skb *ctx, struct sk_buff *skb,
				       u64 need, u32 wire_len)
{
	struct __sk_buff *md = &ctx->skb.md;
	const struct skb_shared_info *sh = skb_shinfo(skb);

	if (need & BPFDEV_TC_WORDS(pkt_type))
		md->pkt_type = skb->pkt_type;
	if (need & BPFDEV_TC_WORDS(mark))
		md->mark = skb->mark;
	if (need & BPFDEV_TC_WORDS(queue_mapping))
		md->queue_mapping = skb->queue_mapping;
	if (need & BPFDEV_TC_WORDS(priority))
		md->priority = skb->priority;
	if (need & BPFDEV_TC_WORDS(ingress_ifindex))
		md->ingress_ifindex = skb->skb_iif;
	if (need & BPFDEV_TC_WORDS(ifindex))
		md->ifindex = skb->dev->ifindex;
#ifdef CONFIG_NET_SCHED
	if (need & BPFDEV_TC_WORDS(tc_index))
		md->tc_index = skb->tc_index;
#else
	if (need & BPFDEV_TC_WORDS(tc_index))
		md->tc_index = 0;
#endif
	if (need & BPFDEV_TC_WORDS(cb))
		memset(md->cb, 0, sizeof(md->cb));
	if (need & BPFDEV_TC_WORDS(hash))
		md->hash = skb->hash;
	if (need & BPFDEV_TC_WORDS(tc_classid))
		md->tc_classid = 0;
	if (need & BPFDEV_TC_WORDS(napi_id))
		md->napi_id = skb->napi_id;
	if (need & BPFDEV_TC_WORDS(tstamp))
		md->tstamp = ktime_to_ns(skb->tstamp);
	if (need & BPFDEV_TC_WORDS(wire_len))
		md->wire_len = wire_len;
	if (need & BPFDEV_TC_WORDS(gso_segs))
		md->gso_segs = sh->gso_segs;
	if (need & BPFDEV_TC_WORDS(sk))
		md->sk = NULL;
	if (need & BPFDEV_TC_WORDS(gso_size))
		md->gso_size = sh->gso_size;
	if (need & BPFDEV_TC_WORDS(tstamp_type))
		md->tstamp_type = 0;
	if (need & BPFDEV_TC_WORDS(hwtstamp))
		md->hwtstamp = ktime_to_ns(sh->hwtstamps.hwtstamp);
}

/*
 * The packet pointers and lengths (bpfdev_tc_ctx_sync()) and what the
 * helpers use: for a program that reads one of those fields, passes its
 * context to a helper or loads with LD_ABS/LD_IND (the verifier puts
 * BPFDEV_TC_BASE_WORDS in its tc_ctx_fill then), and for PROG_TEST_RUN.
 */
static void bpfdev_act_ctx_base(struct bpfdev_tc_skb *ctx, struct sk_buff *skb, bool ingress)
{
	ctx->skb.hatype = skb->dev->type;
	ctx->skb.load_bytes = bpfdev_act_load_bytes;
	ctx->skb.priv = skb;
	ctx->at_ingress = ingress;
	bpfdev_tc_ctx_sync(ctx, skb);
}

/* Every field, for PROG_TEST_RUN, which hands the whole context back. */
void bpfdev_act_ctx_fill(struct bpfdev_tc_skb *ctx, struct sk_buff *skb, bool ingress,
			 u32 wire_len)
{
	bpfdev_act_ctx_fill_fields(ctx, skb, ~0ULL, wire_len);
	bpfdev_act_ctx_base(ctx, skb, ingress);
}

/* What tc_cls_act_convert_ctx_access() stores for a program's writes. */
void bpfdev_act_ctx_writeback(const struct bpfdev_tc_skb *ctx, struct sk_buff *skb)
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

/*
 * tc gives programs the link-layer header at skb->data; true when it was
 * pushed (at ingress: egress is there already), to be pulled back after.
 */
static bool bpfdev_act_push(struct sk_buff *skb, bool ingress)
{
	if (!ingress || !skb_mac_header_was_set(skb))
		return false;
	__skb_push(skb, skb->mac_len);
	return true;
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
	u8 depth = __this_cpu_read(bpfdev_act_depth);
	struct bpfdev_tc_skb *ctx = this_cpu_ptr(&bpfdev_act_ctxs.ctx[depth]);
	unsigned int verdict = NF_ACCEPT;
	bool pushed = false;
	u64 filled = 0;
	u32 wire_len, i;

	/*
	 * wire_len: at egress, qdisc_pkt_len_init() has set the qdisc's
	 * pkt_len (the frame, and the headers of GSO segments); at ingress
	 * sch_handle_ingress() sets it to the length from the network header.
	 */
	wire_len = ingress ? skb->len : qdisc_skb_cb(skb)->pkt_len;

	for (i = 0; i < arr->n; i++) {
		struct bpfdev_act_link *link = arr->links[i];
		struct bpfdev_prog *prog = rcu_dereference(link->prog);
		struct bpfdev_act_stats *st = this_cpu_ptr(link->stats);
		u64 need = prog->tc_ctx_fill & ~filled;
		int ret;

		/*
		 * Each field once per chain: a field a program wrote is
		 * already in the packet and in the context for the next.
		 * The packet itself only for a program that can see it (a
		 * pass-all or drop-all program, or one that reads only
		 * mark, never does): its pointers, and skb->data at the
		 * link-layer header as tc gives it.
		 */
		if (need & BPFDEV_TC_BASE_WORDS) {
			pushed = bpfdev_act_push(skb, ingress);
			bpfdev_act_ctx_base(ctx, skb, ingress);
			need |= BPFDEV_TC_BASE_WORDS;
		}
		if (need) {
			bpfdev_act_ctx_fill_fields(ctx, skb, need, wire_len);
			filled |= need;
		}

		/* bpf_unclone_prologue(): direct writes need a private head */
		if (prog->seen_direct_write && skb_cloned(skb)) {
			if (pskb_expand_head(skb, 0, 0, GFP_ATOMIC)) {
				verdict = NF_DROP;
				break;
			}
			bpfdev_tc_ctx_sync(ctx, skb);
		}
		ret = (int)bpfdev_prog_run(prog, ctx);
		if (prog->tc_ctx_written)
			bpfdev_act_ctx_writeback(ctx, skb);
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
			/* at the link-layer header, as xmit wants it */
			if (!pushed)
				bpfdev_act_push(skb, ingress);
			return bpfdev_act_redirect(skb);
		default:
			/* TC_ACT_UNSPEC and the rest: the next program */
			break;
		}
	}
out:
	if (pushed)
		__skb_pull(skb, skb->mac_len);
	return verdict;
}
