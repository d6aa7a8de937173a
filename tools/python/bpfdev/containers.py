# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""bcc.containers: the C a tool puts in front of its program so that
container_should_be_filtered() says whether the current task is outside
the cgroups or mount namespaces the user chose (--cgroupmap, --mntnsmap).

bcc fills those from maps the user pinned (BPF_TABLE_PINNED); bpfdev's
programs cannot open a pinned map by path, so the options raise, and
without them (the usual case) the function is 0, as in bcc.
"""

from .libbpfdev import BPFError

NO_FILTER = """
static inline int _cgroup_filter() {
    return 0;
}
static inline int _mntns_filter() {
    return 0;
}
static inline int container_should_be_filtered() {
    return _cgroup_filter() || _mntns_filter();
}
"""


def filter_by_containers(args):
    if getattr(args, "cgroupmap", None) or getattr(args, "mntnsmap", None):
        raise BPFError("--cgroupmap and --mntnsmap need a pinned map (BPF_TABLE_PINNED), "
                       "which bpfdev does not support")
    return NO_FILTER
