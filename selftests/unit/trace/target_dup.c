// SPDX-License-Identifier: GPL-2.0
/* The second static dup_fn of the symbol tests' fixture (see target.c). */

__attribute__((noinline, used)) static int dup_fn(int x)
{
	return x + 7;
}

int target_dup(int x)
{
	return dup_fn(x) * 2;
}
