/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_HOOK_PRIO_H
#define BPFDEV_HOOK_PRIO_H

#include <linux/limits.h>

/*
 * Where bpfdev's netfilter netdev hooks sit on a device, lowest first.
 * Action programs run before capture in both directions, so a capture
 * socket sees a packet as the programs left it (rewritten, or not at all
 * when dropped or redirected).  At ingress both come before every
 * nftables netdev chain; at egress both after them, capture last, as the
 * packet leaves for tc egress and the qdisc.
 */
#define BPFDEV_PRIO_ACT_INGRESS		INT_MIN
#define BPFDEV_PRIO_CAP_INGRESS		(INT_MIN + 1)
#define BPFDEV_PRIO_ACT_EGRESS		(INT_MAX - 1)
#define BPFDEV_PRIO_CAP_EGRESS		INT_MAX

#endif /* BPFDEV_HOOK_PRIO_H */
