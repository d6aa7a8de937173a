/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny TAP helpers for unit tests (selftests/unit) and guest tests
 * (selftests/guest), header only:
 *
 *	int main(void)
 *	{
 *		tap_plan(2);
 *		ok(1 + 1 == 2, "addition");
 *		ok_eq(f(3), 9, "f(%d)", 3);
 *		return tap_done();
 *	}
 *
 * tap_done() returns the exit status: non-zero if any case failed or the
 * number of cases differs from the plan.  Pass tap_plan(0) to print the
 * plan at the end instead (tap_done() then prints it).
 */
#ifndef BPFDEV_TAP_H
#define BPFDEV_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static inline void tap_plan(int n)
{
	if (n > 0)
		printf("1..%d\n", n);
	tap_planned = n;
	fflush(stdout);
}

static inline void tap_vresult(int pass, const char *directive,
			       const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	printf("\n");
	fflush(stdout);
}

/* One case; returns cond so a caller can stop or add diagnostics. */
static inline int __attribute__((format(printf, 2, 3)))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(cond, NULL, fmt, ap);
	va_end(ap);
	return cond;
}

/* A diagnostic line; TAP consumers show it but do not count it. */
static inline void __attribute__((format(printf, 1, 2)))
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A case that could not run here; counts as run, not as failed. */
static inline void __attribute__((format(printf, 2, 3)))
tap_skip(const char *why, const char *fmt, ...)
{
	char directive[256];
	va_list ap;

	snprintf(directive, sizeof(directive), "SKIP %s", why);
	va_start(ap, fmt);
	tap_vresult(1, directive, fmt, ap);
	va_end(ap);
}

/* Equality of two integers; on failure says what each side was. */
#define ok_eq(got, want, ...) ({					\
	long long __g = (long long)(got), __w = (long long)(want);	\
	int __r = ok(__g == __w, __VA_ARGS__);				\
	if (!__r)							\
		tap_diag("  got %lld (%#llx), want %lld (%#llx)",	\
			 __g, (unsigned long long)__g,			\
			 __w, (unsigned long long)__w);			\
	__r;								\
})

/* Stop now: the rest of the cases cannot run (counts as a failure). */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
tap_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

/* Exit status for main(): 0 only if every planned case ran and passed. */
static inline int tap_done(void)
{
	if (tap_planned == 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned > 0 && tap_run != tap_planned)
		tap_diag("planned %d cases, ran %d", tap_planned, tap_run);
	fflush(stdout);
	if (tap_failed)
		return 1;
	return tap_planned > 0 && tap_run != tap_planned;
}

#endif /* BPFDEV_TAP_H */
