#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Action programs' benchmark, in the QEMU guest (TCG unless BPFDEV_KVM=1):
# builds the module and the guest tools, boots, runs
# tools/bench/bench_action_guest.sh and prints its table.
#   BENCH_COUNT   frames per flood (50000)
#   BENCH_ROUNDS  rounds (9)

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s --no-print-directory module build/guest/bin/acttool >&2
exec selftests/vm/run --timeout "${BPFDEV_VM_TIMEOUT:-900}" \
	--include build/guest/bin/acttool \
	--include tools/bench/bench_action_guest.sh \
	--env "BENCH_COUNT=${BENCH_COUNT:-50000}" \
	--env "BENCH_ROUNDS=${BENCH_ROUNDS:-9}" \
	-- 'insmod /bpfdev/bpfdev.ko && sh /bpfdev/bench_action_guest.sh'
