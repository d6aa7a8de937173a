// SPDX-License-Identifier: GPL-2.0
/* Ringbuf records and a BPF-to-BPF call. */
#include "vt_bpf.h"

struct vt_map_def SEC("maps") events = {
	.type = BPF_MAP_TYPE_RINGBUF,
	.max_entries = 4096,
};

struct event {
	unsigned int len;
	unsigned int proto;
	unsigned char head[8];
};

static __noinline int fill(struct __sk_buff *skb, struct event *e)
{
	e->len = skb->len;
	e->proto = skb->protocol;
	return bpf_skb_load_bytes(skb, 0, e->head, sizeof(e->head));
}

SEC("socket")
int record(struct __sk_buff *skb)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	int ret;

	if (!e)
		return 0;
	ret = fill(skb, e);
	bpf_ringbuf_submit(e, 0);
	return ret ? 1 : skb->len;
}
