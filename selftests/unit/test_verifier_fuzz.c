// SPDX-License-Identifier: GPL-2.0
/*
 * A smoke run of the verifier's soundness fuzzer (selftests/fuzz/
 * verifier_gen.h) for `make test`: a fixed set of pseudo-random inputs,
 * each program verified privileged and unprivileged and, when accepted,
 * run by the checked interpreter; any fault is a verifier bug.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"
#include "../common/verifier_gen.h"

#define SMOKE_INPUTS	30000

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u8 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 32;
}

int main(int argc, char **argv)
{
	u32 n = argc > 1 ? strtoul(argv[1], NULL, 0) : SMOKE_INPUTS, i, j, bugs = 0;
	static u8 buf[512];
	char why[512];

	static char logbuf[1 << 16];
	static struct bpfdev_log log = { .level = BPFDEV_LOG_STATS, .buf = logbuf, .size = sizeof(logbuf) };

	if (getenv("VG_REASONS"))
		vg_log = &log;
	tap_plan(5);
	for (i = 0; i < n; i++) {
		u32 size = 64 + rnd() % (sizeof(buf) - 64);

		for (j = 0; j < size; j++)
			buf[j] = rnd();
		why[0] = 0;
		if (vg_one(buf, size, why, sizeof(why))) {
			printf("# input %u: %s\n", i, why);
			if (++bugs > 3)
				break;
		}
	}
	printf("# %llu generated, %llu accepted (root), %llu accepted (unpriv), %llu run, %llu faults\n",
	       (unsigned long long)vg_stats.generated, (unsigned long long)vg_stats.accepted,
	       (unsigned long long)vg_stats.accepted_unpriv, (unsigned long long)vg_stats.run,
	       (unsigned long long)vg_stats.faults);
	ok(vg_stats.generated == n, "fuzz smoke: %u programs generated", n);
	ok(!bugs, "fuzz smoke: no accepted program faulted");
	ok(vg_stats.accepted > n / 20, "fuzz smoke: the generator gets programs accepted (%llu)",
	   (unsigned long long)vg_stats.accepted);
	ok(!vg_stats.precision_diffs, "fuzz smoke: precision tracking never accepts more");
	ok(vg_stats.accepted_unpriv > 0, "fuzz smoke: some accepted unprivileged (%llu)",
	   (unsigned long long)vg_stats.accepted_unpriv);
	return tap_done();
}
