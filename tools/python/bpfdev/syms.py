# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Addresses to names: kernel ones from /proc/kallsyms, user ones from
/proc/PID/maps and each mapped file's ELF symbols (bcc's ksym and sym)."""

import bisect
import os

from .elf import Elf, ElfError


class KernelSyms:
    def __init__(self, path="/proc/kallsyms"):
        self.addrs, self.names = [], []
        entries = []
        try:
            with open(path) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) < 3 or parts[1] not in "tTwW":
                        continue
                    addr = int(parts[0], 16)
                    if addr:
                        entries.append((addr, parts[2]))
        except OSError:
            pass
        entries.sort()
        self.addrs = [a for a, _ in entries]
        self.names = [n for _, n in entries]

    def lookup(self, addr):
        """(name, offset) of the symbol at or before addr, or (None, 0)."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return None, 0
        return self.names[i], addr - self.addrs[i]

    def address(self, name):
        for a, n in zip(self.addrs, self.names):
            if n == name:
                return a
        return None

    def functions(self):
        return self.names


class FileSyms:
    def __init__(self, path):
        try:
            self.elf = Elf.from_file(path)
            self.funcs = self.elf.func_symbols()
        except (OSError, ElfError):
            self.funcs, self.elf = [], None
        self.starts = [a for a, _, _ in self.funcs]

    def lookup(self, vaddr):
        i = bisect.bisect_right(self.starts, vaddr) - 1
        if i < 0:
            return None, 0
        start, size, name = self.funcs[i]
        if size and vaddr >= start + size:
            return None, 0
        return name, vaddr - start


class ProcessSyms:
    """A process's executable mappings, each resolved through its file."""

    _files = {}

    def __init__(self, pid):
        self.maps = []
        try:
            with open("/proc/%d/maps" % pid) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) < 6 or "x" not in parts[1] or not parts[5].startswith("/"):
                        continue
                    lo, hi = (int(x, 16) for x in parts[0].split("-"))
                    self.maps.append((lo, hi, int(parts[2], 16), parts[5]))
        except OSError:
            pass

    def lookup(self, addr):
        for lo, hi, off, path in self.maps:
            if lo <= addr < hi:
                fs = self._files.get(path)
                if fs is None:
                    fs = self._files[path] = FileSyms("/proc/self/root" + path
                                                      if os.path.exists("/proc/self/root" + path)
                                                      else path)
                if not fs.elf:
                    return None, 0, path
                file_off = addr - lo + off
                for seg in fs.elf.segments:
                    if seg["type"] == 1 and seg["offset"] <= file_off < seg["offset"] + seg["filesz"]:
                        name, delta = fs.lookup(file_off - seg["offset"] + seg["vaddr"])
                        return name, delta, path
                return None, 0, path
        return None, 0, None
