# SPDX-License-Identifier: GPL-2.0
#
# The guest has what later tests rely on: the network modules and their
# dependencies, iproute2's ip with netns, tcpdump, test_bpf.ko, and the
# serial result channel.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 9

ip=/usr/bin/ip
kver=$(uname -r)
check "modprobe veth" modprobe veth
check "modprobe dummy" modprobe dummy
check "modprobe pktgen" modprobe pktgen
check "modprobe 8021q (with garp, mrp, stp, llc)" modprobe 8021q
check "test_bpf.ko is shipped" [ -f "/lib/modules/$kver/kernel/lib/test_bpf.ko" ]

netns() {
	$ip netns add bpfdev_t0 &&
	$ip link add t0a type veth peer name t0b netns bpfdev_t0 &&
	$ip link set t0a up && $ip -n bpfdev_t0 link set t0b up &&
	$ip addr add 10.99.0.1/24 dev t0a &&
	$ip -n bpfdev_t0 addr add 10.99.0.2/24 dev t0b &&
	ping -c 1 -W 5 10.99.0.2 >/dev/null
}
check "a veth pair into a netns passes a ping" netns
check "a vlan on the veth" $ip link add link t0a name t0a.5 type vlan id 5

capture() {
	rm -f /tmp/t0.pcap /tmp/t0.rc
	(tcpdump -Z root -ni t0a -c 1 -w /tmp/t0.pcap icmp 2>/dev/null
	 echo $? >/tmp/t0.rc) &
	# Ping until tcpdump has its packet and exits: it starts slowly.
	i=0
	while [ $i -lt 100 ] && [ ! -e /tmp/t0.rc ]; do
		ping -c 1 -W 1 10.99.0.2 >/dev/null
		sleep 0.1
		i=$((i + 1))
	done
	killall tcpdump 2>/dev/null
	wait
	[ "$(cat /tmp/t0.rc 2>/dev/null)" = 0 ] &&
		tcpdump -nr /tmp/t0.pcap 2>/dev/null | grep -q ICMP
}
check "tcpdump captures on the veth" capture

$ip link del t0a
$ip netns del bpfdev_t0
# One at a time, and only those loaded: busybox rmmod stops at the first
# name it cannot unload, and a kernel without GVRP/MVRP (the debug one)
# has no garp, mrp, stp or llc.
for m in 8021q garp mrp stp llc pktgen dummy veth; do
	grep -q "^$m " /proc/modules && { rmmod $m || diag "rmmod $m failed"; }
done
check "the network modules unload" sh -c "! grep -qE '^(veth|dummy|pktgen|8021q) ' /proc/modules"
finish
