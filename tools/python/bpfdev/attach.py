# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Attaching programs: each call returns a link fd (closing it detaches).

Tracing goes through libbpfdev's tracing API (bpfdev_kprobe_attach() ...)
when the library has it, else through the uapi's ioctls on the device fd
(uapi/linux/bpfdev.h, "Tracing"); action programs through
BPFDEV_IOC_ACT_ATTACH, which libbpfdev does not wrap.
"""

import ctypes as ct
import fcntl
import os
import socket

from .libbpfdev import BPFError

BPFDEV_IOC_MAGIC = ord("B")
BPF_RAW_TRACEPOINT_OPEN = 17
BPFDEV_PROBE_F_RETURN = 1
BPFDEV_PERF_F_FREQ = 1
BPFDEV_ACT_INGRESS, BPFDEV_ACT_EGRESS = 0, 1


def _iow(nr, size):
    return (1 << 30) | (size << 16) | (BPFDEV_IOC_MAGIC << 8) | nr


class KprobeAttach(ct.Structure):
    _fields_ = [("prog_fd", ct.c_uint32), ("flags", ct.c_uint32), ("func", ct.c_uint64),
                ("offset", ct.c_uint64), ("maxactive", ct.c_uint32), ("pad", ct.c_uint32)]


class UprobeAttach(ct.Structure):
    _fields_ = [("prog_fd", ct.c_uint32), ("flags", ct.c_uint32), ("path", ct.c_uint64),
                ("offset", ct.c_uint64), ("pid", ct.c_int32), ("pad", ct.c_uint32)]


class TpAttach(ct.Structure):
    _fields_ = [("prog_fd", ct.c_uint32), ("flags", ct.c_uint32),
                ("category", ct.c_uint64), ("name", ct.c_uint64)]


class PerfAttach(ct.Structure):
    _fields_ = [("prog_fd", ct.c_uint32), ("flags", ct.c_uint32), ("type", ct.c_uint32),
                ("config", ct.c_uint32), ("sample", ct.c_uint64), ("cpu", ct.c_int32),
                ("pad", ct.c_uint32)]


class ActAttach(ct.Structure):
    _fields_ = [("prog_fd", ct.c_uint32), ("ifindex", ct.c_uint32), ("dir", ct.c_uint32),
                ("prio", ct.c_uint32), ("flags", ct.c_uint32), ("pad", ct.c_uint32)]


IOC_KPROBE_ATTACH = _iow(0x70, ct.sizeof(KprobeAttach))
IOC_UPROBE_ATTACH = _iow(0x71, ct.sizeof(UprobeAttach))
IOC_TP_ATTACH = _iow(0x72, ct.sizeof(TpAttach))
IOC_PERF_ATTACH = _iow(0x73, ct.sizeof(PerfAttach))
IOC_ACT_ATTACH = _iow(0x60, ct.sizeof(ActAttach))


def _ptr(buf):
    return ct.cast(buf, ct.c_void_p).value


def _ioctl(backend, req, arg, what):
    fd = backend.device_fd()
    if fd < 0:
        raise BPFError("%s: cannot open /dev/bpf: %s" % (what, os.strerror(-fd)))
    try:
        return fcntl.ioctl(fd, req, arg)
    except OSError as e:
        raise BPFError("%s: %s" % (what, e.strerror))


def _lib_call(fn, what, *args):
    ret = fn(*args)
    if ret < 0:
        err = -ret if ret != -1 else ct.get_errno()
        raise BPFError("%s: %s" % (what, os.strerror(err)))
    return ret


def kprobe(backend, prog_fd, func, offset=0, retprobe=False):
    what = "%s %s" % ("kretprobe" if retprobe else "kprobe", func)
    if backend.kprobe_attach:
        return _lib_call(backend.kprobe_attach, what, prog_fd, func.encode(), offset, retprobe)
    name = ct.create_string_buffer(func.encode())
    a = KprobeAttach(prog_fd=prog_fd, flags=BPFDEV_PROBE_F_RETURN if retprobe else 0,
                     func=_ptr(name), offset=offset)
    return _ioctl(backend, IOC_KPROBE_ATTACH, a, what)


def uprobe(backend, prog_fd, path, offset, pid=-1, retprobe=False):
    what = "%s %s+0x%x" % ("uretprobe" if retprobe else "uprobe", path, offset)
    if backend.uprobe_attach:
        return _lib_call(backend.uprobe_attach, what, prog_fd, path.encode(), offset,
                         pid, retprobe)
    p = ct.create_string_buffer(path.encode())
    a = UprobeAttach(prog_fd=prog_fd, flags=BPFDEV_PROBE_F_RETURN if retprobe else 0,
                     path=_ptr(p), offset=offset, pid=pid)
    return _ioctl(backend, IOC_UPROBE_ATTACH, a, what)


def tracepoint(backend, prog_fd, category, name):
    what = "tracepoint %s:%s" % (category, name)
    if backend.tracepoint_attach:
        return _lib_call(backend.tracepoint_attach, what, prog_fd, category.encode(),
                         name.encode())
    c = ct.create_string_buffer(category.encode())
    n = ct.create_string_buffer(name.encode())
    a = TpAttach(prog_fd=prog_fd, category=_ptr(c), name=_ptr(n))
    return _ioctl(backend, IOC_TP_ATTACH, a, what)


def raw_tracepoint(backend, prog_fd, name):
    what = "raw tracepoint %s" % name
    if backend.raw_tracepoint_open:
        return _lib_call(backend.raw_tracepoint_open, what, prog_fd, name.encode())
    n = ct.create_string_buffer(name.encode())
    attr = (ct.c_uint64 * 2)(_ptr(n), prog_fd)
    return _lib_call(backend.sys_bpf, what, BPF_RAW_TRACEPOINT_OPEN, ct.byref(attr), 16)


def perf(backend, prog_fd, ev_type, ev_config, sample, freq=False, cpu=-1):
    what = "perf event %d/%d" % (ev_type, ev_config)
    if backend.perf_attach:
        return _lib_call(backend.perf_attach, what, prog_fd, ev_type, ev_config, sample,
                         freq, cpu)
    a = PerfAttach(prog_fd=prog_fd, flags=BPFDEV_PERF_F_FREQ if freq else 0, type=ev_type,
                   config=ev_config, sample=sample, cpu=cpu)
    return _ioctl(backend, IOC_PERF_ATTACH, a, what)


def action(backend, prog_fd, dev, egress=False, prio=0):
    what = "%s action on %s" % ("egress" if egress else "ingress", dev)
    try:
        ifindex = socket.if_nametoindex(dev)
    except OSError as e:
        raise BPFError("%s: %s" % (what, e.strerror))
    a = ActAttach(prog_fd=prog_fd, ifindex=ifindex,
                  dir=BPFDEV_ACT_EGRESS if egress else BPFDEV_ACT_INGRESS, prio=prio)
    return _ioctl(backend, IOC_ACT_ATTACH, a, what)
