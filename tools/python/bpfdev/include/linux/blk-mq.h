/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* linux/blk-mq.h for bcc-style programs: nothing: kernel structs are not available. */
#ifndef BPFDEV_BCC_COMPAT_LINUX_BLK_MQ_H
#define BPFDEV_BCC_COMPAT_LINUX_BLK_MQ_H
#include "bpfdev_bcc.h"
#endif
