# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for guest shell tests (busybox sh): . "$BPFDEV_TEST_DIR/lib.sh"
#
#	plan 2
#	check "bpfdev is loaded" grep -q '^bpfdev ' /proc/modules
#	check_not "second insmod fails" insmod "$BPFDEV_KO"
#	finish

_tap_n=0
_tap_failed=0
_tap_plan=

plan() {
	_tap_plan=$1
	echo "1..$1"
}

# ok|not ok for a description and an exit status.
result() {
	_tap_n=$((_tap_n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $_tap_n - $1"
	else
		echo "not ok $_tap_n - $1"
		_tap_failed=1
	fi
}

# check DESCRIPTION CMD...: passes when CMD succeeds.
check() {
	_d=$1
	shift
	"$@"
	result "$_d" $?
}

# check_not DESCRIPTION CMD...: passes when CMD fails.
check_not() {
	_d=$1
	shift
	if "$@"; then result "$_d" 1; else result "$_d" 0; fi
}

# skip DESCRIPTION WHY: a case that cannot run on this kernel.
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

diag() {
	echo "# $*"
}

finish() {
	if [ -n "$_tap_plan" ] && [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan cases, ran $_tap_n"
		exit 1
	fi
	exit $_tap_failed
}

# The kernel log's line count, and what was logged since such a count.
dmesg_mark() {
	dmesg | wc -l
}

dmesg_since() {
	dmesg | tail -n +$(($1 + 1))
}

# Report lines since a mark (the harness's own list, selftests/vm/
# bad-patterns); none is clean.
dmesg_bad_since() {
	dmesg_since "$1" | grep -E -f /bpfdev/bad-patterns
}
