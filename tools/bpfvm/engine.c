// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm: the engine choice.  --interp runs the interpreter; --jit asks
 * prepare_engine() for a JIT image, and run_prepared() runs whichever the
 * code has.
 */
#include <stdio.h>

#include "bpfvm.h"
#include "interp.h"

int prepare_engine(struct bpfdev_code *code, bool jit)
{
	if (!jit)
		return 0;
	fprintf(stderr, "bpfvm: JIT not available\n");
	return -1;
}

uint64_t run_prepared(const struct bpfdev_code *code, uint64_t r1, uint64_t r2)
{
	return bpfdev_interp_run_args(code, r1, r2);
}
