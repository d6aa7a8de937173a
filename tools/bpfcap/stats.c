// SPDX-License-Identifier: GPL-2.0
/*
 * Counters and what reports them: tcpdump's three statistics lines at
 * exit, its one-line form on SIGUSR1, and (writing to a file with a
 * terminal on stderr) a status line refreshed in place.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpfcap.h"

struct bpfcap_stats bpfcap_stats;
volatile sig_atomic_t bpfcap_stop;
volatile sig_atomic_t bpfcap_info;

static void on_stop(int sig)
{
	bpfcap_stop = sig;
}

static void on_info(int sig)
{
	bpfcap_info = 1;
}

void bpfcap_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	/* No SA_RESTART: poll() must return to let the loop see the flag. */
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A status request must not break a savefile read (-r from a pipe). */
	sa.sa_handler = on_info;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* At exit: three lines, as tcpdump's info(1). */
void bpfcap_stats_print(FILE *f)
{
	const struct bpfcap_stats *s = &bpfcap_stats;

	fprintf(f, "%llu packet%s captured\n",
		(unsigned long long)s->captured, plural(s->captured));
	fprintf(f, "%llu packet%s received by filter\n",
		(unsigned long long)s->received, plural(s->received));
	fprintf(f, "%llu packet%s dropped by kernel\n",
		(unsigned long long)s->dropped, plural(s->dropped));
}

static void stats_print_one_line(void)
{
	const struct bpfcap_stats *s = &bpfcap_stats;

	fprintf(stderr, "%s: %llu packet%s captured, %llu packet%s received by filter, %llu packet%s dropped by kernel\n",
		bpfcap_prog,
		(unsigned long long)s->captured, plural(s->captured),
		(unsigned long long)s->received, plural(s->received),
		(unsigned long long)s->dropped, plural(s->dropped));
}

static struct {
	struct timespec	last;
	uint64_t	last_captured;
	bool		shown;
	int		tty;		/* -1: not yet known */
} status = { .tty = -1 };

static double elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * Called from the capture loop.  SIGUSR1 prints tcpdump's one-line
 * status; while writing a file with a terminal on stderr, a live line is
 * redrawn twice a second.
 */
void bpfcap_status_tick(bool writing, bool force)
{
	const struct bpfcap_stats *s = &bpfcap_stats;
	struct timespec now;
	double dt;

	if (bpfcap_info) {
		bpfcap_info = 0;
		if (status.shown)
			fputs("\r\033[K", stderr);
		stats_print_one_line();
	}
	if (!writing)
		return;
	if (status.tty < 0) {
		const char *term = getenv("TERM");

		/* Redrawn in place: only a terminal that knows escapes. */
		status.tty = isatty(STDERR_FILENO) && term && strcmp(term, "dumb");
	}
	if (!status.tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!status.last.tv_sec) {
		status.last = now;
		return;
	}
	dt = elapsed(&status.last, &now);
	if (dt < 0.5 && !force)
		return;
	fprintf(stderr, "\r\033[K%llu packets, %llu bytes, %llu dropped, %.0f pkt/s",
		(unsigned long long)s->captured, (unsigned long long)s->bytes,
		(unsigned long long)s->dropped,
		dt > 0 ? (s->captured - status.last_captured) / dt : 0.0);
	fflush(stderr);
	status.shown = true;
	status.last = now;
	status.last_captured = s->captured;
}

/* Leave the status line so the exit lines start on a fresh one. */
void bpfcap_status_done(void)
{
	if (status.shown)
		fputs("\n", stderr);
	status.shown = false;
}
