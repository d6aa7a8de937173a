/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* linux/sched.h for bcc-style programs: TASK_COMM_LEN; no kernel structs (no task_struct). */
#ifndef BPFDEV_BCC_COMPAT_LINUX_SCHED_H
#define BPFDEV_BCC_COMPAT_LINUX_SCHED_H
#include "bpfdev_bcc.h"
#endif
