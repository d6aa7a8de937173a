// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm: the engine choice.  --interp runs the interpreter; --jit asks
 * prepare_engine() for a JIT image, and run_prepared() runs whichever the
 * code has.
 */
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "bpfvm.h"
#include "interp.h"
#include "jit.h"

int prepare_engine(struct bpfdev_code *code, bool jit)
{
	u32 flags = 0;
	int err;

	if (!jit)
		return 0;
	/* The conformance plugin's helper 5 ends the program when it returns 0. */
	if (code->env == bpfvm_env(true))
		flags |= BPFDEV_JIT_UNWIND(BPFVM_UNWIND_HELPER);
	if (getenv("BPFVM_JIT_BLIND"))
		flags |= BPFDEV_JIT_BLIND;
	err = bpfdev_jit_compile(code, flags);
	if (err) {
		fprintf(stderr, "bpfvm: JIT failed: %s (%s)\n", strerror(-err),
			bpfdev_jit_fallback_name(bpfdev_jit_fallback_reason(err)));
		return -1;
	}
	return 0;
}

uint64_t run_prepared(const struct bpfdev_code *code, uint64_t r1, uint64_t r2)
{
	if (code->jited)
		return code->jited(r1, r2);
	return bpfdev_interp_run_args(code, r1, r2);
}
