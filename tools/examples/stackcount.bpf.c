// SPDX-License-Identifier: GPL-2.0
/*
 * stackcount: how often each kernel call path reaches vfs_read, as bcc's
 * stackcount: a kprobe takes the stack's id (bpf_get_stackid into the
 * BPF_MAP_TYPE_STACK_TRACE map `stacks`) and counts it in `counts`.
 * `bpfctl map stacks name stacks` prints each stack with its symbols,
 * `bpfctl map dump name counts` how many times each id was seen.
 */
#include "bpf_helpers.h"
#include "trace_helpers.h"

#define MAX_DEPTH	32

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("kprobe/vfs_read")
int stackcount(struct pt_regs *ctx)
{
	__u64 one = 1, *n;
	__u32 id;
	long ret;

	ret = bpf_get_stackid(ctx, &stacks, 0);
	if (ret < 0)
		return 0;
	id = ret;
	n = bpf_map_lookup_elem(&counts, &id);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&counts, &id, &one, BPF_NOEXIST);
	return 0;
}

char _license[] SEC("license") = "GPL";
