// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm and the formatter agree: for each format, bpfvm runs a program
 * that calls bpf_trace_printk() (the format and any string on its stack,
 * the other arguments in registers), and its r0 and stderr must be what
 * bpfdev_printk_format() returns and prints here for the same arguments.
 * The module calls the same formatter; the guest tests that read its
 * trace_pipe cover that side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isa.h"
#include "printk_fmt.h"
#include "../common/printk_progs.h"
#include "tap.h"

#define BPFVM	BPFDEV_TOP "/tools/bpfvm/bpfvm"

static char *slurp(const char *path)
{
	static char text[4096];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = 0;
	return text;
}

static void check(const struct printk_case *c, const char *dir)
{
	static struct bpfdev_printk_buf buf;
	struct bpf_insn p[128];
	char prog[256], out[256], err[256], cmd[1024], want_r0[64];
	u64 args[3] = { c->a[0], c->a[1], c->a[2] };
	u32 n = printk_build(p, c);
	unsigned long long r0 = 0;
	FILE *f;
	int ret;

	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	f = fopen(prog, "w");
	fwrite(p, sizeof(p[0]), n, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s run %s >%s 2>%s", BPFVM, prog, out, err);
	if (system(cmd)) {
		ok(0, "bpfvm runs \"%s\": %s", c->fmt, slurp(err));
		return;
	}
	sscanf(slurp(out), "r0 = %llu", &r0);

	if (c->str)
		args[c->str_arg] = (uintptr_t)c->str;
	ret = bpfdev_printk_format(&buf, c->fmt, strlen(c->fmt) + 1, args, &printk_test_ops);
	snprintf(want_r0, sizeof(want_r0), "%d", ret);
	ok(r0 == (u64)(s64)ret && !strcmp(slurp(err), ret > 0 ? buf.line : ""),
	   "bpfvm and the formatter agree on \"%.*s\" (r0 %lld, want %s)",
	   (int)strcspn(c->fmt, "\n"), c->fmt, (long long)r0, want_r0);
}

int main(void)
{
	static const struct printk_case cases[] = {
		/* printed by the module, EINVAL in the old bpfvm */
		{ "%5d|\n", { 42 } },
		{ "val %d\n", { 5 } },
		{ "%-6ld|%08x|%+d\n", { -7ULL, 0xbeef, 3 } },
		{ "%llu %X %c\n", { 0x1ffffffffULL, 0xabc, 'z' } },
		{ "%s!\n", { 0 }, "hi", 0 },
		{ "%d %5s|\n", { 1 }, "ab", 1 },
		{ "%s|\n", { 8 } },
		{ "%pks!\n", { 0 }, "k", 0 },
		{ "%pI4\n", { 0 }, "\x0a\x01\x02\x03", 0 },
		{ "%px %p.\n", { 0x1234, 0 } },
		{ "%d %d %d %d\n", { 1 } },
		{ "%#x\n", { 1 } },
		{ "%hd\n", { 1 } },
	};
	char dir[] = "/tmp/printk_bpfvm.XXXXXX";
	char cmd[64];
	size_t i;

	if (access(BPFVM, X_OK)) {
		tap_plan(0);
		tap_skip("bpfvm not built", "%s", BPFVM);
		return tap_done();
	}
	if (!mkdtemp(dir))
		return 1;
	tap_plan(ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check(&cases[i], dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		tap_diag("could not remove %s", dir);
	return tap_done();
}
