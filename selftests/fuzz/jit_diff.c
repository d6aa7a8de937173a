// SPDX-License-Identifier: GPL-2.0
/*
 * jit_diff: differential fuzzer of the JIT against the interpreter (see
 * selftests/common/jit_diff.h for what the programs are and which run).
 *
 *   jit_diff [-c] [-n PROGRAMS] [-s FIRST_SEED] [-l BODY_LEN] [-t SECONDS]
 *
 * -c filters with the checked interpreter instead of the verifier.
 *
 * Seeds are consecutive from FIRST_SEED (default: the time), so every
 * difference it prints reproduces with -s SEED -n 1.  Exits 1 if any
 * program differed or failed to compile.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../common/jit_diff.h"

int main(int argc, char **argv)
{
	u64 n = 100000, seed = (u64)time(NULL), i, secs = 0, start = (u64)time(NULL);
	struct jd_stats st = { 0 };
	static struct bpfdev_env env;
	u32 len = 60;
	int opt, bad = 0;

	while ((opt = getopt(argc, argv, "cn:s:l:t:")) != -1) {
		switch (opt) {
		case 'c':
			jd_no_verifier = true;
			break;
		case 'n':
			n = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'l':
			len = (u32)strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: jit_diff [-c] [-n PROGRAMS] [-s SEED] [-l LEN] [-t SECONDS]\n");
			return 2;
		}
	}
	printf("# seeds %llu.., body %u insns, filter: %s\n", (unsigned long long)seed,
	       len, JD_VERIFIER ? "verifier" : "checked interpreter");
	for (i = 0; i < n; i++) {
		bad |= jd_one(seed + i, len, &env, &st, stdout);
		if (secs && !(i & 1023) && (u64)time(NULL) - start >= secs)
			break;
	}
	printf("# %llu programs: %llu compared, %llu rejected, %llu JIT failures, %llu differ\n",
	       (unsigned long long)st.generated, (unsigned long long)st.ran,
	       (unsigned long long)st.rejected, (unsigned long long)st.jit_failed,
	       (unsigned long long)st.differ);
	return bad;
}
