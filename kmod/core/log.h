/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verifier log: text the caller asked for, written as the kernel's
 * verifier writes it.  The engine prints into a bounded buffer; the host
 * copies it out (copy_to_user in the module, plain memory in userspace).
 */
#ifndef BPFDEV_CORE_LOG_H
#define BPFDEV_CORE_LOG_H

#include "platform.h"

#define BPFDEV_LOG_LEVEL1	1	/* BPF_LOG_LEVEL1 */
#define BPFDEV_LOG_LEVEL2	2	/* BPF_LOG_LEVEL2 */
#define BPFDEV_LOG_STATS	4	/* BPF_LOG_STATS */
#define BPFDEV_LOG_MASK		7

struct bpfdev_log {
	u32	level;		/* BPFDEV_LOG_* bits, 0: log nothing */
	char	*buf;		/* NUL-terminated text */
	u32	size;		/* bytes at buf, including the NUL */
	u32	len;		/* bytes written, excluding the NUL */
	bool	truncated;	/* something did not fit: the load fails ENOSPC */
};

/* Appends to the log when its level is set; keeps buf NUL-terminated. */
__printf(2, 3) void bpfdev_log_write(struct bpfdev_log *log, const char *fmt, ...);
__printf(2, 0) void bpfdev_log_vwrite(struct bpfdev_log *log, const char *fmt,
				   va_list args);

static inline bool bpfdev_log_enabled(const struct bpfdev_log *log)
{
	return log && log->level && log->buf && log->size;
}

#endif /* BPFDEV_CORE_LOG_H */
