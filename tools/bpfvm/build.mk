# SPDX-License-Identifier: GPL-2.0
#
# bpfvm: the engine in a process (conformance plugin, run, disasm).
# One file per subcommand; main.c holds the table.

BPFVM_SRCS := $(sort $(wildcard tools/bpfvm/*.c))
BPFVM := tools/bpfvm/bpfvm
TOOLS += $(BPFVM)

$(BPFVM): $(BPFVM_SRCS) tools/bpfvm/bpfvm.h $(CORE_HDRS) $(LIBCORE)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -Itools/bpfvm -o $@ $(BPFVM_SRCS) $(LIBCORE)
