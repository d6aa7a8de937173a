# SPDX-License-Identifier: GPL-2.0
# demo: tracing next to the capture: execsnoop sees the execs of the pings bpfcap captures
# tools/examples/execsnoop.bpf.c, a clang-built program on the
# sched_process_exec tracepoint, sends each exec's pid, parent, comm and
# file name through a ring buffer; its reader attaches it by its section
# name, as libbpf's programs do.  bpfcap captures the same pings on a veth.
modprobe veth
insmod /bpfdev/bpfdev.ko 2>/dev/null
/usr/bin/ip netns add trdemo
/usr/bin/ip link add tr0 type veth peer name tr1
/usr/bin/ip link set tr1 netns trdemo
/usr/bin/ip addr add 10.97.0.1/24 dev tr0
/usr/bin/ip link set tr0 up
/usr/bin/ip -n trdemo addr add 10.97.0.2/24 dev tr1
/usr/bin/ip -n trdemo link set tr1 up
ping -c 1 -W 2 10.97.0.2 >/dev/null
rm -f /tmp/execsnoop.ready
show "execsnoop -R /tmp/execsnoop.ready /bpfdev/execsnoop.bpf.o & e=\$!; bpfcap -i tr0 -n -c 4 icmp & while [ ! -f /tmp/execsnoop.ready ]; do sleep 0.2; done; sleep 1; ping -c 2 -i 0.2 10.97.0.2 >/dev/null; /usr/bin/ip -n trdemo link show tr1 >/dev/null; sleep 1; kill -INT \$e; wait"
/usr/bin/ip link del tr0
/usr/bin/ip netns del trdemo
rmmod bpfdev
