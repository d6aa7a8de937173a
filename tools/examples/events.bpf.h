/* SPDX-License-Identifier: GPL-2.0 */
/* The record events.bpf.c sends through its ring buffer to bpfdev-events. */
#ifndef BPFDEV_EXAMPLES_EVENTS_H
#define BPFDEV_EXAMPLES_EVENTS_H

struct pkt_event {
	__u64 tstamp_ns;
	__u32 len;
	__u32 saddr;		/* network order */
	__u32 daddr;
	__u16 sport;		/* host order */
	__u16 dport;
	__u8 proto;
	__u8 pad[7];
};

#endif /* BPFDEV_EXAMPLES_EVENTS_H */
