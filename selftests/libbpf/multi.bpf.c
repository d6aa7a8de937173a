// SPDX-License-Identifier: GPL-2.0
/*
 * An object as libbpf users write it, for libbpf_user and bpftool on
 * bpfdev: three BTF-defined maps in .maps (which Debian 12's clang 14
 * leaves at DATASEC offset 0), .rodata, .data and .bss, two BPF-to-BPF
 * subprograms, and a CO-RE relocation against the running kernel's BTF
 * (/sys/kernel/btf/vmlinux), which libbpf resolves at load: task_struct's
 * pid is at another offset on 6.1 and 6.12.  Built with libbpf's own
 * bpf_helpers.h.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

const volatile __u32 magic = 0x1234;	/* .rodata: set before load */
__u32 calls = 100;			/* .data */
__u64 total_len;			/* .bss */

static __noinline __u64 bump(__u32 idx, __u64 by)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &idx);

	if (!v)
		return 0;
	__sync_fetch_and_add(v, by);
	return *v;
}

static __noinline int remember(__u32 len)
{
	__u64 one = 1;

	return bpf_map_update_elem(&seen, &len, &one, BPF_ANY);
}

SEC("socket")
int count(struct __sk_buff *skb)
{
	__u32 key = 0, len = skb->len;
	__u32 *cfg;

	bump(0, 1);
	bump(1, len);
	remember(len);
	total_len += len;
	calls++;
	cfg = bpf_map_lookup_elem(&config, &key);
	if (cfg && *cfg)
		return *cfg;
	return magic;
}

/* Only the field CO-RE looks up: libbpf matches it in vmlinux by name. */
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

/* Returns the byte offset of task_struct.pid in the running kernel. */
SEC("socket")
int core_pid_off(struct __sk_buff *skb)
{
	return __builtin_preserve_field_info(((struct task_struct *)0)->pid,
					     0 /* BPF_FIELD_BYTE_OFFSET */);
}

char LICENSE[] SEC("license") = "GPL";
