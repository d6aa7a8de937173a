# SPDX-License-Identifier: GPL-2.0
#
# Unit tests: the engine in userspace under ASan/UBSan, TAP on stdout.
#   selftests/unit/test_*.c  -> build/unit/test_*, appended to UNIT_TESTS
#   selftests/unit/*.sh (executable) -> appended to UNIT_SCRIPTS
# Each test is one .c file linked with libcore-san.a (and -lpcap -lelf
# -lz); helpers shared by tests go in selftests/unit/*.h, and in
# selftests/common/*.h when guest tests, fuzzers or benchmarks use them too
# (tap.h: TAP).
# A test needing more sets UNIT_LDLIBS_test_name.  No edit here per test.

UNIT_SRCS := $(sort $(wildcard selftests/unit/test_*.c))
UNIT_TESTS += $(patsubst selftests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))
UNIT_SCRIPTS += $(sort $(shell find selftests/unit -maxdepth 1 -name '*.sh' -perm -u+x 2>/dev/null))
UNIT_LDLIBS := -lpcap -lelf -lz

$(B)/unit/test_%: selftests/unit/test_%.c $(wildcard selftests/unit/*.h selftests/common/*.h) $(CORE_HDRS) $(LIBCORE_SAN)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(ENGINE_CFLAGS) -Iselftests/unit -Iselftests/common -o $@ $< $(LIBCORE_SAN) \
		$(UNIT_LDLIBS_$(notdir $@)) $(UNIT_LDLIBS)

# test_printk_bpfvm runs bpfvm, by its path in the tree (tools/bpfvm/build.mk
# is read after this file: its product is named here).
UNIT_LDLIBS_test_printk_bpfvm := -DBPFDEV_TOP='"$(TOP)"'
$(B)/unit/test_printk_bpfvm: tools/bpfvm/bpfvm

# Tracing in libbpfdev (trace.c, syms.c): test_trace_* link the sanitized
# library (named by path: tools/lib/bpfdev/build.mk is read after this
# file); test_trace_sec opens the tracing examples, test_trace_syms runs
# the fixture selftests/unit/trace/target.c built as a PIE and at fixed
# addresses (not sanitized: its bytes are compared with its file's).
TRACE_UNIT_TESTS := test_trace_sec test_trace_syms
$(foreach t,$(TRACE_UNIT_TESTS),$(eval UNIT_LDLIBS_$(t) = -Itools/lib/bpfdev \
	-DBPFDEV_TOP='"$(TOP)"' $(B)/libbpfdev-san.a -lbpf))
$(patsubst %,$(B)/unit/%,$(TRACE_UNIT_TESTS)): $(B)/libbpfdev-san.a \
	$(wildcard tools/lib/bpfdev/*.h)
TRACE_FIXTURE_SRCS := selftests/unit/trace/target.c selftests/unit/trace/target_dup.c
$(B)/unit/trace/target-pie: $(TRACE_FIXTURE_SRCS)
	@mkdir -p $(@D)
	$(CC) -O2 -fPIE -pie -o $@ $^
$(B)/unit/trace/target-nopie: $(TRACE_FIXTURE_SRCS)
	@mkdir -p $(@D)
	$(CC) -O2 -fno-pie -no-pie -o $@ $^
$(B)/unit/test_trace_syms: $(B)/unit/trace/target-pie $(B)/unit/trace/target-nopie
$(B)/unit/test_trace_sec: $(patsubst %,$(B)/examples/%.bpf.o,execsnoop opencount stackcount)
