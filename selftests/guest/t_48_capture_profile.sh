# SPDX-License-Identifier: GPL-2.0
#
# The capture path's profile knob (module parameter capture_profile,
# kmod/capture_prof.c): off after load, counts each stage per packet once
# written 1 (a filter's stage only with a filter), stops counting at 0,
# clears at 1, and is refused to junk.  Loopback in a namespace of our
# own, so the only packets are our pings.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 8

IP=/usr/bin/ip
P=/sys/module/bpfdev/parameters/capture_profile
T=/tmp/capprof
mkdir -p $T

# n STAGE: that stage's packet count.
n() {
	awk -v s="$1" '$1 == s { print $2 }' $P
}

# capture ARGS...: captool on lo for two pings (4 packets at lo's ingress).
capture() {
	rm -f $T/ready
	$IP netns exec prof captool -i lo -R $T/ready "$@" >$T/out 2>$T/err &
	pid=$!
	i=0
	while [ ! -f $T/ready ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	$IP netns exec prof ping -c 2 -i 0.2 127.0.0.1 >/dev/null
	sleep 0.3
	kill -INT $pid
	wait $pid
}

$IP netns add prof && $IP -n prof link set lo up
check "off after load" [ "$(head -n 1 $P)" = off ]
capture
check "off: nothing counted" [ "$(n hook)" = 0 ]
check_not "junk is refused" sh -c "echo maybe >$P"

echo 1 >$P
capture
h=$(n hook)
diag "$(cat $P)"
counted() {
	[ "$h" -ge 4 ] && [ "$(n clock)" = "$h" ] && [ "$(n view)" -ge 4 ] &&
		[ "$(n reserve)" = "$(n view)" ] && [ "$(n fill)" = "$(n view)" ] &&
		[ "$(n commit)" = "$(n view)" ]
}
check "on: hook, clock, view, reserve, fill and commit count the 4 packets ($h)" counted
check "no filter: no filter stage" [ "$(n filter)" = 0 ]

# tcpdump -ddd's form of "ret #0".
printf '1\n6 0 0 0\n' >$T/reject.ddd
echo 1 >$P
capture -F $T/reject.ddd
rejected() {
	[ "$(n filter)" -ge 4 ] && [ "$(n filter)" = "$(n view)" ] && [ "$(n reserve)" = 0 ]
}
check "1 clears; a reject-all filter: filter counted, nothing reserved ($(n filter))" rejected

echo 0 >$P
h=$(n hook)
capture
stopped() {
	[ "$(n hook)" = "$h" ] && [ "$(head -n 1 $P)" = off ]
}
check "0 stops counting" stopped
check "the sockets captured meanwhile ($(tail -n 1 $T/out))" grep -q '^records 4 ' $T/out

$IP netns del prof
finish
