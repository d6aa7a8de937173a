# SPDX-License-Identifier: GPL-2.0
#
# The same clang-built SEC("tc") objects through the kernel's own tc
# (iproute2's tc from the build machine, through host-run: cls_bpf in
# direct-action mode on a clsact qdisc) and through bpfdev (bpfctl prog
# load, bpfctl net attach), on two identical veth pairs (same addresses,
# same MACs, so the frames are byte for byte the same), with the same
# traffic: the packets that reach the peer's IP layer (its Ip InReceives),
# what each hook counted (tc's clsact Sent/dropped against bpfdev's run/
# drop) and the programs' maps (bpftool's and bpfctl's dumps, per-CPU
# values summed) must be the same.  port_rewrite runs at the senders'
# egress and both peers must see the rewritten port with a correct sum.
#
#	root ns  ka ---- kb  netns t56k   tc filter ... bpf da obj X sec tc
#	root ns  ba ---- bb  netns t56b   bpfctl net attach pinned X

. "$BPFDEV_TEST_DIR/lib.sh"

IP=/usr/bin/ip
T=/tmp/t56
mkdir -p $T
mark=$(dmesg_mark)
B=bpfctl
MA=02:56:00:00:00:01
MB=02:56:00:00:00:02

if ! host-run --check; then
	echo "1..0 # SKIP no host share (host-run) in this guest"
	exit 0
fi
if ! modprobe veth || ! modprobe sch_ingress || ! modprobe cls_bpf ||
   ! host-run tc -V >/dev/null 2>&1; then
	echo "1..0 # SKIP no veth, clsact, cls_bpf or tc"
	exit 0
fi

plan 29

# run NAME CMD...: CMD's output in $T/NAME; shown when it fails.
run() {
	_n=$1
	shift
	"$@" >$T/$_n 2>&1
	_rc=$?
	[ $_rc -eq 0 ] || { diag "$* exit $_rc"; head -20 $T/$_n | sed 's/^/#   /'; }
	return $_rc
}

# same WHAT K B: passes when the two sides agree, and says what they said.
same() {
	[ "$2" = "$3" ] && [ -n "$2" ] && return 0
	diag "$1: tc [$2] bpfdev [$3]"
	return 1
}

# expect WHAT WANT K B: both sides said WANT.
expect() {
	[ "$3" = "$2" ] && [ "$4" = "$2" ] && return 0
	diag "$1: want [$2], tc [$3] bpfdev [$4]"
	return 1
}

setup() {
	echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 || return 1
	for s in k b; do
		$IP netns add t56$s &&
		$IP netns exec t56$s sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' &&
		$IP link add ${s}a type veth peer name ${s}b netns t56$s &&
		$IP link set ${s}a address $MA &&
		$IP link set ${s}a up &&
		$IP -n t56$s link set ${s}b address $MB &&
		$IP -n t56$s addr add 10.90.0.2/24 dev ${s}b &&
		$IP -n t56$s link set ${s}b up &&
		$IP -n t56$s neigh replace 10.90.0.1 lladdr $MA dev ${s}b nud permanent ||
			return 1
	done
}
check "two identical veth pairs, peers in t56k and t56b" setup

# The frames: from 10.90.0.1 (MA) to 10.90.0.2 (MB) on SIDE's sender.
udp() { acttool sendudp ${1}a $MB 10.90.0.1 10.90.0.2 "$2" "$3" >/dev/null; }
syn() { acttool sendsyn ${1}a $MB 10.90.0.1 10.90.0.2 "$2" "$3" >/dev/null; }

# The peer's IPv4 packets received (Ip InReceives).
inrecv() { $IP netns exec t56$1 awk '$1 == "Ip:" && $4 ~ /^[0-9]+$/ { print $4 }' /proc/net/snmp; }

# tc's side: a clsact qdisc (fresh counters) and OBJ in DIR on DEV of NS.
# tc runs in NS through ip netns exec, not tc -n: host-run's view of /run
# is a copy made at its first call, so a netns added since then is an empty
# file there (setns() fails with EINVAL).
tc_on() {
	local _ns=$1 _dev=$2 _dir=$3 _obj=$4

	${_ns:+$IP netns exec $_ns} host-run tc qdisc add dev $_dev clsact &&
	${_ns:+$IP netns exec $_ns} host-run tc filter add dev $_dev $_dir pref 1 bpf da \
		obj /bpfdev/$_obj.bpf.o sec tc
}
tc_off() { ${1:+$IP netns exec $1} host-run tc qdisc del dev $2 clsact; }
# "sent dropped" of the clsact qdisc (not the noqueue root listed before
# it): every packet the hook saw, and the TC_ACT_SHOT ones
tc_counts() {
	${1:+$IP netns exec $1} host-run tc -s qdisc show dev $2 |
		awk '$1 == "qdisc" { c = $2 == "clsact" }
		     c && $1 == "Sent" { sub(",", "", $7); print $4, $7; exit }'
}

# bpfdev's side: OBJ loaded (pinned as t56/OBJ) and attached in DIR of DEV.
bd_on() {
	local _ns=$1 _dev=$2 _dir=$3 _obj=$4

	$B prog load /bpfdev/$_obj.bpf.o t56/$_obj &&
	${_ns:+$IP netns exec $_ns} $B net attach pinned t56/$_obj $_dir dev $_dev
}
bd_off() {
	${1:+$IP netns exec $1} $B net detach $3 dev $2
	$B prog unpin t56/$4
}
# "run drop" of the only program there
bd_counts() {
	${1:+$IP netns exec $1} $B net show dev $2 |
		awk '{ for (i = 1; i < NF; i++) { if ($i == "run") r = $(i + 1); if ($i == "drop") d = $(i + 1) } } END { print r, d }'
}

# A map dump (bpftool's or bpfctl's JSON: hex bytes, per-CPU values) as
# sorted "key value" lines, per-CPU values summed as u64 words.
cat >$T/norm.py <<'EOF'
import json, sys
out = []
for e in json.load(sys.stdin):
    key = bytes(int(b, 16) for b in e["key"]).hex()
    if "values" in e:
        vals = [bytes(int(b, 16) for b in v["value"]) for v in e["values"]]
        words = [sum(int.from_bytes(v[i:i + 8], "little") for v in vals)
                 for i in range(0, len(vals[0]), 8)]
        val = " ".join(str(w) for w in words)
    else:
        v = bytes(int(b, 16) for b in e["value"])
        val = " ".join(str(int.from_bytes(v[i:i + 8], "little"))
                       for i in range(0, len(v), 8))
    out.append(key + " " + val)
print("\n".join(sorted(out)))
EOF
k_map() { host-run sh -c "bpftool -j map dump name $1 | python3 $T/norm.py"; }
b_map() { $B -j map dump name "$1" | host-run python3 $T/norm.py; }

# one_side SIDE OBJ TRAFFIC: OBJ at SIDE's peer ingress, TRAFFIC (a
# function of the side) sent; leaves "delivered sent dropped" in
# $T/SIDE.res, and MAP's dump (if set) in $T/SIDE.map.
one_side() {
	local _s=$1 _obj=$2 _traffic=$3 _before _c

	_before=$(inrecv $_s)
	if [ $_s = k ]; then
		run k.on tc_on t56k kb ingress $_obj || return 1
	else
		run b.on bd_on t56b bb ingress $_obj || return 1
	fi
	$_traffic $_s
	sleep 0.3
	if [ $_s = k ]; then
		_c=$(tc_counts t56k kb)
		[ -z "$MAP" ] || k_map $MAP >$T/k.map
		tc_off t56k kb
	else
		_c=$(bd_counts t56b bb)
		[ -z "$MAP" ] || b_map $MAP >$T/b.map
		bd_off t56b bb ingress $_obj
	fi
	echo "$(($(inrecv $_s) - _before)) $_c" >$T/$_s.res
}

# compare OBJ TRAFFIC EXPECTED [MAP]: 3 cases (4 with MAP) for OBJ.
compare() {
	local _obj=$1 _traffic=$2 _want=$3

	MAP=${4:-}
	rm -f $T/k.res $T/b.res $T/k.map $T/b.map
	check "$_obj: the kernel's tc takes it (clsact, cls_bpf da)" one_side k $_obj $_traffic
	check "$_obj: bpfdev takes it (bpfctl net attach)" one_side b $_obj $_traffic
	check "$_obj: delivered, hook saw, dropped: $_want on both" \
		expect "delivered sent dropped" "$_want" "$(cat $T/k.res 2>/dev/null)" \
			"$(cat $T/b.res 2>/dev/null)"
	[ -z "$MAP" ] ||
		check "$_obj: map $MAP the same ($(tr '\n' ';' <$T/b.map 2>/dev/null))" \
			same "map $MAP" "$(cat $T/k.map 2>/dev/null)" "$(cat $T/b.map 2>/dev/null)"
}

# 4 datagrams to 9000, 3 to 9001, 2 SYNs to 81: 9 frames
mix() { udp $1 9000 4 && udp $1 9001 3 && syn $1 81 2; }
compare tc_pass mix "9 9 0"
compare tc_drop mix "0 9 9"
compare odd_port_drop mix "6 9 3"

# 60 SYNs from one source: the first 20 pass (burst 20, no refill), 40
# drop; 10 datagrams pass; verdicts[0] 20, verdicts[1] 40
guard() { syn $1 80 60 && udp $1 9000 10; }
compare ddos_guard_norefill guard "30 70 40" verdicts
check "ddos_guard: 20 SYNs passed, 40 dropped in its counters" \
	[ "$(cat $T/b.map 2>/dev/null | tr '\n' ';')" = "00000000 20;01000000 40;" ]

# three flows: 5 + 3 datagrams, 2 SYNs
flows() { udp $1 9000 5 && udp $1 9001 3 && syn $1 80 2; }
compare flow_acct flows "10 10 0" flows
check "flow_acct: three flows" [ "$(wc -l <$T/b.map 2>/dev/null)" = 3 ]

# ---- port_rewrite at the senders' egress: 9000 -> 9002 -------------------------
# tcpdump NS DEV: the rewritten datagrams with a correct sum, of 5
td_start() {
	$IP netns exec $1 tcpdump -i $2 -n -vv -Z root -c 5 udp >$T/$2.td 2>$T/$2.tderr &
	eval td_$2=$!
	_i=0
	while ! grep -q listening $T/$2.tderr && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}
td_count() {
	sleep 1
	eval kill -INT \$td_$1 2>/dev/null
	eval wait \$td_$1
	grep -c '10.90.0.2.9002: \[udp sum ok\]' $T/$1.td
}
check "port_rewrite: the kernel's tc takes it at ka egress" run k.on tc_on "" ka egress port_rewrite
check "port_rewrite: bpfdev takes it at ba egress" run b.on bd_on "" ba egress port_rewrite
td_start t56k kb
td_start t56b bb
udp k 9000 5
udp b 9000 5
nk=$(td_count kb)
nb=$(td_count bb)
check "port_rewrite: 5 datagrams to 9002, sum ok, on both" expect "rewritten" 5 "$nk" "$nb"
check "port_rewrite: the hooks saw 5, dropped none" \
	expect "sent dropped" "5 0" "$(tc_counts "" ka)" "$(bd_counts "" ba)"
tc_off "" ka
bd_off "" ba egress port_rewrite

# ---- a cls_bpf program and a bpfdev one on the same device, same packets ---------
# cls_bpf's ingress (tc) runs before the netdev ingress hook (bpfdev):
# odd ports dropped by tc never reach bpfdev's program, which counts
# what is left.
check "both on kb: tc odd_port_drop, bpfdev tc_pass" \
	eval 'tc_on t56k kb ingress odd_port_drop && bd_on t56k kb ingress tc_pass'
before=$(inrecv k)
mix k
sleep 0.3
c="$(tc_counts t56k kb)/$(bd_counts t56k kb)"
check "tc saw 9, dropped 3; bpfdev ran 6, dropped 0 (tc/bpfdev: $c)" [ "$c" = "9 3/6 0" ]
check "6 delivered" [ $(($(inrecv k) - before)) = 6 ]
tc_off t56k kb
bd_off t56k kb ingress tc_pass

check "nothing left attached" [ -z "$($IP netns exec t56b $B net show)$($B net show)" ]
for s in k b; do
	$IP link del ${s}a
	$IP netns del t56$s
done
check "no WARN, BUG or leak in dmesg" [ -z "$(dmesg_bad_since "$mark")" ]
finish
