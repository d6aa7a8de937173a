# SPDX-License-Identifier: GPL-2.0
"""A backend without the device: maps are dicts, programs are numbers.

It has the methods of bpfdev.libbpfdev.Backend that BPF() and the tables
call (load_object, map_lookup/update/delete/next_key), and reads the maps
of an object from its BTF as libbpf does, so BPF(), the tables and the
histogram printing run their real code over it.
"""

import ctypes as ct
import errno
import itertools
import os

from bpfdev.btf import Btf
from bpfdev.elf import Elf
from bpfdev.table import possible_cpus, MAP_ARRAY, MAP_PERCPU_ARRAY, MAP_PERCPU_HASH, \
    MAP_LRU_PERCPU_HASH

BPF_NOEXIST, BPF_EXIST = 1, 2


class MockObject:
    def __init__(self):
        self.maps = {}
        self.progs = {}
        self.closed = False

    def close(self):
        self.closed = True


class MockBackend:
    def __init__(self):
        self._fds = itertools.count(100)
        self.store = {}              # fd -> {key bytes: value bytes}
        self.meta = {}               # fd -> map info
        self.loads = []              # (programs, reused maps) of each load
        self.attached = []

    # The tracing API: each attach is recorded and gets an fd of its own
    # (the BPF object closes it at cleanup, as it closes a link).
    def _attach(self, *what):
        self.attached.append(what)
        return os.open("/dev/null", os.O_RDONLY)

    def kprobe_attach(self, prog_fd, func, offset, retprobe):
        return self._attach("kretprobe" if retprobe else "kprobe", func.decode(), offset)

    def uprobe_attach(self, prog_fd, path, offset, pid, retprobe):
        return self._attach("uretprobe" if retprobe else "uprobe", path.decode(), offset, pid)

    def tracepoint_attach(self, prog_fd, cat, name):
        return self._attach("tracepoint", cat.decode(), name.decode())

    def raw_tracepoint_open(self, prog_fd, name):
        return self._attach("raw_tracepoint", name.decode())

    def perf_attach(self, prog_fd, ev_type, config, sample, freq, cpu):
        return self._attach("perf", ev_type, config, sample, freq, cpu)

    # Ring buffers: no samples; a poll is the user's Ctrl-C (on_poll), so
    # that a tool's main loop ends as it does at a real one.
    def rb_new(self, map_fd, cb, ctx):
        self.rings = getattr(self, "rings", 0) + 1
        return self.rings

    def rb_poll(self, rb, timeout):
        return self.on_poll()

    def on_poll(self):
        raise KeyboardInterrupt

    def rb_consume(self, rb):
        return 0

    def rb_fd(self, rb):
        return -1

    def rb_free(self, rb):
        pass

    def load_object(self, data, progs, reuse):
        self.loads.append((dict(progs), dict(reuse)))
        btf = Btf(Elf(data).section(".BTF"))
        obj = MockObject()
        for name, spec in btf.maps().items():
            if name in reuse:
                fd = reuse[name]
            else:
                fd = next(self._fds)
                mtype = spec["type"]
                ks = btf.size_of(spec["key"]) if "key" in spec else 0
                vs = btf.size_of(spec["value"]) if "value" in spec else 0
                if mtype in (MAP_PERCPU_ARRAY, MAP_PERCPU_HASH, MAP_LRU_PERCPU_HASH):
                    vs = (vs + 7) // 8 * 8 * possible_cpus()
                self.meta[fd] = {"fd": fd, "type": mtype, "key_size": ks, "value_size": vs,
                                 "max_entries": spec.get("max_entries", 0)}
                self.store[fd] = {}
                if mtype in (MAP_ARRAY, MAP_PERCPU_ARRAY):
                    for i in range(spec["max_entries"]):
                        self.store[fd][i.to_bytes(4, "little")] = bytes(vs)
            obj.maps[name] = self.meta[fd]
        for name in progs:
            obj.progs[name] = next(self._fds)
        return obj

    def map_lookup(self, fd, key, value):
        v = self.store[fd].get(bytes(key))
        if v is None:
            return -errno.ENOENT
        ct.memmove(ct.addressof(value), v, len(v))
        return 0

    def map_update(self, fd, key, value, flags=0):
        k = bytes(key)
        m = self.store[fd]
        if self.meta[fd]["type"] in (MAP_ARRAY, MAP_PERCPU_ARRAY) and k not in m:
            return -errno.E2BIG
        if flags == BPF_NOEXIST and k in m:
            return -errno.EEXIST
        if flags == BPF_EXIST and k not in m:
            return -errno.ENOENT
        if k not in m and len(m) >= self.meta[fd]["max_entries"]:
            return -errno.E2BIG
        m[k] = bytes(value)
        return 0

    def map_delete(self, fd, key):
        if self.meta[fd]["type"] in (MAP_ARRAY, MAP_PERCPU_ARRAY):
            return -errno.EINVAL
        return 0 if self.store[fd].pop(bytes(key), None) is not None else -errno.ENOENT

    def map_next_key(self, fd, key, next_key):
        keys = list(self.store[fd])
        i = 0 if key is None else (keys.index(bytes(key)) + 1 if bytes(key) in keys else 0)
        if i >= len(keys):
            return -errno.ENOENT
        ct.memmove(ct.addressof(next_key), keys[i], len(keys[i]))
        return 0
