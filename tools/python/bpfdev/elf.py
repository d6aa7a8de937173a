# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The little of ELF64 (little endian) the module reads: sections by name
(.BTF of a compiled object), symbols (sym() and uprobes), and the file
offset of a symbol (where a uprobe goes)."""

import struct

SHT_SYMTAB = 2
SHT_DYNSYM = 11
STT_FUNC = 2
STT_GNU_IFUNC = 10
PT_LOAD = 1


class ElfError(Exception):
    pass


class Elf:
    def __init__(self, data):
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ElfError("not a 64-bit little-endian ELF file")
        self.data = data
        (self.type, _, _, _, phoff, shoff, _, _, phentsize, phnum,
         shentsize, shnum, shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
        self.sections = []
        for i in range(shnum):
            (name, stype, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            self.sections.append({"name_off": name, "type": stype, "flags": flags,
                                  "addr": addr, "offset": off, "size": size,
                                  "link": link, "entsize": entsize})
        names = self.sections[shstrndx] if shnum else None
        for s in self.sections:
            s["name"] = self._str(names, s["name_off"]) if names else ""
        self.segments = []
        for i in range(phnum):
            (ptype, flags, off, vaddr, paddr, filesz, memsz,
             align) = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
            self.segments.append({"type": ptype, "flags": flags, "offset": off,
                                  "vaddr": vaddr, "filesz": filesz, "memsz": memsz})

    @classmethod
    def from_file(cls, path):
        with open(path, "rb") as f:
            return cls(f.read())

    def _str(self, sec, off):
        start = sec["offset"] + off
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def section(self, name):
        for s in self.sections:
            if s["name"] == name:
                return self.data[s["offset"]:s["offset"] + s["size"]]
        return None

    def symbols(self):
        """(name, value, size, type, section index) of .symtab, else .dynsym."""
        tabs = [s for s in self.sections if s["type"] == SHT_SYMTAB]
        tabs = tabs or [s for s in self.sections if s["type"] == SHT_DYNSYM]
        for tab in tabs:
            strtab = self.sections[tab["link"]]
            for off in range(tab["offset"], tab["offset"] + tab["size"], 24):
                name, info, _, shndx, value, size = struct.unpack_from("<IBBHQQ", self.data, off)
                yield self._str(strtab, name), value, size, info & 0xf, shndx

    def func_symbols(self):
        """Functions with an address, sorted: (address, size, name)."""
        out = [(v, sz, n) for n, v, sz, t, _ in self.symbols()
               if n and v and t in (STT_FUNC, STT_GNU_IFUNC)]
        return sorted(set(out))

    def vaddr_to_offset(self, vaddr):
        for seg in self.segments:
            if seg["type"] == PT_LOAD and seg["vaddr"] <= vaddr < seg["vaddr"] + seg["filesz"]:
                return vaddr - seg["vaddr"] + seg["offset"]
        raise ElfError("address 0x%x is in no loaded segment" % vaddr)

    def symbol_offset(self, sym):
        """The file offset of function sym (what a uprobe attaches at)."""
        for n, v, _, t, _ in self.symbols():
            if n == sym and v and t in (STT_FUNC, STT_GNU_IFUNC):
                return self.vaddr_to_offset(v)
        raise ElfError("no function %s" % sym)

    def load_bias_vaddr(self):
        """The lowest PT_LOAD's (vaddr - offset): maps file offsets to symbols."""
        loads = [s for s in self.segments if s["type"] == PT_LOAD]
        return min(loads, key=lambda s: s["vaddr"]) if loads else None
