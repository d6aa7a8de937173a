/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* uapi/linux/ptrace.h for bcc-style programs: struct pt_regs and PT_REGS_* come with bpfdev_bcc.h. */
#ifndef BPFDEV_BCC_COMPAT_UAPI_LINUX_PTRACE_H
#define BPFDEV_BCC_COMPAT_UAPI_LINUX_PTRACE_H
#include "bpfdev_bcc.h"
#endif
