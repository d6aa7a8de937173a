# SPDX-License-Identifier: GPL-2.0
#
# bpfcap live with a filter longer than the kernel takes (4,355
# instructions; BPF_MAXINSNS is 4,096): the module refuses it (EINVAL),
# and bpfcap, like tcpdump on Linux, warns, keeps everything in the
# kernel and filters each record in userspace (libpcap's bpf_filter()).
# Next to tcpdump on a veth pair and on "any": the same packets, byte for
# byte and as printed; "received by filter" counts the filter's matches.
# (Each run compiles the filter: seconds under TCG, so few runs.)

. "$BPFDEV_TEST_DIR/lib.sh"

plan 9

IP=/usr/bin/ip
T=/tmp/bpfcap_long
mkdir -p $T
mark=$(dmesg_mark)

modprobe veth || { echo "1..0 # SKIP no veth"; exit 0; }

# The peer chatters (IPv6) while captures start and end: the keys stay
# held until the devices are gone (finish).
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

setup() {
	$IP netns add bln &&
	$IP link add bla type veth peer name blb &&
	$IP link set blb netns bln &&
	$IP addr add 10.87.0.1/24 dev bla && $IP link set bla up &&
	$IP -n bln addr add 10.87.0.2/24 dev blb && $IP -n bln link set blb up &&
	ping -c 1 -W 2 10.87.0.2 >/dev/null
}
check "set up a veth pair" setup
# No router solicitations or other stray traffic while counting.
echo 1 >/proc/sys/net/ipv6/conf/bla/disable_ipv6

# Matches UDP to 2001..2210 (of any length but one per port), and 53.
i=1
e=
while [ $i -le 210 ]; do
	e="$e(udp dst port $((2000 + i)) and len != $((100 + i))) or "
	i=$((i + 1))
done
e="${e}udp port 53"	# 4,355 instructions (libpcap 1.10)

launch() {	# CMD in the background (NAME.out, NAME.err); its pid in pid_NAME
	_n=$1
	shift
	rm -f "$T/$_n.out" "$T/$_n.err"
	"$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	eval "pid_$_n=$!"
}

# Until both say they listen: launched together, the two compile the
# filter at the same time, one per vCPU (seconds each under TCG).
listening() {
	_i=0
	while [ $_i -lt 300 ]; do
		grep -q '^listening on' "$T/$1.err" 2>/dev/null &&
			grep -q '^listening on' "$T/$2.err" 2>/dev/null && return
		sleep 0.1
		_i=$((_i + 1))
	done
}

reap() {	# wait for it, SIGINT after 15 s; its status in rc_NAME
	eval "_p=\$pid_$1"
	_i=0
	while kill -0 $_p 2>/dev/null && [ $_i -lt 150 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 $_p 2>/dev/null; then
		diag "$1 still running after 15 s: interrupted"
		kill -INT $_p
	fi
	wait $_p
	eval "rc_$1=$?"
}

# Three datagrams nobody asked for, then 2 + 2 that match.
traffic() {
	pktsend udp "$1" 3000 20 3 >/dev/null
	pktsend udp "$1" 2005 20 2 >/dev/null
	pktsend udp "$1" 2200 40 2 >/dev/null
}

launch b bpfcap -i bla -w $T/b.pcap "$e"
launch t tcpdump -Z root -i bla -w $T/t.pcap "$e"
listening b t
traffic 10.87.0.2
sleep 1.5
kill -INT $pid_b $pid_t
reap b
reap t
check "bpfcap warns as tcpdump does, with the module's reason (the length), and exits 0" \
	sh -c "[ $rc_b = 0 ] && grep -q '^Warning: Kernel filter failed: Invalid argument (classic program length out of range)' $T/b.err"
grep '^Warning' $T/b.err $T/t.err | sed 's/^/# /'
check "bpfcap and tcpdump wrote the same 4 packets, byte for byte" \
	sh -c "[ \$(tcpdump -r $T/b.pcap 2>/dev/null | wc -l) = 4 ] && [ \"\$(tcpdump -r $T/b.pcap -t -n -x 2>/dev/null)\" = \"\$(tcpdump -r $T/t.pcap -t -n -x 2>/dev/null)\" ]"
check "statistics: 4 captured, 4 received by filter (not every packet), 0 dropped" \
	sh -c "grep -qx '4 packets captured' $T/b.err && grep -qx '4 packets received by filter' $T/b.err && grep -qx '0 packets dropped by kernel' $T/b.err"
grep 'packets' $T/b.err $T/t.err | sed 's/^/# /'

# "any", printed: the cooked header bpfcap builds, filtered by the
# program as compiled for it (the kernel's copy was the fixed-up one).
launch b bpfcap -i any -n -t -e -c 4 "$e"
launch t tcpdump -Z root -i any -n -t -e -c 4 "$e"
listening b t
traffic 10.87.0.2
reap b
reap t
check "-i any -n -t -e -c 4: printed as tcpdump prints it" \
	sh -c "[ $rc_b = 0 ] && [ \$(wc -l <$T/b.out) = 4 ] && cmp $T/b.out $T/t.out"
diag "$(head -n 1 $T/b.out)"
check "-i any: the same warning" grep -q '^Warning: Kernel filter failed: Invalid argument' $T/b.err

# A filter the kernel refuses for another reason is still an error
# (protochain: a backward jump), not a silent fallback.
bpfcap -i bla -c 1 'ip protochain 17' >/dev/null 2>$T/e.err
rc=$?
check "a refused short filter: exit 1, the kernel's reason" \
	sh -c "[ $rc = 1 ] && grep -q \"can't attach the filter: Invalid argument\" $T/e.err"

$IP link del bla
$IP netns del bln
if dmesg_bad_since "$mark"; then bad=1; else bad=0; fi
result "no WARN, BUG or leak in dmesg" $bad
finish
