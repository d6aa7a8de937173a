# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Capture sockets with an eBPF filter: BPF.attach_capture()'s result.

Each packet the filter keeps arrives as a Packet: the record header of
uapi/linux/bpfdev.h (struct bpfdev_cap_hdr) and the bytes kept (from the
link-layer header; "any" records start at the network header).
"""

import ctypes as ct
import os

from .libbpfdev import BPFError

DIR_IN, DIR_OUT = 1, 2


class CapHdr(ct.Structure):
    _fields_ = [("rec_len", ct.c_uint32), ("caplen", ct.c_uint32),
                ("tstamp_ns", ct.c_uint64), ("wirelen", ct.c_uint32),
                ("ifindex", ct.c_uint32), ("protocol", ct.c_uint16),
                ("hatype", ct.c_uint16), ("direction", ct.c_uint8),
                ("pkt_type", ct.c_uint8), ("flags", ct.c_uint8), ("halen", ct.c_uint8),
                ("vlan_tci", ct.c_uint16), ("vlan_proto", ct.c_uint16),
                ("net_off", ct.c_uint16), ("hdr_len", ct.c_uint16),
                ("addr", ct.c_uint8 * 8)]


class CapRec(ct.Structure):
    _fields_ = [("hdr", ct.POINTER(CapHdr)), ("data", ct.c_void_p), ("caplen", ct.c_uint32)]


class CapStats(ct.Structure):
    _fields_ = [("seen", ct.c_uint64), ("accepted", ct.c_uint64),
                ("delivered", ct.c_uint64), ("dropped", ct.c_uint64)]


class CaptureOpts(ct.Structure):
    _fields_ = [("sz", ct.c_size_t), ("ring_size", ct.c_uint32), ("snaplen", ct.c_uint32),
                ("direction", ct.c_uint32), ("promisc", ct.c_uint32), ("tstamp", ct.c_uint32),
                ("wakeup_count", ct.c_uint32), ("wakeup_timeout_ms", ct.c_uint32)]


CAPTURE_FN = ct.CFUNCTYPE(ct.c_int, ct.c_void_p, ct.POINTER(CapRec))


class Packet:
    __slots__ = ("tstamp_ns", "wirelen", "ifindex", "protocol", "direction",
                 "pkt_type", "vlan_tci", "net_off", "data")

    def __init__(self, hdr, data):
        self.tstamp_ns = hdr.tstamp_ns
        self.wirelen = hdr.wirelen
        self.ifindex = hdr.ifindex
        self.protocol = ((hdr.protocol & 0xff) << 8) | (hdr.protocol >> 8)
        self.direction = hdr.direction
        self.pkt_type = hdr.pkt_type
        self.vlan_tci = hdr.vlan_tci
        self.net_off = hdr.net_off
        self.data = data

    @property
    def network(self):
        """The bytes from the network header on."""
        return self.data[self.net_off:]


class Capture:
    def __init__(self, backend, dev, prog_fd, ring_size=0, snaplen=0):
        self.backend = backend
        opts = CaptureOpts(sz=ct.sizeof(CaptureOpts), ring_size=ring_size, snaplen=snaplen)
        self.handle = backend.cap_open(ct.byref(opts))
        if not self.handle:
            raise BPFError("cannot open a capture socket: %s" % os.strerror(ct.get_errno()))
        try:
            self._check(backend.cap_bind(self.handle, dev.encode() if dev else None),
                        "bind to %s" % (dev or "any"))
            self._check(backend.cap_set_prog(self.handle, prog_fd), "set the filter")
        except BPFError:
            self.close()
            raise
        self.fd = backend.cap_fd(self.handle)
        self._pending = []
        self._cb = CAPTURE_FN(self._collect)

    def _check(self, ret, what):
        if ret < 0:
            raise BPFError("capture: %s: %s" % (what, os.strerror(-ret)))

    def _collect(self, _ctx, rec):
        r = rec.contents
        self._pending.append(Packet(r.hdr.contents, ct.string_at(r.data, r.caplen)))
        return 0

    def poll(self, timeout_ms=-1):
        """The packets that arrived within timeout_ms (-1: wait for some)."""
        self._pending = []
        ret = self.backend.cap_poll(self.handle, timeout_ms, ct.cast(self._cb, ct.c_void_p), None)
        if ret < 0 and ret != -4:
            self._check(ret, "poll")
        out, self._pending = self._pending, []
        return out

    def __iter__(self):
        while self.handle:
            for pkt in self.poll(-1):
                yield pkt

    def stats(self):
        st = CapStats()
        self._check(self.backend.cap_stats(self.handle, ct.byref(st)), "stats")
        return {f: getattr(st, f) for f, _ in CapStats._fields_}

    def close(self):
        if self.handle:
            self.backend.cap_close(self.handle)
            self.handle = None
