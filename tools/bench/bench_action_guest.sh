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
# With BENCH_PERF=N, each setup's hook is also profiled (share()), and
# with BENCH_PERF_TOP=N its N busiest symbols on every CPU are listed.
# pktgen's rate is bounded by the receive path on its own CPU, so the
# flood rate measures what each setup costs.  ROUNDS rounds of COUNT
# frames, the setups back to back in each round, each right after a flood
# with nothing; the table gives the median rate and the median change
# from the flood just before (the host's load moves absolute rates from
# one second to the next, adjacent floods' ratio much less), and the
# spread of that change over the rounds (lowest..highest); then the same
# as the time each packet took more than with nothing (ns/pkt).  Each round
# starts one setup later than the one before (the first goes last), so
# that no setup always comes first after the module load or a swap; with
# ROUNDS a multiple of the number of setups each takes every place
# equally often, and the last lines give the median change by place.
#
# BENCH_BASE_KO (a path in the guest): another build of bpfdev.ko whose
# pass-all and drop-all are measured in the same rounds (the module is
# swapped twice a round), to compare a change with what it changed.

COUNT=${BENCH_COUNT:-50000}
ROUNDS=${BENCH_ROUNDS:-9}
BASE=${BENCH_BASE_KO:-}
BENCH_PERF=${BENCH_PERF:-}
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

# flood: sends COUNT frames from va; prints the achieved pps.  A script
# of its own, for perf (the host's, through host-run) to run too.
cat >$T/flood.sh <<'EOF_FLOOD'
pg() { echo "$1" >"$2"; }
d=/proc/net/pktgen/va
# rem_device_all waits 125 ms for the pktgen thread, which a loaded
# host may not give it: va must be gone before it is added again
pg "rem_device_all" /proc/net/pktgen/kpktgend_0
while [ -e $d ]; do
	sleep 0.1
done
pg "add_device va" /proc/net/pktgen/kpktgend_0
pg "count $1" $d
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
EOF_FLOOD
flood() { sh $T/flood.sh "$COUNT"; }

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

# Each setup is attached by SETUP_on ARG and detached by SETUP_off ARG:
#   b: bpfdev, tc_ARG.bpf.o at vb ingress through acttool
#   t: tc-bpf, the same object in cls_bpf at vb ingress.  Through ip
#      netns exec, not tc -n: host-run's /run is a copy made at its
#      first call, where actb is an empty file.
#   n: an nftables netdev ingress chain on vb holding the rule ARG (or none)
b_on() { $IP netns exec actb acttool attach vb in "pinned:bench/$1" -p 1 -P || exit 1; }
b_off() { $IP netns exec actb acttool detach vb in 1; }
t_on() {
	printf 'qdisc add dev vb clsact\nfilter add dev vb ingress pref 1 bpf da obj /bpfdev/tc_%s.bpf.o sec tc\n' \
		"$1" >$T/tc.batch
	$IP netns exec actb host-run tc -batch $T/tc.batch || exit 1
}
t_off() { $IP netns exec actb host-run tc qdisc del dev vb clsact; }
n_on() {
	printf 'table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device vb priority 0;\n\t\t%s\n\t}\n}\n' \
		"$1" >$T/nft.conf
	$IP netns exec actb host-run nft -f $T/nft.conf || exit 1
}
n_off() { $IP netns exec actb host-run nft delete table netdev t; }

# paired SETUP ARG prints "N:S": a flood with nothing at vb (N pps)
# right before the flood with the setup (S pps).  The host's load moves
# the rates by a factor of several within a minute; S/N of adjacent
# floods moves far less, and its median is what the table reports.
paired() {
	printf '%s:' "$(flood)"
	"$1_on" "$2"
	flood
	"$1_off" "$2"
}

# share NAME SETUP ARG SYM: one flood (3 COUNT) with the setup under perf (a
# software clock on the sending CPU, where the receive path runs too, in
# pktgen's softirqs).  Of the sending thread's samples it gives the
# share under SYM, the hook's entry (nf_hook_slow for netfilter hooks,
# tcf_classify for tc), and under __netif_receive_skb_one_core, the
# whole receive path with the hook and what it leaves inline there
# (rx).  The rest, allocating and sending, costs the same per packet in
# every setup, so a receive share r means a rate (1 - r) / (1 - r0) of
# nothing's, r0 being the share with nothing.  Time the host takes from
# the guest falls on whatever runs, in proportion: shares move far less
# with the host's load than rates do (but count few samples: +-1 point).
#
# The profile covers every CPU (-a), so the same flood also tells where the
# rest of the work goes: each command's share of all CPUs' samples
# (ksoftirqd taking over the softirqs, the other CPU, RCU), and with
# BENCH_PERF_TOP=N the N symbols with the most samples of their own on
# every CPU but idle, to compare one setup's packet path with another's.
share() {
	[ "$2" = - ] || "$2_on" "$3"
	host-run perf record -q -a -g -e cpu-clock -F 4000 -o $T/perf.data -- \
		sh $T/flood.sh $((COUNT * 3)) >/dev/null 2>&1
	[ "$2" = - ] || "$2_off" "$3"
	printf '%-36s' "  commands, all CPUs"
	host-run perf report -i $T/perf.data --no-children --sort comm --stdio -g none \
		2>/dev/null | awk '$1 ~ /%$/ && $1 + 0 >= 0.5 { printf " %s %s", $2, $1 }
		END { print "" }'
	if [ -n "${BENCH_PERF_TOP:-}" ]; then
		host-run perf report -i $T/perf.data --no-children --sort comm,sym --stdio \
			-g none 2>/dev/null | awk '$1 ~ /%$/ && $2 != "swapper"' |
			head -n "$BENCH_PERF_TOP" | sed 's/^/    /'
	fi
	host-run perf report -i $T/perf.data --comms kpktgend_0 --children --sort sym \
		--stdio -g none 2>/dev/null | awk -v name="$1" -v sym="$4" -v r0="$R0" '
		$4 == "pktgen_thread_worker" { t = $1 + 0 }
		$4 == "__netif_receive_skb_one_core" { rx = $1 + 0 }
		$4 == sym { h = $1 + 0 }
		END {
			if (!t) { printf "%-36s no samples\n", name; exit }
			r = rx / t
			printf "%-36s %8.1f%% %8.1f%% %10s", name, h * 100 / t, r * 100, sym
			if (r0 != "")
				printf " %+8.1f%%", ((1 - r) / (1 - r0) - 1) * 100
			printf "\n"
			if (r0 == "")
				print r >"/tmp/bench/r0"
		}'
}

# record KEY POS N:S: one paired result of setup KEY, run at place POS
record() { echo "$3 $2" >>"$T/res.$1"; }

# setup KEY POS: runs setup KEY (its paired floods) and records it.  "o"
# is the base module's pass-all and drop-all, run after a swap to it (in
# either order, alternating by round) and before the swap back.
setup() {
	case $1 in
	bp) record bp "$2" "$(paired b pass)" ;;
	bd) record bd "$2" "$(paired b drop)" ;;
	kp) record kp "$2" "$(paired t pass)" ;;
	kd) record kd "$2" "$(paired t drop)" ;;
	na) record na "$2" "$(paired n '')" ;;
	nd) record nd "$2" "$(paired n drop)" ;;
	o)
		swap "$BASE"
		if [ $((r % 2)) -eq 0 ]; then
			record obp "$2" "$(paired b pass)"
			record obd "$2" "$(paired b drop)"
		else
			record obd "$2" "$(paired b drop)"
			record obp "$2" "$(paired b pass)"
		fi
		swap $NEW
		;;
	esac
}

load
rm -f "$T"/res.*
none=
order="bp bd"
[ -z "$peers" ] || order="$order kp kd na nd"
[ -z "$BASE" ] || order="$order o"
r=0
while [ $r -lt "$ROUNDS" ]; do
	none="$none $(flood)"
	pos=1
	for k in $order; do
		setup "$k" $pos
		pos=$((pos + 1))
	done
	echo "# round $((r + 1)): $order" >&2
	# the next round starts with this one's second setup
	case $order in
	*" "*) order="${order#* } ${order%% *}" ;;
	esac
	r=$((r + 1))
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# lowest..highest of numbers, one a line
spread() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s..%s", lo, hi }'; }
# res.KEY lines are "N:S POS": the S of each; the change S/N - 1 in percent
rates() { cut -d' ' -f1 | cut -d: -f2; }
changes() { awk -F'[: ]' '$1 > 0 { printf "%.1f\n", ($2 - $1) * 100 / $1 }'; }
# the time each packet took more than with nothing, ns (1e9/S - 1e9/N):
# under BENCH_ICOUNT=0, instructions
added() { awk -F'[: ]' '$1 > 0 && $2 > 0 { printf "%.0f\n", 1e9 / $2 - 1e9 / $1 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (100 + a) / (100 + b) }'; }

echo "bench_action: 64-byte frames, pktgen over veth, $ROUNDS rounds of $COUNT frames," \
	"setup order rotated each round"
printf '%-36s %12s %18s %16s %8s %14s\n' "at the peer's ingress" "median pps" \
	"vs nothing (paired)" "spread (rounds)" "ns/pkt" "spread"
printf '%-36s %12s %18s %16s %8s %14s\n' "nothing" "$(echo $none | median)" "-" \
	"$(echo $none | tr ' ' '\n' | grep . | spread)" "-" "-"
row() {
	[ -s "$T/res.$2" ] || return 0
	c=$(changes <"$T/res.$2" | median)
	printf '%-36s %12s %17s%% %15s%% %8s %14s\n' "$1" "$(rates <"$T/res.$2" | median)" "$c" \
		"$(changes <"$T/res.$2" | spread)" "$(added <"$T/res.$2" | median)" \
		"$(added <"$T/res.$2" | spread)"
	echo "$c" >"$T/$2"
}
row "bpfdev pass-all (TC_ACT_OK)" bp
row "tc-bpf pass-all (cls_bpf da)" kp
row "bpfdev drop-all (TC_ACT_SHOT)" bd
row "tc-bpf drop-all (cls_bpf da)" kd
row "nftables drop" nd
row "nftables ingress chain, no rule" na
row "bpfdev pass-all, base module" obp
row "bpfdev drop-all, base module" obd
# rates relative to each other, through their paired changes
if [ -n "$peers" ]; then
	echo "bpfdev drop rate / tc-bpf's: $(ratio "$(cat $T/bd)" "$(cat $T/kd)")," \
		"/ nftables': $(ratio "$(cat $T/bd)" "$(cat $T/nd)")"
	echo "pass-all rate, bpfdev / tc-bpf: $(ratio "$(cat $T/bp)" "$(cat $T/kp)")"
fi
[ -z "$BASE" ] || echo "this module / base: pass-all $(ratio "$(cat $T/bp)" "$(cat $T/obp)")," \
	"drop-all $(ratio "$(cat $T/bd)" "$(cat $T/obd)")"
# the change by place in the round, over every setup (the base module's
# two share their place), and each setup's change where it ran first
printf 'median change by place in the round:'
for f in "$T"/res.*; do cat "$f"; done | awk -F'[: ]' '$1 > 0 {
	printf "%s %.1f\n", $3, ($2 - $1) * 100 / $1 }' | sort -n -k1,1 -k2,2 | awk '
	{ v[$1, ++n[$1]] = $2; if ($1 > m) m = $1 }
	END { for (p = 1; p <= m; p++) printf " %d: %s%%", p, v[p, int((n[p] + 1) / 2)]; print "" }'
printf 'change where it ran first:'
for k in bp kp bd kd nd na obp obd; do
	[ -s "$T/res.$k" ] || continue
	c=$(awk '$2 == 1' "$T/res.$k" | changes | median)
	[ -n "$c" ] && c="$c%" || c=-
	printf ' %s %s' "$k" "$c"
done
echo
echo "# pps (nothing:setup place) per round: none [$none ]"
for k in bp kp bd kd nd na obp obd; do
	[ ! -s "$T/res.$k" ] || echo "# $k [ $(tr '\n' ',' <"$T/res.$k")]"
done

[ -n "$BENCH_PERF" ] || exit 0
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
printf '%-36s %9s %9s %10s %9s\n' "share of the sender's time (perf)" "hook" "rx" "hook entry" "rate"
p=0
while [ $p -lt "$BENCH_PERF" ]; do
	R0=
	share "nothing" - '' nf_hook_slow
	R0=$(cat $T/r0)
	share "bpfdev pass-all" b pass nf_hook_slow
	share "bpfdev drop-all" b drop nf_hook_slow
	if [ -n "$peers" ]; then
		share "tc-bpf pass-all" t pass tcf_classify
		share "tc-bpf drop-all" t drop tcf_classify
		share "nftables ingress chain, no rule" n '' nf_hook_slow
		share "nftables drop" n drop nf_hook_slow
	fi
	if [ -n "$BASE" ]; then
		swap "$BASE"
		share "bpfdev pass-all, base module" b pass nf_hook_slow
		share "bpfdev drop-all, base module" b drop nf_hook_slow
		swap $NEW
	fi
	p=$((p + 1))
done
