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
    """Within: SIGINT sets flag_owner._interrupted instead of raising (a
    callback that caught KeyboardInterrupt sets it too); on leaving, a
    Ctrl-C noted meanwhile is raised as KeyboardInterrupt.  SIGINT's
    handler is left alone where it is not Python's default (ignored, or
    the program's own) and off the main thread (signal.signal fails)."""
    install = (threading.current_thread() is threading.main_thread() and
               signal.getsignal(signal.SIGINT) is signal.default_int_handler)

    def note(signum, frame):
        flag_owner._interrupted = True
    old = signal.signal(signal.SIGINT, note) if install else None
    try:
        yield
    finally:
        if install:
            signal.signal(signal.SIGINT, old)
    if flag_owner._interrupted:
        flag_owner._interrupted = False
        raise KeyboardInterrupt
