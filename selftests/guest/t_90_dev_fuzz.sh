# SPDX-License-Identifier: GPL-2.0
#
# The device fuzzer (selftests/fuzz/dev_fuzz.c), a smoke run: a while as
# a user without capabilities on a 0666 device, a while as root, then
# every object gone and the module unloads.  The harness fails the run on
# any kernel report.  Long runs: BPFDEV_FUZZ_SECONDS (each half), as
# `make fuzz-device` does on the debug kernel.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 7

# A fixed seed by default, so that `make test` is reproducible (threads
# still interleave as they will); long runs pass random ones.
secs=${BPFDEV_FUZZ_SECONDS:-15}
seed=${BPFDEV_FUZZ_SEED:-1}
mark=$(dmesg_mark)
objects=/sys/kernel/debug/bpfdev/objects
no_objects() { ! grep -qv ' 0$' "$objects"; }

check "reload bpfdev with devmode=0666" sh -c "rmmod bpfdev && insmod $BPFDEV_KO devmode=0666"
# A device with an egress hook (lo has none) for the fuzzer's key holder,
# bound to "any", to keep the netdev egress key held (dev_fuzz.c,
# hold_hook_keys()): its hooks are there whether it is up or not.
modprobe dummy 2>/dev/null
ip link add fz0 type dummy 2>/dev/null ||
	diag "no dummy device: the egress key is held only if another device is there"
check "fuzz ${secs}s without capabilities (seed $seed)" dev_fuzz -u -t "$secs" -s "$seed"
check "fuzz ${secs}s as root (seed $((seed + 1)))" dev_fuzz -t "$secs" -s $((seed + 1))
# Programs and maps are freed after an RCU grace period, from a
# workqueue: on a loaded host that took 4 s once (seeds 1796613188/9 on
# 6.1, the "maps 1" left after a 1 s wait that was once taken for a
# leak), so give it up to 30 s, and say how long it took.
wait_no_objects() {
	i=0
	while [ $i -le 30 ]; do
		if no_objects; then
			diag "live objects at 0 after ${i}s"
			return 0
		fi
		[ "$i" = 0 ] && diag "live at the end: $(grep -v ' 0$' "$objects" | tr '\n' ' ')"
		sleep 1
		i=$((i + 1))
	done
	return 1
}
ip link del fz0 2>/dev/null
check "no live objects left" wait_no_objects
[ -r "$objects" ] && cat "$objects" | sed 's/^/# /'
# The free's module reference goes just after its count: a moment later.
unload() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmmod bpfdev 2>/dev/null && return 0
		sleep 0.5
	done
	rmmod bpfdev
}
check "rmmod bpfdev" unload
check "insmod bpfdev again" insmod "$BPFDEV_KO"
check_not "kernel log clean" dmesg_bad_since "$mark"
finish
