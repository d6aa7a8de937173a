// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm as a bpf_conformance plugin: `bpfvm [--interp|--jit] [MEM...]`
 * with the program as one line of hex bytes on stdin.  r1 points at the
 * memory, r2 holds its length; r0 is printed in hex.  The program is
 * unverified, so the interpreter is the checked one: a bad program gets
 * an error naming the instruction and a non-zero exit, never a crash.
 * --unchecked runs the fast interpreter instead, for testing it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfvm.h"
#include "interp.h"

static char *read_line(FILE *f)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *tmp;
	int c;

	if (!buf)
		return NULL;
	while ((c = fgetc(f)) != EOF && c != '\n') {
		if (n + 1 == cap) {
			tmp = realloc(buf, cap *= 2);
			if (!tmp) {
				free(buf);
				return NULL;
			}
			buf = tmp;
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

void plugin_usage(FILE *f, const char *lead)
{
	fprintf(f, "%sbpfvm [--interp|--jit] [--unchecked] [MEM HEX BYTES...] < PROGRAM-HEX\n",
		lead);
}

int cmd_plugin(int argc, char **argv)
{
	struct bpfdev_code code = { .env = bpfvm_env(true) };
	struct bpfdev_region region = { .flags = BPFDEV_REGION_RW, .name = "mem" };
	struct bpfdev_run_opts opts = { .sz = sizeof(opts) };
	char *memhex = NULL, *line, err[256];
	size_t memlen = 0, proglen, used = 0;
	uint8_t *mem = NULL, *prog;
	bool jit = false, unchecked = false;
	u64 r0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--jit")) {
			jit = true;
		} else if (!strcmp(argv[i], "--interp")) {
			jit = false;
		} else if (!strcmp(argv[i], "--unchecked")) {
			/* The fast interpreter, to test it: trusts the program. */
			unchecked = true;
		} else if (is_help(argv[i])) {
			plugin_usage(stdout, "usage: ");
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "bpfvm: unknown option %s (try --help)\n", argv[i]);
			return 2;
		} else {
			/* Memory bytes: one or more arguments of hex. */
			size_t l = strlen(argv[i]);

			memhex = realloc(memhex, used + l + 2);
			if (!memhex)
				return 1;
			memcpy(memhex + used, argv[i], l);
			used += l;
			memhex[used++] = ' ';
			memhex[used] = '\0';
		}
	}
	if (memhex && parse_hex(memhex, &mem, &memlen)) {
		fprintf(stderr, "bpfvm: memory is not hex bytes\n");
		return 2;
	}
	line = read_line(stdin);
	if (!line || parse_hex(line, &prog, &proglen)) {
		fprintf(stderr, "bpfvm: the program on stdin is not hex bytes\n");
		return 2;
	}
	if (load_insns(&code, prog, proglen, "stdin"))
		return 1;
	if (prepare_engine(&code, jit))
		return 1;
	if (code.jited || unchecked) {
		/* The JIT and the fast interpreter trust their program. */
		r0 = run_prepared(&code, (uintptr_t)mem, memlen);
		printf("%llx\n", (unsigned long long)r0);
		return 0;
	}
	region.addr = (uintptr_t)mem;
	region.len = memlen;
	opts.regions = &region;
	opts.nr_regions = memlen ? 1 : 0;
	opts.args[0] = memlen ? (uintptr_t)mem : 0;
	opts.args[1] = memlen;
	opts.unwind_helper = BPFVM_UNWIND_HELPER;
	opts.err = err;
	opts.err_size = sizeof(err);
	ret = bpfdev_interp_run_checked(&code, &opts, &r0);
	if (ret) {
		fprintf(stderr, "bpfvm: %s\n", err);
		return 1;
	}
	printf("%llx\n", (unsigned long long)r0);
	free(line);
	free(prog);
	free(mem);
	free(memhex);
	return 0;
}
