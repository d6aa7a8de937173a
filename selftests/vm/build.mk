# SPDX-License-Identifier: GPL-2.0
#
# The QEMU harness.  `make test` runs the guest suite once per kernel in
# KVERS (KVER_SUITES), then VM_SUITES; selftests/vm/guest-tests builds its
# payload with `make guest-build` (the module, GUEST_TESTS, GUEST_BINS,
# GUEST_FILES: see the top Makefile).

# The harness tests itself once, on KVER.
VM_SUITES := selftests/vm/harness-selftest

# A tiny out-of-tree module that WARNs on load, for the harness selftest;
# built per kernel as bpfdev.ko is (below), guest-tests ships KVER's.
WARN_TEST_KO = $(B)/kmod/$(KVER)/warn_test.ko

$(B)/kmod/%/warn_test.ko: selftests/vm/warn_test/warn_test.c selftests/vm/warn_test/Kbuild
	@mkdir -p $(B)/ksrc/$*/warn_test $(@D)
	@cp -u $^ $(B)/ksrc/$*/warn_test/
	$(MAKE) -C $(call module_kdir,$*) M=$(B)/ksrc/$*/warn_test modules
	@cp $(B)/ksrc/$*/warn_test/warn_test.ko $@

# ---- one module and one guest suite per kernel ------------------------------
# Each kernel's module is built from its own copy of the sources in
# build/ksrc/KVER (kbuild keeps its objects beside them, so the kernels
# never rebuild each other's) and kept as build/kmod/KVER/bpfdev.ko.  The
# suite is selftests/vm/on-kernel through a link named guest-tests@KVER,
# so the summary names the kernel of every line.
MODULE_SRCS = Kbuild kmod/Kbuild uapi/linux/bpfdev.h \
	$(filter-out %.mod.c,$(wildcard kmod/*.[ch] kmod/core/*.[ch]))
KVER_MODULES = $(foreach k,$(KVERS),$(B)/kmod/$(k)/bpfdev.ko)
KVER_SUITES = $(foreach k,$(KVERS),$(B)/suites/guest-tests@$(k))

# The tree a kernel's modules build against: KDIR_<KVER> where one is set
# (the debug kernel's lives in its cache, see debug_env), else that
# kernel's installed headers.
module_kdir = $(or $(KDIR_$(1)),/lib/modules/$(1)/build)

$(B)/kmod/%/bpfdev.ko: $(MODULE_SRCS)
	@mkdir -p $(B)/ksrc/$* $(@D)
	@cp --parents -u $(MODULE_SRCS) $(B)/ksrc/$*/
	$(MAKE) -C $(call module_kdir,$*) M=$(B)/ksrc/$* modules
	@cp $(B)/ksrc/$*/kmod/bpfdev.ko $@

$(B)/suites/guest-tests@%:
	@mkdir -p $(@D)
	@ln -sfn ../../selftests/vm/on-kernel $@

# ---- the debug kernel ----------------------------------------------------------
# make test-debug: the whole guest suite on a kernel built from Debian's
# linux-source-6.12 with KASAN, KFENCE, lockdep, kmemleak, UBSAN and the
# lockup detectors (selftests/vm/debug-kernel; cached in
# /var/cache/bpfdev, so only the first run builds it, about 40 minutes on
# two cores).  make fuzz-device: the device fuzzer for FUZZ_MINUTES on it
# (t_90_dev_fuzz, half without capabilities, half as root; guest-run adds
# the fuzzing time to its limit).  BPFDEV_FUZZ_SECONDS=N in the
# environment of test-debug fuzzes that long (each half) within the suite.
DEBUG_DEPS := linux-source-6.12 bc bison flex libssl-dev libelf-dev
FUZZ_MINUTES ?= 30

.PHONY: debug-kernel test-debug fuzz-device
debug-kernel:
	@$(MAKE) --no-print-directory DEPS="$(DEBUG_DEPS)" deps
	@selftests/vm/debug-kernel >/dev/null

# The suite's module, built by the per-kernel rule above against the
# debug tree; the guest boots its bzImage with its modules (veth, pktgen,
# ...).
define debug_env
dir=$$(selftests/vm/debug-kernel --print) && k=$$(cat $$dir/kver) && \
	$(MAKE) --no-print-directory KDIR_$$k=$$dir/build $(B)/kmod/$$k/bpfdev.ko && \
	export KVER=$$k BPFDEV_VM_KERNEL=$$dir/build/arch/x86/boot/bzImage \
		BPFDEV_VM_MODDIR=$$dir/root/lib/modules/$$k \
		BPFDEV_VM_MODULE=$(B)/kmod/$$k/bpfdev.ko BPFDEV_GUEST_BUILT=1
endef

# Per test, 1800 s: under TCG with KASAN and lockdep t_45_bpfcap had run
# 27 of its 32 cases when 900 s ran out (50 s on the stock kernels).
# 2 GiB guests: KASAN's shadow and quarantine take a good part of 1 GiB.
test-debug: debug-kernel tools guest-build
	+@$(debug_env) && BPFDEV_VM_TIMEOUT=$${BPFDEV_VM_TIMEOUT:-5400} \
		BPFDEV_VM_MEM=$${BPFDEV_VM_MEM:-2048} \
		BPFDEV_TEST_TIMEOUT=$${BPFDEV_TEST_TIMEOUT:-1800} \
		selftests/run-suites selftests/vm/guest-tests

fuzz-device: debug-kernel tools guest-build
	+@$(debug_env) && BPFDEV_GUEST_TESTS='t_90*' BPFDEV_VM_MEM=$${BPFDEV_VM_MEM:-2048} \
		BPFDEV_FUZZ_SECONDS=$$(( $(FUZZ_MINUTES) * 30 )) \
		BPFDEV_TEST_TIMEOUT=600 \
		BPFDEV_VM_TIMEOUT=$$(( $(FUZZ_MINUTES) * 60 + 900 )) \
		selftests/run-suites selftests/vm/guest-tests
