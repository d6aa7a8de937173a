# SPDX-License-Identifier: GPL-2.0
# Fault for the harness selftest: never finish.
echo "1..1"
while :; do sleep 1; done
