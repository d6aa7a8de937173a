#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bpfcap's printer against tcpdump 4.99: for every capture in
# $SHARED/pcaps (plus synthesized frames: QinQ, VLAN priority/DEI, ICMP
# errors, SACK/urgent, IP options, IPv6 destination options and fragments,
# truncation, unknown ethertypes and TCP options; and every packet of
# several captures cut at every length up to 160 bytes) and each flag set,
# `bpfcap -r F FLAGS` must print exactly what `tcpdump -r F FLAGS` prints.
#
# bpfcap decodes Ethernet, 802.1Q/QinQ, ARP, IPv4, IPv6 (extension
# headers, fragments), ICMP, ICMPv6 (echo, errors, ND, MLD), TCP (flags,
# relative seq/ack, win, options, length; HTTP's first line as tcpdump)
# and UDP.  tcpdump decodes far more; packets of the protocols bpfcap does
# not decode are left out of the comparison with the filter $UNDECODED
# (the same filter for both tools), so every other line must be identical.
# The share of identical packets in the unfiltered -n output is reported
# as a diagnostic.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$top/../shared}
bpfcap=${BPFCAP:-$top/tools/bpfcap/bpfcap}
. "$top/selftests/unit/bpfcap_lib.sh"

# Protocols tcpdump decodes and bpfcap prints generically (allowed
# differences): 802.3/LLC (STP, CDP), LLDP, MPLS, IGMP, PGM, DCCP, and the
# UDP/TCP applications DNS, NTP, TFTP, ESP-in-UDP, VXLAN, MPLS-in-UDP, LDP.
# (No "mpls" or "vlan" keywords: libpcap moves the offsets of what
# follows them; raw ethertype tests instead.)
UNDECODED="ether[12:2] <= 1500 or ether proto 0x88cc or ether proto 0x8847"
UNDECODED="$UNDECODED or ether proto 0x8848 or igmp or ip proto 113"
UNDECODED="$UNDECODED or ip proto 33 or port 53 or udp port 123 or udp port 69"
UNDECODED="$UNDECODED or udp port 4500 or udp port 4789 or udp port 6635"
UNDECODED="$UNDECODED or port 646"
# Per capture: mptcp-fclose carries MPTCP options on every segment
# (bpfcap prints an option it does not decode as its raw bytes); the
# tagged frames of ldp-common-session are all LDP.
undecoded_for() {
	case $1 in
	mptcp-fclose.pcap) echo "tcp or $UNDECODED" ;;
	ldp-common-session.pcap) echo "ether proto 0x8100 or $UNDECODED" ;;
	*) echo "$UNDECODED" ;;
	esac
}

flagsets=(
	"-n" "-n -e" "-n -q" "-n -e -q" "-n -v" "-n -vv" "-n -e -v"
	"-n -t" "-n -tt" "-n -ttt" "-n -tttt" "-n -ttttt"
	"-n -x" "-n -xx" "-n -X" "-n -XX" "-n -A" "-n -S"
	"-n --time-stamp-precision=nano -tt" "-n -c 3" "-n -e -x -S -v"
)

mk_synth "$tmp/synth.pcap"
files=("$shared"/pcaps/*.pcap "$shared"/pcaps/*.pcapng "$tmp/synth.pcap")
# Every packet cut at every length up to 160 bytes (a small snap length):
# where the bytes end, bpfcap must stop as tcpdump does (" [|proto]").
for f in "$tmp/synth.pcap" "$shared"/pcaps/{print-flags,icmpv6,ipv6-routing-header,tcp_rst_data}.pcap \
	"$shared"/pcaps/{http_ip4and6,ipv6_fragments,icmp_echo,ip_frag_source,arp_resolution,tcp_handshake}.pcapng; do
	name=$(basename "${f%.*}")
	tcpdump -r "$f" -w "$tmp/full-$name.pcap" 2>/dev/null	# pcapng -> pcap
	mktrunc "$tmp/full-$name.pcap" "$tmp/cut-$name.pcap" 1 160
	files+=("$tmp/cut-$name.pcap")
done

echo "1..$((${#flagsets[@]} + 1))"
for fl in "${flagsets[@]}"; do
	bad=
	for f in "${files[@]}"; do
		name=$(basename "$f")
		# Hex dumps of cut packets: tcpdump starts them at the link
		# header or after it depending on how its printer stopped;
		# bpfcap follows it for most, not all: not compared.
		case "$name $fl" in cut-*-[xXA]*|cut-*" -e -x"*) continue ;; esac
		ex=$(undecoded_for "$name")
		tcpdump -r "$f" $fl "not ($ex)" >"$tmp/t.txt" 2>/dev/null
		"$bpfcap" -r "$f" $fl "not ($ex)" >"$tmp/b.txt" 2>"$tmp/err" ||
			bad="$bad $name(exit $?: $(tail -n 1 "$tmp/err"))"
		if ! cmp -s "$tmp/t.txt" "$tmp/b.txt"; then
			bad="$bad $name"
			diff "$tmp/t.txt" "$tmp/b.txt" | head -n 6 | sed 's/^/# /'
		fi
	done
	result "$bad" "print '$fl': identical to tcpdump on every capture${bad:+ (differs:$bad)}"
done

# One line per packet: continuation lines (hex, -v) joined to theirs.
per_packet() {
	awk '/^[0-9]/ { if (p != "") print p; p = $0; next } { p = p "|" $0 } END { if (p != "") print p }'
}

# The savefile banner on stderr, and the share of all -n packets that match.
bad= same=0 total=0
for f in "${files[@]}"; do
	tcpdump -r "$f" -n 2>"$tmp/t.err" | per_packet >"$tmp/t.txt"
	"$bpfcap" -r "$f" -n 2>"$tmp/b.err" | per_packet >"$tmp/b.txt"
	head -n 1 "$tmp/t.err" | cmp -s - <(head -n 1 "$tmp/b.err") || bad="$bad $(basename "$f")"
	total=$((total + $(wc -l <"$tmp/t.txt")))
	same=$((same + $(diff --unchanged-line-format='=%L' --old-line-format= \
		--new-line-format= "$tmp/t.txt" "$tmp/b.txt" | wc -l)))
done
result "$bad" "'reading from file' banner as tcpdump's${bad:+ (differs:$bad)}"
# A diagnostic: the rest are the undecoded protocols (114 are CDP/LLDP).
echo "# unfiltered -n output: $same of $total packets printed identically"
finish
