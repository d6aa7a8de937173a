// SPDX-License-Identifier: GPL-2.0
/*
 * Loader fixture: two programs in one "socket/NAME" section (a suffix
 * libbpf 1.1 does not take for "socket"; bpfdev's table does), a BTF map,
 * .data and .rodata, a version section.
 */
#include "bpf_helpers.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

__u64 data_counter = 7;
const char greeting[] = "hello, bpfdev";

SEC("socket/first")
int first(struct __sk_buff *skb)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		*v += data_counter;
	return greeting[skb->len & 7];
}

SEC("socket/first")
int second(struct __sk_buff *skb)
{
	return skb->len > 10;
}

char _license[] SEC("license") = "Dual BSD/GPL";
__u32 _version SEC("version") = 0x060100;
