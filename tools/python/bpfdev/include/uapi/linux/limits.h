/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* uapi/linux/limits.h for bcc-style programs: NAME_MAX and PATH_MAX, as the uapi header. */
#ifndef BPFDEV_BCC_COMPAT_UAPI_LINUX_LIMITS_H
#define BPFDEV_BCC_COMPAT_UAPI_LINUX_LIMITS_H
#include <linux/limits.h>
#endif
