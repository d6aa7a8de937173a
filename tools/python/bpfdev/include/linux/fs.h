/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* linux/fs.h for bcc-style programs: nothing: kernel structs are not available (read them with bpf_probe_read_kernel at known offsets). */
#ifndef BPFDEV_BCC_COMPAT_LINUX_FS_H
#define BPFDEV_BCC_COMPAT_LINUX_FS_H
#include "bpfdev_bcc.h"
#endif
