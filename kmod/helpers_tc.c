// SPDX-License-Identifier: GPL-2.0
/*
 * The tc helpers: packet writes, checksum fix-ups, redirect, hash, VLAN
 * tags, as 6.1's net/core/filter.c gives them to tc programs.  They run
 * in the packet path (softirq or bottom halves off, under RCU): nothing
 * here sleeps.  A helper that may move the packet's head makes it
 * writable first (skb_ensure_writable()) and points the context at the
 * new bytes, as bpf_compute_data_pointers() does; the verifier has made
 * the program forget its packet pointers (changes_pkt_data).
 */

#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <uapi/linux/bpf.h>
#include <uapi/linux/pkt_cls.h>

#include "helpers_tc.h"
#include "skb_tc.h"

static DEFINE_PER_CPU(struct bpfdev_tc_redirect, bpfdev_tc_redirect_info);

/* The kernel's struct bpf_scratchpad: csum_diff()'s words. */
struct bpfdev_tc_scratch {
	__be32	diff[MAX_BPF_STACK / sizeof(__be32)];
};

static DEFINE_PER_CPU(struct bpfdev_tc_scratch, bpfdev_tc_scratch);

static struct bpfdev_tc_skb *tc_ctx(u64 ctx)
{
	return (struct bpfdev_tc_skb *)(unsigned long)ctx;
}

static struct sk_buff *tc_skb(u64 ctx)
{
	return tc_ctx(ctx)->skb.priv;
}

void bpfdev_tc_ctx_sync(struct bpfdev_tc_skb *ctx, struct sk_buff *skb)
{
	struct __sk_buff *md = &ctx->skb.md;

	ctx->skb.data = skb->data;
	ctx->skb.data_end = skb->data + skb_headlen(skb);
	ctx->data_meta = skb->data - skb_metadata_len(skb);
	ctx->skb.net_off = skb_network_offset(skb);
	md->len = skb->len;
	md->protocol = (__force u32)skb->protocol;
	md->vlan_present = skb_vlan_tag_present(skb);
	md->vlan_tci = skb_vlan_tag_get(skb);
	md->vlan_proto = (__force u32)skb->vlan_proto;
}

/* bpf_try_make_writable(): writable up to len, and the context follows. */
static int tc_make_writable(u64 ctx, unsigned int len)
{
	struct sk_buff *skb = tc_skb(ctx);
	int err = skb_ensure_writable(skb, len);

	bpfdev_tc_ctx_sync(tc_ctx(ctx), skb);
	return err;
}

u64 bpfdev_tc_skb_store_bytes(u64 ctx, u64 off, u64 from, u64 len, u64 flags)
{
	struct sk_buff *skb = tc_skb(ctx);
	u32 offset = off;
	void *ptr;

	if (unlikely(flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)))
		return -EINVAL;
	if (unlikely(offset > INT_MAX))
		return -EFAULT;
	if (unlikely(tc_make_writable(ctx, offset + (u32)len)))
		return -EFAULT;
	ptr = skb->data + offset;
	if (flags & BPF_F_RECOMPUTE_CSUM)
		__skb_postpull_rcsum(skb, ptr, len, offset);
	memcpy(ptr, (const void *)(unsigned long)from, len);
	if (flags & BPF_F_RECOMPUTE_CSUM)
		__skb_postpush_rcsum(skb, ptr, len, offset);
	if (flags & BPF_F_INVALIDATE_HASH)
		skb_clear_hash(skb);
	return 0;
}

u64 bpfdev_tc_l3_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags)
{
	u32 offset = off;
	__sum16 *ptr;

	if (unlikely(flags & ~(BPF_F_HDR_FIELD_MASK)))
		return -EINVAL;
	if (unlikely(offset > 0xffff || offset & 1))
		return -EFAULT;
	if (unlikely(tc_make_writable(ctx, offset + sizeof(*ptr))))
		return -EFAULT;
	ptr = (__sum16 *)(tc_skb(ctx)->data + offset);
	switch (flags & BPF_F_HDR_FIELD_MASK) {
	case 0:
		if (unlikely(from != 0))
			return -EINVAL;
		csum_replace_by_diff(ptr, (__force __wsum)to);
		break;
	case 2:
		csum_replace2(ptr, (__force __be16)from, (__force __be16)to);
		break;
	case 4:
		csum_replace4(ptr, (__force __be32)from, (__force __be32)to);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

u64 bpfdev_tc_l4_csum_replace(u64 ctx, u64 off, u64 from, u64 to, u64 flags)
{
	bool is_pseudo = flags & BPF_F_PSEUDO_HDR;
	bool is_mmzero = flags & BPF_F_MARK_MANGLED_0;
	bool do_mforce = flags & BPF_F_MARK_ENFORCE;
	bool is_ipv6 = flags & BPF_F_IPV6;
	struct sk_buff *skb = tc_skb(ctx);
	u32 offset = off;
	__sum16 *ptr;

	if (unlikely(flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE |
			       BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6)))
		return -EINVAL;
	if (unlikely(offset > 0xffff || offset & 1))
		return -EFAULT;
	if (unlikely(tc_make_writable(ctx, offset + sizeof(*ptr))))
		return -EFAULT;
	ptr = (__sum16 *)(skb->data + offset);
	if (is_mmzero && !do_mforce && !*ptr)
		return 0;
	switch (flags & BPF_F_HDR_FIELD_MASK) {
	case 0:
		if (unlikely(from != 0))
			return -EINVAL;
		inet_proto_csum_replace_by_diff(ptr, skb, (__force __wsum)to, is_pseudo,
						is_ipv6);
		break;
	case 2:
		inet_proto_csum_replace2(ptr, skb, (__force __be16)from,
					 (__force __be16)to, is_pseudo);
		break;
	case 4:
		inet_proto_csum_replace4(ptr, skb, (__force __be32)from,
					 (__force __be32)to, is_pseudo);
		break;
	default:
		return -EINVAL;
	}
	if (is_mmzero && !*ptr)
		*ptr = CSUM_MANGLED_0;
	return 0;
}

u64 bpfdev_tc_csum_diff(u64 from_p, u64 from_size, u64 to_p, u64 to_size, u64 seed)
{
	struct bpfdev_tc_scratch *sp = this_cpu_ptr(&bpfdev_tc_scratch);
	const __be32 *from = (const __be32 *)(unsigned long)from_p;
	const __be32 *to = (const __be32 *)(unsigned long)to_p;
	u32 diff_size = (u32)from_size + (u32)to_size;
	u32 i, j = 0;

	/*
	 * from_size 0: pushing data (seed the old csum); to_size 0: pulling;
	 * both: the difference of two equally long runs (seed 0).
	 */
	if (unlikely((((u32)from_size | (u32)to_size) & (sizeof(__be32) - 1)) ||
		     diff_size > sizeof(sp->diff)))
		return -EINVAL;
	for (i = 0; i < (u32)from_size / sizeof(__be32); i++, j++)
		sp->diff[j] = ~from[i];
	for (i = 0; i < (u32)to_size / sizeof(__be32); i++, j++)
		sp->diff[j] = to[i];
	return (__force u32)csum_partial(sp->diff, diff_size, (__force __wsum)(u32)seed);
}

u64 bpfdev_tc_redirect(u64 ifindex, u64 flags, u64 r3, u64 r4, u64 r5)
{
	struct bpfdev_tc_redirect *ri = this_cpu_ptr(&bpfdev_tc_redirect_info);

	if (unlikely(flags & ~BPF_F_INGRESS))
		return TC_ACT_SHOT;
	ri->flags = flags;
	ri->ifindex = ifindex;
	return TC_ACT_REDIRECT;
}

struct bpfdev_tc_redirect bpfdev_tc_redirect_target(void)
{
	return *this_cpu_ptr(&bpfdev_tc_redirect_info);
}

u64 bpfdev_tc_get_hash_recalc(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	/* skb_get_hash() sets the hash when it was not valid */
	u32 hash = skb_get_hash(tc_skb(ctx));

	tc_ctx(ctx)->skb.md.hash = hash;
	return hash;
}

/*
 * bpf_push_mac_rcsum()/bpf_pull_mac_rcsum(): at ingress a
 * CHECKSUM_COMPLETE sum does not cover the link-layer header, which a
 * tag insertion or removal rewrites.
 */
static u64 tc_vlan_change(u64 ctx, bool push, __be16 proto, u16 tci)
{
	struct sk_buff *skb = tc_skb(ctx);
	bool ingress = tc_ctx(ctx)->at_ingress;
	int ret;

	if (ingress)
		skb_postpush_rcsum(skb, skb_mac_header(skb), skb->mac_len);
	ret = push ? skb_vlan_push(skb, proto, tci) : skb_vlan_pop(skb);
	if (ingress)
		skb_postpull_rcsum(skb, skb_mac_header(skb), skb->mac_len);
	bpfdev_tc_ctx_sync(tc_ctx(ctx), skb);
	return ret;
}

u64 bpfdev_tc_skb_vlan_push(u64 ctx, u64 proto, u64 tci, u64 r4, u64 r5)
{
	__be16 vlan_proto = (__force __be16)(u16)proto;

	if (unlikely(vlan_proto != htons(ETH_P_8021Q) &&
		     vlan_proto != htons(ETH_P_8021AD)))
		vlan_proto = htons(ETH_P_8021Q);
	return tc_vlan_change(ctx, true, vlan_proto, (u16)tci);
}

u64 bpfdev_tc_skb_vlan_pop(u64 ctx, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return tc_vlan_change(ctx, false, 0, 0);
}
