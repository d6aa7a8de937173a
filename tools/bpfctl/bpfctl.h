/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfctl: bpftool's face for /dev/bpf.  OBJECT COMMAND ARGS, a table of
 * commands per object file, prefix matching, -j/-p JSON everywhere, help
 * on stderr.
 */
#ifndef BPFCTL_H
#define BPFCTL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include "libbpfdev.h"

#define BPFCTL_VERSION	"0.1"

struct cmd {
	const char	*name;
	int		(*func)(int argc, char **argv);
};

extern const char *bin_name;
extern bool json_output;
extern bool pretty_output;
extern struct json_writer *json_wtr;

int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv));
bool is_prefix(const char *pfx, const char *str);
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define NEXT_ARG()	({ argc--; argv++; })
#define REQ_ARGS(cnt)							\
	({								\
		int _cnt = (cnt);					\
		bool _res = true;					\
		if (argc < _cnt) {					\
			p_err("'%s' needs at least %d arguments, %d found", \
			      argv[-1], _cnt, argc);			\
			_res = false;					\
		}							\
		_res;							\
	})

/* json.c: bpftool's json_writer, the subset we use. */
struct json_writer *jsonw_new(FILE *f, bool pretty);
void jsonw_destroy(struct json_writer **w);
void jsonw_start_object(struct json_writer *w);
void jsonw_end_object(struct json_writer *w);
void jsonw_start_array(struct json_writer *w);
void jsonw_end_array(struct json_writer *w);
void jsonw_name(struct json_writer *w, const char *name);
void jsonw_string(struct json_writer *w, const char *s);
void jsonw_printf(struct json_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void jsonw_uint(struct json_writer *w, unsigned long long v);
void jsonw_int(struct json_writer *w, long long v);
void jsonw_bool(struct json_writer *w, bool v);
void jsonw_null(struct json_writer *w);
void jsonw_string_field(struct json_writer *w, const char *n, const char *s);
void jsonw_uint_field(struct json_writer *w, const char *n, unsigned long long v);
void jsonw_int_field(struct json_writer *w, const char *n, long long v);
void jsonw_bool_field(struct json_writer *w, const char *n, bool v);

/* common.c */
const char *prog_type_str(unsigned int type);
const char *map_type_str(unsigned int type);
int prog_type_parse(const char *s);
int map_type_parse(const char *s);
/* PROG := id N | pinned NAME | name NAME | tag TAG: fds found (up to n). */
int prog_parse_fds(int *argc, char ***argv, int *fds, int n);
int prog_parse_fd(int *argc, char ***argv);
int map_parse_fds(int *argc, char ***argv, int *fds, int n);
int map_parse_fd(int *argc, char ***argv);
int map_parse_fd_and_info(int *argc, char ***argv, struct bpf_map_info *info);
/* key/value bytes: "0x01 2 ..." or "hex 01 02 ..."; n bytes exactly. */
int parse_bytes(int *argc, char ***argv, const char *what, unsigned char *buf,
		unsigned int n);
void fprint_hex(FILE *f, const void *buf, unsigned int n, const char *sep);
void print_hex_json(const void *buf, unsigned int n);
int nr_cpus(void);
bool map_is_per_cpu(unsigned int type);
int read_file(const char *path, void **buf, size_t *size);
/* The disassembler's line for insns[0], map references as bpftool prints them. */
unsigned int insn_to_str(const struct bpf_insn *insns, unsigned int left, char *buf,
			 size_t size);

int do_unpin_name(int argc, char **argv);
/* `show` of every object, walking ids as bpftool does; JSON as one array. */
int show_all_ids(int (*get_next_id)(__u32 start, __u32 *next),
		 int (*get_fd_by_id)(__u32 id), const char *what,
		 int (*show_fd)(int fd));
int do_prog(int argc, char **argv);
int do_map(int argc, char **argv);
int do_net(int argc, char **argv);
int do_asm(int argc, char **argv);
int do_disasm(int argc, char **argv);
/* trace.c: tracing attach in the foreground, tracelog; stack.c: map stacks. */
int do_attach_trace(int prog_fd, int argc, char **argv);
int trace_autoattach(struct bpfdev_object *obj, unsigned long timeout);
int do_tracelog(int argc, char **argv);
int do_stacks(int argc, char **argv);

#endif /* BPFCTL_H */
