// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm verify: the verifier in userspace.
 *
 *   bpfvm verify [--type T] [--map N=TYPE,KEY_SIZE,VALUE_SIZE,MAX_ENTRIES[,FLAGS]]...
 *                [--log-level N] [--unpriv] [--xlated] PROGRAM
 *
 * PROGRAM holds raw 8-byte instructions; an LD_IMM64 with pseudo map fd N
 * refers to --map N=...  The log goes to stdout; the exit status is 0 when
 * the program is accepted, 1 when rejected, 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfvm.h"
#include "disasm.h"
#include "verifier.h"

#define VERIFY_MAX_MAPS	64

struct verify_maps {
	struct bpfdev_map_desc desc[VERIFY_MAX_MAPS];
	bool set[VERIFY_MAX_MAPS];
	/* stand-ins for the host's map and value pointers */
	u8 values[VERIFY_MAX_MAPS][8];
};

static const struct {
	const char *name;
	u32 type;
} map_types[] = {
	{ "hash", BPF_MAP_TYPE_HASH },
	{ "array", BPF_MAP_TYPE_ARRAY },
	{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY },
	{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH },
	{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
	{ "lru_hash", BPF_MAP_TYPE_LRU_HASH },
	{ "lru_percpu_hash", BPF_MAP_TYPE_LRU_PERCPU_HASH },
	{ "lpm_trie", BPF_MAP_TYPE_LPM_TRIE },
	{ "ringbuf", BPF_MAP_TYPE_RINGBUF },
};

static int parse_map(struct verify_maps *m, const char *arg)
{
	char name[32];
	unsigned int idx, ks, vs, max, flags = 0;
	size_t i;
	int n;

	if (sscanf(arg, "%u=%31[^,],%u,%u,%u%n", &idx, name, &ks, &vs, &max, &n) != 5 ||
	    (arg[n] && sscanf(arg + n, ",%i", &flags) != 1) || idx >= VERIFY_MAX_MAPS) {
		fprintf(stderr, "bpfvm: --map %s: want N=TYPE,KEY_SIZE,VALUE_SIZE,MAX_ENTRIES[,FLAGS] with N < %d\n",
			arg, VERIFY_MAX_MAPS);
		return -1;
	}
	m->desc[idx] = (struct bpfdev_map_desc) {
		.key_size = ks, .value_size = vs, .max_entries = max, .flags = flags,
		.host = &m->desc[idx],
	};
	for (i = 0; i < sizeof(map_types) / sizeof(map_types[0]); i++)
		if (!strcmp(name, map_types[i].name))
			break;
	if (i < sizeof(map_types) / sizeof(map_types[0])) {
		m->desc[idx].type = map_types[i].type;
	} else {
		char *end;

		m->desc[idx].type = strtoul(name, &end, 0);
		if (*end) {
			fprintf(stderr, "bpfvm: --map: unknown map type %s\n", name);
			return -1;
		}
	}
	if (m->desc[idx].type == BPF_MAP_TYPE_ARRAY && max == 1)
		m->desc[idx].value_base = m->values[idx];
	m->set[idx] = true;
	return 0;
}

static int resolve_map(void *priv, u32 src_reg, s32 fd, const struct bpfdev_map_desc **desc)
{
	struct verify_maps *m = priv;

	if (fd < 0 || fd >= VERIFY_MAX_MAPS || !m->set[fd])
		return -EBADF;
	*desc = &m->desc[fd];
	return 0;
}

static int parse_type(const char *s, u32 *type)
{
	char *end;

	if (!strcmp(s, "socket_filter") || !strcmp(s, "socket")) {
		*type = BPF_PROG_TYPE_SOCKET_FILTER;
		return 0;
	}
	*type = strtoul(s, &end, 0);
	return *end ? -1 : 0;
}

void verify_usage(FILE *f, const char *lead)
{
	fprintf(f,
		"%sbpfvm verify [--type T] [--map N=TYPE,KEY_SIZE,VALUE_SIZE,MAX_ENTRIES[,FLAGS]]...\n"
		"                    [--log-level N] [--unpriv] [--xlated] PROGRAM\n"
		"  map types: hash array prog_array percpu_hash percpu_array lru_hash\n"
		"             lru_percpu_hash lpm_trie ringbuf, or a number\n", lead);
}

int cmd_verify(int argc, char **argv)
{
	static struct verify_maps maps;
	static char logbuf[16 << 20];
	struct bpfdev_log log = { .level = 1, .buf = logbuf, .size = sizeof(logbuf) };
	struct bpfdev_verifier_env env = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .privileged = true,
		.map_resolve = resolve_map, .map_priv = &maps,
	};
	const char *program = NULL;
	bool xlated = false;
	uint8_t *bytes;
	size_t len;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--type") && i + 1 < argc) {
			if (parse_type(argv[++i], &env.prog_type)) {
				fprintf(stderr, "bpfvm: --type %s: unknown program type\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--map") && i + 1 < argc) {
			if (parse_map(&maps, argv[++i]))
				return 2;
		} else if (!strcmp(argv[i], "--log-level") && i + 1 < argc) {
			log.level = strtoul(argv[++i], NULL, 0);
			if (log.level & ~BPFDEV_LOG_MASK) {
				fprintf(stderr, "bpfvm: --log-level: 0 to 7\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--unpriv")) {
			env.privileged = false;
		} else if (!strcmp(argv[i], "--xlated")) {
			xlated = true;
		} else if (is_help(argv[i])) {
			verify_usage(stdout, "usage: ");
			return 0;
		} else if (argv[i][0] == '-' || program) {
			verify_usage(stderr, "usage: ");
			return 2;
		} else {
			program = argv[i];
		}
	}
	if (!program) {
		verify_usage(stderr, "usage: ");
		return 2;
	}
	ret = read_file(program, &bytes, &len);
	if (ret) {
		fprintf(stderr, "bpfvm: %s: %s\n", program, strerror(-ret));
		return 1;
	}
	if (!len || len % sizeof(struct bpf_insn)) {
		fprintf(stderr, "bpfvm: %s: %zu bytes is not a whole number of 8-byte instructions\n",
			program, len);
		free(bytes);
		return 1;
	}
	env.insns = (const struct bpf_insn *)bytes;
	env.len = len / sizeof(struct bpf_insn);
	env.log = log.level ? &log : NULL;
	ret = bpfdev_verify(&env);
	fputs(logbuf, stdout);
	if (ret) {
		if (env.err_insn >= 0)
			fprintf(stderr, "bpfvm: %s: rejected at insn %d: %s\n", program,
				env.err_insn, strerror(-ret));
		else
			fprintf(stderr, "bpfvm: %s: rejected: %s\n", program, strerror(-ret));
		free(bytes);
		return 1;
	}
	if (xlated) {
		u32 n;

		for (n = 0; n < env.xlated_len;) {
			char line[160];
			u32 step = bpfdev_disasm_insn(&env.xlated[n], env.xlated_len - n,
						      line, sizeof(line));

			printf("%u: %s\n", n, line);
			n += step ? step : 1;
		}
	}
	fprintf(stderr, "bpfvm: %s: accepted, %u insns processed, stack depth %u\n",
		program, env.verified_insns, env.stack_depth[0]);
	bpfdev_verifier_env_release(&env);
	free(bytes);
	return 0;
}

/*
 * For `bpfvm run --verify`: verify code's program (privileged, no maps;
 * internal for converted classic programs) and on success make code run
 * the verified, rewritten instructions.  The log goes to stderr when the
 * program is rejected, or always at log_level 2.  0, or -1 if rejected.
 */
int bpfvm_verify_code(struct bpfdev_code *code, bool internal, u32 log_level)
{
	static char logbuf[1 << 20];
	struct bpfdev_log log = { .level = log_level ? log_level : 1, .buf = logbuf,
				  .size = sizeof(logbuf) };
	struct bpfdev_verifier_env env = {
		.insns = code->insns, .len = code->len, .prog_type = code->type,
		.privileged = true, .internal = internal, .log = &log,
		.helpers = code->env,
	};
	int ret = bpfdev_verify(&env);

	if (ret || log_level >= 2)
		fputs(logbuf, stderr);
	if (ret) {
		fprintf(stderr, "bpfvm: rejected by the verifier%s: %s\n",
			env.err_insn >= 0 ? " (see the log above)" : "", strerror(-ret));
		return -1;
	}
	/* the caller keeps its buffer; the verified program lives as long as bpfvm */
	code->insns = env.xlated;
	code->len = env.xlated_len;
	code->stack_depth = env.stack_depth[0];
	return 0;
}
