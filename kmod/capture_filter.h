/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_FILTER_H
#define BPFDEV_CAPTURE_FILTER_H

#include <linux/types.h>
#include <linux/workqueue.h>

#include "code.h"

struct bpfdev_capture;
struct bpfdev_prog;

/*
 * A filter as the packet path runs it: a converted classic program of
 * its own, or a reference on an eBPF program object.
 */
struct bpfdev_cap_prog {
	const struct bpfdev_code *code;
	bool			md;		/* reads __sk_buff beyond len */
	struct bpfdev_code	classic;
	struct bpfdev_prog	*prog;
	struct rcu_work		free_work;	/* a replaced filter's free */
};

void bpfdev_cap_prog_free(struct bpfdev_cap_prog *p);
/* BPFDEV_IOC_CAP_SET_FILTER, with the socket's lock held. */
int bpfdev_capture_set_filter(struct bpfdev_capture *c, void __user *arg);

#endif /* BPFDEV_CAPTURE_FILTER_H */
