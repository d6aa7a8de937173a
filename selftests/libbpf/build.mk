# SPDX-License-Identifier: GPL-2.0
#
# Programs written for the kernel's BPF and libbpf, run on bpfdev through
# the shim (tools/shim) by the guest tests t_53_libbpf and t_54_bpftool:
#   build/libbpf/multi.bpf.o  several .maps maps, global data, subprograms,
#                             built with libbpf's bpf_helpers.h
#   build/libbpf/libbpf_user  linked against Debian's libbpf (shared)

LIBBPF_TEST_OBJ := $(B)/libbpf/multi.bpf.o
LIBBPF_USER := $(B)/libbpf/libbpf_user
TOOLS += $(LIBBPF_TEST_OBJ) $(LIBBPF_USER)
GUEST_FILES += $(LIBBPF_TEST_OBJ) $(LIBBPF_USER) /usr/sbin/bpftool
# unlink(1) of a pin through the shim: busybox's is static, coreutils' not.
GUEST_FILES += /usr/bin/unlink:/bpfdev/coreutils-unlink

$(LIBBPF_TEST_OBJ): selftests/libbpf/multi.bpf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) -O2 -g -target bpf -I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<

$(LIBBPF_USER): selftests/libbpf/libbpf_user.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -o $@ $< -lbpf
