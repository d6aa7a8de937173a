#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bpfvm run --classic: programs as tcpdump -ddd prints them, written as
# struct sock_filter records, validated, converted and run on one packet.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$top/../shared}
bpfvm=$top/tools/bpfvm/bpfvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
result() {	# result STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# tcpdump -ddd lines ("code jt jf k", after the count) -> little-endian records
to_records() {
	local code jt jf k h
	read -r _count
	while read -r code jt jf k; do
		h=$(printf '%04x%02x%02x%08x' "$code" "$jt" "$jf" "$k")
		printf "\\x${h:2:2}\\x${h:0:2}\\x${h:4:2}\\x${h:6:2}\\x${h:14:2}\\x${h:12:2}\\x${h:10:2}\\x${h:8:2}"
	done
}

# Ethernet + IPv4 + TCP 1234 -> 80, and the same frame as UDP
eth=000000000001000000000002''0800
tcp=${eth}4500002800010000''4006000001020304''05060708
tcp=${tcp}04d20050''00000000''00000000''5002ffff''00000000
udp=${eth}4500001c00010000''4011000001020304''05060708
udp=${udp}04d20050''00080000

echo "1..7"

capture=$shared/pcaps/tcp_rst_data.pcap
tcpdump -ddd -r "$capture" 'tcp port 80' 2>/dev/null >"$tmp/port80.txt"
to_records <"$tmp/port80.txt" >"$tmp/port80.bpf"
snap=$(awk '$1 == 6 && $4 != 0 { print $4; exit }' "$tmp/port80.txt")
out=$("$bpfvm" run --classic --data-hex "$tcp" "$tmp/port80.bpf" 2>&1)
[ "$out" = "r0 = $snap ($(printf '0x%x' "$snap"))" ]
result $? "tcp port 80 accepts a TCP/80 frame, checked interpreter: $out"

out=$("$bpfvm" run --classic --unchecked --data-hex "$tcp" "$tmp/port80.bpf" 2>&1)
[ "$out" = "r0 = $snap ($(printf '0x%x' "$snap"))" ]
result $? "tcp port 80, fast interpreter: $out"

out=$("$bpfvm" run --classic --data-hex "$udp" "$tmp/port80.bpf" 2>&1)
[ "$out" = "r0 = 0 (0x0)" ]
result $? "tcp port 80 rejects a UDP/80 frame: $out"

# ld [proto]; add [hatype] via x; ret a: 0x0800 + ARPHRD_ETHER
printf '5\n32 0 0 4294963200\n7 0 0 0\n32 0 0 4294963228\n12 0 0 0\n22 0 0 0\n' |
	to_records >"$tmp/anc.bpf"
out=$("$bpfvm" run --classic --data-hex "$tcp" "$tmp/anc.bpf" 2>&1)
[ "$out" = "r0 = 2049 (0x801)" ]
result $? "ancillary protocol + hatype: $out"

# ldb [0] with no ret after it
printf '1\n48 0 0 0\n' | to_records >"$tmp/noret.bpf"
out=$("$bpfvm" run --classic "$tmp/noret.bpf" 2>&1)
rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"insn 0: last instruction is not ret"* ]]
result $? "a program without ret is refused: $out"

printf '2\n53 0 5 0\n6 0 0 0\n' | to_records >"$tmp/jump.bpf"
out=$("$bpfvm" run --classic "$tmp/jump.bpf" 2>&1)
rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"insn 0: jump out of range"* ]]
result $? "a jump past the end is refused: $out"

printf 'abcdefg' >"$tmp/short.bpf"
out=$("$bpfvm" run --classic "$tmp/short.bpf" 2>&1)
rc=$?
[ $rc -ne 0 ] && [[ "$out" == *"not whole struct sock_filter records"* ]]
result $? "a file of 7 bytes is refused: $out"

[ "$failed" -eq 0 ]
