// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl map stacks MAP [pid PID]: a BPF_MAP_TYPE_STACK_TRACE map's stacks
 * (what bpf_get_stackid() stored), each frame as symbol+0xoff.  Kernel
 * addresses resolve through /proc/kallsyms; user addresses through the
 * files process PID maps, when it is given and still lives (a stack map
 * keeps addresses, not names: an exited process's frames stay numbers).
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfctl.h"

/* x86-64: kernel addresses are the upper half. */
#define KERNEL_ADDR_MIN	0xffff800000000000ULL

struct stack_syms {
	struct bpfdev_syms	*kernel;
	struct bpfdev_syms	*user;
};

static void print_frame(const struct stack_syms *ss, __u64 ip)
{
	const struct bpfdev_syms *syms = ip >= KERNEL_ADDR_MIN ? ss->kernel : ss->user;
	char sym[256];
	bool have = syms && bpfdev_syms__resolve(syms, ip, sym, sizeof(sym)) > 0;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "address");
		jsonw_printf(json_wtr, "\"0x%llx\"", (unsigned long long)ip);
		if (have)
			jsonw_string_field(json_wtr, "symbol", sym);
		jsonw_end_object(json_wtr);
	} else if (have) {
		printf("\t%s\n", sym);
	} else {
		printf("\t0x%llx\n", (unsigned long long)ip);
	}
}

static void print_stack(const struct stack_syms *ss, __u32 id, const __u64 *ips,
			unsigned int depth)
{
	unsigned int i;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", id);
		jsonw_name(json_wtr, "frames");
		jsonw_start_array(json_wtr);
	} else {
		printf("stack %u:\n", id);
	}
	/* The stack ends at the first zero: the map zero-fills the rest. */
	for (i = 0; i < depth && ips[i]; i++)
		print_frame(ss, ips[i]);
	if (json_output) {
		jsonw_end_array(json_wtr);
		jsonw_end_object(json_wtr);
	}
}

int do_stacks(int argc, char **argv)
{
	struct stack_syms ss = { 0 };
	struct bpf_map_info info;
	__u32 key, next, *prev = NULL;
	unsigned int n = 0;
	int fd, pid = 0, err = -1;
	__u64 *ips = NULL;

	fd = map_parse_fd_and_info(&argc, &argv, &info);
	if (fd < 0)
		return -1;
	if (argc == 2 && is_prefix(*argv, "pid")) {
		pid = atoi(argv[1]);
		argc -= 2;
	}
	if (argc) {
		p_err("expected nothing or 'pid PID', got: '%s'?", *argv);
		goto out;
	}
	if (info.type != BPF_MAP_TYPE_STACK_TRACE || info.key_size != sizeof(__u32) ||
	    info.value_size % sizeof(__u64)) {
		p_err("map %u is not a stack trace map of addresses", info.id);
		goto out;
	}
	if (info.map_flags & BPF_F_STACK_BUILD_ID) {
		p_err("map %u keeps build ids, not addresses: not resolved here", info.id);
		goto out;
	}
	ips = calloc(1, info.value_size);
	if (!ips)
		goto out;
	/* Without them, frames print as numbers: no error. */
	ss.kernel = bpfdev_syms__kernel(NULL);
	if (pid > 0) {
		ss.user = bpfdev_syms__process(pid);
		if (!ss.user)
			fprintf(stderr, "Warning: no symbols of process %d: %s\n", pid,
				strerror(errno));
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	while (!bpfdev_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpfdev_map_lookup_elem(fd, &key, ips))
			continue;	/* gone since: a stack map reuses ids */
		print_stack(&ss, key, ips, info.value_size / sizeof(__u64));
		n++;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	else
		printf("Found %u stack%s\n", n, n == 1 ? "" : "s");
	err = 0;
out:
	bpfdev_syms__free(ss.kernel);
	bpfdev_syms__free(ss.user);
	free(ips);
	close(fd);
	return err;
}
