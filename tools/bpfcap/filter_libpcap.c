// SPDX-License-Identifier: GPL-2.0
/*
 * Filters longer than the engine takes (Linux's BPF_MAXINSNS, 4,096: a
 * 59-port or-chain on a PPI link compiles to over 7,000) run in libpcap's
 * own bpf_filter(), which has no length limit.  That is what tcpdump does
 * on Linux when the kernel refuses a filter: libpcap's userland filter is
 * this same interpreter, so bpfcap keeps exactly the packets tcpdump
 * keeps.  bpfcap's programs never carry Linux ancillary loads here (they
 * are compiled for a dead handle; the cooked fix-up is applied to the
 * kernel's copy only), so bpf_filter()'s semantics are the program's.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"

struct bpfcap_libpcap_filter {
	struct bpf_insn	*insns;
	unsigned int	len;
};

struct bpfcap_libpcap_filter *bpfcap_libpcap_filter_load(const void *insns,
							 unsigned int len)
{
	struct bpfcap_libpcap_filter *f;

	/* bpf_filter() trusts its program: check it as libpcap would. */
	if (!bpf_validate(insns, len)) {
		bpfcap_err("filter rejected by libpcap's bpf_validate()");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f)
		f->insns = malloc(len * sizeof(*f->insns));
	if (!f || !f->insns) {
		free(f);
		bpfcap_err("out of memory");
		return NULL;
	}
	memcpy(f->insns, insns, len * sizeof(*f->insns));
	f->len = len;
	return f;
}

uint32_t bpfcap_libpcap_filter_run(const struct bpfcap_libpcap_filter *f,
				   const struct bpfcap_pkt *pkt)
{
	return bpf_filter(f->insns, pkt->data, pkt->len, pkt->caplen);
}

void bpfcap_libpcap_filter_free(struct bpfcap_libpcap_filter *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f);
}
