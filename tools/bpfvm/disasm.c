// SPDX-License-Identifier: GPL-2.0
/* bpfvm disasm PROGRAM: the program as `bpftool prog dump xlated` shows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfvm.h"
#include "disasm.h"

void disasm_usage(FILE *f, const char *lead)
{
	fprintf(f, "%sbpfvm disasm PROGRAM\n", lead);
}

int cmd_disasm(int argc, char **argv)
{
	struct bpfdev_code code = { };
	uint8_t *bytes;
	size_t len;
	char line[128];
	u32 i, n;
	int err;

	if (argc == 2 && is_help(argv[1])) {
		disasm_usage(stdout, "usage: ");
		return 0;
	}
	if (argc != 2) {
		disasm_usage(stderr, "usage: ");
		return 2;
	}
	err = read_file(argv[1], &bytes, &len);
	if (err) {
		fprintf(stderr, "bpfvm: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	if (load_insns(&code, bytes, len, argv[1]))
		return 1;
	for (i = 0; i < code.len; i += n) {
		n = bpfdev_disasm_insn(&code.insns[i], code.len - i, line,
				       sizeof(line));
		printf("%4u: %s\n", i, line);
	}
	free(bytes);
	return 0;
}
