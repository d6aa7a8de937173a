// SPDX-License-Identifier: GPL-2.0
/*
 * opencount: opens per file name, from a kprobe on do_sys_openat2(dfd,
 * filename, how), the function behind open(), openat() and openat2().
 * The name is read from the caller's memory (bpf_probe_read_user_str)
 * into a zeroed key of OPEN_NAME_LEN bytes: `bpfctl map lookup name counts
 * key hex ...` with the name and its zero padding reads one file's count.
 */
#include "bpf_helpers.h"
#include "trace_helpers.h"

#define OPEN_NAME_LEN	64

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, char[OPEN_NAME_LEN]);
	__type(value, __u64);
} counts SEC(".maps");

SEC("kprobe/do_sys_openat2")
int opencount(struct pt_regs *ctx)
{
	char name[OPEN_NAME_LEN] = {};
	__u64 one = 1, *n;

	if (bpf_probe_read_user_str(name, sizeof(name),
				    (const void *)PT_REGS_PARM2(ctx)) <= 0)
		return 0;
	n = bpf_map_lookup_elem(&counts, name);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&counts, name, &one, BPF_NOEXIST);
	return 0;
}

char _license[] SEC("license") = "GPL";
