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

/* One message at most, as the kernel's BPF_VERIFIER_TMP_LOG_SIZE. */
#define BPFDEV_LOG_LINE		1024

struct bpfdev_log;

/*
 * Where a log with a sink writes: n bytes of text at pos in the caller's
 * log, then a NUL after them.  The module copies straight to the user's
 * buffer, as the kernel's verifier log does, so a huge log_size costs no
 * kernel memory.  Non-zero: the log is lost (the load fails EFAULT).
 * Messages are gathered in buf and handed over a line's worth at a time
 * (a state print is dozens of messages of a few bytes each, and each
 * call is a copy to user memory): bpfdev_log_flush() hands over the rest.
 * text[n] is a NUL, so a sink may copy n + 1 bytes in one go.
 */
typedef int (*bpfdev_log_sink_fn)(struct bpfdev_log *log, u32 pos,
				  const char *text, u32 n);

struct bpfdev_log {
	u32	level;		/* BPFDEV_LOG_* bits, 0: log nothing */
	char	*buf;		/* the log (no sink), or a BPFDEV_LOG_LINE scratch line */
	u32	size;		/* bytes of the log, including the NUL */
	u32	len;		/* bytes written, excluding the NUL */
	u32	pending;	/* sink: the last bytes of len, still in buf */
	bool	nul_pending;	/* sink: a NUL is owed at len (after a reset) */
	bool	truncated;	/* something did not fit: the load fails ENOSPC */
	bool	faulted;	/* the sink failed */
	bpfdev_log_sink_fn sink;	/* NULL: the log is buf itself */
	void	*priv;		/* the sink's */
};

/* Appends to the log when its level is set; keeps the log NUL-terminated. */
__printf(2, 3) void bpfdev_log_write(struct bpfdev_log *log, const char *fmt, ...);
__printf(2, 0) void bpfdev_log_vwrite(struct bpfdev_log *log, const char *fmt,
				   va_list args);
/* Forgets what was written after pos (the kernel's bpf_vlog_reset()). */
void bpfdev_log_reset(struct bpfdev_log *log, u32 pos);
/* Hands what a sink's log still holds to the sink; the log is complete. */
void bpfdev_log_flush(struct bpfdev_log *log);

static inline bool bpfdev_log_enabled(const struct bpfdev_log *log)
{
	return log && log->level && log->buf && log->size;
}

#endif /* BPFDEV_CORE_LOG_H */
