// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke run of the JIT differential fuzzer (selftests/common/jit_diff.h):
 * a fixed set of seeds, so a failure here reproduces with
 * `selftests/fuzz/jit_diff -s SEED -n 1`.
 */
#include "../common/jit_diff.h"
#include "tap.h"

#define SMOKE_PROGS	3000
#define SMOKE_LEN	40

int main(void)
{
	struct jd_stats st = { 0 };
	static struct bpfdev_env env;
	u64 seed;
	int bad = 0;

	tap_plan(2);
	for (seed = 1; seed <= SMOKE_PROGS; seed++)
		bad += jd_one(seed, SMOKE_LEN, &env, &st, stdout);
	tap_diag("%llu programs: %llu compared, %llu rejected (%s), %llu JIT failures, %llu differ",
		 (unsigned long long)st.generated, (unsigned long long)st.ran,
		 (unsigned long long)st.rejected,
		 JD_VERIFIER ? "verifier" : "checked interpreter",
		 (unsigned long long)st.jit_failed, (unsigned long long)st.differ);
	ok(!bad, "JIT, blinded JIT and interpreters agree on %d random programs", SMOKE_PROGS);
	ok(st.ran >= SMOKE_PROGS / 4, "at least a quarter of them ran (%llu)",
	   (unsigned long long)st.ran);
	return tap_done();
}
