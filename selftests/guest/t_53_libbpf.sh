# SPDX-License-Identifier: GPL-2.0
#
# A program linked against Debian's libbpf, unchanged, on bpfdev through
# libbpfdev-shim.so (bpfdev-run): it opens an object with three .maps
# maps, global data and subprograms, loads it, runs it with
# bpf_prog_test_run_opts, reads and writes its maps and checks a CO-RE
# relocation against this kernel's BTF (libbpf_user's own cases, 1-18).
# Then what shows the calls reached bpfdev and not the kernel's bpf():
# the pin is in bpfdev's registry (bpfctl finds it), not a file on the
# bpffs mount, and unlink() through the shim (coreutils' unlink: busybox
# is static) removes it.  Last, bpfctl loads the same object through
# libbpfdev, whose loader is libbpf.

. "$BPFDEV_TEST_DIR/lib.sh"

# multi.bpf.o has a CO-RE relocation: libbpf needs the kernel's BTF, as
# for the kernel's own bpf() (the debug kernel is built without it).
[ -r /sys/kernel/btf/vmlinux ] || { echo "1..0 # SKIP no /sys/kernel/btf/vmlinux"; exit 0; }

T=/tmp/t53
mkdir -p $T
PIN=/sys/fs/bpf/t53_count
mark=$(dmesg_mark)

bpfdev-run libbpf_user /bpfdev/multi.bpf.o $PIN >$T/user.out 2>$T/user.err
rc=$?
sed -n 's/^\(not \)\{0,1\}ok /&/p' $T/user.out >$T/user.tap
n=$(wc -l <$T/user.tap)
plan $((n + 14))
cat $T/user.tap
_tap_n=$n
grep -q '^not ok' $T/user.tap && _tap_failed=1
[ "$n" -eq 18 ] || { diag "libbpf_user ran $n of 18 cases (exit $rc)"; sed 's/^/# /' $T/user.err; }
result "libbpf_user exits 0 and ran its 18 cases" $(( rc != 0 || n != 18 ))

check "the pin is in bpfdev's registry" sh -c "bpfctl prog show pinned $PIN | grep -q 'socket_filter'"
check "and no file on the kernel's bpffs" test ! -e $PIN
check "bpftool through the shim opens it" sh -c "bpfdev-run bpftool prog show pinned $PIN | grep -q count"
# BTF_LOAD, func_info and line_info reached the module: bpftool shows
# the program's BTF id, its functions by name and the C source lines.
check "the program has a BTF id" sh -c "bpfdev-run bpftool -j prog show pinned $PIN | grep -q '\"btf_id\":[1-9]'"
check "bpftool btf show lists it" sh -c "bpfdev-run bpftool btf show | grep -q '^[0-9]*: name <anon>'"
check "xlated dump has source lines" sh -c "bpfdev-run bpftool prog dump xlated pinned $PIN | grep -q '__sync_fetch_and_add'"
check "unlink() through the shim unpins" bpfdev-run /bpfdev/coreutils-unlink $PIN
check_not "the pin is gone" sh -c "bpfctl prog show pinned $PIN >/dev/null 2>&1"
# The same object through bpfdev's own loader (libbpfdev over libbpf):
# several .maps maps as Debian's clang 14 emits them load.
check "bpfctl prog loadall with pinmaps" bpfctl prog loadall /bpfdev/multi.bpf.o t53all pinmaps t53maps
check "its program is pinned" sh -c "bpfctl prog show pinned t53all/count | grep -q 'socket_filter  name count'"
check "its three .maps maps are pinned" sh -c "bpfctl map show pinned t53maps/counts | grep -q 'array  name counts' &&
	bpfctl map show pinned t53maps/seen | grep -q 'hash  name seen' &&
	bpfctl map show pinned t53maps/config | grep -q 'array  name config'"
check "and unpinned" sh -c "bpfctl prog unpin t53all/count && bpfctl prog unpin t53all/core_pid_off && for m in counts seen config multi.rodata multi.data multi.bss; do
	bpfctl map unpin t53maps/\$m || exit 1; done"
check_not "dmesg clean" dmesg_bad_since $mark
finish
