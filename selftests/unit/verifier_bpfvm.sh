#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bpfvm verify: accepted and rejected programs, maps given with --map, the
# log levels and the exit status.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bpfvm=$top/tools/bpfvm/bpfvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() {	# ok COND-STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# prog NAME HEX...: instructions as hex, 8 bytes each.
prog() {
	local name=$1 hex
	shift
	hex=$(printf '%s' "$@")
	printf "$(printf '%s' "$hex" | sed 's/../\\x&/g')" > "$tmp/$name"
}

echo "1..11"
prog ret7 b700000007000000 9500000000000000
# past the frame (root may read stack it never wrote, as 6.1 lets CAP_PERFMON)
prog uninit 79a0080000000000 9500000000000000
# *(u64 *)(r10 - 8) = 0; r2 = r10; r2 += -8; r1 = map fd 3; call 1;
# if r0 == 0 goto +1; r0 = *(u64 *)(r0 + 0); exit
prog lookup 7a0af8ff00000000 bfa2000000000000 07020000f8ffffff \
	1811000003000000 0000000000000000 8500000001000000 \
	1500010000000000 7900000000000000 9500000000000000
# the same without the null check
prog nocheck 7a0af8ff00000000 bfa2000000000000 07020000f8ffffff \
	1811000003000000 0000000000000000 8500000001000000 \
	7900000000000000 9500000000000000

out=$("$bpfvm" verify "$tmp/ret7" 2>&1); ok $? "a valid program is accepted"
echo "$out" | grep -q "^processed 2 insns (limit 1000000)"; ok $? "level 1 on success prints the stats line"
out=$("$bpfvm" verify "$tmp/uninit" 2>&1); [ $? -eq 1 ]; ok $? "an invalid program exits 1"
echo "$out" | grep -q "^invalid read from stack R10 off=8 size=8" &&
	echo "$out" | grep -q "rejected at insn 0"; ok $? "the log names the reason and the instruction"
"$bpfvm" verify --map 3=hash,8,8,16 "$tmp/lookup" >/dev/null 2>&1; ok $? "--map gives the pseudo fd a map"
out=$("$bpfvm" verify "$tmp/lookup" 2>&1); echo "$out" | grep -q "fd 3 is not pointing to valid bpf_map"; ok $? "a missing map is an error"
out=$("$bpfvm" verify --map 3=array,4,8,4 "$tmp/nocheck" 2>&1)
echo "$out" | grep -q "R0 invalid mem access 'map_value_or_null'"; ok $? "a missing null check is found"
out=$("$bpfvm" verify --log-level 2 "$tmp/ret7" 2>&1)
echo "$out" | grep -q "^0: R1=ctx(off=0,imm=0) R10=fp0"; ok $? "level 2 prints states"
"$bpfvm" verify --bogus "$tmp/ret7" >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "bad usage exits 2"
# r2 = skb->data; r3 = skb->data_end; r0 = r3 - r2: needs the context rewrite
prog pktlen 61124c0000000000 6113500000000000 bf30000000000000 1f20000000000000 9500000000000000
out=$("$bpfvm" run --verify --data-hex 00112233445566778899 "$tmp/pktlen" 2>&1)
echo "$out" | grep -q "^r0 = 10 "; ok $? "run --verify runs the rewritten program"
"$bpfvm" run --verify "$tmp/uninit" >/dev/null 2>&1; [ $? -eq 1 ]; ok $? "run --verify refuses what the verifier rejects"
exit $failed
