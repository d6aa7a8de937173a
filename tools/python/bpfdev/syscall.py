# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Syscall numbers to names (bcc.syscall's syscall_name), from the uapi
header's __NR_* definitions for x86-64."""

import re

UNISTD = ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h")
_names = None


def syscalls():
    global _names
    if _names is None:
        _names = {}
        for path in UNISTD:
            try:
                with open(path) as f:
                    for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)", f.read()):
                        _names[int(m.group(2))] = m.group(1).encode()
                break
            except OSError:
                continue
    return _names


def syscall_name(nr):
    return syscalls().get(nr, b"[unknown: %d]" % nr)
