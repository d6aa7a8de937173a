#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tracing's benchmark (issue 17), in the QEMU guest (TCG unless
# BPFDEV_KVM=1): builds the module and tools/bench/bench_trace.c, boots,
# and prints bench_trace's table: the cost per event of a kprobe program
# counting getppid() calls in a per-CPU array, bpfdev against the guest
# kernel's own BPF kprobe program and against nothing probed.
#   BENCH_CALLS   getppid() calls per setup and round (200000)
#   BENCH_ROUNDS  rounds (9)
#   BENCH_FUNC    the probed function (__x64_sys_getppid)

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s --no-print-directory module "$top/build/bench/bench_trace" >&2
exec selftests/vm/run --timeout "${BPFDEV_VM_TIMEOUT:-900}" \
	--include build/bench/bench_trace \
	-- "insmod /bpfdev/bpfdev.ko && bench_trace ${BENCH_CALLS:-200000} ${BENCH_ROUNDS:-9} ${BENCH_FUNC:-__x64_sys_getppid}"
