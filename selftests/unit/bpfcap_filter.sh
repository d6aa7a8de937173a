#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bpfcap -r: the offline differential.  For every capture in
# $SHARED/pcaps (plus synthesized VLAN/QinQ frames) and each expression
# below, `bpfcap -r F -w OUT EXPR` must write exactly the packets that
# `tcpdump -r F -w OUT EXPR` writes: the files are compared byte for byte
# after the 24-byte global header.  bpfcap runs the filter through our
# engine (validator, converter, JIT as by default), and on a varied subset of
# the captures once more with --no-jit (the interpreter); an expression libpcap refuses must
# fail in both tools.  A program over the engine's 4,096 instructions
# runs in libpcap's bpf_filter() instead, with a warning.
# One TAP case per expression (over all captures and both engines).

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$top/../shared}
bpfcap=${BPFCAP:-$top/tools/bpfcap/bpfcap}
. "$top/selftests/unit/bpfcap_lib.sh"

exprs=(
	""
	"tcp" "udp" "icmp" "icmp6" "arp" "ip" "ip6" "rarp"
	"vlan" "vlan and ip" "vlan 202" "not vlan" "vlan 165 and tcp"
	"vlan and vlan" "vlan 100 and vlan 200 and udp"
	"tcp port 80" "port 53" "udp port 53" "tcp port 53"
	"portrange 1-1023" "tcp src portrange 1000-60000" "dst port 646"
	"udp dst port 123" "src port 123" "udp port 4789"
	"udp port 4789 and udp[8:2] = 0x0800"
	"host 192.168.1.11" "src host 192.168.1.11" "dst host 209.87.249.18"
	"net 192.168.0.0/16" "src net 10.0.0.0/8" "ip and not net 192.168.0.0/16"
	"ip6 host 2001:db8:1:2::1000" "ip6 net 2001:db8::/32"
	"ether host 00:16:d4:b8:59:b1" "ether src 00:16:d4:b8:59:b1"
	"ether dst ff:ff:ff:ff:ff:ff" "ether broadcast" "ether multicast"
	"ip multicast" "ip6 multicast" "ip broadcast"
	"tcp[tcpflags] & tcp-syn != 0"
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)"
	"tcp[tcpflags] & tcp-rst != 0" "tcp[tcpflags] & tcp-fin != 0"
	"tcp[tcpflags] & tcp-push != 0"
	"icmp[icmptype] == icmp-echo" "icmp[icmptype] == icmp-echoreply"
	"icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply"
	"ip[6:2] & 0x1fff != 0" "ip[6:2] & 0x2000 != 0" "ip6 and ip6[6] == 44"
	"greater 1000" "less 100" "len > 500" "len <= 64"
	"ip[8] < 64" "ip[1] & 0xfc != 0" "ip[2:2] > 1000"
	"tcp and (tcp[12] >> 4) > 5"
	"tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420"
	"udp and udp[4:2] > 100"
	"igmp" "ip proto 113" "ip proto 33" "stp" "ether[12:2] <= 1500"
	"mpls" "ether proto 0x88cc"
	"host 10.0.2.15 or host 10.1.1.2" "tcp and not port 80"
	"(tcp or udp) and not (port 53 or port 80)" "ip6 and tcp" "ip6 and udp"
	"arp[6:2] = 2" "ip host 192.168.100.1 and icmp"
	"tcp portrange 50000-60000 and ip" "icmp6 and ip6[40] == 135"
	"ether[0] & 1 = 0 and ip[9] = 17"
	"tcp[13] = 0x18" "udp[0:2] = udp[2:2]"
	"ip[0] & 0xf > 5" "ip6[0:4] & 0x000fffff != 0"
	"inbound" "this is not an expression ("
)

# libpcap compiles protochain into a loop (a backward jump): Linux's
# classic checker refuses it, and so does ours, as bpfdev.ko would.
kernel_refuses=("ip6 protochain 6" "ip protochain 17")

# Programs longer than the engine takes (4,096 instructions, Linux's
# BPF_MAXINSNS): bpfcap filters them with libpcap's bpf_filter(), as
# tcpdump does on Linux when the kernel refuses, and says so on stderr.
# The 59-port chain is over 7,000 on PPI (short elsewhere: the engine
# runs it); the other is 4,355 on Ethernet, on the captures it matches.
long_exprs=(
	"$(for i in $(seq 1001 1059); do printf 'port %d or ' "$i"; done)port 80"
	"$(for i in $(seq 1 210); do printf '(udp dst port %d and len != %d) or ' $((2000 + i)) $((100 + i)); done)udp port 53 or udp dst port 5678"
)
long_files=("" "$shared/pcaps/dns_udp.pcap $shared/pcaps/ntp.pcap $tmp/synth.pcap $tmp/ppi.pcap")

mk_synth "$tmp/synth.pcap"
mk_ppi "$tmp/ppi.pcap"
files=("$shared"/pcaps/*.pcap "$shared"/pcaps/*.pcapng "$tmp/synth.pcap")
long_files[0]="${files[*]} $tmp/ppi.pcap"

echo "1..$((${#exprs[@]} + ${#kernel_refuses[@]} + ${#long_exprs[@]}))"
for e in "${exprs[@]}"; do
	bad=
	for f in "${files[@]}"; do
		n=$(basename "$f")
		tcpdump -r "$f" -w "$tmp/t.pcap" "$e" 2>/dev/null
		trc=$?
		jits=""
		case $n in	# the interpreter too on a varied subset: the suite stays fast
		synth.pcap|http_ip4and6.pcapng|ipv6_fragments.pcapng|icmpv6.pcap|\
		ldp-common-session.pcap|ip_frag_source.pcapng|vxlan.pcap) jits=--no-jit ;;
		esac
		for jit in "" $jits; do
			"$bpfcap" -r "$f" -w "$tmp/b.pcap" $jit "$e" 2>"$tmp/err"
			brc=$?
			if [ "$trc" -ne 0 ]; then
				[ "$brc" -ne 0 ] || bad="$bad $n(tcpdump refuses, bpfcap took it)"
				continue
			fi
			if [ "$brc" -ne 0 ]; then
				bad="$bad $n${jit:+($jit)}: $(head -c 200 "$tmp/err")"
				continue
			fi
			same_packets "$tmp/t.pcap" "$tmp/b.pcap" || bad="$bad $n${jit:+($jit)}"
		done
	done
	result "${bad:+1}" "filter '${e}': same packets as tcpdump${bad:+ (differs:$bad)}"
done
for e in "${kernel_refuses[@]}"; do
	f=$shared/pcaps/ipv6_fragments.pcapng
	bad=
	tcpdump -r "$f" -w "$tmp/t.pcap" "$e" 2>/dev/null || bad="tcpdump refused it"
	if "$bpfcap" -r "$f" -w "$tmp/b.pcap" "$e" 2>"$tmp/err"; then
		bad="$bad bpfcap took it"
	else
		grep -q "filter rejected by the engine: insn [0-9]*: " "$tmp/err" ||
			bad="$bad message: $(tail -n 1 "$tmp/err")"
	fi
	result "$bad" "filter '$e': refused as the kernel's classic checker would${bad:+ ($bad)}"
done
for i in "${!long_exprs[@]}"; do
	e=${long_exprs[$i]}
	bad= over=0
	for f in ${long_files[$i]}; do
		n=$(basename "$f")
		insns=$(tcpdump -d -r "$f" "$e" 2>/dev/null | wc -l)
		tcpdump -r "$f" -w "$tmp/t.pcap" "$e" 2>/dev/null || { bad="$bad $n(tcpdump failed)"; continue; }
		if ! "$bpfcap" -r "$f" -w "$tmp/b.pcap" "$e" 2>"$tmp/err"; then
			bad="$bad $n: $(tail -n 1 "$tmp/err")"
			continue
		fi
		same_packets "$tmp/t.pcap" "$tmp/b.pcap" || bad="$bad $n(packets differ)"
		if [ "$insns" -gt 4096 ]; then
			over=$((over + 1))
			grep -qx "Warning: filter of $insns instructions is over the engine's 4096: filtering with libpcap's bpf_filter()" \
				"$tmp/err" || bad="$bad $n(no warning)"
		elif grep -q '^Warning' "$tmp/err"; then
			bad="$bad $n(a warning for $insns instructions)"
		fi
	done
	[ "$over" -gt 0 ] || bad="$bad (no capture made it longer than 4096)"
	result "$bad" "filter of ${#e} characters (over 4096 instructions on $over captures): same packets as tcpdump, in libpcap's bpf_filter() with a warning${bad:+ (differs:$bad)}"
done
finish
