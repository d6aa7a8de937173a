# SPDX-License-Identifier: GPL-2.0
# demo: a SYN-flood guard at a device's ingress (a clang-built SEC("tc") program)
# tools/examples/ddos_guard.bpf.c gives each source a bucket of 20 SYNs,
# refilled at 10 a second; bpfctl attaches it in the namespace that owns
# the device, and shows how many packets it ran on and dropped.
modprobe veth
insmod /bpfdev/bpfdev.ko 2>/dev/null
/usr/bin/ip netns add ddos
/usr/bin/ip link add dg0 type veth peer name dg1 netns ddos
/usr/bin/ip addr add 10.98.0.1/24 dev dg0
/usr/bin/ip link set dg0 up
/usr/bin/ip -n ddos addr add 10.98.0.2/24 dev dg1
/usr/bin/ip -n ddos link set dg1 up
dg1_mac=$(/usr/bin/ip netns exec ddos cat /sys/class/net/dg1/address)
show bpfctl prog load /bpfdev/ddos_guard.bpf.o guard
show /usr/bin/ip netns exec ddos bpfctl net attach pinned guard ingress dev dg1 prio 10
show acttool sendsyn dg0 "$dg1_mac" 10.98.0.1 10.98.0.2 80 100
show /usr/bin/ip netns exec ddos bpfctl net show
show bpfctl map dump name verdicts
show /usr/bin/ip netns exec ddos bpfctl net detach ingress dev dg1
bpfctl prog unpin guard
/usr/bin/ip link del dg0
/usr/bin/ip netns del ddos
rmmod bpfdev
