// SPDX-License-Identifier: GPL-2.0
/* The verifier log buffer; see log.h. */

#include "log.h"

/* As the 6.1 kernel's log: keep what fits, and a full log fails ENOSPC. */
static __printf(2, 0) void bpfdev_log_vwrite_sink(struct bpfdev_log *log, const char *fmt,
				   va_list args)
{
	u32 room = log->size - log->len - 1;
	int n;

	n = vsnprintf(log->buf, BPFDEV_LOG_LINE, fmt, args);
	if (n < 0)
		return;
	n = min_t(u32, n, BPFDEV_LOG_LINE - 1);
	if ((u32)n > room) {
		n = room;
		log->truncated = true;
	}
	if (log->sink(log, log->len, log->buf, n)) {
		log->faulted = true;
		return;
	}
	log->len += n;
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
	log->len = pos;
	/* whatever did not fit came after pos */
	log->truncated = false;
	if (!log->sink)
		log->buf[pos] = 0;
	else if (log->sink(log, pos, "", 0))
		log->faulted = true;
}
