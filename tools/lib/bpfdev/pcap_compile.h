/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef LIBBPFDEV_PCAP_COMPILE_H
#define LIBBPFDEV_PCAP_COMPILE_H

#include <stddef.h>

struct sock_filter;

/* Compiles expr for link type dlt; a malloc()ed program at *insns. */
int bpfdev_pcap_compile(int dlt, unsigned int snaplen, const char *expr,
			struct sock_filter **insns, unsigned int *len,
			char *err, size_t err_size);

#endif /* LIBBPFDEV_PCAP_COMPILE_H */
