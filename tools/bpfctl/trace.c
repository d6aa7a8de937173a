// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl's tracing: `prog attach PROG kprobe FUNC ...` and the other kinds,
 * `prog loadall ... autoattach` (each program by its section name), and
 * `prog tracelog`.
 *
 * A tracing link lives as long as its fd: the module's pin registry holds
 * programs and maps, not links, so the attaching command stays in the
 * foreground, as bpftrace does, and closing the fds on ^C, SIGTERM or the
 * timeout detaches.  Its line on the standard error says when the
 * programs run (scripts wait for "attached"); on the way out it prints
 * what each program's info counted.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bpfctl.h"

#define TRACE_PIPE	"/sys/kernel/debug/bpfdev/trace_pipe"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* SIGINT and SIGTERM end the wait; a blocked read() returns EINTR. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct trace_link {
	int		fd;		/* the link: closing it detaches */
	int		prog_fd;
	const char	*kind;
	char		target[512];
};

/* Sleeps until a signal or timeout seconds (0: no timeout). */
static void wait_attached(unsigned long timeout)
{
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		usleep(100 * 1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout && (unsigned long)(now.tv_sec - t0.tv_sec) >= timeout)
			break;
	}
}

/* What each program ran while attached, as its info counts it. */
static void print_links(struct trace_link *links, int n)
{
	struct bpf_prog_info info;
	__u32 len;
	int i;

	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		bpfdev_prog_get_info_by_fd(links[i].prog_fd, &info, &len);
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "prog_id", info.id);
			if (*info.name)
				jsonw_string_field(json_wtr, "name", info.name);
			jsonw_string_field(json_wtr, "attach_type", links[i].kind);
			jsonw_string_field(json_wtr, "target", links[i].target);
			jsonw_uint_field(json_wtr, "run_cnt", info.run_cnt);
			jsonw_uint_field(json_wtr, "run_time_ns", info.run_time_ns);
			jsonw_uint_field(json_wtr, "recursion_misses", info.recursion_misses);
			jsonw_end_object(json_wtr);
		} else {
			printf("%u: %s %s  name %s  run_cnt %llu  run_time_ns %llu  recursion_misses %llu\n",
			       info.id, links[i].kind, links[i].target, *info.name ? info.name : "-",
			       (unsigned long long)info.run_cnt,
			       (unsigned long long)info.run_time_ns,
			       (unsigned long long)info.recursion_misses);
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
}

/* Attached: say so, wait, detach (close), then print the counts. */
static int hold_links(struct trace_link *links, int n, unsigned long timeout)
{
	int i;

	catch_signals();
	for (i = 0; i < n; i++)
		fprintf(stderr, "attached %s %s (link fd %d)\n", links[i].kind, links[i].target,
			links[i].fd);
	fprintf(stderr, "%s until %s\n", n > 1 ? "they run" : "it runs",
		timeout ? "the timeout or ^C" : "^C");
	wait_attached(timeout);
	for (i = 0; i < n; i++)
		close(links[i].fd);
	print_links(links, n);
	return 0;
}

/* "FUNC+OFF": the offset after '+' (cut from s), 0 without one. */
static int split_offset(char *s, __u64 *off)
{
	char *plus = strchr(s, '+'), *end;

	*off = 0;
	if (!plus)
		return 0;
	*plus = '\0';
	*off = strtoull(plus + 1, &end, 0);
	if (plus == s || !plus[1] || *end) {
		p_err("bad offset in '%s+%s'", s, plus + 1);
		return -1;
	}
	return 0;
}

/* PATH:SYM[+OFF] or PATH:OFFSET into a file offset. */
static int uprobe_offset(char *spec, char **path, __u64 *off)
{
	char *colon = strrchr(spec, ':'), *sym, *end;
	__u64 extra;
	long long o;

	if (!colon || colon == spec || !colon[1]) {
		p_err("expected PATH:SYMBOL, got '%s'", spec);
		return -1;
	}
	*colon = '\0';
	*path = spec;
	sym = colon + 1;
	if (*sym >= '0' && *sym <= '9') {
		*off = strtoull(sym, &end, 0);
		if (*end) {
			p_err("bad file offset '%s'", sym);
			return -1;
		}
		return 0;
	}
	if (split_offset(sym, &extra))
		return -1;
	o = bpfdev_elf_symbol_offset(*path, sym);
	if (o < 0) {
		p_err("no function '%s' in %s: %s", sym, *path, strerror((int)-o));
		return -1;
	}
	*off = o + extra;
	return 0;
}

struct perf_spec {
	unsigned long long	sample;
	bool			freq;
	int			cpu;		/* -1: every CPU */
};

/* perf { freq HZ | period N } [cpu N] */
static int parse_perf(int *argc, char ***argv, struct perf_spec *ps, char *target, size_t size)
{
	char *end;

	if (*argc < 2 || (!is_prefix(**argv, "freq") && !is_prefix(**argv, "period"))) {
		p_err("expected 'freq HZ' or 'period N' after 'perf'");
		return -1;
	}
	ps->freq = is_prefix(**argv, "freq");
	ps->sample = strtoull((*argv)[1], &end, 0);
	if (!ps->sample || *end) {
		p_err("bad %s '%s'", ps->freq ? "frequency" : "period", (*argv)[1]);
		return -1;
	}
	*argc -= 2;
	*argv += 2;
	ps->cpu = -1;
	if (*argc >= 2 && is_prefix(**argv, "cpu")) {
		ps->cpu = strtol((*argv)[1], &end, 0);
		if (ps->cpu < 0 || *end) {
			p_err("bad cpu '%s'", (*argv)[1]);
			return -1;
		}
		*argc -= 2;
		*argv += 2;
	}
	if (ps->cpu < 0)
		snprintf(target, size, "%s %llu", ps->freq ? "freq" : "period", ps->sample);
	else
		snprintf(target, size, "%s %llu cpu %d", ps->freq ? "freq" : "period", ps->sample,
			 ps->cpu);
	return 0;
}

static const char * const trace_kinds[] = {
	"kprobe", "kretprobe", "uprobe", "uretprobe", "tracepoint", "raw_tracepoint", "perf",
};

/* An error trace_attach() has printed already. */
#define REPORTED	(-4096)

/* The attach, once the arguments are read: a link fd, -errno or REPORTED. */
static int trace_attach(int fd, const char *kind, char *arg, const struct perf_spec *ps, int pid)
{
	bool ret = strstr(kind, "ret") != NULL;
	char *path, *sep;
	__u64 off;

	if (!strcmp(kind, "kprobe") || !strcmp(kind, "kretprobe")) {
		if (split_offset(arg, &off))
			return REPORTED;
		return bpfdev_kprobe_attach(fd, arg, off, ret);
	}
	if (!strcmp(kind, "uprobe") || !strcmp(kind, "uretprobe")) {
		if (uprobe_offset(arg, &path, &off))
			return REPORTED;
		return bpfdev_uprobe_attach(fd, path, off, pid, ret);
	}
	if (!strcmp(kind, "tracepoint")) {
		sep = strpbrk(arg, ":/");
		if (!sep || sep == arg || !sep[1]) {
			p_err("expected CATEGORY:NAME, got '%s'", arg);
			return REPORTED;
		}
		*sep = '\0';
		return bpfdev_tracepoint_attach(fd, arg, sep + 1);
	}
	if (!strcmp(kind, "raw_tracepoint"))
		return bpfdev_raw_tracepoint_open(fd, arg);
	return bpfdev_perf_attach(fd, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, ps->sample,
				  ps->freq, ps->cpu);
}

/*
 * prog attach PROG { kprobe FUNC[+OFF] | kretprobe FUNC | tracepoint CAT:NAME |
 * raw_tracepoint NAME | uprobe PATH:SYM[+OFF] | uretprobe PATH:SYM |
 * perf { freq HZ | period N } [cpu N] } [pid PID] [timeout SECS]
 */
int do_attach_trace(int fd, int argc, char **argv)
{
	struct trace_link l = { .fd = -1, .prog_fd = fd };
	struct perf_spec ps = { 0 };
	unsigned long timeout = 0;
	char *arg = NULL;
	int pid = -1, err = -1;
	unsigned int i;

	for (i = 0; i < sizeof(trace_kinds) / sizeof(trace_kinds[0]) && !l.kind; i++)
		if (!strcmp(*argv, trace_kinds[i]))
			l.kind = trace_kinds[i];
	if (!l.kind) {
		p_err("expected an attach type (capture, kprobe, kretprobe, uprobe, uretprobe, tracepoint, raw_tracepoint or perf), got: '%s'?",
		      *argv);
		return -1;
	}
	NEXT_ARG();
	if (!strcmp(l.kind, "perf")) {
		if (parse_perf(&argc, &argv, &ps, l.target, sizeof(l.target)))
			return -1;
	} else {
		if (!REQ_ARGS(1))
			return -1;
		snprintf(l.target, sizeof(l.target), "%s", *argv);
		arg = strdup(*argv);
		if (!arg)
			return -1;
		NEXT_ARG();
	}
	while (argc) {
		if (argc < 2) {
			p_err("'%s' needs an argument", *argv);
			goto out;
		}
		if (is_prefix(*argv, "timeout")) {
			timeout = strtoul(argv[1], NULL, 0);
		} else if (is_prefix(*argv, "pid") && strstr(l.kind, "uprobe")) {
			pid = atoi(argv[1]);
		} else {
			p_err("expected 'timeout'%s, got: '%s'?",
			      strstr(l.kind, "uprobe") ? " or 'pid'" : "", *argv);
			goto out;
		}
		NEXT_ARG();
		NEXT_ARG();
	}
	l.fd = trace_attach(fd, l.kind, arg, &ps, pid);
	if (l.fd < 0) {
		if (l.fd != REPORTED)
			p_err("can't attach %s %s: %s", l.kind, l.target, strerror(-l.fd));
		goto out;
	}
	err = hold_links(&l, 1, timeout);
out:
	free(arg);
	return err;
}

/* prog loadall ... autoattach [timeout SECS]: every program by its section. */
int trace_autoattach(struct bpfdev_object *obj, unsigned long timeout)
{
	struct bpfdev_program *prog;
	struct trace_link *links;
	int n = 0, i, err = -1;

	bpfdev_object__for_each_program(prog, obj)
		n++;
	links = calloc(n ?: 1, sizeof(*links));
	if (!links)
		return -1;
	n = 0;
	bpfdev_object__for_each_program(prog, obj) {
		struct trace_link *l = &links[n];

		l->prog_fd = bpfdev_program__fd(prog);
		l->kind = bpfdev_program__section_name(prog);
		snprintf(l->target, sizeof(l->target), "(%s)", bpfdev_program__name(prog));
		l->fd = bpfdev_program_attach(prog);
		if (l->fd < 0) {
			p_err("can't attach program '%s' as its section '%s' says: %s",
			      bpfdev_program__name(prog), l->kind, strerror(-l->fd));
			goto out;
		}
		n++;
	}
	err = hold_links(links, n, timeout);
	n = 0;
out:
	for (i = 0; i < n; i++)
		close(links[i].fd);
	free(links);
	return err;
}

static bool debugfs_mounted(void)
{
	struct statfs st;

	return !statfs("/sys/kernel/debug", &st) && st.f_type == DEBUGFS_MAGIC;
}

/*
 * prog tracelog: bpf_trace_printk()'s lines as the module's trace_pipe
 * gives them, until ^C, as bpftool's streams the kernel's.  debugfs is
 * mounted where it is not yet, as bpftool mounts tracefs.
 */
int do_tracelog(int argc, char **argv)
{
	char buf[4096], line[4096];
	size_t used = 0;
	ssize_t n;
	int fd;

	if (argc) {
		p_err("expected no arguments, got: '%s'?", *argv);
		return -1;
	}
	fd = open(TRACE_PIPE, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !debugfs_mounted() &&
	    !mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL))
		fd = open(TRACE_PIPE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		p_err("can't open %s: %s (is bpfdev loaded?)", TRACE_PIPE, strerror(errno));
		return -1;
	}
	catch_signals();
	if (json_output)
		jsonw_start_array(json_wtr);
	else
		fprintf(stderr, "reading %s until ^C\n", TRACE_PIPE);
	while (!stop) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		if (!json_output) {
			fwrite(buf, 1, n, stdout);
			fflush(stdout);
			continue;
		}
		/* JSON: one string a line, as bpftool. */
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && used < sizeof(line) - 1) {
				line[used++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;
			line[used] = '\0';
			jsonw_string(json_wtr, line);
			used = 0;
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	close(fd);
	return 0;
}
