# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""BTF (the .BTF section clang -g writes) to ctypes: the key and value
types of each .maps map, and any struct by name (a ring buffer's event).

Structs become ctypes.Structure classes with _pack_ = 1 and explicit
padding members (__pad_N, as bcc names them) so that every member sits at
the offset BTF gives and the size is BTF's; bitfields become the integer
that holds them (ctypes cannot place a bitfield at an arbitrary bit).
"""

import ctypes as ct
import struct

BTF_MAGIC = 0xeB9F
(KIND_INT, KIND_PTR, KIND_ARRAY, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_FWD,
 KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_FUNC,
 KIND_FUNC_PROTO, KIND_VAR, KIND_DATASEC, KIND_FLOAT, KIND_DECL_TAG,
 KIND_TYPE_TAG, KIND_ENUM64) = range(1, 20)
INT_SIGNED = 1
INT_CHAR = 2
INT_BOOL = 4

_MODIFIERS = (KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG)


class BtfError(Exception):
    pass


class Btf:
    def __init__(self, data):
        if len(data) < 24:
            raise BtfError("BTF too short")
        magic, version, flags, hdr_len = struct.unpack_from("<HBBI", data, 0)
        if magic != BTF_MAGIC:
            raise BtfError("bad BTF magic 0x%x" % magic)
        type_off, type_len, str_off, str_len = struct.unpack_from("<IIII", data, 8)
        self.strings = data[hdr_len + str_off:hdr_len + str_off + str_len]
        self.types = [None]            # id 0 is void
        self._parse(data[hdr_len + type_off:hdr_len + type_off + type_len])
        self._ctypes = {}

    def name(self, off):
        end = self.strings.index(b"\0", off)
        return self.strings[off:end].decode()

    def _parse(self, buf):
        off = 0
        while off < len(buf):
            name_off, info, size_type = struct.unpack_from("<III", buf, off)
            off += 12
            kind = (info >> 24) & 0x1f
            vlen = info & 0xffff
            t = {"kind": kind, "name": self.name(name_off), "vlen": vlen,
                 "kflag": info >> 31, "size": size_type, "type": size_type}
            if kind == KIND_INT:
                (v,) = struct.unpack_from("<I", buf, off)
                off += 4
                t["encoding"] = (v >> 24) & 0xf
                t["bits"] = v & 0xff
            elif kind == KIND_ARRAY:
                t["type"], t["index"], t["nelems"] = struct.unpack_from("<III", buf, off)
                off += 12
            elif kind in (KIND_STRUCT, KIND_UNION):
                members = []
                for _ in range(vlen):
                    n, mt, moff = struct.unpack_from("<III", buf, off)
                    off += 12
                    bitsize = moff >> 24 if t["kflag"] else 0
                    bitoff = moff & 0xffffff if t["kflag"] else moff
                    members.append((self.name(n), mt, bitoff, bitsize))
                t["members"] = members
            elif kind == KIND_ENUM:
                t["values"] = []
                for _ in range(vlen):
                    n, v = struct.unpack_from("<Ii", buf, off)
                    off += 8
                    t["values"].append((self.name(n), v))
            elif kind == KIND_ENUM64:
                t["values"] = []
                for _ in range(vlen):
                    n, lo, hi = struct.unpack_from("<III", buf, off)
                    off += 12
                    t["values"].append((self.name(n), lo | hi << 32))
            elif kind == KIND_FUNC_PROTO:
                t["params"] = [struct.unpack_from("<II", buf, off + 8 * i) for i in range(vlen)]
                off += 8 * vlen
            elif kind == KIND_VAR:
                off += 4
            elif kind == KIND_DATASEC:
                t["vars"] = [struct.unpack_from("<III", buf, off + 12 * i) for i in range(vlen)]
                off += 12 * vlen
            elif kind == KIND_DECL_TAG:
                off += 4
            self.types.append(t)

    # ---- queries ---------------------------------------------------------------

    def resolve(self, tid):
        """Skips typedefs and qualifiers."""
        while tid and self.types[tid]["kind"] in _MODIFIERS:
            tid = self.types[tid]["type"]
        return tid

    def size_of(self, tid):
        tid = self.resolve(tid)
        t = self.types[tid]
        k = t["kind"]
        if tid == 0:
            return 0
        if k == KIND_PTR:
            return 8
        if k == KIND_ARRAY:
            return t["nelems"] * self.size_of(t["type"])
        if k in (KIND_INT, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_ENUM64, KIND_FLOAT,
                 KIND_DATASEC):
            return t["size"]
        raise BtfError("type %d (kind %d) has no size" % (tid, k))

    def find(self, name, kinds=(KIND_STRUCT, KIND_UNION, KIND_TYPEDEF)):
        for tid, t in enumerate(self.types):
            if t and t["name"] == name and t["kind"] in kinds:
                return tid
        return None

    def functions(self):
        """{name: the struct name its first parameter points to ("" if
        none)} of the global functions: the candidate programs."""
        out = {}
        for t in self.types:
            if not t or t["kind"] != KIND_FUNC or t["vlen"] == 0:   # vlen: linkage
                continue
            proto = self.types[t["type"]]
            first = ""
            if proto["params"]:
                p = self.types[self.resolve(proto["params"][0][1])]
                if p["kind"] == KIND_PTR:
                    first = self.types[self.resolve(p["type"])]["name"] if p["type"] else "void"
            out[t["name"]] = first
        return out

    def maps(self):
        """{name: {"type", "key", "value", "max_entries", ...}} of .maps:
        numbers for __uint() members, type ids for __type() ones."""
        out = {}
        for t in self.types:
            if not t or t["kind"] != KIND_DATASEC or t["name"] != ".maps":
                continue
            for vid, _, _ in t["vars"]:
                var = self.types[vid]
                st = self.types[self.resolve(var["type"])]
                spec = {}
                for mname, mt, _, _ in st.get("members", []):
                    ptr = self.types[self.resolve(mt)]
                    if ptr["kind"] != KIND_PTR:
                        continue
                    target = self.resolve(ptr["type"])
                    tt = self.types[target]
                    if tt["kind"] == KIND_ARRAY and mname not in ("key", "value"):
                        spec[mname] = tt["nelems"]        # __uint(name, N)
                    else:
                        spec[mname] = ptr["type"]         # __type(name, T)
                out[var["name"]] = spec
        return out

    # ---- ctypes ----------------------------------------------------------------

    def ctype(self, tid):
        """The ctypes type of BTF type tid."""
        if tid in self._ctypes:
            return self._ctypes[tid]
        c = self._make(tid)
        self._ctypes[tid] = c
        return c

    def _int(self, size, signed):
        return {(1, True): ct.c_int8, (1, False): ct.c_uint8,
                (2, True): ct.c_int16, (2, False): ct.c_uint16,
                (4, True): ct.c_int32, (4, False): ct.c_uint32,
                (8, True): ct.c_int64, (8, False): ct.c_uint64}.get(
                    (size, signed), ct.c_uint8 * size)

    def _make(self, tid):
        t = self.types[tid]
        if tid == 0:
            return None
        k = t["kind"]
        if k in _MODIFIERS:
            return self.ctype(t["type"])
        if k == KIND_INT:
            if t["encoding"] & INT_BOOL:
                return ct.c_bool
            if t["size"] == 1 and (t["encoding"] & INT_CHAR or t["name"] == "char"):
                return ct.c_char
            if t["size"] == 16:
                return ct.c_uint64 * 2
            return self._int(t["size"], bool(t["encoding"] & INT_SIGNED))
        if k == KIND_PTR:
            return ct.c_uint64
        if k in (KIND_ENUM, KIND_ENUM64):
            return self._int(t["size"], False)
        if k == KIND_FLOAT:
            return {4: ct.c_float, 8: ct.c_double}.get(t["size"], ct.c_uint8 * t["size"])
        if k == KIND_ARRAY:
            return self.ctype(t["type"]) * t["nelems"]
        if k in (KIND_STRUCT, KIND_UNION):
            return self._struct(tid, t)
        if k == KIND_FWD:
            raise BtfError("type %s is only declared" % t["name"])
        raise BtfError("type %d (kind %d) has no ctypes form" % (tid, k))

    def _struct(self, tid, t):
        base = ct.Structure if t["kind"] == KIND_STRUCT else ct.Union
        name = t["name"] or "anon_%d" % tid
        cls = type(name, (base,), {"_pack_": 1})
        self._ctypes[tid] = cls             # a member may point back
        fields = []
        pos = 0
        npad = 0
        anon = 0
        for mname, mt, bitoff, bitsize in t["members"]:
            if bitsize or bitoff % 8:
                # A bitfield: the bytes holding it, once, as a plain member.
                if bitoff // 8 < pos:
                    continue
                msize = self.size_of(mt)
                off = (bitoff // 8) // msize * msize if msize else bitoff // 8
                off = max(off, pos)
            else:
                off = bitoff // 8
                msize = self.size_of(mt)
            if base is ct.Structure and off > pos:
                npad += 1
                fields.append(("__pad_%d" % npad, ct.c_uint8 * (off - pos)))
            if not mname:
                anon += 1
                mname = "__anon_%d" % anon
            fields.append((mname, self.ctype(mt)))
            if base is ct.Structure:
                pos = off + msize
        if base is ct.Structure and t["size"] > pos:
            npad += 1
            fields.append(("__pad_%d" % npad, ct.c_uint8 * (t["size"] - pos)))
        cls._fields_ = fields
        return cls
