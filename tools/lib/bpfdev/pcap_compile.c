// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcpdump expressions to classic BPF through libpcap.  A file of its own:
 * <pcap/bpf.h> has a struct bpf_insn of its own that clashes with
 * <linux/bpf.h>.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <pcap/pcap.h>

#include "pcap_compile.h"

int bpfdev_pcap_compile(int dlt, unsigned int snaplen, const char *expr,
			struct sock_filter **insns, unsigned int *len,
			char *err, size_t err_size)
{
	struct bpf_program prog;
	pcap_t *p;
	int ret = 0;

	p = pcap_open_dead(dlt, snaplen ? snaplen : 262144);
	if (!p) {
		snprintf(err, err_size, "pcap_open_dead failed");
		return -ENOMEM;
	}
	if (pcap_compile(p, &prog, expr ? expr : "", 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, err_size, "%s", pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	*insns = calloc(prog.bf_len ? prog.bf_len : 1, sizeof(**insns));
	if (!*insns) {
		ret = -ENOMEM;
	} else {
		/* The same 8-byte layout: code, jt, jf, k. */
		memcpy(*insns, prog.bf_insns, prog.bf_len * sizeof(**insns));
		*len = prog.bf_len;
	}
	pcap_freecode(&prog);
	pcap_close(p);
	return ret;
}
