# SPDX-License-Identifier: GPL-2.0
# Fault for the harness selftest: crash the kernel.
echo "1..1"
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
echo "ok 1 - selftest: still alive after sysrq-c"
