# SPDX-License-Identifier: GPL-2.0
# demo: bpfcap, tcpdump's face on /dev/bpf: live capture through a filter
# A veth pair into a namespace; bpfcap reads the module's mmap()ed ring.
modprobe veth
insmod /bpfdev/bpfdev.ko 2>/dev/null
/usr/bin/ip netns add demo
/usr/bin/ip link add dv0 type veth peer name dv1
/usr/bin/ip link set dv1 netns demo
/usr/bin/ip addr add 10.99.0.1/24 dev dv0
/usr/bin/ip link set dv0 up
/usr/bin/ip -n demo addr add 10.99.0.2/24 dev dv1
/usr/bin/ip -n demo link set dv1 up
ping -c 1 -W 2 10.99.0.2 >/dev/null
show bpfcap -i dv0 -d "'icmp[icmptype] == icmp-echo'"
show "bpfcap -i dv0 -n -c 6 icmp & sleep 1; ping -c 3 -i 0.2 10.99.0.2 >/dev/null; wait"
show "bpfcap -i dv0 -n -e -v -c 1 'icmp[icmptype] == icmp-echo' & sleep 1; ping -c 1 10.99.0.2 >/dev/null; wait"
show "bpfcap -i dv0 -w /tmp/demo.pcap icmp & sleep 1; ping -c 2 -i 0.2 10.99.0.2 >/dev/null; sleep 1; kill -INT \$!; wait"
show tcpdump -r /tmp/demo.pcap -n
show bpfcap -r /tmp/demo.pcap -n -tt "'icmp[icmptype] == icmp-echoreply'"
/usr/bin/ip link del dv0
/usr/bin/ip netns del demo
rmmod bpfdev
