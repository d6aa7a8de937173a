# SPDX-License-Identifier: GPL-2.0
# Fault for the harness selftest: a module that WARNs on load.
echo "1..1"
insmod /bpfdev/warn_test.ko
echo "ok 1 - selftest: warn_test.ko loaded"
