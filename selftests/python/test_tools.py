# SPDX-License-Identifier: GPL-2.0
"""Each tracing tool of tools/bcc run to its main loop over the mock
backend, with 6.1's tracepoint formats (tracefs_fixture): its C compiles
with the options that change it, every program loads with the type its
attach needs, and the attaches are the ones the tool stands for.  The
first poll or sleep is a Ctrl-C, which each tool must take as bcc's do
(a clean exit).  The packet tools need the device: t_70_python runs them."""

import os
import runpy
import sys
import time

import pytest

import bpfdev
from mock_backend import MockBackend
from tracefs_fixture import make_tracefs

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "bcc")
TP = bpfdev.BPF.TRACEPOINT


def run_tool(name, argv, monkeypatch, tmp_path):
    make_tracefs(tmp_path)
    monkeypatch.setenv("BPFDEV_TRACEFS", str(tmp_path))
    backend = MockBackend()
    made = []
    init = bpfdev.BPF.__init__

    def with_mock(self, *a, **kw):
        kw["backend"] = backend
        init(self, *a, **kw)
        made.append(self)
    monkeypatch.setattr(bpfdev.BPF, "__init__", with_mock)

    def ctrl_c(_secs=0):
        raise KeyboardInterrupt
    monkeypatch.setattr(time, "sleep", ctrl_c)
    monkeypatch.setattr(sys, "argv", [name] + list(argv))
    try:
        runpy.run_path(os.path.join(TOOLS, name), run_name="__main__")
    except SystemExit as e:
        assert e.code in (None, 0), "%s exited with %r" % (name, e.code)
    for b in made:
        b.cleanup()
    return backend


def loaded(backend):
    """{program: type} over every load of the run."""
    out = {}
    for progs, _ in backend.loads:
        out.update(progs)
    return out


def tracepoints(*names):
    return sorted(("tracepoint",) + tuple(n.split(":")) for n in names)


CASES = [
    ("execsnoop", [], tracepoints("sched:sched_process_fork", "syscalls:sys_enter_execve",
                                  "syscalls:sys_exit_execve")),
    ("execsnoop", ["-x", "-T", "-U", "-u", "0", "-P", "1", "--max-args", "5"],
     tracepoints("sched:sched_process_fork", "syscalls:sys_enter_execve",
                 "syscalls:sys_exit_execve")),
    ("opensnoop", [], tracepoints("syscalls:sys_enter_open", "syscalls:sys_exit_open",
                                  "syscalls:sys_enter_openat", "syscalls:sys_exit_openat")),
    ("opensnoop", ["-T", "-U", "-e", "-p", "1", "-f", "O_WRONLY", "-f", "O_RDWR"],
     tracepoints("syscalls:sys_enter_open", "syscalls:sys_exit_open",
                 "syscalls:sys_enter_openat", "syscalls:sys_exit_openat")),
    ("tcpconnect", ["-L", "-U", "-t"], tracepoints("sock:inet_sock_set_state")),
    ("tcpconnect", ["-c", "-4", "-P", "80,443"], tracepoints("sock:inet_sock_set_state")),
    ("syscount", [], tracepoints("raw_syscalls:sys_exit")),
    ("syscount", ["-L", "-m", "-P", "-x", "-p", "1", "-T", "5"],
     tracepoints("raw_syscalls:sys_enter", "raw_syscalls:sys_exit")),
    ("syscount", ["-e", "ENOENT", "--syscall", "openat", "-L"],
     tracepoints("raw_syscalls:sys_enter", "raw_syscalls:sys_exit")),
    ("runqlat", [], tracepoints("sched:sched_wakeup", "sched:sched_wakeup_new",
                                "sched:sched_switch")),
    ("runqlat", ["-mT", "-L", "-p", "1", "1", "3"],
     tracepoints("sched:sched_wakeup", "sched:sched_wakeup_new", "sched:sched_switch")),
    ("funccount", ["vfs_read*"], [("kprobe", "vfs_read", 0), ("kprobe", "vfs_readv", 0)]),
    ("funccount", ["-r", "-Ti", "1", "^vfs_(open|write)$"],
     [("kprobe", "vfs_open", 0), ("kprobe", "vfs_write", 0)]),
    ("funccount", ["do_sys_openat2"], [("kprobe", "do_sys_openat2", 0)]),
    ("funccount", ["t:sched:sched_wakeup*"],
     tracepoints("sched:sched_wakeup", "sched:sched_wakeup_new")),
    ("funccount", ["sched:sched_switch"], tracepoints("sched:sched_switch")),
    ("biolatency", [], tracepoints("block:block_rq_issue", "block:block_rq_complete")),
    ("biolatency", ["-mT", "-D", "-Q", "1", "2"],
     tracepoints("block:block_rq_insert", "block:block_rq_complete")),
    ("profile", [], [("perf", 1, 0, 49, True, -1)]),
    ("profile", ["-F", "99", "-C", "1", "-f", "-p", "1", "-d", "-a"],
     [("perf", 1, 0, 99, True, 1)]),
    ("profile", ["-c", "100000", "-K", "-I", "3"], [("perf", 1, 0, 100000, False, -1)]),
]


@pytest.mark.parametrize("tool,argv,attached", CASES,
                         ids=["%s %s" % (c[0], " ".join(c[1])) for c in CASES])
def test_tool_loads_and_attaches(tool, argv, attached, monkeypatch, tmp_path, capsys):
    backend = run_tool(tool, argv, monkeypatch, tmp_path)
    assert sorted(backend.attached) == attached
    progs = loaded(backend)
    if tool == "profile":
        assert progs == {"do_perf_event": bpfdev.BPF.PERF_EVENT}
    elif tool != "funccount":
        want = {"tracepoint__%s__%s" % (a[1], a[2]): TP
                for a in attached if a[0] == "tracepoint"}
        assert {k: v for k, v in progs.items() if k in want} == want
    else:
        # One counting program per match, of the type its attach takes.
        kind = TP if attached[0][0] == "tracepoint" else bpfdev.BPF.KPROBE
        assert progs == {"trace_count_%d" % i: kind for i in range(len(attached))}
    out = capsys.readouterr().out
    assert out.strip() or "-f" in argv, "%s printed no header" % tool
