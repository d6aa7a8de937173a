# SPDX-License-Identifier: GPL-2.0
"""Tables over the mock backend: bcc's dict-like behaviour."""

import ctypes as ct

import pytest

from bpfdev import BPF
from bpfdev.table import possible_cpus
from mock_backend import MockBackend

PROG = r"""
struct key_t { u32 pid; char comm[16]; };
BPF_HASH(h, struct key_t, u64, 4);
BPF_HASH(plain, u32);
BPF_ARRAY(a, u64, 3);
BPF_PERCPU_ARRAY(pa, u32, 2);
BPF_HISTOGRAM(dist);
int f(struct pt_regs *ctx) { return 0; }
"""


@pytest.fixture
def b(tmp_path, monkeypatch):
    monkeypatch.setenv("BPFDEV_CACHE_DIR", str(tmp_path))
    return BPF(text=PROG, backend=MockBackend())


def test_hash_set_get_del(b):
    h = b["h"]
    k = h.Key(pid=7, comm=b"bash")
    h[k] = 3
    assert h[k].value == 3
    assert [(x.pid, x.comm, v.value) for x, v in h.items()] == [(7, b"bash", 3)]
    assert len(h) == 1 and k in h
    del h[k]
    assert len(h) == 0
    with pytest.raises(KeyError):
        h[k]
    with pytest.raises(KeyError):
        del h[k]


def test_plain_keys_and_clear(b):
    p = b["plain"]
    for i in range(5):
        p[ct.c_uint32(i)] = i * 10
    p[7] = 1                               # ints convert to the key type
    assert sorted(k.value for k in p.keys()) == [0, 1, 2, 3, 4, 7]
    assert sorted(v.value for v in p.values()) == [0, 1, 10, 20, 30, 40]
    p.clear()
    assert p.items() == []


def test_hash_full(b):
    from bpfdev import BPFError
    h = b["h"]
    for i in range(4):
        h[h.Key(pid=i)] = i
    with pytest.raises(BPFError):
        h[h.Key(pid=99)] = 1


def test_array(b):
    a = b["a"]
    assert len(a) == 3
    assert [v.value for v in a.values()] == [0, 0, 0]
    a[1] = 5
    assert a[1].value == 5
    del a[1]                               # zeroes, as bcc
    assert a[1].value == 0
    a[2] = 9
    a.clear()
    assert [v.value for v in a.values()] == [0, 0, 0]


def test_percpu_array(b):
    pa = b["pa"]
    n = possible_cpus()
    pa[0] = [ct.c_uint32(i + 1) for i in range(n)]
    vals = pa[0]
    assert len(vals) == n and [v for v in vals] == list(range(1, n + 1))
    assert pa.sum(0).value == n * (n + 1) // 2
    assert pa.max(0).value == n


def test_histogram_print(b, capsys):
    d = b["dist"]
    d[1] = 1
    d[3] = 4
    d.print_log2_hist("usecs")
    out = capsys.readouterr().out
    assert out == ("     usecs               : count     distribution\n"
                   "         0 -> 1          : 1        |**********                              |\n"
                   "         2 -> 3          : 0        |                                        |\n"
                   "         4 -> 7          : 4        |****************************************|\n")
