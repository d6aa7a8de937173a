# SPDX-License-Identifier: GPL-2.0
#
# bpfcap: the tcpdump-like capture tool.  One concern per file: main.c
# (options), capture.c (live ring), offline.c (-r), filter.c (our engine),
# dump.c (writer, rotation), stats.c, print*.c (one per protocol family).
# Only filter.c sees the engine (ENGINE_CFLAGS): -r filters run through
# the module's own, from libcore.a; the live path uses the module's.
# Shipped to the guest (its shared libraries follow through ldd).

BPFCAP_ENGINE_SRCS := tools/bpfcap/filter.c
BPFCAP_SRCS := $(filter-out $(BPFCAP_ENGINE_SRCS),$(sort $(wildcard tools/bpfcap/*.c)))
BPFCAP_ENGINE_OBJS := $(patsubst tools/bpfcap/%.c,$(B)/bpfcap/%.o,$(BPFCAP_ENGINE_SRCS))
BPFCAP_HDRS := $(wildcard tools/bpfcap/*.h)
BPFCAP := tools/bpfcap/bpfcap
TOOLS += $(BPFCAP)
GUEST_FILES += $(BPFCAP)

# --ebpf loads objects through libbpfdev (its build.mk is read after this
# one: its archive is named here).
BPFCAP_LIBBPFDEV := tools/lib/bpfdev/libbpfdev.a

$(BPFCAP_ENGINE_OBJS): $(B)/bpfcap/%.o: tools/bpfcap/%.c $(BPFCAP_HDRS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -Itools/bpfcap -c -o $@ $<

$(BPFCAP): $(BPFCAP_SRCS) $(BPFCAP_HDRS) $(BPFCAP_ENGINE_OBJS) $(LIBCORE) $(BPFCAP_LIBBPFDEV)
	$(CC) $(CFLAGS) -Itools/bpfcap -Itools/lib/bpfdev -o $@ $(BPFCAP_SRCS) \
		$(BPFCAP_ENGINE_OBJS) $(LIBCORE) $(BPFCAP_LIBBPFDEV) -lbpf -lpcap -lelf -lz

# A clang-built socket filter for --ebpf in the guest test.
BPFCAP_BPF_OBJS := $(patsubst tools/bpfcap/bpf/%.bpf.c,$(B)/bpfcap/%.bpf.o,\
	$(wildcard tools/bpfcap/bpf/*.bpf.c))
TOOLS += $(BPFCAP_BPF_OBJS)
GUEST_FILES += $(BPFCAP_BPF_OBJS)

$(B)/bpfcap/%.bpf.o: tools/bpfcap/bpf/%.bpf.c
	@mkdir -p $(@D)
	clang -O2 -g -target bpf -I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<
