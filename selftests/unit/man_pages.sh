#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The manual pages in man/: each renders with man -l without a warning
# from man or groff, and each tool's page and its help agree: every option
# the help prints is documented in the page's OPTIONS section, and every
# option documented there is one the help prints.
#
# A tool's help is `TOOL --help` and, for tools with subcommands, each
# subcommand's own help (bpfctl OBJECT help, bpfvm SUBCOMMAND --help), as
# a user finds them.  A help text need not list -h/--help itself.  A
# bracketed cluster of letters ([-DdeH]) is one option per letter.
#
# Known disagreements live in TODO below, each with its reason: their cases
# print "not ok ... # TODO" (counted as skipped) until the help is fixed,
# and "ok ... # TODO" tells that an entry can go.

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
man_dir=${MAN_DIR:-$top/man}
bpfcap=${BPFCAP:-$top/tools/bpfcap/bpfcap}
bpfctl=${BPFCTL:-$top/tools/bpfctl/bpfctl}
bpfvm=${BPFVM:-$top/tools/bpfvm/bpfvm}

# "tool option" -> why the page and the help still disagree.
declare -A TODO=(
)

if ! command -v man >/dev/null; then
	echo "1..0 # SKIP man (man-db) is not installed"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
case_() {	# case_ OK-IF-EMPTY NAME [TODO-REASON]
	n=$((n + 1))
	local dir=
	[ -n "${3:-}" ] && dir=" # TODO $3"
	if [ -z "$1" ]; then
		echo "ok $n - $2$dir"
	else
		echo "not ok $n - $2$dir"
		[ -n "$dir" ] || failed=$((failed + 1))
	fi
}

# Option words of a text: --long (up to '=' or '['), -x, and -xyz as x y z.
options_of() {
	grep -oE '(^|[][ {|(,])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[][ {|(,]//' |
	while read -r w; do
		case $w in
		--*) echo "$w" ;;
		*) echo "${w#-}" | grep -o . | sed 's/^/-/' ;;
		esac
	done | sort -u
}

# The tags of the page's OPTIONS section: rendered wide, a tag is a line
# indented 7 columns that starts with '-'; its body follows after 2+ spaces.
page_options() {
	MANWIDTH=1000 man -E UTF-8 -l "$1" 2>/dev/null | col -b |
		awk '/^[A-Z]/ { in_opts = ($0 == "OPTIONS"); next }
		     in_opts && /^       -/ { sub(/^       /, ""); sub(/  .*/, ""); print }' |
		options_of
}

# 1. Every page renders cleanly.
for page in "$man_dir"/*.[1-9]; do
	name=$(basename "$page")
	MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	bad=
	[ "$rc" -eq 0 ] || bad="exit $rc"
	[ -s "$tmp/err" ] && bad="warnings"
	[ -s "$tmp/out" ] || bad="no output"
	case_ "$bad" "$name renders with man -l, no warnings"
	[ -z "$bad" ] || sed 's/^/# /' "$tmp/err"
done

# 2. Help and page agree, option by option.
compare() {	# compare TOOL PAGE HELP-FILE
	local tool=$1 page=$2 help=$3 o why
	if [ ! -s "$help" ]; then
		case_ x "$tool: help text (is $tool built?)"
		return
	fi
	options_of <"$help" | grep -vxE -- '-h|--help' >"$tmp/h.$tool"
	page_options "$man_dir/$page" >"$tmp/p.$tool"
	if [ ! -s "$tmp/p.$tool" ]; then
		case_ x "$page: an OPTIONS section with tags"
		return
	fi
	while read -r o; do
		why=${TODO["$tool $o"]:-}
		grep -qxF -- "$o" "$tmp/p.$tool"
		case_ "$([ $? -eq 0 ] || echo x)" "$tool: $o (in its help) is documented in $page" "$why"
	done <"$tmp/h.$tool"
	while read -r o; do
		case $o in -h | --help) continue ;; esac
		grep -qxF -- "$o" "$tmp/h.$tool" && continue
		why=${TODO["$tool $o"]:-}
		case_ x "$tool: $o (in $page) is printed by its help" "$why"
	done <"$tmp/p.$tool"
}

"$bpfcap" --help >"$tmp/help.bpfcap" 2>&1
compare bpfcap bpfcap.8 "$tmp/help.bpfcap"

{
	"$bpfctl" --help
	"$bpfctl" prog help
	"$bpfctl" map help
} >"$tmp/help.bpfctl" 2>&1
compare bpfctl bpfctl.8 "$tmp/help.bpfctl"

# Every subcommand answers --help: its usage on stdout, exit 0.
"$bpfvm" --help >"$tmp/help.bpfvm" 2>"$tmp/err"
case_ "$([ $? -eq 0 ] && [ -s "$tmp/help.bpfvm" ] && [ ! -s "$tmp/err" ] || echo x)" \
	"bpfvm --help: usage on stdout, exit 0"
for sub in run verify disasm; do
	"$bpfvm" $sub --help >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case_ "$([ $rc -eq 0 ] && grep -q "^usage: bpfvm $sub " "$tmp/out" &&
		[ ! -s "$tmp/err" ] || echo x)" "bpfvm $sub --help: its usage on stdout, exit 0"
	cat "$tmp/out" >>"$tmp/help.bpfvm"
done
compare bpfvm bpfvm.1 "$tmp/help.bpfvm"

echo "1..$n"
[ "$failed" -eq 0 ]
