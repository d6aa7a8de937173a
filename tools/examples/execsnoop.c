// SPDX-License-Identifier: GPL-2.0
/*
 * execsnoop: loads execsnoop.bpf.o, attaches its program by its section
 * name (SEC("tracepoint/sched/sched_process_exec"), through
 * bpfdev_program_attach()) and prints each exec its ring buffer carries,
 * in bcc's execsnoop shape: a header line, then one line per event.
 *
 *	execsnoop [-n COUNT] [-t SECONDS] [-R READYFILE] OBJ
 *
 * Stops after COUNT events, SECONDS, or ^C; the link fd is closed on the
 * way out, which detaches the program.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "execsnoop.bpf.h"

static volatile sig_atomic_t stop;
static unsigned long seen, limit;

static void on_signal(int sig)
{
	stop = 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct exec_event *e = data;

	if (size < sizeof(*e)) {
		fprintf(stderr, "execsnoop: short event (%zu bytes)\n", size);
		return -1;
	}
	printf("%-7u %-7u %-16.*s %.*s\n", e->pid, e->ppid, EXEC_COMM_LEN, e->comm,
	       EXEC_FILENAME_LEN, e->filename);
	fflush(stdout);
	seen++;
	return limit && seen >= limit ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: execsnoop [-n COUNT] [-t SECONDS] [-R READYFILE] OBJ\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct bpfdev_ringbuf *rb = NULL;
	struct bpfdev_object *obj;
	struct bpfdev_program *prog;
	struct bpfdev_map *map;
	struct timespec t0, now;
	const char *ready = NULL;
	unsigned long secs = 0;
	int opt, err = 1, link = -1, n;

	while ((opt = getopt(argc, argv, "n:t:R:")) != -1) {
		switch (opt) {
		case 'n': limit = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtoul(optarg, NULL, 0); break;
		case 'R': ready = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	obj = bpfdev_object__open(argv[optind], NULL);
	if (!obj || bpfdev_object__load(obj)) {
		fprintf(stderr, "execsnoop: can't load %s: %s\n", argv[optind], strerror(errno));
		goto out;
	}
	prog = bpfdev_object__next_program(obj, NULL);
	map = bpfdev_object__find_map_by_name(obj, "events");
	if (!prog || !map) {
		fprintf(stderr, "execsnoop: %s has no program or no map 'events'\n", argv[optind]);
		goto out;
	}
	rb = bpfdev_ringbuf__new(bpfdev_map__fd(map), on_event, NULL);
	if (!rb) {
		fprintf(stderr, "execsnoop: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	link = bpfdev_program_attach(prog);
	if (link < 0) {
		fprintf(stderr, "execsnoop: attach %s: %s\n", bpfdev_program__section_name(prog),
			strerror(-link));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("%-7s %-7s %-16s %s\n", "PID", "PPID", "COMM", "FILENAME");
	fflush(stdout);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && (!limit || seen < limit)) {
		n = bpfdev_ringbuf__poll(rb, 100);
		if (n < 0 && errno != EINTR && !(limit && seen >= limit)) {
			fprintf(stderr, "execsnoop: poll: %s\n", strerror(errno));
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (secs && (unsigned long)(now.tv_sec - t0.tv_sec) >= secs)
			break;
	}
	fprintf(stderr, "%lu events\n", seen);
	err = 0;
out:
	if (link >= 0)
		close(link);
	bpfdev_ringbuf__free(rb);
	bpfdev_object__close(obj);
	return err;
}
