// SPDX-License-Identifier: GPL-2.0
/*
 * Symbols for tracing (tools/lib/bpfdev/syms.c), without the device:
 *   - bpfdev_elf_symbol_offset(): the file offset of a function is where
 *     its bytes are, checked against the bytes the running function has
 *     in memory (this test's own, and those of fixture processes built as
 *     a PIE and at fixed addresses, where section addresses and file
 *     offsets differ); duplicates, missing names and non-ELF files;
 *   - bpfdev_syms__process(): addresses in a fixture process (at a random
 *     base for the PIE) and in this process's libc back to their names;
 *   - bpfdev_syms__elf(): a fixed-address executable's own addresses;
 *   - bpfdev_syms__kernel(): a kallsyms file with aliases, modules and
 *     absolute symbols, one with no addresses (kptr_restrict), and the
 *     running kernel's when it shows them.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "tap.h"

#define FIXTURE(name)	BPFDEV_TOP "/build/unit/trace/" name

__attribute__((noinline)) int trace_syms_probe_me(int x)
{
	return x * 7 + 3;
}

/* n bytes at file offset off of path into buf. */
static int file_bytes(const char *path, long long off, void *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = pread(fd, buf, n, off);
	close(fd);
	return got == (ssize_t)n ? 0 : -1;
}

static void test_self(void)
{
	long long off = bpfdev_elf_symbol_offset("/proc/self/exe", "trace_syms_probe_me");
	unsigned char disk[16];

	if (!ok(off > 0, "this test's trace_syms_probe_me has a file offset (%lld)", off)) {
		ok(0, "its bytes");
		return;
	}
	ok(!file_bytes("/proc/self/exe", off, disk, sizeof(disk)) &&
	   !memcmp(disk, (void *)trace_syms_probe_me, sizeof(disk)),
	   "the file's bytes at that offset are the function's code");
}

struct child {
	pid_t		pid;
	int		in;		/* its stdin: closing it ends it */
	uintptr_t	leaf, mid;
};

static int child_start(const char *path, struct child *c)
{
	int to[2], from[2];
	char line[128];
	FILE *f;

	if (pipe(to) || pipe(from))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	c->in = to[1];
	f = fdopen(from[0], "r");
	if (!f || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "%lx %lx", (unsigned long *)&c->leaf, (unsigned long *)&c->mid) != 2) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void child_stop(struct child *c)
{
	close(c->in);
	waitpid(c->pid, NULL, 0);
}

/* The fixture's memory at addr, through /proc/PID/mem. */
static int child_bytes(const struct child *c, uintptr_t addr, void *buf, size_t n)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/mem", c->pid);
	return file_bytes(path, (long long)addr, buf, n);
}

static void test_fixture(const char *what, const char *path, bool pie)
{
	unsigned char disk[16], mem[16];
	struct bpfdev_syms *syms;
	struct child c;
	const char *file = NULL, *name;
	char real[PATH_MAX], buf[128];
	long long off;
	__u64 soff = 0;

	if (!ok(!child_start(path, &c), "%s: the fixture runs and says where it is", what)) {
		tap_diag("%s: %s", path, strerror(errno));
		return;
	}
	off = bpfdev_elf_symbol_offset(path, "trace_target_leaf");
	ok(off > 0 && !file_bytes(path, off, disk, sizeof(disk)) &&
	   !child_bytes(&c, c.leaf, mem, sizeof(mem)) && !memcmp(disk, mem, sizeof(disk)),
	   "%s: trace_target_leaf's file offset 0x%llx holds the code it runs at %#lx", what,
	   off, (unsigned long)c.leaf);
	if (!pie)
		ok(off != (long long)c.leaf,
		   "%s: that offset is not the function's address (sections are placed apart)", what);

	syms = bpfdev_syms__process(c.pid);
	if (!ok(syms != NULL, "%s: the process's symbols", what)) {
		tap_diag("bpfdev_syms__process: %s", strerror(errno));
		child_stop(&c);
		return;
	}
	ok(bpfdev_syms__resolve(syms, c.leaf + 5, buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "trace_target_leaf+0x5"),
	   "%s: leaf + 5 resolves to trace_target_leaf+0x5 (got '%s')", what, buf);
	name = bpfdev_syms__find(syms, c.mid, &soff, &file);
	ok(name && !strcmp(name, "trace_target_mid") && !soff && file && realpath(path, real) &&
	   !strcmp(file, real),
	   "%s: mid is trace_target_mid+0 in %s", what, file ? file : "(none)");
	ok(!bpfdev_syms__find(syms, 16, NULL, NULL) && errno == ENOENT,
	   "%s: an unmapped address: ENOENT", what);
	bpfdev_syms__free(syms);

	if (!pie) {
		syms = bpfdev_syms__elf(path);
		ok(syms && bpfdev_syms__resolve(syms, c.leaf + 2, buf, sizeof(buf)) > 0 &&
		   !strcmp(buf, "trace_target_leaf+0x2"),
		   "%s: the file's own symbols: leaf + 2 is trace_target_leaf+0x2", what);
		bpfdev_syms__free(syms);
	}
	ok_eq(bpfdev_elf_symbol_offset(path, "dup_fn"), -EINVAL,
	      "%s: two static dup_fn at two places: -EINVAL", what);
	ok_eq(bpfdev_elf_symbol_offset(path, "no_such_function"), -ENOENT,
	      "%s: a missing function: -ENOENT", what);
	ok_eq(bpfdev_elf_symbol_offset(path, "trace_target"), -ENOENT,
	      "%s: a prefix of a name is not the name: -ENOENT", what);
	child_stop(&c);
}

/* This process: its libc at whatever base the loader chose. */
static void test_own_libc(void)
{
	struct bpfdev_syms *syms = bpfdev_syms__process(getpid());
	const char *name = NULL, *file = NULL;
	__u64 off = 1;

	if (syms)
		name = bpfdev_syms__find(syms, (uintptr_t)abs, &off, &file);
	ok(name && !strcmp(name, "abs") && !off && file && strstr(file, "libc"),
	   "this process: &abs is abs+0 in libc (%s in %s)", name ?: "?", file ?: "?");
	bpfdev_syms__free(syms);
}

static void test_elf_errors(void)
{
	char path[] = "/tmp/test_trace_syms.XXXXXX";
	int fd = mkstemp(path);

	ok(fd >= 0 && write(fd, "not an ELF file\n", 16) == 16, "a text file");
	ok_eq(bpfdev_elf_symbol_offset(path, "main"), -ENOEXEC, "a text file: -ENOEXEC");
	ok(!bpfdev_syms__elf(path) && errno == ENOEXEC, "syms of a text file: NULL, ENOEXEC");
	close(fd);
	unlink(path);
	ok_eq(bpfdev_elf_symbol_offset("/nonexistent/x", "main"), -ENOENT, "no file: -ENOENT");
	ok_eq(bpfdev_elf_symbol_offset("/proc/self/exe", ""), -EINVAL, "no name: -EINVAL");
	ok(!bpfdev_syms__process(-1) && errno == EINVAL, "syms of pid -1: EINVAL");
}

static const char kallsyms[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000100 t do_one_alias\n"
	"ffffffff81000100 T do_one\n"
	"ffffffff81000200 t helper\n"
	"0000000000000000 A fixed_percpu_data\n"
	"0000000000001000 A abs_size\n"
	"ffffffffc0000000 t mod_fn\t[mymod]\n"
	"ffffffffc0000080 T mod_fn2\t[mymod]\n"
	"ffffffffc0001000 t other_fn\t[other]\n";

static const char *write_tmp(char *path, const char *text)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

static void test_kallsyms_file(void)
{
	char path[] = "/tmp/test_trace_kallsyms.XXXXXX";
	char zero[] = "/tmp/test_trace_kallsyms0.XXXXXX";
	struct bpfdev_syms *syms;
	const char *file = NULL;
	char buf[64];
	__u64 off;

	syms = write_tmp(path, kallsyms) ? bpfdev_syms__kernel(path) : NULL;
	if (!ok(syms != NULL, "a kallsyms file loads")) {
		unlink(path);
		return;
	}
	ok(bpfdev_syms__resolve(syms, 0xffffffff81000105ULL, buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "do_one+0x5"), "an alias: the global name wins (%s)", buf);
	ok(bpfdev_syms__find(syms, 0xffffffff81000100ULL, &off, &file) && !off && file && !*file,
	   "a kernel symbol's module is \"\"");
	ok(bpfdev_syms__resolve(syms, 0xffffffff810002ffULL, buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "helper+0xff"), "no sizes: the nearest symbol below (%s)", buf);
	file = NULL;
	off = 0;
	bpfdev_syms__find(syms, 0xffffffffc0000090ULL, &off, &file);
	ok(off == 0x10 && file && !strcmp(file, "mymod"), "a module's symbol names its module (%s)",
	   file ?: "?");
	ok(bpfdev_syms__resolve(syms, 0xffffffffc0001000ULL, buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "other_fn+0x0") && bpfdev_syms__find(syms, 0xffffffffc0001000ULL, NULL,
							    &file) && !strcmp(file, "other"),
	   "the next module's run");
	ok_eq(bpfdev_syms__resolve(syms, 0x1000, buf, sizeof(buf)), -ENOENT,
	      "absolute symbols are no code: -ENOENT");
	ok_eq(bpfdev_syms__resolve(syms, 0xffffffff80000000ULL, buf, sizeof(buf)), -ENOENT,
	      "below the first symbol: -ENOENT");
	ok(bpfdev_syms__resolve(syms, 0xffffffff81000105ULL, buf, 4) == 10 && !strcmp(buf, "do_"),
	   "a short buffer: cut and terminated, the whole length returned");
	bpfdev_syms__free(syms);
	unlink(path);

	ok(write_tmp(zero, "0000000000000000 T _text\n0000000000000000 T do_one\n") &&
	   !bpfdev_syms__kernel(zero) && errno == EPERM,
	   "kallsyms without addresses (kptr_restrict): EPERM");
	unlink(zero);
	ok(!bpfdev_syms__kernel("/nonexistent/kallsyms") && errno == ENOENT,
	   "no kallsyms file: ENOENT");
}

/* The running kernel's, when /proc/kallsyms shows addresses here. */
static void test_kallsyms_live(void)
{
	struct bpfdev_syms *syms = bpfdev_syms__kernel(NULL);
	unsigned long long addr = 0, a;
	char line[256], name[128], type, buf[128];
	FILE *f;

	if (!syms) {
		tap_skip(strerror(errno), "/proc/kallsyms: vfs_read+0x4");
		return;
	}
	f = fopen("/proc/kallsyms", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &a, &type, name) == 3 &&
		    !strcmp(name, "vfs_read")) {
			addr = a;
			break;
		}
	if (f)
		fclose(f);
	ok(addr && bpfdev_syms__resolve(syms, addr + 4, buf, sizeof(buf)) > 0 &&
	   !strcmp(buf, "vfs_read+0x4"), "/proc/kallsyms: vfs_read+0x4 (%s)", addr ? buf : "none");
	bpfdev_syms__free(syms);
}

int main(void)
{
	tap_plan(0);
	test_self();
	test_fixture("PIE", FIXTURE("target-pie"), true);
	test_fixture("fixed address", FIXTURE("target-nopie"), false);
	test_own_libc();
	test_elf_errors();
	test_kallsyms_file();
	test_kallsyms_live();
	return tap_done();
}
