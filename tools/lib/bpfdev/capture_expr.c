// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Capture filters from tcpdump expressions.  A file of its own so that
 * only programs calling bpfdev_capture__set_filter_expr() link libpcap
 * (a static libpcap drags in dbus and systemd).
 */

#include <stdlib.h>

#include "internal.h"
#include "pcap_compile.h"

/* pcap's DLT values for the link types the module reports. */
#define DLT_EN10MB_	1
#define DLT_RAW_	12

int bpfdev_capture__set_filter_expr(struct bpfdev_capture *cap, const char *expr)
{
	struct bpfdev_cap_info info;
	struct sock_filter *insns = NULL;
	unsigned int len = 0;
	char err[256];
	int ret, dlt = DLT_EN10MB_;

	/* Unbound sockets filter Ethernet; "any" and raw devices the network header. */
	if (!bpfdev_capture__info(cap, &info) && (info.flags & BPFDEV_CAP_BOUND) &&
	    info.linktype != BPFDEV_LINKTYPE_ETHERNET)
		dlt = DLT_RAW_;
	ret = bpfdev_pcap_compile(dlt, info.snaplen, expr, &insns, &len, err, sizeof(err));
	if (ret) {
		pr_warn("filter '%s': %s\n", expr, err);
		return bpfdev_err(ret);
	}
	ret = bpfdev_capture__set_filter_classic(cap, insns, len);
	free(insns);
	return ret;
}
