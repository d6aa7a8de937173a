// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attaching tracing programs: one call per kind of the uapi's "Tracing"
 * section (each an ioctl on the device, raw tracepoints the bpf()
 * mirror's BPF_RAW_TRACEPOINT_OPEN), and bpfdev_program_attach(), which
 * reads libbpf's section names (the loader is libbpf's, so its names are
 * the ones objects carry) and calls the right one.  Every call returns
 * the link fd the module hands back: the caller owns it, and closing it
 * detaches, so nothing here keeps state.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "object.h"
#include "trace.h"

/* The ioctl's result: a link fd or -errno. */
static int trace_ioctl(unsigned long cmd, void *arg)
{
	int fd = bpfdev_device_fd();
	int ret;

	if (fd < 0)
		return bpfdev_err(fd);
	ret = ioctl(fd, cmd, arg);
	return bpfdev_err(ret < 0 ? -errno : ret);
}

int bpfdev_kprobe_attach(int prog_fd, const char *func, __u64 offset, bool retprobe)
{
	struct bpfdev_kprobe_attach a = {
		.prog_fd = prog_fd,
		.flags = retprobe ? BPFDEV_PROBE_F_RETURN : 0,
		.func = ptr_to_u64(func),
		.offset = offset,
	};

	if (prog_fd < 0 || !func || !*func)
		return bpfdev_err(-EINVAL);
	return trace_ioctl(BPFDEV_IOC_KPROBE_ATTACH, &a);
}

int bpfdev_uprobe_attach(int prog_fd, const char *path, __u64 offset, int pid, bool retprobe)
{
	struct bpfdev_uprobe_attach a = {
		.prog_fd = prog_fd,
		.flags = retprobe ? BPFDEV_PROBE_F_RETURN : 0,
		.path = ptr_to_u64(path),
		.offset = offset,
		.pid = pid,
	};

	if (prog_fd < 0 || !path || !*path || pid < -1)
		return bpfdev_err(-EINVAL);
	return trace_ioctl(BPFDEV_IOC_UPROBE_ATTACH, &a);
}

int bpfdev_tracepoint_attach(int prog_fd, const char *category, const char *name)
{
	struct bpfdev_tp_attach a = {
		.prog_fd = prog_fd,
		.category = ptr_to_u64(category),
		.name = ptr_to_u64(name),
	};

	if (prog_fd < 0 || !category || !*category || !name || !*name)
		return bpfdev_err(-EINVAL);
	return trace_ioctl(BPFDEV_IOC_TP_ATTACH, &a);
}

int bpfdev_raw_tracepoint_open(int prog_fd, const char *name)
{
	union bpf_attr attr;

	if (prog_fd < 0 || !name || !*name)
		return bpfdev_err(-EINVAL);
	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = ptr_to_u64(name);
	attr.raw_tracepoint.prog_fd = prog_fd;
	return bpfdev_sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr,
			      offsetofend(union bpf_attr, raw_tracepoint));
}

int bpfdev_perf_attach(int prog_fd, __u32 type, __u32 config, __u64 sample, bool freq,
		       int cpu)
{
	struct bpfdev_perf_attach a = {
		.prog_fd = prog_fd,
		.flags = freq ? BPFDEV_PERF_F_FREQ : 0,
		.type = type,
		.config = config,
		.sample = sample,
		.cpu = cpu,
	};

	if (prog_fd < 0 || !sample || cpu < -1)
		return bpfdev_err(-EINVAL);
	return trace_ioctl(BPFDEV_IOC_PERF_ATTACH, &a);
}

/* ---- section names --------------------------------------------------------- */

/* Copies src (n bytes, or all of it when n is -1) into dst of size bytes. */
static int sec_copy(char *dst, size_t size, const char *src, ssize_t n)
{
	size_t len = n < 0 ? strlen(src) : (size_t)n;

	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* A whole number, as libbpf's %li takes it (0x.. hex, 0.. octal, decimal). */
static int sec_number(const char *s, __u64 *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* libbpf's kprobe function names: [a-zA-Z0-9_.]+ */
static bool sec_func_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.')
			return false;
	return n > 0;
}

/* FUNC[+OFF] */
static int sec_kprobe(const char *spec, struct bpfdev_trace_sec *ts)
{
	const char *plus = strchr(spec, '+');
	size_t n = plus ? (size_t)(plus - spec) : strlen(spec);
	int err;

	if (!sec_func_name(spec, n))
		return -EINVAL;
	err = sec_copy(ts->target, sizeof(ts->target), spec, n);
	if (err)
		return err;
	if (!plus)
		return 0;
	/* As the kernel: a kretprobe is on the function's entry, no offset. */
	if (ts->retprobe)
		return -EINVAL;
	return sec_number(plus + 1, &ts->offset);
}

/* PATH:SYM[+OFF] or PATH:OFFSET; the last ':' ends the path. */
static int sec_uprobe(const char *spec, struct bpfdev_trace_sec *ts)
{
	const char *colon = strrchr(spec, ':');
	const char *sym, *plus;
	int err;

	if (!colon || colon == spec || !colon[1])
		return -EINVAL;
	err = sec_copy(ts->target, sizeof(ts->target), spec, colon - spec);
	if (err)
		return err;
	sym = colon + 1;
	if (isdigit((unsigned char)*sym))
		return sec_number(sym, &ts->offset);
	plus = strchr(sym, '+');
	if (plus == sym)
		return -EINVAL;
	err = sec_copy(ts->name, sizeof(ts->name), sym, plus ? plus - sym : -1);
	if (err)
		return err;
	if (!plus)
		return 0;
	if (ts->retprobe)
		return -EINVAL;
	return sec_number(plus + 1, &ts->offset);
}

/* CAT/NAME */
static int sec_tracepoint(const char *spec, struct bpfdev_trace_sec *ts)
{
	const char *slash = strchr(spec, '/');
	int err;

	if (!slash || slash == spec || !slash[1] || strchr(slash + 1, '/'))
		return -EINVAL;
	err = sec_copy(ts->target, sizeof(ts->target), spec, slash - spec);
	return err ?: sec_copy(ts->name, sizeof(ts->name), slash + 1, -1);
}

/* NAME */
static int sec_raw_tp(const char *spec, struct bpfdev_trace_sec *ts)
{
	if (!*spec || strchr(spec, '/'))
		return -EINVAL;
	return sec_copy(ts->target, sizeof(ts->target), spec, -1);
}

static const struct {
	const char		*prefix;
	enum bpfdev_trace_kind	kind;
	bool			retprobe;
	int			(*parse)(const char *spec, struct bpfdev_trace_sec *ts);
} sec_kinds[] = {
	{ "kprobe",		BPFDEV_TRACE_KPROBE,	 false,	sec_kprobe },
	{ "kretprobe",		BPFDEV_TRACE_KPROBE,	 true,	sec_kprobe },
	{ "uprobe",		BPFDEV_TRACE_UPROBE,	 false,	sec_uprobe },
	{ "uretprobe",		BPFDEV_TRACE_UPROBE,	 true,	sec_uprobe },
	{ "tracepoint",		BPFDEV_TRACE_TRACEPOINT, false,	sec_tracepoint },
	{ "tp",			BPFDEV_TRACE_TRACEPOINT, false,	sec_tracepoint },
	{ "raw_tracepoint",	BPFDEV_TRACE_RAW_TP,	 false,	sec_raw_tp },
	{ "raw_tp",		BPFDEV_TRACE_RAW_TP,	 false,	sec_raw_tp },
	{ "perf_event",		BPFDEV_TRACE_PERF,	 false,	NULL },
};

int bpfdev_trace_sec_parse(const char *sec, struct bpfdev_trace_sec *ts)
{
	size_t i, n;

	memset(ts, 0, sizeof(*ts));
	if (!sec)
		return -EINVAL;
	for (i = 0; i < sizeof(sec_kinds) / sizeof(sec_kinds[0]); i++) {
		n = strlen(sec_kinds[i].prefix);
		/*
		 * The prefix alone, or followed by '/'.  Other suffixes
		 * (kprobe.multi, uprobe.s, raw_tp.w) are libbpf's kinds the
		 * module has no attach for: not this section.
		 */
		if (strncmp(sec, sec_kinds[i].prefix, n) || (sec[n] && sec[n] != '/'))
			continue;
		ts->kind = sec_kinds[i].kind;
		ts->retprobe = sec_kinds[i].retprobe;
		if (!sec_kinds[i].parse)
			return sec[n] ? -EINVAL : 0;
		/* SEC("kprobe") names no target: the caller attaches by hand. */
		if (!sec[n] || !sec[n + 1])
			return -EINVAL;
		return sec_kinds[i].parse(sec + n + 1, ts);
	}
	return -EOPNOTSUPP;
}

/* ---- attach by section ------------------------------------------------------ */

/* Whether path is a regular file we may read. */
static bool file_ok(const char *path)
{
	return !access(path, R_OK);
}

/*
 * libbpf's rule for a uprobe path without a slash: a shared library
 * ("NAME.so...") is looked for in $LD_LIBRARY_PATH and the library
 * directories, anything else in $PATH.
 */
static int resolve_path(const char *file, char *out, size_t size)
{
	static const char lib_dirs[] =
		"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib";
	const char *dirs[2], *d, *end;
	char buf[PATH_MAX];
	int i, n;

	if (strchr(file, '/'))
		return sec_copy(out, size, file, -1);
	if (strstr(file, ".so")) {
		dirs[0] = getenv("LD_LIBRARY_PATH");
		dirs[1] = lib_dirs;
	} else {
		dirs[0] = getenv("PATH");
		dirs[1] = NULL;
	}
	for (i = 0; i < 2; i++) {
		for (d = dirs[i]; d && *d; d = *end ? end + 1 : end) {
			end = strchrnul(d, ':');
			n = snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - d), d, file);
			if (n > 0 && (size_t)n < sizeof(buf) && end > d && file_ok(buf))
				return sec_copy(out, size, buf, -1);
		}
	}
	return -ENOENT;
}

static int attach_uprobe(struct bpfdev_program *prog, int fd, const struct bpfdev_trace_sec *ts,
			 const struct bpfdev_program_attach_opts *opts)
{
	const char *name = bpf_program__name(prog->prog);
	char path[PATH_MAX];
	long long off;
	int pid = OPTS_GET(opts, uprobe_pid, 0);
	int err;

	err = resolve_path(ts->target, path, sizeof(path));
	if (err) {
		pr_warn("prog '%s': uprobe: no file '%s' found\n", name, ts->target);
		return err;
	}
	off = ts->offset;
	if (*ts->name) {
		off = bpfdev_elf_symbol_offset(path, ts->name);
		if (off < 0) {
			pr_warn("prog '%s': uprobe: no function '%s' in %s: %s\n", name,
				ts->name, path, strerror((int)-off));
			return (int)off;
		}
		off += ts->offset;
	}
	return bpfdev_uprobe_attach(fd, path, off, pid > 0 ? pid : -1, ts->retprobe);
}

static int attach_perf(struct bpfdev_program *prog, int fd,
		       const struct bpfdev_program_attach_opts *opts)
{
	__u64 freq = OPTS_GET(opts, perf_freq, 0), period = OPTS_GET(opts, perf_period, 0);
	__u32 type = OPTS_GET(opts, perf_type, PERF_TYPE_SOFTWARE);
	__u32 config = OPTS_GET(opts, perf_config, PERF_COUNT_SW_CPU_CLOCK);
	int cpu = OPTS_GET(opts, perf_one_cpu, false) ? (int)OPTS_GET(opts, perf_cpu, 0) : -1;

	if (!freq == !period) {
		pr_warn("prog '%s': perf_event needs a frequency or a period (opts perf_freq or perf_period)\n",
			bpf_program__name(prog->prog));
		return -EINVAL;
	}
	return bpfdev_perf_attach(fd, type, config, freq ?: period, !!freq, cpu);
}

int bpfdev_program_attach_opts(struct bpfdev_program *prog,
			       const struct bpfdev_program_attach_opts *opts)
{
	struct bpfdev_trace_sec *ts;
	const char *name, *sec;
	int fd, ret;

	if (!prog || !OPTS_VALID(opts, bpfdev_program_attach_opts))
		return bpfdev_err(-EINVAL);
	name = bpf_program__name(prog->prog);
	sec = bpf_program__section_name(prog->prog);
	fd = bpf_program__fd(prog->prog);
	if (fd < 0) {
		pr_warn("prog '%s': not loaded: nothing to attach\n", name);
		return bpfdev_err(-EINVAL);
	}
	/* PATH_MAX of target: not on the stack of a caller's thread. */
	ts = malloc(sizeof(*ts));
	if (!ts)
		return bpfdev_err(-ENOMEM);
	ret = bpfdev_trace_sec_parse(sec, ts);
	if (ret) {
		if (ret == -EOPNOTSUPP)
			pr_warn("prog '%s': section '%s' is not one bpfdev attaches by name\n",
				name, sec);
		else
			pr_warn("prog '%s': section '%s' names no target to attach (%s)\n",
				name, sec, strerror(-ret));
		goto out;
	}
	switch (ts->kind) {
	case BPFDEV_TRACE_KPROBE:
		ret = bpfdev_kprobe_attach(fd, ts->target, ts->offset, ts->retprobe);
		break;
	case BPFDEV_TRACE_UPROBE:
		ret = attach_uprobe(prog, fd, ts, opts);
		break;
	case BPFDEV_TRACE_TRACEPOINT:
		ret = bpfdev_tracepoint_attach(fd, ts->target, ts->name);
		break;
	case BPFDEV_TRACE_RAW_TP:
		ret = bpfdev_raw_tracepoint_open(fd, ts->target);
		break;
	case BPFDEV_TRACE_PERF:
		ret = attach_perf(prog, fd, opts);
		break;
	}
	if (ret < 0)
		pr_warn("prog '%s': attach as '%s': %s\n", name, sec, strerror(-ret));
out:
	free(ts);
	return bpfdev_err(ret);
}

int bpfdev_program_attach(struct bpfdev_program *prog)
{
	return bpfdev_program_attach_opts(prog, NULL);
}
