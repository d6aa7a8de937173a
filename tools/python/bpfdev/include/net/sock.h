/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* net/sock.h for bcc-style programs: nothing: kernel structs are not available. */
#ifndef BPFDEV_BCC_COMPAT_NET_SOCK_H
#define BPFDEV_BCC_COMPAT_NET_SOCK_H
#include "bpfdev_bcc.h"
#endif
