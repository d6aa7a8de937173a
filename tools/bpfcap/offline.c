// SPDX-License-Identifier: GPL-2.0
/*
 * -r: read a pcap or pcapng file with libpcap and run the filter through
 * our engine (the module's code, in userspace) instead of libpcap's;
 * only a program longer than the engine (and the kernel) takes runs in
 * libpcap's bpf_filter(), with a warning, as tcpdump filters it.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"

static void print_reading_from(pcap_t *pd, const char *name)
{
	int dlt = pcap_datalink(pd);
	const char *dlt_name = pcap_datalink_val_to_name(dlt);

	fprintf(stderr, "reading from file %s", name);
	if (dlt_name)
		fprintf(stderr, ", link-type %s (%s)", dlt_name,
			pcap_datalink_val_to_description(dlt));
	else
		fprintf(stderr, ", link-type %u", dlt);
	fprintf(stderr, ", snapshot length %d\n", pcap_snapshot(pd));
}

int bpfcap_offline(const struct bpfcap_opts *o)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpfcap_filter *filter = NULL;
	struct bpf_program prog = { 0 };
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pd;
	int linktype, snaplen, rc = 0, ret = 1;

	if (o->ebpf_obj) {
		/* Its verifier is the module's: no /dev/bpf, no --ebpf program. */
		bpfcap_err("--ebpf with -r is not supported: the program loads through /dev/bpf");
		return 1;
	}
	pd = pcap_open_offline_with_tstamp_precision(o->rfile,
		o->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO,
		errbuf);
	if (!pd) {
		bpfcap_err("%s", errbuf);
		return 1;
	}
	linktype = pcap_datalink(pd);
	snaplen = pcap_snapshot(pd);
	print_reading_from(pd, o->rfile);
	if (bpfcap_filter_compile(&prog, o->expr, linktype, snaplen, 0, pd))
		goto out;
	if (o->dflag) {
		ret = bpfcap_filter_dump(prog.bf_insns, prog.bf_len, o->dflag) ? 1 : 0;
		goto out;
	}
	filter = bpfcap_filter_load(prog.bf_insns, prog.bf_len, o->jit);
	if (!filter)
		goto out;
	if (bpfcap_filter_by_libpcap(filter))
		fprintf(stderr, "Warning: filter of %u instructions is over the engine's %u: filtering with libpcap's bpf_filter()\n",
			prog.bf_len, bpfcap_filter_max_insns());
	if (o->wfile && bpfcap_dump_open(o, linktype, snaplen))
		goto out;
	if (o->print)
		bpfcap_print_init(o, linktype, o->nano);

	while (!bpfcap_stop && (rc = pcap_next_ex(pd, &h, &data)) == 1) {
		struct bpfcap_pkt pkt = {
			.ts.tv_sec = h->ts.tv_sec,
			.ts.tv_nsec = o->nano ? h->ts.tv_usec : h->ts.tv_usec * 1000L,
			.caplen = h->caplen,
			.len = h->len,
			.data = data,
		};

		bpfcap_stats.received++;
		if (!bpfcap_filter_run(filter, &pkt))
			continue;
		rc = bpfcap_deliver(o, &pkt);
		if (rc)
			break;
		if (bpfcap_info)
			bpfcap_status_tick(false, false);
	}
	if (rc == PCAP_ERROR) {
		/* Like tcpdump: a damaged file ends the run with an error. */
		fflush(stdout);
		bpfcap_err("pcap_loop: %s", pcap_geterr(pd));
		goto out_dump;
	}
	ret = 0;
out_dump:
	if (o->wfile)
		bpfcap_dump_close();
out:
	fflush(stdout);
	bpfcap_filter_free(filter);
	pcap_freecode(&prog);
	pcap_close(pd);
	return ret;
}
