# SPDX-License-Identifier: GPL-2.0
#
# bpfctl: bpftool's grammar for /dev/bpf.  One file per object (prog.c,
# map.c, asm.c), main.c for options and the top table, common.c for
# PROG/MAP handles and bytes, json.c for -j/-p.  Links libbpfdev.a and,
# for `disasm` and `prog dump`, the engine's disassembler, as bpftool
# carries the kernel's (both GPL-2.0; libbpfdev is LGPL-2.1 OR BSD-2-Clause
# and so does not take it).  Shipped to the guest, its shared libraries
# (libbpf, libelf, libz, libpcap) following through ldd.

BPFCTL_SRCS := $(sort $(wildcard tools/bpfctl/*.c))
BPFCTL := tools/bpfctl/bpfctl
TOOLS += $(BPFCTL)
GUEST_FILES += $(BPFCTL)
# `prog dump jited` disassembles through binutils' objdump when there is one.
GUEST_FILES += /usr/bin/objdump

# tools/lib/bpfdev/build.mk is read after this file: name its products here.
$(BPFCTL): $(BPFCTL_SRCS) tools/bpfctl/bpfctl.h tools/lib/bpfdev/libbpfdev.a \
		tools/lib/bpfdev/libbpfdev.h $(LIBCORE) $(CORE_HDRS)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -Itools/bpfctl -Itools/lib/bpfdev -o $@ $(BPFCTL_SRCS) \
		tools/lib/bpfdev/libbpfdev.a $(LIBCORE) -lbpf -lelf -lz -lpcap
