#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest (tools/bench/bench_capture boots it): pktgen floods a
# veth pair with 64-byte frames, captured at the peer's ingress.
#
#  (a) the rate captured with zero loss: bpfdev's ring read by captool
#      -w /dev/null (woken per BENCH_WAKE records or ms, or at half
#      full) vs tcpdump -w /dev/null (TPACKET_V3 blocks), everything
#      accepted, both with a 4 MiB buffer, pktgen at full speed;
#  (b) the tap's overhead: flood rate with nothing capturing vs with a
#      bpfdev socket whose filter rejects everything (tcpdump's too, for
#      reference): ROUNDS rounds of OVH_COUNT frames, the three setups
#      back to back in each, medians reported (the host's load moves the
#      absolute rates by tens of percent from one second to the next).

COUNT=${BENCH_COUNT:-300000}
OVH_COUNT=${BENCH_OVH_COUNT:-50000}
ROUNDS=${BENCH_ROUNDS:-15}
ROUNDS_A=${BENCH_ROUNDS_A:-5}
# captool's wakeup policy: records per wakeup, timeout in ms.  tcpdump's
# TPACKET_V3 ring wakes once per block (thousands of small frames).
WAKE=${BENCH_WAKE:-4096,100}
IP=/usr/bin/ip
T=/tmp/bench
mkdir -p $T

modprobe veth && modprobe pktgen || exit 1
$IP netns add capb
$IP link add va type veth peer name vb
$IP link set vb netns capb
$IP link set va up
$IP -n capb link set vb up
sleep 1
tcpdump -i va -ddd 'udp port 1' >$T/reject.ddd 2>/dev/null

pg() { echo "$1" >"$2"; }

# flood DELAY_NS: sends COUNT frames from va; prints the achieved pps.
flood() {
	pg "rem_device_all" /proc/net/pktgen/kpktgend_0
	pg "add_device va" /proc/net/pktgen/kpktgend_0
	d=/proc/net/pktgen/va
	pg "count ${2:-$COUNT}" $d
	pg "clone_skb 0" $d
	pg "pkt_size 60" $d
	pg "delay ${1:-0}" $d
	pg "dst 10.77.0.2" $d
	pg "udp_dst_min 9" $d
	pg "udp_dst_max 9" $d
	pg "start" /proc/net/pktgen/pgctrl
	# A signal can end the write early; the run itself goes on.
	while ! grep -q "Result: OK" $d; do
		sleep 0.1
	done
	awk '/pps/ { for (i = 1; i <= NF; i++) if ($i ~ /pps$/) { sub("pps", "", $i); print $i } }' $d
}

# start_reader bpfdev|tcpdump [reject]: a capturer on vb, bound when it returns.
start_reader() {
	rm -f $T/ready $T/reader.out $T/reader.err
	if [ "$1" = bpfdev ]; then
		f=
		[ -n "$2" ] && f="-F $T/reject.ddd"
		$IP netns exec capb captool -i vb -B 4096 -W $WAKE $f -w /dev/null -R $T/ready \
			>$T/reader.out 2>$T/reader.err &
	else
		f=
		[ -n "$2" ] && f='udp port 1'
		$IP netns exec capb tcpdump -i vb -Z root -B 4096 -w /dev/null $f \
			>$T/reader.out 2>$T/reader.err &
	fi
	reader=$!
	i=0
	while [ $i -lt 100 ]; do
		[ -f $T/ready ] && break
		grep -q listening $T/reader.err 2>/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
}

# stop_reader: prints "captured dropped".
stop_reader() {
	sleep 1
	kill -INT $reader
	wait $reader
	if [ -s $T/reader.out ] && grep -q '^records' $T/reader.out; then
		tail -n 1 $T/reader.out | awk '{ print $2, $12 }'
	else
		awk '/packets captured/ { c = $1 } /dropped by kernel/ { d = $1 } END { print c, d }' $T/reader.err
	fi
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# (a) -------------------------------------------------------------------------
# pktgen's rate is bounded by the receive path on its own CPU, capture
# included: a capturer that keeps up loses nothing at full speed, and the
# rate pktgen then reaches is the rate captured with zero loss.  Rounds of
# both capturers back to back, as for (b).
capture_run() {
	start_reader "$1"
	pps=$(flood 0)
	stop_reader >$T/res
	read -r got lost <$T/res
	echo "#   $1: ${pps} pps, captured $got of $COUNT, dropped $lost" >&2
	# Beyond COUNT: the peer's own IPv6 chatter.
	if [ "$lost" = 0 ] && [ "$got" -ge "$COUNT" ]; then
		echo "$pps"
	else
		echo "0"
	fi
}

echo "# bench_capture: 64-byte frames, pktgen over veth, capture at the peer's ingress"
za= zt=
r=0
while [ $r -lt "$ROUNDS_A" ]; do
	za="$za $(capture_run bpfdev)"
	zt="$zt $(capture_run tcpdump)"
	r=$((r + 1))
done
lossless() { tr ' ' '\n' | grep . | awk '$1 > 0 { n++ } END { print n + 0 }'; }

# (b) -------------------------------------------------------------------------
# Each round runs the three back to back; the host's load drifts, so the
# overhead is the median of the per-round ratios, not a ratio of medians.
none= rb= rt= ob= ot=
ovh() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f", (a - b) * 100 / a; else print "0" }'; }
r=0
while [ $r -lt "$ROUNDS" ]; do
	start_reader bpfdev reject
	b=$(flood 0 $OVH_COUNT)
	stop_reader >$T/res
	n=$(flood 0 $OVH_COUNT)
	start_reader tcpdump reject
	t=$(flood 0 $OVH_COUNT)
	stop_reader >$T/res
	none="$none $n"
	rb="$rb $b"
	rt="$rt $t"
	ob="$ob $(ovh "$n" "$b")"
	ot="$ot $(ovh "$n" "$t")"
	r=$((r + 1))
done
mn=$(echo $none | median)
mb=$(echo $rb | median)
mt=$(echo $rt | median)
medf() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo
echo "(a) rate captured with zero loss: $ROUNDS_A rounds of $COUNT frames at pktgen's full speed,"
echo "    everything accepted, 4 MiB buffers (a round with a loss counts 0)"
printf '%-34s %12s %16s\n' "capturer" "median pps" "lossless rounds"
printf '%-34s %12s %16s\n' "bpfdev ring (captool -w /dev/null)" "$(echo $za | median)" "$(echo $za | lossless)/$ROUNDS_A"
printf '%-34s %12s %16s\n' "tcpdump -w /dev/null" "$(echo $zt | median)" "$(echo $zt | lossless)/$ROUNDS_A"
echo "# pps per round: bpfdev [$za ] tcpdump [$zt ]"
echo
echo "(b) flood rate, filter rejecting everything ('udp port 1'), $ROUNDS rounds of $OVH_COUNT frames"
printf '%-34s %12s %16s\n' "setup" "median pps" "median overhead"
printf '%-34s %12s %16s\n' "nothing capturing" "$mn" "-"
printf '%-34s %12s %15s%%\n' "bpfdev socket, reject-all filter" "$mb" "$(echo $ob | medf)"
printf '%-34s %12s %15s%%\n' "tcpdump, reject-all filter" "$mt" "$(echo $ot | medf)"
echo "# pps per round: none [$none ] bpfdev [$rb ] tcpdump [$rt ]"
echo "# overhead per round (%): bpfdev [$ob ] tcpdump [$ot ]"
