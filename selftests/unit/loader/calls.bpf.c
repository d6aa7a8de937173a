// SPDX-License-Identifier: GPL-2.0
/*
 * Loader fixture: BPF-to-BPF calls.  Two programs share .text
 * subprograms (one calling another); a global function is reached through
 * an R_BPF_64_32 relocation, a static one pc-relatively.
 */
#include "bpf_helpers.h"

static __noinline int leaf(int x)
{
	return x * 3 + 1;
}

__noinline int middle(int x)
{
	return leaf(x) + leaf(x + 1);
}

static __noinline int other(int x)
{
	return x - 5;
}

SEC("socket")
int caller_a(struct __sk_buff *skb)
{
	return middle(skb->len);
}

SEC("xdp")
int caller_b(struct xdp_md *ctx)
{
	return other(ctx->ingress_ifindex) + leaf(2);
}

char _license[] SEC("license") = "GPL";
