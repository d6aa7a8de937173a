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

$(JIT_DIFF): selftests/fuzz/jit_diff.c selftests/common/jit_diff.h $(CORE_HDRS) $(LIBCORE_SAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(ENGINE_CFLAGS) -o $@ $< $(JIT_DIFF_VERIFIER) $(LIBCORE_SAN)

# Programs in C for the verifier's tests (selftests/unit/progs/*.bpf.c),
# compiled with clang -O2 for test_verifier_progs.
VT_PROGS := $(patsubst selftests/unit/progs/%.bpf.c,$(B)/unit/progs/%.bpf.o,\
	$(wildcard selftests/unit/progs/*.bpf.c))

$(B)/unit/progs/%.bpf.o: selftests/unit/progs/%.bpf.c selftests/unit/progs/vt_bpf.h
	@mkdir -p $(@D)
	clang -O2 -g -target bpf -I/usr/include/$(shell $(CC) -dumpmachine) \
		-Iselftests/unit/progs -c -o $@ $<

$(B)/unit/test_verifier_progs: $(VT_PROGS)

# verifier_fuzz: the verifier's soundness oracle under libFuzzer (every
# accepted program runs in the checked interpreter; a fault aborts).  The
# engine is compiled into it with clang so one sanitizer runtime serves all.
# Run: build/fuzz/verifier_fuzz -max_total_time=1800 -print_final_stats=1
# Smoke run in `make test`: selftests/unit/test_verifier_fuzz.c.
VERIFIER_FUZZ := $(B)/fuzz/verifier_fuzz
TOOLS += $(VERIFIER_FUZZ)

$(VERIFIER_FUZZ): selftests/fuzz/verifier_fuzz.c selftests/common/verifier_gen.h \
		selftests/common/test_verifier_host.h selftests/common/test_verifier_harness.h \
		$(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(COMMON_CFLAGS) $(ENGINE_CFLAGS) -DBPFDEV_SANITIZED -o $@ $< $(CORE_SRCS)

# The smoke test includes the generator from here.
$(B)/unit/test_verifier_fuzz: selftests/common/verifier_gen.h

# dev_fuzz: /dev/bpf fuzzed from outside, inside the guest: a static
# binary in build/guest/bin, which lands on the guest's PATH (smoke run:
# selftests/guest/t_90_dev_fuzz.sh; long runs: `make fuzz-device`).
DEV_FUZZ := $(B)/guest/bin/dev_fuzz
guest-build: $(DEV_FUZZ)

# map_diff: the map commands of /dev/bpf against the guest kernel's bpf(2),
# a guest binary like dev_fuzz (`map_diff -n 50000` in the guest).
MAP_DIFF := $(B)/guest/bin/map_diff
guest-build: $(MAP_DIFF)

$(MAP_DIFF): selftests/fuzz/map_diff.c uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	$(CC) -static -O2 $(COMMON_CFLAGS) -o $@ $<

# prog_diff: PROG_LOAD and PROG_TEST_RUN of random socket filters, /dev/bpf
# against the guest kernel's bpf(2), a guest binary like map_diff
# (`prog_diff -n 10000` in the guest; smoke run: t_17_parity_diff.sh).
PROG_DIFF := $(B)/guest/bin/prog_diff
guest-build: $(PROG_DIFF)

$(PROG_DIFF): selftests/fuzz/prog_diff.c uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	$(CC) -static -O2 $(COMMON_CFLAGS) -o $@ $<

$(DEV_FUZZ): selftests/fuzz/dev_fuzz.c uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	$(CC) -static -O2 $(COMMON_CFLAGS) -pthread -o $@ $<
