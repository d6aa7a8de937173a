# SPDX-License-Identifier: GPL-2.0
"""Ctrl-C during a ring buffer poll ends the poll with KeyboardInterrupt,
also when it arrives while libbpf runs (bpfdev/interrupt.py).

The backend's poll is C here, as libbpf's is: a small helper raises
SIGINT and then calls the ctypes callback, so Python meets the signal at
the callback's first line, where t_70 met it under TCG."""

import ctypes as ct
import signal
import subprocess

import pytest

from bpfdev import BPF, interrupt
from mock_backend import MockBackend

HELPER = r"""
#include <signal.h>
#include <stddef.h>

typedef int (*sample_fn)(void *ctx, void *data, size_t size);

/* A sample after a SIGINT that came while the poll ran. */
int signal_then_sample(sample_fn fn)
{
	static char data[8];

	raise(SIGINT);
	return fn(NULL, data, sizeof(data)) < 0 ? -4 : 1;
}

/* A SIGINT just before the poll slept: no sample, the time ran out. */
int signal_then_nothing(void)
{
	raise(SIGINT);
	return 0;
}
"""

PROG = """
BPF_PERF_OUTPUT(events);
int f(struct pt_regs *ctx) { u32 x = 1; events.perf_submit(ctx, &x, sizeof(x)); return 0; }
"""


@pytest.fixture(scope="module")
def helper(tmp_path_factory):
    d = tmp_path_factory.mktemp("helper")
    src, so = d / "helper.c", d / "helper.so"
    src.write_text(HELPER)
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    lib = ct.CDLL(str(so))
    lib.signal_then_sample.argtypes = [ct.c_void_p]
    return lib


class CPollBackend(MockBackend):
    """Each poll is the C helper (given the callback libbpf would get)."""

    def __init__(self, helper, what):
        MockBackend.__init__(self)
        self.helper, self.what, self.timeouts = helper, what, []

    def rb_new(self, map_fd, cb, ctx):
        self.cb = cb
        return 1

    def rb_poll(self, rb, timeout):
        self.timeouts.append(timeout)
        if len(self.timeouts) > 1:
            return 0            # the slices after the first: nothing
        if self.what == "sample":
            return self.helper.signal_then_sample(self.cb)
        return self.helper.signal_then_nothing()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BPFDEV_CACHE_DIR", str(tmp_path / "cache"))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigint_while_libbpf_runs_the_callback(helper):
    b = BPF(text=PROG, backend=CPollBackend(helper, "sample"))
    seen = []
    b["events"].open_perf_buffer(lambda cpu, data, size: seen.append(size))
    with pytest.raises(KeyboardInterrupt):
        b.perf_buffer_poll()
    # The sample is not lost, the poll stops, SIGINT is Python's again.
    assert seen == [8]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    b.cleanup()


def test_sigint_before_an_unbounded_poll_sleeps(helper):
    backend = CPollBackend(helper, "nothing")
    b = BPF(text=PROG, backend=backend)
    b["events"].open_perf_buffer(lambda cpu, data, size: None)
    with pytest.raises(KeyboardInterrupt):
        b.perf_buffer_poll()
    # No poll of the backend sleeps without a limit.
    assert backend.timeouts and all(0 <= t <= interrupt.POLL_SLICE_MS for t in backend.timeouts)
    b.cleanup()


def test_bounded_poll_returns_after_its_time(helper):
    backend = CPollBackend(helper, "none")
    backend.timeouts.append(None)        # no helper call: an idle ring
    b = BPF(text=PROG, backend=backend)
    b["events"].open_perf_buffer(lambda cpu, data, size: None)
    assert b.perf_buffer_poll(450) == 0
    assert sum(backend.timeouts[1:]) >= 400
    b.cleanup()


def test_an_ignored_sigint_stays_ignored(helper):
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        b = BPF(text=PROG, backend=CPollBackend(helper, "sample"))
        b["events"].open_perf_buffer(lambda cpu, data, size: None)
        assert b.perf_buffer_poll() == 1
        b.cleanup()
    finally:
        signal.signal(signal.SIGINT, old)
