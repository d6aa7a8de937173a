// SPDX-License-Identifier: GPL-2.0
/*
 * Filters: libpcap compiles the expression to classic BPF (compile.c);
 * for -r our own engine (kmod/core, the code the module runs) validates
 * it, converts it to eBPF and runs it JIT-compiled, as the module does
 * (--no-jit: in the interpreter).  A program longer than the engine
 * takes runs in libpcap's bpf_filter() instead (filter_libpcap.c).
 */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "cbpf.h"
#include "code.h"
#include "jit.h"
#include "skb.h"

struct bpfcap_filter {
	struct bpfdev_code	code;
	struct bpfdev_env	env;
	/* Set instead of code: over BPFDEV_CBPF_MAXINSNS instructions. */
	struct bpfcap_libpcap_filter *libpcap;
};

struct bpfcap_filter *bpfcap_filter_load(const void *insns, unsigned int len,
					 bool jit)
{
	struct bpfcap_filter *f = calloc(1, sizeof(*f));
	char msg[BPFDEV_CBPF_MSG_SIZE] = "";
	int err;

	if (!f) {
		bpfcap_err("out of memory");
		return NULL;
	}
	if (len > BPFDEV_CBPF_MAXINSNS) {
		f->libpcap = bpfcap_libpcap_filter_load(insns, len);
		if (!f->libpcap) {
			free(f);
			return NULL;
		}
		return f;
	}
	err = bpfdev_cbpf_load(insns, len, &f->code, msg, sizeof(msg));
	if (err) {
		bpfcap_err("filter rejected by the engine: %s", msg[0] ? msg : strerror(-err));
		free(f);
		return NULL;
	}
	bpfdev_cbpf_env_init(&f->env);
	f->code.env = &f->env;
	/* As the module: the JIT, falling back to the interpreter. */
	if (jit)
		bpfdev_jit_compile(&f->code, 0);
	return f;
}

uint32_t bpfcap_filter_run(const struct bpfcap_filter *f,
			   const struct bpfcap_pkt *pkt)
{
	struct bpfdev_skb skb;

	if (f->libpcap)
		return bpfcap_libpcap_filter_run(f->libpcap, pkt);
	bpfdev_skb_init_linear(&skb, pkt->data, pkt->caplen);
	/* "len" and "greater/less" see the wire length, as bpf_filter(). */
	skb.md.len = pkt->len;
	return (uint32_t)bpfdev_code_run(&f->code, &skb);
}

void bpfcap_filter_free(struct bpfcap_filter *f)
{
	if (!f)
		return;
	if (f->libpcap) {
		bpfcap_libpcap_filter_free(f->libpcap);
		free(f);
		return;
	}
	bpfdev_jit_free(&f->code);
	bpfdev_cbpf_release(&f->code);
	free(f);
}

bool bpfcap_filter_by_libpcap(const struct bpfcap_filter *f)
{
	return f->libpcap;
}

unsigned int bpfcap_filter_max_insns(void)
{
	return BPFDEV_CBPF_MAXINSNS;
}

/* -d, -dd, -ddd: the program as tcpdump prints it, by our dumper. */
int bpfcap_filter_dump(const void *insns, unsigned int len, int option)
{
	int n = bpfdev_cbpf_dump(insns, len, option, NULL, 0);
	char *buf;

	if (n < 0) {
		bpfcap_err("cannot dump the filter");
		return -1;
	}
	buf = malloc(n + 1);
	if (!buf) {
		bpfcap_err("out of memory");
		return -1;
	}
	bpfdev_cbpf_dump(insns, len, option, buf, n + 1);
	fputs(buf, stdout);
	free(buf);
	return 0;
}
