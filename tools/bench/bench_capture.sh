#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The capture path's benchmark, in the QEMU guest (TCG unless BPFDEV_KVM=1):
# builds the module and the guest tools, boots, runs
# tools/bench/bench_capture_guest.sh and prints its tables.
#   BENCH_COUNT      frames per zero-loss step (100000)
#   BENCH_OVH_COUNT  frames per overhead run (50000)
#   BENCH_ROUNDS     rounds of the overhead comparison (9)
#   BENCH_LADDER     zero-loss steps, total pps, 0 for full speed
#   BENCH_WAKE       captool's wakeup policy, COUNT,MS (4096,100)
#   BENCH_BASE_KO    another bpfdev.ko (a host path) whose rows are
#                    measured in the same rounds, e.g. one built before
#                    a change (the module is swapped in and out)
#   BENCH_PARTS      which tables: a (overheads), c (profiles), b
#                    (zero-loss rates); "a c b"
#   BENCH_PROF_ROUNDS rounds of (c), alternating modules (1)

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s --no-print-directory module build/guest/bin/captool "$top/build/bench/bench_fanout" >&2
base=()
[ -z "${BENCH_BASE_KO:-}" ] || base=(--include "$BENCH_BASE_KO:/bpfdev/base/bpfdev.ko"
	--env BENCH_BASE_KO=/bpfdev/base/bpfdev.ko)
# no_timer_check: on a loaded host, 6.1's boot-time check of the IO-APIC
# timer under TCG can miss its ticks and panic; one boot carries it all.
exec selftests/vm/run --timeout "${BPFDEV_VM_TIMEOUT:-1500}" --append no_timer_check \
	--include build/guest/bin/captool \
	--include build/bench/bench_fanout \
	--include tools/bench/bench_capture_guest.sh \
	${base[@]+"${base[@]}"} \
	--env "BENCH_COUNT=${BENCH_COUNT:-100000}" \
	--env "BENCH_OVH_COUNT=${BENCH_OVH_COUNT:-50000}" \
	--env "BENCH_ROUNDS=${BENCH_ROUNDS:-9}" \
	--env "BENCH_LADDER=${BENCH_LADDER:-20000 40000 60000 80000 100000 130000 160000 0}" \
	--env "BENCH_WAKE=${BENCH_WAKE:-4096,100}" \
	--env "BENCH_PARTS=${BENCH_PARTS:-a c b}" \
	--env "BENCH_PROF_ROUNDS=${BENCH_PROF_ROUNDS:-1}" \
	-- 'insmod /bpfdev/bpfdev.ko && sh /bpfdev/bench_capture_guest.sh'
