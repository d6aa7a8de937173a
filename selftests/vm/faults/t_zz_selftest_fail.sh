# SPDX-License-Identifier: GPL-2.0
# Fault for the harness selftest: a failing case, a short plan, exit 1,
# and a process left behind holding /dev/bpf open (the runner must end it,
# or its rmmod fails).
sleep 1000 </dev/bpf >/dev/null 2>&1 &
echo "1..3"
echo "ok 1 - selftest: a passing case"
echo "not ok 2 - selftest: deliberate failure"
exit 1
