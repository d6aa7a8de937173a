#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The bpf_conformance suite on the x86-64 JIT with constant blinding (as
# jit_harden=2 in the module).
BPFVM_JIT_BLIND=1 exec "$(dirname "$0")/conformance.sh" --jit
