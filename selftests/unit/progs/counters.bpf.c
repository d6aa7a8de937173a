// SPDX-License-Identifier: GPL-2.0
/* Per-source-IP packet counters in a hash map. */
#include "vt_bpf.h"

struct vt_map_def SEC("maps") counters = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(unsigned int),
	.value_size = sizeof(unsigned long long),
	.max_entries = 8,
};

SEC("socket")
int count_ip(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	unsigned long long one = 1, *val;
	unsigned int key;

	if ((void *)(ip + 1) > data_end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	key = ip->saddr;
	val = bpf_map_lookup_elem(&counters, &key);
	if (val) {
		__sync_fetch_and_add(val, 1);
		return *val;
	}
	bpf_map_update_elem(&counters, &key, &one, BPF_ANY);
	val = bpf_map_lookup_elem(&counters, &key);
	return val ? *val + 100 : -1;
}
