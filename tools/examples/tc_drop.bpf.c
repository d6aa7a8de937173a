// SPDX-License-Identifier: GPL-2.0
/*
 * Drops every packet (SEC("tc"), direct action): the drop rate of a
 * device hook, for tools/bench/bench_action.sh, on bpfdev and in the
 * kernel's tc from this object.
 */
#include "bpf_helpers.h"
#include "tc_helpers.h"

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "GPL";
