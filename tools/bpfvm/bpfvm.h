/* SPDX-License-Identifier: GPL-2.0 */
/* bpfvm: what the subcommands share. */
#ifndef BPFVM_H
#define BPFVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "code.h"

struct bpfdev_region;

/*
 * Each subcommand: argv[0] is its name.  -h/--help among its options
 * prints its usage on stdout and exits 0; a bad command line prints it on
 * stderr and exits 2.  Each usage's first line starts with lead (7
 * columns: "usage: " alone, spaces in bpfvm --help's list).
 */
int cmd_run(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_verify(int argc, char **argv);
void run_usage(FILE *f, const char *lead);
void disasm_usage(FILE *f, const char *lead);
void verify_usage(FILE *f, const char *lead);
void plugin_usage(FILE *f, const char *lead);
/* -h or --help */
bool is_help(const char *arg);
/* bpfvm run --verify: verify code and run the verified program (verify.c) */
int bpfvm_verify_code(struct bpfdev_code *code, bool internal, u32 log_level);
int cmd_plugin(int argc, char **argv);

/* Hex bytes, spaces allowed between bytes ("b7 00 ..." or "b700..."). */
int parse_hex(const char *s, uint8_t **out, size_t *len);
/* A whole file; *len bytes at *out (malloc'ed). */
int read_file(const char *path, uint8_t **out, size_t *len);
/* Raw 8-byte instructions into code->insns/len; errors on stderr. */
int load_insns(struct bpfdev_code *code, uint8_t *bytes, size_t len,
	       const char *what);

/* The userspace helpers; plugin mode has the conformance "unwind" as 5. */
const struct bpfdev_env *bpfvm_env(bool plugin);
#define BPFVM_UNWIND_HELPER	5

/*
 * Engine choice: the interpreter, or with jit the JIT's image in
 * code->jited.  0, or -1 with the reason on stderr.
 */
int prepare_engine(struct bpfdev_code *code, bool jit);
/* Runs code with r1, r2 on the prepared engine without checks. */
uint64_t run_prepared(const struct bpfdev_code *code, uint64_t r1, uint64_t r2);

#endif /* BPFVM_H */
