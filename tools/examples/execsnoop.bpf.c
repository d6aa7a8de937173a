// SPDX-License-Identifier: GPL-2.0
/*
 * execsnoop: one event per successful exec, from the sched_process_exec
 * tracepoint, through a BPF_MAP_TYPE_RINGBUF read by tools/examples/
 * execsnoop.c.  The context is the event's record as tracefs's
 * events/sched/sched_process_exec/format lays it out; the parent's pid
 * comes from the current task (a CO-RE read: libbpf fixes the offsets of
 * real_parent and tgid from the running kernel's BTF at load).
 */
#include "bpf_helpers.h"
#include "trace_helpers.h"
#include "execsnoop.bpf.h"

/* events/sched/sched_process_exec/format, field by field. */
struct sched_process_exec_rec {
	__u16	common_type;
	__u8	common_flags;
	__u8	common_preempt_count;
	__s32	common_pid;
	__u32	__data_loc_filename;	/* offset (low 16 bits), length (high) */
	__s32	pid;
	__s32	old_pid;
};

/* Only the fields read, by name: CO-RE finds them in the kernel's own. */
struct task_struct {
	struct task_struct	*real_parent;
	int			tgid;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int execsnoop(struct sched_process_exec_rec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = 0;
	unsigned int loc = ctx->__data_loc_filename & 0xffff;
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->tstamp_ns = bpf_ktime_get_ns();
	e->pid = ctx->pid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->pad = 0;
	e->ppid = 0;
	bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent);
	bpf_probe_read_kernel(&e->ppid, sizeof(e->ppid), &parent->tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* The name lies in the record, loc bytes from its start. */
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + loc);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char _license[] SEC("license") = "GPL";
