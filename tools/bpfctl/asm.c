// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl asm FILE [out OUT] [pin NAME [type TYPE]]: text in the verifier
 * log's syntax to instructions (hex lines, a raw file, or a loaded and
 * pinned program).
 * bpfctl disasm FILE: raw instructions (or their hex) back to text, in
 * the same syntax, so disasm's output assembles again.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfctl.h"
#include "disasm.h"

static int load_and_pin(const struct bpf_insn *insns, int cnt, const char *pin, int type)
{
	static char log[1 << 16];
	BPFDEV_OPTS(bpfdev_prog_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1);
	int fd;

	fd = bpfdev_prog_load(type, "asm", "GPL", insns, cnt, &opts);
	if (fd < 0) {
		p_err("load failed: %s", strerror(errno));
		if (!json_output && log[0])
			fprintf(stderr, "%s", log);
		return -1;
	}
	if (bpfdev_obj_pin(fd, pin)) {
		p_err("can't pin as '%s': %s", pin, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int do_asm(int argc, char **argv)
{
	const char *file, *out = NULL, *pin = NULL;
	struct bpf_insn *insns = NULL;
	int cnt, i, err = -1, type = BPF_PROG_TYPE_SOCKET_FILTER;
	char msg[256];
	size_t size;
	void *text;

	if (argc < 1) {
		p_err("expected a file of instructions ('-' for stdin)");
		return -1;
	}
	file = *argv;
	NEXT_ARG();
	while (argc >= 2) {
		if (is_prefix(*argv, "out"))
			out = argv[1];
		else if (is_prefix(*argv, "pin"))
			pin = argv[1];
		else if (is_prefix(*argv, "type")) {
			type = prog_type_parse(argv[1]);
			if (type < 0) {
				p_err("unknown program type '%s'", argv[1]);
				return -1;
			}
		} else
			break;
		NEXT_ARG();
		NEXT_ARG();
	}
	if (argc) {
		p_err("expected 'out FILE', 'pin NAME' or 'type TYPE', got: '%s'?", *argv);
		return -1;
	}
	if (read_file(file, &text, &size))
		return -1;
	cnt = bpfdev_asm(text, &insns, msg, sizeof(msg));
	free(text);
	if (cnt < 0) {
		p_err("%s: %s", file, msg);
		return -1;
	}
	if (out) {
		FILE *f = fopen(out, "w");

		if (!f || fwrite(insns, sizeof(*insns), cnt, f) != (size_t)cnt) {
			p_err("can't write %s: %s", out, strerror(errno));
			if (f)
				fclose(f);
			goto done;
		}
		fclose(f);
	}
	if (pin && load_and_pin(insns, cnt, pin, type))
		goto done;
	if (json_output) {
		jsonw_start_array(json_wtr);
		for (i = 0; !out && !pin && i < cnt; i++) {
			char hex[17];
			const unsigned char *b = (const void *)&insns[i];
			int j;

			for (j = 0; j < 8; j++)
				sprintf(hex + 2 * j, "%02x", b[j]);
			jsonw_string(json_wtr, hex);
		}
		jsonw_end_array(json_wtr);
	} else if (!out && !pin) {
		for (i = 0; i < cnt; i++) {
			fprint_hex(stdout, &insns[i], sizeof(insns[i]), " ");
			printf("\n");
		}
	}
	err = 0;
done:
	free(insns);
	return err;
}

/* Hex text ("b7 00 ..." or one long string) to bytes; -1 if not hex. */
static long unhex(const char *s, size_t len, unsigned char *out)
{
	long n = 0;
	int half = -1;
	size_t i;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i], v;

		if (isspace(c))
			continue;
		if (!isxdigit(c))
			return -1;
		v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (half < 0) {
			half = v;
		} else {
			out[n++] = half << 4 | v;
			half = -1;
		}
	}
	return half < 0 ? n : -1;
}

int do_disasm(int argc, char **argv)
{
	const struct bpf_insn *insns;
	unsigned char *bytes = NULL;
	unsigned int cnt, i, n;
	char line[160];
	size_t size;
	void *buf;
	long len;

	if (argc != 1) {
		p_err("expected one file of instructions (raw or hex, '-' for stdin)");
		return -1;
	}
	if (read_file(*argv, &buf, &size))
		return -1;
	bytes = malloc(size + 1);
	len = bytes ? unhex(buf, size, bytes) : -1;
	if (len < 0) {
		free(bytes);
		bytes = buf;
		len = size;
	} else {
		free(buf);
	}
	if (len % sizeof(struct bpf_insn)) {
		p_err("%ld bytes: not a whole number of 8-byte instructions", len);
		free(bytes);
		return -1;
	}
	insns = (const void *)bytes;
	cnt = len / sizeof(struct bpf_insn);
	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < cnt; i += n) {
		n = bpfdev_disasm_insn(&insns[i], cnt - i, line, sizeof(line));
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "pc", i);
			jsonw_string_field(json_wtr, "disasm", line);
			jsonw_end_object(json_wtr);
		} else {
			printf("%4u: %s\n", i, line);
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	free(bytes);
	return 0;
}
