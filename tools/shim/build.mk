# SPDX-License-Identifier: GPL-2.0
#
# The bpf(2) redirection for programs built for the kernel's BPF:
#   tools/shim/libbpfdev-shim.so  LD_PRELOAD library (syscall(__NR_bpf),
#                                 unlink of pins), libbpfdev.a inside
#   tools/shim/bpfdev-run         the wrapper that preloads it
# Both are shipped to the guest (/bpfdev, on PATH).

SHIM_DIR := tools/shim
SHIM_SO := $(SHIM_DIR)/libbpfdev-shim.so
TOOLS += $(SHIM_SO)
GUEST_FILES += $(SHIM_SO) $(SHIM_DIR)/bpfdev-run

# tools/lib/bpfdev/build.mk is read after this file: name its products here.
# redirect.o (its syscall()) goes in as an object so that syscall() stays
# exported; the rest of libbpfdev.a is hidden inside.
$(SHIM_SO): $(SHIM_DIR)/shim.c tools/lib/bpfdev/libbpfdev.a tools/lib/bpfdev/internal.h
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -Itools/lib/bpfdev -shared \
		-Wl,-soname,libbpfdev-shim.so -Wl,--exclude-libs,ALL -o $@ $< \
		$(B)/lib/bpfdev/redirect.o tools/lib/bpfdev/libbpfdev.a -ldl
