# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks: the optimised engine (libcore.a), one program per concern,
# built by `make` and run by hand (not part of `make test`).  Each
# benchmark adds its own block below.

# bench_cbpf: classic filters, libpcap's bpf_filter() vs bpfdev.
BENCH_CBPF := tools/bench/bench_cbpf
TOOLS += $(BENCH_CBPF)

$(BENCH_CBPF): tools/bench/bench_cbpf.c $(CORE_HDRS) $(LIBCORE)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCORE) -lpcap
