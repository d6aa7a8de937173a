/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_TAP_H
#define BPFDEV_CAPTURE_TAP_H

struct bpfdev_capture;
struct bpfdev_fanout;
struct bpfdev_tap_dev;
struct net_device;

/*
 * Netfilter netdev hooks (ingress and egress) on the devices capture
 * sockets are bound to: one registration per device and direction,
 * shared by every socket there, plus every device of a namespace that has
 * a socket bound to "any".  Attach and detach run under rtnl.
 */
int bpfdev_tap_init(void);
void bpfdev_tap_exit(void);

/* Start feeding c from dev, or from every device of c->net (dev NULL). */
int bpfdev_tap_attach(struct bpfdev_capture *c, struct net_device *dev);
/* Stop; the caller waits for a grace period before freeing or reusing c. */
void bpfdev_tap_detach(struct bpfdev_capture *c);

/* The same for a fanout group, on f->dev (or "any": f->dev NULL). */
int bpfdev_tap_attach_fanout(struct bpfdev_fanout *f);
void bpfdev_tap_detach_fanout(struct bpfdev_fanout *f);

#endif /* BPFDEV_CAPTURE_TAP_H */
