#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb` as a TAP suite, for `make test DEB=1` (and CI): builds
# bpfdev-dkms and bpfdev-tools from a clean copy of the tracked tree into
# build/deb (lintian errors fail the build), then checks that both
# packages are there and what each holds.  Its output is in
# build/test-logs/deb_build.sh.err.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
debs=$top/build/deb
ver=$(sed -n 's/^#define BPFDEV_VERSION "\(.*\)"/\1/p' "$top/kmod/version.h")

n=0 failed=0
case_() {	# case_ OK-IF-EMPTY NAME
	n=$((n + 1))
	if [ -z "$1" ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		echo "# $1"
		failed=$((failed + 1))
	fi
}

t0=$(date +%s)
make -C "$top" --no-print-directory deb >&2
rc=$?
case_ "$([ $rc -eq 0 ] || echo "make deb: exit $rc (see build/test-logs/deb_build.sh.err)")" \
	"make deb: dpkg-buildpackage and lintian without errors ($(( $(date +%s) - t0 ))s)"
dkms_deb=$(ls "$debs"/bpfdev-dkms_"$ver"*_all.deb 2>/dev/null | tail -n 1)
tools_deb=$(ls "$debs"/bpfdev-tools_"$ver"*_*.deb 2>/dev/null | tail -n 1)
case_ "$([ -n "$dkms_deb" ] && dpkg-deb -c "$dkms_deb" | grep -q "usr/src/bpfdev-$ver/dkms.conf$" ||
	echo "no bpfdev-dkms $ver with dkms.conf")" "bpfdev-dkms $ver: the module source and dkms.conf"
case_ "$([ -n "$tools_deb" ] && [ "$(dpkg-deb -c "$tools_deb" |
	grep -cE 'usr/s?bin/bpf(cap|ctl|vm)$')" = 3 ] || echo "no bpfdev-tools $ver with the three tools")" \
	"bpfdev-tools $ver: bpfcap, bpfctl and bpfvm"
# The Python module (every source file and helper header the tree tracks)
# and every bcc-style tool, named as make install names them, each with a
# manual page (bpfdev-bcc.8).
want=$(cd "$top" && git ls-files 'tools/python/bpfdev/*.py' 'tools/python/bpfdev/*.h' |
	sed 's|^tools/python/|usr/lib/python3/dist-packages/|'
	for t in tools/bcc/*; do
		echo "usr/sbin/${t##*/}-bpfdev"
		echo "usr/share/man/man8/${t##*/}-bpfdev.8.gz"
	done)
have=$([ -n "$tools_deb" ] && dpkg-deb -c "$tools_deb" | awk '{ print $6 }' | sed 's|^\./||')
missing=$(comm -23 <(echo "$want" | LC_ALL=C sort) <(echo "$have" | LC_ALL=C sort))
case_ "$([ -z "$missing" ] || echo "missing:" $missing)" \
	"bpfdev-tools $ver: the bpfdev Python module and $(ls "$top/tools/bcc" | wc -l) tools as NAME-bpfdev, with their page"

echo "1..$n"
[ "$failed" -eq 0 ]
