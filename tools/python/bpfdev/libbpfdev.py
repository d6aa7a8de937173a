# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""libbpfdev.so through ctypes: the backend every table and program uses.

The object loader inside libbpfdev.so is libbpf, and libbpf makes its
bpf(2) calls with libc's syscall().  In a process that did not preload
libbpfdev-shim.so those would reach the kernel's own BPF, not /dev/bpf,
and nothing a dlopen()ed library does can interpose syscall() after the
fact (libc comes first in the lookup scope).  So the first load re-runs
the interpreter with the shim in LD_PRELOAD, as bpfdev-run would, unless
$BPFDEV_NO_REEXEC is set (then loading fails and says to use bpfdev-run).

Backend is the seam the tests use: the tables and BPF call only its
methods, and selftests/python's mock implements the same ones over dicts.
"""

import ctypes as ct
import errno
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# tools/python/bpfdev -> the tree's top, when running from a checkout.
TREE_TOP = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def _first_existing(paths):
    for p in paths:
        if p and os.path.exists(p):
            return p
    return None


def find_library():
    """libbpfdev.so: $BPFDEV_LIB, the checkout's, then the installed one."""
    path = _first_existing([
        os.environ.get("BPFDEV_LIB"),
        os.path.join(TREE_TOP, "tools", "lib", "bpfdev", "libbpfdev.so"),
        os.path.join(HERE, "..", "..", "libbpfdev.so.0"),
        "/usr/local/lib/libbpfdev.so.0",
        "/usr/lib/libbpfdev.so.0",
    ])
    return path or "libbpfdev.so.0"


def find_shim():
    return _first_existing([
        os.environ.get("BPFDEV_SHIM"),
        os.path.join(TREE_TOP, "tools", "shim", "libbpfdev-shim.so"),
        os.path.join(HERE, "..", "..", "bpfdev", "libbpfdev-shim.so"),
        "/usr/local/lib/bpfdev/libbpfdev-shim.so",
        "/usr/lib/bpfdev/libbpfdev-shim.so",
    ])


def shim_loaded():
    try:
        with open("/proc/self/maps") as f:
            return "libbpfdev-shim.so" in f.read()
    except OSError:
        return False


class BPFError(Exception):
    """A failed compile, load or attach: the message carries clang's
    output or the verifier's log."""


def ensure_redirect():
    """Make libbpf's bpf() calls reach /dev/bpf (see the module comment)."""
    if shim_loaded():
        return
    shim = find_shim()
    if os.environ.get("BPFDEV_NO_REEXEC") or not shim:
        raise BPFError("libbpf's bpf() calls would reach the kernel, not /dev/bpf: "
                       "run under bpfdev-run (libbpfdev-shim.so %s)" %
                       ("not found" if not shim else "not preloaded"))
    if os.environ.get("_BPFDEV_REEXEC"):
        raise BPFError("re-ran with %s in LD_PRELOAD, but it is not loaded" % shim)
    env = dict(os.environ)
    env["LD_PRELOAD"] = shim + (":" + env["LD_PRELOAD"] if env.get("LD_PRELOAD") else "")
    env["_BPFDEV_REEXEC"] = "1"
    argv = list(getattr(sys, "orig_argv", [sys.executable] + sys.argv))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, env)


class Backend:
    """The bpf() map and program calls over libbpfdev.so."""

    def __init__(self, path=None):
        self.path = path or find_library()
        try:
            self.lib = ct.CDLL(self.path, use_errno=True)
        except OSError as e:
            raise BPFError("cannot load libbpfdev (%s): %s; set BPFDEV_LIB" %
                           (self.path, e))
        self._declare()

    def _fn(self, name, restype, *argtypes):
        f = getattr(self.lib, name, None)
        if f is not None:
            f.restype = restype
            f.argtypes = list(argtypes)
        return f

    def _declare(self):
        vp, i, u32, u64, s = ct.c_void_p, ct.c_int, ct.c_uint32, ct.c_uint64, ct.c_char_p
        f = self._fn
        self.device_fd = f("bpfdev_device_fd", i)
        self.sys_bpf = f("bpfdev_sys_bpf", i, i, vp, ct.c_uint)
        self.lookup = f("bpfdev_map_lookup_elem", i, i, vp, vp)
        self.update = f("bpfdev_map_update_elem", i, i, vp, vp, u64)
        self.delete = f("bpfdev_map_delete_elem", i, i, vp)
        self.next_key = f("bpfdev_map_get_next_key", i, i, vp, vp)
        self.obj_open_mem = f("bpfdev_object__open_mem", vp, vp, ct.c_size_t, vp)
        self.obj_load = f("bpfdev_object__load", i, vp)
        self.obj_close = f("bpfdev_object__close", None, vp)
        self.obj_next_prog = f("bpfdev_object__next_program", vp, vp, vp)
        self.obj_next_map = f("bpfdev_object__next_map", vp, vp, vp)
        self.prog_name = f("bpfdev_program__name", s, vp)
        self.prog_set_type = f("bpfdev_program__set_type", i, vp, i)
        self.prog_set_autoload = f("bpfdev_program__set_autoload", i, vp, ct.c_bool)
        self.prog_fd = f("bpfdev_program__fd", i, vp)
        self.prog_log = f("bpfdev_program__log", s, vp)
        self.prog_set_log_level = f("bpfdev_program__set_log_level", i, vp, u32)
        self.map_name = f("bpfdev_map__name", s, vp)
        self.map_fd = f("bpfdev_map__fd", i, vp)
        self.map_type = f("bpfdev_map__type", i, vp)
        self.map_key_size = f("bpfdev_map__key_size", u32, vp)
        self.map_value_size = f("bpfdev_map__value_size", u32, vp)
        self.map_max_entries = f("bpfdev_map__max_entries", u32, vp)
        self.map_reuse_fd = f("bpfdev_map__reuse_fd", i, vp, i)
        self.cap_open = f("bpfdev_capture__open", vp, vp)
        self.cap_bind = f("bpfdev_capture__bind", i, vp, s)
        self.cap_set_prog = f("bpfdev_capture__set_filter_prog", i, vp, i)
        self.cap_poll = f("bpfdev_capture__poll", i, vp, i, vp, vp)
        self.cap_stats = f("bpfdev_capture__stats", i, vp, vp)
        self.cap_fd = f("bpfdev_capture__fd", i, vp)
        self.cap_close = f("bpfdev_capture__close", None, vp)
        self.rb_new = f("bpfdev_ringbuf__new", vp, i, vp, vp)
        self.rb_poll = f("bpfdev_ringbuf__poll", i, vp, i)
        self.rb_consume = f("bpfdev_ringbuf__consume", i, vp)
        self.rb_free = f("bpfdev_ringbuf__free", None, vp)
        self.rb_fd = f("bpfdev_ringbuf__fd", i, vp)
        self.set_print = f("bpfdev_set_print", vp, vp)
        # The tracing API (issue 17); absent from older libraries, where
        # attach.py makes the ioctls itself.
        self.kprobe_attach = f("bpfdev_kprobe_attach", i, i, s, u64, ct.c_bool)
        self.uprobe_attach = f("bpfdev_uprobe_attach", i, i, s, u64, i, ct.c_bool)
        self.tracepoint_attach = f("bpfdev_tracepoint_attach", i, i, s, s)
        self.raw_tracepoint_open = f("bpfdev_raw_tracepoint_open", i, i, s)
        self.perf_attach = f("bpfdev_perf_attach", i, i, u32, u32, u64, ct.c_bool, i)

    # ---- maps: what the tables call ------------------------------------------
    # Each returns 0 or -errno; buffers are ctypes objects of the map's sizes.

    def map_lookup(self, fd, key, value):
        return self.lookup(fd, ct.byref(key), ct.byref(value))

    def map_update(self, fd, key, value, flags=0):
        return self.update(fd, ct.byref(key), ct.byref(value), flags)

    def map_delete(self, fd, key):
        return self.delete(fd, ct.byref(key))

    def map_next_key(self, fd, key, next_key):
        return self.next_key(fd, ct.byref(key) if key is not None else None,
                             ct.byref(next_key))


    # ---- objects -----------------------------------------------------------------

    def quiet(self, quiet=True):
        """Loader messages off: BPF() raises with the verifier's log instead."""
        if quiet:
            self.set_print(None)

    def load_object(self, data, progs, reuse):
        """Loads ELF object data: the programs named in progs ({name: type})
        and no others, with the maps in reuse ({name: fd}) taken as they
        are.  Returns a LoadedObject; BPFError with the verifier's log."""
        buf = ct.create_string_buffer(bytes(data), len(data))
        obj = self.obj_open_mem(buf, len(data), None)
        if not obj:
            raise BPFError("libbpf cannot open the object: %s" % os.strerror(ct.get_errno()))
        loaded = LoadedObject(self, obj)
        try:
            handles = {}
            p = self.obj_next_prog(obj, None)
            while p:
                name = self.prog_name(p).decode()
                if name in progs:
                    check(self.prog_set_type(p, progs[name]), "program %s" % name)
                    handles[name] = p
                check(self.prog_set_autoload(p, name in progs), "program %s" % name)
                p = self.obj_next_prog(obj, p)
            missing = set(progs) - set(handles)
            if missing:
                raise BPFError("no function %s in the object" % ", ".join(sorted(missing)))
            m = self.obj_next_map(obj, None)
            while m:
                name = self.map_name(m).decode()
                if name in reuse:
                    check(self.map_reuse_fd(m, reuse[name]), "map %s" % name)
                m = self.obj_next_map(obj, m)
            ret = self.obj_load(obj)
            if ret < 0:
                err = os.strerror(-ret)
                logs = "".join("bpf: %s: %s\n%s" % (n, err, (self.prog_log(h) or b"").decode(
                    errors="replace")) for n, h in handles.items())
                raise BPFError("Failed to load BPF program: %s\n%s" % (err, logs))
            m = self.obj_next_map(obj, None)
            while m:
                loaded.maps[self.map_name(m).decode()] = {
                    "fd": self.map_fd(m), "type": self.map_type(m),
                    "key_size": self.map_key_size(m), "value_size": self.map_value_size(m),
                    "max_entries": self.map_max_entries(m)}
                m = self.obj_next_map(obj, m)
            for name, h in handles.items():
                loaded.progs[name] = self.prog_fd(h)
        except BaseException:
            loaded.close()
            raise
        return loaded


class LoadedObject:
    """One bpfdev_object: its maps' and loaded programs' fds live as long."""

    def __init__(self, backend, handle):
        self.backend = backend
        self.handle = handle
        self.maps = {}
        self.progs = {}

    def close(self):
        if self.handle:
            self.backend.obj_close(self.handle)
            self.handle = None


def check(ret, what):
    """ret < 0 (a -errno) raises, naming what failed."""
    if ret is not None and ret < 0:
        err = -ret if ret != -1 else (ct.get_errno() or errno.EINVAL)
        raise BPFError("%s: %s" % (what, os.strerror(err)))
    return ret
