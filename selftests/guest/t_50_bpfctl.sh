# SPDX-License-Identifier: GPL-2.0
#
# bpfctl against the module, plain and JSON: version and help, map
# create/update/lookup/dump/getnext/delete/pin/unpin with bpftool's byte
# syntax and output shapes, prefix matching, errors; a program written
# in assembler, loaded, run and dumped back to the same text; the
# syn_filter example loaded from its ELF object, shown, dumped (xlated,
# opcodes, jited) and run on crafted packets.

. "$BPFDEV_TEST_DIR/lib.sh"

plan 56

T=/tmp/t50
mkdir -p $T
mark=$(dmesg_mark)
B=bpfctl

# hex2bin HEX > FILE: bytes from a hex string (busybox printf has octal escapes).
hex2bin() {
	_h=$1
	while [ -n "$_h" ]; do
		_b=${_h%"${_h#??}"}
		_h=${_h#??}
		printf "\\$(printf %o 0x$_b)"
	done
}

ETH=0200000000020200000000010800
IP=4500002800000000400600000a0000010a000002
hex2bin $ETH${IP}3039005000000000000000005002000000000000 >$T/syn.bin
hex2bin $ETH${IP}3039005000000000000000005012000000000000 >$T/synack.bin

# out CMD...: stdout to $T/out, stderr to $T/err; the exit status.
out() {
	"$@" >$T/out 2>$T/err
}
has() {
	grep -q -- "$1" $T/out
}
is() {
	[ "$(cat $T/out)" = "$1" ] || { diag "got: $(cat $T/out)"; diag "want: $1"; return 1; }
}
err_has() {
	grep -q -- "$1" $T/err
}
lines() {
	[ "$(wc -l <$T/out)" "$1" "$2" ]
}
count_is() {
	[ "$(grep -c -- "$1" $T/out)" -eq "$2" ]
}
last_is() {
	[ "$(tail -n 1 $T/out)" = "$1" ]
}

check "syn.bin is 54 bytes" [ "$(wc -c <$T/syn.bin)" -eq 54 ]

# ---- version, help -----------------------------------------------------
out $B version
check "version: the module's release and ABI" has "^module .*, ABI 1\."
out $B -j version
check "version -j: a JSON object with abi_major" has '"abi_major":1'
out $B prog help
check "prog help: usage on stderr, nothing on stdout" \
	eval '[ ! -s $T/out ] && err_has "Usage: bpfctl prog"'
check_not "an unknown object fails" $B frobnicate

# ---- maps ---------------------------------------------------------------
out $B map create t50/h type hash key 4 value 8 entries 16 name t50h
check "map create: a pinned hash" [ $? -eq 0 ]
check "map update: key bytes, value hex" \
	$B map update pinned t50/h key 1 0 0 0 value hex 2a 00 00 00 00 00 00 00
out $B map lookup pinned t50/h key 0x01 0 0 0
check "map lookup: plain" is "key: 01 00 00 00  value: 2a 00 00 00 00 00 00 00"
out $B -j map lookup pinned t50/h key 1 0 0 0
check "map lookup -j: bpftool's shape" \
	is '{"key":["0x01","0x00","0x00","0x00"],"value":["0x2a","0x00","0x00","0x00","0x00","0x00","0x00","0x00"]}'
out $B m s name t50h
check "map show, by prefixes (m s): line 1" has "^[0-9]*: hash  name t50h  flags 0x0$"
check "map show: line 2" has "key 4B  value 8B  max_entries 16"
out $B -j map show name t50h
check "map show -j" has '"type":"hash","name":"t50h","flags":0,"bytes_key":4,"bytes_value":8,"max_entries":16}'
$B map update pinned t50/h key 2 0 0 0 value 7 0 0 0 0 0 0 0
out $B map dump pinned t50/h
check "map dump: two entries and the count" \
	eval 'count_is "^key: 0[12] 00 00 00  value: " 2 && last_is "Found 2 elements"'
out $B -j map dump pinned t50/h
check "map dump -j: an array of key/value objects" \
	eval 'has "^\[{\"key\":\[\"0x0[12]\"" && [ $(grep -o "\"value\"" $T/out | wc -l) -eq 2 ]'
out $B -p map lookup pinned t50/h key 1 0 0 0
check "-p: pretty, four-space indents" eval 'lines -gt 3 && has "^    \"key\": \["'
out $B map getnext pinned t50/h
check "map getnext without a key: the first" eval 'has "^key: None" && has "^next key:"'
out $B -j map getnext pinned t50/h
check "map getnext -j" has '^{"key":null,"next_key":\["0x0[12]","0x00","0x00","0x00"\]}$'
out $B map update pinned t50/h key 1 0 0 0 value 1 0 0 0 0 0 0 0 noexist
check "map update noexist on an existing key fails, says why" \
	eval "[ $? -ne 0 ] && err_has 'Error: update failed: File exists'"
out $B -j map lookup pinned t50/h key 1 0
check "a short key: JSON error on stdout" has '{"error":"key expected 4 bytes got 2"}'
out $B map lookup pinned t50/h key 9 0 0 0
check "map lookup of a missing key: Not found" has "^Not found"
check "map delete" $B map delete pinned t50/h key 1 0 0 0
out $B map dump pinned t50/h
check "map dump after delete" has "^Found 1 element$"
check "map pin under a second name" $B map pin pinned t50/h t50/h2
out $B map show pinned t50/h2
check "the second name shows the same map" has "name t50h"
check "map unpin both" eval '$B map unpin t50/h && $B map unpin t50/h2'
out $B map show pinned t50/h
check "a removed pin is an error" err_has "Error: bpf obj get (t50/h)"

out $B map create t50/pc type percpu_array key 4 value 4 entries 2 name t50pc
$B map update pinned t50/pc key 1 0 0 0 value 5 0 0 0
out $B map lookup pinned t50/pc key 1 0 0 0
ncpu=$(grep -c '^processor' /proc/cpuinfo)
check "percpu_array: the value on every CPU (at least $ncpu)" \
	eval '[ $(grep -c "^value (CPU [0-9]*): 05 00 00 00$" $T/out) -ge $ncpu ] &&
	      [ $(grep -c "^value (CPU" $T/out) -eq $(grep -c ": 05 00 00 00$" $T/out) ]'
$B map unpin t50/pc

# ---- a program in assembler ----------------------------------------------
cat >$T/syn64.s <<'ASM'
# Keep 64 bytes of IPv4 TCP SYNs without ACK; drop the rest.
	r6 = r1
	r0 = *(u16 *)skb[12]
	if r0 != 0x800 goto drop
	r0 = *(u8 *)skb[23]
	if r0 != 0x6 goto drop
	r0 = *(u8 *)skb[47]
	r0 &= 18		; SYN | ACK
	if r0 != 0x2 goto drop
	r0 = 64
	exit
drop:	r0 = 0
	exit
ASM
out $B asm $T/syn64.s
check "asm: 12 instructions as hex" eval 'lines -eq 12 && [ "$(head -n 1 $T/out)" = "bf 16 00 00 00 00 00 00" ]'
check "asm ... pin: loaded as a socket filter" $B asm $T/syn64.s pin t50/asm
out $B prog run pinned t50/asm data_in $T/syn.bin
check "prog run: the SYN keeps 64" has "^Return value: 64, duration: [0-9]*ns$"
out $B prog run pinned t50/asm data_in $T/synack.bin repeat 10
check "prog run: the SYN-ACK 0, averaged" has "^Return value: 0, duration (average): "
out $B prog dump xlated pinned t50/asm
cp $T/out $T/xlated.txt
check "dump xlated: the kernel's text" has "(55) if r0 != 0x800 goto pc+7$"
$B asm $T/xlated.txt out $T/x.bin && $B disasm $T/x.bin >$T/x.txt
check "dump xlated | asm | disasm gives the same text" cmp -s $T/xlated.txt $T/x.txt
out $B prog show pinned t50/asm
check "prog show: bpftool's first line" has "^[0-9]*: socket_filter  name asm  tag [0-9a-f]\{16\}  gpl$"
check "prog show: sizes" has "xlated 96B"
out $B -j prog show pinned t50/asm
check "prog show -j" has '"type":"socket_filter","name":"asm","tag":"[0-9a-f]*","gpl_compatible":true'

# ---- the syn_filter example from its object --------------------------------
out $B prog load /bpfdev/syn_filter.bpf.o t50/syn
check "prog load syn_filter.bpf.o" [ $? -eq 0 ]
[ -s $T/err ] && diag "$(cat $T/err)"
out $B prog show name syn_filter
check "prog show by name: uses maps" has "map_ids [0-9]"
out $B prog dump xlated name syn_filter
check "dump xlated: the BPF-to-BPF call" has "(85) call pc+"
check "dump xlated: the .bss reference as map[id:N][0]+0" has "(18) r2 = map\[id:[0-9]*\]\[0\]+0$"
out $B prog dump xlated name syn_filter opcodes
check "dump xlated opcodes: the bytes under each line" has "^       bf 16 00 00 00 00 00 00$"
out $B prog dump jited pinned t50/syn
check "dump jited: x86-64 code disassembled by objdump" \
	eval 'lines -gt 5 && has "^ *0:	" && has "	push  *%rbp$"'
out $B -j prog dump jited pinned t50/syn
check "dump jited -j: pc and operation" has '^\[{"pc":0,"operation":"'
out $B prog run pinned t50/syn data_in $T/syn.bin
check "syn_filter run: a SYN kept whole (54)" has "^Return value: 54,"
out $B -j prog run pinned t50/syn data_in $T/synack.bin
check "syn_filter run -j: a SYN-ACK dropped" has '^{"retval":0,"duration":[0-9]*}$'
out $B map dump name syn_filt.bss
check "the .bss counter counted one SYN" has "^key: 00 00 00 00  value: 01 00 00 00 00 00 00 00$"
out $B prog load /bpfdev/syn_filter.bpf.o t50/syn
check "prog load onto a taken pin fails" err_has "failed to pin program"
out $B prog loadall /bpfdev/syn_filter.bpf.o t50/all pinmaps t50/maps
check "prog loadall ... pinmaps: each program and map pinned by name" \
	eval '$B prog show pinned t50/all/syn_filter >/dev/null && $B map show pinned t50/maps/syn_filt.bss >/dev/null'
$B map unpin t50/maps/syn_filt.bss
$B prog unpin t50/all/syn_filter
# sched_cls is a type bpfdev runs now (action programs); xdp is not
out $B prog load /bpfdev/syn_filter.bpf.o t50/x type xdp
check "prog load ... type: the type reaches the verifier" \
	eval 'err_has "unsupported program type 6" && err_has "failed to load object file"'
out $B prog load /nonexistent.o t50/x
check "prog load of a missing file fails" err_has "failed to open object file"
out $B p s
check "p s: both programs listed" eval 'has "name asm" && has "name syn_filter"'
out $B -j prog list
check "prog list -j: an array" has '^\[{"id":'

# ---- disasm of hex ------------------------------------------------------
echo "b700000007000000 9500000000000000" >$T/seven.hex
out $B disasm $T/seven.hex
check "disasm of a hex file" is "   0: (b7) r0 = 7
   1: (95) exit"

$B prog unpin t50/asm
check "prog unpin" $B prog unpin t50/syn
out $B prog show
check_not "no program left by this test" eval 'has "name asm" || has "name syn_filter"'
check_not "dmesg clean" dmesg_bad_since $mark
finish
