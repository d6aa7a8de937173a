# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""clang -target bpf at run time, cached by content.

Each function goes in a section of its own (-ffunction-sections): libbpf
makes every global function in a .text.NAME section a program, which
BPF() loads on demand with the type its attach_*() call needs, as bcc
does.  Static helpers must be inlined (static inline or __always_inline;
clang -O2 inlines small ones): libbpf calls only into .text.

The cache key is the source after rewriting, the flags, clang's version
and the helper headers' contents; objects live in $BPFDEV_CACHE_DIR, else
~/.cache/bpfdev, else a directory under /tmp.  A cache filled on one
machine serves another with the same clang, headers and tracepoint
formats (and kernel BTF, for a program using the kernel's types):
selftests/python/fill-guest-cache fills one on the host for the guest's
t_70 and t_71 (BPFDEV_COMPILE_ONLY=1, BPFDEV_TRACEFS and BPFDEV_BTF, see
BPF()).
"""

import hashlib
import os
import shutil
import subprocess
import tempfile

from .libbpfdev import BPFError
from .utils import as_str

INCLUDE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "include")
CLANG = os.environ.get("BPFDEV_CLANG", "clang")


def base_cflags():
    multiarch = "/usr/include/x86_64-linux-gnu"
    return ["-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86",
            "-D__BPFDEV_BCC__", "-ffunction-sections",
            "-Wno-unused-value", "-Wno-pointer-sign", "-Wno-compare-distinct-pointer-types",
            "-Wno-gnu-variable-sized-type-not-at-end", "-Wno-address-of-packed-member",
            "-Wno-unknown-warning-option",
            "-I", INCLUDE_DIR, "-I", multiarch,
            "-include", os.path.join(INCLUDE_DIR, "bpfdev_bcc.h")]


def _clang_version():
    """clang --version's text, kept in the cache beside the objects under
    the clang executable's path, size and mtime: a warm cache then starts
    no clang at all (loading clang's libraries is seconds under TCG), and
    an upgraded clang (a new file) asks again."""
    exe = shutil.which(CLANG)
    cdir = cache_dir()
    path = None
    if exe and cdir:
        st = os.stat(exe)
        ident = "%s\0%d\0%d" % (os.path.realpath(exe), st.st_size, st.st_mtime_ns)
        path = os.path.join(cdir, "clang-%s.version" %
                            hashlib.sha256(ident.encode()).hexdigest()[:32])
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            pass
    try:
        version = subprocess.run([CLANG, "--version"], capture_output=True,
                                 text=True).stdout
    except OSError as e:
        raise BPFError("cannot run %s: %s" % (CLANG, e))
    if path and version:
        _write_atomic(path, version.encode())
    return version


def _headers_digest():
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(INCLUDE_DIR)):
        for f in sorted(files):
            with open(os.path.join(root, f), "rb") as fh:
                h.update(f.encode() + b"\0" + fh.read())
    return h.hexdigest()


def cache_dir():
    for d in (os.environ.get("BPFDEV_CACHE_DIR"),
              os.path.join(os.path.expanduser("~"), ".cache", "bpfdev"),
              os.path.join(tempfile.gettempdir(), "bpfdev-cache-%d" % os.getuid())):
        if not d:
            continue
        try:
            os.makedirs(d, mode=0o700, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    return None


def cache_key(src, cflags, kernel=None):
    h = hashlib.sha256()
    for part in (src, "\0".join(base_cflags() + list(cflags)), _clang_version(),
                 _headers_digest(), "kernel-%s" % kernel.digest if kernel else ""):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def kernel_cflags(kernel):
    """The flags that give a program the kernel's types (kernel_btf.py):
    bpfdev_bcc.h then includes the header made from the BTF instead of the
    uapi headers, whose types it holds too."""
    return ["-DBPFDEV_KERNEL_TYPES", "-I", kernel.header_dir(cache_dir())]


def compile_c(src, cflags=(), debug=False, kernel=None):
    """The ELF object of C source src (bytes); BPFError with clang's
    message.  kernel: the KernelBtf whose types the program uses, if any
    (its BTF's hash joins the cache key, not the header's directory)."""
    cflags = [as_str(c) for c in cflags]
    key = cache_key(src, cflags, kernel)
    cdir = cache_dir()
    path = os.path.join(cdir, key + ".o") if cdir else None
    if path and os.path.exists(path) and not debug:
        with open(path, "rb") as f:
            return f.read()
    with tempfile.TemporaryDirectory(prefix="bpfdev-cc-") as tmp:
        out = os.path.join(tmp, "prog.o")
        cmd = [CLANG] + base_cflags() + (kernel_cflags(kernel) if kernel else []) + \
            cflags + ["-x", "c", "-c", "-o", out, "-"]
        r = subprocess.run(cmd, input=src.encode(), capture_output=True)
        if r.returncode != 0:
            raise BPFError("clang failed to compile the program:\n" +
                           r.stderr.decode(errors="replace"))
        if debug and r.stderr:
            print(r.stderr.decode(errors="replace"))
        with open(out, "rb") as f:
            obj = f.read()
    if path:
        _write_atomic(path, obj)
    return obj


def _write_atomic(path, data):
    """A cache entry appears whole or not at all (tools share the cache)."""
    tmp_path = "%s.%d.tmp" % (path, os.getpid())
    try:
        with open(tmp_path, "wb") as f:
            f.write(data)
        os.replace(tmp_path, path)
    except OSError:
        pass
