// SPDX-License-Identifier: GPL-2.0
/*
 * The checked build of interp_body.h: runs any program, however wrong,
 * checking every step (bounds, stack initialisation, a step budget) and
 * reporting the first fault.  Userspace only (bpfvm, tests, fuzzers'
 * oracles): never linked into the module.  See interp.h.
 */

#include "interp_impl.h"

struct interp_frame {
	u64	lo;		/* lowest address of the frame's 512-byte stack */
	u8	*init;		/* one bit per stack byte: written */
};

/* What only a checked run keeps. */
struct interp_checks {
	const struct bpfdev_run_opts	*opts;
	int				err;
	u64				budget;
	struct interp_frame		frames[BPF_MAX_CALL_FRAMES];
	struct bpfdev_region		helper_regions[BPFDEV_RUN_HELPER_REGIONS];
	u32				nr_helper_regions;
};

/* Instructions whose dst_reg is written (r10 may not be). */
static bool interp_writes_dst(const struct bpf_insn *insn)
{
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return true;
	case BPF_LD:
		return BPF_MODE(insn->code) == BPF_IMM;
	default:
		return false;
	}
}

static __printf(3, 4) void interp_fault(struct interp_run *run, int err,
					const char *fmt, ...)
{
	const struct bpfdev_run_opts *opts = run->chk->opts;
	va_list args;

	if (run->chk->err)
		return;
	run->chk->err = err;
	if (!opts->err || !opts->err_size)
		return;
	va_start(args, fmt);
	vsnprintf(opts->err, opts->err_size, fmt, args);
	va_end(args);
}

static bool region_has(const struct bpfdev_region *r, u64 addr, u32 size)
{
	return addr >= r->addr && addr - r->addr <= r->len &&
	       size <= r->len - (addr - r->addr);
}

static bool stack_bits(u8 *init, u32 off, u32 size, bool set)
{
	u32 i;

	for (i = off; i < off + size; i++) {
		if (set)
			init[i / 8] |= 1 << (i % 8);
		else if (!(init[i / 8] & (1 << (i % 8))))
			return false;
	}
	return true;
}

static const char *access_name(int kind)
{
	switch (kind) {
	case INTERP_LOAD:
		return "load";
	case INTERP_STORE:
		return "store";
	default:
		return "atomic access";
	}
}

/*
 * The host address of [addr, addr + size) when it lies in a stack of a live
 * frame or in a region with the permissions kind needs; NULL after
 * reporting the fault otherwise.  Stack loads must read written bytes.
 */
static noinline void *interp_access(struct interp_run *run, u32 depth,
				    u64 addr, u32 size, int kind, int idx)
{
	const struct interp_checks *chk = run->chk;
	const struct bpfdev_run_opts *opts = chk->opts;
	u32 need = (kind & INTERP_LOAD ? BPFDEV_REGION_READ : 0) |
		   (kind & INTERP_STORE ? BPFDEV_REGION_WRITE : 0);
	const struct bpfdev_region *ro = NULL;
	u32 f, i, n;

	for (f = 0; f <= depth; f++) {
		struct bpfdev_region stack = {
			.addr = chk->frames[f].lo, .len = BPF_MAX_STACK,
		};
		u32 off = addr - stack.addr;

		if (!region_has(&stack, addr, size))
			continue;
		if ((kind & INTERP_LOAD) && !opts->uninit_stack &&
		    !stack_bits(chk->frames[f].init, off, size, false)) {
			interp_fault(run, -EFAULT,
				     "%s of %u bytes of uninitialized stack at insn %d: fp%d (frame %u)",
				     access_name(kind), size, idx,
				     (int)off - BPF_MAX_STACK, f);
			return NULL;
		}
		if (kind & INTERP_STORE)
			stack_bits(chk->frames[f].init, off, size, true);
		return (void *)(uintptr_t)addr;
	}
	n = opts->nr_regions + chk->nr_helper_regions;
	for (i = 0; i < n; i++) {
		const struct bpfdev_region *r = i < opts->nr_regions ?
			&opts->regions[i] :
			&chk->helper_regions[i - opts->nr_regions];

		if (!region_has(r, addr, size))
			continue;
		if ((r->flags & need) == need)
			return (void *)(uintptr_t)addr;
		ro = r;
	}
	if (ro)
		interp_fault(run, -EFAULT,
			     "%s of %u bytes at insn %d: region %s does not allow it",
			     access_name(kind), size, idx,
			     ro->name ? ro->name : "(unnamed)");
	else
		interp_fault(run, -EFAULT,
			     "out of bounds %s of %u bytes at insn %d: address 0x%llx not in any region",
			     access_name(kind), size, idx,
			     (unsigned long long)addr);
	return NULL;
}

/*
 * Helpers are opaque: a stack pointer passed to one counts as written for
 * the size in the next argument (bpf_skb_load_bytes(skb, off, to, len)),
 * or up to the frame's top when that is no size, so reading back what a
 * helper filled in is not reported.
 */
static void interp_helper_args(struct interp_run *run, u32 depth,
			       const u64 *args)
{
	const struct interp_checks *chk = run->chk;
	u32 f, i;

	for (i = 0; i < 5; i++) {
		for (f = 0; f <= depth; f++) {
			u64 lo = chk->frames[f].lo;
			u64 room, len;

			if (args[i] < lo || args[i] >= lo + BPF_MAX_STACK)
				continue;
			room = lo + BPF_MAX_STACK - args[i];
			len = (i < 4 && args[i + 1] && args[i + 1] <= room) ?
				args[i + 1] : room;
			stack_bits(chk->frames[f].init, args[i] - lo, len, true);
		}
	}
}

/* Memory a helper handed out (a map value) joins the regions. */
static void interp_helper_ret(struct interp_run *run, u32 id, u64 ret)
{
	struct interp_checks *chk = run->chk;
	const struct bpfdev_run_opts *opts = chk->opts;
	struct bpfdev_region r = { };

	if (!opts->helper_region || !ret ||
	    !opts->helper_region(opts->priv, id, ret, &r))
		return;
	/* A ring: the oldest region makes room. */
	chk->helper_regions[chk->nr_helper_regions % BPFDEV_RUN_HELPER_REGIONS] = r;
	if (chk->nr_helper_regions < BPFDEV_RUN_HELPER_REGIONS)
		chk->nr_helper_regions++;
}

#define INTERP_CHECKED 1
#include "interp_body.h"
#undef INTERP_CHECKED

int bpfdev_interp_run_checked(const struct bpfdev_code *code,
			      const struct bpfdev_run_opts *opts, u64 *r0)
{
	struct interp_checks chk = {
		.opts = opts,
		.budget = opts->budget ? opts->budget : BPFDEV_RUN_DEFAULT_BUDGET,
	};
	struct interp_run run = { .chk = &chk };
	u64 ret;

	*r0 = 0;
	if (opts->err && opts->err_size)
		opts->err[0] = '\0';
	if (!code || !code->insns || !code->len) {
		interp_fault(&run, -EINVAL, "empty program");
		return chk.err;
	}
	if (code->len > BPF_MAX_INSNS_PER_PROG) {
		interp_fault(&run, -E2BIG, "program of %u insns is too large",
			     code->len);
		return chk.err;
	}
	ret = interp_checked(&run, code, code->insns, opts->args, 0);
	if (chk.err)
		return chk.err;
	*r0 = run.stop ? 0 : ret;
	return 0;
}

