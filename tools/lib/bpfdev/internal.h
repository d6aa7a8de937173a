/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libbpfdev internals: opts checks, errors, messages. */
#ifndef LIBBPFDEV_INTERNAL_H
#define LIBBPFDEV_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include "libbpfdev.h"

#define ptr_to_u64(p)	((__u64)(uintptr_t)(p))

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) \
	(offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/* libbpf's rule: an opts struct is valid if the bytes we do not know are zero. */
bool bpfdev_opts_valid(const void *opts, size_t opts_sz, size_t known_sz,
		       const char *type_name);

#define OPTS_VALID(opts, type)						\
	(!(opts) || bpfdev_opts_valid((opts), (opts)->sz,		\
				      sizeof(struct type), #type))
#define OPTS_HAS(opts, field)						\
	((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))
#define OPTS_GET(opts, field, fallback)					\
	(OPTS_HAS(opts, field) ? (opts)->field : (fallback))
#define OPTS_SET(opts, field, value)					\
	do {								\
		if (OPTS_HAS(opts, field))				\
			(opts)->field = (value);			\
	} while (0)

/* Returns err (< 0) with errno = -err, or err itself when >= 0. */
static inline int bpfdev_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

static inline void *bpfdev_err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

void bpfdev_pr(enum bpfdev_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bpfdev_vpr(enum bpfdev_print_level level, const char *fmt, va_list ap);

#define pr_warn(fmt, ...)	bpfdev_pr(BPFDEV_WARN, "libbpfdev: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	bpfdev_pr(BPFDEV_INFO, "libbpfdev: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	bpfdev_pr(BPFDEV_DEBUG, "libbpfdev: " fmt, ##__VA_ARGS__)

/* redirect.c: bpf(2) as the shim and libbpf-linked tools send it. */
int bpfdev_redirect_bpf(int cmd, union bpf_attr *attr, unsigned int size);
bool bpfdev_path_on_bpffs(const char *path);
bool bpfdev_pin_path(const char *path, char *name, size_t size);

#endif /* LIBBPFDEV_INTERNAL_H */
