# SPDX-License-Identifier: GPL-2.0
#
# The tracing tools on the live kernel: the clang-built examples attached
# by their section names (execsnoop by bpfdev_program_attach(), stackcount
# by `bpfctl prog loadall ... autoattach`), opencount by `bpfctl prog
# attach ... kprobe`, stack ids printed with their symbols by `bpfctl map
# stacks`, bpf_trace_printk() lines through `bpfctl prog tracelog` from a
# kprobe and a uprobe, and sampling and raw tracepoint attaches; counts
# are exact where the workload is.

. "$BPFDEV_TEST_DIR/lib.sh"

B=bpfctl
T=/tmp/t64
features=$($B -j version | sed -n 's/.*"features":\([0-9]*\).*/\1/p')
if [ $((${features:-0} & 4)) -eq 0 ]; then
	echo "1..0 # SKIP the module has no tracing (BPFDEV_FEAT_TRACE)"
	exit 0
fi
# Each attach and detach patches kernel text (kprobes on do_sys_openat2 and
# vfs_read, tracepoint keys) that this shell's own greps and cats run while
# the tools start and stop; a TCG guest whose other vCPU runs a site being
# patched dies (selftests/vm/static-key-toggle; t_60_trace_kprobe pins its
# storm the same way).  The test and all it starts stay on CPU 0.
taskset -p 1 $$ >/dev/null || diag "not pinned to CPU 0"

plan 33

rm -rf $T
mkdir -p $T/bin
mark=$(dmesg_mark)

# bg NAME READY CMD...: CMD in the background, stdout NAME.out, stderr
# NAME.err; waits until READY (a pattern in NAME.err, or a file) appears,
# or CMD has exited (a failed attach must not spend the test's time).
bg() {
	_n=$1
	_ready=$2
	shift 2
	rm -f $T/$_n.out $T/$_n.err
	"$@" >$T/$_n.out 2>$T/$_n.err &
	_p=$!
	eval "pid_$_n=$_p"
	_i=0
	while [ $_i -lt 600 ]; do
		case $_ready in
		/*) [ -f "$_ready" ] && break ;;
		*) grep -q "$_ready" $T/$_n.err 2>/dev/null && break ;;
		esac
		kill -0 $_p 2>/dev/null || break
		sleep 0.1
		_i=$((_i + 1))
	done
}
# stop NAME: SIGINT, then its exit status.
stop() {
	eval "kill -INT \$pid_$1; wait \$pid_$1"
}
# hexkey STRING SIZE: STRING's bytes in hex, zero-padded to SIZE bytes.
hexkey() {
	_h=$(printf '%s' "$1" | od -An -v -tx1)
	_k=$(printf '%s' "$1" | wc -c)
	while [ "$_k" -lt "$2" ]; do
		_h="$_h 00"
		_k=$((_k + 1))
	done
	echo $_h
}

# ---- execsnoop: a tracepoint program attached by its section name ------------
# A copy of busybox named "true": each exec is one event with that path,
# comm "true" and this shell as the parent.
# execsnoop.bpf.o reads the task with CO-RE, which libbpf resolves against
# the kernel's BTF: a kernel built without it (the debug kernel) cannot.
if [ -r /sys/kernel/btf/vmlinux ]; then
	cp /bin/busybox $T/bin/true
	bg ex $T/ex.ready execsnoop -t 60 -R $T/ex.ready /bpfdev/execsnoop.bpf.o
	check "execsnoop: loads and attaches SEC(\"tracepoint/sched/sched_process_exec\")" \
		[ -f $T/ex.ready ]
	for i in 1 2 3 4 5; do
		$T/bin/true
	done
	sleep 1
	stop ex
	check "execsnoop: exits cleanly on SIGINT" [ $? -eq 0 ]
	check "execsnoop: the header line" grep -q '^PID *PPID *COMM *FILENAME$' $T/ex.out
	n=$(awk -v pp=$$ -v f=$T/bin/true '$2 == pp && $3 == "true" && $4 == f' $T/ex.out | wc -l)
	check "execsnoop: 5 execs of $T/bin/true by this shell ($n)" [ "$n" -eq 5 ]
	n=$(awk -v f=$T/bin/true '$4 == f' $T/ex.out | awk '{ print $1 }' | sort -u | wc -l)
	check "execsnoop: 5 different pids" [ "$n" -eq 5 ]
	[ "$n" -eq 5 ] || sed 's/^/# /' $T/ex.out $T/ex.err | tail -n 20
else
	for d in "loads and attaches" "exits cleanly on SIGINT" "the header line" \
		"5 execs of $T/bin/true by this shell" "5 different pids"; do
		skip "execsnoop: $d" "no /sys/kernel/btf/vmlinux (CO-RE)"
	done
fi

# ---- opencount: bpfctl prog attach ... kprobe --------------------------------
echo x >$T/opened64
check "opencount: loadall, maps pinned" \
	$B prog loadall /bpfdev/opencount.bpf.o t64/oc pinmaps t64/ocm
bg oc attached $B prog attach pinned t64/oc/opencount kprobe do_sys_openat2 timeout 60
check "prog attach kprobe: attached" grep -q '^attached kprobe do_sys_openat2 ' $T/oc.err
for i in 1 2 3 4 5 6 7; do
	cat $T/opened64 >/dev/null
done
stop oc
check "prog attach kprobe: exits cleanly on SIGINT" [ $? -eq 0 ]
check "prog attach kprobe: prints the program's run count" \
	grep -q '^[0-9]*: kprobe do_sys_openat2  name opencount  run_cnt [1-9][0-9]*  ' $T/oc.out
# value VALUE FILE: map lookup's value is VALUE (bpftool prints a 64-byte
# key's value on the line after "value:", a short one's on that line).
value() {
	tr '\n' ' ' <"$2" | grep -q "value: $1 *\$"
}
$B map lookup pinned t64/ocm/counts key hex $(hexkey $T/opened64 64) >$T/ocl.out 2>&1
check "opencount: $T/opened64 opened 7 times" value '07 00 00 00 00 00 00 00' $T/ocl.out
value '07 00 00 00 00 00 00 00' $T/ocl.out || sed 's/^/# /' $T/ocl.out $T/oc.out $T/oc.err
# Detached: more opens are not counted.
cat $T/opened64 >/dev/null
$B map lookup pinned t64/ocm/counts key hex $(hexkey $T/opened64 64) >$T/ocl.out 2>&1
check "opencount: detached on exit (still 7)" value '07 00 00 00 00 00 00 00' $T/ocl.out

# ---- stackcount: loadall ... autoattach, map stacks --------------------------
bg sc attached $B prog loadall /bpfdev/stackcount.bpf.o t64/sc pinmaps t64/scm \
	autoattach timeout 60
check "autoattach: SEC(\"kprobe/vfs_read\") attached" \
	grep -q '^attached kprobe/vfs_read (stackcount) ' $T/sc.err
dd if=/dev/zero of=/dev/null bs=1 count=64 2>/dev/null
stop sc
check "autoattach: exits cleanly on SIGINT" [ $? -eq 0 ]
check "autoattach: the program ran" grep -q ' run_cnt [1-9][0-9]* ' $T/sc.out
$B map stacks pinned t64/scm/stacks >$T/st.out 2>&1
check "map stacks: stacks found" grep -q '^Found [1-9][0-9]* stacks*$' $T/st.out
check "map stacks: a read's stack has vfs_read's caller ksys_read" \
	grep -q '^	ksys_read+0x[0-9a-f]*$' $T/st.out
check "map stacks: frames as symbol+0xoff (none left a bare address)" \
	sh -c "! grep -q '^	0x' $T/st.out"
grep -q 'ksys_read' $T/st.out || sed 's/^/# /' $T/st.out | head -n 40
$B -j map stacks pinned t64/scm/stacks >$T/stj.out 2>&1
check "map stacks -j: ids and frames with addresses and symbols" \
	grep -q '^\[{"id":[0-9]*,"frames":\[{"address":"0xffff[0-9a-f]*","symbol":"[^"]*+0x[0-9a-f]*"}' \
	$T/stj.out
$B map dump pinned t64/scm/counts >$T/cnt.out
check "map dump counts: stack ids with their counts" grep -q '^Found [1-9][0-9]* elements*$' $T/cnt.out
grep -q '^Found [1-9]' $T/cnt.out || sed 's/^/# /' $T/cnt.out | tail -n 10

# ---- tracelog: bpf_trace_printk() from a kprobe and a uprobe ----------------
# "kp64\n" and "up64\n" as u64 immediates, printed from the stack.
printk_prog() {	# printk_prog HEX NAME
	printf 'r1 = %s\n*(u64 *)(r10 -8) = r1\nr1 = r10\nr1 += -8\nr2 = 8\ncall bpf_trace_printk#6\nr0 = 0\nexit\n' "$1" |
		$B asm - pin "$2" type kprobe
}
check "asm: a kprobe program printing kp64" printk_prog 0x0a3436706b t64/kp
check "asm: a kprobe program printing up64" printk_prog 0x0a34367075 t64/up
bg tl reading $B prog tracelog
check "prog tracelog: reads the trace pipe" grep -q '^reading /sys/kernel/debug/bpfdev/trace_pipe' $T/tl.err
bg kp attached $B prog attach pinned t64/kp kprobe do_sys_openat2 timeout 60
cat $T/opened64 >/dev/null
stop kp
# bpfctl's do_version() runs once per `bpfctl version`: 3 uprobe hits.
bg up attached $B prog attach pinned t64/up uprobe /bpfdev/bpfctl:do_version timeout 60
check "prog attach uprobe PATH:SYMBOL: attached" \
	grep -q '^attached uprobe /bpfdev/bpfctl:do_version ' $T/up.err
for i in 1 2 3; do
	$B version >/dev/null
done
stop up
check "prog attach uprobe: exits cleanly" [ $? -eq 0 ]
check "prog attach uprobe: 3 runs" grep -q ' run_cnt 3  ' $T/up.out
$B prog show pinned t64/up >$T/ups.out
check "prog show: the run statistics, as bpftool's" \
	grep -q '  gpl run_time_ns [1-9][0-9]* run_cnt 3$' $T/ups.out
sleep 1
stop tl
check "prog tracelog: the kprobe's line" grep -q 'kp64' $T/tl.out
check "prog tracelog: the uprobe's 3 lines" [ "$(grep -c 'up64' $T/tl.out)" -eq 3 ]
grep -q 'up64' $T/tl.out || sed 's/^/# /' $T/tl.out $T/up.err $T/up.out | tail -n 20

# ---- sampling and raw tracepoints -------------------------------------------
printf 'r0 = 0\nexit\n' | $B asm - pin t64/pe type perf_event
$B -j prog attach pinned t64/pe perf freq 99 timeout 2 >$T/pe.out 2>$T/pe.err
check "prog attach perf freq 99: samples for 2 s" \
	grep -q '"attach_type":"perf","target":"freq 99","run_cnt":[1-9]' $T/pe.out
printf 'r0 = 0\nexit\n' | $B asm - pin t64/rt type raw_tracepoint
if [ -r /sys/kernel/btf/vmlinux ]; then
	$B prog attach pinned t64/rt raw_tracepoint sys_enter timeout 1 >$T/rt.out 2>$T/rt.err
	check "prog attach raw_tracepoint sys_enter: runs" \
		grep -q 'raw_tracepoint sys_enter  name asm  run_cnt [1-9]' $T/rt.out
else
	# bpfdev learns a raw tracepoint's arguments from the kernel's BTF
	$B prog attach pinned t64/rt raw_tracepoint sys_enter timeout 1 >$T/rt.out 2>$T/rt.err
	check "prog attach raw_tracepoint without the kernel's BTF: EOPNOTSUPP" \
		grep -q 'Operation not supported' $T/rt.err
fi

# ---- errors ----------------------------------------------------------------------
$B prog attach pinned t64/kp kprobe no_such_function_t64 >/dev/null 2>$T/e1.err
check "an unknown kernel function: exit 255" [ $? -eq 255 ]
check "an unknown kernel function: the error names it" \
	grep -q "^Error: can't attach kprobe no_such_function_t64: " $T/e1.err

for p in oc/opencount ocm/counts sc/stackcount scm/stacks scm/counts kp up pe rt; do
	$B prog unpin t64/$p 2>/dev/null
done
check_not "dmesg clean" dmesg_bad_since $mark
finish
