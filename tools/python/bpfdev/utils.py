# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bcc.utils: what bcc's tools import from it (execsnoop, opensnoop...)."""

import sys

FILESYSTEMENCODING = sys.getfilesystemencoding()


def as_str(s):
    """bcc's API takes names and text as str or bytes: the str."""
    return s.decode() if isinstance(s, bytes) else s


def _read_cpu_range(path):
    cpus = []
    with open(path) as f:
        for part in f.read().strip().split(","):
            lo, _, hi = part.partition("-")
            cpus.extend(range(int(lo), int(hi or lo) + 1))
    return cpus


def get_online_cpus():
    return _read_cpu_range("/sys/devices/system/cpu/online")


def get_possible_cpus():
    return _read_cpu_range("/sys/devices/system/cpu/possible")


def printb(s, file=None, nl=1):
    """bytes to stdout (or file) as they are, then a newline if nl."""
    f = file or sys.stdout
    buf = getattr(f, "buffer", f)
    buf.write(s + (b"\n" if nl else b""))
    f.flush()


class ArgString:
    """A command-line argument compared as bytes with what a probe read
    (never decoded): bytes(ArgString(arg))."""

    def __init__(self, arg):
        self.s = arg

    def __bytes__(self):
        return self.s.encode(FILESYSTEMENCODING)

    def __str__(self):
        return self.s
