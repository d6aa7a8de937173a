// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's cost (issue 21): programs that once took bpfdev 100 times
 * the kernel's time keep their processed-instruction counts and finish in
 * a bounded time, the precision walk follows a legacy packet load as the
 * kernel's does, and a log with a sink (the module's: each call is a copy
 * to user memory) receives the very text of a plain log in a few calls.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tap.h"
#include "verifier.h"
#include "../common/test_verifier_harness.h"
#include "../common/test_verifier_host.h"
#include "../common/verifier_cost_progs.h"

/* Far above what these take now (a second or two under ASan), far below before. */
#define VC_MAX_SECONDS	60

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int verify(const struct bpf_insn *insns, u32 len, struct bpfdev_log *log,
		  u32 *processed)
{
	struct bpfdev_verifier_env env = {
		.insns = insns, .len = len,
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.privileged = true,
		.map_resolve = vt_map_resolve,
		.log = log,
	};
	int err = bpfdev_verify(&env);

	*processed = env.verified_insns;
	bpfdev_verifier_env_release(&env);
	return err;
}

static void cost_progs(void)
{
	static struct bpf_insn insns[VT_MAX_INSNS];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(vc_progs); i++) {
		const struct vc_prog *p = &vc_progs[i];
		static char buf[1 << 18];
		struct bpfdev_log log = { .level = p->log_level, .buf = buf, .size = p->log_size };
		u32 processed;
		double t;
		int n, err;

		n = vc_parse(p, VT_MAP_ARRAY_1, insns, ARRAY_SIZE(insns));
		if (!ok(n > 0, "%s: parsed", p->name))
			continue;
		t = now_s();
		err = verify(insns, n, p->log_level ? &log : NULL, &processed);
		t = now_s() - t;
		ok_eq(err, p->err, "%s: verdict", p->name);
		ok_eq(processed, p->processed, "%s: processed insns (the kernel's)", p->name);
		ok(t < VC_MAX_SECONDS, "%s: %.2f s, under %d s", p->name, t, VC_MAX_SECONDS);
	}
}

/*
 * The checkpoint at the join of r7 = 0 and r7 = 5 covers the second path
 * only if r7 stays imprecise: the branch decided on r8 at 14 is traced
 * back past the packet load at 13, whose result is not what it needs.
 */
static void ld_abs_precision(void)
{
	static const struct vc_prog p = {
		.text = "bf:6:1:0:0 30:0:0:0:0 b7:7:0:0:0 b7:1:0:0:0 b7:2:0:0:0 "
			"b7:3:0:0:0 b7:4:0:0:0 05:0:0:0:0 b7:5:0:0:0 b7:8:0:0:0 "
			"15:0:0:1:1 b7:7:0:0:5 b7:8:0:0:3 30:0:0:0:1 25:8:0:1:2 "
			"b7:0:0:0:0 bf:0:7:0:0 95:0:0:0:0",
	};
	struct bpf_insn insns[32];
	u32 processed;
	int n = vc_parse(&p, -1, insns, ARRAY_SIZE(insns));

	ok_eq(verify(insns, n, NULL, &processed), 0, "ld_abs precision: accepted");
	ok_eq(processed, 18, "ld_abs precision: the second path pruned at the join (kernel: 18)");
}

/* ---- a log with a sink against a plain one ---- */

static char sink_buf[1 << 18];
static u32 sink_calls;

static int test_sink(struct bpfdev_log *log, u32 pos, const char *text, u32 n)
{
	if (pos + n + 1 > sizeof(sink_buf))
		return -EFAULT;
	memcpy(sink_buf + pos, text, n);
	sink_buf[pos + n] = 0;
	sink_calls++;
	return 0;
}

static void log_parity(const char *name, const char *text, u32 level, u32 size,
		       u32 max_calls)
{
	static char plain[1 << 18], line[BPFDEV_LOG_LINE];
	const struct vc_prog p = { .text = text };
	struct bpf_insn insns[64];
	struct bpfdev_log a = { .level = level, .buf = plain, .size = size };
	struct bpfdev_log b = { .level = level, .buf = line, .size = size, .sink = test_sink };
	u32 pa, pb;
	int n = vc_parse(&p, -1, insns, ARRAY_SIZE(insns));
	int ea, eb;

	memset(sink_buf, 'X', sizeof(sink_buf));
	sink_calls = 0;
	ea = verify(insns, n, &a, &pa);
	eb = verify(insns, n, &b, &pb);
	ok(ea == eb && a.len == b.len && a.truncated == b.truncated && !b.faulted &&
	   !strcmp(plain, sink_buf),
	   "log %s, level %u, %u bytes: the sink's text is the plain log's (%u bytes)",
	   name, level, size, a.len);
	ok(sink_calls <= max_calls, "log %s, level %u, %u bytes: %u sink calls, at most %u",
	   name, level, size, sink_calls, max_calls);
}

static void logs(void)
{
	/* the bounded loop of vc_progs: a level 2 log that fills up */
	const char *loop = vc_progs[2].text;
	/* branches, then an uninitialised read: level 1 rewinds each path */
	const char *reject = "bf:6:1:0:0 30:0:0:0:0 b7:7:0:0:0 15:0:0:1:1 b7:7:0:0:5 "
			     "30:0:0:0:1 15:0:0:1:2 b7:7:0:0:6 79:0:a:-8:0 95:0:0:0:0";

	log_parity("loop", loop, 2, 256 << 10, (256 << 10) / 512);
	log_parity("loop", loop, 2, 5000, 16);
	log_parity("loop", loop, 1, 256 << 10, (256 << 10) / 512);
	log_parity("loop", loop, 6, 128, 4);
	log_parity("reject", reject, 1, 4096, 4);
	log_parity("reject", reject, 1, 200, 4);
	log_parity("reject", reject, 2, 4096, 4);
}

int main(void)
{
	tap_plan(3 * 4 + 2 + 7 * 2);
	vt_maps_reset();
	cost_progs();
	ld_abs_precision();
	logs();
	return tap_done();
}
