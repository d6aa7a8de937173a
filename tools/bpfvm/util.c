// SPDX-License-Identifier: GPL-2.0
/* bpfvm: reading programs and bytes. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfvm.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int parse_hex(const char *s, uint8_t **out, size_t *len)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *buf = malloc(cap);
	int hi, lo;

	if (!buf)
		return -ENOMEM;
	while (*s) {
		if (isspace((unsigned char)*s) || *s == ',') {
			s++;
			continue;
		}
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0) {
			free(buf);
			return -EINVAL;
		}
		buf[n++] = hi << 4 | lo;
		s += 2;
	}
	*out = buf;
	*len = n;
	return 0;
}

int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 4096, got;
	uint8_t *buf = NULL, *tmp;

	if (!f)
		return -errno;
	for (;;) {
		tmp = realloc(buf, cap);
		if (!tmp) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = tmp;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

int load_insns(struct bpfdev_code *code, uint8_t *bytes, size_t len,
	       const char *what)
{
	if (!len || len % sizeof(struct bpf_insn)) {
		fprintf(stderr, "bpfvm: %s: %zu bytes is not a whole number of 8-byte instructions\n",
			what, len);
		return -1;
	}
	if (len / sizeof(struct bpf_insn) > BPF_MAX_INSNS_PER_PROG) {
		fprintf(stderr, "bpfvm: %s: more than %u instructions\n", what,
			BPF_MAX_INSNS_PER_PROG);
		return -1;
	}
	code->insns = (struct bpf_insn *)bytes;
	code->len = len / sizeof(struct bpf_insn);
	code->stack_depth = BPF_MAX_STACK;
	return 0;
}
