# SPDX-License-Identifier: GPL-2.0
# demo: bcc-style tools in Python on /dev/bpf: execsnoop and flowtop (tools/bcc)
# Each tool is a Python script on the bpfdev module (bcc's API): clang
# compiles its C at start, libbpfdev loads it, and the tool prints as
# bcc's does.  python3 and clang are the host's (host-run), and the
# compile cache the host filled for this kernel (make demo runs
# selftests/python/fill-guest-cache) spares the guest clang; without it
# each start takes a minute or two under TCG.  Installed, they are
# execsnoop-bpfdev and flowtop-bpfdev.
modprobe veth
insmod /bpfdev/bpfdev.ko 2>/dev/null
/usr/bin/ip netns add bccdemo
/usr/bin/ip link add bc0 type veth peer name bc1 netns bccdemo
/usr/bin/ip addr add 10.96.0.1/24 dev bc0
/usr/bin/ip link set bc0 up
/usr/bin/ip -n bccdemo addr add 10.96.0.2/24 dev bc1
/usr/bin/ip -n bccdemo link set bc1 up
ping -c 1 -W 2 10.96.0.2 >/dev/null
bcc_top=$BPFDEV_HOST_TOP
bcc_cache=$bcc_top/build/bcc-cache/$(uname -r)/cache
host-run test -d "$bcc_cache" || bcc_cache=/tmp/bcc-cache
# bcc TOOL ARGS... &: tools/bcc/TOOL with the host's python3, in the
# background only: it execs, so that $! is the tool, with SIGINT back at
# its default (a background job of sh starts with it ignored), so that
# kill -INT is a Ctrl-C.
bcc() {
	exec host-run env PYTHONPATH="$bcc_top/tools/python" BPFDEV_CACHE_DIR="$bcc_cache" \
		LD_PRELOAD="$bcc_top/tools/shim/libbpfdev-shim.so" python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.executable, [sys.executable] + sys.argv[1:])' "$bcc_top/tools/bcc/$@"
}
# bcc_wait FILE PATTERN: until the tool's header is out (at most 10 min).
bcc_wait() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 1200 ]; do
		sleep 0.5
		i=$((i + 1))
	done
}
# bcc_stop PID...: Ctrl-C, and the tools print their last report and
# detach; one still there after a minute is killed (the demo goes on).
bcc_stop() {
	kill -INT "$@" 2>/dev/null
	i=0
	while [ $i -lt 120 ]; do
		for p; do
			kill -0 "$p" 2>/dev/null && break
			p=
		done
		[ -n "$p" ] || break
		sleep 0.5
		i=$((i + 1))
	done
	kill -KILL "$@" 2>/dev/null
	wait "$@"
}
echo "(bcc TOOL: tools/bcc/TOOL run by the host's python3 through host-run;"
echo " bcc_stop: Ctrl-C to each.  flowtop starts first, so that execsnoop"
echo " does not show the execs of the wait for flowtop)"
show "bcc flowtop -C -i bc0 3600 >/tmp/flowtop.out & f=\$!"
bcc_wait /tmp/flowtop.out 'Tracing flows'
show "bcc execsnoop >/tmp/execsnoop.out & e=\$!"
bcc_wait /tmp/execsnoop.out '^PCOMM'
show "ping -c 3 -i 0.2 -s 200 10.96.0.2 >/dev/null; /bin/uname -r >/dev/null; /bin/hostname >/dev/null; bcc_stop \$e \$f"
show cat /tmp/execsnoop.out
show cat /tmp/flowtop.out
/usr/bin/ip link del bc0
/usr/bin/ip netns del bccdemo
rmmod bpfdev
