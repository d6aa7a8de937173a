#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The bpfdev Python module's host tests (selftests/python, pytest): the
# bcc-style compilation and rewrites, BTF-typed tables over a mock backend
# that BPF() and the tables use as they use libbpfdev, and histograms
# byte for byte as bcc 0.26 prints them.  One TAP line per pytest case.
# Needs Debian's python3 with python3-pytest, and clang; python3-bpfcc
# adds the comparisons against bcc's own printing.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}

if ! "$py" -c 'import pytest' 2>/dev/null; then
	echo "1..0 # SKIP python3-pytest is not installed"
	exit 0
fi
if ! command -v "${BPFDEV_CLANG:-clang}" >/dev/null; then
	echo "1..0 # SKIP clang is not installed"
	exit 0
fi

# No __pycache__ in the tree (it is not ignored).
export PYTHONDONTWRITEBYTECODE=1
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
log=$cache/pytest.log
cd "$top" || exit 1
BPFDEV_CACHE_DIR=$cache/objs "$py" -m pytest -p no:cacheprovider -q -rA \
	selftests/python >"$log" 2>&1
rc=$?

# -rA's summary: "PASSED file::case", "FAILED file::case - why", "SKIPPED [n] file:line: why".
mapfile -t results < <(grep -E '^(PASSED|FAILED|ERROR|SKIPPED) ' "$log")
if [ ${#results[@]} -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 - pytest ran no case (exit $rc)"
	sed 's/^/# /' "$log"
	exit 1
fi
echo "1..${#results[@]}"
n=0 fail=0
for r in "${results[@]}"; do
	n=$((n + 1))
	case $r in
	PASSED*) echo "ok $n - ${r#PASSED }" ;;
	SKIPPED*) echo "ok $n - ${r#SKIPPED } # SKIP" ;;
	*) echo "not ok $n - ${r#* }"; fail=1 ;;
	esac
done
if [ $fail -ne 0 ] || [ $rc -ne 0 ]; then
	sed -n '/= FAILURES =/,/short test summary/p' "$log" | sed 's/^/# /'
	exit 1
fi
exit 0
