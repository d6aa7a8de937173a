# SPDX-License-Identifier: GPL-2.0
"""Compiling bcc-style C: the rewrites, clang's errors, the cache, BTF."""

import ctypes as ct
import os

import pytest

from bpfdev import BPF, BPFError, compiler, rewriter
from bpfdev.btf import Btf
from bpfdev.elf import Elf
from mock_backend import MockBackend

PROG = r"""
#include <uapi/linux/ptrace.h>
#include <linux/sched.h>

struct key_t {
    u32 pid;
    char comm[TASK_COMM_LEN];
    u8 flag;
    u64 bytes;
};
struct data_t {
    u32 pid;
    u64 ts;
    char comm[TASK_COMM_LEN];
};

BPF_HASH(counts, struct key_t, u64, 1024);
BPF_HISTOGRAM(dist);
BPF_ARRAY(arr, u32, 4);
BPF_PERCPU_ARRAY(pc, u64, 2);
BPF_PERF_OUTPUT(events);
BPF_TABLE("hash", u32, u64, start, 128);

int trace_entry(struct pt_regs *ctx, int dfd, const char __user *filename, int flags)
{
    struct key_t key = {};
    struct data_t data = {};
    u64 zero = 0, *v;

    key.pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(&key.comm, sizeof(key.comm));
    v = counts.lookup_or_try_init(&key, &zero);
    if (v)
        (*v)++;
    dist.increment(bpf_log2l(flags));
    data.pid = key.pid;
    events.perf_submit(ctx, &data, sizeof(data));
    return 0;
}

int trace_return(struct pt_regs *ctx)
{
    u32 pid = bpf_get_current_pid_tgid();
    u64 ts = bpf_ktime_get_ns();

    start.update(&pid, &ts);
    start.delete(&pid);
    bpf_trace_printk("ret %d\n", PT_REGS_RC(ctx));
    return 0;
}
"""


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BPFDEV_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_methods_become_macros():
    out = rewriter.rewrite("BPF_HASH(h, u32);\nint f(void *c) { h.increment(1); "
                           "h.lookup(&k); x.lookup(&k); return h . update(&k, &v); }")
    assert "bpfdev_bcc_increment(h, 1)" in out
    assert "bpfdev_bcc_lookup(h, &k)" in out
    assert "bpfdev_bcc_update(h, &k, &v)" in out
    assert "x.lookup(&k)" in out          # not a table: left alone


def test_probe_arguments_from_registers():
    out = rewriter.rewrite("int f(struct pt_regs *ctx, int dfd, const char __user *name) {\n}")
    assert out.startswith("int f(struct pt_regs *ctx) {")
    assert "int dfd = (int)PT_REGS_PARM1(ctx);" in out
    assert "const char __user *name = (const char __user *)PT_REGS_PARM2(ctx);" in out


def test_bpf_table_forms():
    out = rewriter.rewrite('BPF_TABLE("array", int, u64, a, 8);\n'
                           'BPF_TABLE("hash", u32, u64, h, 16);')
    assert "BPF_ARRAY(a, u64, 8);" in out
    assert "BPF_HASH(h, u32, u64, 16);" in out
    with pytest.raises(rewriter.RewriteError):
        rewriter.rewrite('BPF_TABLE("stack", int, u64, a, 8);')


FORMAT = """name: sched_process_exec
ID: 312
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:1;
\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;
\tfield:char comm[16];\toffset:16;\tsize:16;\tsigned:1;
\tfield:u64 ts;\toffset:40;\tsize:8;\tsigned:0;

print fmt: "filename=%s pid=%d", __get_str(filename), REC->pid
"""


def test_tracepoint_struct_from_format(tmp_path, monkeypatch):
    d = tmp_path / "events" / "sched" / "sched_process_exec"
    d.mkdir(parents=True)
    (d / "format").write_text(FORMAT)
    monkeypatch.setenv("BPFDEV_TRACEFS", str(tmp_path))
    text = "BPF_HASH(c, u32);\nTRACEPOINT_PROBE(sched, sched_process_exec) {\n" \
           "    u32 pid = args->pid; c.increment(pid); return args->__data_loc_filename; }\n"
    b = BPF(text=text, backend=MockBackend())
    assert "tracepoint__sched__sched_process_exec" in b.functions
    # Loaded as a tracepoint program and attached by its name (autoload).
    assert b.backend.loads[-1][0] == {"tracepoint__sched__sched_process_exec": BPF.TRACEPOINT}
    assert b.backend.attached == [("tracepoint", "sched", "sched_process_exec")]
    st = Btf(Elf(b.obj_data).section(".BTF"))
    cls = st.ctype(st.find("tracepoint__sched__sched_process_exec", (4,)))
    assert ct.sizeof(cls) == 48
    assert cls.pid.offset == 12 and cls.comm.offset == 16 and cls.ts.offset == 40


def test_compile_error_carries_clangs_message():
    with pytest.raises(BPFError) as e:
        BPF(text="int f(struct pt_regs *ctx) { return undeclared_thing; }",
            backend=MockBackend())
    assert "undeclared_thing" in str(e.value)
    assert "clang" in str(e.value)


def objects(cache):
    return sorted(f for f in os.listdir(cache) if f.endswith(".o"))


def test_cache_by_content(cache):
    compiler.compile_c("int x(void *c) { return 1; }")
    files = objects(cache)
    assert len(files) == 1
    compiler.compile_c("int x(void *c) { return 1; }")
    assert objects(cache) == files
    compiler.compile_c("int x(void *c) { return 2; }")
    assert len(objects(cache)) == 2


def test_warm_cache_runs_no_clang(cache, monkeypatch):
    # Not even clang --version: starting clang is the cost under TCG.
    obj = compiler.compile_c("int x(void *c) { return 3; }")

    def no_run(*a, **kw):
        raise AssertionError("ran %r" % (a,))
    monkeypatch.setattr(compiler.subprocess, "run", no_run)
    assert compiler.compile_c("int x(void *c) { return 3; }") == obj
    with pytest.raises(AssertionError):
        compiler.compile_c("int x(void *c) { return 4; }")


def test_clang_version_asked_again_for_another_clang(cache, monkeypatch):
    compiler.compile_c("int x(void *c) { return 5; }")
    versions = [f for f in os.listdir(cache) if f.endswith(".version")]
    assert len(versions) == 1
    with open(os.path.join(cache, versions[0])) as f:
        assert "clang" in f.read()
    # Another clang executable (as after an upgrade) is asked again.
    other = os.path.join(os.path.dirname(cache), "clang")
    with open(other, "w") as f:
        f.write('#!/bin/sh\nexec %s "$@"\n' % compiler.CLANG)
    os.chmod(other, 0o755)
    monkeypatch.setattr(compiler, "CLANG", other)
    compiler.compile_c("int x(void *c) { return 5; }")
    assert len([f for f in os.listdir(cache) if f.endswith(".version")]) == 2


def test_compile_only_fills_the_cache_and_exits(cache, monkeypatch):
    monkeypatch.setenv("BPFDEV_COMPILE_ONLY", "1")
    backend = MockBackend()
    with pytest.raises(SystemExit) as e:
        BPF(text="int f(struct __sk_buff *skb) { return 6; }", backend=backend)
    assert e.value.code == 0
    assert len(objects(cache)) == 1
    assert not backend.loads
    monkeypatch.delenv("BPFDEV_COMPILE_ONLY")
    b = BPF(text="int f(struct __sk_buff *skb) { return 6; }", backend=backend)
    assert len(objects(cache)) == 1 and "f" in b.functions


def test_btf_typed_tables():
    b = BPF(text=PROG, backend=MockBackend())
    assert set(b.functions) == {"trace_entry", "trace_return"}
    assert set(b) == {"counts", "dist", "arr", "pc", "events", "start"}
    K = b["counts"].Key
    assert [f[0] for f in K._fields_] == ["pid", "comm", "flag", "__pad_1", "bytes"]
    assert ct.sizeof(K) == 32 and K.bytes.offset == 24
    assert b["counts"].Leaf is ct.c_uint64
    assert b["dist"].Key is ct.c_int32 and b["dist"].map_type == 2     # an array
    assert b["start"].Key is ct.c_uint32
    assert b["events"].event_type.__name__ == "data_t"
    assert b["events"].map_type == 27


def test_functions_load_on_demand_with_maps_reused():
    be = MockBackend()
    b = BPF(text=PROG, backend=be)
    assert be.loads == [({}, {})]
    fn = b.load_func("trace_entry", BPF.KPROBE)
    progs, reuse = be.loads[-1]
    assert progs == {"trace_entry": BPF.KPROBE}
    assert set(reuse) >= {"counts", "dist", "events"}
    assert b.load_func("trace_entry", BPF.KPROBE) is fn
    with pytest.raises(BPFError):
        b.load_func("nope", BPF.KPROBE)


def test_obj_and_src_file(tmp_path):
    src = tmp_path / "p.c"
    src.write_text(PROG)
    b = BPF(src_file=str(src), backend=MockBackend())
    obj = tmp_path / "p.o"
    obj.write_bytes(b.obj_data)
    b2 = BPF(obj=str(obj), backend=MockBackend())
    assert set(b2) == set(b)


def test_tracepoint_struct_outside_the_first_probes_ifdef(tmp_path, monkeypatch):
    # The first probe sits in an #ifdef the flags leave out: the structs
    # must not go with it (syscount without -L).
    d = tmp_path / "events" / "sched" / "sched_process_exec"
    d.mkdir(parents=True)
    (d / "format").write_text(FORMAT)
    monkeypatch.setenv("BPFDEV_TRACEFS", str(tmp_path))
    text = "#ifdef SECOND\nTRACEPOINT_PROBE(sched, sched_process_exec) { return 1; }\n" \
           "#else\nTRACEPOINT_PROBE(sched, sched_process_exec) { return args->pid; }\n#endif\n"
    b = BPF(text=text, backend=MockBackend())
    assert b.backend.attached == [("tracepoint", "sched", "sched_process_exec")]


def test_programs_are_gpl():
    # bcc loads programs as GPL; the tracing helpers need it.
    b = BPF(text="int f(struct pt_regs *ctx) { return 0; }", backend=MockBackend())
    assert Elf(b.obj_data).section("license").rstrip(b"\0") == b"GPL"
    b = BPF(text='char LICENSE[] SEC("license") = "Dual BSD/GPL";\n'
                 "int f(struct pt_regs *ctx) { return 0; }", backend=MockBackend())
    assert Elf(b.obj_data).section("license").split(b"\0")[0] == b"GPL"
