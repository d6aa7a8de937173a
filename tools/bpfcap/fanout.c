// SPDX-License-Identifier: GPL-2.0
/*
 * --fanout=N[,MODE]: N readers of one fanout group (BPFDEV_IOC_CAP_FANOUT),
 * one process each, so that N CPUs read one interface.  tcpdump has no
 * such option; AF_PACKET users get it from PACKET_FANOUT.
 *
 * Each reader is a child running the ordinary live capture with its own
 * socket, joined to a group named after the parent's pid.  With -w each
 * writes FILE followed by its number, padded as tcpdump pads -W's
 * (FILE0, FILE1, ...); without, the summaries of all readers go to the
 * one stdout, a line at a time.  -c counts over all readers (a shared
 * counter).  The parent forwards SIGINT/SIGTERM, stops every reader once
 * one ends, and prints the three statistics lines summed over them.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpfdev.h>

#include "bpfcap.h"

#define FANOUT_MAX_READERS	64

static int report_fd = -1;		/* a reader's end of the stats pipe */
static uint64_t *shared_count;		/* -c over all readers */

int bpfcap_fanout_parse(struct bpfcap_opts *o, const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || n < 1 || n > FANOUT_MAX_READERS)
		goto bad;
	o->fanout = n;
	o->fanout_mode = BPFDEV_FANOUT_HASH;
	if (!*end)
		return 0;
	if (*end != ',')
		goto bad;
	end++;
	if (!strcmp(end, "hash"))
		o->fanout_mode = BPFDEV_FANOUT_HASH;
	else if (!strcmp(end, "cpu"))
		o->fanout_mode = BPFDEV_FANOUT_CPU;
	else if (!strcmp(end, "rr"))
		o->fanout_mode = BPFDEV_FANOUT_RR;
	else
		goto bad;
	return 0;
bad:
	bpfcap_err("invalid --fanout %s (N[,hash|cpu|rr], N from 1 to %d)", arg,
		   FANOUT_MAX_READERS);
	return -1;
}

int bpfcap_fanout_join(int fd, const struct bpfcap_opts *o)
{
	struct bpfdev_cap_fanout j = { .id = o->fanout_id, .mode = o->fanout_mode };

	if (!ioctl(fd, BPFDEV_IOC_CAP_FANOUT, &j))
		return 0;
	bpfcap_err("can't join fanout group %u: %s", o->fanout_id, strerror(errno));
	return -1;
}

uint64_t bpfcap_fanout_take(void)
{
	return __atomic_add_fetch(shared_count, 1, __ATOMIC_RELAXED);
}

void bpfcap_fanout_report(void)
{
	if (write(report_fd, &bpfcap_stats, sizeof(bpfcap_stats)) != sizeof(bpfcap_stats))
		bpfcap_err("can't report the counters: %s", strerror(errno));
}

static int digits(long n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static pid_t start_reader(struct bpfcap_opts *o, int i, int pipe_w)
{
	pid_t pid = fork();
	char *name;

	if (pid)
		return pid;
	report_fd = pipe_w;
	o->fanout_index = i;
	if (o->wfile) {
		if (asprintf(&name, "%s%0*d", o->wfile, digits(o->fanout - 1), i) < 0)
			_exit(1);
		o->wfile = name;
	}
	/* Whole lines from each reader on the shared stdout. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	_exit(bpfcap_live(o));
}

static void stop_all(const pid_t *pids, int n, int sig)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], sig);
}

int bpfcap_fanout_run(struct bpfcap_opts *o)
{
	pid_t pids[FANOUT_MAX_READERS] = { 0 };
	struct bpfcap_stats sum = { 0 }, one;
	int pfd[2], i, status, left, ret = 0;
	bool stopping = false;

	if (o->wfile && !strcmp(o->wfile, "-")) {
		bpfcap_err("--fanout writes one file per reader: -w - is not possible");
		return 1;
	}
	shared_count = mmap(NULL, sizeof(*shared_count), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_count == MAP_FAILED || pipe(pfd)) {
		bpfcap_err("--fanout: %s", strerror(errno));
		return 1;
	}
	o->fanout_id = getpid();
	fflush(NULL);
	for (i = 0; i < o->fanout; i++) {
		pids[i] = start_reader(o, i, pfd[1]);
		if (pids[i] < 0) {
			bpfcap_err("fork: %s", strerror(errno));
			stop_all(pids, i, SIGTERM);
			ret = 1;
			break;
		}
	}
	close(pfd[1]);
	for (left = i; left > 0;) {
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno != EINTR)
				break;
			if (bpfcap_stop && !stopping) {
				stopping = true;
				stop_all(pids, o->fanout, SIGTERM);
			}
			continue;
		}
		for (i = 0; i < o->fanout; i++)
			if (pids[i] == pid)
				pids[i] = 0;
		left--;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ret = 1;
		/* One reader is done (-c, an error): so are the others. */
		if (!stopping) {
			stopping = true;
			stop_all(pids, o->fanout, SIGTERM);
		}
	}
	while (read(pfd[0], &one, sizeof(one)) == sizeof(one)) {
		sum.captured += one.captured;
		sum.bytes += one.bytes;
		sum.received += one.received;
		sum.dropped += one.dropped;
	}
	close(pfd[0]);
	bpfcap_stats = sum;
	if (bpfcap_stop)
		fputc('\n', stderr);
	bpfcap_stats_print(stderr);
	return ret;
}
