# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bcc's memory-access rewrite: kernel pointers read with probe_read.

bcc's ProbeVisitor (src/cc/frontends/clang/b_frontend_action.cc) walks
clang's AST and turns each member access through a pointer to kernel
memory into a bpf_probe_read of the member, so that a program may write
task->real_parent->tgid as the kernel's C does.  This does the same on
tokens, with the kernel's BTF (kernel_btf.py) for the members' types:

  - a pointer to kernel memory is a variable (parameter or local) declared
    `struct S *v` where S is a struct of the kernel's BTF that the program
    does not define itself; the probe's context (the first parameter, a
    struct pt_regs, __sk_buff, ... pointer) is never one: its accesses are
    direct, as the verifier wants them;
  - v->a->b.c is read at each `->` hop: a statement expression reads
    v->a (a pointer) into a temporary, then the temporary's b.c;
  - a member that is an array, as the last of the chain, is an address
    (bcc: `(void *)req->rq_disk->disk_name` reads rq_disk, not the name);
    &v->a->b likewise takes b's address without reading it;
  - a pointer declared __user, and a struct pointer among the arguments of
    a syscall__NAME probe (a syscall's arguments are user addresses), is
    read with bpf_probe_read_user, every other with bpf_probe_read_kernel;
  - pointers to the program's own structs (map values, the stack) are
    accessed directly, and nothing is rewritten inside sizeof(), typeof(),
    offsetof() or an assignment's left side (bcc does not write kernel
    memory either).
Not covered (bcc covers some): pointers reached through a cast or a
function's return without a declared variable ((struct S *)p)->a), a
kernel pointer held in a member of the program's own struct
(val->task->pid), typedef'd kernel pointer types, bitfield members, and
variables whose type changes between scopes of one function (the first
declaration in a function stands).
"""

import re

from .kernel_btf import KernelBtf

# The context structs: a probe's first parameter, accessed directly.
CTX_STRUCTS = ("pt_regs", "__sk_buff", "xdp_md", "bpf_perf_event_data",
               "bpf_raw_tracepoint_args", "bpf_sock_ops", "sk_msg_md")
QUALIFIERS = ("const", "volatile", "__user", "__restrict", "restrict", "__rcu",
              "__kernel", "__force")
NO_REWRITE_CALLEES = ("sizeof", "typeof", "__typeof__", "offsetof",
                      "__builtin_offsetof", "__builtin_preserve_access_index")
TMP = "__bpfdev_d"

_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/|\#[^\n]*(?:\\\n[^\n]*)*)
  | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<id>[A-Za-z_]\w*)
  | (?P<num>\d[\w.]*)
  | (?P<op>->|\+\+|--|==|!=|<=|>=|&&|\|\||<<=|>>=|<<|>>|[-+*/%&|^!=<>]=?|[()\[\]{},;.?:~])
""", re.S | re.X)


def tokens(src):
    """[(kind, text)] of C source; whitespace, comments and preprocessor
    lines are kept as "ws" tokens, so joining the texts gives src back."""
    out = []
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m:
            out.append(("op", src[pos]))
            pos += 1
            continue
        out.append((m.lastgroup, m.group()))
        pos = m.end()
    return out


class _Code:
    """The significant tokens of a source, with their index in the full list."""

    def __init__(self, toks):
        self.toks = toks
        self.sig = [i for i, (k, _) in enumerate(toks) if k != "ws"]

    def text(self, j):
        return self.toks[self.sig[j]][1] if 0 <= j < len(self.sig) else ""

    def kind(self, j):
        return self.toks[self.sig[j]][0] if 0 <= j < len(self.sig) else ""

    def match(self, j, close):
        """The index of the bracket closing the one at j."""
        opening = self.text(j)
        depth = 0
        while j < len(self.sig):
            t = self.text(j)
            if t == opening:
                depth += 1
            elif t == close:
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        return j


def _functions(code):
    """[(params_open, params_close, body_open, body_close)] of the
    top-level function definitions."""
    out = []
    depth = 0
    j = 0
    while j < len(code.sig):
        t = code.text(j)
        if t == "{":
            if depth == 0 and code.text(j - 1) == ")":
                # Back to the parameter list's "(".
                k = j - 1
                d = 0
                while k >= 0:
                    if code.text(k) == ")":
                        d += 1
                    elif code.text(k) == "(":
                        d -= 1
                        if d == 0:
                            break
                    k -= 1
                end = code.match(j, "}")
                out.append((k, j - 1, j, end))
                j = end + 1
                continue
            depth += 1
        elif t == "}":
            depth -= 1
        j += 1
    return out


def _declarations(code, lo, hi, out, user_all=False):
    """{name: (struct, user)} of `struct S [quals] * [quals] name` in
    code.sig[lo:hi]."""
    j = lo
    while j < hi:
        if code.text(j) == "struct" and code.kind(j + 1) == "id":
            sname = code.text(j + 1)
            k = j + 2
            user = user_all
            while code.text(k) in QUALIFIERS:
                user |= code.text(k) == "__user"
                k += 1
            # Each declarator: struct S *a, *b = ...;
            while code.text(k) == "*":
                k += 1
                while code.text(k) in QUALIFIERS:
                    user |= code.text(k) == "__user"
                    k += 1
                if code.kind(k) != "id" or code.text(k + 1) not in ("=", ";", ",", ")", "["):
                    break
                out.setdefault(code.text(k), (sname, user))
                k = _declarator_end(code, k + 1, hi)
                if code.text(k) != ",":
                    break
                k += 1
        j += 1
    return out


def _declarator_end(code, k, hi):
    """The index of the "," or ";" (or ")") ending the declarator whose
    initializer, if any, starts at k."""
    depth = 0
    while k < hi:
        t = code.text(k)
        if t in ("(", "[", "{"):
            depth += 1
        elif t in (")", "]", "}"):
            if depth == 0:
                return k
            depth -= 1
        elif t in (",", ";") and depth == 0:
            return k
        k += 1
    return k


def _params(code, po, pc):
    """[(first index, last index)] of each parameter in ( ... )."""
    out = []
    start = po + 1
    depth = 0
    for j in range(po + 1, pc + 1):
        t = code.text(j)
        if t in "([":
            depth += 1
        elif t in ")]" and j != pc:
            depth -= 1
        elif (t == "," and depth == 0) or j == pc:
            if j > start:
                out.append((start, j))
            start = j + 1
    return out


class Rewriter:
    def __init__(self, src, kbtf):
        self.code = _Code(tokens(src))
        self.kbtf = kbtf
        self.defined = set(re.findall(r"\b(?:struct|union)\s+(\w+)\s*\{", src))
        self.n = 0
        self.repl = {}          # sig index -> (last sig index, text)

    def _kernel_struct(self, name):
        if name in self.defined or name in CTX_STRUCTS or name.startswith("tracepoint__"):
            return None
        return self.kbtf.find_struct(name)

    def run(self):
        code = self.code
        for po, pc, bo, bc in _functions(code):
            fname = code.text(po - 1)
            params = _params(code, po, pc)
            ctx = None
            if params:
                first = {}
                _declarations(code, params[0][0], params[0][1] + 1, first)
                for name, (sname, _) in first.items():
                    if sname in CTX_STRUCTS:
                        ctx = name
            vars_ = {}
            syscall = fname.startswith("syscall__")
            for lo, hi in params:
                _declarations(code, lo, hi + 1, vars_, user_all=syscall)
            _declarations(code, bo, bc, vars_)
            kvars = {}
            for name, (sname, user) in vars_.items():
                tid = self._kernel_struct(sname)
                if tid and name != ctx:
                    kvars[name] = (tid, user)
            if kvars:
                self._body(bo, bc, kvars)
        return self._emit()

    def _inside_unrewritable(self, j, lo):
        """j sits in sizeof(...), typeof(...) or the like."""
        depth = 0
        k = j - 1
        while k > lo:
            t = self.code.text(k)
            if t == ")":
                depth += 1
            elif t == "(":
                if depth == 0:
                    if self.code.text(k - 1) in NO_REWRITE_CALLEES:
                        return True
                else:
                    depth -= 1
            elif t in (";", "{", "}") and depth == 0:
                return False
            k -= 1
        return False

    def _body(self, bo, bc, kvars):
        code = self.code
        j = bo + 1
        while j < bc:
            t = code.text(j)
            if (code.kind(j) == "id" and t in kvars and code.text(j + 1) == "->" and
                    code.text(j - 1) not in (".", "->") and
                    not self._inside_unrewritable(j, bo)):
                end = self._chain(j, kvars[t])
                if end is not None:
                    j = end + 1
                    continue
            j += 1

    def _chain(self, j, var):
        """Rewrites the chain starting at variable j; its last index."""
        code = self.code
        tid, user = var
        segs = []                # [[member tokens...]] split at "->"
        k = j + 1
        while code.text(k) in ("->", "."):
            if code.text(k) == "->":
                segs.append([])
            else:
                segs[-1].append(".")
            if code.kind(k + 1) != "id":
                return None
            segs[-1].append(code.text(k + 1))
            k += 2
            while code.text(k) == "[":
                close = code.match(k, "]")
                segs[-1].append(self._span_text(k, close))
                k = close + 1
        end = k - 1
        nxt = code.text(k)
        if nxt in ("=", "++", "--") or (nxt.endswith("=") and nxt not in ("==", "!=", "<=", ">=")):
            return None          # a store: left as written
        # Unary &: after an operator or an opening, not after an operand.
        address = code.text(j - 1) == "&" and not (
            code.kind(j - 2) in ("id", "num", "str") or code.text(j - 2) in (")", "]"))
        last_is_array = self._last_is_array(tid, segs)
        if last_is_array is None:
            return None          # a member BTF does not know: clang will say
        read = "bpf_probe_read_user" if user else "bpf_probe_read_kernel"
        prev = code.text(j)
        parts = []
        for i, seg in enumerate(segs):
            access = "%s->%s" % (prev, "".join(seg))
            last = i == len(segs) - 1
            if last and (address or last_is_array):
                parts.append("%s%s;" % ("&" if address else "", access))
                break
            self.n += 1
            tmp = "%s%d" % (TMP, self.n)
            parts.append("typeof(%s) %s; %s((void *)&%s, sizeof(%s), &%s);" %
                         (access, tmp, read, tmp, tmp, access))
            prev = tmp
            if last:
                parts.append("%s;" % tmp)
        start = j - 1 if address else j
        self.repl[start] = (end, "({ %s })" % " ".join(parts))
        return end

    def _last_is_array(self, tid, segs):
        """Walks the members with BTF: is the chain's last member an array
        (not indexed)?  None if a member is unknown or a hop is not a
        pointer to a struct."""
        kb = self.kbtf
        val = None               # the type of the value reached so far
        struct = tid
        for seg in segs:
            if val is not None:  # a "->": val points to the next struct
                kind, struct = kb.describe(val)
                if kind != "ptr" or struct is None:
                    return None
            for part in seg:
                if part == ".":
                    kind, struct = kb.describe(val)
                    if kind != "record":
                        return None
                elif part.startswith("["):
                    val = kb.element(val)
                    if val is None:
                        return None
                else:
                    val = kb.member_type(struct, part)
                    if val is None:
                        return None
        return kb.describe(val)[0] == "array"

    def _span_text(self, a, b):
        return "".join(self.code.toks[i][1] for i in range(self.code.sig[a], self.code.sig[b] + 1))

    def _emit(self):
        code = self.code
        out = []
        i = 0
        sig_pos = {s: j for j, s in enumerate(code.sig)}
        while i < len(code.toks):
            j = sig_pos.get(i)
            if j is not None and j in self.repl:
                end, text = self.repl[j]
                out.append(text)
                i = code.sig[end] + 1
                continue
            out.append(code.toks[i][1])
            i += 1
        return "".join(out)


def rewrite(src, kbtf=None):
    """src with each access through a kernel pointer made a probe read."""
    return Rewriter(src, kbtf or KernelBtf.get()).run()
