# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: each appends its program to BENCHES (built by `make` as a
# tool, run by `make bench`, which prints their tables in order).
#   bench_engine: the eBPF interpreter against the running kernel's eBPF

BENCHES += $(B)/bench/bench_engine
TOOLS += $(B)/bench/bench_engine

$(B)/bench/bench_engine: tools/bench/bench_engine.c $(CORE_HDRS) $(LIBCORE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCORE)

.PHONY: bench
bench: $(LIBCORE)
	@$(MAKE) --no-print-directory $(BENCHES)
	@for b in $(BENCHES); do echo "== $$(basename $$b)"; $$b || exit 1; done
