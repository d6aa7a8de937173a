# SPDX-License-Identifier: GPL-2.0
#
# Shared by the bpfcap_*.sh suites (sourced, not run): TAP helpers, a
# pcap writer for synthesized frames, packet comparison.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC

tap_n=0 failed=0
result() {	# result FAILED-IF-NONEMPTY NAME
	tap_n=$((tap_n + 1))
	if [ -z "$1" ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		failed=$((failed + 1))
	fi
}

finish() {
	[ "$failed" -eq 0 ]
	exit $?
}

# Little-endian 32-bit value as bytes.
le32() {
	printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))"
	printf "\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 24 & 255)))"
}

hexbytes() {
	printf "$(echo "$1" | sed 's/../\\x&/g')"
}

# mkpcap OUT FRAME...: a microsecond pcap, one packet per FRAME (hex;
# "HEX/WIRELEN" for a frame cut short by the snap length), a second apart.
# Ethernet frames, or LINKTYPE=N's.
mkpcap() {
	local out=$1 i=0 f hex wire
	shift
	{
		printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00'
		le32 0; le32 0; le32 65535; le32 "${LINKTYPE:-1}"
		for f in "$@"; do
			hex=${f%%/*}
			wire=$((${#hex} / 2))
			[ "$f" != "$hex" ] && wire=${f#*/}
			le32 $((1700000000 + i)); le32 $((i * 1000 + 7))
			le32 $((${#hex} / 2)); le32 "$wire"
			hexbytes "$hex"
			i=$((i + 1))
		done
	} >"$out"
}

# Frames for what the shared captures lack: QinQ, VLAN with priority and
# DEI, ICMP errors, SACK and urgent data, IP options, IPv6 destination
# options and fragments, truncation, unknown ethertypes and options.
mk_synth() {
	local E=020000000002020000000001
	local UDP=45000024000100004011000a0a0000010a000002''04d2162e00100000''0102030405060708
	local INNER=4500001c000100004011000a0a0000010a000002''04d2162e00080000
	mkpcap "$1" \
		"${E}88a8""0064""8100""00c8""0800""$UDP" \
		"${E}8100""b007""86dd""6000000000103a40fe800000000000000000000000000001fe800000000000000000000000000002""8000000012340001""0001020304050607" \
		"${E}0800""45000038000200004001000a0a0000020a000001""0303000000000000""$INNER" \
		"${E}0800""450000380003000040010000""0a0000020a000001""0b00000000000000""$INNER" \
		"${E}0800""45000034000400004006000a0a0000010a000002""04d2270f00000064000000c88038""03e800000005""0101050a0000012c00000190" \
		"${E}0800""4600002c00054000400600000a0000010a000002""94040000""04d2270f0000000100000000500200ff00000000" \
		"${E}86dd""60000000001c3c402001""0db8000000000000000000000001""20010db8000000000000000000000002""0600010400000000""04d2270f00000001000000025010100000000000" \
		"${E}0800""45000034000600004006000a0a0000010a000002""04d2270f000000/74" \
		"${E}0806""0001080006040001""020000000001""0a000001""aabbccddeeff""0a000002" \
		"${E}0800""45000020000700104011000a0a0000010a000002""000102030405060708090a0b" \
		"${E}88b5""000102030405060708090a0b0c0d0e0f101112131415" \
		"${E}86dd""6000000000182c402001""0db8000000000000000000000001""20010db8000000000000000000000002""1100000100001234""04d2162e00100000""0102030405060708" \
		"${E}0800""4500002c000800004006000a0a0000010a000002""04d2270f0000000100000000600200ff00000000""6304abcd" \
		"${E}0800""4500001c000900004011000a0a0000010a000002""04d2162e00040000" \
		"${E}0800""4500001c000a00004001000a0a0000010a000002""0800000000010002" \
		"${E}0800""45000028000b0000400600000a0000010a000002""04d2270f0000000100000002501400000000ffff"
}

# 802.11 data frames (LLC/SNAP, IPv4) behind a PPI header: libpcap's
# code for such a link is long (a 59-port or-chain is over 7,000
# instructions).  UDP to 53, 1001, 1030, 1059, 2000 and 80, a TCP SYN
# from 1005 and one to 3000.
mk_ppi() {
	local P=000008006900000008020000ffffffffffff020000000001020000000002''1000''aaaa030000000800
	local IP=45000024000100004011000a0a0000010a000002 TIP=45000028000200004006000a0a0000010a000002
	local port frames=()
	for port in 0035 03e9 0406 0423 07d0 0050; do
		frames+=("${P}${IP}04d2${port}00100000""0001020304050607")
	done
	frames+=("${P}${TIP}03ed0fa00000000100000000500204000000""0000")
	frames+=("${P}${TIP}04d20bb80000000100000000500204000000""0000")
	LINKTYPE=192 mkpcap "$1" "${frames[@]}"
}

# Same packets (records after the 24-byte global header), same bytes.
same_packets() {
	cmp -s <(tail -c +25 "$1") <(tail -c +25 "$2")
}

# Little-endian 32-bit value as 8 hex digits.
le32hex() {
	printf -v _h '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# mktrunc IN OUT STEP MAX: every packet of the little-endian microsecond
# pcap IN, cut at 14, 14+STEP, ... up to MAX bytes (and its own length):
# what a small snap length makes of real traffic.
mktrunc() {
	local hex off=48 end cl wl L i=0 rec out
	hex=$(od -An -v -tx1 "$1" | tr -d ' \n')
	end=${#hex}
	out=d4c3b2a102000400000000000000000000ff000001000000
	while [ $((off + 32)) -le "$end" ]; do
		rec=${hex:off:32}
		cl=$((16#${rec:22:2}${rec:20:2}${rec:18:2}${rec:16:2}))
		wl=$((16#${rec:30:2}${rec:28:2}${rec:26:2}${rec:24:2}))
		for ((L = 14; L <= cl && L <= $4; L += $3)); do
			le32hex $((1700000000 + i)); out+=$_h
			le32hex 0; out+=$_h
			le32hex "$L"; out+=$_h
			le32hex "$wl"; out+=$_h
			out+=${hex:off+32:L*2}
			i=$((i + 1))
		done
		off=$((off + 32 + cl * 2))
	done
	printf '%s' "$out" | perl -e 'local $/; print pack("H*", <STDIN>)' >"$2"
}
