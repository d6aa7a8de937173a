// SPDX-License-Identifier: GPL-2.0
/* Loader fixture: a CO-RE field access, which bpfdev refuses by name. */
#include "bpf_helpers.h"

struct task {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

SEC("socket")
int core_user(struct task *t)
{
	return t->tgid;
}

char _license[] SEC("license") = "GPL";
