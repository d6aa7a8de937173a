// SPDX-License-Identifier: GPL-2.0
/*
 * clang -O2 programs (selftests/unit/progs, *.bpf.c built by
 * selftests/fuzz/build.mk) through the verifier: a minimal ELF reader
 * takes each program section, links the .text subprograms it calls and
 * points its map relocations at test maps; the verified program then runs
 * in the checked interpreter and must return what a C reference computes.
 */

#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "interp.h"
#include "skb.h"
#include "verifier.h"
#include "../common/test_verifier_harness.h"
#include "../common/test_verifier_host.h"

#include "../common/test_verifier_elf.h"

/* ---- C references of what the programs compute on the test packet ---- */

static u64 ref_parse_port(const u8 *p, u32 len)
{
	u32 ihl = (p[14] & 15) * 4;

	if (len < 34 || p[12] != 8 || p[13] != 0 || ihl != 20)
		return 0;
	if ((p[23] == 6 && 14 + ihl + 20 <= len) || (p[23] == 17 && 14 + ihl + 8 <= len))
		return p[14 + ihl + 2] << 8 | p[14 + ihl + 3];
	return 0;
}

static u64 ref_count_ip(const u8 *p, u32 len)
{
	if (len < 34 || p[12] != 8 || p[13] != 0)
		return 0;
	return 101;	/* first packet: counter created, then read back */
}

static u64 ref_walk_headers(const u8 *p, u32 len)
{
	u32 off = 14, sum = 0, i;

	for (i = 0; i < 8; i++) {
		if (off + 2 > len)
			break;
		sum += p[off];
		off += (p[off + 1] & 7) + 2;
		if (off > 64)
			break;
	}
	return sum;
}

static u64 ref_sum_bytes(const u8 *p, u32 len)
{
	u32 sum = 0, i;

	if (len < 16)
		return 0;
	for (i = 0; i < 16; i++)
		sum += p[i];
	return sum;
}

static u64 ref_record(const u8 *p, u32 len)
{
	return len < 8 ? 1 : len;
}

static const struct {
	const char *obj, *sec;
	u64 (*ref)(const u8 *p, u32 len);
} progs[] = {
	{ "parser", "socket", ref_parse_port },
	{ "counters", "socket", ref_count_ip },
	{ "loop", "socket", NULL },	/* two programs in one section: see below */
	{ "ringbuf_calls", "socket", ref_record },
};

static char vlog[1 << 20];

static bool run_prog(const char *name, const struct bpf_insn *insns, u32 len,
		     u64 (*ref)(const u8 *, u32), u32 pkt_len)
{
	struct bpfdev_log log = { .level = BPFDEV_LOG_LEVEL1, .buf = vlog, .size = sizeof(vlog) };
	struct bpfdev_verifier_env env = {
		.insns = insns, .len = len, .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = true, .log = &log, .helpers = &vt_env,
		.map_resolve = vt_map_resolve,
	};
	static u8 pkt[1500];
	struct bpfdev_skb skb;
	struct bpfdev_region regions[4];
	char fault[256] = "";
	struct bpfdev_run_opts opts = {
		.sz = sizeof(opts), .regions = regions, .skb = &skb,
		.helper_region = vt_helper_region, .err = fault, .err_size = sizeof(fault),
	};
	struct bpfdev_code code = { .type = BPF_PROG_TYPE_SOCKET_FILTER, .env = &vt_env };
	u64 r0 = 0;
	int err;

	err = bpfdev_verify(&env);
	if (!ok(!err, "%s: verified (%u insns, %u processed)", name, len, env.verified_insns)) {
		printf("# %s\n", vlog);
		return false;
	}
	code.insns = env.xlated;
	code.len = env.xlated_len;
	code.stack_depth = env.stack_depth[0];
	vt_make_packet(pkt, pkt_len);
	bpfdev_skb_init_linear(&skb, pkt, pkt_len);
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	opts.args[0] = (uintptr_t)&skb;
	err = bpfdev_interp_run_checked(&code, &opts, &r0);
	bpfdev_verifier_env_release(&env);
	if (!ok(!err, "%s: runs without fault on %u bytes", name, pkt_len))
		printf("# %s\n", fault);
	return ok(r0 == ref(pkt, pkt_len), "%s: r0 %llu on %u bytes, reference %llu", name,
		  (unsigned long long)r0, pkt_len, (unsigned long long)ref(pkt, pkt_len));
}

struct obj_ctx {
	struct elf_obj *o;
	u64 (*ref)(const u8 *, u32);
};

static void test_prog(void *priv, const char *fname, const struct bpf_insn *insns, u32 len)
{
	static const u32 lens[] = { 64, 34, 20 };
	struct obj_ctx *ctx = priv;
	u64 (*r)(const u8 *, u32) = ctx->ref;
	u32 l;

	if (!strcmp(fname, "walk_headers"))
		r = ref_walk_headers;
	else if (!strcmp(fname, "sum_bytes"))
		r = ref_sum_bytes;
	if (!ok(r != NULL, "%s: has a reference", fname))
		return;
	for (l = 0; l < ARRAY_SIZE(lens); l++) {
		vt_maps_reset();
		elf_maps(ctx->o);
		run_prog(fname, insns, len, r, lens[l]);
	}
}

static void test_object(const char *dir, const char *obj, u64 (*ref)(const u8 *, u32))
{
	struct elf_obj o;
	struct obj_ctx ctx = { &o, ref };
	char path[512];

	snprintf(path, sizeof(path), "%s/progs/%s.bpf.o", dir, obj);
	if (!ok(!elf_open(&o, path), "%s: open %s", obj, path))
		return;
	o.map_base = VT_NR_MAPS;
	ok(elf_for_each_prog(&o, test_prog, &ctx) > 0, "%s: has programs", obj);
	elf_close(&o);
}

int main(int argc, char **argv)
{
	char self[512], *dir;
	u32 i;

	snprintf(self, sizeof(self), "%s", argv[0]);
	dir = dirname(self);
	tap_plan(0);
	for (i = 0; i < ARRAY_SIZE(progs); i++)
		test_object(dir, progs[i].obj, progs[i].ref);
	return tap_done();
}
