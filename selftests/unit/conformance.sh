#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The bpf_conformance suite (shared/conformance/tests.jsonl, 313 cases, cpu
# v4, every group) through bpfvm's plugin mode, once per engine: one TAP
# line per case and engine.  An engine is a set of bpfvm flags; the list
# comes from $BPFVM_ENGINES (";"-separated) or the arguments, default the
# checked interpreter and the fast one.  A case with an `error` section
# must fail; every other case must print its expected r0.
#
#   selftests/unit/conformance.sh ["--interp" "--interp --unchecked" "--jit"]

set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$top/../shared}
bpfvm=${BPFVM:-$top/tools/bpfvm/bpfvm}
tests=$shared/conformance/tests.jsonl

engines=()
if [ $# -gt 0 ]; then
	engines=("$@")
elif [ -n "${BPFVM_ENGINES:-}" ]; then
	IFS=';' read -r -a engines <<<"$BPFVM_ENGINES"
else
	engines=("--interp" "--interp --unchecked")
fi

if [ ! -r "$tests" ]; then
	echo "1..0 # SKIP no $tests (set SHARED=)"
	exit 1
fi
if [ ! -x "$bpfvm" ]; then
	echo "Bail out! no $bpfvm (make tools)"
	exit 1
fi

exec python3 - "$bpfvm" "$tests" "${engines[@]}" <<'PY'
import json, subprocess, sys

bpfvm, tests, engines = sys.argv[1], sys.argv[2], sys.argv[3:]
cases = [json.loads(line) for line in open(tests) if line.strip()]
print("1..%d" % (len(cases) * len(engines)), flush=True)

def pairs(h):
    return [h[i:i + 2] for i in range(0, len(h), 2)]

n = failed = 0
for engine in engines:
    for c in cases:
        n += 1
        name = "%s [%s]" % (c["file"].split("/")[-1], engine)
        want_error = "error" in c.get("sections", [])
        try:
            p = subprocess.run([bpfvm] + engine.split() + pairs(c.get("mem_hex", "")),
                               input=" ".join(pairs(c["program_hex"])) + "\n",
                               capture_output=True, text=True, timeout=20)
            rc, out, err = p.returncode, p.stdout.strip(), p.stderr.strip()
        except subprocess.TimeoutExpired:
            rc, out, err = -1, "", "timed out"
        if want_error:
            good = rc > 0 and err != ""
            why = "expected an error, got rc %d r0 %s" % (rc, out)
        else:
            want = int(str(c["result"]), 0) & (2**64 - 1)
            try:
                got = int(out, 16)
            except ValueError:
                got = None
            good = rc == 0 and got == want
            why = "want 0x%x, got rc %d r0 %r stderr %r" % (want, rc, out, err)
        if good:
            print("ok %d - %s" % (n, name))
        else:
            failed += 1
            print("not ok %d - %s" % (n, name))
            print("#   " + why)
sys.stdout.flush()
sys.exit(1 if failed else 0)
PY
