# SPDX-License-Identifier: GPL-2.0
#
# bpfdev: a BSD-style BPF device for Linux.  See README.md.
#
#   make            module + every tool
#   make test       unit tests (ASan/UBSan) + guest tests under QEMU
#   make demo       boot the guest and show bpfdev working
#   make deps       install the Debian packages everything needs
#   make check      sparse (C=2, W=1) over the module
#   make style      checkpatch over the module
#   make install    module, tools, library, headers, man pages, udev rule
#                   (DESTDIR=, PREFIX=/usr/local); make uninstall
#   make deb        bpfdev-dkms and bpfdev-tools packages in build/deb/
#   make test-debug the guest suite on a KASAN/lockdep/kmemleak kernel
#   make test-rt    the guest suite on Debian's PREEMPT_RT 6.12 (-rt)
#   make test DEB=1 also the packaging (make deb, DKMS, guest smoke); CI does
#
# The target kernel is the newest /lib/modules/*/build that has a matching
# /boot/vmlinuz-* (not an -rt one: `make test-rt` is that kernel's): the
# build machine's running kernel is usually another one, so `uname -r` is
# never the default.  Override with KVER= or KDIR=.
# `make test` runs the guest suite once on each kernel in KVERS: the newest
# installed kernel of each series in KSERIES (Debian's 6.1 and 6.12).

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build

# KDIR=/lib/modules/X/build alone also means KVER=X (the guest boots X).
KDIR_KVER := $(patsubst /lib/modules/%/build,%,$(filter /lib/modules/%/build,$(patsubst %/,%,$(KDIR))))
ifeq ($(origin KVER),undefined)
ifneq ($(KDIR_KVER),)
KVER := $(KDIR_KVER)
else
KVER := $(shell for v in $$(ls -1 /boot/vmlinuz-* 2>/dev/null | \
		sed 's|^/boot/vmlinuz-||' | grep -v -- '-rt-' | sort -V -r); do \
		[ -d /lib/modules/$$v/build ] && { echo $$v; break; }; done)
endif
endif
KDIR ?= /lib/modules/$(KVER)/build
# Not on a fresh machine before `make deps`: sub-makes look again.
ifneq ($(KVER),)
export KVER KDIR
endif

# Kernel series the guest suite runs on, and the kernels it picks: the
# newest installed non-rt kernel of each series.  `make test KVERS=X`
# runs one.  Looked up again by every sub-make (none on a fresh machine
# before `make deps`).
KSERIES ?= 6.1 6.12
KVERS ?= $(foreach s,$(KSERIES),$(shell ls -1d /lib/modules/$(s).*/build 2>/dev/null | \
	cut -d/ -f4 | grep -v -- '-rt-' | sort -V | tail -n 1))

# Debian packages: keep in sync with README.md.
DEPS := linux-image-amd64 linux-headers-amd64 \
	linux-image-6.12-amd64 linux-headers-6.12-amd64 qemu-system-x86 \
	busybox-static iproute2 tcpdump libpcap-dev clang llvm lld libelf-dev libbpf-dev \
	zlib1g-dev cpio sparse libclang-rt-14-dev bpftool kmod \
	gcc make libc6-dev binutils xz-utils \
	debhelper dh-dkms dh-python dkms lintian dpkg-dev man-db nftables python3 python3-pytest \
	python3-bpfcc bpfcc-tools
# Only for `make style` (checkpatch comes from the kernel source tarball).
STYLE_DEPS := linux-source-$(shell echo $(KVER) | cut -d. -f1,2) perl

# Test data shared by the project (pcaps, conformance suite), beside the repo.
SHARED ?= $(abspath $(TOP)/../shared)
export SHARED

CC ?= cc
COMMON_CFLAGS := -std=gnu11 -g -Wall -Wextra -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-sign-compare \
	-I$(TOP)/uapi -D_GNU_SOURCE
# Who may include the engine (kmod/core): what runs or links it in a
# process, namely bpfvm, bpfcap's offline filter (filter.c), bpfctl's
# disassembler, the benchmarks, the unit tests and fuzzers, libbpfdev's
# assembler, and the one guest test that converts filters in the guest
# (t_15_jit_bench).  Each adds ENGINE_CFLAGS itself; everything else (the
# rest of bpfcap and libbpfdev, the examples, the guest tests and tools)
# sees only the uapi headers, as a program outside this tree would.
ENGINE_CFLAGS := -I$(TOP)/kmod/core
# Tools and benchmarks: the optimised engine.
CFLAGS := -O2 $(COMMON_CFLAGS)
# Unit tests: the same engine under AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
SAN_CFLAGS := -O1 $(SAN) $(COMMON_CFLAGS) -DBPFDEV_SANITIZED

CORE_SRCS := $(sort $(wildcard kmod/core/*.c))
CORE_HDRS := $(wildcard kmod/core/*.h) uapi/linux/bpfdev.h
CORE_OBJS := $(patsubst kmod/core/%.c,$(B)/core/%.o,$(CORE_SRCS))
CORE_SAN_OBJS := $(patsubst kmod/core/%.c,$(B)/core-san/%.o,$(CORE_SRCS))
LIBCORE := $(B)/libcore.a
LIBCORE_SAN := $(B)/libcore-san.a

# Each tool and test directory adds itself through a build.mk fragment:
# TOOLS (built by `make`), UNIT_TESTS and UNIT_SCRIPTS (TAP programs run by
# `make test`), GUEST_FILES (extra guest payload, "SRC" or "SRC:DEST" as
# for selftests/vm/run --include; built first, shipped to every guest
# test run), VM_SUITES (TAP suites that boot the guest).
TOOLS :=
UNIT_TESTS :=
UNIT_SCRIPTS :=
GUEST_FILES :=
VM_SUITES :=

.PHONY: all module tools test test-run unit-test guest-test guest-build demo deps \
	deps-check check style clean help
.DEFAULT_GOAL := all

all: module tools

help:
	@sed -n 's/^#   //p' Makefile

# `make -s print-KVER`: the value of a variable, for scripts.
print-%:
	@echo '$($*)'

# ---- kernel module ------------------------------------------------------

module:
	@test -d "$(KDIR)" || { echo "no kernel build dir $(KDIR): run 'make deps' or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

check:
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 W=1 modules

# checkpatch.pl is not in Debian's headers package: take it (and the files
# it reads) from the kernel source tarball once.
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl) \
	$(B)/checkpatch/scripts/checkpatch.pl)

$(B)/checkpatch/scripts/checkpatch.pl:
	@$(MAKE) --no-print-directory DEPS="$(STYLE_DEPS)" deps
	@mkdir -p $(B)/checkpatch
	tar -xJf $$(ls /usr/src/linux-source-*.tar.xz | tail -n 1) \
		-C $(B)/checkpatch --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	@touch $@

style: $(CHECKPATCH)
	$(CHECKPATCH) --no-tree --strict --terse --show-types \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,NEW_TYPEDEFS,LINUX_VERSION_CODE,CONSTANT_COMPARISON \
		-f $(filter-out %.mod.c,$(wildcard kmod/*.c)) kmod/*.h \
		kmod/core/*.c kmod/core/*.h uapi/linux/bpfdev.h \
		$(filter-out %.mod.c,$(wildcard selftests/vm/warn_test/*.c))

# ---- the engine, for userspace -------------------------------------------

$(B)/core/%.o: kmod/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -c -o $@ $<

$(B)/core-san/%.o: kmod/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(ENGINE_CFLAGS) -c -o $@ $<

$(LIBCORE): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBCORE_SAN): $(CORE_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

-include $(sort $(wildcard tools/*/build.mk tools/lib/*/build.mk selftests/*/build.mk))

tools: $(TOOLS)

# Everything a guest test run ships; the list of extra files goes to
# build/guest/payload.list for selftests/vm/guest-tests.
guest-build: $(B)/kmod/$(KVER)/bpfdev.ko $(GUEST_TESTS) $(GUEST_BINS) $(WARN_TEST_KO) \
		$(foreach f,$(GUEST_FILES),$(firstword $(subst :, ,$(f))))
	@mkdir -p $(B)/guest
	@printf '%s\n' $(GUEST_FILES) >$(B)/guest/payload.list.$$$$ && \
		mv -f $(B)/guest/payload.list.$$$$ $(B)/guest/payload.list

# ---- tests ----------------------------------------------------------------

# make test installs what is missing, builds, then runs every TAP suite
# (the guest suite once per kernel in KVERS) and ends with the one line
# "N passed, N failed".  The second make sees the kernels `deps` installed.
test: deps-check
	@$(MAKE) --no-print-directory test-run

# CI=true (.ci/run sets it, as CI services do) or DEB=1: make test also
# runs the packaging (selftests/pkg): make deb, the packages installed
# here (DKMS builds the module for every kernel with headers; never
# loaded), and a guest boot of each kernel in KVERS with the module DKMS
# built for it (the smoke tests); the closing line counts them too.
# Needs root (dpkg -i).  make deb-test runs that part alone.
DEB ?= $(if $(filter true 1,$(CI)),1)
DEB_SMOKE = $(foreach k,$(KVERS),$(B)/suites/deb_smoke@$(k))
DEB_SUITES = selftests/pkg/deb_build.sh selftests/pkg/deb_install.sh $(DEB_SMOKE)
TEST_DEB_SUITES = $(if $(filter 1,$(DEB)),$(DEB_SUITES))

# Two lanes side by side (selftests/run-suites' "::", which skips an empty
# one): a TCG guest's tests keep the host's two CPUs about 40% busy on
# average, waiting on packets and timers.  The first lane has the first
# kernel's guest suite and the harness selftest (after the unit tests in
# make test); the second the other kernels' guest suites (then the
# packaging).
GUEST_LANE1 = $(firstword $(KVER_SUITES)) $(VM_SUITES)
GUEST_LANE2 = $(wordlist 2,$(words $(KVER_SUITES)),$(KVER_SUITES))

test-run: tools $(UNIT_TESTS) guest-build $(KVER_MODULES) $(KVER_SUITES) $(TEST_DEB_SUITES)
	@BPFDEV_GUEST_BUILT=1 selftests/run-suites $(UNIT_TESTS) $(UNIT_SCRIPTS) $(GUEST_LANE1) \
		:: $(GUEST_LANE2) $(TEST_DEB_SUITES)

$(B)/suites/deb_smoke@%:
	@mkdir -p $(@D)
	@ln -sfn ../../selftests/pkg/deb_smoke $@

unit-test: $(LIBCORE_SAN) $(UNIT_TESTS) tools
	@selftests/run-suites $(UNIT_TESTS) $(UNIT_SCRIPTS)

guest-test: tools guest-build $(KVER_MODULES) $(KVER_SUITES)
	@BPFDEV_GUEST_BUILT=1 selftests/run-suites $(GUEST_LANE1) :: $(GUEST_LANE2)

# make test-python: t_70_python and t_71_bcc_scripts (the Python module,
# tools/bcc, bcc's own scripts) in the guest on every kernel of KVERS,
# after filling the tools' compile cache on
# the host (selftests/python/fill-guest-cache: one short boot a kernel;
# without the cache the guest runs clang).  Opt-in: 1.5 minutes a kernel
# idle, 4 to 6 loaded (see t_70_python.sh).
.PHONY: test-python
test-python: tools guest-build $(KVER_MODULES) $(KVER_SUITES)
	@for k in $(KVERS); do selftests/python/fill-guest-cache $$k || true; done
	@BPFDEV_GUEST_BUILT=1 BPFDEV_PYTHON_TOOLS=1 BPFDEV_GUEST_TESTS='t_70* t_71*' \
		BPFDEV_TEST_TIMEOUT=$${BPFDEV_TEST_TIMEOUT:-2400} \
		BPFDEV_VM_TIMEOUT=$${BPFDEV_VM_TIMEOUT:-3000} BPFDEV_VM_MEM=$${BPFDEV_VM_MEM:-2048} \
		selftests/run-suites $(KVER_SUITES)

# ---- the PREEMPT_RT kernel ----------------------------------------------------
# make test-rt: the whole guest suite on Debian's -rt flavour of 6.12
# (PREEMPT_RT: spinlocks sleep, softirqs run in threads), with the same
# summary line.  A target of its own: a third kernel would not fit in make
# test's 15 minutes.  Installs the -rt image and headers of the same
# version as the installed 6.12 (Debian's -rt metapackages where no 6.12
# is installed yet); RT_KVER= names another installed one.
RT_SERIES ?= 6.12
RT_BASE = $(shell ls -1d /lib/modules/$(RT_SERIES).*-amd64/build 2>/dev/null | \
	cut -d/ -f4 | grep -v -- '-rt-' | sort -V | tail -n 1)
RT_DEPS = $(if $(RT_BASE),$(foreach p,image headers,linux-$(p)-$(RT_BASE:-amd64=-rt-amd64)),\
	$(foreach p,image headers,linux-$(p)-$(RT_SERIES)-rt-amd64))
RT_KVER ?= $(patsubst /lib/modules/%/build,%,$(or \
	$(wildcard $(RT_BASE:%-amd64=/lib/modules/%-rt-amd64/build)),$(shell \
	ls -1d /lib/modules/$(RT_SERIES).*-rt-*/build 2>/dev/null | sort -V | tail -n 1)))

.PHONY: test-rt test-rt-run
test-rt: deps-check
	@$(MAKE) --no-print-directory DEPS="$(RT_DEPS)" deps
	@k=$$($(MAKE) -s --no-print-directory print-RT_KVER); \
	test -n "$$k" || { echo "no $(RT_SERIES) -rt kernel with headers installed" >&2; exit 1; }; \
	$(MAKE) --no-print-directory KVER=$$k KDIR=/lib/modules/$$k/build KVERS=$$k test-rt-run

# The -rt guest is slower under TCG (a module load takes 30 s): 30 minutes,
# and 10 for each test (on a loaded host t_46's filter compiles took
# 145 s, t_61's 100 uprobe attach/detach pairs beside a calling process
# 259 s: 4 s on 6.12 without RT).
test-rt-run: tools guest-build $(KVER_MODULES) $(KVER_SUITES)
	@BPFDEV_GUEST_BUILT=1 BPFDEV_VM_TIMEOUT=$${BPFDEV_VM_TIMEOUT:-1800} \
		BPFDEV_TEST_TIMEOUT=$${BPFDEV_TEST_TIMEOUT:-600} \
		selftests/run-suites $(KVER_SUITES)

demo: deps-check
	@$(MAKE) --no-print-directory all
	@selftests/python/fill-guest-cache $(KVER) >/dev/null || true
	@BPFDEV_VM_TIMEOUT=$${BPFDEV_VM_TIMEOUT:-900} selftests/vm/demo

deps:
	@missing=; for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all packages present"; fi

deps-check:
	@for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || { $(MAKE) --no-print-directory deps; break; }; \
	done

# ---- install ---------------------------------------------------------------
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
# udev reads /etc and /lib (or /usr/lib), never a /usr/local prefix.
UDEVRULESDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/udev/rules.d,/etc/udev/rules.d)
MODDIR ?= /lib/modules/$(KVER)/updates
BPFDEV_VERSION := $(shell sed -n 's/^\#define BPFDEV_VERSION "\(.*\)"/\1/p' kmod/version.h)

# SOURCE:DESTINATION:MODE, one list for install and uninstall.
INSTALL_FILES = \
	kmod/bpfdev.ko:$(MODDIR)/bpfdev.ko:644 \
	$(BPFCAP):$(SBINDIR)/bpfcap:755 \
	$(BPFCTL):$(SBINDIR)/bpfctl:755 \
	$(BPFVM):$(BINDIR)/bpfvm:755 \
	$(LIBBPFDEV_SO):$(LIBDIR)/libbpfdev.so.0:755 \
	$(LIBBPFDEV_A):$(LIBDIR)/libbpfdev.a:644 \
	tools/lib/bpfdev/libbpfdev.h:$(INCLUDEDIR)/libbpfdev.h:644 \
	uapi/linux/bpfdev.h:$(INCLUDEDIR)/linux/bpfdev.h:644 \
	$(B)/libbpfdev.pc:$(LIBDIR)/pkgconfig/libbpfdev.pc:644 \
	man/bpfdev.4:$(MANDIR)/man4/bpfdev.4:644 \
	man/bpfcap.8:$(MANDIR)/man8/bpfcap.8:644 \
	man/bpfctl.8:$(MANDIR)/man8/bpfctl.8:644 \
	man/bpfvm.1:$(MANDIR)/man1/bpfvm.1:644 \
	$(SHIM_SO):$(LIBDIR)/bpfdev/libbpfdev-shim.so:755 \
	tools/shim/bpfdev-run:$(BINDIR)/bpfdev-run:755 \
	man/bpfdev-run.1:$(MANDIR)/man1/bpfdev-run.1:644 \
	udev/60-bpfdev.rules:$(UDEVRULESDIR)/60-bpfdev.rules:644
INSTALL_LINKS = libbpfdev.so.0:$(LIBDIR)/libbpfdev.so
# The Python module (bcc's API on /dev/bpf) where Debian's python3 looks
# for a prefix's packages, and the bcc-style tools as NAME-bpfdev in sbin
# (Debian's bcc tools are NAME-bpfcc: both can be installed).
PYTHON3_SITE ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python3.$(shell python3 -c 'import sys; print(sys.version_info[1])' 2>/dev/null)/dist-packages)
PY_FILES := $(sort $(patsubst tools/python/%,%,$(wildcard tools/python/bpfdev/*.py tools/python/bpfdev/include/*.h tools/python/bpfdev/include/*/*.h tools/python/bpfdev/include/*/*/*.h)))
INSTALL_FILES += $(foreach f,$(PY_FILES),tools/python/$(f):$(PYTHON3_SITE)/$(f):644) \
	$(foreach t,$(notdir $(wildcard tools/bcc/*)),tools/bcc/$(t):$(SBINDIR)/$(t)-bpfdev:755) \
	man/bpfdev-bcc.8:$(MANDIR)/man8/bpfdev-bcc.8:644
INSTALL_LINKS += $(foreach t,$(notdir $(wildcard tools/bcc/*)),bpfdev-bcc.8:$(MANDIR)/man8/$(t)-bpfdev.8)

$(B)/libbpfdev.pc: tools/lib/bpfdev/libbpfdev.pc.in kmod/version.h
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@VERSION@|$(BPFDEV_VERSION)|' $< >$@

.PHONY: install uninstall deb deb-test deb-test-run
install: module $(BPFCAP) $(BPFCTL) $(BPFVM) $(LIBBPFDEV_SO) $(LIBBPFDEV_A) $(SHIM_SO) $(B)/libbpfdev.pc
	@set -e; for f in $(INSTALL_FILES); do \
		IFS=: read -r src dst mode <<<"$$f"; \
		echo "  INSTALL $(DESTDIR)$$dst"; \
		install -D -m "$$mode" "$$src" "$(DESTDIR)$$dst"; \
	done; \
	for l in $(INSTALL_LINKS); do \
		IFS=: read -r target dst <<<"$$l"; \
		ln -sfn "$$target" "$(DESTDIR)$$dst"; \
	done
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(if $(DESTDIR),,-udevadm control --reload 2>/dev/null)

uninstall:
	@for f in $(INSTALL_FILES) $(INSTALL_LINKS); do \
		IFS=: read -r src dst mode <<<"$$f"; \
		[ -e "$(DESTDIR)$$dst" ] || [ -L "$(DESTDIR)$$dst" ] || continue; \
		echo "  RM      $(DESTDIR)$$dst"; rm -f "$(DESTDIR)$$dst"; \
	done
	$(if $(DESTDIR),,depmod -a $(KVER))

# ---- Debian packages ----------------------------------------------------------
# make deb: bpfdev-dkms and bpfdev-tools in build/deb/, from a clean copy of
# the tracked tree (never the developer's objects), then lintian (errors
# fail).  make deb-test: the packaging suites of `make test DEB=1` alone
# (selftests/pkg: make deb; install here, check DKMS built the module for
# every kernel with headers (never loaded), keep each module in
# build/deb/kmod/KVER/, purge; boot each kernel with its module for the
# smoke tests), ending with the one summary line.
DEB_DIR := $(B)/deb
DEB_JOBS ?= 2
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/bpfdev-$(BPFDEV_VERSION)
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/bpfdev-$(BPFDEV_VERSION)
	cd $(DEB_DIR)/bpfdev-$(BPFDEV_VERSION) && dpkg-buildpackage -us -uc -b -j$(DEB_JOBS)
	lintian --fail-on error $(DEB_DIR)/*.changes

deb-test: deps-check
	@$(MAKE) --no-print-directory deb-test-run

deb-test-run: tools guest-build $(DEB_SMOKE)
	@BPFDEV_GUEST_BUILT=1 selftests/run-suites $(DEB_SUITES)

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(TOP)/selftests/vm/warn_test clean 2>/dev/null
	rm -rf $(B) $(TOOLS)
