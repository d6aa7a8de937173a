# SPDX-License-Identifier: GPL-2.0
#
# bcc's own execsnoop, opensnoop and biolatency (Debian's bcc 0.26,
# /usr/sbin/*-bpfcc on the host) on this guest's bpfdev with only their
# imports changed (bcc -> bpfdev), made here with sed from the host's
# scripts: they need the kernel's types from BTF, bcc's probe reads
# through kernel pointers and its syscall__ arguments (tools/python/bpfdev:
# kernel_btf.py, deref.py, rewriter.py).  Each runs against a workload
# whose counts are exact, and where Debian's own script runs on the
# kernel's BPF it sees the same workload at the same time.
#
# Opt-in with t_70 (BPFDEV_PYTHON_TOOLS=1; make test-python fills the
# compile cache on the host for each kernel, from its BTF).

. "$BPFDEV_TEST_DIR/lib.sh"
. "$BPFDEV_TEST_DIR/lib_python.sh"

if [ -z "${BPFDEV_PYTHON_TOOLS:-}" ]; then
	echo "1..0 # SKIP opt-in (BPFDEV_PYTHON_TOOLS=1; make test-python)"
	exit 0
fi

T=/tmp/t71
TOP=${BPFDEV_HOST_TOP:-}
mkdir -p $T/bin

if [ -z "$TOP" ] || ! host-run --check; then
	echo "1..0 # SKIP no host share (host-run)"
	exit 0
fi
if ! host-run sh -c 'command -v python3 && command -v clang &&
	test -f /usr/sbin/execsnoop-bpfcc -a -f /usr/sbin/opensnoop-bpfcc -a -f /usr/sbin/biolatency-bpfcc' \
	>/dev/null 2>&1; then
	echo "1..0 # SKIP the host has no python3, clang or bcc's scripts (bpfcc-tools)"
	exit 0
fi
features=$(bpfctl -j version | sed -n 's/.*"features":\([0-9]*\).*/\1/p')
if [ $(( (${features:-0} & 4) != 0 )) -eq 0 ]; then
	echo "1..0 # SKIP the module has no tracing (BPFDEV_FEAT_TRACE)"
	exit 0
fi
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "1..0 # SKIP this kernel has no BTF (bcc's scripts need the kernel's types)"
	exit 0
fi

SHIM=$TOP/tools/shim/libbpfdev-shim.so
CACHE=$TOP/build/bcc-cache/$(uname -r)/cache
host-run test -d "$CACHE" || CACHE=$T/cache
diag "compile cache: $CACHE; BTF sha256 $(host-run sha256sum /sys/kernel/btf/vmlinux | cut -c1-32)"
PYENV="env PYTHONUNBUFFERED=1 PYTHONPATH=$TOP/tools/python BPFDEV_CACHE_DIR=$CACHE LD_PRELOAD=$SHIM"
# Debian's scripts on the kernel's BPF: they compile against the kernel's
# headers, minutes under TCG, so they start first and run beside ours.
BCCENV="env PYTHONUNBUFFERED=1"
BCC=0
host-run test -d /lib/modules/$(uname -r)/build && BCC=1

# No transparent huge pages while it runs: with Debian's clangs and eight
# python3 in the guest, 6.12's khugepaged stalled 26 s collapsing pages
# under TCG (a soft lockup, which panics the test guest).
THP=/sys/kernel/mm/transparent_hugepage
THP_WAS=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $THP/enabled 2>/dev/null)
[ -n "$THP_WAS" ] && echo never >$THP/enabled

plan 14

# ---- the scripts: Debian's, with bcc's imports made bpfdev's ---------------------------

make_scripts() {
	for s in execsnoop opensnoop biolatency; do
		host-run sed -f $TOP/selftests/python/bcc-imports.sed /usr/sbin/$s-bpfcc \
			>$T/$s || return 1
		# Only import lines differ, and only in bcc -> bpfdev.
		host-run diff /usr/sbin/$s-bpfcc $T/$s >$T/$s.diff
		grep '^[<>]' $T/$s.diff | grep -v -E '^[<>] (from|import) (bcc|bpfdev)[. ]' && return 1
		[ "$(grep -c '^<' $T/$s.diff)" -ge 1 ] || return 1
		sed 's/bpfdev/bcc/g' $T/$s | host-run cmp -s - /usr/sbin/$s-bpfcc || return 1
		diag "$s: $(grep -c '^>' $T/$s.diff) import lines changed"
	done
}
check "execsnoop, opensnoop, biolatency made from /usr/sbin/*-bpfcc: only imports changed" \
	make_scripts

# The workloads' actors: a busybox named "true" (exec'd 5 times) and one
# named busybox71 whose shell opens $T/f71 4 times itself (a redirection
# on a builtin), once $T/go71 exists (opensnoop -p needs its pid first),
# then f71 once by a relative name from $T (opensnoop -F: the full path).
cp /bin/busybox $T/bin/true
cp /bin/busybox $T/bin/busybox71
echo data >$T/f71
rm -f $T/go71
$T/bin/busybox71 sh -c "while [ ! -e $T/go71 ]; do sleep 0.1; done
	i=0; while [ \$i -lt 4 ]; do : <$T/f71; i=\$((i + 1)); done
	cd $T && : <f71; sleep 1" &
OPENER=$!
modprobe loop 2>/dev/null
dd if=/dev/zero of=$T/disk.img bs=1M count=4 2>/dev/null
LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" $T/disk.img || LOOP=

if [ $BCC -eq 1 ]; then
	pybg bex "host-run $BCCENV" /usr/sbin/execsnoop-bpfcc
	pybg bop "host-run $BCCENV" /usr/sbin/opensnoop-bpfcc -n busybox71
fi
pybg ex "host-run $PYENV" $T/execsnoop
pybg op "host-run $PYENV" $T/opensnoop
pybg opp "host-run $PYENV" $T/opensnoop -p $OPENER
pybg opn "host-run $PYENV" $T/opensnoop -n busybox71
pybg opf "host-run $PYENV" $T/opensnoop -F -n busybox71
pybg bl "host-run $PYENV" $T/biolatency -D
pybg ble "host-run $PYENV" $T/biolatency -F -e

for n in ex op opp opn opf; do
	ready $n "PID" || eval "pid_$n="
done
BLOK=1
ready bl "Tracing block" && ready ble "Tracing block" || BLOK=0
BCCOK=$BCC
if [ $BCC -eq 1 ]; then
	ready bex "PCOMM" 3000 && ready bop "PATH" 3000 || BCCOK=0
	# The third of Debian's compiles once the two are done: three clangs
	# on the kernel headers at once starve a 1 GiB guest under TCG.
	pybg bbl "host-run $BCCENV" /usr/sbin/biolatency-bpfcc -D
	BBLOK=1
	ready bbl "Tracing block" 3000 || BBLOK=0
fi
diag "ready at $(cut -d' ' -f1 /proc/uptime)s (uptime)"

# ---- the workload, seen by all at once --------------------------------------------------

for i in 1 2 3 4 5; do
	$T/bin/true a "b c" $i
done
touch $T/go71
wait $OPENER
[ -z "$LOOP" ] || host-run dd if=/dev/zero of="$LOOP" bs=4096 count=50 oflag=direct 2>/dev/null
sleep 2
if [ $BCCOK -eq 1 ]; then
	seen bex "^true .* $T/bin/true a b c [1-5]\$" 5
	seen bop " busybox71 .* $T/f71\$" 4
fi
for n in ex op opp opn opf bl ble; do
	eval "_p=\$pid_$n"
	[ -n "$_p" ] && stop $n again
	eval "rc_$n=$rc"
done
if [ $BCC -eq 1 ]; then
	for n in bex bop bbl; do stop $n again; done
fi
[ -z "$LOOP" ] || losetup -d "$LOOP"

# ---- execsnoop --------------------------------------------------------------------------

check "execsnoop: exits 0 on Ctrl-C" [ "$rc_ex" -eq 0 ]
printf '%s\n' "$T/bin/true a b c 1" "$T/bin/true a b c 2" "$T/bin/true a b c 3" \
	"$T/bin/true a b c 4" "$T/bin/true a b c 5" >$T/ex.want
# PCOMM PID PPID RET ARGS: the parent (task->real_parent->tgid) is this shell.
awk -v pp=$$ -v f=$T/bin/true '$1 == "true" && $3 == pp && $4 == 0 && $5 == f' $T/ex.out |
	sed 's/^true *[0-9]* *[0-9]* *0 //' >$T/ex.got
check "execsnoop: the 5 execs, parent and arguments exact" cmp -s $T/ex.want $T/ex.got ||
	{ sed 's/^/#   /' $T/ex.out | tail; tail -5 $T/ex.err | sed 's/^/#   /'; }
if [ $BCCOK -eq 1 ]; then
	awk -v pp=$$ -v f=$T/bin/true '$1 == "true" && $3 == pp && $4 == 0 && $5 == f' $T/bex.out |
		sed 's/^true *[0-9]* *[0-9]* *0 //' >$T/bex.got
	check "execsnoop-bpfcc on the kernel's BPF saw the same lines" cmp -s $T/bex.got $T/ex.got ||
		sed 's/^/#   /' $T/bex.out | tail
else
	skip "execsnoop-bpfcc on the kernel's BPF saw the same lines" \
		"Debian's bcc did not start (no kernel headers, or not in 10 minutes)"
fi

# ---- opensnoop --------------------------------------------------------------------------

# PID COMM FD ERR PATH: the opener's 4 opens of $T/f71, each a good fd.
opens() {
	awk -v p=$OPENER -v f=$T/f71 '$1 == p && $2 == "busybox71" && $3 >= 0 && $4 == 0 &&
		$5 == f' $T/$1.out | wc -l
}
n=$(opens op)
check "opensnoop: the opener's 4 opens of f71 ($n)" [ "$n" -eq 4 ] ||
	{ sed 's/^/#   /' $T/op.out | tail -5; tail -5 $T/op.err | sed 's/^/#   /'; }
n=$(opens opp)
check "opensnoop -p: the 4 opens, and no other pid's ($n)" sh -c "[ $n -eq 4 ] &&
	! awk 'NR > 1 && \$1 != $OPENER' $T/opp.out | grep -q ." || sed 's/^/#   /' $T/opp.out | tail
n=$(opens opn)
check "opensnoop -n busybox71: the 4 opens, and no other name's ($n)" sh -c "[ $n -eq 4 ] &&
	! awk 'NR > 1 && \$2 != \"busybox71\"' $T/opn.out | grep -q ." || sed 's/^/#   /' $T/opn.out | tail
# -F: the relative open's path from the cwd's dentries (bcc walks
# task->fs->pwd.dentry up its d_parents; a mount's root ends the walk, so
# the path may start at /tmp's mount), and the absolute ones as they are.
n=$(awk -v p=$OPENER '$1 == p && $2 == "busybox71" && $5 ~ /\/t71\/f71$/' $T/opf.out | wc -l)
check "opensnoop -F: the 5 opens by full path, the relative one too ($n)" [ "$n" -eq 5 ] ||
	{ sed 's/^/#   /' $T/opf.out | tail; tail -5 $T/opf.err | sed 's/^/#   /'; }
if [ $BCCOK -eq 1 ]; then
	n=$(opens bop)
	check "opensnoop-bpfcc -n on the kernel's BPF saw the same 4 ($n)" [ "$n" -eq 4 ]
else
	skip "opensnoop-bpfcc -n on the kernel's BPF saw the same 4" "Debian's bcc did not start"
fi

# ---- biolatency -------------------------------------------------------------------------

# hist_sum FILE [DISK]: the counts of a histogram (of DISK's, with -D).
hist_sum() {
	awk -v d="$2" '/^disk = / { in_ = $3 == d; next }
		/^flags = / { in_ = 1; next }
		(d == "" || in_) && /\|/ { split($0, a, ":"); split(a[2], b, "|"); s += b[1] }
		END { print s + 0 }' "$1"
}
# bcc 0.26's biolatency ends each I/O at a kprobe on blk_account_io_done
# (or __blk_account_io_done), with no tracepoint mode.  6.1 and 6.12 have
# it out of line but not in available_filter_functions (notrace): the
# kernel's kprobe events refuse it with EINVAL (Debian's script fails to
# attach: "not traceable"), and bpfdev's kprobes refuse it as the kernel
# does, saying so in dmesg.  A kernel without the symbol (inlined
# everywhere) fails both alike; one where it is traceable runs both.
bccwhy() {
	grep -m1 '^Exception' $T/bbl.err 2>/dev/null | cut -c1-160
}
# Ours failed where the kernel fails: on the notrace function, EINVAL and
# bpfdev's dmesg line, or on a function the kernel does not have.
bl_refused() {
	tail -n 1 $T/bl.err | grep -q 'blk_account_io_done' || return 1
	if grep -q -E ' _?_?blk_account_io_done$' /proc/kallsyms; then
		! grep -q -E '^_?_?blk_account_io_done( |$)' \
			/sys/kernel/tracing/available_filter_functions &&
			tail -n 1 $T/bl.err | grep -q 'Invalid argument' &&
			dmesg | grep -q 'bpfdev: Could not probe notrace function _*blk_account_io_done'
	fi
}
if [ -z "$LOOP" ]; then
	skip "biolatency -D: the 50 direct writes to the loop device" "no loop device"
	skip "biolatency -F -e: 50 writes, counted" "no loop device"
	skip "biolatency-bpfcc -D saw the same 50" "no loop device"
elif [ $BLOK -eq 0 ]; then
	diag "ours: $(tail -n 1 $T/bl.err)"
	[ $BCC -eq 1 ] && diag "Debian's: $(bccwhy)"
	NOPROBE="bcc 0.26's biolatency needs a kprobe on blk_account_io_done, notrace or absent in $(uname -r)"
	check "biolatency -D: refused as the kernel refuses it ($NOPROBE)" bl_refused ||
		{ tail -5 $T/bl.err | sed 's/^/#   /'; dmesg | tail -5 | sed 's/^/#   /'; }
	skip "biolatency -F -e: 50 writes, counted" "$NOPROBE"
	if [ $BCC -eq 1 ] && [ $BBLOK -eq 1 ]; then
		check "biolatency-bpfcc -D: the kernel takes what bpfdev refused" false
	elif [ $BCC -eq 1 ] && [ -n "$(bccwhy)" ]; then
		check "biolatency-bpfcc -D on the kernel's BPF fails alike: $(bccwhy)" \
			eval "bccwhy | grep -q 'blk_account_io_done'"
	else
		skip "biolatency-bpfcc -D fails alike" "Debian's bcc did not start"
	fi
else
	n=$(hist_sum $T/bl.out ${LOOP##*/})
	check "biolatency -D: the 50 direct writes to ${LOOP##*/} in its histogram ($n)" \
		[ "$n" -eq 50 ] || { sed 's/^/#   /' $T/bl.out | tail -20; tail -5 $T/bl.err | sed 's/^/#   /'; }
	n=$(hist_sum $T/ble.out)
	check "biolatency -F -e: 50 writes in the flags' histograms, count: 50 ($n)" \
		sh -c "[ $n -eq 50 ] && grep -q 'count: 50\$' $T/ble.out && grep -q '^flags = .*Write' $T/ble.out" ||
		{ sed 's/^/#   /' $T/ble.out | tail -30; tail -5 $T/ble.err | sed 's/^/#   /'; }
	if [ $BCC -eq 1 ] && [ $BBLOK -eq 1 ]; then
		n=$(hist_sum $T/bbl.out ${LOOP##*/})
		check "biolatency-bpfcc -D on the kernel's BPF saw the same 50 ($n)" [ "$n" -eq 50 ]
	elif [ $BCC -eq 1 ] && bccwhy | grep -q 'blk_account_io_done'; then
		check "biolatency-bpfcc -D: the kernel refuses what bpfdev took: $(bccwhy)" false
	else
		skip "biolatency-bpfcc -D saw the same 50" "Debian's bcc did not start"
	fi
fi

# What the kernel's CONFIG_KPROBE_EVENTS_ON_NOTRACE allows, bpfdev's
# kprobe_on_notrace=1 allows: root opts in, and the same script runs on
# the notrace function and counts (-F -e: a second compile, spared).
KNOB=/sys/module/bpfdev/parameters/kprobe_on_notrace
if [ -z "$LOOP" ] || [ $BLOK -eq 1 ] || ! bl_refused; then
	skip "biolatency -D with kprobe_on_notrace=1: the 50 writes" \
		"biolatency is not refused for notrace here"
else
	echo 1 >$KNOB
	LOOP=$(losetup -f 2>/dev/null) && losetup "$LOOP" $T/disk.img || LOOP=
	pybg bln "host-run $PYENV" $T/biolatency -D
	if ready bln "Tracing block" && [ -n "$LOOP" ]; then
		host-run dd if=/dev/zero of="$LOOP" bs=4096 count=50 oflag=direct 2>/dev/null
		sleep 2
	fi
	stop bln again
	echo 0 >$KNOB
	n=$(hist_sum $T/bln.out ${LOOP##*/})
	[ -z "$LOOP" ] || losetup -d "$LOOP"
	check "biolatency -D with kprobe_on_notrace=1: the 50 writes to ${LOOP##*/} ($n)" \
		[ "$n" -eq 50 ] || { sed 's/^/#   /' $T/bln.out | tail -20; tail -5 $T/bln.err | sed 's/^/#   /'; }
fi
check "nothing left in bpfdev" clean

for n in ex op opp opn opf bl ble bln bex bop bbl; do
	eval "_p=\${pid_$n:-}"
	[ -n "$_p" ] && kill -KILL "$_p" 2>/dev/null
done
[ -n "$THP_WAS" ] && echo "$THP_WAS" >$THP/enabled
finish
