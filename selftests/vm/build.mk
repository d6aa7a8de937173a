# SPDX-License-Identifier: GPL-2.0
#
# The QEMU harness.  `make test` runs VM_SUITES after the unit suites;
# selftests/vm/guest-tests builds its payload with `make guest-build`
# (the module, GUEST_TESTS, GUEST_BINS, GUEST_FILES: see the top Makefile).

VM_SUITES := selftests/vm/guest-tests selftests/vm/harness-selftest

# A tiny out-of-tree module that WARNs on load, for the harness selftest.
WARN_TEST_KO := selftests/vm/warn_test/warn_test.ko

$(WARN_TEST_KO): selftests/vm/warn_test/warn_test.c selftests/vm/warn_test/Kbuild
	$(MAKE) -C $(KDIR) M=$(TOP)/selftests/vm/warn_test modules
