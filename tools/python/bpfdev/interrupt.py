# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Ctrl-C while a ring buffer is polled.

The samples reach Python through a ctypes callback that libbpf calls from
inside ring_buffer__poll().  A SIGINT that arrives while libbpf runs (not
while it sleeps in epoll_wait) makes Python raise KeyboardInterrupt at the
callback's first line, before any try of its own can catch it, and ctypes
prints that exception and drops it: the tool never sees its Ctrl-C and
polls on (t_70 found opensnoop, and Debian's own execsnoop-bpfcc, still
running two minutes after SIGINT under TCG).  So while a poll runs,
SIGINT only sets a flag, and the poll raises KeyboardInterrupt itself once
libbpf has returned; an unbounded poll sleeps in slices, so that a SIGINT
that came just before epoll_wait is seen within one.
"""

import contextlib
import signal
import threading

# The longest sleep of an unbounded poll between looks at the flag (ms).
POLL_SLICE_MS = 200


@contextlib.contextmanager
def deferred(flag_owner):
    """Within: SIGINT sets flag_owner._interrupted instead of raising.
    Left alone where SIGINT is not Python's default (ignored, or the
    program's own handler) and off the main thread (signal.signal fails)."""
    if (threading.current_thread() is not threading.main_thread() or
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return

    def note(signum, frame):
        flag_owner._interrupted = True
    old = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
