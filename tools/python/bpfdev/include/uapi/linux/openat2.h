/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* uapi/linux/openat2.h for bcc-style programs: struct open_how, from the kernel's BTF when the program has its types, else the uapi header. */
#ifndef BPFDEV_BCC_COMPAT_UAPI_LINUX_OPENAT2_H
#define BPFDEV_BCC_COMPAT_UAPI_LINUX_OPENAT2_H
#ifndef BPFDEV_KERNEL_TYPES
#include <linux/openat2.h>
#endif
#endif
