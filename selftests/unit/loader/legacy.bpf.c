// SPDX-License-Identifier: GPL-2.0
/*
 * Loader fixture: legacy struct bpf_map_def maps in SEC("maps"), two
 * programs in one section, .data and .rodata (strings), a version section.
 */
#include "bpf_helpers.h"

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = 8,
	.value_size = 16,
	.max_entries = 32,
	.map_flags = 1,
};

__u64 data_counter = 7;
const char greeting[] = "hello, bpfdev";

SEC("socket/first")
int first(struct __sk_buff *skb)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&legacy_array, &key);

	if (v)
		*v += data_counter;
	return greeting[skb->len & 7];
}

SEC("socket/first")
int second(struct __sk_buff *skb)
{
	__u64 key = 2;

	return bpf_map_lookup_elem(&legacy_hash, &key) ? 1 : 0;
}

char _license[] SEC("license") = "Dual BSD/GPL";
__u32 _version SEC("version") = 0x060100;
