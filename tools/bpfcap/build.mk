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

$(BPFCAP): $(BPFCAP_SRCS) $(BPFCAP_HDRS) $(CORE_HDRS) $(LIBCORE)
	$(CC) $(CFLAGS) -Itools/bpfcap -o $@ $(BPFCAP_SRCS) $(LIBCORE) -lpcap
