# SPDX-License-Identifier: GPL-2.0
#
# Example BPF programs, C compiled by clang at build time into
# build/examples/*.bpf.o (bpf_helpers.h here stands in for libbpf's):
#   syn_filter  socket filter keeping TCP SYNs (a BPF-to-BPF call, .bss)
#   ip_count    per-source-IPv4 packet/byte counters in a hash map (.rodata)
#   events      one event per packet through a RINGBUF map, read by
#               build/examples/bpfdev-events
#   execsnoop   one event per exec (sched_process_exec tracepoint) through
#               a RINGBUF map, read by build/examples/execsnoop
#   opencount   opens per file name (kprobe on do_sys_openat2)
#   stackcount  kernel stacks into vfs_read (kprobe, bpf_get_stackid)
# All of them are shipped to the guest.

EXAMPLES_DIR := tools/examples
EXAMPLE_SRCS := $(sort $(wildcard $(EXAMPLES_DIR)/*.bpf.c))
EXAMPLE_OBJS := $(patsubst $(EXAMPLES_DIR)/%.bpf.c,$(B)/examples/%.bpf.o,$(EXAMPLE_SRCS))
EXAMPLE_HDRS := $(wildcard $(EXAMPLES_DIR)/*.h)
BPFDEV_EVENTS := $(B)/examples/bpfdev-events
BPF_CLANG ?= clang
BPF_CFLAGS := -O2 -g -target bpf -I$(EXAMPLES_DIR) \
	-I/usr/include/$(shell $(CC) -dumpmachine)

TOOLS += $(EXAMPLE_OBJS) $(BPFDEV_EVENTS)
GUEST_FILES += $(EXAMPLE_OBJS) $(BPFDEV_EVENTS)

$(B)/examples/%.bpf.o: $(EXAMPLES_DIR)/%.bpf.c $(EXAMPLE_HDRS)
	@mkdir -p $(@D)
	$(BPF_CLANG) $(BPF_CFLAGS) -c -o $@ $<

# tools/lib/bpfdev/build.mk is read after this file: name its products here.
$(BPFDEV_EVENTS): $(EXAMPLES_DIR)/bpfdev-events.c $(EXAMPLE_HDRS) \
		tools/lib/bpfdev/libbpfdev.a tools/lib/bpfdev/libbpfdev.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/lib/bpfdev -I$(EXAMPLES_DIR) -o $@ $< \
		tools/lib/bpfdev/libbpfdev.a -lbpf -lelf -lz -lpcap

# execsnoop: the tracing examples' reader, attaching by section name.
EXECSNOOP := $(B)/examples/execsnoop
TOOLS += $(EXECSNOOP)
GUEST_FILES += $(EXECSNOOP)
$(EXECSNOOP): $(EXAMPLES_DIR)/execsnoop.c $(EXAMPLE_HDRS) \
		tools/lib/bpfdev/libbpfdev.a tools/lib/bpfdev/libbpfdev.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/lib/bpfdev -I$(EXAMPLES_DIR) -o $@ $< \
		tools/lib/bpfdev/libbpfdev.a -lbpf -lelf -lz -lpcap
