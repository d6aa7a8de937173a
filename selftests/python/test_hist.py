# SPDX-License-Identifier: GPL-2.0
"""Histograms print byte for byte as bcc 0.26 prints them: against fixed
expected text, and against bcc's own printing functions (python3-bpfcc)
when they can be imported."""

import contextlib
import io
import random

import pytest

from bpfdev import BPF, hist
from mock_backend import MockBackend

try:
    from bcc import table as bcc_table
except Exception:            # not installed, or libbcc cannot load
    bcc_table = None

need_bcc = pytest.mark.skipif(bcc_table is None, reason="python3-bpfcc is not installed")

LOG2 = """\
     usecs               : count     distribution
         0 -> 1          : 0        |                                        |
         2 -> 3          : 2        |****                                    |
         4 -> 7          : 18       |****************************************|
         8 -> 15         : 7        |***************                         |
        16 -> 31         : 1        |**                                      |
"""

LOG2_WIDE = """\
               bytes                         : count     distribution
                   0 -> 1                    : 1        |********************|
                   2 -> 3                    : 0        |                    |
"""

LINEAR = """\
     msecs         : count     distribution
        0          : 0        |                                        |
        1          : 3        |****************************************|
        2          : 1        |*************                           |
"""


def lines(text):
    return text.splitlines()


def test_log2_fixed():
    vals = [0] * 65
    vals[2], vals[3], vals[4], vals[5] = 2, 18, 7, 1
    assert hist.format_log2(vals, "usecs") == lines(LOG2)


def test_log2_wide_above_slot_32():
    vals = [0] * 65
    vals[1] = 1
    vals[40] = 1
    out = hist.format_log2(vals, "bytes")
    assert out[:3] == lines(LOG2_WIDE)
    assert out[-1] == "        549755813888 -> 1099511627775        : 1        |********************|"
    assert len(out) == 41


def test_linear_fixed():
    vals = [0] * 1025
    vals[1], vals[2] = 3, 1
    assert hist.format_linear(vals, "msecs") == lines(LINEAR)


def test_strip_leading_zero_and_empty():
    vals = [0] * 65
    vals[4] = 1
    assert hist.format_log2(vals, "x", True) == [
        "     x                   : count     distribution",
        "         8 -> 15         : 1        |****************************************|"]
    assert hist.format_log2([0] * 65) == []
    assert hist.format_linear([0] * 10) == []


def bcc_out(fn, *args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue()


@need_bcc
@pytest.mark.parametrize("seed", range(40))
def test_log2_as_bcc(seed):
    rnd = random.Random(seed)
    vals = [0] * 65
    top = rnd.choice([3, 10, 31, 32, 33, 50, 64])
    for i in rnd.sample(range(top + 1), rnd.randint(1, top + 1)):
        vals[i] = rnd.choice([1, 2, 7, 100, 12345, 10 ** 9])
    strip = rnd.choice([None, False, True])
    want = bcc_out(bcc_table._print_log2_hist, vals, "usecs", strip)
    assert "\n".join(hist.format_log2(vals, "usecs", strip)) + ("\n" if want else "") == want


@need_bcc
@pytest.mark.parametrize("seed", range(20))
def test_linear_as_bcc(seed):
    rnd = random.Random(seed)
    vals = [0] * 1025
    for i in rnd.sample(range(200), rnd.randint(1, 30)):
        vals[i] = rnd.randint(1, 5000)
    strip = rnd.choice([None, True])
    want = bcc_out(bcc_table._print_linear_hist, vals, "kbytes", strip)
    assert "\n".join(hist.format_linear(vals, "kbytes", strip)) + ("\n" if want else "") == want


SECTIONS = r"""
struct hist_key { u32 bucket; u64 slot; };
BPF_HISTOGRAM(dist, struct hist_key);
int f(struct pt_regs *ctx) { return 0; }
"""


def test_sections_by_struct_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPFDEV_CACHE_DIR", str(tmp_path))
    b = BPF(text=SECTIONS, backend=MockBackend())
    d = b["dist"]
    assert [f[0] for f in d.Key._fields_] == ["bucket", "__pad_1", "slot"]
    for bucket, slot, n in [(7, 2, 5), (3, 1, 1), (7, 3, 2)]:
        d[d.Key(bucket=bucket, slot=slot)] = n
    d.print_log2_hist("usecs", "disk", section_print_fn=lambda b: "sd%d" % b)
    out = capsys.readouterr().out
    want = []
    for name, vals in (("sd7", {2: 5, 3: 2}), ("sd3", {1: 1})):
        v = [0] * 65
        for i, n in vals.items():
            v[i] = n
        want += ["", "disk = %s" % name] + hist.format_log2(v, "usecs")
    assert out == "\n".join(want) + "\n"
    if bcc_table:
        v = [0] * 65
        v[2], v[3] = 5, 2
        assert out.split("\ndisk = sd3\n")[0] == \
            "\ndisk = sd7\n" + bcc_out(bcc_table._print_log2_hist, v, "usecs", None)


@need_bcc
@pytest.mark.parametrize("seed", range(20))
def test_json_as_bcc(seed, monkeypatch):
    rnd = random.Random(seed)
    vals = [0] * 65
    slots = range(rnd.choice([1, 5, 33, 64]) + 1)
    for i in rnd.sample(slots, rnd.randint(0, min(5, len(slots)))):
        vals[i] = rnd.randint(1, 10 ** 6)
    section = rnd.choice([None, ("disk", "sda"), ("flags", 3)])
    # One clock for both: bcc stamps with time.strftime() of the local time.
    monkeypatch.setattr(bcc_table, "strftime", lambda fmt: "2026-12-07 22:30:00")
    want = bcc_out(bcc_table._print_json_hist, vals, "usecs", section)
    now = (2026, 12, 7, 22, 30, 0, 0, 341, -1)
    assert str(hist.json_log2(vals, "usecs", section, now)) + "\n" == want


def test_json_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BPFDEV_CACHE_DIR", str(tmp_path))
    b = BPF(text=SECTIONS, backend=MockBackend())
    d = b["dist"]
    for bucket, slot, n in [(7, 2, 5), (3, 1, 1), (7, 3, 2)]:
        d[d.Key(bucket=bucket, slot=slot)] = n
    d.print_json_hist("usecs", "disk", section_print_fn=lambda b: "sd%d" % b)
    recs = [eval(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["disk"], r["val_type"], r["data"]) for r in recs] == [
        ("sd7", "usecs", [{"interval-start": 0, "interval-end": 1, "count": 0},
                          {"interval-start": 2, "interval-end": 3, "count": 5},
                          {"interval-start": 4, "interval-end": 7, "count": 2}]),
        ("sd3", "usecs", [{"interval-start": 0, "interval-end": 1, "count": 1}]),
    ]
    assert all(len(r["ts"]) == len("2026-12-07 22:30:00") for r in recs)
