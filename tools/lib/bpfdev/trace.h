/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfdev internals of tracing: what a section name asks to attach
 * (trace.c), parsed apart from attaching so it can be tested without the
 * device (selftests/unit/test_trace_sec.c).
 */
#ifndef LIBBPFDEV_TRACE_H
#define LIBBPFDEV_TRACE_H

#include <limits.h>

#include "internal.h"

enum bpfdev_trace_kind {
	BPFDEV_TRACE_KPROBE,		/* kprobe/FUNC[+OFF], kretprobe/FUNC */
	BPFDEV_TRACE_UPROBE,		/* uprobe/PATH:SYM[+OFF], uretprobe/PATH:SYM */
	BPFDEV_TRACE_TRACEPOINT,	/* tracepoint/CAT/NAME, tp/CAT/NAME */
	BPFDEV_TRACE_RAW_TP,		/* raw_tracepoint/NAME, raw_tp/NAME */
	BPFDEV_TRACE_PERF,		/* perf_event */
};

struct bpfdev_trace_sec {
	enum bpfdev_trace_kind	kind;
	bool			retprobe;
	/* kprobe: the function; uprobe: the path; tracepoint: the category; raw: the name */
	char			target[PATH_MAX];
	/* uprobe: the symbol ("" when the section gives a file offset); tracepoint: the event */
	char			name[256];
	/* kprobe: bytes into the function; uprobe: past the symbol, or the file offset */
	__u64			offset;
};

/*
 * 0 and *ts filled, or -EOPNOTSUPP (not a section bpfdev attaches),
 * -EINVAL (malformed, or no target: SEC("kprobe") names no function),
 * -ENAMETOOLONG.
 */
int bpfdev_trace_sec_parse(const char *sec, struct bpfdev_trace_sec *ts);

#endif /* LIBBPFDEV_TRACE_H */
