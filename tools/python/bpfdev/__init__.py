# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bpfdev: bcc's Python API over /dev/bpf.

    from bpfdev import BPF
    b = BPF(text='''
    BPF_HASH(counts, u32);
    int kprobe__vfs_read(struct pt_regs *ctx) {
        u32 pid = bpf_get_current_pid_tgid() >> 32;
        counts.increment(pid);
        return 0;
    }''')
    ...
    for k, v in b["counts"].items(): print(k.value, v.value)

The C is compiled by clang at run time (compiler.py) against
include/bpfdev_bcc.h after the rewrites of rewriter.py, and loaded through
libbpfdev's libbpf-based loader (libbpfdev.py).  What differs from bcc is
listed in include/bpfdev_bcc.h and rewriter.py, and in README.md here.
"""

import atexit
import ctypes as ct
import errno
import os
import re
import select
import time

from . import attach as _attach
from . import compiler, interrupt, rewriter, table as _table
from .btf import Btf
from .kernel_btf import KernelBtf
from .elf import Elf
from .libbpfdev import Backend, BPFError, ensure_redirect
from .syms import KernelSyms, ProcessSyms
from .capture import Capture
from .utils import ArgString, as_str, printb

__all__ = ["BPF", "BPFError", "Capture", "PerfType", "PerfSWConfig", "PerfHWConfig",
           "printb", "ArgString"]


class PerfType:
    """perf_event_open()'s type for attach_perf_event(), as bcc names them."""
    HARDWARE = 0
    SOFTWARE = 1


class PerfHWConfig:
    CPU_CYCLES = 0
    INSTRUCTIONS = 1


class PerfSWConfig:
    CPU_CLOCK = 0
    TASK_CLOCK = 1

TRACE_PIPE = "/sys/kernel/debug/bpfdev/trace_pipe"


class Function:
    def __init__(self, bpf, name, fd):
        self.bpf = bpf
        self.name = name
        self.fd = fd
        self.sock = -1


class BPF:
    # Program types (enum bpf_prog_type), as bcc names them.
    SOCKET_FILTER = 1
    KPROBE = 2
    SCHED_CLS = 3
    SCHED_ACT = 4
    TRACEPOINT = 5
    XDP = 6
    PERF_EVENT = 7
    RAW_TRACEPOINT = 17

    # The program type of a function from the struct its argument points to.
    _CTX_TYPES = {"pt_regs": KPROBE, "__sk_buff": SOCKET_FILTER,
                  "bpf_perf_event_data": PERF_EVENT,
                  "bpf_raw_tracepoint_args": RAW_TRACEPOINT, "xdp_md": XDP}

    _syms = None

    def __init__(self, src_file=b"", hdr_file=b"", text=None, debug=0, cflags=None,
                 usdt_contexts=None, allow_rlimit=True, device=None,
                 attach_usdt_ignore_pid=False, obj=None, backend=None):
        if usdt_contexts:
            raise BPFError("USDT probes are not supported by bpfdev")
        self.debug = debug
        self._links = {}
        self._objects = []
        self._readers = []
        self._funcs = {}
        self._tables = {}
        self._trace_file = None
        self._interrupted = False
        self._closed = False
        src = None
        src_file = as_str(src_file)
        if text is not None:
            src = as_str(text)
        elif src_file:
            with open(src_file) as f:
                src = f.read()
        if hdr_file:
            with open(as_str(hdr_file)) as f:
                src = f.read() + "\n" + (src or "")
        if src is not None and not src.strip():
            # bcc's BPF(text='') (opensnoop asks it get_syscall_prefix()):
            # nothing to compile or load.
            self.source = src
            self.obj_data = None
            self.btf = None
            self.functions = {}
            self.backend = backend
            self._maps = {}
            return
        if src is not None:
            events = rewriter.event_structs(src)
            kernel, no_kernel = self._kernel_types(src)
            wrapper = "syscall__" in src and self.get_syscall_prefix() == b"__x64_sys_"
            self.source = rewriter.rewrite(src, kernel, wrapper) + rewriter.event_anchors(events)
            try:
                self.obj_data = compiler.compile_c(self.source, cflags or [], debug=bool(debug),
                                                   kernel=kernel)
            except BPFError as e:
                if no_kernel:
                    raise no_kernel from e
                raise
            if os.environ.get("BPFDEV_COMPILE_ONLY"):
                # Fills the compile cache for another machine, a test
                # guest (selftests/python/fill-guest-cache), where starting clang
                # costs a minute: exit before anything loads or attaches.
                raise SystemExit(0)
        elif obj:
            with open(obj, "rb") as f:
                self.obj_data = f.read()
            self.source = None
            events = {}
        else:
            raise BPFError("BPF() needs text=, src_file= or obj=")
        elf = Elf(self.obj_data)
        btf_data = elf.section(".BTF")
        self.btf = Btf(btf_data) if btf_data else None
        self.functions = {n: t for n, t in (self.btf.functions() if self.btf else {}).items()
                          if not n.startswith(rewriter.ANCHOR_PREFIX)}
        if backend is None:
            ensure_redirect()
            backend = Backend()
            backend.quiet(not debug)
        self.backend = backend
        base = backend.load_object(self.obj_data, {}, {})
        self._objects.append(base)
        self._maps = base.maps
        self._make_tables(events)
        atexit.register(self.cleanup)
        self._trace_autoload()

    @staticmethod
    def _kernel_types(src):
        """(the KernelBtf a program that includes kernel headers compiles
        with, the error saying why there is none): without BTF such a
        program compiles as before, which serves those that include a
        kernel header for its macros alone; one that needs the types
        fails, and the exception names the missing BTF."""
        if not rewriter.wants_kernel_types(src):
            return None, None
        try:
            return KernelBtf.get(), None
        except BPFError as e:
            return None, e

    # ---- tables ----------------------------------------------------------------

    def _ctype_or_bytes(self, tid, size):
        if self.btf and tid is not None:
            try:
                return self.btf.ctype(tid)
            except Exception:
                pass
        return ct.c_uint8 * size if size else None

    def _make_tables(self, events):
        specs = self.btf.maps() if self.btf else {}
        for name, info in self._maps.items():
            if name.startswith("."):
                continue            # .rodata, .bss: global data, not tables
            spec = specs.get(name, {})
            Key = self._ctype_or_bytes(spec.get("key"), info["key_size"])
            Leaf = self._ctype_or_bytes(spec.get("value"), info["value_size"])
            t = _table.make_table(self, name, info["fd"], info["type"], Key, Leaf,
                                  info["max_entries"], self.backend)
            if isinstance(t, _table.RingBuf) and name in events and self.btf:
                tid = self.btf.find(events[name], (4,))
                if tid:
                    t.event_type = self.btf.ctype(tid)
            self._tables[name] = t

    def get_table(self, name, keytype=None, leaftype=None, reducer=None):
        name = as_str(name)
        if name not in self._tables:
            raise KeyError(name)
        return self._tables[name]

    def __getitem__(self, name):
        return self.get_table(name)

    def __contains__(self, name):
        return (as_str(name)) in self._tables

    def __iter__(self):
        return iter(self._tables)

    def __len__(self):
        return len(self._tables)

    # ---- programs ----------------------------------------------------------------

    def _prog_type(self, name, wanted):
        return wanted if wanted is not None else self._CTX_TYPES.get(
            self.functions.get(name, ""), self.TRACEPOINT)

    def load_func(self, func_name, prog_type=None, device=None, attach_type=-1):
        """The program func_name loaded as prog_type (loaded once per type)."""
        name = as_str(func_name)
        prog_type = self._prog_type(name, prog_type)
        if (name, prog_type) in self._funcs:
            return self._funcs[(name, prog_type)]
        if self.btf and name not in self.functions:
            raise BPFError("no function %s in the program" % name)
        reuse = {n: m["fd"] for n, m in self._maps.items()}
        obj = self.backend.load_object(self.obj_data, {name: prog_type}, reuse)
        self._objects.append(obj)
        fn = Function(self, name, obj.progs[name])
        self._funcs[(name, prog_type)] = fn
        return fn

    def load_funcs(self, prog_type=KPROBE):
        return [self.load_func(n, prog_type) for n in self.functions]

    def _link(self, key, fd):
        self._links.setdefault(key, []).append(fd)
        return fd

    def _detach(self, key):
        fds = self._links.pop(key, None)
        if not fds:
            raise BPFError("%s %s is not attached" % key)
        for fd in fds:
            os.close(fd)

    # ---- tracing ------------------------------------------------------------------

    @classmethod
    def _ksyms(cls):
        if cls._syms is None:
            cls._syms = KernelSyms()
        return cls._syms

    @staticmethod
    def get_kprobe_functions(event_re):
        event_re = as_str(event_re)
        names = None
        for d in (rewriter.tracefs_dir(), "/sys/kernel/tracing", "/sys/kernel/debug/tracing"):
            try:
                with open(os.path.join(d, "available_filter_functions")) as f:
                    names = [line.split()[0] for line in f if line.strip()]
                break
            except OSError:
                continue
        if names is None:
            names = BPF._ksyms().functions()
        pat = re.compile(event_re)
        out = []
        seen = set()
        for n in names:
            if n not in seen and pat.fullmatch(n) and not n.startswith(("bpfdev_", "__bpfdev")):
                seen.add(n)
                out.append(n.encode())
        return out

    @staticmethod
    def support_kfunc():
        """bcc's tools use fentry/fexit (KFUNC_PROBE) where this is True;
        bpfdev has no such programs, so they take their kprobe paths."""
        return False

    @staticmethod
    def support_lsm():
        return False

    @staticmethod
    def kernel_struct_has_field(struct_name, field_name):
        """1 if the kernel's struct has the member, 0 if not (from the
        kernel's BTF, as bcc); BPFError without BTF."""
        s = as_str(struct_name)
        f = as_str(field_name)
        return 1 if KernelBtf.get().has_field(s, f) else 0

    @staticmethod
    def tracepoint_exists(category, event):
        category = as_str(category)
        event = as_str(event)
        return os.path.isdir(os.path.join(rewriter.tracefs_dir(), "events", category, event))

    @staticmethod
    def get_syscall_prefix():
        return b"__x64_sys_" if BPF._ksyms().address("__x64_sys_getpid") else b"sys_"

    @staticmethod
    def get_syscall_fnname(name):
        name = as_str(name)
        return BPF.get_syscall_prefix() + name.encode()

    @staticmethod
    def ksymname(name):
        a = BPF._ksyms().address(as_str(name))
        return a if a is not None else -1

    def attach_kprobe(self, event=b"", event_off=0, fn_name=b"", event_re=b""):
        if event_re:
            n = 0
            for ev in self.get_kprobe_functions(event_re):
                try:
                    self.attach_kprobe(event=ev, event_off=event_off, fn_name=fn_name)
                    n += 1
                except BPFError:
                    pass
            if not n:
                raise BPFError("no function matching %r could be probed" % event_re)
            return self
        event = as_str(event)
        fn = self.load_func(fn_name, self.KPROBE)
        self._link(("kprobe", event), _attach.kprobe(self.backend, fn.fd, event, event_off))
        return self

    def attach_kretprobe(self, event=b"", fn_name=b"", event_re=b"", maxactive=0):
        if event_re:
            for ev in self.get_kprobe_functions(event_re):
                try:
                    self.attach_kretprobe(event=ev, fn_name=fn_name)
                except BPFError:
                    pass
            return self
        event = as_str(event)
        fn = self.load_func(fn_name, self.KPROBE)
        self._link(("kretprobe", event), _attach.kprobe(self.backend, fn.fd, event, 0, True))
        return self

    def detach_kprobe(self, event, fn_name=None):
        self._detach(("kprobe", as_str(event)))

    def detach_kretprobe(self, event, fn_name=None):
        self._detach(("kretprobe", as_str(event)))

    def attach_tracepoint(self, tp=b"", tp_re=b"", fn_name=b""):
        tp = as_str(tp)
        cat, _, name = tp.partition(":")
        fn = self.load_func(fn_name, self.TRACEPOINT)
        self._link(("tracepoint", tp), _attach.tracepoint(self.backend, fn.fd, cat, name))
        return self

    def detach_tracepoint(self, tp=b""):
        self._detach(("tracepoint", as_str(tp)))

    def attach_raw_tracepoint(self, tp=b"", fn_name=b""):
        tp = as_str(tp)
        fn = self.load_func(fn_name, self.RAW_TRACEPOINT)
        self._link(("raw_tracepoint", tp), _attach.raw_tracepoint(self.backend, fn.fd, tp))
        return self

    def detach_raw_tracepoint(self, tp=b""):
        self._detach(("raw_tracepoint", as_str(tp)))

    @staticmethod
    def find_library(name):
        """A library's path from its short name ("c" is libc), as bcc."""
        name = as_str(name)
        import ctypes.util
        path = ctypes.util.find_library(name)
        if path and not path.startswith("/"):
            for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib"):
                if os.path.exists(os.path.join(d, path)):
                    return os.path.join(d, path)
        return path

    def _uprobe_target(self, name, sym, addr, sym_off):
        name = as_str(name)
        sym = as_str(sym)
        path = name if "/" in name else (self.find_library(name) or name)
        if not os.path.exists(path):
            import shutil
            path = shutil.which(name) or path
        if addr:
            return path, Elf.from_file(path).vaddr_to_offset(addr)
        lookup = getattr(self.backend.lib, "bpfdev_elf_symbol_offset", None) \
            if hasattr(self.backend, "lib") else None
        if lookup is not None:
            lookup.restype = ct.c_longlong
            lookup.argtypes = [ct.c_char_p, ct.c_char_p]
            off = lookup(path.encode(), sym.encode())
            if off < 0:
                raise BPFError("%s: no symbol %s: %s" % (path, sym, os.strerror(-off)))
            return path, off + sym_off
        return path, Elf.from_file(path).symbol_offset(sym) + sym_off

    def attach_uprobe(self, name=b"", sym=b"", sym_re=b"", addr=None, fn_name=b"",
                      pid=-1, sym_off=0):
        path, off = self._uprobe_target(name, sym, addr, sym_off)
        fn = self.load_func(fn_name, self.KPROBE)
        self._link(("uprobe", "%s:%x" % (path, off)),
                   _attach.uprobe(self.backend, fn.fd, path, off, pid))
        return self

    def attach_uretprobe(self, name=b"", sym=b"", sym_re=b"", addr=None, fn_name=b"",
                         pid=-1):
        path, off = self._uprobe_target(name, sym, addr, 0)
        fn = self.load_func(fn_name, self.KPROBE)
        self._link(("uretprobe", "%s:%x" % (path, off)),
                   _attach.uprobe(self.backend, fn.fd, path, off, pid, True))
        return self

    def attach_perf_event(self, ev_type=-1, ev_config=-1, fn_name=b"", sample_period=0,
                          sample_freq=0, pid=-1, cpu=-1, group_fd=-1):
        if pid not in (-1, None):
            raise BPFError("per-process perf events are not supported: sample every CPU")
        fn = self.load_func(fn_name, self.PERF_EVENT)
        freq = bool(sample_freq)
        self._link(("perf_event", "%d:%d" % (ev_type, ev_config)),
                   _attach.perf(self.backend, fn.fd, ev_type, ev_config,
                                sample_freq if freq else sample_period, freq, cpu))
        return self

    def detach_perf_event(self, ev_type=-1, ev_config=-1):
        self._detach(("perf_event", "%d:%d" % (ev_type, ev_config)))

    def _trace_autoload(self):
        for name in self.functions:
            if name.startswith("kprobe__"):
                self.attach_kprobe(event=name[8:], fn_name=name)
            elif name.startswith("kretprobe__"):
                self.attach_kretprobe(event=name[11:], fn_name=name)
            elif name.startswith("tracepoint__"):
                cat, _, ev = name[12:].partition("__")
                self.attach_tracepoint(tp="%s:%s" % (cat, ev), fn_name=name)
            elif name.startswith("raw_tracepoint__"):
                self.attach_raw_tracepoint(tp=name[16:], fn_name=name)

    def num_open_kprobes(self):
        return sum(len(v) for k, v in self._links.items() if k[0] in ("kprobe", "kretprobe"))

    def num_open_tracepoints(self):
        return sum(len(v) for k, v in self._links.items() if k[0] == "tracepoint")

    def num_open_uprobes(self):
        return sum(len(v) for k, v in self._links.items() if k[0] in ("uprobe", "uretprobe"))

    # ---- packets --------------------------------------------------------------------

    def attach_capture(self, dev=None, fn_name=b"", ring_size=0, snaplen=0):
        """A capture socket on dev ("any" or None: every device) with
        fn_name (a socket filter: its return is the bytes to keep) as its
        filter; iterate it or poll() it for packets."""
        fn = self.load_func(fn_name, self.SOCKET_FILTER)
        cap = Capture(self.backend, dev, fn.fd, ring_size=ring_size, snaplen=snaplen)
        self._links.setdefault(("capture", dev or "any"), []).append(cap)
        return cap

    @staticmethod
    def attach_raw_socket(fn, dev):
        """bcc's form: fn.sock becomes the capture socket's fd."""
        cap = fn.bpf.attach_capture(dev=dev, fn_name=fn.name)
        fn.sock = cap.fd
        return cap

    def _attach_action(self, dev, fn_name, egress, prio):
        fn = self.load_func(fn_name, self.SCHED_CLS)
        fd = _attach.action(self.backend, fn.fd, dev, egress, prio)
        self._link(("egress" if egress else "ingress", dev), fd)
        return self

    def attach_ingress(self, dev=b"", fn_name=b"", prio=0):
        dev = as_str(dev)
        return self._attach_action(dev, fn_name, False, prio)

    def attach_egress(self, dev=b"", fn_name=b"", prio=0):
        dev = as_str(dev)
        return self._attach_action(dev, fn_name, True, prio)

    def detach_ingress(self, dev=b""):
        self._detach(("ingress", as_str(dev)))

    def detach_egress(self, dev=b""):
        self._detach(("egress", as_str(dev)))

    # ---- output ----------------------------------------------------------------------

    def _poll_once(self, readers, timeout):
        if len(readers) == 1:
            return readers[0]._poll(timeout)
        p = select.poll()
        for r in readers:
            p.register(self.backend.rb_fd(r._rb), select.POLLIN)
        p.poll(timeout)
        return sum(max(r._consume(), 0) for r in readers)

    def _poll_readers(self, timeout):
        readers = [r for r in self._readers if r._rb]
        if not readers:
            raise BPFError("no ring buffer is open (open_ring_buffer/open_perf_buffer)")
        # Ctrl-C is a flag while libbpf runs our callbacks (interrupt.py);
        # a poll without a limit sleeps in slices to look at it.
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout / 1000
        with interrupt.deferred(self):
            while True:
                left = interrupt.POLL_SLICE_MS if deadline is None else \
                    max(0, min(interrupt.POLL_SLICE_MS, int((deadline - time.monotonic()) * 1000)))
                ret = self._poll_once(readers, left)
                if self._interrupted or ret != 0 or \
                        (deadline is not None and time.monotonic() >= deadline):
                    break
        if ret is not None and ret < 0 and ret != -errno.EINTR:
            raise BPFError("ring buffer poll: %s" % os.strerror(-ret))
        return ret

    def ring_buffer_poll(self, timeout=-1):
        return self._poll_readers(timeout)

    def ring_buffer_consume(self):
        ret = 0
        with interrupt.deferred(self):
            for r in self._readers:
                if r._rb:
                    ret += max(r._consume(), 0)
        return ret

    perf_buffer_poll = ring_buffer_poll
    perf_buffer_consume = ring_buffer_consume

    def trace_open(self, nonblocking=False):
        if self._trace_file is None:
            path = os.environ.get("BPFDEV_TRACE_PIPE", TRACE_PIPE)
            try:
                self._trace_file = open(path, "rb")
            except OSError as e:
                raise BPFError("cannot open %s: %s (is debugfs mounted?)" % (path, e.strerror))
        return self._trace_file

    def trace_readline(self, nonblocking=False):
        return self.trace_open(nonblocking).readline().rstrip(b"\n")

    def trace_fields(self, nonblocking=False):
        """(task, pid, cpu, flags, ts, msg) as bcc; bpfdev's trace_pipe
        carries the message alone, so the others are empty or 0."""
        line = self.trace_readline(nonblocking)
        return (b"", 0, 0, b"", 0.0, line)

    def trace_print(self, fmt=None):
        while True:
            if fmt:
                fields = self.trace_fields()
                print(fmt.format(*[f.decode(errors="replace") if isinstance(f, bytes) else f
                                   for f in fields]), flush=True)
            else:
                print(self.trace_readline().decode(errors="replace"), flush=True)

    # ---- symbols ------------------------------------------------------------------------

    @staticmethod
    def ksym(addr, show_module=False, show_offset=False):
        name, off = BPF._ksyms().lookup(addr)
        if name is None:
            return b"[unknown]"
        s = name + ("+0x%x" % off if show_offset else "")
        if show_module:
            s += " [kernel]"
        return s.encode()

    @staticmethod
    def sym(addr, pid, show_module=False, show_offset=False, demangle=True):
        if pid is None or pid < 0:
            return BPF.ksym(addr, show_module, show_offset)
        name, off, path = ProcessSyms(pid).lookup(addr)
        if name is None:
            s = "[unknown]"
        else:
            s = name + ("+0x%x" % off if show_offset else "")
        if show_module and path:
            s += " [%s]" % os.path.basename(path)
        return s.encode()

    # ---- lifetime --------------------------------------------------------------------------

    def cleanup(self):
        if self._closed:
            return
        self._closed = True
        for r in self._readers:
            r.close()
        for key, items in list(self._links.items()):
            for it in items:
                if isinstance(it, Capture):
                    it.close()
                else:
                    try:
                        os.close(it)
                    except OSError:
                        pass
        self._links.clear()
        for obj in self._objects:
            obj.close()
        self._objects = []
        if self._trace_file:
            self._trace_file.close()
            self._trace_file = None

    close = cleanup

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
