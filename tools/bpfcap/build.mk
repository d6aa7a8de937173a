# SPDX-License-Identifier: GPL-2.0
#
# bpfcap: the tcpdump-like capture tool.  One concern per file: main.c
# (options), capture.c (live ring), offline.c (-r), filter.c (our engine),
# dump.c (writer, rotation), stats.c, print*.c (one per protocol family).
# It links libcore.a: -r filters run through the module's own engine.
# Shipped to the guest (its shared libraries follow through ldd).

BPFCAP_SRCS := $(sort $(wildcard tools/bpfcap/*.c))
BPFCAP_HDRS := $(wildcard tools/bpfcap/*.h)
BPFCAP := tools/bpfcap/bpfcap
TOOLS += $(BPFCAP)
GUEST_FILES += $(BPFCAP)

# --ebpf loads objects through libbpfdev (its build.mk is read after this
# one: its archive is named here).
BPFCAP_LIBBPFDEV := tools/lib/bpfdev/libbpfdev.a

$(BPFCAP): $(BPFCAP_SRCS) $(BPFCAP_HDRS) $(CORE_HDRS) $(LIBCORE) $(BPFCAP_LIBBPFDEV)
	$(CC) $(CFLAGS) -Itools/bpfcap -Itools/lib/bpfdev -o $@ $(BPFCAP_SRCS) \
		$(LIBCORE) $(BPFCAP_LIBBPFDEV) -lpcap -lelf -lz

# A clang-built socket filter for --ebpf in the guest test.
BPFCAP_BPF_OBJS := $(patsubst tools/bpfcap/bpf/%.bpf.c,$(B)/bpfcap/%.bpf.o,\
	$(wildcard tools/bpfcap/bpf/*.bpf.c))
TOOLS += $(BPFCAP_BPF_OBJS)
GUEST_FILES += $(BPFCAP_BPF_OBJS)

$(B)/bpfcap/%.bpf.o: tools/bpfcap/bpf/%.bpf.c
	@mkdir -p $(@D)
	clang -O2 -g -target bpf -I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<
