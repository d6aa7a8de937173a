# SPDX-License-Identifier: GPL-2.0
"""Tracepoint format files as 6.1's tracefs shows them (x86-64), for the
events the tools in tools/bcc use: BPF() reads each TRACEPOINT_PROBE's
struct from events/CAT/NAME/format, which the build machine need not have."""

COMMON = [("unsigned short common_type", 0, 2, 0), ("unsigned char common_flags", 2, 1, 0),
          ("unsigned char common_preempt_count", 3, 1, 0), ("int common_pid", 4, 4, 1)]


def _sys(*args):
    return [("int __syscall_nr", 8, 4, 1)] + [(a, 16 + 8 * i, 8, 0) for i, a in enumerate(args)]


EVENTS = {
    ("sched", "sched_process_fork"): [("char parent_comm[16]", 8, 16, 1),
                                      ("pid_t parent_pid", 24, 4, 1),
                                      ("char child_comm[16]", 28, 16, 1),
                                      ("pid_t child_pid", 44, 4, 1)],
    ("sched", "sched_wakeup"): [("char comm[16]", 8, 16, 1), ("pid_t pid", 24, 4, 1),
                                ("int prio", 28, 4, 1), ("int target_cpu", 32, 4, 1)],
    ("sched", "sched_wakeup_new"): [("char comm[16]", 8, 16, 1), ("pid_t pid", 24, 4, 1),
                                    ("int prio", 28, 4, 1), ("int target_cpu", 32, 4, 1)],
    ("sched", "sched_switch"): [("char prev_comm[16]", 8, 16, 1), ("pid_t prev_pid", 24, 4, 1),
                                ("int prev_prio", 28, 4, 1), ("long prev_state", 32, 8, 1),
                                ("char next_comm[16]", 40, 16, 1), ("pid_t next_pid", 56, 4, 1),
                                ("int next_prio", 60, 4, 1)],
    ("syscalls", "sys_enter_execve"): _sys("const char * filename", "const char *const * argv",
                                           "const char *const * envp"),
    ("syscalls", "sys_exit_execve"): [("int __syscall_nr", 8, 4, 1), ("long ret", 16, 8, 1)],
    ("syscalls", "sys_enter_open"): _sys("const char * filename", "int flags", "umode_t mode"),
    ("syscalls", "sys_exit_open"): [("int __syscall_nr", 8, 4, 1), ("long ret", 16, 8, 1)],
    ("syscalls", "sys_enter_openat"): _sys("int dfd", "const char * filename", "int flags",
                                           "umode_t mode"),
    ("syscalls", "sys_exit_openat"): [("int __syscall_nr", 8, 4, 1), ("long ret", 16, 8, 1)],
    ("raw_syscalls", "sys_enter"): [("long id", 8, 8, 1), ("unsigned long args[6]", 16, 48, 0)],
    ("raw_syscalls", "sys_exit"): [("long id", 8, 8, 1), ("long ret", 16, 8, 1)],
    ("sock", "inet_sock_set_state"): [("const void * skaddr", 8, 8, 0),
                                      ("int oldstate", 16, 4, 1), ("int newstate", 20, 4, 1),
                                      ("__u16 sport", 24, 2, 0), ("__u16 dport", 26, 2, 0),
                                      ("__u16 family", 28, 2, 0), ("__u16 protocol", 30, 2, 0),
                                      ("__u8 saddr[4]", 32, 4, 0), ("__u8 daddr[4]", 36, 4, 0),
                                      ("__u8 saddr_v6[16]", 40, 16, 0),
                                      ("__u8 daddr_v6[16]", 56, 16, 0)],
    ("block", "block_rq_issue"): [("dev_t dev", 8, 4, 0), ("sector_t sector", 16, 8, 0),
                                  ("unsigned int nr_sector", 24, 4, 0),
                                  ("unsigned int bytes", 28, 4, 0), ("char rwbs[8]", 32, 8, 1),
                                  ("char comm[16]", 40, 16, 1),
                                  ("__data_loc char[] cmd", 56, 4, 1)],
    ("block", "block_rq_insert"): [("dev_t dev", 8, 4, 0), ("sector_t sector", 16, 8, 0),
                                   ("unsigned int nr_sector", 24, 4, 0),
                                   ("unsigned int bytes", 28, 4, 0), ("char rwbs[8]", 32, 8, 1),
                                   ("char comm[16]", 40, 16, 1),
                                   ("__data_loc char[] cmd", 56, 4, 1)],
    ("block", "block_rq_complete"): [("dev_t dev", 8, 4, 0), ("sector_t sector", 16, 8, 0),
                                     ("unsigned int nr_sector", 24, 4, 0),
                                     ("int error", 28, 4, 1), ("char rwbs[8]", 32, 8, 1),
                                     ("__data_loc char[] cmd", 40, 4, 1)],
}


# available_filter_functions: what funccount's patterns match.
FUNCTIONS = ["vfs_read", "vfs_readv", "vfs_write", "vfs_writev", "vfs_open",
             "tcp_v4_connect [kernel]", "do_sys_openat2"]


def format_text(cat, name, fields):
    lines = ["name: %s" % name, "ID: 1", "format:"]
    for decl, off, size, signed in COMMON:
        lines.append("\tfield:%s;\toffset:%d;\tsize:%d;\tsigned:%d;" % (decl, off, size, signed))
    lines.append("")
    for decl, off, size, signed in fields:
        lines.append("\tfield:%s;\toffset:%d;\tsize:%d;\tsigned:%d;" % (decl, off, size, signed))
    lines += ["", 'print fmt: ""', ""]
    return "\n".join(lines)


def make_tracefs(root):
    """events/CAT/NAME/format under root (a pathlib.Path) for every event above."""
    for (cat, name), fields in EVENTS.items():
        d = root / "events" / cat / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "format").write_text(format_text(cat, name, fields))
    (root / "available_filter_functions").write_text(
        "".join("%s\n" % f for f in FUNCTIONS))
    return root
