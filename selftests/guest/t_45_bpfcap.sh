# SPDX-License-Identifier: GPL-2.0
#
# bpfcap live, on /dev/bpf: it and tcpdump (AF_PACKET) capture the same
# traffic at the same time and must agree (the packets written, byte for
# byte, and the summaries printed, on an Ethernet device, on VLAN-tagged
# frames and on "any"); -c, -Q, -G/-W rotation, nanosecond files, a
# filter run in userspace, --ebpf with a clang-built object, SIGINT/SIGTERM/SIGUSR1 and the three
# statistics lines; the errors a user can act on.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 33

IP=/usr/bin/ip
T=/tmp/bpfcap
mkdir -p $T
mark=$(dmesg_mark)

modprobe veth && modprobe 8021q || { echo "1..0 # SKIP no veth/8021q"; exit 0; }

# Captures start and end while a ping runs and the devices chatter
# (IPv6): the keys stay held until the devices are down.
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

setup() {
	$IP netns add bcn &&
	$IP link add bca type veth peer name bcb &&
	$IP link set bcb netns bcn &&
	$IP addr add 10.88.0.1/24 dev bca && $IP link set bca up &&
	$IP -n bcn addr add 10.88.0.2/24 dev bcb && $IP -n bcn link set bcb up &&
	$IP link add link bca name bca.20 type vlan id 20 &&
	$IP addr add 10.89.0.1/24 dev bca.20 && $IP link set bca.20 up &&
	$IP -n bcn link add link bcb name bcb.20 type vlan id 20 &&
	$IP -n bcn addr add 10.89.0.2/24 dev bcb.20 && $IP -n bcn link set bcb.20 up &&
	ping -c 1 -W 2 10.88.0.2 >/dev/null && ping -c 1 -W 2 10.89.0.2 >/dev/null
}
check "set up a veth pair with a VLAN on it" setup

# start NAME CMD...: CMD in the background (stdout NAME.out, stderr
# NAME.err) until it says it is listening; its pid in pid_NAME.
start() {
	_n=$1
	shift
	rm -f "$T/$_n.out" "$T/$_n.err"	# no stale "listening on"
	"$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	eval "pid_$_n=$!"
	_i=0
	while ! grep -q '^listening on' "$T/$_n.err" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# reap NAME: wait for it (SIGINT after 15 s: a missed packet must not
# hang the suite); its exit status in rc_NAME.
reap() {
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

# The packets of a savefile as text, without time stamps.
packets() {
	tcpdump -r "$1" -t -n -x 2>/dev/null
}

lines() {
	wc -l <"$1" | tr -d ' '
}

# ---- agreement with tcpdump -----------------------------------------------

start b bpfcap -i bca -c 10 -w $T/b.pcap icmp
start t tcpdump -Z root -i bca -c 10 -w $T/t.pcap icmp
ping -c 5 -i 0.2 10.88.0.2 >/dev/null
reap b
reap t
check "-c 10 -w: bpfcap exits 0 after ten packets" [ "$rc_b" = 0 ]
check "bpfcap and tcpdump wrote the same ten packets, byte for byte" \
	sh -c "[ \$(tcpdump -r $T/b.pcap 2>/dev/null | wc -l) = 10 ] && [ \"\$(tcpdump -r $T/b.pcap -t -n -x 2>/dev/null)\" = \"\$(tcpdump -r $T/t.pcap -t -n -x 2>/dev/null)\" ]"
check "exit statistics: 10 packets captured" grep -qx '10 packets captured' $T/b.err
check "exit statistics: received by filter and dropped by kernel lines" \
	sh -c "grep -q '^[0-9]* packets received by filter\$' $T/b.err && grep -qx '0 packets dropped by kernel' $T/b.err"

start b bpfcap -i bca -n -t -e -c 6 icmp
start t tcpdump -Z root -i bca -n -t -e -c 6 icmp
ping -c 3 -i 0.2 10.88.0.2 >/dev/null
reap b
reap t
check "printed -n -t -e: 6 lines, identical to tcpdump's" \
	sh -c "[ $(lines $T/b.out) = 6 ] && cmp $T/b.out $T/t.out"
diag "$(head -n 2 $T/b.out)"

start b bpfcap -i bca -n -t -e -v -c 6 'vlan 20 and icmp'
start t tcpdump -Z root -i bca -n -t -e -v -c 6 'vlan 20 and icmp'
ping -c 3 -i 0.2 10.89.0.2 >/dev/null
reap b
reap t
check "VLAN-tagged frames, -e -v: identical to tcpdump's" \
	sh -c "[ $(lines $T/b.out) -ge 6 ] && cmp $T/b.out $T/t.out"
diag "$(head -n 1 $T/b.out)"
diff $T/b.out $T/t.out | head -n 10 | sed 's/^/# /' 

start b bpfcap -i any -n -t -e -c 4 'icmp and host 10.88.0.2'
start t tcpdump -Z root -i any -n -t -e -c 4 'icmp and host 10.88.0.2'
ping -c 2 -i 0.2 10.88.0.2 >/dev/null
reap b
reap t
check "-i any -e: interface, direction, cooked header and packets as tcpdump's" \
	sh -c "[ $(lines $T/b.out) = 4 ] && cmp $T/b.out $T/t.out"
diag "$(head -n 1 $T/b.out)"
check "-i any: link type LINUX_SLL2 announced" grep -q 'link-type LINUX_SLL2' $T/b.err

start b bpfcap -i lo -n -t -c 2 icmp
start t tcpdump -Z root -i lo -n -t -c 2 icmp
ping -c 1 127.0.0.1 >/dev/null
reap b
reap t
check "-i lo: each packet once, as tcpdump prints it" \
	sh -c "[ $(lines $T/b.out) = 2 ] && cmp $T/b.out $T/t.out"

# A cooked-header field the kernel cannot give (hatype at SLL2 offset 8):
# the filter runs in bpfcap, through the same engine.
start b bpfcap -i any -n -t -c 2 'link[8:2] = 1 and icmp and host 10.88.0.2'
ping -c 1 10.88.0.2 >/dev/null
reap b
check "-i any, a filter run in userspace: 2 packets" sh -c "[ $(lines $T/b.out) = 2 ] && [ $rc_b = 0 ]"

# --ebpf: a clang-built socket filter keeping ICMP echo requests.
start b bpfcap -i bca -n -t -c 2 --ebpf /bpfdev/echo_filter.bpf.o:socket
ping -c 2 -i 0.2 10.88.0.2 >/dev/null
reap b
check "--ebpf echo_filter.bpf.o:socket: the two echo requests, no reply" \
	sh -c "[ $rc_b = 0 ] && [ $(lines $T/b.out) = 2 ] && [ \$(grep -c 'echo request' $T/b.out) = 2 ]"
diag "$(head -n 1 $T/b.out)"
grep -v '^listening\|^[0-9]* packets\? \|verbose output' $T/b.err | sed 's/^/# /' 

# ---- direction, files, rotation -------------------------------------------

start b bpfcap -i bca -n -t -Q in -c 2 icmp
ping -c 2 -i 0.2 10.88.0.2 >/dev/null
reap b
check "-Q in: only the echo replies" sh -c "[ \$(grep -c 'echo reply' $T/b.out) = 2 ]"
start b bpfcap -i bca -n -t -Q out -c 2 icmp
ping -c 2 -i 0.2 10.88.0.2 >/dev/null
reap b
check "-Q out: only the echo requests" sh -c "[ \$(grep -c 'echo request' $T/b.out) = 2 ]"

start b bpfcap -i bca -c 2 --time-stamp-precision=nano -w $T/n.pcap icmp
ping -c 1 10.88.0.2 >/dev/null
reap b
check "--time-stamp-precision=nano: a nanosecond savefile" \
	[ "$(od -An -tx1 -N4 $T/n.pcap | tr -d ' ')" = 4d3cb2a1 ]
check "tcpdump reads it: 2 packets with 9-digit fractions" \
	sh -c "[ \$(tcpdump -r $T/n.pcap --time-stamp-precision=nano -tt -n 2>/dev/null | grep -c '^[0-9]*\.[0-9]\{9\} ') = 2 ]"

start b bpfcap -i bca -s 60 -c 2 -w $T/s60.pcap icmp
ping -c 1 10.88.0.2 >/dev/null
reap b
check "-s 60: two records of 60 bytes (a 176-byte file)" \
	[ "$(wc -c <$T/s60.pcap | tr -d ' ')" = 176 ]
bpfcap -D >$T/d.out 2>&1
check "-D: lists bca and any, numbered as tcpdump does" \
	sh -c "grep -q '^[0-9]*\.bca ' $T/d.out && grep -q '^[0-9]*\.any ' $T/d.out"

rm -f $T/g.*
ping -c 25 -i 0.2 10.88.0.2 >/dev/null &
pingpid=$!
start b bpfcap -i bca -G 1 -W 3 -w "$T/g.%s" icmp
reap b
kill $pingpid 2>/dev/null
wait $pingpid 2>/dev/null
check "-G 1 -W 3: stops by itself with status 0 after 3 files" \
	sh -c "[ $rc_b = 0 ] && [ \$(ls $T/g.* | wc -l) = 3 ]"
check "-G files are savefiles tcpdump reads" \
	sh -c "for f in $T/g.*; do tcpdump -r \$f -n >/dev/null 2>&1 || exit 1; done"

# ---- signals and statistics -------------------------------------------------

start b bpfcap -i bca -n icmp
ping -c 3 -i 0.2 10.88.0.2 >/dev/null
sleep 1.5
kill -USR1 $pid_b
sleep 0.5
kill -INT $pid_b
reap b
check "SIGINT: exit status 0" [ "$rc_b" = 0 ]
check "SIGINT: 6 summaries printed" [ "$(lines $T/b.out)" = 6 ]
check "SIGINT: 6 packets captured / received by filter / 0 dropped" \
	sh -c "grep -qx '6 packets captured' $T/b.err && grep -qx '6 packets received by filter' $T/b.err && grep -qx '0 packets dropped by kernel' $T/b.err"
check "SIGUSR1: the one-line status" \
	grep -q '^bpfcap: 6 packets captured, 6 packets received by filter, 0 packets dropped by kernel$' $T/b.err

start b bpfcap -i bca -w $T/s.pcap icmp
ping -c 2 -i 0.2 10.88.0.2 >/dev/null
sleep 1.5
kill -TERM $pid_b
reap b
check "SIGTERM: exit 0, statistics, and a complete savefile" \
	sh -c "[ $rc_b = 0 ] && grep -qx '4 packets captured' $T/b.err && [ \$(tcpdump -r $T/s.pcap 2>/dev/null | wc -l) = 4 ]"

# A ring of 64 KiB and a burst: whatever was dropped is counted, and
# captured + dropped = received by filter.
start b bpfcap -i bca -B 64 -w $T/d.pcap udp
pktsend udp 10.88.0.2 9 1400 3000 0 >/dev/null
sleep 2
kill -INT $pid_b
reap b
cap=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' $T/b.err)
rcv=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' $T/b.err)
drp=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' $T/b.err)
diag "-B 64 burst of 3000: captured $cap, received $rcv, dropped $drp"
check "-B 64: captured + dropped = received by filter" \
	sh -c "[ -n '$cap' ] && [ $((cap + drp)) = '$rcv' ] && [ '$rcv' -gt 0 ]"
check "-B 64: the file holds exactly the captured packets" \
	[ "$(tcpdump -r $T/d.pcap 2>/dev/null | wc -l)" = "$cap" ]

# ---- errors a user can act on -------------------------------------------------

bpfcap -i nosuchdev0 >/dev/null 2>$T/e.err
rc=$?
check "no such device: exit 1 and tcpdump's words" \
	sh -c "[ $rc = 1 ] && grep -q 'nosuchdev0: No such device exists' $T/e.err"
bpfcap -i bca 'tcp port' >/dev/null 2>$T/e.err
rc=$?
check "bad expression: libpcap's message" \
	sh -c "[ $rc = 1 ] && grep -q \"can't parse filter expression: syntax error\" $T/e.err"
# An unprivileged user (the initramfs has none: add one).
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group || echo 'nogroup:x:65534:' >>/etc/group
chmod 0600 /dev/bpf
if su -s /bin/sh nobody -c true 2>/dev/null; then
	su -s /bin/sh nobody -c "/bpfdev/bpfcap -i bca -c 1" >/dev/null 2>$T/e.err
	rc=$?
	check "permission denied: exit 1, says so and what to do" \
		sh -c "[ $rc = 1 ] && grep -q '/dev/bpf: Permission denied: run as root' $T/e.err"
else
	echo "ok $((_tap_n + 1)) - permission denied: says so # SKIP su does not work in the guest"
	_tap_n=$((_tap_n + 1))
fi
# Quiet (both ends down) before the keys go, and before the unload.
$IP link set bca down
$IP -n bcn link set bcb down
keys_release
rmmod bpfdev
bpfcap -i bca -c 1 >/dev/null 2>$T/e.err
rc=$?
insmod "$BPFDEV_KO"
check "no /dev/bpf: exit 1, says to insmod kmod/bpfdev.ko" \
	sh -c "[ $rc = 1 ] && grep -q 'insmod kmod/bpfdev.ko' $T/e.err"

$IP link del bca
$IP netns del bcn
if dmesg_bad_since "$mark"; then bad=1; else bad=0; fi
result "no WARN, BUG or leak in dmesg" $bad
finish
