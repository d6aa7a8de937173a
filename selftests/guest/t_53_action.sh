# SPDX-License-Identifier: GPL-2.0
#
# Action programs at netdev hooks (BPFDEV_IOC_ACT_*), on a veth pair into
# a namespace with static neighbours and no IPv6, so that the only
# packets are ours: exact verdicts and counts (only the matching packets
# dropped), capture seeing what the programs left, several programs in
# prio order, a program swapped under a flood with every packet counted
# once, a UDP port rewritten with its checksum fixed (tcpdump -vv on the
# peer), redirect to another veth's egress and ingress (and from an
# ingress hook), and device removal, namespace exit and unload attempts
# with programs attached.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 43

IP=/usr/bin/ip
T=/tmp/act
mkdir -p $T
mark=$(dmesg_mark)

# numdummies=0: no dummy0 left in the root namespace for later tests.
modprobe veth && modprobe dummy numdummies=0 || { echo "1..0 # SKIP no veth/dummy"; exit 0; }

# dm3's namespace has IPv6 (it chatters) when its attach flips the egress
# keys: they stay held, and so the module, until the devices are gone.
check "hold the netdev hook keys (lib.sh keys_hold)" keys_hold

inb() { $IP netns exec actb "$@"; }
inc() { $IP netns exec actc "$@"; }
noipv6() { $IP netns exec "$1" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'; }
mac() { cat /sys/class/net/"$1"/address; }

setup() {
	echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	$IP netns add actb && $IP netns add actc && noipv6 actb && noipv6 actc &&
	$IP link add va type veth peer name vb netns actb &&
	$IP link add vc type veth peer name vd netns actc &&
	$IP addr add 10.88.0.1/24 dev va && $IP link set va up &&
	$IP -n actb addr add 10.88.0.2/24 dev vb && $IP -n actb link set vb up &&
	$IP link set vc up && $IP -n actc link set vd up &&
	vb_mac=$(inb cat /sys/class/net/vb/address) &&
	$IP neigh replace 10.88.0.2 lladdr "$vb_mac" dev va nud permanent &&
	$IP -n actb neigh replace 10.88.0.1 lladdr "$(mac va)" dev vb nud permanent
}
check "set up two veth pairs, static neighbours, no IPv6" setup

tcpdump -i va -ddd udp >"$T/udp.ddd" 2>/dev/null

# bg NAME CMD...: runs CMD in the background (pid in pid_NAME), exec'ed
# so that the pid is the command's (ip netns exec execs too) and SIGINT
# reaches it.
bg() {
	_n=$1
	shift
	(exec "$@" >"$T/$_n.out" 2>"$T/$_n.err") &
	eval "pid_$_n=$!"
}

# ready FILE: waits up to 10 s for FILE.
ready() {
	_i=0
	while [ ! -f "$1" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -f "$1" ]
}

# stop NAME: SIGINT, then its status is in $rc.
stop() {
	eval "_p=\$pid_$1"
	kill -INT "$_p" 2>/dev/null
	wait "$_p"
	rc=$?
}

# field FILE PRIO WORD: the number after WORD on FILE's line for PRIO.
field() {
	awk -v p="$2" -v w="$3" '$2 == p { for (i = 1; i < NF; i++) if ($i == w) print $(i + 1) }' "$1"
}

show() { "$@" >"$T/show.out" 2>&1; }

# ---- exact verdicts: drop UDP to 9000 only; capture sees the rest ----------
rm -f "$T"/*.ready
bg drop $IP netns exec actb acttool attach vb in dropudp:9000 -p 20 -R "$T/drop.ready"
check "attach a UDP-9000 dropper at vb ingress (link fd)" ready "$T/drop.ready"
bg cap $IP netns exec actb captool -R "$T/cap.ready" -i vb -F "$T/udp.ddd"
ready "$T/cap.ready"
pktsend udpmix 10.88.0.2 9000 9001 100 40 >/dev/null
sleep 0.5
stop cap
show inb acttool show vb in
check "run 40, drop 20 ($(cat $T/show.out))" \
	[ "$(field $T/show.out 20 run)/$(field $T/show.out 20 drop)" = 40/20 ]
check "capture after the program: only the 20 to 9001 ($(tail -n 1 $T/cap.out))" \
	[ "$(tail -n 1 $T/cap.out | awk '{ print $2 }')" = 20 ]

# ---- several programs, in prio order --------------------------------------------
check "persistent mark:7 (TC_ACT_UNSPEC) at prio 10" inb acttool attach vb in mark:7 -p 10 -P
check "persistent unspec at prio 30" inb acttool attach vb in unspec -p 30 -P
check_not "a second program at prio 30 is refused" inb acttool attach vb in pass -p 30 -P 2>/dev/null
pktsend udpmix 10.88.0.2 9000 9001 100 40 >/dev/null
sleep 0.3
show inb acttool show vb in
check "prio 10 ran 40" [ "$(field $T/show.out 10 run)" = 40 ]
check "prio 20 ran 80, dropped 40" \
	[ "$(field $T/show.out 20 run)/$(field $T/show.out 20 drop)" = 80/40 ]
check "prio 30 ran only for the 20 passed" [ "$(field $T/show.out 30 run)" = 20 ]
check "pass (TC_ACT_OK) at prio 5 ends the chain" inb acttool attach vb in pass -p 5 -P
pktsend udpmix 10.88.0.2 9000 9001 100 40 >/dev/null
sleep 0.3
show inb acttool show vb in
check "prio 5 ran 40, the others not again" \
	[ "$(field $T/show.out 5 run)/$(field $T/show.out 10 run)/$(field $T/show.out 20 run)" = 40/40/80 ]
check "detach prio 5" inb acttool detach vb in 5
check "update prio 30 to drop" inb acttool update vb in 30 drop
pktsend udp 10.88.0.2 9001 100 10 >/dev/null
sleep 0.3
show inb acttool show vb in
check "prio 5 gone; prio 30 now drops ($(tr '\n' ';' <$T/show.out))" \
	[ -z "$(field $T/show.out 5 run)" ] && [ "$(field $T/show.out 30 drop)" = 10 ]
stop drop
inb acttool detach vb in 10
inb acttool detach vb in 30
show inb acttool show vb in
check "closing the link fd and two detaches leave nothing attached" [ ! -s "$T/show.out" ]

# ---- what a program reads, after programs that wrote it --------------------------
# Each program's context holds only what it reads (and cb[] it writes):
# mark stored back by one program and cb[0] written by another reach a
# third; cb[0] starts at 0 for each packet.
check "dropif:7 alone at prio 30" inb acttool attach vb in dropif:7 -p 30 -P
pktsend udp 10.88.0.2 9001 100 10 >/dev/null
sleep 0.3
show inb acttool show vb in
check "mark 0, cb[0] 0: nothing dropped ($(tr '\n' ';' <$T/show.out))" \
	[ "$(field $T/show.out 30 run)/$(field $T/show.out 30 drop)" = 10/0 ]
check "mark:7 at prio 10" inb acttool attach vb in mark:7 -p 10 -P
check "cb:7 at prio 20" inb acttool attach vb in cb:7 -p 20 -P
pktsend udp 10.88.0.2 9001 100 10 >/dev/null
sleep 0.3
show inb acttool show vb in
check "mark and cb[0] written before: all 10 dropped ($(tr '\n' ';' <$T/show.out))" \
	[ "$(field $T/show.out 30 run)/$(field $T/show.out 30 drop)" = 20/10 ]
check "detach cb:7" inb acttool detach vb in 20
pktsend udp 10.88.0.2 9001 100 10 >/dev/null
sleep 0.3
show inb acttool show vb in
check "cb[0] back at 0 for the next packets: none dropped ($(tr '\n' ';' <$T/show.out))" \
	[ "$(field $T/show.out 30 run)/$(field $T/show.out 30 drop)" = 30/10 ]
inb acttool detach vb in 10
inb acttool detach vb in 30
show inb acttool show vb in
check "nothing left attached" [ ! -s "$T/show.out" ]

# ---- a program swapped under a flood: every packet counted exactly once ----------
bg swap $IP netns exec actb acttool swap vb in 9000 "$T/swap.ready"
ready "$T/swap.ready"
pktsend udp 10.88.0.2 9000 18 3000 >/dev/null
sleep 0.5
stop swap
set -- $(cat "$T/swap.out")
check "3000 packets, counted once across $6 swaps (a $2 b $4)" \
	[ $(($2 + $4)) = 3000 ] && [ "$6" -gt 10 ] && [ "$2" -gt 0 ] && [ "$4" -gt 0 ]

# ---- rewrite 9000 -> 9002 at va egress, checksum fixed --------------------------
bg rw acttool attach va out rewrite:9000:9002 -R "$T/rw.ready"
ready "$T/rw.ready"
bg td $IP netns exec actb tcpdump -i vb -n -vv -Z root -c 10 udp
_i=0
while ! grep -q listening "$T/td.err" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
acttool sendudp va "$(inb cat /sys/class/net/vb/address)" 10.88.0.1 10.88.0.2 9000 10 >/dev/null
sleep 1
kill -INT $pid_td 2>/dev/null
wait $pid_td
stop rw
check "10 datagrams to 9002 on the peer ($(grep -c '10.88.0.2.9002:' $T/td.out))" \
	[ "$(grep -c '10.88.0.2.9002:' $T/td.out)" = 10 ]
check "all with a correct UDP checksum ($(grep -c 'udp sum ok' $T/td.out))" \
	[ "$(grep -c 'udp sum ok' $T/td.out)" = 10 ]

# ---- redirect to another veth: its egress, then its ingress -----------------------
bg rd acttool attach va out redirect:vc -R "$T/rd.ready"
ready "$T/rd.ready"
bg capd $IP netns exec actc captool -R "$T/capd.ready" -i vd -F "$T/udp.ddd"
bg capb $IP netns exec actb captool -R "$T/capb.ready" -i vb -F "$T/udp.ddd"
ready "$T/capd.ready" && ready "$T/capb.ready"
acttool sendudp va "$(inb cat /sys/class/net/vb/address)" 10.88.0.1 10.88.0.2 9000 10 >/dev/null
sleep 0.5
stop capd
stop capb
stop rd
check "redirect to vc's egress: 10 arrive on vd ($(tail -n 1 $T/capd.out))" \
	[ "$(tail -n 1 $T/capd.out | awk '{ print $2 }')" = 10 ]
check "and none on vb ($(tail -n 1 $T/capb.out))" \
	[ "$(tail -n 1 $T/capb.out | awk '{ print $2 }')" = 0 ]
bg ri acttool attach va out redirect-in:vc -R "$T/ri.ready"
ready "$T/ri.ready"
bg capc captool -R "$T/capc.ready" -i vc -Q in -F "$T/udp.ddd"
ready "$T/capc.ready"
acttool sendudp va "$(inb cat /sys/class/net/vb/address)" 10.88.0.1 10.88.0.2 9000 10 >/dev/null
sleep 0.5
stop capc
stop ri
check "redirect with BPF_F_INGRESS: 10 received on vc ($(tail -n 1 $T/capc.out))" \
	[ "$(tail -n 1 $T/capc.out | awk '{ print $2 }')" = 10 ]

# A redirect from an ingress hook by a program that reads nothing of the
# packet (the hook sets no packet pointers for it): xmit still gets the
# frame from its link-layer header, which the capture's udp filter checks.
bg rv acttool attach vc in redirect:va -R "$T/rv.ready"
ready "$T/rv.ready"
bg capb $IP netns exec actb captool -R "$T/capb.ready" -i vb -F "$T/udp.ddd"
ready "$T/capb.ready"
inc acttool sendudp vd "$(inb cat /sys/class/net/vb/address)" 10.88.0.1 10.88.0.2 9000 10 >/dev/null
sleep 0.5
stop capb
stop rv
check "redirect from vc's ingress to va's egress: 10 whole frames on vb ($(tail -n 1 $T/capb.out))" \
	[ "$(tail -n 1 $T/capb.out | awk '{ print $2 }')" = 10 ]

# ---- device removal, namespace exit, unload ----------------------------------------
refs() { cat /sys/module/bpfdev/refcnt; }
# earlier steps' programs let go of the module after grace periods: the
# baseline is the count once it has stopped moving
_p=x
_i=0
while [ "$(refs)" != "$_p" ] && [ $_i -lt 20 ]; do _p=$(refs); sleep 0.5; _i=$((_i + 1)); done
r0=$(refs)
$IP link add dm1 type dummy && $IP link set dm1 up
check "persistent drop on dm1 egress" acttool attach dm1 out drop -P
# the attachment and its program each hold the module
check "it holds the module ($(refs) refs, $r0 before)" [ "$(refs)" = $((r0 + 2)) ]
check_not "rmmod refused while it is attached" rmmod bpfdev 2>/dev/null
# the program's own reference goes after grace periods (link, program)
refs_back() {
	_i=0
	while [ "$(refs)" != "$r0" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
$IP link del dm1
refs_back
check "deleting dm1 detaches it: $(refs) refs" [ "$(refs)" = "$r0" ]
$IP link add dm2 type dummy && $IP link set dm2 up
rm -f "$T/dm2.ready"
bg dm2 acttool attach dm2 in drop -R "$T/dm2.ready"
ready "$T/dm2.ready"
$IP link del dm2
sleep 0.3
check "a link fd outlives its device" kill -0 $pid_dm2
stop dm2
check "and closes cleanly (status $rc)" [ $rc = 0 ]
$IP netns add actx && $IP -n actx link add dm3 type dummy && $IP -n actx link set dm3 up
check "persistent drop inside a namespace" $IP netns exec actx acttool attach dm3 out drop -P
$IP netns del actx
refs_back
check "the namespace's exit detaches it: $(refs) refs" [ "$(refs)" = "$r0" ]

$IP link del va
$IP link del vc
$IP netns del actb
$IP netns del actc
keys_release
check "rmmod once nothing is attached" rmmod bpfdev
check "insmod again" insmod "$BPFDEV_KO"
check "no WARN, BUG or leak in dmesg" [ -z "$(dmesg_bad_since "$mark")" ]
finish
