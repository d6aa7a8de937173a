# SPDX-License-Identifier: GPL-2.0
#
# The clang-built tc examples (tools/examples, SEC("tc")) loaded by the
# object loader (bpfctl prog load) and attached at a veth's hooks: the
# SYN-flood guard passes a source's burst of SYNs and drops the rest
# while other traffic passes; per-flow accounting counts each 5-tuple;
# the port rewrite reaches the peer with a correct checksum.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 17

IP=/usr/bin/ip
T=/tmp/actex
mkdir -p $T
mark=$(dmesg_mark)
B=bpfctl

modprobe veth || { echo "1..0 # SKIP no veth"; exit 0; }

inb() { $IP netns exec actb "$@"; }

setup() {
	echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	$IP netns add actb &&
	inb sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' &&
	$IP link add va type veth peer name vb netns actb &&
	$IP addr add 10.89.0.1/24 dev va && $IP link set va up &&
	$IP -n actb addr add 10.89.0.2/24 dev vb && $IP -n actb link set vb up &&
	vb_mac=$(inb cat /sys/class/net/vb/address) &&
	$IP neigh replace 10.89.0.2 lladdr "$vb_mac" dev va nud permanent &&
	$IP -n actb neigh replace 10.89.0.1 lladdr "$(cat /sys/class/net/va/address)" dev vb nud permanent
}
check "set up a veth pair, static neighbours, no IPv6" setup

# field PRIO WORD: from acttool show's line for PRIO
field() {
	awk -v p="$1" -v w="$2" '$2 == p { for (i = 1; i < NF; i++) if ($i == w) print $(i + 1) }' "$T/show.out"
}

# ---- ddos_guard: a burst of 20 SYNs per source, then drops -------------------
check "load ddos_guard (SEC(\"tc\"))" $B prog load /bpfdev/ddos_guard.bpf.o actex/ddos
# the program is the namespace's too: pins are module-wide
check "attach it at vb ingress" inb acttool attach vb in pinned:actex/ddos -P
acttool sendsyn va "$vb_mac" 10.89.0.1 10.89.0.2 80 60 >/dev/null
pktsend udp 10.89.0.2 9000 100 10 >/dev/null
sleep 0.3
inb acttool show vb in >"$T/show.out"
run=$(field 1 run)
drop=$(field 1 drop)
check "ran for the 60 SYNs and 10 datagrams ($(cat $T/show.out))" [ "$run" = 70 ]
# 20 tokens, and under TCG a few more may trickle in at 10 a second
check "dropped the SYNs past the burst ($drop of 60)" [ "$drop" -ge 30 ] && [ "$drop" -le 40 ]
$B map dump name verdicts >"$T/verdicts.out" 2>&1
check "per-CPU verdict counters dumped" grep -q 'value' "$T/verdicts.out"
inb acttool detach vb in 1

# ---- flow_acct: 10 + 10 datagrams on two flows ----------------------------------
check "load flow_acct" $B prog load /bpfdev/flow_acct.bpf.o actex/flows
check "bpfctl net attach at va egress, prio 7" $B net attach pinned actex/flows egress dev va prio 7
pktsend udpmix 10.89.0.2 9000 9001 100 20 >/dev/null
sleep 0.3
$B map dump name flows >"$T/flows.out"
check "two flows ($(tail -n 1 $T/flows.out))" grep -qx 'Found 2 elements' "$T/flows.out"
# 10 packets of 142 bytes (14 + 20 + 8 + 100) each: 0x0a and 0x058c (the
# 16-byte key puts the value on a line of its own)
check "10 packets, 1420 bytes each" \
	[ "$(grep -c '^0a 00 00 00 00 00 00 00 8c 05 00 00 00 00 00 00$' $T/flows.out)" = 2 ]
$B net show dev va >"$T/net.out"
check "bpfctl net show ($(cat $T/net.out))" \
	grep -q '^va([0-9]*) egress prio 7 flow_acct id [0-9]* run 20 drop 0$' "$T/net.out"
$B -j net show dev va >"$T/netj.out"
check "bpfctl -j net show" \
	grep -q '^\[{"devname":"va","ifindex":[0-9]*,"kind":"egress","prio":7,"name":"flow_acct","id":[0-9]*,"run_cnt":20,"drop_cnt":0,"link":false}\]$' "$T/netj.out"
check "bpfctl net detach (the only one)" $B net detach egress dev va
check "and nothing is left" [ -z "$($B net show dev va)" ]

# ---- port_rewrite: 9000 -> 9002 with the checksum fixed ------------------------
check "load port_rewrite" $B prog load /bpfdev/port_rewrite.bpf.o actex/rw
acttool attach va out pinned:actex/rw -P
inb tcpdump -i vb -n -vv -Z root -c 5 udp >"$T/td.out" 2>"$T/td.err" &
td=$!
_i=0
while ! grep -q listening "$T/td.err" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
acttool sendudp va "$vb_mac" 10.89.0.1 10.89.0.2 9000 5 >/dev/null
sleep 1
kill -INT $td 2>/dev/null
wait $td
check "5 datagrams to 9002 with a correct UDP checksum ($(grep -c '10.89.0.2.9002: \[udp sum ok\]' $T/td.out))" \
	[ "$(grep -c '10.89.0.2.9002: \[udp sum ok\]' $T/td.out)" = 5 ]
acttool detach va out 1

for p in ddos flows rw; do $B prog unpin actex/$p; done
$IP link del va
$IP netns del actb
check "no WARN, BUG or leak in dmesg" [ -z "$(dmesg_bad_since "$mark")" ]
finish
