// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN for socket filters and tc programs (SCHED_CLS,
 * SCHED_ACT), as the kernel's bpf_prog_test_run_skb(): the packet and
 * __sk_buff fields in, the program run repeat times as the packet path
 * runs it, the packet, context, return value and mean duration back.
 * A socket filter reads a flat copy of the frame; a tc program gets a
 * real sk_buff, as at a device hook, so that its helpers (packet writes,
 * checksums, VLAN tags) act on it as they do there.
 */

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "action.h"
#include "dev.h"
#include "map.h"
#include "objfd.h"
#include "prog.h"
#include "skb.h"
#include "skb_tc.h"

/*
 * The kernel's bpf_test_init() limit for skb test runs: the frame and
 * the skb's headroom and shared info must fit one page.
 */
#define BPFDEV_TEST_MAX_DATA	(PAGE_SIZE - NET_SKB_PAD - NET_IP_ALIGN - \
				 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

static bool bpfdev_range_is_zero(const void *buf, size_t from, size_t to)
{
	return !memchr_inv((const u8 *)buf + from, 0, to - from);
}

#define SKB_FIELD_END(f)	offsetofend(struct __sk_buff, f)
#define SKB_FIELD_OFF(f)	offsetof(struct __sk_buff, f)

/*
 * The fields bpf_prog_test_run_skb() lets a caller set (convert___skb_to_skb()):
 * mark, priority, ingress_ifindex, ifindex (an existing device of the
 * caller's namespace, else loopback's 1), cb, tstamp, wire_len, gso_segs,
 * gso_size, hwtstamp; any other byte set is EINVAL.
 */
static int bpfdev_test_ctx_check(const struct __sk_buff *in, u32 len)
{
	if (!bpfdev_range_is_zero(in, 0, SKB_FIELD_OFF(mark)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(mark), SKB_FIELD_OFF(priority)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(ifindex), SKB_FIELD_OFF(cb)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(cb), SKB_FIELD_OFF(tstamp)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(tstamp), SKB_FIELD_OFF(wire_len)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(gso_segs), SKB_FIELD_OFF(gso_size)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(gso_size), SKB_FIELD_OFF(hwtstamp)) ||
	    !bpfdev_range_is_zero(in, SKB_FIELD_END(hwtstamp), sizeof(*in)))
		return -EINVAL;
	if (in->wire_len && (in->wire_len < len || in->wire_len > 65536))
		return -EINVAL;
	if (in->gso_segs > GSO_MAX_SEGS)
		return -EINVAL;
	return 0;
}

static int bpfdev_test_ctx_in(struct bpfdev_skb *skb, const struct __sk_buff *in)
{
	int err = bpfdev_test_ctx_check(in, skb->md.len);

	if (err)
		return err;
	skb->md.mark = in->mark;
	skb->md.priority = in->priority;
	skb->md.ingress_ifindex = in->ingress_ifindex;
	memcpy(skb->md.cb, in->cb, sizeof(in->cb));
	skb->md.tstamp = in->tstamp;
	if (in->wire_len)
		skb->md.wire_len = in->wire_len;
	skb->md.gso_segs = in->gso_segs;
	skb->md.gso_size = in->gso_size;
	skb->md.hwtstamp = in->hwtstamp;
	return 0;
}

static void bpfdev_test_ctx_out(const struct bpfdev_skb *skb, struct __sk_buff *out)
{
	memset(out, 0, sizeof(*out));
	out->mark = skb->md.mark;
	out->priority = skb->md.priority;
	out->ingress_ifindex = skb->md.ingress_ifindex;
	out->ifindex = skb->md.ifindex;
	memcpy(out->cb, skb->md.cb, sizeof(out->cb));
	out->tstamp = skb->md.tstamp;
	out->wire_len = skb->md.wire_len;
	out->gso_segs = skb->md.gso_segs;
	/* Not rewritten by the kernel's convert_skb_to___skb(): ctx_in's. */
	out->gso_size = skb->md.gso_size;
	out->hwtstamp = skb->md.hwtstamp;
}

/*
 * The kernel's test run passes the frame through eth_type_trans() on the
 * test device (loopback, or ctx_in's ifindex): pkt_type from the device's
 * own and broadcast addresses (loopback's broadcast address is all zero,
 * so ff:ff:ff:ff:ff:ff is multicast there), the protocol of an 802.3
 * frame ETH_P_802_3 (raw IPX) or ETH_P_802_2.  An IPv4 or IPv6 frame
 * shorter than its header is EINVAL.
 */
static int bpfdev_test_eth_type_trans(struct bpfdev_skb *skb, const u8 *data,
				      u32 size, const struct net_device *dev)
{
	const struct ethhdr *eth = (const struct ethhdr *)data;
	u32 payload = size - ETH_HLEN;

	if (ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->md.pkt_type = PACKET_HOST;
	else if (!is_multicast_ether_addr(eth->h_dest))
		skb->md.pkt_type = PACKET_OTHERHOST;
	else if (ether_addr_equal(eth->h_dest, dev->broadcast))
		skb->md.pkt_type = PACKET_BROADCAST;
	else
		skb->md.pkt_type = PACKET_MULTICAST;

	if (eth_proto_is_802_3(eth->h_proto))
		skb->md.protocol = (__force u32)eth->h_proto;
	else if (payload >= 2 && data[ETH_HLEN] == 0xff && data[ETH_HLEN + 1] == 0xff)
		skb->md.protocol = (__force u32)htons(ETH_P_802_3);
	else
		skb->md.protocol = (__force u32)htons(ETH_P_802_2);

	if (eth->h_proto == htons(ETH_P_IP) && payload < sizeof(struct iphdr))
		return -EINVAL;
	if (eth->h_proto == htons(ETH_P_IPV6) && payload < sizeof(struct ipv6hdr))
		return -EINVAL;
	return 0;
}

/*
 * Runs prog repeat times as the packet path does (RCU, bottom halves
 * off); *duration is the mean in ns.  As the kernel's
 * bpf_test_timer_continue(): after every run, a pending signal ends the
 * loop with EINTR and a pending reschedule leaves the section and yields,
 * so that no repeat count holds the CPU for longer than one run (a
 * bounded loop of a million instructions, interpreted, is milliseconds).
 */
static int bpfdev_test_loop(struct bpfdev_prog *prog, const void *ctx,
			    u32 repeat, u32 *retval, u32 *duration)
{
	u64 start, total = 0;
	int err = 0;
	u32 i = 0;

	if (!repeat)
		repeat = 1;
	rcu_read_lock();
	local_bh_disable();
	start = ktime_get_ns();
	for (;;) {
		*retval = bpfdev_prog_run(prog, ctx);
		if (++i >= repeat)
			break;
		if (signal_pending(current)) {
			err = -EINTR;
			break;
		}
		/*
		 * PREEMPT_RT: bottom halves off hold this CPU's softirq lock,
		 * which the timer thread sending SIGALRM waits for, boosting
		 * us, so need_resched() stays clear: leave after every run.
		 */
		if (need_resched() || IS_ENABLED(CONFIG_PREEMPT_RT)) {
			total += ktime_get_ns() - start;
			local_bh_enable();
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			local_bh_disable();
			start = ktime_get_ns();
		}
	}
	total += ktime_get_ns() - start;
	local_bh_enable();
	rcu_read_unlock();
	if (err)
		return err;
	do_div(total, repeat);
	*duration = total > U32_MAX ? U32_MAX : total;
	return 0;
}

static int bpfdev_test_finish(union bpf_attr *attr, union bpf_attr __user *uattr,
			      const void *data, u32 size, const struct __sk_buff *ctx,
			      u32 retval, u32 duration)
{
	void __user *data_out = u64_to_user_ptr(attr->test.data_out);
	void __user *ctx_out = u64_to_user_ptr(attr->test.ctx_out);
	u32 copy = size, ctx_size = sizeof(*ctx);
	int err = -EFAULT;

	/*
	 * As the kernel's bpf_test_finish() and bpf_ctx_finish(): a copy
	 * that faults after a clamp still says ENOSPC, and no context comes
	 * back when the data did not fit.
	 */
	if (attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if ((data_out && copy_to_user(data_out, data, copy)) ||
	    put_user(size, &uattr->test.data_size_out) ||
	    put_user(retval, &uattr->test.retval) ||
	    put_user(duration, &uattr->test.duration))
		return err;
	if (err == -ENOSPC || !ctx_out)
		return err == -ENOSPC ? err : 0;
	err = -EFAULT;
	copy = ctx_size;
	if (copy > attr->test.ctx_size_out) {
		copy = attr->test.ctx_size_out;
		err = -ENOSPC;
	}
	if (copy_to_user(ctx_out, ctx, copy) ||
	    put_user(ctx_size, &uattr->test.ctx_size_out))
		return err;
	return err == -ENOSPC ? err : 0;
}

/* bpf_prog_test_run_skb()'s flags and bpf_test_init()'s size limits. */
static int bpfdev_test_skb_check_attr(const union bpf_attr *attr)
{
	u32 size = attr->test.data_size_in;

	if ((attr->test.flags & ~BPF_F_TEST_SKB_CHECKSUM_COMPLETE) ||
	    attr->test.cpu || attr->test.batch_size)
		return -EINVAL;
	if (size < ETH_HLEN || size > BPFDEV_TEST_MAX_DATA)
		return -EINVAL;
	return 0;
}

static int bpfdev_test_run_skb(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			       union bpf_attr *attr, union bpf_attr __user *uattr)
{
	u32 size = attr->test.data_size_in, retval = 0, duration = 0;
	struct __sk_buff *ctx;
	struct net_device *dev;
	struct bpfdev_skb *skb;
	void *data;
	int err;

	/*
	 * The kernel's order: flags (BPF_F_TEST_SKB_CHECKSUM_COMPLETE changes
	 * nothing a socket filter can see), the size, the copy (NULL data_in
	 * is EFAULT), the context, the device, the frame, the context fields.
	 */
	err = bpfdev_test_skb_check_attr(attr);
	if (err)
		return err;

	skb = kzalloc(sizeof(*skb), GFP_KERNEL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	data = kvmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!skb || !ctx || !data) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(data, u64_to_user_ptr(attr->test.data_in), size)) {
		err = -EFAULT;
		goto out;
	}
	if (attr->test.ctx_in) {
		u32 in = attr->test.ctx_size_in;

		err = bpfdev_check_tail_zero(u64_to_user_ptr(attr->test.ctx_in),
					     sizeof(*ctx), in);
		if (err)
			goto out;
		in = min_t(u32, in, sizeof(*ctx));
		if (copy_from_user(ctx, u64_to_user_ptr(attr->test.ctx_in), in)) {
			err = -EFAULT;
			goto out;
		}
	}
	bpfdev_skb_init_linear(skb, data, size);
	/* As the kernel's test run: the packet arrives on loopback. */
	skb->md.ifindex = ctx->ifindex > LOOPBACK_IFINDEX ? ctx->ifindex :
			  LOOPBACK_IFINDEX;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(bf->net, skb->md.ifindex);
	err = dev ? bpfdev_test_eth_type_trans(skb, data, size, dev) : -ENODEV;
	rcu_read_unlock();
	if (err)
		goto out;
	if (attr->test.ctx_in) {
		err = bpfdev_test_ctx_in(skb, ctx);
		if (err)
			goto out;
	}
	err = bpfdev_test_loop(prog, skb, attr->test.repeat, &retval, &duration);
	if (err)
		goto out;
	bpfdev_test_ctx_out(skb, ctx);
	/*
	 * The kernel's socket-filter test run hands back the packet with its
	 * link-layer header zeroed (it rebuilds a header it had pulled); so
	 * does this one, though here programs see that header.
	 */
	memset(data, 0, ETH_HLEN);
	err = bpfdev_test_finish(attr, uattr, data, size,
				 attr->test.ctx_out ? ctx : NULL, retval, duration);
out:
	kvfree(data);
	kfree(ctx);
	kfree(skb);
	return err;
}

/*
 * A tc program's test run: the frame in a real sk_buff on the test device
 * (loopback, or ctx_in's ifindex), through eth_type_trans() and back at
 * its link-layer header, ctx_in's fields in the skb (as
 * convert___skb_to_skb(): cb[] and wire_len are the qdisc's, which tc
 * programs see), then the context a device hook's egress gives (the
 * kernel's test run is not at ingress either).  data_out is the packet
 * as the program left it, its size too (a pushed VLAN tag goes out of
 * band, as skb_vlan_push() puts it; skb_store_bytes() may grow nothing).
 * With BPF_F_TEST_SKB_CHECKSUM_COMPLETE the skb carries a
 * CHECKSUM_COMPLETE sum from the network header, which must still match
 * the bytes after the run (EBADMSG), as the kernel checks.
 */
static int bpfdev_test_tc_skb(struct bpfdev_file *bf, struct sk_buff *skb,
			      const struct __sk_buff *ctx, bool has_ctx,
			      struct net_device **devp)
{
	struct net_device *dev = bf->net->loopback_dev;

	if (has_ctx && ctx->ifindex > LOOPBACK_IFINDEX) {
		dev = dev_get_by_index(bf->net, ctx->ifindex);
		if (!dev)
			return -ENODEV;
		*devp = dev;
	}
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	if ((skb->protocol == htons(ETH_P_IP) && skb_headlen(skb) < sizeof(struct iphdr)) ||
	    (skb->protocol == htons(ETH_P_IPV6) && skb_headlen(skb) < sizeof(struct ipv6hdr)))
		return -EINVAL;
	__skb_push(skb, ETH_HLEN);
	if (!has_ctx)
		return 0;
	if (bpfdev_test_ctx_check(ctx, skb->len))
		return -EINVAL;
	skb->mark = ctx->mark;
	skb->priority = ctx->priority;
	skb->skb_iif = ctx->ingress_ifindex;
	skb->tstamp = ns_to_ktime(ctx->tstamp);
	skb_shinfo(skb)->gso_segs = ctx->gso_segs;
	skb_shinfo(skb)->gso_size = ctx->gso_size;
	skb_shinfo(skb)->hwtstamps.hwtstamp = ns_to_ktime(ctx->hwtstamp);
	return 0;
}

/* convert_skb_to___skb(): the rest of ctx stays as ctx_in had it. */
static void bpfdev_test_tc_ctx_out(const struct bpfdev_tc_skb *tc, const struct sk_buff *skb,
				   struct __sk_buff *out)
{
	out->mark = skb->mark;
	out->priority = skb->priority;
	out->ingress_ifindex = skb->skb_iif;
	out->ifindex = skb->dev->ifindex;
	out->tstamp = ktime_to_ns(skb->tstamp);
	memcpy(out->cb, tc->skb.md.cb, sizeof(out->cb));
	out->wire_len = tc->skb.md.wire_len;
	out->gso_segs = skb_shinfo(skb)->gso_segs;
	out->hwtstamp = ktime_to_ns(skb_shinfo(skb)->hwtstamps.hwtstamp);
}

static int bpfdev_test_run_tc(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			      union bpf_attr *attr, union bpf_attr __user *uattr)
{
	u32 size = attr->test.data_size_in, retval = 0, duration = 0;
	bool csum = attr->test.flags & BPF_F_TEST_SKB_CHECKSUM_COMPLETE;
	const u32 headroom = NET_SKB_PAD + NET_IP_ALIGN;
	struct net_device *dev = NULL;
	struct bpfdev_tc_skb *tc = NULL;
	struct sk_buff *skb = NULL;
	struct __sk_buff *ctx;
	void *data;
	int err;

	err = bpfdev_test_skb_check_attr(attr);
	if (err)
		return err;
	data = kzalloc(SKB_DATA_ALIGN(size) + headroom +
		       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), GFP_KERNEL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	tc = kzalloc(sizeof(*tc), GFP_KERNEL);
	if (!data || !ctx || !tc) {
		kfree(data);
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(data + headroom, u64_to_user_ptr(attr->test.data_in), size)) {
		kfree(data);
		err = -EFAULT;
		goto out;
	}
	if (attr->test.ctx_in) {
		u32 in = attr->test.ctx_size_in;

		err = bpfdev_check_tail_zero(u64_to_user_ptr(attr->test.ctx_in),
					     sizeof(*ctx), in);
		if (!err && copy_from_user(ctx, u64_to_user_ptr(attr->test.ctx_in),
					   min_t(u32, in, sizeof(*ctx))))
			err = -EFAULT;
		if (err) {
			kfree(data);
			goto out;
		}
	}
	skb = slab_build_skb(data);
	if (!skb) {
		kfree(data);
		err = -ENOMEM;
		goto out;
	}
	skb_reserve(skb, headroom);
	__skb_put(skb, size);
	err = bpfdev_test_tc_skb(bf, skb, ctx, attr->test.ctx_in, &dev);
	if (err)
		goto out;
	if (csum) {
		skb->csum = skb_checksum(skb, skb_network_offset(skb),
					 skb->len - skb_network_offset(skb), 0);
		skb->ip_summed = CHECKSUM_COMPLETE;
	}
	bpfdev_act_ctx_fill(tc, skb, false, ctx->wire_len ? ctx->wire_len : skb->len);
	memcpy(tc->skb.md.cb, ctx->cb, sizeof(ctx->cb));
	err = bpfdev_test_loop(prog, tc, attr->test.repeat, &retval, &duration);
	if (err)
		goto out;
	bpfdev_act_ctx_writeback(tc, skb);
	if (csum && csum_fold(skb->csum) !=
	    csum_fold(skb_checksum(skb, skb_network_offset(skb),
				   skb->len - skb_network_offset(skb), 0))) {
		err = -EBADMSG;
		goto out;
	}
	bpfdev_test_tc_ctx_out(tc, skb, ctx);
	err = bpfdev_test_finish(attr, uattr, skb->data, skb_headlen(skb),
				 attr->test.ctx_out ? ctx : NULL, retval, duration);
out:
	kfree_skb(skb);
	dev_put(dev);
	kfree(tc);
	kfree(ctx);
	return err;
}

int bpfdev_cmd_prog_test_run(struct bpfdev_file *bf, union bpf_attr *attr,
			     union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_prog *prog;
	int err;

	/* As the kernel's bpf_prog_test_run(): before the program fd. */
	if (BPFDEV_CHECK_ATTR(attr, test.batch_size))
		return -EINVAL;
	if (!attr->test.ctx_size_in != !attr->test.ctx_in ||
	    !attr->test.ctx_size_out != !attr->test.ctx_out)
		return -EINVAL;
	prog = bpfdev_prog_get_from_fd(attr->test.prog_fd, ~0U);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	if (prog->type == BPF_PROG_TYPE_SOCKET_FILTER)
		err = bpfdev_test_run_skb(bf, prog, attr, uattr);
	else if (prog->type == BPF_PROG_TYPE_SCHED_CLS ||
		 prog->type == BPF_PROG_TYPE_SCHED_ACT)
		err = bpfdev_test_run_tc(bf, prog, attr, uattr);
	else
		err = -ENOTSUPP;
	bpfdev_prog_put(prog);
	return err;
}
