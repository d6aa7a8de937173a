// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's privilege tiers, as 6.1's bpf_check() sets them: every
 * case of test_verifier_cases_unpriv.h is verified as root (CAP_BPF and
 * CAP_PERFMON), as a CAP_BPF-only caller (bpf_capable, but none of
 * allow_ptr_leaks / bypass_spec_v1 / bypass_spec_v4) and with neither
 * (an unprivileged socket filter).  Each tier's verdict and message are
 * checked, and for accepted programs what the mitigations put into the
 * xlated program: masking through AX, nospec barriers, "goto -1" traps.
 * Accepted programs then run under the checked interpreter, and JITed,
 * with the expected r0.
 */

#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "interp.h"
#include "jit.h"
#include "skb.h"
#include "verifier.h"
#include "../common/test_verifier_harness.h"
#include "../common/test_verifier_host.h"
#include "test_verifier_cases_unpriv.h"

static char vu_log[1 << 20];

static const char *const vu_tier_name[VU_TIERS] = { "root", "cap_bpf", "unpriv" };

struct vu_count {
	u32 nospec, ax, traps;
};

static void vu_count_xlated(const struct bpf_insn *x, u32 len, struct vu_count *c)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < len; i++) {
		if (x[i].code == BPFDEV_ST_NOSPEC)
			c->nospec++;
		else if (x[i].code == (BPF_JMP | BPF_JA) && x[i].off == -1)
			c->traps++;
		else if (!bpfdev_insn_is_ld_imm64(&x[i]) &&
			 (x[i].dst_reg == BPFDEV_REG_AX || x[i].src_reg == BPFDEV_REG_AX))
			c->ax++;
		if (bpfdev_insn_is_ld_imm64(&x[i]))
			i++;
	}
}

static u32 vu_len(const struct vu_case *c)
{
	u32 n;

	for (n = VT_MAX_INSNS; n > 0; n--) {
		const struct bpf_insn *i = &c->insns[n - 1];

		if (i->code || i->dst_reg || i->src_reg || i->off || i->imm)
			break;
	}
	return n;
}

/* Runs the xlated program checked, then JITed; both must give want. */
static bool vu_run(const struct bpfdev_verifier_env *env, int tier, u64 want, char *why,
		   size_t size)
{
	static u8 pkt[256];
	struct bpfdev_skb skb;
	struct bpfdev_region regions[5];
	char fault[256] = "";
	struct bpfdev_code code = {
		.insns = env->xlated, .len = env->xlated_len,
		.type = BPF_PROG_TYPE_SOCKET_FILTER,
		.stack_depth = env->stack_depth[0], .env = &vt_env,
	};
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts), .regions = regions, .skb = &skb,
		.helper_region = vt_helper_region,
		.err = fault, .err_size = sizeof(fault),
		/* root may read stack it never wrote */
		.uninit_stack = tier == VU_ROOT,
	};
	u64 r0 = 0;
	int err;

	vt_make_packet(pkt, 64);
	bpfdev_skb_init_linear(&skb, pkt, 64);
	skb.md.hash = 0x44332211;
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.args[0] = (uintptr_t)&skb;
	err = bpfdev_interp_run_checked(&code, &opts, &r0);
	if (err) {
		snprintf(why, size, "the checked run faulted: %s", fault);
		return false;
	}
	if (r0 != want) {
		snprintf(why, size, "interpreter r0 = %#llx, expected %#llx",
			 (unsigned long long)r0, (unsigned long long)want);
		return false;
	}
	err = bpfdev_jit_compile(&code, 0);
	if (err) {
		snprintf(why, size, "JIT failed: %d", err);
		return false;
	}
	r0 = bpfdev_code_run(&code, &skb);
	bpfdev_jit_free(&code);
	if (r0 != want) {
		snprintf(why, size, "JIT r0 = %#llx, expected %#llx",
			 (unsigned long long)r0, (unsigned long long)want);
		return false;
	}
	return true;
}

static bool vu_case(const struct vu_case *c, int tier, char *why, size_t size)
{
	struct bpfdev_log log = { .level = 1, .buf = vu_log, .size = sizeof(vu_log) };
	const struct vu_expect *e = &c->expect[tier];
	struct bpfdev_verifier_env env = {
		.insns = c->insns, .len = vu_len(c),
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = tier == VU_ROOT, .bpf_capable = tier == VU_CAP_BPF,
		.log = &log, .helpers = &vt_env, .map_resolve = vt_map_resolve,
	};
	struct vu_count n;
	bool pass = true;
	int err;

	vu_log[0] = 0;
	vt_maps_reset();
	err = bpfdev_verify(&env);
	if (e->errstr) {
		if (!err) {
			snprintf(why, size, "accepted, expected '%s'", e->errstr);
			bpfdev_verifier_env_release(&env);
			return false;
		}
		if (!strstr(vu_log, e->errstr)) {
			snprintf(why, size, "rejected (%d) without '%s'", err, e->errstr);
			return false;
		}
		return true;
	}
	if (err) {
		snprintf(why, size, "rejected (%d)", err);
		return false;
	}
	vu_count_xlated(env.xlated, env.xlated_len, &n);
	if (n.nospec != e->nospec || n.ax != e->ax || n.traps != e->traps) {
		snprintf(why, size, "xlated has %u nospec, %u AX insns, %u traps; expected %u, %u, %u",
			 n.nospec, n.ax, n.traps, e->nospec, e->ax, e->traps);
		pass = false;
	}
	if (pass && c->run)
		pass = vu_run(&env, tier, c->retval, why, size);
	bpfdev_verifier_env_release(&env);
	return pass;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	u32 i;
	int t;

	tap_plan(0);
	for (i = 0; i < ARRAY_SIZE(vu_cases); i++) {
		const struct vu_case *c = &vu_cases[i];

		if (only && !strstr(c->name, only))
			continue;
		for (t = 0; t < VU_TIERS; t++) {
			char why[512] = "";
			bool pass = vu_case(c, t, why, sizeof(why));

			ok(pass, "%s (%s)", c->name, vu_tier_name[t]);
			if (!pass) {
				printf("#   %s\n", why);
				if (only)
					printf("# log:\n%s\n", vu_log);
			}
		}
	}
	return tap_done();
}
