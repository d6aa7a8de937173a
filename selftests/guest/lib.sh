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

# ok|not ok for a description and an exit status; fails as the case did,
# so that "check ... || diagnostics" prints them.
result() {
	_tap_n=$((_tap_n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $_tap_n - $1"
		return 0
	fi
	echo "not ok $_tap_n - $1"
	_tap_failed=1
	return 1
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
	keys_release
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

# keys_hold / keys_release: hold the kernel's netdev hook keys for a test.
# The first hook of a kind anywhere (a capture bind, an action attach, a
# tc ingress or clsact qdisc) flips a static key (nf_hooks_needed, and
# ingress_needed_key / egress_needed_key) whose sites are in
# __netif_receive_skb_core and __dev_queue_xmit; the last one flips it
# back.  Patching a site another vCPU runs kills a multi-threaded TCG
# guest (selftests/vm/static-key-toggle), so a test whose packets flow
# while its sockets come and go takes the keys first, before any device
# is up (IPv6 chatter is traffic too), and gives them back after its
# devices are gone.  The holder is a capture socket on a veth that is
# down, in a namespace of its own (no "any" bind of the test's sees it):
# a veth, not lo, since loopback has only an ingress hook.
#
# Before that, one TCP connection and one ICMP error pass over the pair:
# the kernel's one-time keys (DO_ONCE: net_get_random_once() of the TCP
# sequence and hash secrets, inet_getpeer() behind the ICMP rate limit)
# flip from a work item after their first use, which would otherwise be
# in the middle of the test's first transfer.
_keys_pid=

_keys_warm() {
	for _ns in bpfdev_keys bpfdev_keysp; do
		/usr/bin/ip netns exec $_ns sh -c \
			'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' || return 1
	done
	/usr/bin/ip -n bpfdev_keys link add bpfdev_k0 type veth peer name bpfdev_k1 \
		netns bpfdev_keysp &&
		/usr/bin/ip -n bpfdev_keys addr add 10.255.0.1/30 dev bpfdev_k0 &&
		/usr/bin/ip -n bpfdev_keysp addr add 10.255.0.2/30 dev bpfdev_k1 &&
		/usr/bin/ip -n bpfdev_keys link set bpfdev_k0 up &&
		/usr/bin/ip -n bpfdev_keysp link set bpfdev_k1 up || return 1
	/usr/bin/ip netns exec bpfdev_keysp pktsend tcpsink 9 >/dev/null &
	_s=$!
	_i=0
	while ! /usr/bin/ip netns exec bpfdev_keysp cat /proc/net/tcp |
		grep -q ':0009 00000000:0000 0A ' && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	/usr/bin/ip netns exec bpfdev_keys pktsend tcp 10.255.0.2 9 1000 >/dev/null ||
		kill "$_s" 2>/dev/null
	wait "$_s"
	# to a closed port: the peer answers with an ICMP error
	/usr/bin/ip netns exec bpfdev_keys pktsend udp 10.255.0.2 10 10 1 >/dev/null
	sleep 0.5	# the work items ran
	/usr/bin/ip -n bpfdev_keys link set bpfdev_k0 down &&
		/usr/bin/ip -n bpfdev_keysp link set bpfdev_k1 down
}

keys_hold() {
	modprobe veth || return 1
	/usr/bin/ip netns del bpfdev_keys 2>/dev/null
	/usr/bin/ip netns del bpfdev_keysp 2>/dev/null
	/usr/bin/ip netns add bpfdev_keys && /usr/bin/ip netns add bpfdev_keysp &&
		_keys_warm || return 1
	rm -f /tmp/bpfdev_keys.ready
	/usr/bin/ip netns exec bpfdev_keys captool -i bpfdev_k0 -R /tmp/bpfdev_keys.ready \
		>/dev/null 2>/tmp/bpfdev_keys.err &
	_keys_pid=$!
	_i=0
	while [ ! -f /tmp/bpfdev_keys.ready ] && [ $_i -lt 100 ]; do
		kill -0 "$_keys_pid" 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -f /tmp/bpfdev_keys.ready ]
}

# After every sender has ended and the test's devices are deleted.
keys_release() {
	[ -n "$_keys_pid" ] || return 0
	kill -INT "$_keys_pid" 2>/dev/null
	wait "$_keys_pid"
	_keys_pid=
	/usr/bin/ip netns del bpfdev_keys
	/usr/bin/ip netns del bpfdev_keysp
}
