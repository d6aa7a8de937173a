# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: each appends its program to BENCHES (built by `make` as a
# tool, run by `make bench`, which prints their tables in order).
#   bench_engine: the eBPF interpreter against the running kernel's eBPF

BENCHES += $(B)/bench/bench_engine
TOOLS += $(B)/bench/bench_engine

$(B)/bench/bench_engine: tools/bench/bench_engine.c $(CORE_HDRS) $(LIBCORE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -o $@ $< $(LIBCORE)

.PHONY: bench
bench: $(LIBCORE)
	@$(MAKE) --no-print-directory $(BENCHES)
	@for b in $(BENCHES); do echo "== $$(basename $$b)"; $$b || exit 1; done

# bench_jit: the JIT against the interpreter, the kernel's JIT and libpcap.
BENCH_JIT := tools/bench/bench_jit
TOOLS += $(BENCH_JIT)

$(BENCH_JIT): tools/bench/bench_jit.c selftests/common/bench_jit_progs.h $(CORE_HDRS) $(LIBCORE)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -o $@ $< $(LIBCORE) -lpcap

# The same table inside the QEMU guest (Debian's 6.1 kernel, TCG), once
# against its interpreter (bpf_jit_enable=0) and once against its JIT: the
# build machine's kernel may be JIT-only.  Under TCG only the ratios mean
# something.
.PHONY: bench-guest
bench-guest: $(B)/bench/bench_engine
	@$(MAKE) --no-print-directory module
	selftests/vm/run --timeout 300 --include $(B)/bench/bench_engine -- \
		'echo 0 > /proc/sys/net/core/bpf_jit_enable; bench_engine; \
		 echo 1 > /proc/sys/net/core/bpf_jit_enable; bench_engine'

# bench_cbpf: classic filters, libpcap's bpf_filter() against bpfdev.
BENCH_CBPF := tools/bench/bench_cbpf
BENCHES += $(BENCH_CBPF)
TOOLS += $(BENCH_CBPF)

$(BENCH_CBPF): tools/bench/bench_cbpf.c $(CORE_HDRS) $(LIBCORE)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -o $@ $< $(LIBCORE) -lpcap

# bench_maps: map calls per second from programs (PROG_TEST_RUN, repeat),
# bpfdev's maps against the guest kernel's own through bpf(), in one run
# inside the QEMU guest.
BENCH_MAPS := $(B)/bench/bench_maps

$(BENCH_MAPS): tools/bench/bench_maps.c $(wildcard selftests/common/*.h) uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	$(CC) -static -O2 $(COMMON_CFLAGS) -Iselftests/common -o $@ $<

.PHONY: bench-maps
bench-maps: $(BENCH_MAPS)
	@$(MAKE) --no-print-directory module
	selftests/vm/run --timeout 300 --include $(BENCH_MAPS) -- \
		'insmod bpfdev.ko && bench_maps'

# The guest side of bench_jit: selftests/guest/t_15_jit_bench runs the
# converter in the guest, so it links the engine.
GUEST_LDLIBS_t_15_jit_bench := $(ENGINE_CFLAGS) $(LIBCORE)
$(B)/guest/tests/t_15_jit_bench: $(LIBCORE) selftests/common/bench_jit_progs.h

# bench_verifier: bpfdev's verifier against the running kernel's, on
# converted classic filters and clang-built socket filters.
BENCH_VERIFIER := $(B)/bench/bench_verifier
BENCHES += $(BENCH_VERIFIER)
TOOLS += $(BENCH_VERIFIER)

# (the clang objects: rules in selftests/fuzz/build.mk, read after this file)
$(BENCH_VERIFIER): tools/bench/bench_verifier.c $(wildcard selftests/common/*.h) \
		$(CORE_HDRS) $(LIBCORE) \
		$(patsubst selftests/unit/progs/%.bpf.c,$(B)/unit/progs/%.bpf.o,\
			$(wildcard selftests/unit/progs/*.bpf.c))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(ENGINE_CFLAGS) -o $@ $< $(LIBCORE) -lpcap -lelf

# bench_trace: the cost per event of a kprobe program, bpfdev's against the
# guest kernel's own BPF, inside the QEMU guest (tools/bench/bench_trace.sh).
BENCH_TRACE := $(B)/bench/bench_trace

$(BENCH_TRACE): tools/bench/bench_trace.c $(wildcard selftests/common/*.h) uapi/linux/bpfdev.h
	@mkdir -p $(@D)
	$(CC) -static -O2 $(COMMON_CFLAGS) -Iselftests/common -o $@ $<
