# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The few source rewrites that make bcc-style C compile as plain C.

bcc rewrites its programs with clang's AST; this module does only what
C's preprocessor cannot, by pattern, and leaves the rest to the macros of
include/bpfdev_bcc.h:
  - TABLE.method(args) on a table declared with BPF_* becomes
    bpfdev_bcc_method(TABLE, args) (lookup, update, insert, delete,
    increment, lookup_or_try_init, perf_submit, ringbuf_*, get_stackid,
    call);
  - BPF_TABLE("hash", K, V, NAME, N) becomes BPF_HASH(NAME, K, V, N), and
    the other table kinds likewise;
  - a probe written with its arguments after the context,
    int f(struct pt_regs *ctx, int dfd, const char __user *name), takes
    ctx alone and reads the others from PT_REGS_PARM1..5(ctx); for a
    syscall__NAME probe on a kernel with syscall wrappers (x86-64 4.17+:
    __x64_sys_NAME(const struct pt_regs *regs)) they are read, as bcc
    does, from the pt_regs the wrapper gets, in the syscall's registers;
  - with the kernel's types (kernel_btf.py: a program that includes one
    of KERNEL_HEADERS), accesses through kernel pointers become probe
    reads (deref.py), and bpf_get_current_task_btf() (a helper bpfdev
    lacks) is bpf_get_current_task(): the reads do not need its BTF type;
  - each TRACEPOINT_PROBE(cat, event) gets its struct
    tracepoint__cat__event from the event's format file in tracefs.
Not done (bcc does): map.perf_read(), USDT probes, and what deref.py
lists.
"""

import os
import re

from . import deref

TABLE_MACROS = ("BPF_HASH", "BPF_LRU_HASH", "BPF_PERCPU_HASH", "BPF_ARRAY",
                "BPF_PERCPU_ARRAY", "BPF_HISTOGRAM", "BPF_STACK_TRACE",
                "BPF_PROG_ARRAY", "BPF_RINGBUF_OUTPUT", "BPF_PERF_OUTPUT")
METHODS = ("lookup_or_try_init", "lookup_or_init", "lookup", "update", "insert",
           "delete", "atomic_increment", "increment", "perf_submit",
           "ringbuf_output", "ringbuf_reserve", "ringbuf_submit",
           "ringbuf_discard", "get_stackid", "call")
TABLE_KINDS = {"hash": "BPF_HASH", "lru_hash": "BPF_LRU_HASH",
               "percpu_hash": "BPF_PERCPU_HASH", "histogram": "BPF_HISTOGRAM",
               "array": "BPF_ARRAY", "percpu_array": "BPF_PERCPU_ARRAY"}
TRACEFS_DIRS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")
# The headers of the kernel's internals that bcc's tools include: a
# program including one is compiled with the kernel's types from BTF.
KERNEL_HEADERS = ("linux/sched.h", "linux/fs.h", "linux/blkdev.h", "linux/blk-mq.h",
                  "linux/fs_struct.h", "linux/dcache.h", "linux/mm_types.h", "linux/mm.h",
                  "linux/nsproxy.h", "linux/mount.h", "linux/ns_common.h", "linux/cred.h",
                  "linux/pid_namespace.h", "linux/genhd.h", "linux/bio.h", "linux/path.h",
                  "linux/skbuff.h", "linux/netdevice.h", "net/sock.h", "net/inet_sock.h")
SYSCALL_REGS = "__bpfdev_sc_regs"


class RewriteError(Exception):
    pass


def _table_rewrite(src):
    def repl(m):
        kind, key, leaf, name, size = (x.strip() for x in m.groups())
        macro = TABLE_KINDS.get(kind)
        if not macro:
            raise RewriteError('BPF_TABLE("%s", ...) is not supported' % kind)
        if macro.endswith("ARRAY"):
            return "%s(%s, %s, %s)" % (macro, name, leaf, size)
        if macro == "BPF_HISTOGRAM":
            return "%s(%s, %s, %s)" % (macro, name, key, size)
        return "%s(%s, %s, %s, %s)" % (macro, name, key, leaf, size)
    return re.sub(r'BPF_TABLE\(\s*"(\w+)"\s*,([^,]+),([^,]+),([^,]+),([^)]+)\)', repl, src)


def table_names(src):
    pat = r"\b(?:%s)\s*\(\s*(\w+)" % "|".join(TABLE_MACROS)
    return re.findall(pat, src)


def _methods_rewrite(src, tables):
    if not tables:
        return src
    pat = r"\b(%s)\s*\.\s*(%s)\s*\(" % ("|".join(map(re.escape, tables)), "|".join(METHODS))
    return re.sub(pat, lambda m: "bpfdev_bcc_%s(%s, " % (m.group(2), m.group(1)), src)


_PROBE_ARGS = re.compile(
    r"^(?P<head>[ \t]*(?:static\s+)?(?:\w+\s+)+?\**\s*(?P<name>\w+)\s*)"
    r"\(\s*struct\s+pt_regs\s*\*\s*(?P<ctx>\w+)\s*,(?P<args>[^)]*)\)\s*\{",
    re.M)


def _param_name(decl):
    m = re.search(r"(\w+)\s*(\[[^\]]*\])?\s*$", decl)
    if not m:
        raise RewriteError("cannot read the parameter '%s'" % decl.strip())
    return m.group(1)


def _probe_args_rewrite(src, syscall_wrapper=False):
    def repl(m):
        if re.match(r"\s*static\b", m.group("head")):
            return m.group(0)    # a helper, called with its arguments (bcc)
        params = [p.strip() for p in m.group("args").split(",") if p.strip()]
        if len(params) > 5:
            raise RewriteError("%s: at most 5 arguments after the context" % m.group("name"))
        ctx = m.group("ctx")
        out = "%s(struct pt_regs *%s) {" % (m.group("head"), ctx)
        inner = syscall_wrapper and m.group("name").startswith("syscall__")
        if inner:
            # The wrapper's one argument is the user's registers: each
            # argument is a (kernel) read of its syscall register there
            # (the 4th is r10, not rcx: PT_REGS_PARM4_SYSCALL).
            out += " struct pt_regs *%s = (struct pt_regs *)PT_REGS_PARM1(%s);" % \
                (SYSCALL_REGS, ctx)
        for i, p in enumerate(params):
            name = _param_name(p)
            ctype = p[:p.rindex(name)].strip() or "long"
            if inner:
                out += (" %s = ({ u64 __v = 0; bpf_probe_read_kernel(&__v, sizeof(__v), "
                        "&PT_REGS_PARM%d_SYSCALL(%s)); (%s)__v; });" %
                        (p, i + 1, SYSCALL_REGS, ctype))
            else:
                out += " %s = (%s)PT_REGS_PARM%d(%s);" % (p, ctype, i + 1, ctx)
        return out
    return _PROBE_ARGS.sub(repl, src)


def wants_kernel_types(src):
    """The program includes a header of the kernel's internals."""
    incs = re.findall(r"^\s*#\s*include\s*<([\w/.-]+)>", src, re.M)
    return any(i in KERNEL_HEADERS for i in incs)


def tracefs_dir():
    env = os.environ.get("BPFDEV_TRACEFS")
    if env:
        return env
    for d in TRACEFS_DIRS:
        if os.path.isdir(os.path.join(d, "events")):
            return d
    return TRACEFS_DIRS[0]


_INT_TYPES = {(1, 1): "s8", (1, 0): "u8", (2, 1): "s16", (2, 0): "u16",
              (4, 1): "s32", (4, 0): "u32", (8, 1): "s64", (8, 0): "u64"}


def format_struct(cat, event, text):
    """The C struct of a tracepoint's record from its format file's text."""
    fields = re.findall(r"field:(.*?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);", text)
    if not fields:
        raise RewriteError("%s:%s: no fields in its format" % (cat, event))
    lines = ["struct tracepoint__%s__%s {" % (cat, event)]
    pos = 0
    npad = 0
    for decl, off, size, signed in fields:
        off, size, signed = int(off), int(size), int(signed)
        decl = decl.strip()
        if off > pos:
            npad += 1
            lines.append("\tchar __pad_%d[%d];" % (npad, off - pos))
        elif off < pos:
            continue                     # a union member: the first one stands
        if decl.startswith("__data_loc"):
            name = re.search(r"(\w+)\s*$", decl).group(1)
            lines.append("\tint __data_loc_%s;" % name)
        else:
            m = re.search(r"(\w+)\s*\[(\d*)\]\s*$", decl)
            if m:
                name, n = m.group(1), int(m.group(2) or 0)
                esize = size // n if n else 1
                etype = "char" if re.match(r"(const\s+)?(unsigned\s+)?char\b", decl) else \
                    _INT_TYPES.get((esize, signed), "u8")
                lines.append("\t%s %s[%d];" % (etype, name, n or size))
            else:
                name = re.search(r"(\w+)\s*$", decl).group(1)
                ctype = "u64" if "*" in decl and size == 8 else _INT_TYPES.get((size, signed))
                if ctype:
                    lines.append("\t%s %s;" % (ctype, name))
                else:
                    lines.append("\tchar %s[%d];" % (name, size))
        pos = off + size
    lines.append("};")
    return "\n".join(lines) + "\n"


def tracepoint_structs(src):
    out = []
    seen = set()
    for cat, event in re.findall(r"\bTRACEPOINT_PROBE\s*\(\s*(\w+)\s*,\s*(\w+)\s*\)", src):
        if (cat, event) in seen:
            continue
        seen.add((cat, event))
        path = os.path.join(tracefs_dir(), "events", cat, event, "format")
        try:
            with open(path) as f:
                text = f.read()
        except OSError as e:
            raise RewriteError("tracepoint %s:%s: %s (is tracefs mounted?)" % (cat, event, e))
        out.append(format_struct(cat, event, text))
    return "".join(out)


def rewrite(src, kernel=None, syscall_wrapper=False):
    """The C clang compiles, from bcc-style C; kernel: the KernelBtf whose
    types the program sees (None: the uapi's alone)."""
    src = _table_rewrite(src)
    src = _methods_rewrite(src, table_names(src))
    if kernel is not None:
        src = re.sub(r"\bbpf_get_current_task_btf\s*\(\s*\)",
                     "((struct task_struct *)bpf_get_current_task())", src)
        src = deref.rewrite(src, kernel)
    src = _probe_args_rewrite(src, syscall_wrapper)
    structs = tracepoint_structs(src)
    if structs:
        # First of all: they need only bpfdev_bcc.h's types (included
        # before the source), and a probe may sit in an #ifdef that the
        # flags leave out, so the first probe's place is not always there.
        src = structs + src
    return src


def event_structs(src):
    """{table: struct name} of what each output table carries, read from
    TABLE.perf_submit(ctx, &VAR, ...) / TABLE.ringbuf_output(&VAR, ...)
    and the declaration of VAR, or from
    struct S *VAR = TABLE.ringbuf_reserve(...): what table.event() casts to."""
    out = {}
    for m in re.finditer(r"\b(\w+)\s*\.\s*(?:perf_submit\s*\(\s*\w+\s*,|ringbuf_output\s*\()"
                         r"\s*&?\s*(\w+)", src):
        table, var = m.groups()
        d = re.search(r"struct\s+(\w+)\s*\*?\s*\b%s\b" % re.escape(var), src)
        if d:
            out.setdefault(table, d.group(1))
    for m in re.finditer(r"struct\s+(\w+)\s*\*\s*\w+\s*=\s*(?:\([^)]*\)\s*)?(\w+)\s*\.\s*"
                         r"ringbuf_reserve\s*\(", src):
        out.setdefault(m.group(2), m.group(1))
    return out


ANCHOR_PREFIX = "__bpfdev_event_"


def event_anchors(events):
    """A never-loaded function per event struct: clang's BTF keeps only the
    types of globals and functions, and table.event() needs the struct."""
    return "".join("\nint %s%s(struct %s *e) { return 0; }\n" % (ANCHOR_PREFIX, t, s)
                   for t, s in sorted(events.items()))
