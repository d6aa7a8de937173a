/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_trace_printk()'s formatter: one implementation for the module
 * (kmod/helpers.c) and for bpfvm, with 6.1's rules and output.
 */
#ifndef BPFDEV_CORE_PRINTK_FMT_H
#define BPFDEV_CORE_PRINTK_FMT_H

#include "platform.h"

#define BPFDEV_PRINTK_MAX_ARGS	3	/* the kernel's MAX_TRACE_PRINTK_VARARGS */
#define BPFDEV_PRINTK_LINE	1024	/* MAX_BPRINTF_BUF: the longest line */
#define BPFDEV_PRINTK_ARGS	512	/* MAX_BPRINTF_BIN_ARGS: room for arguments */

/* The caller's scratch: the line, and the arguments as the kernel lays them out. */
struct bpfdev_printk_buf {
	char line[BPFDEV_PRINTK_LINE];
	char args[BPFDEV_PRINTK_ARGS];
};

/*
 * What only the caller can do.  Any member may be NULL.
 *
 * read_str: copy the string at addr into dst, at most size bytes with its
 *	NUL, as strncpy_from_kernel_nofault() does (a longer string is cut,
 *	its last byte made NUL); return the bytes copied with the NUL, or a
 *	negative errno if any byte could not be read.  kind is 's' (%s), 'k'
 *	(%pks) or 'u' (%pus).  NULL: every string is unreadable (empty).
 * read: copy size bytes at addr (%pI4, %pI6): 0 or a negative errno.
 *	NULL: unreadable (the address prints as zeros).
 * ptr: print the pointer forms only a kernel knows how to (%p hashed,
 *	%pK, %px, %ps, %pS, %pB) into dst, snprintf-style: spec is a printf
 *	format for one pointer ("%-20pS", "%pB"); return the length the
 *	whole text needs.  NULL: plain hex, as a kernel booted with
 *	no_hash_pointers and without symbols prints.
 */
struct bpfdev_printk_ops {
	long (*read_str)(char *dst, u64 addr, u32 size, char kind);
	int (*read)(void *dst, u64 addr, u32 size);
	int (*ptr)(char *dst, u32 size, const char *spec, u64 addr);
};

/*
 * Formats fmt (fmt_size bytes that must hold its NUL) with args[0..2] into
 * buf->line as the kernel's bpf_trace_printk() does.  Returns the length
 * of the whole text, which the line holds cut to BPFDEV_PRINTK_LINE - 1
 * bytes and NUL-terminated (a %c of 0 ends the visible line early, as in
 * the kernel's trace event), or the kernel's errno for a format it
 * refuses: -EINVAL for a bad format or more than three conversions,
 * -ENOSPC when the arguments do not fit in BPFDEV_PRINTK_ARGS bytes.
 * Touches no memory but buf: all reads go through ops.
 */
int bpfdev_printk_format(struct bpfdev_printk_buf *buf, const char *fmt,
			 u32 fmt_size, const u64 *args,
			 const struct bpfdev_printk_ops *ops);

#endif /* BPFDEV_CORE_PRINTK_FMT_H */
