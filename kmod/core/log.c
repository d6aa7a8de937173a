// SPDX-License-Identifier: GPL-2.0
/* The verifier log buffer; see log.h. */

#include "log.h"

void bpfdev_log_vwrite(struct bpfdev_log *log, const char *fmt, va_list args)
{
	u32 room;
	int n;

	if (!bpfdev_log_enabled(log) || log->truncated)
		return;
	room = log->size - log->len;
	n = vsnprintf(log->buf + log->len, room, fmt, args);
	if (n < 0)
		return;
	if ((u32)n >= room) {
		/* As the kernel's pre-6.4 log: keep what fit, fail with ENOSPC. */
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
