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
} cmds[] = {
	{ "run", cmd_run },
	{ "disasm", cmd_disasm },
	{ "verify", cmd_verify },
};

static void usage(void)
{
	fprintf(stderr,
		"usage: bpfvm [--interp|--jit] [--unchecked] [MEM HEX BYTES...] < PROGRAM-HEX\n"
		"       bpfvm run [--interp|--jit] [--classic] [--unchecked]\n"
		"                 [--data FILE | --data-hex HEX] [--ctx FIELD=VALUE,...]\n"
		"                 [--repeat N] [--verify] PROGRAM\n"
		"       bpfvm disasm PROGRAM\n"
		"       bpfvm verify [--type T] [--map SPEC]... [--log-level N] [--unpriv]\n"
		"                    [--xlated] PROGRAM\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage();
		return 0;
	}
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	/* No subcommand: the conformance plugin. */
	return cmd_plugin(argc, argv);
}
