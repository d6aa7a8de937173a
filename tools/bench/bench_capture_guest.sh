#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the guest (tools/bench/bench_capture boots it): pktgen floods a
# veth pair with 64-byte frames, captured at the peer's ingress.
#
#  (a) overheads: the flood rate with nothing capturing, with the netdev
#      hook alone (the floor: a bpfdev socket that takes only outgoing
#      packets, so the hook runs and returns; an empty nftables netdev
#      ingress chain too where the guest has nft), with a filter
#      rejecting everything (bpfdev, tcpdump) and with everything
#      captured (bpfdev's ring read by captool -w /dev/null, tcpdump
#      -w /dev/null), ROUNDS rounds of OVH_COUNT frames from one pktgen
#      thread, the setups back to back in each round, medians of the
#      per-round ratios (the host's load moves the absolute rates by
#      tens of percent from one second to the next);
#  (b) the rate captured with zero loss, traffic entering on both vCPUs
#      (a pktgen thread on each): one bpfdev reader, a 2-reader bpfdev
#      fanout group, a 2-reader AF_PACKET PACKET_FANOUT group
#      (tools/bench/bench_fanout, TPACKET_V3) and tcpdump, each on a
#      ladder of rates (LADDER, total pps; 0 is pktgen's full speed) up
#      to the first loss: the fastest lossless step's achieved rate;
#  (c) the module's per-stage profile (capture_profile) of a capture-all
#      and a reject-all flood, between (a) and (b).
#
# BENCH_BASE_KO (a path in the guest): another build of bpfdev.ko whose
# floor, reject-all and capture-all rows of (a) are measured in the same
# rounds, after a flood with nothing of their own (the module is swapped
# twice a round), whose profiles alternate with this module's in (c),
# and whose 1- and 2-reader zero-loss rates follow (b)'s.
# BENCH_PARTS: which of a, c, b to run ("a c b"); BENCH_PROF_ROUNDS:
# rounds of (c) (1).

COUNT=${BENCH_COUNT:-100000}
OVH_COUNT=${BENCH_OVH_COUNT:-50000}
ROUNDS=${BENCH_ROUNDS:-9}
LADDER=${BENCH_LADDER:-20000 40000 60000 80000 100000 130000 160000 0}
# captool's wakeup policy: records per wakeup, timeout in ms.  tcpdump's
# TPACKET_V3 ring wakes once per block (thousands of small frames).
WAKE=${BENCH_WAKE:-4096,100}
BASE=${BENCH_BASE_KO:-}
NEW=/bpfdev/bpfdev.ko
PARTS=${BENCH_PARTS:-a c b}
PROF_ROUNDS=${BENCH_PROF_ROUNDS:-1}
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
NCPU=$(grep -c ^processor /proc/cpuinfo)

pg() { echo "$1" >"$2"; }

# pg_dev THREAD DEV COUNT DELAY_NS: DEV's pktgen settings on kpktgend_THREAD.
pg_dev() {
	pg "add_device $2" /proc/net/pktgen/kpktgend_$1
	d=/proc/net/pktgen/$2
	pg "count $3" $d
	pg "clone_skb 0" $d
	pg "pkt_size 60" $d
	pg "delay $4" $d
	pg "dst 10.77.0.2" $d
	pg "udp_dst_min 9" $d
	pg "udp_dst_max 9" $d
	# Distinct source ports: flows for the hash modes.
	pg "udp_src_min 1000" $d
	pg "udp_src_max 1999" $d
	pg "flag UDPSRC_RND" $d
}

pg_rate() {
	awk '/pps/ { for (i = 1; i <= NF; i++) if ($i ~ /pps$/) { sub("pps", "", $i); print $i } }' "$1"
}

pg_wait() {
	# A signal can end the write early; the run itself goes on.
	while [ -e "$1" ] && ! grep -q "Result: OK" "$1"; do
		sleep 0.1
	done
}

# pg_clear THREAD...: no device on these pktgen threads.  rem_device_all
# waits 125 ms for the thread, which a loaded host may not give it: a
# device added again before it is gone is refused ("interface already
# used") and its flood never ends.
pg_clear() {
	for th in "$@"; do
		pg "rem_device_all" /proc/net/pktgen/kpktgend_$th
	done
	while [ -e /proc/net/pktgen/va ] || [ -e /proc/net/pktgen/va@1 ]; do
		sleep 0.1
	done
}

# flood COUNT: one thread (vCPU 0) sends COUNT frames at full speed; prints pps.
flood() {
	pg_clear 0 1
	pg_dev 0 va "$1" 0
	pg "start" /proc/net/pktgen/pgctrl
	pg_wait /proc/net/pktgen/va
	pg_rate /proc/net/pktgen/va
}

# flood2 RATE COUNT: a thread on each vCPU, COUNT frames in all at RATE
# pps in all (0: full speed); prints the summed achieved pps.
flood2() {
	delay=0
	[ "$1" -gt 0 ] && delay=$((2000000000 / $1))
	pg_clear 0 1
	pg_dev 0 va $(($2 / 2)) $delay
	pg_dev 1 va@1 $(($2 / 2)) $delay
	pg "start" /proc/net/pktgen/pgctrl
	pg_wait /proc/net/pktgen/va
	pg_wait /proc/net/pktgen/va@1
	echo $(($(pg_rate /proc/net/pktgen/va) + $(pg_rate /proc/net/pktgen/va@1)))
}

# start_reader KIND [ARG]: a capturer on vb, bound when it returns.
#   bpfdev [reject|all|floor]  captool
#   tcpdump [reject|all]
#   fan KIND N                 bench_fanout -k KIND -n N
#   nft                        an empty netdev ingress chain on vb
start_reader() {
	rm -f $T/ready $T/reader.out $T/reader.err
	reader=
	case "$1" in
	bpfdev)
		f=
		[ "$2" = reject ] && f="-F $T/reject.ddd"
		[ "$2" = floor ] && f="-Q out"
		$IP netns exec capb captool -i vb -B 4096 -W $WAKE $f -w /dev/null -R $T/ready \
			>$T/reader.out 2>$T/reader.err &
		;;
	tcpdump)
		f=
		[ "$2" = reject ] && f='udp port 1'
		$IP netns exec capb tcpdump -i vb -Z root -B 4096 -w /dev/null $f \
			>$T/reader.out 2>$T/reader.err &
		;;
	fan)
		$IP netns exec capb bench_fanout -k "$2" -i vb -n "$3" -B 4096 -R $T/ready \
			>$T/reader.out 2>$T/reader.err &
		;;
	nft)
		$IP netns exec capb nft add table netdev bench &&
		$IP netns exec capb nft add chain netdev bench in \
			'{ type filter hook ingress device vb priority 0; }'
		return
		;;
	esac
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
	if [ -z "$reader" ]; then
		$IP netns exec capb nft delete table netdev bench
		echo "0 0"
		return
	fi
	sleep 1
	kill -INT $reader
	wait $reader
	if grep -q '^records' $T/reader.out 2>/dev/null; then
		tail -n 1 $T/reader.out | awk '{ for (i = 1; i < NF; i++) {
			if ($i == "records") r = $(i + 1); if ($i == "dropped") d = $(i + 1) }
			print r, d }'
	else
		awk '/packets captured/ { c = $1 } /dropped by kernel/ { d = $1 } END { print c, d }' $T/reader.err
	fi
}

# swap KO: another bpfdev.ko in place of the loaded one (no reader left).
swap() {
	tries=0
	until rmmod bpfdev 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 150 ] || { echo "# rmmod bpfdev: still in use after 30 s"; exit 1; }
		sleep 0.2
	done
	insmod "$1" || exit 1
}

part() {
	case " $PARTS " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ovh() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1f", (a - b) * 100 / a; else print "0" }'; }
# "N+" (a lower bound, see ladder) has no ratio.
ratio() {
	case "$1$2" in
	*+*) echo "- (sender-bound)" ;;
	*) awk -v a="$1" -v b="$2" 'BEGIN { if (b != 0) printf "%.2f", a / b; else print "-" }' ;;
	esac
}

echo "# bench_capture: 64-byte frames, pktgen over veth, capture at the peer's ingress"

# (a) -------------------------------------------------------------------------
HAVE_NFT=
command -v nft >/dev/null 2>&1 && HAVE_NFT=1
SETUPS="floor bpfrej tcprej bpfall tcpall"
[ -n "$HAVE_NFT" ] && SETUPS="nft $SETUPS"
BSETUPS=
[ -n "$BASE" ] && BSETUPS="ofloor obpfrej obpfall"
for s in none onone $SETUPS $BSETUPS; do eval "r_$s="; eval "o_$s="; done
part a || ROUNDS=0
# one_round NONE SETUP...: a flood with nothing (its rate in r_NONE), then
# one with each setup; the base module's setups are the same names with
# an "o" before them.
one_round() {
	_none=$1
	shift
	n=$(flood $OVH_COUNT)
	eval "r_$_none=\"\$r_$_none $n\""
	for s in "$@"; do
		case ${s#o} in
		nft) start_reader nft ;;
		floor) start_reader bpfdev floor ;;
		bpfrej) start_reader bpfdev reject ;;
		tcprej) start_reader tcpdump reject ;;
		bpfall) start_reader bpfdev all ;;
		tcpall) start_reader tcpdump all ;;
		esac
		p=$(flood $OVH_COUNT)
		stop_reader >$T/res
		eval "r_$s=\"\$r_$s $p\""
		eval "o_$s=\"\$o_$s $(ovh "$n" "$p")\""
	done
}
r=0
while [ $r -lt "$ROUNDS" ]; do
	one_round none $SETUPS
	if [ -n "$BASE" ]; then
		swap "$BASE"
		one_round onone $BSETUPS
		swap $NEW
	fi
	r=$((r + 1))
done

label() {
	case $1 in
	none) echo "nothing capturing" ;;
	nft) echo "hook floor: empty nft netdev chain" ;;
	floor) echo "hook floor: bpfdev hook, no socket work" ;;
	bpfrej) echo "bpfdev, reject-all filter" ;;
	tcprej) echo "tcpdump, reject-all filter" ;;
	bpfall) echo "bpfdev, capture all (captool)" ;;
	tcpall) echo "tcpdump, capture all (-w /dev/null)" ;;
	onone) echo "nothing capturing (base's rounds)" ;;
	ofloor) echo "base module: hook floor" ;;
	obpfrej) echo "base module: reject-all filter" ;;
	obpfall) echo "base module: capture all (captool)" ;;
	esac
}

part a && {
echo
echo "(a) flood rate from one pktgen thread, $ROUNDS rounds of $OVH_COUNT frames"
printf '%-40s %12s %16s\n' "setup" "median pps" "median overhead"
printf '%-40s %12s %16s\n' "$(label none)" "$(echo $r_none | median)" "-"
for s in $SETUPS $BSETUPS; do
	[ "$s" = ofloor ] && printf '%-40s %12s %16s\n' "$(label onone)" "$(echo $r_onone | median)" "-"
	eval "pps=\$r_$s; ov=\$o_$s"
	eval "m_$s=$(echo $ov | median)"
	printf '%-40s %12s %15s%%\n' "$(label $s)" "$(echo $pps | median)" "$(echo $ov | median)"
done
echo "ratios (overhead points; slowdown ratios):"
echo "  reject-all: bpfdev - floor = $(awk -v a="$m_bpfrej" -v b="$m_floor" 'BEGIN { printf "%.1f", a - b }') pp, tcpdump - floor = $(awk -v a="$m_tcprej" -v b="$m_floor" 'BEGIN { printf "%.1f", a - b }') pp"
echo "  capture-all: bpfdev / tcpdump slowdown = $(ratio "$m_bpfall" "$m_tcpall"), (bpfdev - floor) / (tcpdump - floor) = $(awk -v a="$m_bpfall" -v b="$m_tcpall" -v f="$m_floor" 'BEGIN { if (b - f != 0) printf "%.2f", (a - f) / (b - f); else print "-" }')"
[ -z "$BASE" ] || echo "  base module: reject-all - floor = $(awk -v a="$m_obpfrej" -v b="$m_ofloor" 'BEGIN { printf "%.1f", a - b }') pp, capture-all / tcpdump slowdown = $(ratio "$m_obpfall" "$m_tcpall")"
for s in none $SETUPS ${BASE:+onone} $BSETUPS; do
	eval "echo \"# pps per round, $s: [\$r_$s ]\""
	eval "echo \"# overhead per round, $s: [\$o_$s ]\""
done
}

# (c) -------------------------------------------------------------------------
# Where bpfdev's own time goes per packet (capture_profile, off above):
# clock reads under TCG cost as much as some stages, hence "clock".
PROF=/sys/module/bpfdev/parameters/capture_profile
# prof LABEL: the loaded module's profiles of a capture-all and a
# reject-all flood; a line of ns/pkt per stage in $T/prof too.
prof() {
	for s in all reject; do
		start_reader bpfdev $s
		echo 1 >$PROF
		p=$(flood $OVH_COUNT)
		echo 0 >$PROF
		stop_reader >$T/res
		echo "  $1, $s ($p pps while profiled):"
		tail -n +2 $PROF | sed 's/^/    /'
		tail -n +3 $PROF | awk -v h="# ns/pkt, $1, $s:" \
			'{ l = l " " $1 "=" $4 } END { print h l }' >>$T/prof
	done
}
if part c && [ -w $PROF ]; then
	echo
	echo "(c) per-packet time by stage (capture_profile: ns are guest clock ns under TCG;"
	echo "    hook holds every mark inside it, each mark costing about 'clock')"
	rm -f $T/prof
	round=0
	while [ $round -lt "$PROF_ROUNDS" ]; do
		prof "this module"
		if [ -n "$BASE" ]; then
			swap "$BASE"
			prof "base module"
			swap $NEW
		fi
		round=$((round + 1))
	done
	cat $T/prof
fi

# (b) -------------------------------------------------------------------------
part b || exit 0
if [ "$NCPU" -lt 2 ]; then
	echo "(b) needs two vCPUs; $NCPU here"
	exit 0
fi
# ladder SETUP...: the fastest lossless step's rate; logs each step.
ladder() {
	best=0
	for rate in $LADDER; do
		start_reader "$@"
		pps=$(flood2 "$rate" "$COUNT")
		stop_reader >$T/res
		read -r got lost <$T/res
		echo "#   $*: asked ${rate:-max} pps, sent ${pps} pps, captured $got of $COUNT, dropped $lost" >&2
		# Beyond COUNT: the peer's own IPv6 chatter.
		if [ "${lost:-1}" = 0 ] && [ "${got:-0}" -ge "$COUNT" ]; then
			# The senders' rate wanders with the host's load: the best step.
			[ "$pps" -gt "$best" ] && best=$pps
		else
			echo "$best"
			return
		fi
	done
	# Nothing lost even at the senders' full speed: the senders' limit
	# (a lower bound on the reader's), not the reader's.
	echo "${best}+"
}

z1=$(ladder fan bpfdev 1)
z2=$(ladder fan bpfdev 2)
zp=$(ladder fan packet 2)
zp1=$(ladder fan packet 1)
zt=$(ladder tcpdump all)
if [ -n "$BASE" ]; then
	swap "$BASE"
	zo1=$(ladder fan bpfdev 1)
	zo2=$(ladder fan bpfdev 2)
	swap $NEW
fi

echo
echo "(b) rate captured with zero loss, a pktgen thread on each vCPU, $COUNT frames a step,"
echo "    everything accepted, 4 MiB per reader; steps (pps in all): $LADDER"
echo "    (N+: no loss even at the senders' full speed, N their best rate)"
printf '%-40s %12s\n' "capturer" "lossless pps"
printf '%-40s %12s\n' "bpfdev, 1 reader" "$z1"
printf '%-40s %12s\n' "bpfdev, 2-reader fanout group (hash)" "$z2"
printf '%-40s %12s\n' "AF_PACKET TPACKET_V3, 1 reader" "$zp1"
printf '%-40s %12s\n' "AF_PACKET PACKET_FANOUT, 2 readers (hash)" "$zp"
printf '%-40s %12s\n' "tcpdump -w /dev/null" "$zt"
if [ -n "$BASE" ]; then
	printf '%-40s %12s\n' "base module: bpfdev, 1 reader" "$zo1"
	printf '%-40s %12s\n' "base module: 2-reader fanout group" "$zo2"
fi
echo "ratios: bpfdev 2 readers / 1 reader = $(ratio "$z2" "$z1"); bpfdev 2 / AF_PACKET 2 = $(ratio "$z2" "$zp"); bpfdev 1 / tcpdump = $(ratio "$z1" "$zt")"
