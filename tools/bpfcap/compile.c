// SPDX-License-Identifier: GPL-2.0
/*
 * The expression compiler is libpcap's, as in tcpdump: same grammar, same
 * code, same error messages.
 */
#include <pcap/pcap.h>

#include "bpfcap.h"

/*
 * Compile for the open savefile pd (as tcpdump -r: netmask 0, and the
 * savefile's own restrictions), or for a capture of linktype.
 */
int bpfcap_filter_compile(struct bpf_program *prog, const char *expr,
			  int linktype, int snaplen, uint32_t netmask, void *pd)
{
	pcap_t *p = pd ? pd : pcap_open_dead(linktype, snaplen);
	int err;

	if (!p) {
		bpfcap_err("pcap_open_dead failed");
		return -1;
	}
	err = pcap_compile(p, prog, expr ? expr : "", 1, netmask);
	if (err)
		bpfcap_err("%s", pcap_geterr(p));
	if (!pd)
		pcap_close(p);
	return err ? -1 : 0;
}

/* The device's netmask for "ip broadcast", as tcpdump asks libpcap. */
uint32_t bpfcap_netmask(const char *dev)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	bpf_u_int32 net, mask;

	if (pcap_lookupnet(dev, &net, &mask, errbuf) < 0)
		return 0;
	return mask;
}
