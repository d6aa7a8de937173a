#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest (tools/bench/bench_action.sh boots it): pktgen floods
# a veth pair with 64-byte frames, and the peer's ingress has nothing, or
# one of:
#   bpfdev pass-all, drop-all   tools/examples/tc_pass.bpf.o, tc_drop.bpf.o
#                               through bpfctl prog load and acttool attach
#   tc-bpf pass-all, drop-all   the same objects through the kernel's tc
#                               (clsact, cls_bpf direct-action; the build
#                               machine's tc through host-run)
#   nftables accept, drop       a netdev ingress chain on the device with
#                               no rule (the hook's own cost) or one "drop"
# pktgen's rate is bounded by the receive path on its own CPU, so the
# flood rate measures what each setup costs.  ROUNDS rounds of COUNT
# frames, the setups back to back in each round, each right after a flood
# with nothing; the table gives the median rate and the median change
# from the flood just before (the host's load moves absolute rates from
# one second to the next, adjacent floods' ratio much less).
#
# BENCH_BASE_KO (a path in the guest): another build of bpfdev.ko whose
# pass-all and drop-all are measured in the same rounds (the module is
# swapped twice a round), to compare a change with what it changed.

COUNT=${BENCH_COUNT:-50000}
ROUNDS=${BENCH_ROUNDS:-9}
BASE=${BENCH_BASE_KO:-}
NEW=/bpfdev/bpfdev.ko
IP=/usr/bin/ip
T=/tmp/bench
mkdir -p $T

modprobe veth && modprobe pktgen || exit 1
peers=1
# nf_tables needs libcrc32c, whose crc32c (a softdep) the initramfs lacks:
# bench_action.sh ships crc32c_generic.
[ ! -e /bpfdev/crc32c_generic.ko ] || insmod /bpfdev/crc32c_generic.ko
if ! host-run --check || ! modprobe sch_ingress || ! modprobe cls_bpf ||
   ! modprobe nf_tables; then
	echo "# no host-run, clsact, cls_bpf or nf_tables: bpfdev rows only"
	peers=
fi
$IP netns add actb
$IP link add va type veth peer name vb netns actb
$IP link set va up
$IP -n actb link set vb up
sleep 1

pg() { echo "$1" >"$2"; }

# flood: sends COUNT frames from va; prints the achieved pps.
flood() {
	d=/proc/net/pktgen/va
	# rem_device_all waits 125 ms for the pktgen thread, which a loaded
	# host may not give it: va must be gone before it is added again
	pg "rem_device_all" /proc/net/pktgen/kpktgend_0
	while [ -e $d ]; do
		sleep 0.1
	done
	pg "add_device va" /proc/net/pktgen/kpktgend_0
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

# The programs, pinned as bench/pass and bench/drop (again after a
# module swap: pins live in the module).
load() {
	bpfctl prog load /bpfdev/tc_pass.bpf.o bench/pass &&
	bpfctl prog load /bpfdev/tc_drop.bpf.o bench/drop || exit 1
}

# swap KO: the module in place is KO's, with the programs loaded.  The
# module goes once its programs are unpinned and the grace periods after
# the last detach have let go of them (rmmod fails with EAGAIN until then).
swap() {
	bpfctl prog unpin bench/pass && bpfctl prog unpin bench/drop || exit 1
	i=0
	until rmmod bpfdev 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 150 ] || { echo "# rmmod bpfdev: still in use after 30 s"; exit 1; }
		sleep 0.2
	done
	insmod "$1" || exit 1
	load
}

# Each setup prints "N:S": a flood with nothing at vb (N pps) right
# before the flood with the setup (S pps).  The host's load moves the
# rates by a factor of several within a minute; S/N of adjacent floods
# moves far less, and its median is what the table reports.

# bpfdev pass|drop: a flood with that program at vb ingress.
bpfdev() {
	printf '%s:' "$(flood)"
	$IP netns exec actb acttool attach vb in "pinned:bench/$1" -p 1 -P || exit 1
	flood
	$IP netns exec actb acttool detach vb in 1
}

# tcbpf pass|drop: a flood with the same object in cls_bpf at vb ingress.
# Through ip netns exec, not tc -n: host-run's /run is a copy made at its
# first call, where actb is an empty file.
tcbpf() {
	printf '%s:' "$(flood)"
	printf 'qdisc add dev vb clsact\nfilter add dev vb ingress pref 1 bpf da obj /bpfdev/tc_%s.bpf.o sec tc\n' \
		"$1" >$T/tc.batch
	$IP netns exec actb host-run tc -batch $T/tc.batch || exit 1
	flood
	$IP netns exec actb host-run tc qdisc del dev vb clsact
}

# nft RULE: a flood with a netdev ingress chain on vb holding RULE (or none).
nft() {
	printf '%s:' "$(flood)"
	printf 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device vb priority 0;\n\t\t%s\n\t}\n}\n' \
		"$1" >$T/nft.conf
	$IP netns exec actb host-run nft -f $T/nft.conf || exit 1
	flood
	$IP netns exec actb host-run nft delete table netdev t
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# the S of "N:S" pairs; the change S/N - 1 of each pair, in percent
rates() { tr ' ' '\n' | grep : | cut -d: -f2; }
changes() { tr ' ' '\n' | grep : | awk -F: '$1 > 0 { printf "%.1f\n", ($2 - $1) * 100 / $1 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (100 + a) / (100 + b) }'; }

load
none= bp= bd= kp= kd= na= nd= obp= obd=
r=0
while [ $r -lt "$ROUNDS" ]; do
	none="$none $(flood)"
	bp="$bp $(bpfdev pass)"
	bd="$bd $(bpfdev drop)"
	if [ -n "$peers" ]; then
		kp="$kp $(tcbpf pass)"
		kd="$kd $(tcbpf drop)"
		na="$na $(nft '')"
		nd="$nd $(nft drop)"
	fi
	if [ -n "$BASE" ]; then
		swap "$BASE"
		obp="$obp $(bpfdev pass)"
		obd="$obd $(bpfdev drop)"
		swap $NEW
	fi
	r=$((r + 1))
done

echo "bench_action: 64-byte frames, pktgen over veth, $ROUNDS rounds of $COUNT frames"
printf '%-36s %12s %18s\n' "at the peer's ingress" "median pps" "vs nothing (paired)"
printf '%-36s %12s %18s\n' "nothing" "$(echo $none | median)" "-"
row() {
	[ -n "$2" ] || return 0
	c=$(echo $2 | changes | median)
	printf '%-36s %12s %17s%%\n' "$1" "$(echo $2 | rates | median)" "$c"
	echo "$c" >"$T/$3"
}
row "nftables ingress chain, no rule" "$na" na
row "bpfdev pass-all (TC_ACT_OK)" "$bp" bp
row "tc-bpf pass-all (cls_bpf da)" "$kp" kp
row "bpfdev pass-all, base module" "$obp" obp
row "bpfdev drop-all (TC_ACT_SHOT)" "$bd" bd
row "tc-bpf drop-all (cls_bpf da)" "$kd" kd
row "nftables drop" "$nd" nd
row "bpfdev drop-all, base module" "$obd" obd
# rates relative to each other, through their paired changes
if [ -n "$peers" ]; then
	echo "bpfdev drop rate / tc-bpf's: $(ratio "$(cat $T/bd)" "$(cat $T/kd)")," \
		"/ nftables': $(ratio "$(cat $T/bd)" "$(cat $T/nd)")"
	echo "pass-all rate, bpfdev / tc-bpf: $(ratio "$(cat $T/bp)" "$(cat $T/kp)")"
fi
[ -z "$BASE" ] || echo "this module / base: pass-all $(ratio "$(cat $T/bp)" "$(cat $T/obp)")," \
	"drop-all $(ratio "$(cat $T/bd)" "$(cat $T/obd)")"
echo "# pps (nothing:setup) per round: none [$none ] bpfdev pass [$bp ] drop [$bd ]"
[ -z "$peers" ] || echo "# tc-bpf pass [$kp ] drop [$kd ] nft accept [$na ] drop [$nd ]"
[ -z "$BASE" ] || echo "# base pass [$obp ] drop [$obd ]"
