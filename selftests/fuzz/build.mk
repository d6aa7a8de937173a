# SPDX-License-Identifier: GPL-2.0
#
# Fuzzers: long-running, under ASan/UBSan, built by `make` and run by hand;
# `make test` runs a smoke subset of each as a unit test.  Each fuzzer adds
# its own block below.

# jit_diff: the JIT against the interpreter on random programs
# (smoke run: selftests/unit/test_jit_fuzz.c).
JIT_DIFF := $(B)/fuzz/jit_diff
TOOLS += $(JIT_DIFF)

$(JIT_DIFF): selftests/fuzz/jit_diff.c selftests/fuzz/jit_diff.h $(CORE_HDRS) $(LIBCORE_SAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $< $(LIBCORE_SAN)
