# SPDX-License-Identifier: GPL-2.0
#
# Capture on real devices: a veth pair into a namespace, a VLAN on it and
# a dummy device.  Known traffic (ping, UDP of given sizes, a TCP
# transfer, VLAN-tagged frames) is captured with exact counts and bytes,
# and the same traffic captured at the same time by tcpdump (AF_PACKET)
# gives the same packets byte for byte.  Then 8 sockets on one device
# plus one on "any", and devices deleted or moved away mid-capture.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 33

IP=/usr/bin/ip
T=/tmp/capveth
mkdir -p $T
mark=$(dmesg_mark)

# numdummies=0: no dummy0 left in the root namespace for later tests
# (a socket on "any" there would tap it, flipping the egress keys).
modprobe veth && modprobe 8021q && modprobe dummy numdummies=0 ||
	{ echo "1..0 # SKIP no veth/8021q/dummy"; exit 0; }

# Every capture here is bound and closed while the devices chatter
# (IPv6) or a sender may still run: the keys stay held until they are gone.
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

setup() {
	$IP netns add capb &&
	$IP link add va type veth peer name vb &&
	$IP link set vb netns capb &&
	$IP addr add 10.77.0.1/24 dev va && $IP link set va up &&
	$IP -n capb addr add 10.77.0.2/24 dev vb && $IP -n capb link set vb up &&
	$IP -n capb link set lo up &&
	$IP link add link va name va.10 type vlan id 10 &&
	$IP addr add 10.78.0.1/24 dev va.10 && $IP link set va.10 up &&
	$IP -n capb link add link vb name vb.10 type vlan id 10 &&
	$IP -n capb addr add 10.78.0.2/24 dev vb.10 && $IP -n capb link set vb.10 up &&
	$IP link add dm0 type dummy && $IP addr add 10.79.0.1/24 dev dm0 &&
	$IP link set dm0 up &&
	# Resolve neighbours now so that later counts hold only our packets.
	ping -c 1 -W 2 10.77.0.2 >/dev/null && ping -c 1 -W 2 10.78.0.2 >/dev/null
}
check "set up veth, vlan and dummy devices" setup

# Classic programs as libpcap compiles them for an Ethernet device.
ddd() {
	tcpdump -i "$1" -ddd "$2" >"$T/$3.ddd" 2>/dev/null
}
ddd va icmp icmp
ddd va 'udp and dst port 9000' udp9000
ddd va 'tcp port 9100' tcp9100
ddd va 'ip host 10.77.0.2' host
ddd va 'vlan 10 and icmp' vlan
ddd dm0 icmp icmpdm

# start_cap NAME CAPTOOL-ARGS...: runs captool in the background until bound.
start_cap() {
	_n=$1
	shift
	rm -f "$T/$_n.ready"
	captool -R "$T/$_n.ready" "$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	eval "pid_$_n=$!"
	_i=0
	while [ ! -f "$T/$_n.ready" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# stop_cap NAME: SIGINT, then its exit status is in $rc.
stop_cap() {
	eval "_p=\$pid_$1"
	kill -INT "$_p" 2>/dev/null
	wait "$_p"
	rc=$?
}

# val NAME FIELD: a number from captool's last line.
val() {
	tail -n 1 "$T/$1.out" | awk -v f="$2" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }'
}

start_tcpdump() {
	rm -f "$T/td.err"
	tcpdump -i "$1" -Z root -U --immediate-mode -s 256 -w "$T/td.pcap" "$2" 2>"$T/td.err" &
	td_pid=$!
	_i=0
	while ! grep -q listening "$T/td.err" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

stop_tcpdump() {
	sleep 0.5
	kill -INT "$td_pid"
	wait "$td_pid"
}

# start_sink PORT OUT: pktsend's TCP sink in capb, waited for until it
# listens (a fixed half second lost the race on a debug kernel: the
# sender got ECONNREFUSED and the sink waited for it for ever).
start_sink() {
	$IP netns exec capb pktsend tcpsink "$1" >"$2" &
	sink=$!
	_l=$(printf ':%04X 00000000:0000 0A ' "$1")
	_i=0
	while ! $IP netns exec capb cat /proc/net/tcp | grep -q "$_l" &&
		[ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# send_to_sink BYTES: the transfer; a sender that fails ends the sink too.
send_to_sink() {
	pktsend tcp 10.77.0.2 9100 "$1" >/dev/null || kill "$sink" 2>/dev/null
	wait "$sink"
}

# One line per packet: headers and bytes, no timestamps; sorted.
packets() {
	tcpdump -r "$1" -n -t -e -x 2>/dev/null |
		awk '/^[^ \t]/ { if (p != "") print p; p = $0; next } { p = p " " $0 } END { if (p != "") print p }' |
		sort
}

# ---- ping: 5 requests out, 5 replies in; per direction -------------------
start_cap ping -i va -F "$T/icmp.ddd"
start_cap pingin -i va -F "$T/icmp.ddd" -Q in
start_cap pingout -i va -F "$T/icmp.ddd" -Q out -r
ping -c 5 -i 0.2 10.77.0.2 >/dev/null
sleep 0.3
stop_cap ping
stop_cap pingin
stop_cap pingout
check "ping: 10 ICMP records on va ($(val ping records))" [ "$(val ping records)" = 10 ]
check "ping: 980 bytes ($(val ping bytes))" [ "$(val ping bytes)" = 980 ]
check "ping: stats accepted 10 delivered 10 dropped 0" \
	[ "$(val ping accepted)/$(val ping delivered)/$(val ping dropped)" = 10/10/0 ]
check "ping: 5 incoming with -Q in" [ "$(val pingin records)" = 5 ]
check "ping: 5 outgoing with -Q out, through read()" [ "$(val pingout records)" = 5 ]

# ---- UDP of given sizes ------------------------------------------------
start_cap udp -i va -F "$T/udp9000.ddd"
total=0
bytes=0
for s in 18 100 1000 1472; do
	pktsend udp 10.77.0.2 9000 $s 40 >/dev/null
	total=$((total + 40))
	bytes=$((bytes + 40 * (42 + s)))
done
sleep 0.3
stop_cap udp
check "UDP: $total records ($(val udp records))" [ "$(val udp records)" = $total ]
check "UDP: $bytes bytes ($(val udp bytes))" [ "$(val udp bytes)" = $bytes ]

# ---- TCP: segments up to the TSO size, cut at the snap length -------------
start_sink 9100 "$T/sink.out"
start_cap tcp -i va -F "$T/tcp9100.ddd" -v -s 200
send_to_sink 1000000
sleep 0.3
stop_cap tcp
big=$(awk '/^out .*proto=0x0800/ { sub("len=", "", $5); if ($5 + 0 > 1514) n++ } END { print n + 0 }' "$T/tcp.out")
cut=$(awk '/^(in|out) / { sub("caplen=", "", $6); if ($6 + 0 > 200) n++ } END { print n + 0 }' "$T/tcp.out")
check "TCP: 1000000 bytes received" grep -q "received 1000000" "$T/sink.out"
check "TCP: $big packets larger than the MTU (TSO) captured" [ "$big" -gt 0 ]
check "TCP: no record longer than the 200-byte snap length" [ "$cut" = 0 ]
check "TCP: records = delivered ($(val tcp records))" [ "$(val tcp records)" = "$(val tcp delivered)" ]

# ---- the same packets as tcpdump: ping, UDP and TCP together ---------------
start_tcpdump va 'ip host 10.77.0.2'
start_cap same -i va -F "$T/host.ddd" -s 256 -w "$T/cap.pcap"
ping -c 3 -i 0.2 10.77.0.2 >/dev/null
pktsend udp 10.77.0.2 9000 700 30 >/dev/null
start_sink 9100 /dev/null
send_to_sink 300000
stop_tcpdump
sleep 0.3
stop_cap same
packets "$T/td.pcap" >"$T/td.txt"
packets "$T/cap.pcap" >"$T/cap.txt"
n_td=$(wc -l <"$T/td.txt")
check "tcpdump and bpfdev: the same $n_td packets, byte for byte" cmp -s "$T/td.txt" "$T/cap.txt"
grep "dropped by kernel" "$T/td.err" | while read -r l; do diag "tcpdump: $l"; done
cmp -s "$T/td.txt" "$T/cap.txt" || { diag "tcpdump $n_td, bpfdev $(wc -l <"$T/cap.txt")"; diff "$T/td.txt" "$T/cap.txt" | head -5 | while read -r l; do diag "$l"; done; }

# ---- VLAN: the out-of-band tag is reinserted; 'vlan 10' filters match -------
# A socket without a filter, first on the tap's list, copies each tagged
# frame before any filter has rebuilt its head with the tag inline.
start_tcpdump va 'vlan 10 and icmp'
start_cap vlanall -i va -w "$T/vlanall.pcap"
start_cap vlan -i va -F "$T/vlan.ddd" -v -w "$T/vlan.pcap"
ping -c 3 -i 0.2 10.78.0.2 >/dev/null
stop_tcpdump
sleep 0.3
stop_cap vlan
stop_cap vlanall
check "VLAN: 6 records for 'vlan 10 and icmp' ($(val vlan records))" [ "$(val vlan records)" = 6 ]
check "VLAN: each record says the tag was reinserted" [ "$(grep -c 'vlan=inline:10 ' "$T/vlan.out")" = 6 ]
check "VLAN: 6 x 102 bytes, the tag inline" [ "$(val vlan bytes)" = 612 ]
packets "$T/td.pcap" >"$T/td.txt"
packets "$T/vlan.pcap" >"$T/cap.txt"
check "VLAN: the same tagged frames as tcpdump" cmp -s "$T/td.txt" "$T/cap.txt"
check "VLAN: tcpdump reads 'vlan 10' in our frames" grep -q "vlan 10" "$T/cap.txt"
tcpdump -r "$T/vlanall.pcap" -w "$T/vlanall10.pcap" 'vlan 10 and icmp' 2>/dev/null
packets "$T/vlanall10.pcap" >"$T/cap.txt"
check "VLAN, no filter: the same tagged frames as tcpdump" cmp -s "$T/td.txt" "$T/cap.txt"

# ---- dummy: egress ------------------------------------------------------------
start_cap dm -i dm0 -F "$T/icmpdm.ddd" -Q out
ping -c 3 -i 0.2 -W 1 10.79.0.2 >/dev/null
sleep 0.3
stop_cap dm
check "dummy: 3 outgoing ICMP records at egress ($(val dm records))" [ "$(val dm records)" = 3 ]

# ---- 8 sockets on va and one on "any" ----------------------------------------
for i in 1 2 3 4 5 6 7 8; do
	start_cap "m$i" -i va -F "$T/udp9000.ddd"
done
start_cap many_any -i any -v
pktsend udp 10.77.0.2 9000 333 50 >/dev/null
sleep 0.5
good=0
for i in 1 2 3 4 5 6 7 8; do
	stop_cap "m$i"
	[ "$(val "m$i" records)/$(val "m$i" bytes)" = 50/18750 ] && good=$((good + 1))
done
stop_cap many_any
va_idx=$(cat /sys/class/net/va/ifindex)
any=$(grep -c "^out if=$va_idx proto=0x0800 .* len=361 caplen=361 " "$T/many_any.out")
check "8 sockets on va: each 50 records of 375 bytes ($good of 8)" [ $good = 8 ]
check "\"any\": the 50 datagrams, from the IPv4 header ($any)" [ "$any" = 50 ]

# ---- "any" follows devices registered after it was bound ---------------------
start_cap late_any -i any -v
$IP link add dm1 type dummy && $IP addr add 10.80.0.1/24 dev dm1 && $IP link set dm1 up
ping -c 2 -i 0.2 -W 1 10.80.0.2 >/dev/null
sleep 0.3
stop_cap late_any
dm1_idx=$(cat /sys/class/net/dm1/ifindex)
late=$(grep -c "^out if=$dm1_idx proto=0x0800 .* len=84 " "$T/late_any.out")
check "\"any\" taps a device created after binding ($late of 2 pings)" [ "$late" = 2 ]
$IP link del dm1

# ---- devices going away under bound sockets ----------------------------------
$IP link add vc type veth peer name vd
$IP link set vc up
$IP netns add capc
start_cap gone -i va
start_cap gone_any -i any
start_cap moved -i vc
$IP link del va
sleep 1
wait $pid_gone
rc=$?
check "captool on va exits with the socket error (status $rc)" [ $rc = 3 ]
check "and says ENXIO" grep -q "No such device or address" "$T/gone.err"
$IP link set vc netns capc
sleep 1
wait $pid_moved
rc=$?
check "moving the device to another namespace: ENXIO too (status $rc)" [ $rc = 3 ]
check "a socket on \"any\" survives both" kill -0 $pid_gone_any
stop_cap gone_any
check "and ends cleanly on SIGINT" [ $rc = 0 ]
$IP link del dm0
$IP netns del capb
$IP netns del capc
keys_release

# ---- unload after the last close, load again ----------------------------------
check "rmmod after the last close" rmmod bpfdev
check "insmod again" insmod "$BPFDEV_KO"
reload_works() { captool -i lo -d 1 >/dev/null; }
check "a capture socket works after reload" reload_works
check "no WARN, BUG or leak in dmesg" [ -z "$(dmesg_bad_since "$mark")" ]
finish
