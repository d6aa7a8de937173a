// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints (BPFDEV_IOC_TP_ATTACH): the program sees the event's record
 * exactly as events/CAT/NAME/format lays it out, common fields first, the
 * bytes the kernel's own BPF tracepoint programs see.  They come from the
 * kernel's perf side of the event: a kernel counter per CPU on the event
 * (PERF_TYPE_TRACEPOINT), sampling every hit (period 1) with the raw
 * record (PERF_SAMPLE_RAW), whose overflow handler runs the program on
 * that record, the same one perf_trace_run_bpf_submit() hands the
 * kernel's programs.  PERF_SAMPLE_PERIOD makes an event that counts more
 * than one (__perf_count(), sched_stat_runtime) one run, not one per unit.
 *
 * As the kernel, the program may not read the common fields (8 bytes;
 * the verifier refuses them) and the record's first 8 bytes hold the
 * regs pointer while it runs (bpf_get_stackid_tp() reads it there); they
 * are put back after, since other perf events on the same tracepoint
 * read the record after this one.  A program whose reads go past the
 * record's fixed part is refused at attach, EACCES, as
 * perf_event_set_bpf_prog() does with trace_event_get_offsets().
 *
 * Lifetime as trace_perf.c's counters; the event itself is held by each
 * counter (perf_trace_init() takes its reference), so only the attach
 * holds trace_get_event_file()'s.
 */

#include <linux/bpf.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include <linux/bpfdev.h>

#include "prog.h"
#include "trace.h"
#include "trace_event.h"

/* Longer than any category or event name (tracefs directory names). */
#define BPFDEV_TP_NAME_LEN	128

/*
 * The leading members of the kernel's struct ftrace_event_field
 * (kernel/trace/trace.h, which modules do not see), the same on 6.1 and
 * 6.12: trace_get_fields() lists these, and trace_event_get_offsets()
 * (not exported) reads the last field's offset and size from them.
 */
struct bpfdev_ftrace_event_field {
	struct list_head	link;
	const char		*name;
	const char		*type;
	int			filter_type;
	int			offset;
	int			size;
};

struct bpfdev_tp_link {
	struct bpfdev_trace_link	link;
	struct perf_event		**events;
};

/*
 * The fixed part of the event's record, as trace_event_get_offsets():
 * fields are added at the head of the list, so the first is the last
 * laid out.  An event without fields of its own has the common ones.
 */
static u32 bpfdev_tp_record_size(struct trace_event_call *call)
{
	const struct bpfdev_ftrace_event_field *last;
	struct list_head *head = trace_get_fields(call);

	if (list_empty(head))
		return sizeof(struct trace_entry);
	last = list_first_entry(head, struct bpfdev_ftrace_event_field, link);
	return last->offset + last->size;
}

static void bpfdev_tp_overflow(struct perf_event *event,
			       struct perf_sample_data *data,
			       struct pt_regs *regs)
{
	struct bpfdev_tp_link *tl = event->overflow_handler_context;
	struct perf_raw_record *raw = data->raw;
	void *record;
	u64 common;

	if (!raw || raw->frag.size < sizeof(common))
		return;
	record = raw->frag.data;
	memcpy(&common, record, sizeof(common));
	memcpy(record, &regs, sizeof(regs));
	bpfdev_trace_run(tl->link.prog, record);
	memcpy(record, &common, sizeof(common));
}

static void bpfdev_tp_detach(struct bpfdev_trace_link *link)
{
	struct bpfdev_tp_link *tl = container_of(link, struct bpfdev_tp_link, link);

	bpfdev_perf_events_release(tl->events);
	tl->events = NULL;
	/* The tracepoint runs perf's probe under RCU, or SRCU in idle. */
	tracepoint_synchronize_unregister();
}

static void bpfdev_tp_dealloc(struct bpfdev_trace_link *link)
{
	kfree(container_of(link, struct bpfdev_tp_link, link));
}

static const struct bpfdev_trace_link_ops bpfdev_tp_ops = {
	.detach		= bpfdev_tp_detach,
	.dealloc	= bpfdev_tp_dealloc,
};

/* A name from userspace: -EFAULT, or -ENOENT when too long for any event. */
static int bpfdev_tp_name(char *buf, u64 uptr)
{
	long n = strncpy_from_user(buf, u64_to_user_ptr(uptr), BPFDEV_TP_NAME_LEN);

	if (n < 0)
		return -EFAULT;
	return n < BPFDEV_TP_NAME_LEN ? 0 : -ENOENT;
}

int bpfdev_tp_attach(void __user *arg)
{
	struct bpfdev_tp_attach ta;
	struct trace_event_file *file;
	struct perf_event_attr attr;
	struct bpfdev_tp_link *tl;
	struct bpfdev_prog *prog;
	char *cat, *name;
	int err, fd;

	if (copy_from_user(&ta, arg, sizeof(ta)))
		return -EFAULT;
	if (ta.flags)
		return -EINVAL;
	prog = bpfdev_trace_prog_get(ta.prog_fd, BPF_PROG_TYPE_TRACEPOINT);
	if (IS_ERR(prog))
		return PTR_ERR(prog);
	tl = kzalloc(sizeof(*tl), GFP_KERNEL);
	cat = kmalloc(BPFDEV_TP_NAME_LEN, GFP_KERNEL);
	name = kmalloc(BPFDEV_TP_NAME_LEN, GFP_KERNEL);
	if (!tl || !cat || !name) {
		err = -ENOMEM;
		goto free;
	}
	err = bpfdev_tp_name(cat, ta.category) ?: bpfdev_tp_name(name, ta.name);
	if (err)
		goto free;

	file = trace_get_event_file(NULL, cat, name);
	if (IS_ERR(file)) {
		/* EINVAL is its "no such event". */
		err = PTR_ERR(file) == -EINVAL ? -ENOENT : PTR_ERR(file);
		goto free;
	}
	if (prog->max_ctx_offset > bpfdev_tp_record_size(file->event_call)) {
		err = -EACCES;
		goto put_file;
	}

	tl->link.ops = &bpfdev_tp_ops;
	tl->link.prog = prog;
	tl->link.kind = "tracepoint";
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = file->event_call->event.type;
	attr.sample_period = 1;
	attr.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_PERIOD;
	tl->events = bpfdev_perf_events_create(&attr, -1, bpfdev_tp_overflow, tl);
	if (IS_ERR(tl->events)) {
		err = PTR_ERR(tl->events);
		/* Handlers of the counters made before the failure may still run. */
		tracepoint_synchronize_unregister();
		goto put_file;
	}
	trace_put_event_file(file);
	kfree(name);
	kfree(cat);

	fd = bpfdev_trace_link_fd(&tl->link);
	if (fd < 0) {
		bpfdev_tp_detach(&tl->link);
		bpfdev_tp_dealloc(&tl->link);
		bpfdev_prog_put(prog);
	}
	return fd;

put_file:
	trace_put_event_file(file);
free:
	kfree(name);
	kfree(cat);
	kfree(tl);
	bpfdev_prog_put(prog);
	return err;
}
