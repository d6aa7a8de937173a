/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ranges of struct __sk_buff fields, for the context rules of the program
 * types that take one (ctx_skb.c, ctx_tc.c), as the kernel's
 * bpf_ctx_range() and bpf_ctx_range_till() case labels.
 */
#ifndef BPFDEV_CORE_CTX_FIELDS_H
#define BPFDEV_CORE_CTX_FIELDS_H

#define SKB_OFF(f)		offsetof(struct __sk_buff, f)
#define SKB_END(f)		(offsetof(struct __sk_buff, f) + sizeof(((struct __sk_buff *)0)->f))
#define IN_FIELD(off, f)	((off) >= SKB_OFF(f) && (off) < SKB_END(f))
#define IN_RANGE(off, a, b)	((off) >= SKB_OFF(a) && (off) < SKB_END(b))

#endif /* BPFDEV_CORE_CTX_FIELDS_H */
