# SPDX-License-Identifier: GPL-2.0
#
# libbpfdev: bpf() wrappers over /dev/bpf, the object API over libbpf
# (Debian's libbpf-dev; its bpf() calls redirected to /dev/bpf by
# redirect.c), the assembler, capture sockets and ring buffer readers.
#   tools/lib/bpfdev/libbpfdev.a   static, for bpfctl and the examples
#   tools/lib/bpfdev/libbpfdev.so  shared, symbols versioned LIBBPFDEV_0.1
#   build/libbpfdev-san.a          under ASan/UBSan, for unit tests
# Links with -lbpf -lelf -lz -lpcap.  `make install` (top Makefile) installs
# the libraries, libbpfdev.h and a pkg-config file.

LIBBPFDEV_DIR := tools/lib/bpfdev
LIBBPFDEV_SRCS := $(sort $(wildcard $(LIBBPFDEV_DIR)/*.c))
LIBBPFDEV_HDRS := $(wildcard $(LIBBPFDEV_DIR)/*.h) uapi/linux/bpfdev.h
LIBBPFDEV_OBJS := $(patsubst $(LIBBPFDEV_DIR)/%.c,$(B)/lib/bpfdev/%.o,$(LIBBPFDEV_SRCS))
LIBBPFDEV_SAN_OBJS := $(patsubst $(LIBBPFDEV_DIR)/%.c,$(B)/lib/bpfdev-san/%.o,$(LIBBPFDEV_SRCS))
LIBBPFDEV_A := $(LIBBPFDEV_DIR)/libbpfdev.a
LIBBPFDEV_SO := $(LIBBPFDEV_DIR)/libbpfdev.so
LIBBPFDEV_SAN := $(B)/libbpfdev-san.a
LIBBPFDEV_LDLIBS := -lbpf -lelf -lz -lpcap
LIBBPFDEV_CFLAGS := -I$(LIBBPFDEV_DIR) -fvisibility=hidden

TOOLS += $(LIBBPFDEV_A) $(LIBBPFDEV_SO)

# Only the assembler sees the engine: its opcodes and operator names are
# the ISA definitions' (kmod/core/isa.h, opcodes.h), header-only: nothing
# of the engine is linked into the library.
LIBBPFDEV_ENGINE_OBJS := $(B)/lib/bpfdev/asm.o $(B)/lib/bpfdev-san/asm.o
$(LIBBPFDEV_ENGINE_OBJS): LIBBPFDEV_CFLAGS += $(ENGINE_CFLAGS)
$(LIBBPFDEV_ENGINE_OBJS): $(CORE_HDRS)

$(B)/lib/bpfdev/%.o: $(LIBBPFDEV_DIR)/%.c $(LIBBPFDEV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIBBPFDEV_CFLAGS) -fPIC -c -o $@ $<

$(B)/lib/bpfdev-san/%.o: $(LIBBPFDEV_DIR)/%.c $(LIBBPFDEV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(LIBBPFDEV_CFLAGS) -c -o $@ $<

$(LIBBPFDEV_A): $(LIBBPFDEV_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBBPFDEV_SO): $(LIBBPFDEV_OBJS) $(LIBBPFDEV_DIR)/libbpfdev.map
	$(CC) -shared -Wl,-soname,libbpfdev.so.0 \
		-Wl,--version-script=$(LIBBPFDEV_DIR)/libbpfdev.map \
		-o $@ $(LIBBPFDEV_OBJS) $(LIBBPFDEV_LDLIBS)

$(LIBBPFDEV_SAN): $(LIBBPFDEV_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Unit tests of the loader and the assembler (selftests/unit/test_loader*.c):
# the sanitized library, the example objects, and where the tree is.
LOADER_TESTS := $(notdir $(basename $(wildcard selftests/unit/test_loader*.c)))
$(foreach t,$(LOADER_TESTS),$(eval UNIT_LDLIBS_$(t) := -I$(LIBBPFDEV_DIR) \
	-DBPFDEV_TOP='"$(TOP)"' $(LIBBPFDEV_SAN) -lbpf))
$(patsubst %,$(B)/unit/%,$(LOADER_TESTS)): $(LIBBPFDEV_SAN) $(LIBBPFDEV_HDRS)

# Loader fixtures (selftests/unit/loader/*.bpf.c), built like the examples.
LOADER_FIXTURES := $(patsubst selftests/unit/loader/%.bpf.c,$(B)/unit/loader/%.bpf.o,\
	$(wildcard selftests/unit/loader/*.bpf.c))

$(B)/unit/loader/%.bpf.o: selftests/unit/loader/%.bpf.c $(EXAMPLE_HDRS)
	@mkdir -p $(@D)
	$(BPF_CLANG) $(BPF_CFLAGS) -c -o $@ $<

$(patsubst %,$(B)/unit/%,$(LOADER_TESTS)): $(LOADER_FIXTURES) $(EXAMPLE_OBJS) \
	$(LIBBPFDEV_SO) $(B)/libbpf/multi.bpf.o

# Guest tests of the library (selftests/guest/t_*loader*.c): static, with
# libbpfdev.a and the static libbpf, libelf and zlib.
LOADER_GUEST_TESTS := $(notdir $(basename $(wildcard selftests/guest/t_*loader*.c)))
$(foreach t,$(LOADER_GUEST_TESTS),$(eval GUEST_LDLIBS_$(t) := -I$(LIBBPFDEV_DIR) -I$(EXAMPLES_DIR) \
	$(LIBBPFDEV_A) -lbpf -lelf -lz))
$(patsubst %,$(B)/guest/tests/%,$(LOADER_GUEST_TESTS)): $(LIBBPFDEV_A) $(LIBBPFDEV_HDRS) \
	$(EXAMPLE_HDRS)
