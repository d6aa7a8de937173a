// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer in the shape of bpftool's json_writer: compact, or
 * with -p four-space indentation.
 */

#include <stdarg.h>
#include <stdlib.h>

#include "bpfctl.h"

#define MAX_DEPTH	32

struct json_writer {
	FILE	*out;
	bool	pretty;
	int	depth;
	bool	sep[MAX_DEPTH];		/* an element was written at this depth */
	bool	after_name;
};

struct json_writer *jsonw_new(FILE *f, bool pretty)
{
	struct json_writer *w = calloc(1, sizeof(*w));

	if (w) {
		w->out = f;
		w->pretty = pretty;
	}
	return w;
}

void jsonw_destroy(struct json_writer **w)
{
	if (!*w)
		return;
	fputc('\n', (*w)->out);
	fflush((*w)->out);
	free(*w);
	*w = NULL;
}

static void indent(struct json_writer *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("    ", w->out);
}

/* Before a value or a name: the comma and newline it needs. */
static void element(struct json_writer *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->depth && w->sep[w->depth])
		fputc(',', w->out);
	if (w->depth)
		indent(w);
	w->sep[w->depth] = true;
}

static void open_(struct json_writer *w, char c)
{
	element(w);
	fputc(c, w->out);
	if (w->depth < MAX_DEPTH - 1)
		w->depth++;
	w->sep[w->depth] = false;
}

static void close_(struct json_writer *w, char c)
{
	bool had = w->sep[w->depth];

	if (w->depth)
		w->depth--;
	if (had)
		indent(w);
	fputc(c, w->out);
}

void jsonw_start_object(struct json_writer *w) { open_(w, '{'); }
void jsonw_end_object(struct json_writer *w) { close_(w, '}'); }
void jsonw_start_array(struct json_writer *w) { open_(w, '['); }
void jsonw_end_array(struct json_writer *w) { close_(w, ']'); }

static void quoted(struct json_writer *w, const char *s)
{
	fputc('"', w->out);
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"': fputs("\\\"", w->out); break;
		case '\\': fputs("\\\\", w->out); break;
		case '\n': fputs("\\n", w->out); break;
		case '\t': fputs("\\t", w->out); break;
		case '\r': fputs("\\r", w->out); break;
		case '\b': fputs("\\b", w->out); break;
		case '\f': fputs("\\f", w->out); break;
		default:
			if (c < 0x20)
				fprintf(w->out, "\\u%04x", c);
			else
				fputc(c, w->out);
		}
	}
	fputc('"', w->out);
}

void jsonw_name(struct json_writer *w, const char *name)
{
	element(w);
	quoted(w, name);
	fputc(':', w->out);
	if (w->pretty)
		fputc(' ', w->out);
	w->after_name = true;
}

void jsonw_string(struct json_writer *w, const char *s)
{
	element(w);
	quoted(w, s);
}

void jsonw_printf(struct json_writer *w, const char *fmt, ...)
{
	va_list ap;

	element(w);
	va_start(ap, fmt);
	vfprintf(w->out, fmt, ap);
	va_end(ap);
}

void jsonw_uint(struct json_writer *w, unsigned long long v) { jsonw_printf(w, "%llu", v); }
void jsonw_int(struct json_writer *w, long long v) { jsonw_printf(w, "%lld", v); }
void jsonw_bool(struct json_writer *w, bool v) { jsonw_printf(w, "%s", v ? "true" : "false"); }
void jsonw_null(struct json_writer *w) { jsonw_printf(w, "null"); }

void jsonw_string_field(struct json_writer *w, const char *n, const char *s)
{
	jsonw_name(w, n);
	jsonw_string(w, s);
}

void jsonw_uint_field(struct json_writer *w, const char *n, unsigned long long v)
{
	jsonw_name(w, n);
	jsonw_uint(w, v);
}

void jsonw_int_field(struct json_writer *w, const char *n, long long v)
{
	jsonw_name(w, n);
	jsonw_int(w, v);
}

void jsonw_bool_field(struct json_writer *w, const char *n, bool v)
{
	jsonw_name(w, n);
	jsonw_bool(w, v);
}
