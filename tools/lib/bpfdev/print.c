// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The library's messages: warnings to stderr unless the caller says otherwise. */

#include <stdio.h>

#include "internal.h"

static int default_print(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	if (level > BPFDEV_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bpfdev_print_fn_t print_fn = default_print;

bpfdev_print_fn_t bpfdev_set_print(bpfdev_print_fn_t fn)
{
	bpfdev_print_fn_t old = print_fn;

	print_fn = fn;
	return old;
}

void bpfdev_vpr(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	int saved = errno;

	if (print_fn)
		print_fn(level, fmt, ap);
	errno = saved;
}

void bpfdev_pr(enum bpfdev_print_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bpfdev_vpr(level, fmt, ap);
	va_end(ap);
}
