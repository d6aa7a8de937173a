// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer entry for the verifier's soundness oracle (verifier_gen.h):
 *   build/fuzz/verifier_fuzz -max_total_time=1800 corpus/
 * aborts with the program on the first accepted program that faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include "../common/verifier_gen.h"

static void vg_report(void)
{
	fprintf(stderr, "verifier_fuzz: %llu programs generated, %llu accepted (root), %llu accepted (unpriv), %llu run, %llu faults\n",
		(unsigned long long)vg_stats.generated, (unsigned long long)vg_stats.accepted,
		(unsigned long long)vg_stats.accepted_unpriv, (unsigned long long)vg_stats.run,
		(unsigned long long)vg_stats.faults);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	char why[512] = "";

	if (!registered) {
		atexit(vg_report);
		registered = true;
	}
	if (vg_one(data, size, why, sizeof(why))) {
		fprintf(stderr, "verifier bug: an accepted program faulted: %s\n", why);
		vg_report();
		abort();
	}
	if (vg_stats.generated % 100000 == 0)
		vg_report();
	return 0;
}
