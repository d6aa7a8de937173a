#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest (tools/bench/bench_action.sh boots it): pktgen floods
# a veth pair with 64-byte frames, and the peer's ingress has nothing, a
# bpfdev action program passing everything (TC_ACT_OK) or one dropping
# everything (TC_ACT_SHOT).  pktgen's rate is bounded by the receive path
# on its own CPU, so the flood rate measures what each setup costs.
# ROUNDS rounds of COUNT frames, the setups back to back in each round,
# medians reported (the host's load moves absolute rates from one second
# to the next).  Not yet here: the kernel's tc cls_bpf and an nftables
# netdev drop rule (the guest has neither tc nor nft today).

COUNT=${BENCH_COUNT:-50000}
ROUNDS=${BENCH_ROUNDS:-9}
IP=/usr/bin/ip
T=/tmp/bench
mkdir -p $T

modprobe veth && modprobe pktgen || exit 1
$IP netns add actb
$IP link add va type veth peer name vb netns actb
$IP link set va up
$IP -n actb link set vb up
sleep 1

pg() { echo "$1" >"$2"; }

# flood: sends COUNT frames from va; prints the achieved pps.
flood() {
	pg "rem_device_all" /proc/net/pktgen/kpktgend_0
	pg "add_device va" /proc/net/pktgen/kpktgend_0
	d=/proc/net/pktgen/va
	pg "count $COUNT" $d
	pg "clone_skb 0" $d
	pg "pkt_size 60" $d
	pg "delay 0" $d
	pg "dst 10.77.0.2" $d
	pg "udp_dst_min 9" $d
	pg "udp_dst_max 9" $d
	pg "start" /proc/net/pktgen/pgctrl
	while ! grep -q "Result: OK" $d; do
		sleep 0.1
	done
	awk '/pps/ { for (i = 1; i <= NF; i++) if ($i ~ /pps$/) { sub("pps", "", $i); print $i } }' $d
}

# with PROG: a flood with acttool's PROG at vb ingress.
with() {
	$IP netns exec actb acttool attach vb in "$1" -p 1 -P || exit 1
	flood
	$IP netns exec actb acttool detach vb in 1
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%+.1f", (b - a) * 100 / a; else print "0" }'; }

none= pass= drop=
r=0
while [ $r -lt "$ROUNDS" ]; do
	none="$none $(flood)"
	pass="$pass $(with pass)"
	drop="$drop $(with drop)"
	r=$((r + 1))
done
mn=$(echo $none | median)
mp=$(echo $pass | median)
md=$(echo $drop | median)

echo "bench_action: 64-byte frames, pktgen over veth, $ROUNDS rounds of $COUNT frames"
printf '%-40s %12s %12s\n' "at the peer's ingress" "median pps" "vs nothing"
printf '%-40s %12s %12s\n' "nothing" "$mn" "-"
printf '%-40s %12s %11s%%\n' "bpfdev pass-all (TC_ACT_OK)" "$mp" "$(pct "$mn" "$mp")"
printf '%-40s %12s %11s%%\n' "bpfdev drop-all (TC_ACT_SHOT)" "$md" "$(pct "$mn" "$md")"
echo "# pps per round: none [$none ] pass [$pass ] drop [$drop ]"
