// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded loop over headers: walk up to 8 type-length records after
 * the Ethernet header (each: type byte, length byte) and sum the types.
 */
#include "vt_bpf.h"

SEC("socket")
int walk_headers(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	unsigned int off = sizeof(struct ethhdr), sum = 0;
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 8; i++) {
		unsigned char *p = data + off;

		if ((void *)(p + 2) > data_end)
			break;
		sum += p[0];
		off += (p[1] & 7) + 2;
		if (off > 64)
			break;
	}
	return sum;
}

SEC("socket")
int sum_bytes(struct __sk_buff *skb)
{
	unsigned char buf[16];
	unsigned int sum = 0;
	int i;

	if (bpf_skb_load_bytes(skb, 0, buf, sizeof(buf)))
		return 0;
#pragma clang loop unroll(disable)
	for (i = 0; i < 16; i++)
		sum += buf[i];
	return sum;
}
