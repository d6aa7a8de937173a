/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the kernel's headers give bcc's programs beside types: BTF carries
 * structs, unions, enums and typedefs, never a #define, so the constants
 * and macros bcc's tools use are spelled out here (values as in 6.1 and
 * 6.12).  Included by bpfdev_bcc.h after the BTF-made header.
 */
#ifndef BPFDEV_KERNEL_H
#define BPFDEV_KERNEL_H

#include <linux/limits.h>	/* NAME_MAX, PATH_MAX: macros only */

#define TASK_COMM_LEN	16
#define DISK_NAME_LEN	32

#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)
#define MAJOR(dev)	((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)	((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)	(((ma) << MINORBITS) | (mi))

/* struct request's cmd_flags: the operation in the low bits. */
#define REQ_OP_BITS	8
#define REQ_OP_MASK	((1 << REQ_OP_BITS) - 1)

#define PF_KTHREAD	0x00200000
#define TASK_RUNNING	0x0000

#endif /* BPFDEV_KERNEL_H */
