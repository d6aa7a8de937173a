// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm: the bpfdev engine in a process.
 *
 *   bpfvm [--interp|--jit] [MEM HEX BYTES...] < program-hex-line
 *	the bpf_conformance plugin protocol (r1 = memory, r2 = length)
 *   bpfvm run [options] PROGRAM	run a raw program on a packet
 *   bpfvm disasm PROGRAM		print it as the verifier log does
 *   bpfvm verify [options] PROGRAM	the verifier's verdict and log
 *
 * Subcommands live in their own files; add one row to the table below.
 */
#include <stdio.h>
#include <string.h>

#include "bpfvm.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*usage)(FILE *f, const char *lead);
} cmds[] = {
	{ "run", cmd_run, run_usage },
	{ "disasm", cmd_disasm, disasm_usage },
	{ "verify", cmd_verify, verify_usage },
};

/* Every form, on stdout: asked for, it is the output (as tcpdump -h). */
static void usage(void)
{
	size_t i;

	plugin_usage(stdout, "usage: ");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		cmds[i].usage(stdout, "       ");
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && is_help(argv[1])) {
		usage();
		return 0;
	}
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	/* No subcommand: the conformance plugin. */
	return cmd_plugin(argc, argv);
}
