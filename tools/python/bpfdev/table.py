# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Tables: a program's maps as dict-like objects, shaped as bcc's.

Keys and values are the ctypes types the object's BTF gives (Key, Leaf);
plain ints and bytes are accepted where the type is a scalar or an array.
Every access goes through a backend (libbpfdev.Backend, or the tests'
mock) by fd.
"""

import ctypes as ct
import errno
import os
from collections.abc import MutableMapping

from . import hist
from .libbpfdev import BPFError

BPF_ANY, BPF_NOEXIST, BPF_EXIST = 0, 1, 2

(MAP_HASH, MAP_ARRAY, MAP_PROG_ARRAY, MAP_PERF_EVENT_ARRAY, MAP_PERCPU_HASH,
 MAP_PERCPU_ARRAY, MAP_STACK_TRACE, MAP_CGROUP_ARRAY, MAP_LRU_HASH,
 MAP_LRU_PERCPU_HASH, MAP_LPM_TRIE) = range(1, 12)
MAP_RINGBUF = 27


def possible_cpus():
    """The count of possible CPUs (/sys/devices/system/cpu/possible)."""
    try:
        with open("/sys/devices/system/cpu/possible") as f:
            text = f.read().strip()
    except OSError:
        return os.cpu_count() or 1
    n = 0
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        n += int(hi or lo) - int(lo) + 1
    return n


def _to_ctype(cls, v):
    if isinstance(v, cls):
        return v
    if isinstance(v, ct._SimpleCData) and issubclass(cls, ct._SimpleCData):
        return cls(v.value)
    if isinstance(v, (bytes, bytearray)) and ct.sizeof(cls) >= len(v):
        obj = cls()
        ct.memmove(ct.addressof(obj), bytes(v), len(v))
        return obj
    if isinstance(v, (list, tuple)) and issubclass(cls, ct.Array):
        return cls(*v)
    return cls(v)


class TableBase(MutableMapping):
    def __init__(self, bpf, name, fd, map_type, Key, Leaf, max_entries, backend):
        self.bpf = bpf
        self.name = name
        self.map_fd = fd
        self.map_type = map_type
        self.Key = Key
        self.Leaf = Leaf
        self.max_entries = max_entries
        self.backend = backend

    # ---- the four calls ------------------------------------------------------

    def _lookup(self, key):
        key = _to_ctype(self.Key, key)
        leaf = self.Leaf()
        if self.backend.map_lookup(self.map_fd, key, leaf) < 0:
            raise KeyError(key)
        return leaf

    def __getitem__(self, key):
        return self._lookup(key)

    def __setitem__(self, key, leaf):
        ret = self.backend.map_update(self.map_fd, _to_ctype(self.Key, key),
                                      _to_ctype(self.Leaf, leaf), BPF_ANY)
        if ret < 0:
            raise BPFError("%s: could not set map element: %s" % (self.name, os.strerror(-ret)))

    def __delitem__(self, key):
        if self.backend.map_delete(self.map_fd, _to_ctype(self.Key, key)) < 0:
            raise KeyError(key)

    def next(self, key):
        nk = self.Key()
        if self.backend.map_next_key(self.map_fd, key, nk) < 0:
            raise StopIteration()
        return nk

    def __iter__(self):
        key = None
        while True:
            try:
                key = self.next(key)
            except StopIteration:
                return
            yield key

    def __len__(self):
        return sum(1 for _ in self)

    # ---- bcc's extras --------------------------------------------------------

    def keys(self):
        return list(iter(self))

    def items(self):
        out = []
        for k in self.keys():
            try:
                out.append((k, self[k]))
            except KeyError:
                pass               # deleted since the walk saw it
        return out

    def values(self):
        return [v for _, v in self.items()]

    def clear(self):
        for k in self.keys():
            try:
                del self[k]
            except KeyError:
                pass

    def zero(self):
        for k in self.keys():
            self[k] = self.Leaf()

    def items_lookup_and_delete_batch(self):
        for k, v in self.items():
            self.pop(k, None)
            yield k, v

    def get_fd(self):
        return self.map_fd

    def print_log2_hist(self, val_type="value", section_header="Bucket ptr",
                        section_print_fn=None, bucket_fn=None,
                        strip_leading_zero=None, bucket_sort_fn=None):
        hist.print_table_hist(self, hist.format_log2, val_type, section_header,
                              section_print_fn, bucket_fn, strip_leading_zero,
                              bucket_sort_fn, print)

    def print_json_hist(self, val_type="value", section_header="Bucket ptr",
                        section_print_fn=None, bucket_fn=None, bucket_sort_fn=None):
        hist.print_table_json(self, val_type, section_header, section_print_fn,
                              bucket_fn, bucket_sort_fn, print)

    def print_linear_hist(self, val_type="value", section_header="Bucket ptr",
                          section_print_fn=None, bucket_fn=None,
                          strip_leading_zero=None, bucket_sort_fn=None):
        hist.print_table_hist(self, hist.format_linear, val_type, section_header,
                              section_print_fn, bucket_fn, strip_leading_zero,
                              bucket_sort_fn, print)


class HashTable(TableBase):
    pass


class LruHash(HashTable):
    pass


class Array(TableBase):
    """Every index exists: deleting zeroes, iteration gives all of them."""

    def __len__(self):
        return self.max_entries

    def __delitem__(self, key):
        self[key] = self.Leaf()

    def __iter__(self):
        for i in range(self.max_entries):
            yield self.Key(i)

    def clear(self):
        self.zero()


class PerCpuMixin:
    """Values are one Leaf per possible CPU (each padded to 8 bytes, as the
    kernel lays them out); sum/max/average fold them."""

    def _setup_percpu(self):
        self.total_cpu = possible_cpus()
        self.sLeaf = self.Leaf
        stride = (ct.sizeof(self.sLeaf) + 7) // 8 * 8
        self._stride = stride
        self.Leaf = ct.c_uint8 * (stride * self.total_cpu)

    def getvalue(self, key):
        raw = TableBase._lookup(self, key)
        out = (self.sLeaf * self.total_cpu)()
        for i in range(self.total_cpu):
            ct.memmove(ct.byref(out, i * ct.sizeof(self.sLeaf)),
                       ct.byref(raw, i * self._stride), ct.sizeof(self.sLeaf))
        return out

    def __getitem__(self, key):
        return self.getvalue(key)

    def __setitem__(self, key, leaf):
        raw = self.Leaf()
        vals = list(leaf) if not isinstance(leaf, self.sLeaf) else [leaf] * self.total_cpu
        for i, v in enumerate(vals[:self.total_cpu]):
            v = _to_ctype(self.sLeaf, v)
            ct.memmove(ct.byref(raw, i * self._stride), ct.byref(v), ct.sizeof(self.sLeaf))
        TableBase.__setitem__(self, key, raw)

    def sum(self, key):
        return self.sLeaf(sum(v.value if hasattr(v, "value") else v for v in self.getvalue(key)))

    def max(self, key):
        return self.sLeaf(max(v.value if hasattr(v, "value") else v for v in self.getvalue(key)))

    def average(self, key):
        return self.sum(key).value / self.total_cpu


class PerCpuHash(PerCpuMixin, HashTable):
    def __init__(self, *a, **kw):
        HashTable.__init__(self, *a, **kw)
        self._setup_percpu()


class PerCpuArray(PerCpuMixin, Array):
    def __init__(self, *a, **kw):
        Array.__init__(self, *a, **kw)
        self._setup_percpu()


class StackTrace(TableBase):
    MAX_DEPTH = 127

    def walk(self, stack_id):
        """The addresses of a stack, innermost first."""
        try:
            stack = self[stack_id]
        except KeyError:
            return
        for addr in stack:
            if not addr:
                break
            yield addr


class ProgArray(Array):
    def __setitem__(self, key, leaf):
        if hasattr(leaf, "fd"):
            leaf = leaf.fd
        TableBase.__setitem__(self, key, ct.c_uint32(leaf))


class RingBuf(TableBase):
    """BPF_RINGBUF_OUTPUT and BPF_PERF_OUTPUT (a ring buffer in bpfdev)."""

    def __init__(self, *a, **kw):
        TableBase.__init__(self, *a, **kw)
        self._rb = None
        self._cb = None
        self.event_type = None

    def _open(self, fn):
        if self._rb:
            raise BPFError("%s: a reader is open already" % self.name)
        CB = ct.CFUNCTYPE(ct.c_int, ct.c_void_p, ct.c_void_p, ct.c_size_t)

        def tramp(_ctx, data, size):
            try:
                ret = fn(data, size)
            except KeyboardInterrupt:
                self.bpf._interrupted = True
                return -errno.EINTR
            return ret if isinstance(ret, int) else 0
        self._cb = CB(tramp)
        rb = self.backend.rb_new(self.map_fd, ct.cast(self._cb, ct.c_void_p), None)
        if not rb:
            raise BPFError("%s: cannot open the ring buffer: %s" %
                           (self.name, os.strerror(ct.get_errno())))
        self._rb = rb
        self.bpf._readers.append(self)

    def open_ring_buffer(self, callback, ctx=None):
        """callback(ctx, data, size) for each sample, as bcc."""
        self._open(lambda data, size: callback(ctx, data, size))

    def open_perf_buffer(self, callback, page_cnt=8, lost_cb=None, wakeup_events=1):
        """callback(cpu, data, size), as bcc (cpu is 0: one ring for all)."""
        self._open(lambda data, size: callback(0, data, size))

    def event(self, data):
        """The sample at data as the struct the program submits (its ctypes
        type from BTF: see BPF._event_type)."""
        if self.event_type is None:
            raise BPFError("%s: the event's struct is unknown; cast data yourself" % self.name)
        return ct.cast(data, ct.POINTER(self.event_type)).contents

    def _poll(self, timeout):
        return self.backend.rb_poll(self._rb, timeout)

    def _consume(self):
        return self.backend.rb_consume(self._rb)

    def close(self):
        if self._rb:
            self.backend.rb_free(self._rb)
            self._rb = None

    def __iter__(self):
        return iter(())


TABLE_CLASSES = {MAP_HASH: HashTable, MAP_ARRAY: Array, MAP_PROG_ARRAY: ProgArray,
                 MAP_PERCPU_HASH: PerCpuHash, MAP_PERCPU_ARRAY: PerCpuArray,
                 MAP_STACK_TRACE: StackTrace, MAP_LRU_HASH: LruHash,
                 MAP_LRU_PERCPU_HASH: PerCpuHash, MAP_LPM_TRIE: HashTable,
                 MAP_RINGBUF: RingBuf}


def make_table(bpf, name, fd, map_type, Key, Leaf, max_entries, backend):
    cls = TABLE_CLASSES.get(map_type, TableBase)
    return cls(bpf, name, fd, map_type, Key, Leaf, max_entries, backend)
