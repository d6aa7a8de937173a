#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Action programs' benchmark, in the QEMU guest (TCG unless BPFDEV_KVM=1):
# builds the module and the guest tools, boots, runs
# tools/bench/bench_action_guest.sh and prints its table.
#   BENCH_COUNT   frames per flood (50000)
#   BENCH_ROUNDS  rounds (9)
#   BENCH_BASE_KO another bpfdev.ko (a host path) measured in the same
#                 rounds, e.g. one built before a change
#   BENCH_PERF    N: also profile one flood per setup, N times (the
#                 host's perf through host-run), and give the hook's and
#                 the receive path's share of the sending thread's time,
#                 which the host's load moves far less than rates
#   BENCH_PERF_TOP N: with BENCH_PERF, also list each profiled setup's N
#                 busiest symbols over every CPU
#   BENCH_ICOUNT  S: run the guest with QEMU's -icount shift=S (TCG,
#                 one thread for both vCPUs): its clock advances 2^S ns
#                 for each instruction executed, so the rates count
#                 instructions per packet (each memory access one) and the
#                 host's load no longer moves them.  Not the cost on real
#                 hardware (no caches, no branch prediction), but the
#                 packet paths' lengths, compared without noise.  One
#                 vCPU: QEMU 7.2's icount guest hangs bringing up a second
#                 (the flood and its receive path run on CPU 0 anyway).

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
# one kernel for the module, the guest and its modules (make's targets
# are absolute paths)
export KVER=${KVER:-$(make -s --no-print-directory print-KVER)}
make -s --no-print-directory module tools "$top/build/guest/bin/acttool" >&2
# nf_tables -> libcrc32c -> crc32c: the initramfs ships no crc32c
# (libcrc32c asks for it by a softdep), so the bench brings its own.
crc=$(modinfo -k "$KVER" -n crc32c_generic)
mkdir -p build/bench
case $crc in
*.xz) xz -dc "$crc" >build/bench/crc32c_generic.ko ;;
*.zst) zstd -dcq "$crc" >build/bench/crc32c_generic.ko ;;
*) cp "$crc" build/bench/crc32c_generic.ko ;;
esac
# -icount is a QEMU option of its own, which selftests/vm/run has no way
# to pass: a wrapper first in PATH adds it.
if [ -n "${BENCH_ICOUNT:-}" ]; then
	q=$(command -v qemu-system-x86_64)
	mkdir -p build/bench/icount
	printf '#!/bin/sh\nexec %s -icount shift=%s,sleep=off "$@"\n' "$q" "$BENCH_ICOUNT" \
		>build/bench/icount/qemu-system-x86_64
	chmod +x build/bench/icount/qemu-system-x86_64
	PATH=$top/build/bench/icount:$PATH
	export BPFDEV_VM_CPUS=1
fi
base=()
[ -z "${BENCH_BASE_KO:-}" ] || base=(--include "$BENCH_BASE_KO:/bpfdev/base/bpfdev.ko"
	--env BENCH_BASE_KO=/bpfdev/base/bpfdev.ko)
# no_timer_check: on a loaded host, 6.1's boot-time check of the IO-APIC
# timer under TCG can miss its ticks and panic ("IO-APIC + timer doesn't
# work"); one boot carries the whole benchmark.
exec selftests/vm/run --timeout "${BPFDEV_VM_TIMEOUT:-1500}" --append no_timer_check \
	--include build/guest/bin/acttool \
	--include tools/bpfctl/bpfctl \
	--include build/examples/tc_pass.bpf.o \
	--include build/examples/tc_drop.bpf.o \
	--include tools/bench/bench_action_guest.sh \
	--include build/bench/crc32c_generic.ko \
	${base[@]+"${base[@]}"} \
	--env "BENCH_COUNT=${BENCH_COUNT:-50000}" \
	--env "BENCH_ROUNDS=${BENCH_ROUNDS:-9}" \
	--env "BENCH_PERF=${BENCH_PERF:-}" \
	--env "BENCH_PERF_TOP=${BENCH_PERF_TOP:-}" \
	-- 'insmod /bpfdev/bpfdev.ko && sh /bpfdev/bench_action_guest.sh'
