/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_VERSION_H
#define BPFDEV_VERSION_H

#define BPFDEV_VERSION "0.1.0"

#endif /* BPFDEV_VERSION_H */
