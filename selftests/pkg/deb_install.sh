#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the packages `make deb` built on this machine and checks what a
# user gets: DKMS builds bpfdev.ko for every kernel whose headers are
# installed (never loading it), the tools run, the manual pages and the
# udev rule are in place; then purges both packages and checks that
# nothing is left.  TAP on stdout.  Needs root; refuses to run where a
# bpfdev package is already installed (it would remove it).
#
# usage: selftests/pkg/deb_install.sh [DEB_DIR [KEEP_DIR]]
#   DEB_DIR   where the packages are (default build/deb, as make deb)
#   KERNELS   kernels to expect a module for (default: every
#             /lib/modules/*/build)
#   KEEP_DIR  each DKMS-built module is copied to KEEP_DIR/KVER/bpfdev.ko
#             (decompressed) before the purge, for a guest boot of each
#             kernel with its own module (selftests/pkg/deb_smoke; default
#             DEB_DIR/kmod)

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
debs=${1:-$top/build/deb}
keep=${2:-$debs/kmod}
ver=$(sed -n 's/^#define BPFDEV_VERSION "\(.*\)"/\1/p' "$top/kmod/version.h")
: "${KERNELS:=$(ls -d /lib/modules/*/build 2>/dev/null | cut -d/ -f4 | sort -V)}"

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (dpkg -i)"
	exit 0
fi
if dpkg-query -W -f='${Status}' bpfdev-dkms bpfdev-tools 2>/dev/null | grep -q installed; then
	echo "Bail out! a bpfdev package is installed already: this test would remove it"
	exit 1
fi
dkms_deb=$(ls "$debs"/bpfdev-dkms_"$ver"*_all.deb 2>/dev/null | tail -n 1)
tools_deb=$(ls "$debs"/bpfdev-tools_"$ver"*_*.deb 2>/dev/null | tail -n 1)
if [ -z "$dkms_deb" ] || [ -z "$tools_deb" ]; then
	echo "Bail out! no bpfdev-dkms/bpfdev-tools $ver packages in $debs (make deb)"
	exit 1
fi

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
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The dkms package's postinst builds and installs for each kernel.
t0=$(date +%s)
DEBIAN_FRONTEND=noninteractive dpkg -i "$dkms_deb" "$tools_deb" >"$log" 2>&1
rc=$?
case_ "$([ $rc -eq 0 ] || tail -n 5 "$log" | tr '\n' ' ')" \
	"dpkg -i bpfdev-dkms bpfdev-tools ($(( $(date +%s) - t0 ))s)"

for k in $KERNELS; do
	st=$(dkms status -m bpfdev -v "$ver" -k "$k" 2>/dev/null)
	case_ "$(echo "$st" | grep -q ': installed' || echo "dkms status: ${st:-nothing}")" \
		"$k: DKMS built and installed bpfdev $ver"
	ko=$(find "/lib/modules/$k/updates" -name 'bpfdev.ko*' 2>/dev/null | head -n 1)
	vm=$([ -n "$ko" ] && modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	case_ "$([ "$vm" = "$k" ] || echo "module ${ko:-missing}, vermagic ${vm:-none}")" \
		"$k: /lib/modules/$k/updates has bpfdev.ko for this kernel"
	modinfo -F depends "$ko" >/dev/null 2>&1 &&
		grep -q "updates/.*bpfdev.ko" "/lib/modules/$k/modules.dep"
	case_ "$([ $? -eq 0 ] || echo "not in modules.dep")" "$k: depmod knows it"
	if [ -n "$keep" ] && [ -n "$ko" ]; then
		mkdir -p "$keep/$k"
		case $ko in
		*.xz) xz -dc "$ko" >"$keep/$k/bpfdev.ko" ;;
		*.zst) zstd -qdc "$ko" >"$keep/$k/bpfdev.ko" ;;
		*.gz) gzip -dc "$ko" >"$keep/$k/bpfdev.ko" ;;
		*) cp "$ko" "$keep/$k/bpfdev.ko" ;;
		esac
	fi
done
# Never loaded here: the module runs only in guests.
if [ -r /proc/modules ]; then
	case_ "$(grep -q '^bpfdev ' /proc/modules && echo "bpfdev is loaded!")" \
		"the build machine's kernel did not load bpfdev"
fi

for t in /usr/sbin/bpfcap /usr/sbin/bpfctl /usr/bin/bpfvm; do
	out=$("$t" --help 2>&1)
	case_ "$([ $? -eq 0 ] && echo "$out" | grep -qi usage || echo "$t --help: $out")" "$t runs"
done
# The Python module from its installed place, run by Debian's python3 as
# the tools are (a checkout or a PATH python3 would prove nothing): it
# loads the packaged libbpfdev.so.0 and compiles a bcc-style program with
# the clang and libbpf headers the package depends on.
cache=$(mktemp -d)
out=$(cd / && env -u PYTHONPATH -u BPFDEV_LIB BPFDEV_CACHE_DIR="$cache" /usr/bin/python3 -c '
import bpfdev
from bpfdev import compiler, rewriter
from bpfdev.libbpfdev import Backend
print(bpfdev.__file__)
print(Backend().path)
obj = compiler.compile_c(rewriter.rewrite("BPF_HASH(counts, u32);\n"
	"int count(struct pt_regs *ctx) {\n"
	"	counts.increment(bpf_get_current_pid_tgid() >> 32);\n"
	"	return 0;\n"
	"}\n"))
print("ELF" if obj[:4] == b"\x7fELF" else "not an ELF object")
' 2>&1)
rm -rf "$cache"
case_ "$(echo $out | grep -qx '/usr/lib/python3/dist-packages/bpfdev/__init__.py libbpfdev.so.0 ELF' ||
	echo "$out" | tail -n 3 | tr '\n' ' ')" \
	"python3 imports the installed bpfdev, loads libbpfdev.so.0 and compiles a program"
for t in "$top"/tools/bcc/*; do
	t=/usr/sbin/${t##*/}-bpfdev
	out=$(cd / && env -u PYTHONPATH "$t" -h 2>&1)
	case_ "$([ $? -eq 0 ] && echo "$out" | grep -qi usage || echo "$t -h: $(echo "$out" | tail -n 2)")" \
		"$t -h"
done
for p in bpfdev.4 bpfcap.8 bpfctl.8 bpfvm.1 bpfdev-bcc.8; do
	f=$(man -w "${p%.*}" 2>/dev/null | grep -F "/man${p##*.}/$p" | head -n 1)
	out=$([ -n "$f" ] && MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
	case_ "$([ -n "$f" ] && [ -z "$out" ] || echo "${f:-not installed} $out")" \
		"man ${p##*.} ${p%.*}: installed and renders"
done
nopage=$(for t in "$top"/tools/bcc/*; do
	man -w "${t##*/}-bpfdev" >/dev/null 2>&1 || echo "${t##*/}-bpfdev"
done)
case_ "$([ -z "$nopage" ] || echo "no page:" $nopage)" "man NAME-bpfdev: a page for every tool"
case_ "$([ -f /lib/udev/rules.d/60-bpfdev.rules ] || echo missing)" "udev rule installed"
pc=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pkgconfig/libbpfdev.pc
case_ "$(grep -qx "Version: $ver" "$pc" 2>/dev/null || echo "$pc: no Version: $ver")" \
	"libbpfdev.pc says version $ver"
hdr=$(printf '#include <libbpfdev.h>\nint main(void) { return 0; }\n' |
	cc -x c - -o /dev/null -lbpfdev 2>&1)
case_ "$([ -z "$hdr" ] || echo "$hdr" | head -n 3 | tr '\n' ' ')" \
	"a program builds against the installed libbpfdev.h and -lbpfdev"

t0=$(date +%s)
DEBIAN_FRONTEND=noninteractive dpkg --purge bpfdev-tools bpfdev-dkms >"$log" 2>&1
rc=$?
case_ "$([ $rc -eq 0 ] || tail -n 5 "$log" | tr '\n' ' ')" \
	"dpkg --purge ($(( $(date +%s) - t0 ))s)"
left=$(find /lib/modules/*/updates -name 'bpfdev.ko*' 2>/dev/null; \
	ls -d "/usr/src/bpfdev-$ver" /var/lib/dkms/bpfdev 2>/dev/null; \
	ls -d /usr/lib/python3/dist-packages/bpfdev /usr/sbin/*-bpfdev 2>/dev/null)
case_ "$([ -z "$left" ] || echo $left)" \
	"purge leaves no module, source, DKMS tree, Python module (nor its byte code) or tool"

echo "1..$n"
[ "$failed" -eq 0 ]
