// SPDX-License-Identifier: GPL-2.0
/*
 * The eBPF interpreter: the fast build of interp_body.h, which trusts the
 * program (the module runs only verified code).  The checked build is
 * interp_checked.c, for userspace only.  See interp.h.
 */

#include "interp_impl.h"

#define INTERP_CHECKED 0
#include "interp_body.h"
#undef INTERP_CHECKED

u64 bpfdev_interp_run_args(const struct bpfdev_code *code, u64 r1, u64 r2)
{
	struct interp_run run = { };
	u64 args[5] = { r1, r2 };
	u64 r0;

	r0 = interp_fast(&run, code, code->insns, args, 0);
	return run.stop ? 0 : r0;
}

u64 bpfdev_interp_run(const struct bpfdev_code *code, const void *ctx)
{
	return bpfdev_interp_run_args(code, (uintptr_t)ctx, 0);
}

u32 bpfdev_interp_skb_regions(const struct bpfdev_skb *skb,
			      struct bpfdev_region *r)
{
	r[0] = (struct bpfdev_region) {
		.addr = (uintptr_t)&skb->md, .len = sizeof(skb->md),
		.flags = BPFDEV_REGION_READ, .name = "ctx",
	};
	r[1] = (struct bpfdev_region) {
		.addr = (uintptr_t)&skb->md.cb, .len = sizeof(skb->md.cb),
		.flags = BPFDEV_REGION_RW, .name = "ctx cb",
	};
	/* What the verifier's rewrite of data/data_end loads. */
	r[2] = (struct bpfdev_region) {
		.addr = (uintptr_t)&skb->data,
		.len = sizeof(skb->data) + sizeof(skb->data_end),
		.flags = BPFDEV_REGION_READ, .name = "ctx data pointers",
	};
	r[3] = (struct bpfdev_region) {
		.addr = (uintptr_t)skb->data, .len = skb->data_end - skb->data,
		.flags = BPFDEV_REGION_READ, .name = "packet",
	};
	return 4;
}
