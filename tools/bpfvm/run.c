// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm run: a raw program on one packet, as a socket filter sees it
 * (the context a struct bpfdev_skb, like BPF_PROG_TEST_RUN).  Programs
 * are unverified, so the checked interpreter runs them unless
 * --unchecked (or --jit) asks for the trusting engines.  Programs reading
 * __sk_buff.data/data_end need the verifier's context rewrite; until it
 * runs here they read the struct as is.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfvm.h"
#include "cbpf.h"
#include "interp.h"
#include "skb.h"

#define CTX_FIELD(name)	{ #name, offsetof(struct __sk_buff, name), \
			  sizeof(((struct __sk_buff *)0)->name) }

static const struct ctx_field {
	const char *name;
	size_t off;
	size_t size;
} ctx_fields[] = {
	CTX_FIELD(pkt_type), CTX_FIELD(mark), CTX_FIELD(queue_mapping),
	CTX_FIELD(protocol), CTX_FIELD(vlan_present), CTX_FIELD(vlan_tci),
	CTX_FIELD(vlan_proto), CTX_FIELD(priority),
	CTX_FIELD(ingress_ifindex), CTX_FIELD(ifindex), CTX_FIELD(tc_index),
	CTX_FIELD(hash), CTX_FIELD(tc_classid), CTX_FIELD(napi_id),
	{ "cb0", offsetof(struct __sk_buff, cb[0]), 4 },
	{ "cb1", offsetof(struct __sk_buff, cb[1]), 4 },
	{ "cb2", offsetof(struct __sk_buff, cb[2]), 4 },
	{ "cb3", offsetof(struct __sk_buff, cb[3]), 4 },
	{ "cb4", offsetof(struct __sk_buff, cb[4]), 4 },
};

/* FIELD=VALUE[,FIELD=VALUE...]; protocol and vlan_proto in host order. */
static int set_ctx(struct bpfdev_skb *skb, char *spec)
{
	char *item, *save = NULL, *eq, *end;
	unsigned long long v;
	size_t i;

	for (item = strtok_r(spec, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (!eq) {
			fprintf(stderr, "bpfvm: --ctx %s: want FIELD=VALUE\n", item);
			return -1;
		}
		*eq = '\0';
		v = strtoull(eq + 1, &end, 0);
		if (*end || end == eq + 1) {
			fprintf(stderr, "bpfvm: --ctx %s: bad value %s\n", item, eq + 1);
			return -1;
		}
		for (i = 0; i < ARRAY_SIZE(ctx_fields); i++)
			if (!strcmp(item, ctx_fields[i].name))
				break;
		if (i == ARRAY_SIZE(ctx_fields)) {
			fprintf(stderr, "bpfvm: --ctx: unknown field %s; known:", item);
			for (i = 0; i < ARRAY_SIZE(ctx_fields); i++)
				fprintf(stderr, " %s", ctx_fields[i].name);
			fprintf(stderr, "\n");
			return -1;
		}
		/* As skb->protocol: a __be16 in a u32 field. */
		if (!strcmp(item, "protocol") || !strcmp(item, "vlan_proto"))
			v = cpu_to_be16((u16)v);
		memcpy((char *)&skb->md + ctx_fields[i].off, &(u32){ (u32)v },
		       ctx_fields[i].size);
	}
	return 0;
}

/*
 * --classic: the program file holds struct sock_filter records (8 bytes
 * each, host order), validated by the kernel's classic rules and converted
 * to eBPF as the kernel converts socket filters.
 */
static int convert_classic(struct bpfdev_code *code, uint8_t *bytes, size_t len,
			   const char *what)
{
	const struct bpfdev_env *env = code->env;
	char msg[BPFDEV_CBPF_MSG_SIZE];

	if (!len || len % sizeof(struct sock_filter)) {
		fprintf(stderr, "bpfvm: %s: %zu bytes: not whole struct sock_filter records\n",
			what, len);
		return -1;
	}
	if (bpfdev_cbpf_load((const struct sock_filter *)bytes,
			     len / sizeof(struct sock_filter), code, msg, sizeof(msg))) {
		fprintf(stderr, "bpfvm: %s: %s\n", what, msg);
		return -1;
	}
	code->env = env;
	return 0;
}

static u64 now_ns(void)
{
	return bpfdev_ktime_ns();
}

struct run_args {
	bool jit, classic, unchecked, verify;
	const char *data_file, *data_hex;
	char *ctx;
	long repeat;
	const char *program;
};

void run_usage(FILE *f, const char *lead)
{
	fprintf(f, "%sbpfvm run [--interp|--jit] [--classic] [--unchecked]\n"
		"                 [--data FILE | --data-hex HEX] [--ctx FIELD=VALUE,...]\n"
		"                 [--repeat N] [--verify] PROGRAM\n", lead);
}

/* 0 to run, 1 when --help printed the usage, -1 on a bad command line. */
static int parse_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "interp", no_argument, NULL, 'i' },
		{ "jit", no_argument, NULL, 'j' },
		{ "classic", no_argument, NULL, 'c' },
		{ "unchecked", no_argument, NULL, 'u' },
		{ "data", required_argument, NULL, 'd' },
		{ "data-hex", required_argument, NULL, 'x' },
		{ "ctx", required_argument, NULL, 'C' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "verify", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			run_usage(stdout, "usage: ");
			return 1;
		case 'i': a->jit = false; break;
		case 'j': a->jit = true; break;
		case 'c': a->classic = true; break;
		case 'u': a->unchecked = true; break;
		case 'v': a->verify = true; break;
		case 'd': a->data_file = optarg; break;
		case 'x': a->data_hex = optarg; break;
		case 'C': a->ctx = optarg; break;
		case 'r':
			a->repeat = strtol(optarg, NULL, 0);
			if (a->repeat < 1) {
				fprintf(stderr, "bpfvm: --repeat wants a count >= 1\n");
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	if (optind != argc - 1 || (a->data_file && a->data_hex)) {
		run_usage(stderr, "usage: ");
		return -1;
	}
	a->program = argv[optind];
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .repeat = 0 };
	struct bpfdev_code code = { .env = bpfvm_env(false),
				    .type = BPF_PROG_TYPE_SOCKET_FILTER };
	struct bpfdev_region regions[BPFDEV_SKB_REGIONS + 1];
	struct bpfdev_run_opts opts = { .sz = sizeof(opts) };
	struct bpfdev_skb skb;
	uint8_t *bytes, *data = NULL;
	size_t len, data_len = 0;
	char err[256];
	u64 r0 = 0, start, elapsed;
	long i, runs;
	int ret;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : 2;
	ret = read_file(a.program, &bytes, &len);
	if (ret) {
		fprintf(stderr, "bpfvm: %s: %s\n", a.program, strerror(-ret));
		return 1;
	}
	if (a.classic ? convert_classic(&code, bytes, len, a.program) :
			load_insns(&code, bytes, len, a.program))
		return 1;
	/* --verify: run what the verifier accepted, rewritten as the module would */
	if (a.verify && bpfvm_verify_code(&code, a.classic, 0))
		return 1;
	if (a.data_file && (ret = read_file(a.data_file, &data, &data_len))) {
		fprintf(stderr, "bpfvm: %s: %s\n", a.data_file, strerror(-ret));
		return 1;
	}
	if (a.data_hex && parse_hex(a.data_hex, &data, &data_len)) {
		fprintf(stderr, "bpfvm: --data-hex: not hex bytes\n");
		return 1;
	}
	bpfdev_skb_init_linear(&skb, data ? data : (const uint8_t *)"", data_len);
	if (a.ctx && set_ctx(&skb, a.ctx))
		return 1;
	if (prepare_engine(&code, a.jit))
		return 1;

	opts.args[0] = (uintptr_t)&skb;
	opts.skb = &skb;
	opts.regions = regions;
	opts.nr_regions = bpfdev_interp_skb_regions(&skb, regions);
	/* SKF_AD_HATYPE reads the context past the __sk_buff */
	if (a.classic)
		regions[opts.nr_regions++] = (struct bpfdev_region){
			.addr = (uintptr_t)&skb.hatype, .len = sizeof(skb.hatype),
			.flags = BPFDEV_REGION_READ, .name = "ctx hatype",
		};
	opts.err = err;
	opts.err_size = sizeof(err);
	runs = a.repeat ? a.repeat : 1;
	start = now_ns();
	for (i = 0; i < runs; i++) {
		if (code.jited || a.unchecked) {
			r0 = run_prepared(&code, (uintptr_t)&skb, 0);
			continue;
		}
		ret = bpfdev_interp_run_checked(&code, &opts, &r0);
		if (ret) {
			fprintf(stderr, "bpfvm: %s: %s\n", a.program, err);
			return 1;
		}
	}
	elapsed = now_ns() - start;
	printf("r0 = %llu (0x%llx)\n", (unsigned long long)r0,
	       (unsigned long long)r0);
	if (a.repeat)
		printf("%.1f ns/run (%ld runs, %s)\n", (double)elapsed / runs, runs,
		       code.jited ? "jit" : a.unchecked ? "interpreter" :
		       "checked interpreter");
	free(bytes);
	free(data);
	return 0;
}
