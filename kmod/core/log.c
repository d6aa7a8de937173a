// SPDX-License-Identifier: GPL-2.0
/* The verifier log buffer; see log.h. */

#include "log.h"

void bpfdev_log_flush(struct bpfdev_log *log)
{
	if (!bpfdev_log_enabled(log) || !log->sink || log->faulted ||
	    (!log->pending && !log->nul_pending))
		return;
	/* the NUL too: a sink may copy n + 1 bytes at once */
	log->buf[log->pending] = 0;
	if (log->sink(log, log->len - log->pending, log->buf, log->pending))
		log->faulted = true;
	log->pending = 0;
	log->nul_pending = false;
}

/*
 * As the 6.1 kernel's log: keep what fits, and a full log fails ENOSPC.
 * The message is printed after the ones pending in buf; one that does not
 * fit there is printed again once they are flushed.
 */
static __printf(2, 0) void bpfdev_log_vwrite_sink(struct bpfdev_log *log, const char *fmt,
						  va_list args)
{
	u32 room = log->size - log->len - 1;
	va_list again;
	int n;

	va_copy(again, args);
	n = vsnprintf(log->buf + log->pending, BPFDEV_LOG_LINE - log->pending, fmt, args);
	if (n >= 0 && log->pending && (u32)n >= BPFDEV_LOG_LINE - log->pending) {
		bpfdev_log_flush(log);
		if (log->faulted)
			n = -1;
		else
			n = vsnprintf(log->buf, BPFDEV_LOG_LINE, fmt, again);
	}
	va_end(again);
	if (n < 0)
		return;
	n = min_t(u32, n, BPFDEV_LOG_LINE - 1 - log->pending);
	if ((u32)n > room) {
		n = room;
		log->truncated = true;
	}
	log->pending += n;
	log->len += n;
	if (log->pending >= BPFDEV_LOG_LINE - 1)
		bpfdev_log_flush(log);
}

void bpfdev_log_vwrite(struct bpfdev_log *log, const char *fmt, va_list args)
{
	u32 room;
	int n;

	if (!bpfdev_log_enabled(log) || log->truncated || log->faulted)
		return;
	if (log->sink) {
		bpfdev_log_vwrite_sink(log, fmt, args);
		return;
	}
	room = log->size - log->len;
	n = vsnprintf(log->buf + log->len, room, fmt, args);
	if (n < 0)
		return;
	if ((u32)n >= room) {
		log->len = log->size - 1;
		log->truncated = true;
		return;
	}
	log->len += n;
}

void bpfdev_log_write(struct bpfdev_log *log, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	bpfdev_log_vwrite(log, fmt, args);
	va_end(args);
}

void bpfdev_log_reset(struct bpfdev_log *log, u32 pos)
{
	if (!bpfdev_log_enabled(log) || log->faulted || pos > log->len)
		return;
	/* whatever did not fit came after pos */
	log->truncated = false;
	if (!log->sink) {
		log->len = pos;
		log->buf[pos] = 0;
		return;
	}
	if (log->len - pos <= log->pending) {
		/* only pending bytes go: the NUL comes with the next flush */
		log->pending -= log->len - pos;
	} else {
		/* the user's log holds text past pos: cut it at the next flush */
		log->pending = 0;
		log->nul_pending = true;
	}
	log->len = pos;
}
