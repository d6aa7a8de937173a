# SPDX-License-Identifier: GPL-2.0
"""bcc's rewrites for its own tools: probe reads through kernel pointers
(deref.py, over a small fake BTF so that each rule is exact), syscall__
arguments from the wrapper's pt_regs, the kernel's types from BTF, and the
API bcc's execsnoop, opensnoop and biolatency call."""

import os
import re
import subprocess
import sys

import pytest

from bpfdev import BPF, BPFError, containers, deref, rewriter, utils
from bpfdev.kernel_btf import KernelBtf, VMLINUX_BTF
from mock_backend import MockBackend

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


class FakeBtf:
    """The members deref.py asks about, as KernelBtf answers."""

    def __init__(self):
        self.types = {}
        self.names = {}
        scalar = self._add(("scalar",))
        char_arr = self._add(("array", self._add(("scalar",))))
        comm = char_arr
        self.structs = {
            "task_struct": {"real_parent": "*task_struct", "tgid": scalar, "pid": scalar,
                            "comm": comm, "fs": "*fs_struct", "flags": scalar},
            "fs_struct": {"pwd": "path"},
            "path": {"dentry": "*dentry"},
            "dentry": {"d_name": "qstr", "d_parent": "*dentry"},
            "qstr": {"name": self._add(("ptr", None))},
            "request": {"rq_disk": "*gendisk", "q": "*request_queue", "cmd_flags": scalar},
            "request_queue": {"disk": "*gendisk"},
            "gendisk": {"disk_name": char_arr, "major": scalar},
            "open_how": {"flags": scalar},
            "pt_regs": {"di": scalar},
        }
        for name in self.structs:
            self.names[name] = self._add(("record", name))

    def _add(self, t):
        tid = len(self.types) + 1
        self.types[tid] = t
        return tid

    def find_struct(self, name):
        return self.names.get(name)

    def _resolve_member(self, m):
        if isinstance(m, int):
            return m
        if m.startswith("*"):
            return self._add(("ptr", self.names[m[1:]]))
        return self.names[m]

    def member_type(self, tid, member):
        t = self.types[tid]
        if t[0] != "record":
            return None
        m = self.structs[t[1]].get(member)
        return None if m is None else self._resolve_member(m)

    def describe(self, tid):
        t = self.types[tid]
        if t[0] == "ptr":
            return ("ptr", t[1])
        if t[0] == "record":
            return ("record", tid)
        return (t[0], None)

    def element(self, tid):
        t = self.types[tid]
        return t[1] if t[0] in ("array", "ptr") else None


def rw(src):
    return deref.rewrite(src, FakeBtf())


def reads(out, kind="kernel"):
    return re.findall(r"bpf_probe_read_%s\(\(void \*\)&(\w+), sizeof\(\1\), &([^)]*)\)" % kind,
                      out)


# ---- deref.py ---------------------------------------------------------------------

def test_each_arrow_hop_is_one_kernel_read():
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *task;\n"
             "task = (struct task_struct *)bpf_get_current_task();\n"
             "u32 pp = task->real_parent->tgid; return pp; }")
    assert reads(out) == [("__bpfdev_d1", "task->real_parent"),
                          ("__bpfdev_d2", "__bpfdev_d1->tgid")]
    assert "__bpfdev_d2; })" in out


def test_array_member_last_is_an_address_not_a_read():
    out = rw("int f(struct pt_regs *ctx, struct request *req) {\n"
             "void *p = (void *)req->rq_disk->disk_name; return 0; }")
    assert reads(out) == [("__bpfdev_d1", "req->rq_disk")]
    assert "__bpfdev_d1->disk_name; })" in out


def test_embedded_members_ride_one_hop():
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *task = 0;\n"
             "struct dentry *d = task->fs->pwd.dentry;\n"
             "const char *n = d->d_name.name; return 0; }")
    assert reads(out) == [("__bpfdev_d1", "task->fs"), ("__bpfdev_d2", "__bpfdev_d1->pwd.dentry"),
                          ("__bpfdev_d3", "d->d_name.name")]


def test_an_indexed_array_member_is_read():
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *t = 0;\n"
             "char c = t->comm[1]; return c; }")
    assert reads(out) == [("__bpfdev_d1", "t->comm[1]")]


def test_user_pointers_read_as_user():
    out = rw("int g(struct pt_regs *ctx) { struct open_how __user *how = 0;\n"
             "return how->flags; }")
    assert reads(out, "user") == [("__bpfdev_d1", "how->flags")] and not reads(out)


def test_syscall_struct_arguments_are_user_memory():
    out = rw("int syscall__openat2(struct pt_regs *ctx, int dfd, const char __user *f,"
             " struct open_how *how)\n{ int flags = how->flags; return flags; }")
    assert reads(out, "user") == [("__bpfdev_d1", "how->flags")]
    # The same in a plain kprobe is kernel memory.
    out = rw("int kp(struct pt_regs *ctx, struct open_how *how) { return how->flags; }")
    assert reads(out) == [("__bpfdev_d1", "how->flags")]


def test_program_structs_and_ctx_are_direct():
    src = ("struct val_t { u64 id; struct task_struct *t; };\n"
           "int f(struct pt_regs *ctx) { struct val_t *v = 0; u64 r = ctx->di;\n"
           "return v->id + r; }")
    assert rw(src) == src


def test_sizeof_stores_and_address_of():
    src = ("int f(struct pt_regs *ctx) { struct task_struct *t = 0;\n"
           "u64 n = sizeof(t->comm); t->pid = 1; t->pid++; return n; }")
    assert rw(src) == src
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *t = 0;\n"
             "void *p = &t->fs->pwd; return 0; }")
    assert reads(out) == [("__bpfdev_d1", "t->fs")] and "&__bpfdev_d1->pwd; })" in out
    # A binary & is an operand's, not an address-of.
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *t = 0; u32 m = 4;\n"
             "return m & t->flags; }")
    assert reads(out) == [("__bpfdev_d1", "t->flags")] and "m & ({" in out


def test_every_declarator_of_a_declaration():
    out = rw("int f(struct pt_regs *ctx) { struct task_struct *a = 0, *b;\n"
             "b = a; return a->pid + b->pid; }")
    assert reads(out) == [("__bpfdev_d1", "a->pid"), ("__bpfdev_d2", "b->pid")]


def test_comparison_reads_the_right_side():
    out = rw("int f(struct pt_regs *ctx) { struct dentry *d = 0;\n"
             "if (d == d->d_parent) return 1; d = d->d_parent; return 0; }")
    assert reads(out) == [("__bpfdev_d1", "d->d_parent"), ("__bpfdev_d2", "d->d_parent")]


def test_unknown_member_is_left_to_clang():
    src = "int f(struct pt_regs *ctx) { struct task_struct *t = 0; return t->nope; }"
    assert rw(src) == src


def test_tokens_join_back():
    src = 'int f() { /* a->b */ char *s = "x->y"; // c->d\n#define Z a->b\n return 0; }'
    assert "".join(t for _, t in deref.tokens(src)) == src
    assert rw(src) == src


# ---- rewriter.py: probe arguments ------------------------------------------------

def test_syscall_arguments_come_from_the_wrappers_regs():
    src = ("int syscall__execve(struct pt_regs *ctx, const char __user *filename,\n"
           "    const char __user *const __user *__argv, int a3, long a4)\n{ return 0; }")
    out = rewriter.rewrite(src, None, syscall_wrapper=True)
    assert "struct pt_regs *__bpfdev_sc_regs = (struct pt_regs *)PT_REGS_PARM1(ctx);" in out
    for n in (1, 2, 3, 4):
        assert "&PT_REGS_PARM%d_SYSCALL(__bpfdev_sc_regs)" % n in out
    assert "(const char __user *const __user *)__v" in out
    # Without wrappers (and for other probes) the registers are ctx's.
    assert "PT_REGS_PARM2(ctx)" in rewriter.rewrite(src, None, syscall_wrapper=False)
    kp = "int kprobe__x(struct pt_regs *ctx, int a) { return a; }"
    assert "(int)PT_REGS_PARM1(ctx)" in rewriter.rewrite(kp, None, syscall_wrapper=True)


def test_static_helpers_keep_their_arguments():
    src = "static int h(struct pt_regs *ctx, void *p) { return 0; }"
    assert rewriter.rewrite(src) == src


def test_kernel_headers_ask_for_the_kernels_types():
    assert rewriter.wants_kernel_types("#include <linux/sched.h>\n")
    assert rewriter.wants_kernel_types("  #include <linux/blk-mq.h>\n")
    assert not rewriter.wants_kernel_types("#include <uapi/linux/ptrace.h>\n#include <linux/in.h>\n")


def test_current_task_btf_is_current_task():
    out = rewriter.rewrite("int f(struct pt_regs *ctx) { struct task_struct *t = "
                           "(struct task_struct *)bpf_get_current_task_btf(); return 0; }",
                           FakeBtf())
    assert "bpf_get_current_task()" in out and "task_btf" not in out


# ---- the kernel's BTF -----------------------------------------------------------------

needs_btf = pytest.mark.skipif(not os.path.exists(VMLINUX_BTF), reason="no kernel BTF")


@pytest.fixture
def fresh_btf(monkeypatch):
    KernelBtf._cache.clear()
    yield monkeypatch
    KernelBtf._cache.clear()


def test_no_btf_raises_naming_it(fresh_btf):
    fresh_btf.setenv("BPFDEV_BTF", "/nonexistent/btf")
    with pytest.raises(BPFError, match="/nonexistent/btf.*CONFIG_DEBUG_INFO_BTF"):
        BPF.kernel_struct_has_field(b"request", b"rq_disk")
    prog = ("#include <linux/sched.h>\nint kprobe__vfs_read(struct pt_regs *ctx) {\n"
            "struct task_struct *t = (struct task_struct *)bpf_get_current_task();\n"
            "return t->tgid; }")
    with pytest.raises(BPFError, match="/nonexistent/btf"):
        BPF(text=prog, backend=MockBackend())


@needs_btf
def test_kernel_struct_has_field(fresh_btf):
    assert BPF.kernel_struct_has_field(b"task_struct", b"real_parent") == 1
    assert BPF.kernel_struct_has_field("task_struct", "no_such_member") == 0
    # A member inside an anonymous union or struct is found.
    assert BPF.kernel_struct_has_field("qstr", "hash") == 1


@needs_btf
def test_header_from_btf(fresh_btf, tmp_path):
    d = KernelBtf.get().header_dir(str(tmp_path))
    text = open(os.path.join(d, "bpfdev_vmlinux.h")).read()
    assert "#define __VMLINUX_H__" in text and "preserve_access_index" in text
    assert re.search(r"^struct task_struct \{", text, re.M)


@needs_btf
def test_kernel_types_program_compiles_with_reads(fresh_btf):
    prog = r"""
#include <uapi/linux/ptrace.h>
#include <linux/sched.h>
#include <linux/fs.h>
struct data_t { u32 ppid; char comm[TASK_COMM_LEN]; char name[NAME_MAX]; };
BPF_PERF_OUTPUT(events);
int syscall__execve(struct pt_regs *ctx, const char __user *filename)
{
    struct data_t data = {};
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    data.ppid = task->real_parent->tgid;
    bpf_probe_read_kernel(&data.name, sizeof(data.name),
                          (void *)task->fs->pwd.dentry->d_name.name);
    events.perf_submit(ctx, &data, sizeof(data));
    return 0;
}
"""
    b = BPF(text=prog, backend=MockBackend())
    assert "__bpfdev_d" in b.source and "__bpfdev_sc_regs" in b.source
    assert "syscall__execve" in b.functions
    assert b["events"].event_type.__name__ == "data_t"


# ---- the API the scripts call ------------------------------------------------------------

def test_empty_text_loads_nothing():
    b = BPF(text="", backend=MockBackend())
    assert len(b) == 0
    assert b.get_syscall_prefix() in (b"__x64_sys_", b"sys_")
    assert BPF.support_kfunc() is False


def test_containers_and_utils(capsysbinary):
    class Args:
        cgroupmap = None
        mntnsmap = None
    assert "container_should_be_filtered()" in containers.filter_by_containers(Args())
    Args.cgroupmap = "/sys/fs/bpf/x"
    with pytest.raises(BPFError, match="pinned"):
        containers.filter_by_containers(Args())
    assert bytes(utils.ArgString("main")) == b"main" and str(utils.ArgString("x")) == "x"
    utils.printb(b"a", nl="")
    utils.printb(b"b")
    assert capsysbinary.readouterr().out == b"ab\n"
    from bpfdev import ArgString, printb
    assert ArgString is utils.ArgString and printb is utils.printb


BCC_SCRIPTS = ("execsnoop", "opensnoop", "biolatency")


@needs_btf
@pytest.mark.skipif(not all(os.path.exists("/usr/sbin/%s-bpfcc" % s) for s in BCC_SCRIPTS),
                    reason="no bpfcc-tools")
@pytest.mark.parametrize("script,args", [("execsnoop", []), ("execsnoop", ["-P", "1", "-u", "0"]),
                                         ("opensnoop", []), ("opensnoop", ["-F", "-e"]),
                                         ("biolatency", ["-D"]), ("biolatency", ["-F", "-e"])])
def test_bcc_scripts_compile_with_only_imports_changed(tmp_path, script, args):
    path = tmp_path / script
    with open(path, "w") as f:
        subprocess.run(["sed", "-f", os.path.join(HERE, "bcc-imports.sed"),
                        "/usr/sbin/%s-bpfcc" % script], stdout=f, check=True)
    diff = subprocess.run(["diff", "/usr/sbin/%s-bpfcc" % script, str(path)],
                          capture_output=True, text=True).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "<>"]
    assert changed and all(re.match(r"[<>] (from|import) (bcc|bpfdev)[. ]", c) for c in changed)
    env = dict(os.environ, BPFDEV_COMPILE_ONLY="1",
               PYTHONPATH=os.path.join(TOP, "tools", "python"))
    r = subprocess.run([sys.executable, str(path)] + args, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
