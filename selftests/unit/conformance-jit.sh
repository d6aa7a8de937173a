#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The bpf_conformance suite on the x86-64 JIT (bpfvm --jit).
exec "$(dirname "$0")/conformance.sh" --jit
