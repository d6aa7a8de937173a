# SPDX-License-Identifier: GPL-2.0
#
# The program differential (selftests/fuzz/prog_diff.c), a short fixed-seed
# run: random socket filters loaded and test-run through the guest
# kernel's bpf(2) and through /dev/bpf must get the same verdicts, errnos,
# results and map contents, also with BPF_F_TEST_RND_HI32.  bpfdev's
# verifier is 6.1's: on another kernel the verdicts are printed, not
# counted (prog_diff -l).  Long runs: `prog_diff -n 10000 -s SEED` in the
# guest (BPFDEV_PROG_DIFF_STEPS and _SEED here).

. "$BPFDEV_TEST_DIR/lib.sh"

plan 3

steps=${BPFDEV_PROG_DIFF_STEPS:-300}
seed=${BPFDEV_PROG_DIFF_SEED:-1}
mark=$(dmesg_mark)
case $(uname -r) in
6.1.*) other= ;;
*) other=-l ;;
esac

check "prog_diff: $steps programs agree (seed $seed)" \
	prog_diff $other -n "$steps" -s "$seed"
check "prog_diff -r: $((steps / 3)) programs agree with BPF_F_TEST_RND_HI32 (seed $((seed + 1)))" \
	prog_diff $other -r -n $((steps / 3)) -s $((seed + 1))
check_not "kernel log clean" dmesg_bad_since "$mark"
finish
