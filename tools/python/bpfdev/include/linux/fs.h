/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* linux/fs.h for bcc-style programs: its types come with bpfdev_bcc.h, from the kernel's BTF (a program including it is compiled with them). */
#ifndef BPFDEV_BCC_COMPAT_LINUX_FS_H
#define BPFDEV_BCC_COMPAT_LINUX_FS_H
#include "bpfdev_bcc.h"
#endif
