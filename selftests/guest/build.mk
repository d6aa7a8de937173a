# SPDX-License-Identifier: GPL-2.0
#
# Guest tests, run inside the QEMU guest by selftests/vm/guest-run:
#   selftests/guest/t_*.c   -> build/guest/tests/t_*     (gcc -static)
#   selftests/guest/t_*.sh  -> build/guest/tests/t_*.sh  (busybox sh)
#   selftests/guest/bin/*.c -> build/guest/bin/*         (guest tools, on PATH)
# plus lib*.sh (shell helpers: TAP; Python programs).  Drop a file in; no edit here needed.
# C tests include tap.h and guest.h (selftests/common); a test that needs
# more libraries sets GUEST_LDLIBS_t_name (static ones: libc.a is there).

GUEST_C := $(sort $(wildcard selftests/guest/t_*.c))
GUEST_SH := $(sort $(wildcard selftests/guest/t_*.sh selftests/guest/lib*.sh))
GUEST_BIN_C := $(sort $(wildcard selftests/guest/bin/*.c))
GUEST_TESTS := $(patsubst selftests/guest/%.c,$(B)/guest/tests/%,$(GUEST_C)) \
	$(patsubst selftests/guest/%,$(B)/guest/tests/%,$(GUEST_SH))
GUEST_BINS := $(patsubst selftests/guest/bin/%.c,$(B)/guest/bin/%,$(GUEST_BIN_C))
GUEST_CFLAGS := -static -O2 $(COMMON_CFLAGS) -Iselftests/common -Iselftests/guest
GUEST_DEPS := $(wildcard selftests/guest/*.h selftests/common/*.h) uapi/linux/bpfdev.h

$(B)/guest/tests/t_%: selftests/guest/t_%.c $(GUEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -o $@ $< $(GUEST_LDLIBS_$(notdir $@))

$(B)/guest/tests/%.sh: selftests/guest/%.sh
	@mkdir -p $(@D)
	cp $< $@

$(B)/guest/bin/%: selftests/guest/bin/%.c $(GUEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -o $@ $<

# t_18_printk compares the module's trace_printk with the formatter, so it
# is a guest test that sees the engine (see ENGINE_CFLAGS).
GUEST_LDLIBS_t_18_printk := $(ENGINE_CFLAGS) $(LIBCORE)
$(B)/guest/tests/t_18_printk: $(LIBCORE) kmod/core/printk_fmt.h
