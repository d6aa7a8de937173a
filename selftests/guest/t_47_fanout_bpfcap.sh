# SPDX-License-Identifier: GPL-2.0
#
# bpfcap --fanout=N[,MODE]: N readers of one fanout group on a veth,
# with tcpdump (AF_PACKET) capturing the same traffic alongside: -w
# writes one file per reader (FILE0, FILE1), which together hold
# tcpdump's packets, each ping flow (requests and replies) in one file
# in hash mode; -c counts over all readers; the summed exit statistics.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 7

IP=/usr/bin/ip
T=/tmp/fanout
mkdir -p $T

modprobe veth || { echo "1..0 # SKIP no veth"; exit 0; }

# bpfcap -c 5 ends while the sixth ping is still under way, and the
# devices chatter (IPv6): the keys stay held until they are gone.
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

setup() {
	$IP netns add fon &&
	$IP link add foa type veth peer name fob &&
	$IP link set fob netns fon &&
	$IP addr add 10.90.0.1/24 dev foa && $IP link set foa up &&
	$IP -n fon addr add 10.90.0.2/24 dev fob && $IP -n fon link set fob up &&
	$IP -n fon addr add 10.90.0.3/24 dev fob &&
	$IP -n fon addr add 10.90.0.4/24 dev fob &&
	ping -c 1 -W 2 10.90.0.2 >/dev/null
}
check "set up a veth pair" setup

# start NAME CMD...: as t_45_bpfcap: in the background until listening.
start() {
	_n=$1
	shift
	rm -f "$T/$_n.out" "$T/$_n.err"
	"$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	eval "pid_$_n=$!"
	_i=0
	while ! grep -q '^listening on' "$T/$_n.err" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 0.5	# the other readers join after the first says so
}

stop() {
	eval "_p=\$pid_$1"
	kill -INT $_p
	wait $_p
	eval "rc_$1=$?"
}

packets() {
	for f in "$@"; do
		tcpdump -r "$f" -t -n -x 2>/dev/null
	done | sort
}

start b bpfcap --fanout=2,hash -i foa -w $T/f icmp
start t tcpdump -Z root -i foa -w $T/t.pcap icmp
for h in 2 3 4; do
	ping -c 4 -i 0.1 10.90.0.$h >/dev/null
done
sleep 1
stop b
stop t
check "two readers wrote f0 and f1, and exited 0" \
	sh -c "[ $rc_b = 0 ] && [ -s $T/f0 ] && [ -s $T/f1 ]"
# A function, not sh -c: a child shell has no packets().
same_packets() {
	[ "$(tcpdump -r $T/t.pcap 2>/dev/null | wc -l)" = 24 ] &&
		[ "$(packets $T/t.pcap | wc -l)" -gt 24 ] &&
		[ "$(packets $T/f0 $T/f1)" = "$(packets $T/t.pcap)" ]
}
check "f0 and f1 together hold tcpdump's 24 packets, byte for byte" same_packets
split=0
for h in 2 3 4; do
	a=$(tcpdump -r $T/f0 -n "host 10.90.0.$h" 2>/dev/null | wc -l)
	b=$(tcpdump -r $T/f1 -n "host 10.90.0.$h" 2>/dev/null | wc -l)
	[ "$a" = 0 ] || [ "$b" = 0 ] || split=1
	diag "10.90.0.$h: $a in f0, $b in f1"
done
check "hash: each flow, requests and replies, in one file" [ $split = 0 ]
check "exit statistics summed: 24 packets captured" grep -qx '24 packets captured' $T/b.err

start b bpfcap --fanout=2,rr -i foa -n -t -c 5 icmp
ping -c 6 -i 0.2 10.90.0.2 >/dev/null
_i=0
while kill -0 $pid_b 2>/dev/null && [ $_i -lt 50 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
kill -0 $pid_b 2>/dev/null && kill -INT $pid_b
wait $pid_b
rc_b=$?
check "-c 5 over two round-robin readers: five summaries, exit 0 ($(wc -l <$T/b.out | tr -d ' ') lines)" \
	sh -c "[ $rc_b = 0 ] && [ \$(wc -l <$T/b.out) = 5 ]"
# No veth left up (and chattering) for the tests after this one.
$IP link del foa
$IP netns del fon
finish
