/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpcap next to the kernel's uapi headers: both name a struct bpf_insn
 * (classic in pcap, extended in <linux/bpf.h>).  pcap's is renamed here;
 * it has the layout of struct sock_filter.
 */
#ifndef BPFDEV_CBPF_PCAP_H
#define BPFDEV_CBPF_PCAP_H

#define bpf_insn	pcap_bpf_insn
#define bpf_program	pcap_bpf_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program

#endif /* BPFDEV_CBPF_PCAP_H */
