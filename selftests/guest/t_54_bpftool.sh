# SPDX-License-Identifier: GPL-2.0
#
# Debian's bpftool, unchanged, on bpfdev through libbpfdev-shim.so
# (bpfdev-run): prog load/show/dump/run, map show/dump/lookup/update/
# delete/create and btf show, plain and -j, on multi.bpf.o (three .maps
# maps, global data, subprograms).  What differs from the same commands
# on the kernel is in man/bpfdev.4 (bpftool through the shim); the cases
# below hold bpfdev to what is the same.

. "$BPFDEV_TEST_DIR/lib.sh"

# multi.bpf.o has a CO-RE relocation: libbpf needs the kernel's BTF, as
# for the kernel's own bpf() (the debug kernel is built without it).
[ -r /sys/kernel/btf/vmlinux ] || { echo "1..0 # SKIP no /sys/kernel/btf/vmlinux"; exit 0; }

plan 22

T=/tmp/t54
mkdir -p $T
P=/sys/fs/bpf/t54_prog
M=/sys/fs/bpf/t54_map
mark=$(dmesg_mark)
BT="bpfdev-run bpftool"

# run NAME CMD...: CMD's stdout in $T/NAME, its stderr in $T/NAME.err;
# shows both when it fails.
run() {
	_n=$1
	shift
	"$@" >$T/$_n 2>$T/$_n.err
	_rc=$?
	[ $_rc -eq 0 ] || { diag "$* exit $_rc"; cat $T/$_n $T/$_n.err | head -20 | sed 's/^/#   /'; }
	return $_rc
}
# rh NAME PATTERN... -- CMD...: run NAME CMD, then each PATTERN (ERE)
# matches a line of its output.
rh() {
	_n=$1
	shift
	_pats=
	while [ "$1" != -- ]; do
		_pats="$_pats$1
"
		shift
	done
	shift
	run $_n "$@" || return 1
	printf '%s' "$_pats" | while IFS= read -r _p; do
		grep -E -q -- "$_p" $T/$_n || { diag "no /$_p/ in:"; head -20 $T/$_n | sed 's/^/#   /'; exit 1; }
	done
}

check "prog load OBJ PATH pins the first program" run load $BT prog load /bpfdev/multi.bpf.o $P
check "prog show pinned: socket_filter named count" \
	rh show '^[0-9]+: socket_filter  name count' -- $BT prog show pinned $P
id=$(sed -n 's/^\([0-9]*\): socket_filter  name count.*/\1/p' $T/show | head -n 1)
diag "program id $id"
check "prog show lists it with its map ids and BTF" \
	rh list 'map_ids [0-9]+,[0-9]+' 'btf_id [0-9]+' -- $BT prog show
check "-j prog show id N: type, name, tag, jited" \
	rh jshow '"type":"socket_filter"' '"name":"count"' '"tag":"[0-9a-f]{16}"' \
	'"bytes_jited":[1-9]' -- $BT -j prog show id $id
check "prog dump xlated id N: the subprogram calls and C lines" \
	rh xl 'call pc[+-][0-9]+' '^; .*bump' -- $BT prog dump xlated id $id
check "-j prog dump xlated id N" rh jxl '"disasm":' -- $BT -j prog dump xlated id $id
# Debian's bpftool is built without libbfd: no jited dump, on any kernel.
check "prog dump jited id N: \"No libbfd support\", as on the kernel" \
	sh -c "$BT prog dump jited id $id 2>&1 | grep -q 'No libbfd support'"
printf '\0\0\0\0\0\0\0\0\0\0\0\0\10\0' >$T/pkt
dd if=/dev/zero bs=50 count=1 2>/dev/null >>$T/pkt
check "prog run id N data_in: .rodata's 0x1234" \
	rh run1 'Return value: 4660' -- $BT prog run id $id data_in $T/pkt repeat 1

check "map show: the three .maps maps and global data" \
	rh maps 'array  name counts' 'hash  name seen' 'array  name config' 'btf_id [0-9]+' \
	'name multi\.rodata  flags 0x80' 'name multi\.(data|bss)' -- $BT map show
check "-j map show: key and value sizes" \
	rh jmaps '"bytes_key":4' '"bytes_value":8' -- $BT -j map show name counts
# The maps carry their BTF: bpftool formats keys and values by type.
check "map dump name counts: one packet of 64 bytes, formatted by its BTF" \
	rh dump '"value": 1$' '"value": 64$' -- $BT map dump name counts
check "-j map dump: raw bytes and the formatted value" \
	rh jdump '"key":\["0x40",' '"formatted":\{"key":64,"value":1\}' -- $BT -j map dump name seen
check "map update name config" run upd $BT map update name config key 0 0 0 0 value 5 0 0 0
check "map lookup name config" \
	rh look '"value": 5' -- $BT map lookup name config key 0 0 0 0
check "prog run sees the update" \
	rh run2 'Return value: 5' -- $BT prog run id $id data_in $T/pkt
check "map delete name seen key 64" run del $BT map delete name seen key 64 0 0 0
check_not "and the key is gone" $BT map lookup name seen key 64 0 0 0
check "map create PATH type hash" \
	run mk $BT map create $M type hash key 4 value 8 entries 8 name t54map
check "map show pinned PATH" rh mshow 'hash  name t54map  flags 0x0' -- $BT map show pinned $M
check "btf show: the object's BTF, used by the program" \
	rh btf "prog_ids .*$id" -- $BT btf show
check "-j btf show" rh jbtf '"id":[0-9]+' -- $BT -j btf show

bpfdev-run /bpfdev/coreutils-unlink $P
bpfdev-run /bpfdev/coreutils-unlink $M
check_not "dmesg clean" dmesg_bad_since $mark
finish
