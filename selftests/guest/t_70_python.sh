# SPDX-License-Identifier: GPL-2.0
#
# The bpfdev Python module and the bcc-style tools (tools/bcc) on this
# guest's bpfdev, run with the host's python3 and clang (host-run), each
# against a workload whose counts are exact: a veth pair into a namespace
# with static neighbours and no IPv6, so that the only packets are ours.
# Each tool is stopped with SIGINT as a user's Ctrl-C (it prints its last
# report and detaches), and afterwards bpfdev holds no program or map.
# Tracing tools run where the module traces (BPFDEV_FEAT_TRACE), and are
# compared with Debian's bpfcc-tools on the kernel's own BPF where the
# host has them.

. "$BPFDEV_TEST_DIR/lib.sh"
. "$BPFDEV_TEST_DIR/lib_python.sh"

# Opt-in (make test-python runs it): with the compile cache filled on the
# host (selftests/python/fill-guest-cache) a tool starts in seconds to
# half a minute under TCG, and the test takes 1.5 minutes on an idle
# machine, 4 to 6 loaded, most of it Debian's execsnoop-bpfcc compiling
# against the kernel headers; without the cache each start runs clang
# too (7.5 minutes loaded).
if [ -z "${BPFDEV_PYTHON_TOOLS:-}" ]; then
	echo "1..0 # SKIP opt-in (BPFDEV_PYTHON_TOOLS=1; make test-python)"
	exit 0
fi

IP=/usr/bin/ip
T=/tmp/t70
TOP=${BPFDEV_HOST_TOP:-}
mkdir -p $T

if [ -z "$TOP" ] || ! host-run --check; then
	echo "1..0 # SKIP no host share (host-run)"
	exit 0
fi
if ! host-run sh -c 'command -v python3 && command -v clang' >/dev/null 2>&1; then
	echo "1..0 # SKIP the host has no python3 or clang"
	exit 0
fi
modprobe veth 2>/dev/null
# The shim preloaded from the start: the module need not re-execute
# python3 to get it (each start costs seconds under TCG).  The compile
# cache that selftests/python/fill-guest-cache filled on the host for this
# kernel (make test-python does), else an empty one: each tool's start
# is then python3 and the load, not clang (a minute or more each).
SHIM=$TOP/tools/shim/libbpfdev-shim.so
CACHE=$TOP/build/bcc-cache/$(uname -r)/cache
host-run test -d "$CACHE" || CACHE=/tmp/t70/cache
diag "compile cache: $CACHE ($(host-run sh -c "ls $CACHE | grep -c '\.o\$'") objects)"
PYENV="env PYTHONPATH=$TOP/tools/python BPFDEV_CACHE_DIR=$CACHE LD_PRELOAD=$SHIM"

features=$(bpfctl -j version | sed -n 's/.*"features":\([0-9]*\).*/\1/p')
TRACE=$(( (${features:-0} & 4) != 0 ))
plan 30

# py NAME TOOL ARGS...: a tool of tools/bcc in the background (pybg).
py() {
	_n=$1
	_t=$2
	shift 2
	pybg "$_n" "host-run $PYENV" "$TOP/tools/bcc/$_t" "$@"
}
# pyns NAME TOOL ARGS...: py's command inside namespace pyb.
pyns() {
	_n=$1
	_t=$2
	shift 2
	pybg "$_n" "$IP netns exec pyb host-run $PYENV" "$TOP/tools/bcc/$_t" "$@"
}

# has NAME PATTERN: the tool printed a line matching PATTERN (ERE).
has() {
	grep -E -q -- "$2" "$T/$1.out" && return 0
	diag "no /$2/ in $1's output:"
	sed 's/^/#   /' "$T/$1.out" | tail -30
	return 1
}

# send PYTHON: a workload in the host's python3, in the root namespace.
send() {
	host-run python3 -c "$1"
}

setup() {
	echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
	$IP netns add pyb &&
	$IP netns exec pyb sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' &&
	$IP link add va type veth peer name vb netns pyb &&
	$IP addr add 10.77.0.1/24 dev va && $IP link set va up &&
	$IP -n pyb addr add 10.77.0.2/24 dev vb && $IP -n pyb link set vb up &&
	$IP -n pyb link set lo up &&
	$IP neigh replace 10.77.0.2 lladdr "$($IP netns exec pyb cat /sys/class/net/vb/address)" \
		dev va nud permanent &&
	$IP -n pyb neigh replace 10.77.0.1 lladdr "$(cat /sys/class/net/va/address)" \
		dev vb nud permanent
}
check "set up a veth pair into a namespace, static neighbours, no IPv6" setup

# bcc's own execsnoop (the execsnoop cases compare with it) starts now: it
# compiles against the kernel headers, three minutes under TCG, while the
# cases before it run.  It runs on the kernel's BPF, not bpfdev's.
BCC=0
if host-run sh -c 'command -v execsnoop-bpfcc && test -d /lib/modules/$(uname -r)/build' \
	>/dev/null 2>&1; then
	BCC=1
	(exec host-run env PYTHONUNBUFFERED=1 python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv("/usr/sbin/execsnoop-bpfcc", sys.argv)' >$T/bccex.out 2>$T/bccex.err) &
	pid_bccex=$!
fi

# ---- pktsize, flowtop, dnssnoop on va at once (each start costs a minute
# under TCG), each stopped after its workload: 10 pings of 100 bytes (20
# frames of 142 bytes), 5 UDP datagrams of 100 bytes from port 40000 (and
# 5 port unreachables back), three DNS queries ------------------------------------

UDP5='import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.1", 40000))
for _ in range(5):
    s.sendto(b"x" * 100, ("10.77.0.2", 9999))'
DNS3='import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for qid, name, qtype in ((4660, "example.com", 1), (4661, "bpfdev.test", 28), (4662, "a.b.c", 15)):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
    q += struct.pack("!HH", qtype, 1)
    s.sendto(q, ("10.77.0.2", 53))'
py pktsize pktsize -i va
py flowtop flowtop -C -i va 3600
py dnssnoop dnssnoop -i va
ready pktsize "Tracing packet sizes"
ready flowtop "Tracing flows"
ready dnssnoop "^QR"
ping -c 10 -i 0.2 -s 100 10.77.0.2 >/dev/null
stop pktsize
send "$UDP5"
sleep 1
stop flowtop
send "$DNS3"
sleep 1
stop dnssnoop
pktsize_ok() {
	has pktsize '128 -> 255 +: 20 +\|' &&
		[ "$(grep -E -c ': [1-9][0-9]* +\|' $T/pktsize.out)" -eq 1 ]
}
check "pktsize: 20 frames in 128 -> 255, nothing elsewhere" pktsize_ok
check "flowtop: the UDP flow, 5 packets of 142 bytes" \
	has flowtop '^10\.77\.0\.1:40000 +10\.77\.0\.2:9999 +UDP +5 +710$'
check "flowtop: 10 echo replies and 5 port unreachables back" \
	has flowtop '^10\.77\.0\.2 +10\.77\.0\.1 +ICMP +15 '
check "dnssnoop: the three queries, name and type" sh -c "
	grep -E '^Q ' $T/dnssnoop.out | tr -s ' ' >$T/dns.got
	printf '%s\n' 'Q 10.77.0.1 10.77.0.2 4660 A - example.com' \
		'Q 10.77.0.1 10.77.0.2 4661 AAAA - bpfdev.test' \
		'Q 10.77.0.1 10.77.0.2 4662 MX - a.b.c' | cmp -s - $T/dns.got"
[ -s $T/dns.got ] || diag "$(cat $T/dnssnoop.out $T/dnssnoop.err | tail -10)"
check "pktsize, flowtop, dnssnoop: detached on Ctrl-C" clean

# ---- synguard: burst 3, rate 1: of 10 quick SYNs 3 pass, 7 are dropped ----------------

SYN10='import socket
socks = []
for _ in range(10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex(("10.77.0.2", 80))
    socks.append(s)
for s in socks:
    s.close()'
pyns synguard synguard -i vb -r 1 -b 3 3600
if ready synguard "Guarding vb"; then
	send "$SYN10"
	sleep 1
	stop synguard
fi
check "synguard: 3 SYNs passed, 7 dropped" \
	has synguard 'total passed 3 dropped 7\)$'
check "synguard: the source dropped most" \
	has synguard '^ +10\.77\.0\.1 +passed 3 +dropped 7$'
check "synguard: detached on Ctrl-C" clean
# With the guard gone, every SYN reaches vb: ten resets come back.
RST='import socket, errno
n = 0
for _ in range(10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    n += s.connect_ex(("10.77.0.2", 80)) == errno.ECONNREFUSED
    s.close()
print(n)'
check "synguard: after it, all 10 SYNs are answered" sh -c "[ \"\$(host-run python3 -c '$RST')\" = 10 ]"

# ---- the module's own API: a table written from Python, read back by the program ----

# (selftests/python/guest/*.py: fill-guest-cache compiles them too.)
G=$TOP/selftests/python/guest
check "BPF(): a value set from Python steers the program, increment(k, 5) counts" sh -c "
	host-run $PYENV python3 $G/api_table.py >$T/api.out 2>&1
	grep -q '^\[(77, 10)\]$' $T/api.out || { sed 's/^/#   /' $T/api.out | tail; false; }"
check "BPF(): a verifier error raises with the log" sh -c "
	host-run $PYENV python3 $G/api_verifier_error.py >$T/verr.out 2>&1
	grep -q '^raised Failed to load BPF program' $T/verr.out && grep -q 'invalid\|R[0-9]' $T/verr.out ||
		{ sed 's/^/#   /' $T/verr.out | tail; false; }"
check "nothing left in bpfdev after the API cases" clean

# ---- tracing tools (BPFDEV_FEAT_TRACE) -----------------------------------------------

# skip N WHY: N cases skipped.
skip() {
	_k=0
	while [ $_k -lt "$1" ]; do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n - # SKIP $2"
		_k=$((_k + 1))
	done
}

if [ "$TRACE" -eq 0 ]; then
	skip 17 "the module has no tracing (BPFDEV_FEAT_TRACE)"
	[ $BCC -eq 0 ] || kill -KILL $pid_bccex 2>/dev/null
	$IP netns del pyb
	finish
fi

# execsnoop: 5 execs of a busybox named "true", each line exact but the pid;
# bcc's own execsnoop on the kernel's BPF, where the host has it, sees the
# same (started at the top, unbuffered: it prints its header without a
# flush).
mkdir -p $T/bin
cp /bin/busybox $T/bin/true
py ex execsnoop -x
py op opensnoop -n cat
ready ex "^PCOMM"
# bcc compiles against the kernel headers: minutes under TCG (started
# with the first cases).
[ $BCC -eq 0 ] || ready bccex "^PCOMM" 3000 || BCC=2
for i in 1 2 3 4 5; do
	$T/bin/true a "b c" $i
done
sleep 1
stop ex
check "execsnoop: exits 0 on Ctrl-C" [ $rc -eq 0 ]
printf '%s\n' "$T/bin/true a b c 1" "$T/bin/true a b c 2" "$T/bin/true a b c 3" \
	"$T/bin/true a b c 4" "$T/bin/true a b c 5" >$T/ex.want
awk -v pp=$$ -v f=$T/bin/true '$1 == "true" && $3 == pp && $4 == 0 && $5 == f' $T/ex.out |
	sed 's/^true *[0-9]* *[0-9]* *0 //' >$T/ex.got
check "execsnoop: the 5 execs, parent and arguments exact" cmp -s $T/ex.want $T/ex.got ||
	sed 's/^/#   /' $T/ex.out | tail -20
if [ $BCC -eq 2 ]; then
	skip 1 "bcc's execsnoop did not start in 10 minutes"
elif [ $BCC -eq 1 ]; then
	execs="^true .* $T/bin/true a b c [1-5]\$"
	seen bccex "$execs" 5
	stop bccex again
	n=$(grep -c "$execs" $T/bccex.out)
	check "execsnoop: bcc's execsnoop on the kernel's BPF saw the same 5 ($n)" [ "$n" -eq 5 ]
else
	skip 1 "no execsnoop-bpfcc or kernel headers on the host"
fi

# opensnoop (started with execsnoop): 3 failed opens of a name nobody else opens.
ready op "PATH\$"
for i in 1 2 3; do
	cat $T/no-such-file-70 2>/dev/null
done
sleep 1
stop op
# opensnoop sees every open in the guest, so its callbacks run much of
# the time and a SIGINT often comes in one (before interrupt.py, ctypes
# dropped it there and the tool ran on until killed).
check "opensnoop: exits 0 on the first Ctrl-C" [ $rc -eq 0 ]
n=$(grep -c "^[0-9]* *cat *-1 *2 $T/no-such-file-70\$" $T/op.out)
check "opensnoop: 3 opens by cat, FD -1 ERR 2 ($n)" [ "$n" -eq 3 ] ||
	sed 's/^/#   /' $T/op.out | tail
check "execsnoop, opensnoop: detached" clean

# syscount and funccount: 1000 getsid() calls, by syscall, kprobe and tracepoint.
GETSID='import os
for _ in range(1000):
    os.getsid(0)'
py sc syscount --syscall getsid
py fck funccount __x64_sys_getsid
py fct funccount t:syscalls:sys_enter_getsid
ready sc "Ctrl+C to quit" && ready fck "Hit Ctrl-C" && ready fct "Hit Ctrl-C"
send "$GETSID"
sleep 1
stop sc
stop fck
stop fct
check "syscount: getsid 1000" has sc '^getsid +1000$'
check "funccount: kprobe __x64_sys_getsid 1000" has fck '^__x64_sys_getsid +1000$' ||
	diag "$(grep -c . /sys/kernel/tracing/available_filter_functions) functions," \
		"$(grep -c '^__x64_sys_getsid' /sys/kernel/tracing/available_filter_functions) getsid"
check "funccount: tracepoint sys_enter_getsid 1000" has fct '^syscalls:sys_enter_getsid +1000$'
check "syscount, funccount: detached" clean

# tcpconnect: 4 connects to the namespace's port 80 (refused), and -c counts them.
CONN4='import socket
for _ in range(4):
    s = socket.socket()
    s.settimeout(5)
    s.connect_ex(("10.77.0.2", 80))
    s.close()'
py tc tcpconnect
py tcc tcpconnect -c
ready tc "DPORT" && ready tcc "Hit Ctrl-C"
send "$CONN4"
sleep 1
stop tc
stop tcc
n=$(grep -c '^[0-9]* *python3 *4 *10\.77\.0\.1 *10\.77\.0\.2 *80 *$' $T/tc.out)
check "tcpconnect: 4 connects by python3 to 10.77.0.2:80 ($n)" [ "$n" -eq 4 ] ||
	sed 's/^/#   /' $T/tc.out | tail
check "tcpconnect -c: 4 connects counted" has tcc '^10\.77\.0\.1 +10\.77\.0\.2 +80 +4 *$'

# runqlat and profile: a busy process on the CPUs for 2 s; biolatency
# (started with them): 50 direct 4 KiB writes to a loop device over a file
# in tmpfs, attached before it starts (so no probe read of the attach
# counts), each write one request.
BUSY='import time
t = time.time() + 2
while time.time() < t:
    pass'
modprobe loop 2>/dev/null
dd if=/dev/zero of=$T/disk.img bs=1M count=4 2>/dev/null
LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" $T/disk.img || LOOP=
py rq runqlat
py pr profile -K -F 99
py bl biolatency -D
ready rq "Hit Ctrl-C" && ready pr "Hit Ctrl-C" && ready bl "Hit Ctrl-C"
send "$BUSY"
[ -z "$LOOP" ] || host-run dd if=/dev/zero of="$LOOP" bs=4096 count=50 oflag=direct 2>/dev/null
sleep 1
stop rq
stop pr
stop bl
[ -z "$LOOP" ] || losetup -d "$LOOP"
check "runqlat: a usecs histogram with counts" sh -c "
	grep -q '^ *usecs *: count *distribution' $T/rq.out &&
	grep -Eq ': [1-9][0-9]* +\|' $T/rq.out" || sed 's/^/#   /' $T/rq.out | tail
n=$(awk '$1 == "-" && $2 == "python3" { getline; s += $1 } END { print s + 0 }' $T/pr.out)
check "profile: python3's kernel stacks sampled ($n samples)" [ "$n" -gt 0 ] ||
	sed 's/^/#   /' $T/pr.out | tail
check "profile: kernel frames symbolized" grep -Eq '^    [a-z_][a-z0-9_.]*$' $T/pr.out
if [ -n "$LOOP" ]; then
	# The counts of loop0's histogram (-D: one per disk).
	n=$(awk -v d="${LOOP##*/}" '/^disk = / { in_ = $3 == d; next }
		in_ && /\|/ { split($0, a, ":"); split(a[2], b, "|"); s += b[1] }
		END { print s + 0 }' $T/bl.out)
	check "biolatency -D: the 50 direct writes to ${LOOP##*/}, in its histogram ($n)" \
		[ "$n" -eq 50 ] || sed 's/^/#   /' $T/bl.out | tail -20
else
	skip 1 "no loop device in this guest"
fi
check "tracing tools: detached" clean

# Whatever a failed case left running goes (the runner unloads bpfdev next).
for n in pktsize flowtop dnssnoop synguard ex op bccex sc fck fct tc tcc rq pr bl; do
	eval "_p=\${pid_$n:-}"
	[ -n "$_p" ] && kill -KILL "$_p" 2>/dev/null
done
$IP netns del pyb
finish
