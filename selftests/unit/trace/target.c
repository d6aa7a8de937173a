// SPDX-License-Identifier: GPL-2.0
/*
 * A process for the symbol tests (selftests/unit/test_trace_syms.c),
 * built as a PIE and as a fixed-address executable: prints where its
 * functions are, then waits until its stdin closes, so the test can read
 * its /proc/PID/maps and memory while it lives.
 *
 * dup_fn is defined static here and in target_dup.c: two local symbols
 * of one name at two addresses, which a uprobe by name cannot choose.
 */
#include <stdio.h>
#include <unistd.h>

int target_dup(int x);

__attribute__((noinline, used)) static int dup_fn(int x)
{
	return x ^ 0x55;
}

__attribute__((noinline)) int trace_target_leaf(int x)
{
	/* Enough code that an address inside it is not its first byte. */
	return x * 3 + 1 + dup_fn(x);
}

__attribute__((noinline)) int trace_target_mid(int x)
{
	return trace_target_leaf(x + 1) + target_dup(x);
}

int main(int argc, char **argv)
{
	char c;

	printf("%p %p %d\n", (void *)trace_target_leaf, (void *)trace_target_mid,
	       trace_target_mid(argc));
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
