#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The capture path's benchmark, in the QEMU guest (TCG unless BPFDEV_KVM=1):
# builds the module and the guest tools, boots, runs
# tools/bench/bench_capture_guest.sh and prints its tables.
#   BENCH_COUNT      frames per zero-loss run (300000)
#   BENCH_OVH_COUNT  frames per overhead run (50000)
#   BENCH_ROUNDS     rounds of the overhead comparison (15)
#   BENCH_ROUNDS_A   rounds of the zero-loss comparison (5)
#   BENCH_WAKE       captool's wakeup policy, COUNT,MS (4096,100)

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s --no-print-directory module build/guest/bin/captool >&2
exec selftests/vm/run --timeout "${BPFDEV_VM_TIMEOUT:-900}" \
	--include build/guest/bin/captool \
	--include tools/bench/bench_capture_guest.sh \
	--env "BENCH_COUNT=${BENCH_COUNT:-300000}" \
	--env "BENCH_OVH_COUNT=${BENCH_OVH_COUNT:-50000}" \
	--env "BENCH_ROUNDS=${BENCH_ROUNDS:-15}" \
	--env "BENCH_ROUNDS_A=${BENCH_ROUNDS_A:-5}" \
	--env "BENCH_WAKE=${BENCH_WAKE:-4096,100}" \
	-- 'insmod /bpfdev/bpfdev.ko && sh /bpfdev/bench_capture_guest.sh'
