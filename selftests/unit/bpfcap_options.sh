#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bpfcap's options, offline, against tcpdump where tcpdump does the same:
# -c, -w (microsecond and nanosecond savefiles that tcpdump reads back;
# -w -), -C/-W rotation (same files, same names, same packets as
# tcpdump's), -F, -d/-dd/-ddd, SIGUSR1's status line, and the errors a
# user can act on (bad expression, missing file, no /dev/bpf, --ebpf
# offline).
# Live capture, -G and the exit statistics are checked in the guest
# (selftests/guest/t_*bpfcap*).

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$top/../shared}
bpfcap=${BPFCAP:-$top/tools/bpfcap/bpfcap}
. "$top/selftests/unit/bpfcap_lib.sh"
p=$shared/pcaps

echo "1..24"

# -c: the first N accepted packets, printed or written.
tcpdump -r "$p/http_ip4and6.pcapng" -c 5 -w "$tmp/t.pcap" tcp 2>/dev/null
"$bpfcap" -r "$p/http_ip4and6.pcapng" -c 5 -w "$tmp/b.pcap" tcp 2>/dev/null
same_packets "$tmp/t.pcap" "$tmp/b.pcap"
result "$([ $? -eq 0 ] || echo x)" "-c 5 -w: the same five packets as tcpdump"
cnt=$("$bpfcap" -r "$p/ipv6_fragments.pcapng" -c 7 -n 2>/dev/null | wc -l)
result "$([ "$cnt" -eq 7 ] || echo x)" "-c 7: seven summaries ($cnt)"

# Savefiles: micro and nano precision, read back by tcpdump.
"$bpfcap" -r "$p/icmp_echo.pcapng" -w "$tmp/u.pcap" 2>/dev/null
magic=$(od -An -tx1 -N4 "$tmp/u.pcap" | tr -d ' ')
result "$([ "$magic" = d4c3b2a1 ] || echo x)" "-w: microsecond pcap magic ($magic)"
cmp -s <(tcpdump -r "$tmp/u.pcap" -tt -n -x 2>/dev/null) \
	<(tcpdump -r "$p/icmp_echo.pcapng" -tt -n -x 2>/dev/null)
result "$([ $? -eq 0 ] || echo x)" "tcpdump reads bpfcap's microsecond file: same packets, same stamps"
"$bpfcap" -r "$p/icmp_echo.pcapng" --time-stamp-precision=nano -w "$tmp/n.pcap" 2>/dev/null
magic=$(od -An -tx1 -N4 "$tmp/n.pcap" | tr -d ' ')
result "$([ "$magic" = 4d3cb2a1 ] || echo x)" "--time-stamp-precision=nano -w: nanosecond pcap magic ($magic)"
cmp -s <(tcpdump -r "$tmp/n.pcap" --time-stamp-precision=nano -tt -n -x 2>/dev/null) \
	<(tcpdump -r "$p/icmp_echo.pcapng" --time-stamp-precision=nano -tt -n -x 2>/dev/null)
result "$([ $? -eq 0 ] || echo x)" "tcpdump reads bpfcap's nanosecond file: same packets, same stamps"
tcpdump -r "$p/icmp_echo.pcapng" --time-stamp-precision=nano -w "$tmp/tn.pcap" 2>/dev/null
cmp -s "$tmp/n.pcap" "$tmp/tn.pcap"
result "$([ $? -eq 0 ] || echo x)" "nanosecond file byte-identical to tcpdump's, header included"
"$bpfcap" -r "$p/tcp_handshake.pcapng" -w - 2>/dev/null | tcpdump -r - -n >"$tmp/w.txt" 2>/dev/null
tcpdump -r "$p/tcp_handshake.pcapng" -n 2>/dev/null | cmp -s - "$tmp/w.txt"
result "$([ $? -eq 0 ] || echo x)" "-w -: a savefile on stdout that tcpdump reads"

# -C/-W: a capture of about 2.6 MB, cut as tcpdump cuts it (tcpdump -Z
# root: it would open the later files as user tcpdump).
big=$tmp/big.pcap
{
	head -c 24 "$p/print-flags.pcap"
	for i in $(seq 400); do tail -c +25 "$p/print-flags.pcap"; done
} >"$big"
rot() {	# rot DIR TOOL ARGS...: rotate into DIR/out*, list "name size" lines
	local d=$1 tool=$2
	shift 2
	mkdir -p "$d"
	"$tool" -r "$big" -w "$d/out" "$@" 2>/dev/null
	(cd "$d" && for f in out*; do echo "$f $(tail -c +25 "$f" | md5sum | cut -c1-32)"; done)
}
a=$(rot "$tmp/rt1" tcpdump -Z root -C 1)
b=$(rot "$tmp/rb1" "$bpfcap" -C 1)
nf=$(echo "$b" | wc -l)
result "$([ "$a" = "$b" ] && [ "$nf" -ge 3 ] || echo x)" "-C 1: $nf files, names and packets as tcpdump's"
a=$(rot "$tmp/rt2" tcpdump -Z root -C 1 -W 2)
b=$(rot "$tmp/rb2" "$bpfcap" -C 1 -W 2)
result "$([ "$a" = "$b" ] && [ "$(echo "$b" | wc -l)" -eq 2 ] || echo x)" \
	"-C 1 -W 2: two files reused in turn, as tcpdump's"
result "$([ -f "$tmp/rb2/out0" ] && [ -f "$tmp/rb2/out1" ] || echo x)" "-W 2 names: out0 and out1"

# -F: the expression from a file, with comments.
printf '# only the replies\nicmp[icmptype] == icmp-echoreply # of pings\n' >"$tmp/filter"
"$bpfcap" -r "$p/icmp_echo.pcapng" -n -F "$tmp/filter" >"$tmp/b.txt" 2>/dev/null
tcpdump -r "$p/icmp_echo.pcapng" -n -F "$tmp/filter" 2>/dev/null | cmp -s - "$tmp/b.txt"
result "$([ $? -eq 0 ] && [ "$(wc -l <"$tmp/b.txt")" -eq 4 ] || echo x)" "-F FILE: comments dropped, same 4 packets as tcpdump"

# -d, -dd, -ddd: the program as tcpdump prints it.
bad=
for d in -d -dd -ddd; do
	for e in "tcp port 80" "vlan and udp" "ip6 and icmp6" "arp or rarp" "greater 100"; do
		tcpdump -r "$p/dns_udp.pcap" $d "$e" >"$tmp/t.txt" 2>/dev/null
		"$bpfcap" -r "$p/dns_udp.pcap" $d "$e" >"$tmp/b.txt" 2>/dev/null
		cmp -s "$tmp/t.txt" "$tmp/b.txt" || bad="$bad $d'$e'"
	done
done
result "$bad" "-d/-dd/-ddd: 15 programs printed as tcpdump prints them${bad:+ (differs:$bad)}"

# SIGUSR1 while reading a savefile from a pipe: one packet, the signal,
# then another (the status comes with the next packet).
E=020000000002020000000001
mkpcap "$tmp/two.pcap" "${E}0800""4500001c000a00004001000a0a0000010a000002""0800000000010002" \
	"${E}0800""4500001c000b00004001000a0a0000010a000002""0800000000010003"
mkfifo "$tmp/fifo"
"$bpfcap" -r "$tmp/fifo" -n >"$tmp/b.txt" 2>"$tmp/err" &
pid=$!
exec 7>"$tmp/fifo"
head -c $((24 + 16 + 42)) "$tmp/two.pcap" >&7
sleep 0.5
kill -USR1 $pid
sleep 0.2
tail -c +$((24 + 16 + 42 + 1)) "$tmp/two.pcap" >&7
exec 7>&-
wait $pid
grep -q "^bpfcap: 2 packets captured, 2 packets received by filter, 0 packets dropped by kernel$" "$tmp/err"
result "$([ $? -eq 0 ] && [ "$(wc -l <"$tmp/b.txt")" -eq 2 ] || echo x)" \
	"SIGUSR1: tcpdump's one-line status on stderr ($(grep captured "$tmp/err" | head -n 1))"

# Errors a user can act on.
"$bpfcap" -r "$p/dns_udp.pcap" 'tcp port' >/dev/null 2>"$tmp/err"
rc=$?
result "$([ $rc -eq 1 ] && grep -q "^bpfcap: can't parse filter expression: syntax error" "$tmp/err" || echo x)" \
	"bad expression: libpcap's message, exit 1 ($(tail -n 1 "$tmp/err"))"
"$bpfcap" -r "$tmp/nonexistent.pcap" >/dev/null 2>"$tmp/err"
rc=$?
result "$([ $rc -eq 1 ] && grep -q "^bpfcap: .*nonexistent.pcap: No such file or directory" "$tmp/err" || echo x)" \
	"missing savefile: named, exit 1 ($(tail -n 1 "$tmp/err"))"
if [ -e /dev/bpf ]; then
	result "" "no /dev/bpf: names insmod # SKIP /dev/bpf exists here"
else
	"$bpfcap" -i lo -c 1 >/dev/null 2>"$tmp/err"
	rc=$?
	result "$([ $rc -eq 1 ] && grep -q "insmod kmod/bpfdev.ko" "$tmp/err" || echo x)" \
		"no /dev/bpf: says how to load the module ($(tail -n 1 "$tmp/err"))"
fi
"$bpfcap" -r "$p/dns_udp.pcap" --ebpf prog.o:socket >/dev/null 2>"$tmp/err"
rc=$?
result "$([ $rc -eq 1 ] && grep -q "with -r is not supported" "$tmp/err" || echo x)" \
	"--ebpf -r: a clear 'not supported' ($(tail -n 1 "$tmp/err"))"
"$bpfcap" -Q sideways -r "$p/dns_udp.pcap" >/dev/null 2>"$tmp/err"
result "$([ $? -eq 1 ] && grep -q "unknown capture direction 'sideways'" "$tmp/err" || echo x)" \
	"-Q: a bad direction is refused"
"$bpfcap" -r "$p/dns_udp.pcap" -C 1 >/dev/null 2>"$tmp/err"
result "$([ $? -eq 1 ] && grep -q -- "-C requires -w" "$tmp/err" || echo x)" "-C without -w is refused"
# --fanout: its arguments and what it cannot do (the readers themselves
# run in the guest, selftests/guest/t_47_fanout_bpfcap.sh).
for arg in 0 65 2,sideways 2x; do
	"$bpfcap" --fanout=$arg -r "$p/dns_udp.pcap" >/dev/null 2>"$tmp/err"
	rc=$?
	grep -q "invalid --fanout $arg (N\[,hash|cpu|rr\], N from 1 to 64)" "$tmp/err" && [ $rc -eq 1 ] || break
done
result "$([ $rc -eq 1 ] && [ "$arg" = 2x ] || echo x)" "--fanout: 0, 65, an unknown mode and junk are refused ($(tail -n 1 "$tmp/err"))"
"$bpfcap" --fanout=2,rr -r "$p/dns_udp.pcap" >/dev/null 2>"$tmp/err"
result "$([ $? -eq 1 ] && grep -q -- "--fanout reads a live interface, not -r" "$tmp/err" || echo x)" \
	"--fanout with -r is refused"
"$bpfcap" --fanout=2 -i lo -w - >/dev/null 2>"$tmp/err"
result "$([ $? -eq 1 ] && grep -q -- "-w - is not possible" "$tmp/err" || echo x)" \
	"--fanout with -w - is refused ($(tail -n 1 "$tmp/err"))"
"$bpfcap" --help 2>&1 | grep -q -- "--fanout=N\[,hash|cpu|rr\]"
result "$([ $? -eq 0 ] || echo x)" "--help names --fanout"
finish
