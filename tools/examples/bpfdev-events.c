// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev-events: loads events.bpf.o, runs its program as the filter of a
 * capture socket on a device, and prints the events its ring buffer map
 * carries, one line each.
 *
 *	bpfdev-events [-i DEVICE] [-n COUNT] [-t SECONDS] [-R READYFILE] OBJ
 *
 * Stops after COUNT events, SECONDS, or ^C; the last line counts them.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libbpfdev.h"
#include "events.bpf.h"

static volatile sig_atomic_t stop;
static unsigned long seen, limit;

static void on_signal(int sig)
{
	stop = 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct pkt_event *e = data;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	if (size < sizeof(*e)) {
		fprintf(stderr, "bpfdev-events: short event (%zu bytes)\n", size);
		return -1;
	}
	inet_ntop(AF_INET, &e->saddr, src, sizeof(src));
	inet_ntop(AF_INET, &e->daddr, dst, sizeof(dst));
	printf("%llu proto %u %s:%u > %s:%u len %u\n", (unsigned long long)e->tstamp_ns,
	       e->proto, src, e->sport, dst, e->dport, e->len);
	fflush(stdout);
	seen++;
	return limit && seen >= limit ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bpfdev-events [-i DEVICE] [-n COUNT] [-t SECONDS] [-R READYFILE] OBJ\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = "any", *ready = NULL;
	struct bpfdev_capture *cap = NULL;
	struct bpfdev_ringbuf *rb = NULL;
	struct bpfdev_object *obj;
	struct bpfdev_program *prog;
	struct bpfdev_map *map;
	struct timespec t0, now;
	unsigned long secs = 0;
	int opt, err = 1, n;

	while ((opt = getopt(argc, argv, "i:n:t:R:")) != -1) {
		switch (opt) {
		case 'i': dev = optarg; break;
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
		fprintf(stderr, "bpfdev-events: can't load %s: %s\n", argv[optind],
			strerror(errno));
		goto out;
	}
	prog = bpfdev_object__next_program(obj, NULL);
	map = bpfdev_object__find_map_by_name(obj, "events");
	if (!prog || !map) {
		fprintf(stderr, "bpfdev-events: %s has no program or no map 'events'\n",
			argv[optind]);
		goto out;
	}
	rb = bpfdev_ringbuf__new(bpfdev_map__fd(map), on_event, NULL);
	if (!rb) {
		fprintf(stderr, "bpfdev-events: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	cap = bpfdev_capture__open(NULL);
	if (!cap || bpfdev_capture__set_filter_prog(cap, bpfdev_program__fd(prog)) ||
	    bpfdev_capture__bind(cap, dev)) {
		fprintf(stderr, "bpfdev-events: capture on %s: %s\n", dev, strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && (!limit || seen < limit)) {
		n = bpfdev_ringbuf__poll(rb, 100);
		if (n < 0 && errno != EINTR && !(limit && seen >= limit)) {
			fprintf(stderr, "bpfdev-events: poll: %s\n", strerror(errno));
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (secs && (unsigned long)(now.tv_sec - t0.tv_sec) >= secs)
			break;
	}
	printf("%lu events\n", seen);
	err = 0;
out:
	bpfdev_capture__close(cap);
	bpfdev_ringbuf__free(rb);
	bpfdev_object__close(obj);
	return err;
}
