// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching by section name without the device: what libbpfdev reads in
 * each of libbpf's tracing section names (bpfdev_trace_sec_parse, behind
 * bpfdev_program_attach), the types libbpf gives the tracing examples'
 * sections, and the attach calls' errors before any ioctl.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libbpfdev.h"
#include "trace.h"
#include "tap.h"

/* An example object built by tools/examples/build.mk. */
static const char *ex_path(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/build/examples/%s.bpf.o", BPFDEV_TOP, name);
	return path;
}

enum { K = BPFDEV_TRACE_KPROBE, U = BPFDEV_TRACE_UPROBE, T = BPFDEV_TRACE_TRACEPOINT,
       R = BPFDEV_TRACE_RAW_TP, P = BPFDEV_TRACE_PERF };

static const struct {
	const char	*sec;
	int		err;
	int		kind;
	bool		ret;
	const char	*target;
	const char	*name;
	__u64		offset;
} cases[] = {
	/* kprobes: FUNC[+OFF], offsets as libbpf's %li */
	{ "kprobe/do_sys_openat2",	0, K, false, "do_sys_openat2", "", 0 },
	{ "kprobe/do_sys_openat2+0x10",	0, K, false, "do_sys_openat2", "", 16 },
	{ "kprobe/vfs_read+16",		0, K, false, "vfs_read", "", 16 },
	{ "kprobe/f.isra.0",		0, K, false, "f.isra.0", "", 0 },
	{ "kretprobe/do_sys_openat2",	0, K, true, "do_sys_openat2", "", 0 },
	{ "kretprobe/vfs_read+4",	-EINVAL },
	{ "kprobe",			-EINVAL },
	{ "kprobe/",			-EINVAL },
	{ "kprobe/+4",			-EINVAL },
	{ "kprobe/f+",			-EINVAL },
	{ "kprobe/f+0x1g",		-EINVAL },
	{ "kprobe/a-b",			-EINVAL },
	{ "kprobe.multi/vfs_*",		-EOPNOTSUPP },
	{ "kprobes/vfs_read",		-EOPNOTSUPP },
	/* uprobes: PATH:SYM[+OFF] or PATH:OFFSET, the last ':' ending PATH */
	{ "uprobe//bin/bash:readline",	0, U, false, "/bin/bash", "readline", 0 },
	{ "uprobe/libc.so.6:malloc+8",	0, U, false, "libc.so.6", "malloc", 8 },
	{ "uretprobe//bin/bash:main",	0, U, true, "/bin/bash", "main", 0 },
	{ "uprobe//bin/x:0x1234",	0, U, false, "/bin/x", "", 0x1234 },
	{ "uprobe//a:b:c",		0, U, false, "/a:b", "c", 0 },
	{ "uretprobe//bin/x:f+4",	-EINVAL },
	{ "uprobe//bin/x",		-EINVAL },
	{ "uprobe//bin/x:",		-EINVAL },
	{ "uprobe/:f",			-EINVAL },
	{ "uprobe//bin/x:+4",		-EINVAL },
	{ "uprobe//bin/x:0x12z",	-EINVAL },
	{ "uprobe.s//bin/x:f",		-EOPNOTSUPP },
	/* tracepoints: CAT/NAME */
	{ "tracepoint/sched/sched_process_exec", 0, T, false, "sched", "sched_process_exec", 0 },
	{ "tp/syscalls/sys_enter_openat", 0, T, false, "syscalls", "sys_enter_openat", 0 },
	{ "tracepoint/sched",		-EINVAL },
	{ "tracepoint/a/b/c",		-EINVAL },
	{ "tracepoint//b",		-EINVAL },
	{ "tp/a/",			-EINVAL },
	/* raw tracepoints: NAME */
	{ "raw_tracepoint/sched_switch", 0, R, false, "sched_switch", "", 0 },
	{ "raw_tp/sys_enter",		0, R, false, "sys_enter", "", 0 },
	{ "raw_tp/a/b",			-EINVAL },
	{ "raw_tp",			-EINVAL },
	{ "raw_tp.w/sys_enter",		-EOPNOTSUPP },
	/* perf_event alone */
	{ "perf_event",			0, P, false, "", "", 0 },
	{ "perf_event/x",		-EINVAL },
	/* not tracing */
	{ "socket",			-EOPNOTSUPP },
	{ "tc",				-EOPNOTSUPP },
	{ "xdp",			-EOPNOTSUPP },
	{ "fentry/vfs_read",		-EOPNOTSUPP },
	{ "",				-EOPNOTSUPP },
};

static void test_cases(void)
{
	struct bpfdev_trace_sec *ts = malloc(sizeof(*ts));
	size_t i;
	int err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = bpfdev_trace_sec_parse(cases[i].sec, ts);
		if (cases[i].err) {
			ok_eq(err, cases[i].err, "'%s': %s", cases[i].sec, strerror(-cases[i].err));
			continue;
		}
		ok(!err && (int)ts->kind == cases[i].kind && ts->retprobe == cases[i].ret &&
		   !strcmp(ts->target, cases[i].target) && !strcmp(ts->name, cases[i].name) &&
		   ts->offset == cases[i].offset,
		   "'%s': kind %d%s target '%s' name '%s' offset %llu", cases[i].sec,
		   cases[i].kind, cases[i].ret ? " (return)" : "", cases[i].target,
		   cases[i].name, (unsigned long long)cases[i].offset);
		if (err || strcmp(ts->target, cases[i].target))
			tap_diag("got %d: kind %d target '%s' name '%s' offset %llu", err,
				 ts->kind, ts->target, ts->name, (unsigned long long)ts->offset);
	}
	ok_eq(bpfdev_trace_sec_parse(NULL, ts), -EINVAL, "no section: EINVAL");
	free(ts);
}

/* Names longer than the fields: refused, not cut. */
static void test_long(void)
{
	struct bpfdev_trace_sec *ts = malloc(sizeof(*ts));
	char sec[PATH_MAX + 64];

	snprintf(sec, sizeof(sec), "uprobe//bin/x:%0300d", 0);
	memset(sec + 14, 'f', 300);
	ok_eq(bpfdev_trace_sec_parse(sec, ts), -ENAMETOOLONG, "a 300-byte uprobe symbol: ENAMETOOLONG");
	snprintf(sec, sizeof(sec), "tp/sched/%0300d", 0);
	memset(sec + 9, 'n', 300);
	ok_eq(bpfdev_trace_sec_parse(sec, ts), -ENAMETOOLONG, "a 300-byte event name: ENAMETOOLONG");
	memset(sec, '/', sizeof(sec));
	memcpy(sec, "uprobe/", 7);
	strcpy(sec + PATH_MAX + 8, ":f");
	ok_eq(bpfdev_trace_sec_parse(sec, ts), -ENAMETOOLONG, "a path longer than PATH_MAX: ENAMETOOLONG");
	free(ts);
}

/* libbpf names the examples' program types; attaching needs a load first. */
static void test_examples(void)
{
	static const struct {
		const char		*obj, *sec;
		enum bpf_prog_type	type;
	} ex[] = {
		{ "execsnoop", "tracepoint/sched/sched_process_exec", BPF_PROG_TYPE_TRACEPOINT },
		{ "opencount", "kprobe/do_sys_openat2", BPF_PROG_TYPE_KPROBE },
		{ "stackcount", "kprobe/vfs_read", BPF_PROG_TYPE_KPROBE },
	};
	struct bpfdev_object *obj;
	struct bpfdev_program *p;
	size_t i;
	int err;

	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		obj = bpfdev_object__open(ex_path(ex[i].obj), NULL);
		p = obj ? bpfdev_object__next_program(obj, NULL) : NULL;
		if (!ok(p && !strcmp(bpfdev_program__section_name(p), ex[i].sec) &&
			bpfdev_program__type(p) == ex[i].type,
			"%s.bpf.o: SEC(\"%s\"), program type %d", ex[i].obj, ex[i].sec,
			ex[i].type)) {
			tap_diag("open: %s; section '%s' type %d", obj ? "ok" : strerror(errno),
				 p ? bpfdev_program__section_name(p) : "", p ? bpfdev_program__type(p) : -1);
		}
		if (p) {
			err = bpfdev_program_attach(p);
			ok(err == -EINVAL && errno == EINVAL,
			   "%s.bpf.o: attach before load: -EINVAL, errno EINVAL", ex[i].obj);
		} else {
			ok(0, "%s.bpf.o: attach before load", ex[i].obj);
		}
		bpfdev_object__close(obj);
	}
	ok_eq(bpfdev_program_attach(NULL), -EINVAL, "attach of no program: -EINVAL");
}

/* Bad arguments fail before the device; a missing device is its errno. */
static void test_calls(void)
{
	ok_eq(bpfdev_kprobe_attach(-1, "f", 0, false), -EINVAL, "kprobe: bad prog fd");
	ok_eq(bpfdev_kprobe_attach(3, "", 0, false), -EINVAL, "kprobe: empty function");
	ok_eq(bpfdev_uprobe_attach(3, NULL, 0, -1, false), -EINVAL, "uprobe: no path");
	ok_eq(bpfdev_uprobe_attach(3, "/bin/sh", 0, -2, false), -EINVAL, "uprobe: pid -2");
	ok_eq(bpfdev_tracepoint_attach(3, "sched", NULL), -EINVAL, "tracepoint: no name");
	ok_eq(bpfdev_raw_tracepoint_open(3, ""), -EINVAL, "raw tracepoint: empty name");
	ok_eq(bpfdev_perf_attach(3, 1, 0, 0, true, -1), -EINVAL, "perf: frequency 0");
	ok_eq(bpfdev_perf_attach(3, 1, 0, 99, true, -2), -EINVAL, "perf: cpu -2");
	/* The device is opened once per process: this is the first call that opens it. */
	setenv("BPFDEV_DEVICE", "/nonexistent/bpf", 1);
	ok(bpfdev_kprobe_attach(3, "vfs_read", 0, false) == -ENOENT && errno == ENOENT,
	   "kprobe without the device: -ENOENT, errno ENOENT");
	ok_eq(bpfdev_raw_tracepoint_open(3, "sys_enter"), -ENOENT,
	      "raw tracepoint without the device: -ENOENT");
}

int main(void)
{
	tap_plan(0);
	test_cases();
	test_long();
	test_examples();
	test_calls();
	return tap_done();
}
