# SPDX-License-Identifier: GPL-2.0
#
# Python programs in the background for the guest tests of the bpfdev
# Python module and of bcc's scripts (t_70, t_71): started through a
# wrapper (host-run and its environment, a netns exec), waited for, stopped
# with SIGINT as a user's Ctrl-C.  Sourced after lib.sh; output in $T.

# pybg NAME WRAPPER SCRIPT ARGS...: python3 SCRIPT ARGS run by WRAPPER (a
# command line, split on spaces) in the background, pid in pid_NAME,
# output in $T/NAME.out and .err, with SIGINT back to its default so that
# python3 turns it into KeyboardInterrupt (a background job of sh starts
# with it ignored).
pybg() {
	_n=$1
	_w=$2
	shift 2
	# shellcheck disable=SC2086
	(exec $_w python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.executable, [sys.executable] + sys.argv[1:])' "$@" \
		>"$T/$_n.out" 2>"$T/$_n.err") &
	eval "pid_$_n=$!"
}

# ready NAME PATTERN [POLLS]: waits up to POLLS / 5 s (300: clang and
# python under TCG) for PATTERN in its output; fails early if it is gone,
# and stops it when it is not ready.
ready() {
	_i=0
	while [ $_i -lt "${3:-1500}" ]; do
		if grep -q -- "$2" "$T/$1.out" 2>/dev/null; then
			diag "$1 ready at $(cut -d' ' -f1 /proc/uptime)s (uptime)"
			return 0
		fi
		eval "_p=\$pid_$1"
		kill -0 "$_p" 2>/dev/null || break
		sleep 0.2
		_i=$((_i + 1))
	done
	diag "$1 not ready:"
	cat "$T/$1.out" "$T/$1.err" 2>/dev/null | tail -20 | sed 's/^/#   /'
	# Gone, so that it holds nothing the next cases count.
	eval "_p=\$pid_$1"
	kill -INT "$_p" 2>/dev/null
	sleep 2
	kill -KILL "$_p" 2>/dev/null
	return 1
}

# seen NAME PATTERN N [POLLS]: waits up to POLLS / 5 s (150) until N
# lines of its output match PATTERN: under TCG Debian's bcc may still be
# printing when the workload ends, and a Ctrl-C drops what it has not
# read from its perf buffer.
seen() {
	_i=0
	while [ "$(grep -c -- "$2" "$T/$1.out" 2>/dev/null)" -lt "$3" ] &&
		[ $_i -lt "${4:-150}" ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
}

# stop NAME [again]: SIGINT (Ctrl-C), its exit status in $rc; one still
# there after 120 s is killed (and fails), so that one hang does not take
# the whole test's time.  "again": a SIGINT every 5 s, as a user presses
# Ctrl-C again: for Debian's bcc, whose tools can drop the first one (a
# KeyboardInterrupt raised in a ctypes callback is printed and dropped;
# bpfdev's module defers it, see tools/python/bpfdev/interrupt.py).
stop() {
	eval "_p=\$pid_$1"
	kill -INT "$_p" 2>/dev/null
	_i=0
	while kill -0 "$_p" 2>/dev/null && [ $_i -lt 600 ]; do
		sleep 0.2
		_i=$((_i + 1))
		[ "${2:-}" = again ] && [ $((_i % 25)) -eq 0 ] && kill -INT "$_p" 2>/dev/null
	done
	if kill -0 "$_p" 2>/dev/null; then
		diag "$1 still running 120 s after SIGINT: killed"
		tail -5 "$T/$1.out" "$T/$1.err" 2>/dev/null | sed 's/^/#   /'
		kill -KILL "$_p" 2>/dev/null
	fi
	wait "$_p"
	rc=$?
	diag "$1 stopped at $(cut -d' ' -f1 /proc/uptime)s (uptime)"
	[ $rc -eq 0 ] || { diag "$1 exit $rc:"; tail -20 "$T/$1.err" | sed 's/^/#   /'; }
	return $rc
}

# clean: bpfdev holds no program, map or capture (after the grace periods).
clean() {
	_i=0
	while [ $_i -lt 100 ]; do
		grep -q '^progs 0$' /sys/kernel/debug/bpfdev/objects &&
			grep -q '^maps 0$' /sys/kernel/debug/bpfdev/objects &&
			grep -q '^captures 0$' /sys/kernel/debug/bpfdev/objects && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	sed 's/^/#   /' /sys/kernel/debug/bpfdev/objects
	return 1
}
