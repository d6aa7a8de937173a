# SPDX-License-Identifier: GPL-2.0
#
# The clang-built examples on live traffic over a veth pair: syn_filter
# attached to a capture socket with `bpfctl prog attach` keeps only the
# SYNs of refused connections among UDP and ping traffic; ip_count counts
# ping packets per source address, read back with `bpfctl map dump`;
# events sends one ring buffer event per IPv4 packet to bpfdev-events.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 21

IP=/usr/bin/ip
T=/tmp/t52
mkdir -p $T
mark=$(dmesg_mark)
B=bpfctl

modprobe veth || { echo "1..0 # SKIP no veth"; exit 0; }

# bpfctl's count-limited attaches end while replies may still be under
# way, and the devices chatter (IPv6): the keys stay held until they are
# gone (finish).
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

setup() {
	$IP netns add exn &&
	$IP link add ex0 type veth peer name ex1 &&
	$IP link set ex1 netns exn &&
	$IP addr add 10.66.0.1/24 dev ex0 && $IP link set ex0 up &&
	$IP -n exn addr add 10.66.0.2/24 dev ex1 && $IP -n exn link set ex1 up &&
	ping -c 1 -W 2 10.66.0.2 >/dev/null
}
check "set up a veth pair into a namespace" setup

# bg NAME CMD...: CMD in the background, stdout NAME.out, stderr NAME.err;
# waits until READY (a pattern in NAME.err, or a file) appears.
bg() {
	_n=$1
	_ready=$2
	shift 2
	rm -f $T/$_n.out $T/$_n.err $T/$_n.ready
	"$@" >$T/$_n.out 2>$T/$_n.err &
	eval "pid_$_n=$!"
	_i=0
	while [ $_i -lt 300 ]; do
		case $_ready in
		/*) [ -f "$_ready" ] && break ;;
		*) grep -q "$_ready" $T/$_n.err 2>/dev/null && break ;;
		esac
		sleep 0.1
		_i=$((_i + 1))
	done
}
wait_bg() {
	eval "wait \$pid_$1"
}
refused_syns() {
	for _p in $(seq 1 "$1"); do
		pktsend tcp 10.66.0.2 9 1 >/dev/null 2>&1
	done
	return 0
}

# ---- syn_filter ------------------------------------------------------------
check "load syn_filter, pinned" $B prog load /bpfdev/syn_filter.bpf.o ex/syn
bg syn "attached to ex0" $B prog attach pinned ex/syn capture ex0 count 3 timeout 30
pktsend udp 10.66.0.2 9000 100 5 >/dev/null
ping -c 2 -W 1 10.66.0.2 >/dev/null
refused_syns 3
wait_bg syn
check "attach: exits once 3 packets are kept" [ $? -eq 0 ]
check "attach: 3 records, each an outgoing 74-byte IPv4 SYN" \
	[ "$(grep -c ' out ifindex [0-9]* proto 0x0800 len 74 caplen 74$' $T/syn.out)" -eq 3 ]
check "attach: the summary counts 3 accepted of many seen" \
	grep -q '^3 packets printed, seen [0-9]*, accepted 3, delivered 3, dropped 0$' $T/syn.out
seen=$(tail -n 1 $T/syn.out | sed 's/.*seen \([0-9]*\),.*/\1/')
check "attach: the UDP and ping packets were seen and rejected ($seen seen)" [ "${seen:-0}" -ge 15 ]
bg synj "attached to ex0" $B -j prog attach pinned ex/syn capture ex0 count 1 timeout 30
refused_syns 1
wait_bg synj
check "attach -j: packets and stats" \
	grep -q '^{"packets":\[{"tstamp_ns":[0-9]*,"ifindex":[0-9]*,"len":74,"caplen":74,"protocol":2048,"direction":"out"}\],"stats":{"seen":[0-9]*,"accepted":1,"delivered":1,"dropped":0}}$' $T/synj.out
$B map dump name syn_filt.bss >$T/bss.out
check "map dump of .bss: the program counted the 4 SYNs" \
	grep -q '^key: 00 00 00 00  value: 04 00 00 00 00 00 00 00$' $T/bss.out

# ---- ip_count --------------------------------------------------------------
check "load ip_count, pinned" $B prog load /bpfdev/ip_count.bpf.o ex/ipc
bg ipc "attached to ex0" $B prog attach pinned ex/ipc capture ex0 timeout 3
# A fifth of a second apart: all three replies inside the 3 s the attach
# lasts, on the debug kernel too (one ping a second missed the last).
ping -c 3 -i 0.2 -W 1 10.66.0.2 >/dev/null
wait_bg ipc
check "attach ip_count: it keeps nothing" grep -q '^0 packets printed, seen [0-9]*, accepted 0,' $T/ipc.out
$B map dump name counters >$T/cnt.out
# 3 echo requests from .1 and 3 replies from .2, 98 bytes each (0x126 = 294).
check "map dump counters: two sources" grep -qx 'Found 2 elements' $T/cnt.out
check "10.66.0.1: 3 packets, 294 bytes" \
	grep -q '^key: 0a 42 00 01  value: 03 00 00 00 00 00 00 00 26 01 00 00 00 00 00 00$' $T/cnt.out
check "10.66.0.2: 3 packets, 294 bytes" \
	grep -q '^key: 0a 42 00 02  value: 03 00 00 00 00 00 00 00 26 01 00 00 00 00 00 00$' $T/cnt.out
$B -j map lookup name counters key 10 66 0 1 >$T/cntj.out
check "map lookup -j of one source" \
	grep -q '^{"key":\["0x0a","0x42","0x00","0x01"\],"value":\["0x03",' $T/cntj.out

# ---- events ------------------------------------------------------------------
# Two pings: two requests out and two replies in, 98 bytes each.
bg ev $T/ev.ready bpfdev-events -i ex0 -n 4 -t 30 -R $T/ev.ready /bpfdev/events.bpf.o
ping -c 2 -W 1 10.66.0.2 >/dev/null
wait_bg ev
check "bpfdev-events: exits after 4 events" [ $? -eq 0 ]
check "bpfdev-events: 2 ICMP events 10.66.0.1 > 10.66.0.2" \
	[ "$(grep -c ' proto 1 10.66.0.1:0 > 10.66.0.2:0 len 98$' $T/ev.out)" -eq 2 ]
check "bpfdev-events: 2 ICMP events back" \
	[ "$(grep -c ' proto 1 10.66.0.2:0 > 10.66.0.1:0 len 98$' $T/ev.out)" -eq 2 ]
check "bpfdev-events: the count line" grep -qx '4 events' $T/ev.out

$B prog unpin ex/syn
check "prog unpin" $B prog unpin ex/ipc
$IP netns del exn 2>/dev/null
$IP link del ex0 2>/dev/null
check_not "dmesg clean" dmesg_bad_since $mark
finish
