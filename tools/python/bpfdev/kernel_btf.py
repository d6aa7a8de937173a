# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The running kernel's types, from its BTF (/sys/kernel/btf/vmlinux).

bcc compiles a program against the kernel's headers, so its C may name
struct task_struct, struct request or struct dentry.  bpfdev has no kernel
headers at run time; it has the kernel's BTF, and libbpf (already loaded:
libbpfdev's loader is libbpf) turns that into C with btf_dump, as
`bpftool btf dump file ... format c` does for vmlinux.h.  Every record is
marked preserve_access_index, so a member's offset is a CO-RE relocation
that libbpf fits to the kernel at load time.

The header is cached by the BTF's content hash (in the compile cache's
directory), so the guest's cache can be filled on the host from the
guest kernel's BTF: $BPFDEV_BTF names the BTF file to use instead of the
running kernel's (selftests/python/fill-guest-cache).

The rewriter (deref.py) asks this module what a member is (a pointer to
a struct, an embedded struct, an array...) to know where a read ends.
"""

import ctypes as ct
import ctypes.util
import hashlib
import os

from .libbpfdev import BPFError

VMLINUX_BTF = "/sys/kernel/btf/vmlinux"
HEADER = "bpfdev_vmlinux.h"

(KIND_INT, KIND_PTR, KIND_ARRAY, KIND_STRUCT, KIND_UNION, KIND_ENUM, KIND_FWD,
 KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT) = range(1, 12)
KIND_TYPE_TAG = 18
_MODIFIERS = (KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_TYPE_TAG)


class BtfType(ct.Structure):
    _fields_ = [("name_off", ct.c_uint32), ("info", ct.c_uint32), ("size_type", ct.c_uint32)]


class BtfMember(ct.Structure):
    _fields_ = [("name_off", ct.c_uint32), ("type", ct.c_uint32), ("offset", ct.c_uint32)]


class BtfArray(ct.Structure):
    _fields_ = [("type", ct.c_uint32), ("index_type", ct.c_uint32), ("nelems", ct.c_uint32)]


PRINTF_FN = ct.CFUNCTYPE(None, ct.c_void_p, ct.c_char_p, ct.c_void_p)


def btf_path():
    return os.environ.get("BPFDEV_BTF") or VMLINUX_BTF


def no_btf_error(path, why):
    return BPFError("this program uses the kernel's types (struct task_struct, ...), which "
                    "bpfdev takes from the kernel's BTF, and %s %s: a kernel built "
                    "without CONFIG_DEBUG_INFO_BTF cannot run it" % (path, why))


def _libbpf():
    lib = ct.CDLL(ctypes.util.find_library("bpf") or "libbpf.so.1", use_errno=True)
    lib.btf__parse.restype = ct.c_void_p
    lib.btf__parse.argtypes = [ct.c_char_p, ct.c_void_p]
    lib.btf__free.argtypes = [ct.c_void_p]
    lib.btf__type_cnt.restype = ct.c_uint32
    lib.btf__type_cnt.argtypes = [ct.c_void_p]
    lib.btf__type_by_id.restype = ct.POINTER(BtfType)
    lib.btf__type_by_id.argtypes = [ct.c_void_p, ct.c_uint32]
    lib.btf__name_by_offset.restype = ct.c_char_p
    lib.btf__name_by_offset.argtypes = [ct.c_void_p, ct.c_uint32]
    lib.btf__find_by_name_kind.restype = ct.c_int
    lib.btf__find_by_name_kind.argtypes = [ct.c_void_p, ct.c_char_p, ct.c_uint32]
    lib.btf_dump__new.restype = ct.c_void_p
    lib.btf_dump__new.argtypes = [ct.c_void_p, PRINTF_FN, ct.c_void_p, ct.c_void_p]
    lib.btf_dump__dump_type.argtypes = [ct.c_void_p, ct.c_uint32]
    lib.btf_dump__free.argtypes = [ct.c_void_p]
    return lib


class KernelBtf:
    """One kernel's BTF through libbpf (parsed once per process and path)."""

    _cache = {}

    @classmethod
    def get(cls, path=None):
        path = path or btf_path()
        if path not in cls._cache:
            cls._cache[path] = cls(path)
        return cls._cache[path]

    def __init__(self, path):
        self.path = path
        try:
            with open(path, "rb") as f:
                self.digest = hashlib.sha256(f.read()).hexdigest()[:32]
        except OSError as e:
            raise no_btf_error(path, "cannot be read (%s)" % e.strerror)
        self.lib = _libbpf()
        self.btf = self.lib.btf__parse(path.encode(), None)
        if not self.btf:
            raise no_btf_error(path, "cannot be parsed (%s)" % os.strerror(ct.get_errno()))

    # ---- types ------------------------------------------------------------------

    def _type(self, tid):
        t = self.lib.btf__type_by_id(self.btf, tid)
        return t.contents if t else None

    def kind(self, tid):
        return (self._type(tid).info >> 24) & 0x1f if tid else 0

    def name(self, tid):
        t = self._type(tid)
        return self.lib.btf__name_by_offset(self.btf, t.name_off).decode() if t else ""

    def resolve(self, tid):
        """tid without typedefs and qualifiers."""
        while tid and self.kind(tid) in _MODIFIERS:
            tid = self._type(tid).size_type
        return tid

    def find_struct(self, name):
        for kind in (KIND_STRUCT, KIND_UNION):
            tid = self.lib.btf__find_by_name_kind(self.btf, name.encode(), kind)
            if tid > 0:
                return tid
        return None

    def _members(self, tid):
        t = self.lib.btf__type_by_id(self.btf, tid)
        vlen = t.contents.info & 0xffff
        base = ct.cast(t, ct.c_void_p).value + ct.sizeof(BtfType)
        arr = ct.cast(base, ct.POINTER(BtfMember * vlen)).contents
        return [(self.lib.btf__name_by_offset(self.btf, m.name_off).decode(), m.type)
                for m in arr]

    def member_type(self, struct_tid, member):
        """The type id of struct_tid's member (looked for inside anonymous
        structs and unions too, as C lets one name it), else None."""
        struct_tid = self.resolve(struct_tid)
        if self.kind(struct_tid) not in (KIND_STRUCT, KIND_UNION):
            return None
        for mname, mtid in self._members(struct_tid):
            if mname == member:
                return mtid
            if not mname:
                found = self.member_type(mtid, member)
                if found is not None:
                    return found
        return None

    def describe(self, tid):
        """What a value of type tid is, for the rewriter: ("ptr", the
        struct id it points to or None), ("record", id), ("array", None)
        or ("scalar", None)."""
        tid = self.resolve(tid)
        k = self.kind(tid)
        if k == KIND_PTR:
            target = self.resolve(self._type(tid).size_type)
            return ("ptr", target if self.kind(target) in (KIND_STRUCT, KIND_UNION) else None)
        if k in (KIND_STRUCT, KIND_UNION):
            return ("record", tid)
        if k == KIND_ARRAY:
            return ("array", None)
        return ("scalar", None)

    def element(self, tid):
        """The type an array's element or a pointer's target has, else None."""
        tid = self.resolve(tid)
        k = self.kind(tid)
        if k == KIND_PTR:
            return self._type(tid).size_type
        if k == KIND_ARRAY:
            t = self.lib.btf__type_by_id(self.btf, tid)
            base = ct.cast(t, ct.c_void_p).value + ct.sizeof(BtfType)
            return ct.cast(base, ct.POINTER(BtfArray)).contents.type
        return None

    def has_field(self, struct, field):
        tid = self.find_struct(struct)
        return tid is not None and self.member_type(tid, field) is not None

    # ---- the header ---------------------------------------------------------------

    def dump_c(self):
        """Every type as C, framed as bpftool frames vmlinux.h."""
        out = []
        libc = ct.CDLL(None)
        libc.vasprintf.argtypes = [ct.POINTER(ct.c_char_p), ct.c_char_p, ct.c_void_p]
        libc.free.argtypes = [ct.c_void_p]

        def printf(_ctx, fmt, args):
            # libbpf hands a va_list: libc formats it, once.
            s = ct.c_char_p()
            if libc.vasprintf(ct.byref(s), fmt, args) >= 0:
                out.append(s.value)
                libc.free(ct.cast(s, ct.c_void_p))
        cb = PRINTF_FN(printf)
        d = self.lib.btf_dump__new(self.btf, cb, None, None)
        if not d:
            raise BPFError("btf_dump of %s: %s" % (self.path, os.strerror(ct.get_errno())))
        try:
            for tid in range(1, self.lib.btf__type_cnt(self.btf)):
                self.lib.btf_dump__dump_type(d, tid)
        finally:
            self.lib.btf_dump__free(d)
        body = b"".join(out).decode(errors="replace")
        return ("/* The kernel's types, from %s (BTF sha256 %s) by libbpf's btf_dump. */\n"
                "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
                "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
                "#pragma clang attribute push (__attribute__((preserve_access_index)), "
                "apply_to = record)\n#endif\n\n%s\n"
                "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
                "#endif /* __VMLINUX_H__ */\n" % (self.path, self.digest, body))

    def header_dir(self, cache_dir):
        """A directory holding HEADER for this BTF (made once per BTF)."""
        import tempfile
        base = cache_dir or tempfile.mkdtemp(prefix="bpfdev-btf-")
        d = os.path.join(base, "kernel-%s" % self.digest)
        path = os.path.join(d, HEADER)
        if not os.path.exists(path):
            os.makedirs(d, exist_ok=True)
            tmp = "%s.%d.tmp" % (path, os.getpid())
            with open(tmp, "w") as f:
                f.write(self.dump_c())
            os.replace(tmp, path)
        return d
