// SPDX-License-Identifier: GPL-2.0
/*
 * The expression compiler is libpcap's, as in tcpdump: same grammar, same
 * code, same error messages.
 */
#include <pcap/pcap.h>

#include "bpfcap.h"

int bpfcap_filter_compile(struct bpf_program *prog, const char *expr,
			  int linktype, int snaplen)
{
	pcap_t *p = pcap_open_dead(linktype, snaplen);
	int err;

	if (!p) {
		bpfcap_err("pcap_open_dead failed");
		return -1;
	}
	err = pcap_compile(p, prog, expr ? expr : "", 1, PCAP_NETMASK_UNKNOWN);
	if (err)
		bpfcap_err("%s", pcap_geterr(p));
	pcap_close(p);
	return err ? -1 : 0;
}
