# SPDX-License-Identifier: GPL-2.0
#
# Fuzzers: long-running, under ASan/UBSan, built by `make` and run by hand;
# `make test` runs a smoke subset of each as a unit test.  Each fuzzer adds
# its own block below.

# jit_diff: the JIT against the interpreter on random programs
# (smoke run: selftests/unit/test_jit_fuzz.c).
JIT_DIFF := $(B)/fuzz/jit_diff
TOOLS += $(JIT_DIFF)

# The verifier, once it exists, filters the programs (its symbols are weak
# in jit_diff.h: pull them out of the archive).
JD_COMMA := ,
JIT_DIFF_VERIFIER := $(if $(wildcard kmod/core/verifier.c),\
	-Wl$(JD_COMMA)-u$(JD_COMMA)bpfdev_verify \
	-Wl$(JD_COMMA)-u$(JD_COMMA)bpfdev_verifier_env_release)

$(JIT_DIFF): selftests/fuzz/jit_diff.c selftests/fuzz/jit_diff.h $(CORE_HDRS) $(LIBCORE_SAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $< $(JIT_DIFF_VERIFIER) $(LIBCORE_SAN)

# Programs in C for the verifier's tests (selftests/unit/progs/*.bpf.c),
# compiled with clang -O2 for test_verifier_progs.
VT_PROGS := $(patsubst selftests/unit/progs/%.bpf.c,$(B)/unit/progs/%.bpf.o,\
	$(wildcard selftests/unit/progs/*.bpf.c))

$(B)/unit/progs/%.bpf.o: selftests/unit/progs/%.bpf.c selftests/unit/progs/vt_bpf.h
	@mkdir -p $(@D)
	clang -O2 -g -target bpf -I/usr/include/$(shell $(CC) -dumpmachine) \
		-Iselftests/unit/progs -c -o $@ $<

$(B)/unit/test_verifier_progs: $(VT_PROGS)
