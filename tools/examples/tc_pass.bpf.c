// SPDX-License-Identifier: GPL-2.0
/*
 * Passes every packet (SEC("tc"), direct action): the cheapest program a
 * device hook can run, for tools/bench/bench_action.sh to measure what
 * running one costs, on bpfdev and in the kernel's tc from this object.
 */
#include "bpf_helpers.h"
#include "tc_helpers.h"

SEC("tc")
int tc_pass(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
