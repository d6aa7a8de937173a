// SPDX-License-Identifier: GPL-2.0
/*
 * Prototypes of the helpers bpfdev offers, after the kernel's (6.1)
 * bpf_func_proto definitions in kernel/bpf/helpers.c, ringbuf.c, core.c,
 * kernel/trace/bpf_trace.c, kernel/bpf/stackmap.c and net/core/filter.c.
 * gpl_only is each proto's own.  The tracing helpers are offered as 6.1's
 * func_proto functions offer them: probe_read_{user,kernel}{,_str} and
 * get_current_task to every program of a perfmon_capable() loader
 * (bpf_base_func_proto()), the others to tracing programs only
 * (bpf_tracing_func_proto() and the kprobe, tracepoint, raw tracepoint
 * and perf event types' own).
 */

#include "helper_proto.h"

#define A(x)	BPFDEV_ARG_##x
#define R(x)	BPFDEV_RET_##x

static const struct bpfdev_func_proto protos[BPFDEV_NR_HELPERS] = {
	[BPF_FUNC_map_lookup_elem] = {
		.name = "map_lookup_elem", .ret_type = R(PTR_TO_MAP_VALUE_OR_NULL),
		.arg_type = { A(CONST_MAP_PTR), A(PTR_TO_MAP_KEY) },
		.pkt_access = true,
	},
	[BPF_FUNC_map_update_elem] = {
		.name = "map_update_elem", .ret_type = R(INTEGER),
		.arg_type = { A(CONST_MAP_PTR), A(PTR_TO_MAP_KEY),
			      A(PTR_TO_MAP_VALUE), A(ANYTHING) },
		.pkt_access = true,
	},
	[BPF_FUNC_map_delete_elem] = {
		.name = "map_delete_elem", .ret_type = R(INTEGER),
		.arg_type = { A(CONST_MAP_PTR), A(PTR_TO_MAP_KEY) },
		.pkt_access = true,
	},
	[BPF_FUNC_ktime_get_ns] = {
		.name = "ktime_get_ns", .ret_type = R(INTEGER),
	},
	[BPF_FUNC_trace_printk] = {
		.name = "trace_printk", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_MEM), A(CONST_SIZE) },
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPF_FUNC_get_prandom_u32] = {
		.name = "get_prandom_u32", .ret_type = R(INTEGER),
	},
	[BPF_FUNC_get_smp_processor_id] = {
		.name = "get_smp_processor_id", .ret_type = R(INTEGER),
	},
	[BPF_FUNC_tail_call] = {
		.name = "tail_call", .ret_type = R(VOID),
		.arg_type = { A(PTR_TO_CTX), A(CONST_MAP_PTR), A(ANYTHING) },
	},
	[BPF_FUNC_skb_load_bytes] = {
		.name = "skb_load_bytes", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(ANYTHING), A(PTR_TO_UNINIT_MEM),
			      A(CONST_SIZE) },
		.skb_ctx = true,
	},
	[BPF_FUNC_skb_store_bytes] = {
		.name = "skb_store_bytes", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(ANYTHING), A(PTR_TO_MEM),
			      A(CONST_SIZE), A(ANYTHING) },
		.tc_only = true, .changes_pkt_data = true,
	},
	[BPF_FUNC_l3_csum_replace] = {
		.name = "l3_csum_replace", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(ANYTHING), A(ANYTHING),
			      A(ANYTHING), A(ANYTHING) },
		.tc_only = true, .changes_pkt_data = true,
	},
	[BPF_FUNC_l4_csum_replace] = {
		.name = "l4_csum_replace", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(ANYTHING), A(ANYTHING),
			      A(ANYTHING), A(ANYTHING) },
		.tc_only = true, .changes_pkt_data = true,
	},
	/* 6.1's from and to may also be NULL with a zero size; not here */
	[BPF_FUNC_csum_diff] = {
		.name = "csum_diff", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_MEM), A(CONST_SIZE_OR_ZERO), A(PTR_TO_MEM),
			      A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.pkt_access = true, .tc_only = true,
	},
	[BPF_FUNC_redirect] = {
		.name = "redirect", .ret_type = R(INTEGER),
		.arg_type = { A(ANYTHING), A(ANYTHING) },
		.tc_only = true,
	},
	[BPF_FUNC_get_hash_recalc] = {
		.name = "get_hash_recalc", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX) },
		.tc_only = true,
	},
	[BPF_FUNC_skb_vlan_push] = {
		.name = "skb_vlan_push", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(ANYTHING), A(ANYTHING) },
		.tc_only = true, .changes_pkt_data = true,
	},
	[BPF_FUNC_skb_vlan_pop] = {
		.name = "skb_vlan_pop", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX) },
		.tc_only = true, .changes_pkt_data = true,
	},
	[BPF_FUNC_ktime_get_boot_ns] = {
		.name = "ktime_get_boot_ns", .ret_type = R(INTEGER),
	},
	[BPF_FUNC_ringbuf_output] = {
		.name = "ringbuf_output", .ret_type = R(INTEGER),
		.arg_type = { A(CONST_MAP_PTR), A(PTR_TO_MEM),
			      A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
	},
	[BPF_FUNC_ringbuf_reserve] = {
		.name = "ringbuf_reserve", .ret_type = R(PTR_TO_ALLOC_MEM_OR_NULL),
		.arg_type = { A(CONST_MAP_PTR), A(CONST_ALLOC_SIZE_OR_ZERO),
			      A(ANYTHING) },
	},
	[BPF_FUNC_ringbuf_submit] = {
		.name = "ringbuf_submit", .ret_type = R(VOID),
		.arg_type = { A(PTR_TO_ALLOC_MEM), A(ANYTHING) },
	},
	[BPF_FUNC_ringbuf_discard] = {
		.name = "ringbuf_discard", .ret_type = R(VOID),
		.arg_type = { A(PTR_TO_ALLOC_MEM), A(ANYTHING) },
	},
	[BPF_FUNC_ringbuf_query] = {
		.name = "ringbuf_query", .ret_type = R(INTEGER),
		.arg_type = { A(CONST_MAP_PTR), A(ANYTHING) },
	},
	[BPF_FUNC_probe_read] = {
		.name = "probe_read", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.gpl_only = true, .trace_only = true,
	},
	[BPF_FUNC_get_current_pid_tgid] = {
		.name = "get_current_pid_tgid", .ret_type = R(INTEGER),
		.trace_only = true,
	},
	[BPF_FUNC_get_current_uid_gid] = {
		.name = "get_current_uid_gid", .ret_type = R(INTEGER),
		.trace_only = true,
	},
	[BPF_FUNC_get_current_comm] = {
		.name = "get_current_comm", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE) },
		.trace_only = true,
	},
	[BPF_FUNC_get_stackid] = {
		.name = "get_stackid", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(CONST_MAP_PTR), A(ANYTHING) },
		.gpl_only = true, .trace_only = true,
	},
	[BPF_FUNC_get_current_task] = {
		.name = "get_current_task", .ret_type = R(INTEGER),
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPF_FUNC_probe_read_str] = {
		.name = "probe_read_str", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.gpl_only = true, .trace_only = true,
	},
	[BPF_FUNC_send_signal] = {
		.name = "send_signal", .ret_type = R(INTEGER),
		.arg_type = { A(ANYTHING) },
		.trace_only = true,
	},
	[BPF_FUNC_get_stack] = {
		.name = "get_stack", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX), A(PTR_TO_UNINIT_MEM),
			      A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.gpl_only = true, .trace_only = true,
	},
	[BPF_FUNC_probe_read_user] = {
		.name = "probe_read_user", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPF_FUNC_probe_read_kernel] = {
		.name = "probe_read_kernel", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPF_FUNC_probe_read_user_str] = {
		.name = "probe_read_user_str", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPF_FUNC_probe_read_kernel_str] = {
		.name = "probe_read_kernel_str", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_UNINIT_MEM), A(CONST_SIZE_OR_ZERO), A(ANYTHING) },
		.tier = BPFDEV_PROTO_PERFMON,
		.gpl_only = true,
	},
	[BPFDEV_FUNC_skb_pay_offset] = {
		.name = "skb_pay_offset", .ret_type = R(INTEGER),
		.arg_type = { A(PTR_TO_CTX) },
		.tier = BPFDEV_PROTO_INTERNAL,
		.socket_filter_only = true,
	},
};

const struct bpfdev_func_proto *bpfdev_helper_proto(s32 func_id)
{
	if (func_id < 0 || func_id >= BPFDEV_NR_HELPERS || !protos[func_id].name)
		return NULL;
	return &protos[func_id];
}

/*
 * The kernel's own names ("bpf_map_lookup_elem"), from the uapi header's
 * mapper, which also defines enum bpf_func_id in the same order.
 */
#define BPFDEV_FUNC_NAME(x)	"bpf_" #x
static const char *const func_names[] = {
	__BPF_FUNC_MAPPER(BPFDEV_FUNC_NAME)
};

const char *bpfdev_helper_name(s32 func_id)
{
	if (func_id == BPFDEV_FUNC_skb_pay_offset)
		return "bpfdev_skb_pay_offset";
	if (func_id >= 0 && func_id < (s32)ARRAY_SIZE(func_names) && func_names[func_id])
		return func_names[func_id];
	return "unknown";
}

bool bpfdev_helper_id_valid(s32 func_id)
{
	return (func_id >= 0 && func_id < __BPF_FUNC_MAX_ID) ||
	       func_id == BPFDEV_FUNC_skb_pay_offset;
}
