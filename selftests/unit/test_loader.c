// SPDX-License-Identifier: GPL-2.0
/*
 * The object API's opening half (bpfdev_object__open, libbpf underneath),
 * without /dev/bpf: the clang-built examples and fixtures give the
 * programs, maps and global data checked here, through the public API.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libbpfdev.h"
#include "tap.h"

#define EX(name)	BPFDEV_TOP "/build/examples/" name ".bpf.o"
#define FIX(name)	BPFDEV_TOP "/build/unit/loader/" name ".bpf.o"
#define LB(name)	BPFDEV_TOP "/build/libbpf/" name ".bpf.o"

static char msgs[8192];

static int capture_print(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(msgs);

	if (level == BPFDEV_DEBUG)
		return 0;
	return vsnprintf(msgs + n, sizeof(msgs) - n, fmt, ap);
}

static struct bpfdev_object *open_obj(const char *path)
{
	struct bpfdev_object *obj;

	msgs[0] = '\0';
	obj = bpfdev_object__open(path, NULL);
	if (!obj)
		tap_diag("open %s: %s: %s", path, strerror(errno), msgs);
	return obj;
}

static int count_ld_imm64(const struct bpfdev_program *p)
{
	const struct bpf_insn *in = bpfdev_program__insns(p);
	size_t i, n = bpfdev_program__insn_cnt(p);
	int c = 0;

	for (i = 0; i < n; i++)
		if (in[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			c++;
			i++;
		}
	return c;
}

/* libbpf appends subprograms at load: before it, a program is its own code. */
static void test_syn_filter(void)
{
	struct bpfdev_object *obj = open_obj(EX("syn_filter"));
	struct bpfdev_program *p;
	struct bpfdev_map *m;
	size_t size = 0;

	if (!ok(obj != NULL, "syn_filter: opens")) {
		tap_skip("no object", "syn_filter: checks");
		return;
	}
	ok(!strcmp(bpfdev_object__name(obj), "syn_filter"), "syn_filter: object name from the file");
	ok(!strcmp(bpfdev_object__license(obj), "GPL"), "syn_filter: license");
	p = bpfdev_object__find_program_by_name(obj, "syn_filter");
	ok(p != NULL, "syn_filter: program by name");
	ok(bpfdev_object__find_program_by_name(obj, "is_syn") == NULL && errno == ENOENT,
	   "syn_filter: a .text subprogram is not a program");
	if (!p)
		goto out;
	ok(bpfdev_program__type(p) == BPF_PROG_TYPE_SOCKET_FILTER, "syn_filter: SEC(\"socket\") is a socket filter");
	ok(!strcmp(bpfdev_program__section_name(p), "socket"), "syn_filter: section name");
	ok(bpfdev_program__insns(p) && bpfdev_program__insn_cnt(p) > 0,
	   "syn_filter: its instructions before load (%zu)", bpfdev_program__insn_cnt(p));
	m = bpfdev_object__find_map_by_name(obj, ".bss");
	ok(m && bpfdev_map__is_internal(m) && bpfdev_map__type(m) == BPF_MAP_TYPE_ARRAY &&
	   bpfdev_map__max_entries(m) == 1 && bpfdev_map__value_size(m) == 8,
	   "syn_filter: .bss is a one-entry array of 8 bytes");
	ok(m && !strcmp(bpfdev_map__name(m), "syn_filt.bss"), "syn_filter: .bss map named as libbpf does (%s)",
	   m ? bpfdev_map__name(m) : "-");
	ok(m && bpfdev_map__initial_value(m, &size) && size == 8 &&
	   !memcmp(bpfdev_map__initial_value(m, NULL), "\0\0\0\0\0\0\0\0", 8),
	   "syn_filter: .bss starts zeroed");
	ok(count_ld_imm64(p) == 1, "syn_filter: one ld_imm64 (the .bss reference)");
	ok(bpfdev_program__fd(p) < 0, "syn_filter: no fd before load");
out:
	bpfdev_object__close(obj);
}

static void test_ip_count(void)
{
	struct bpfdev_object *obj = open_obj(EX("ip_count"));
	struct bpfdev_program *p;
	struct bpfdev_map *m, *ro;
	int nmaps = 0;

	if (!ok(obj != NULL, "ip_count: opens")) {
		tap_skip("no object", "ip_count: checks");
		return;
	}
	bpfdev_object__for_each_map(m, obj)
		nmaps++;
	ok(nmaps == 2, "ip_count: two maps (counters, .rodata), got %d", nmaps);
	m = bpfdev_object__find_map_by_name(obj, "counters");
	ok(m && bpfdev_map__type(m) == BPF_MAP_TYPE_HASH && bpfdev_map__key_size(m) == 4 &&
	   bpfdev_map__value_size(m) == 16 && bpfdev_map__max_entries(m) == 1024 &&
	   !bpfdev_map__is_internal(m),
	   "ip_count: BTF-defined hash: key 4, value 16 (struct counter), 1024 entries");
	ro = bpfdev_object__find_map_by_name(obj, ".rodata");
	ok(ro && (bpfdev_map__map_flags(ro) & BPF_F_RDONLY_PROG) && bpfdev_map__value_size(ro) == 4,
	   "ip_count: .rodata is a 4-byte map read-only to programs");
	ok(ro && bpfdev_object__find_map_by_name(obj, "ip_count.rodata") == ro,
	   "ip_count: .rodata found by its map name too");
	p = bpfdev_object__find_program_by_name(obj, "ip_count");
	if (ok(p != NULL, "ip_count: program"))
		ok(count_ld_imm64(p) == 3, "ip_count: three map references");
	bpfdev_object__close(obj);
}

static void test_events(void)
{
	struct bpfdev_object *obj = open_obj(EX("events"));
	struct bpfdev_map *m;

	if (!ok(obj != NULL, "events: opens")) {
		tap_skip("no object", "events: checks");
		return;
	}
	m = bpfdev_object__find_map_by_name(obj, "events");
	ok(m && bpfdev_map__type(m) == BPF_MAP_TYPE_RINGBUF &&
	   bpfdev_map__max_entries(m) == 64 * 1024 && bpfdev_map__key_size(m) == 0 &&
	   bpfdev_map__value_size(m) == 0, "events: a 64 KiB ring buffer, no key or value");
	ok(bpfdev_object__find_program_by_name(obj, "events_filter") != NULL, "events: program");
	bpfdev_object__close(obj);
}

/*
 * The case: several BTF-defined maps in .maps, which Debian 12's
 * clang 14 leaves at DATASEC offset 0 (the hand-written parser refused
 * them: "no map definition for 'seen' at offset 32"), with global data.
 */
static void test_multi_maps(void)
{
	struct bpfdev_object *obj = open_obj(LB("multi"));
	struct bpfdev_map *c, *s, *k;

	if (!ok(obj != NULL, "multi: three .maps maps open")) {
		tap_skip("no object", "multi: checks");
		return;
	}
	c = bpfdev_object__find_map_by_name(obj, "counts");
	s = bpfdev_object__find_map_by_name(obj, "seen");
	k = bpfdev_object__find_map_by_name(obj, "config");
	ok(c && bpfdev_map__type(c) == BPF_MAP_TYPE_ARRAY && bpfdev_map__max_entries(c) == 4 &&
	   bpfdev_map__value_size(c) == 8, "multi: counts, an array of 4 u64");
	ok(s && bpfdev_map__type(s) == BPF_MAP_TYPE_HASH && bpfdev_map__max_entries(s) == 16,
	   "multi: seen, a hash of 16");
	ok(k && bpfdev_map__type(k) == BPF_MAP_TYPE_ARRAY && bpfdev_map__value_size(k) == 4,
	   "multi: config, an array of u32");
	ok(bpfdev_object__find_map_by_name(obj, ".rodata") &&
	   bpfdev_object__find_map_by_name(obj, ".data") &&
	   bpfdev_object__find_map_by_name(obj, ".bss"), "multi: .rodata, .data and .bss");
	bpfdev_object__close(obj);
}

/* libbpf 1.x has no legacy struct bpf_map_def maps: refused by name. */
static void test_legacy(void)
{
	struct bpfdev_object *obj = open_obj(FIX("legacy"));

	ok(!obj && errno == ENOTSUP && strstr(msgs, "legacy map definitions"),
	   "legacy: SEC(\"maps\") is refused, saying why (%s)", strerror(errno));
	bpfdev_object__close(obj);
}

/* Sections libbpf 1.1 matches exactly get bpfdev's prefix types. */
static void test_sections(void)
{
	struct bpfdev_object *obj = open_obj(FIX("sections"));
	struct bpfdev_program *a, *b;

	if (!ok(obj != NULL, "sections: opens")) {
		tap_skip("no object", "sections: checks");
		return;
	}
	a = bpfdev_object__find_program_by_name(obj, "first");
	b = bpfdev_object__find_program_by_name(obj, "second");
	ok(a && b && !strcmp(bpfdev_program__section_name(a), "socket/first") &&
	   !strcmp(bpfdev_program__section_name(b), "socket/first"),
	   "sections: two programs in one section");
	ok(a && b && bpfdev_program__type(a) == BPF_PROG_TYPE_SOCKET_FILTER &&
	   bpfdev_program__type(b) == BPF_PROG_TYPE_SOCKET_FILTER,
	   "sections: \"socket/NAME\" is a socket filter");
	ok(bpfdev_object__kversion(obj) == 0x060100, "sections: version section");
	ok(!strcmp(bpfdev_object__license(obj), "Dual BSD/GPL"), "sections: license");
	bpfdev_object__close(obj);
}

static void test_calls(void)
{
	struct bpfdev_object *obj = open_obj(FIX("calls"));
	struct bpfdev_program *a, *b;

	if (!ok(obj != NULL, "calls: opens")) {
		tap_skip("no object", "calls: checks");
		return;
	}
	a = bpfdev_object__find_program_by_name(obj, "caller_a");
	b = bpfdev_object__find_program_by_name(obj, "caller_b");
	ok(a && b, "calls: two programs");
	ok(!bpfdev_object__find_program_by_name(obj, "middle") &&
	   !bpfdev_object__find_program_by_name(obj, "leaf"),
	   "calls: .text functions, global or static, are not programs");
	ok(b && bpfdev_program__type(b) == BPF_PROG_TYPE_XDP, "calls: SEC(\"xdp\") type");
	bpfdev_object__close(obj);
}

/* CO-RE is libbpf's: the object opens; relocation happens at load. */
static void test_core(void)
{
	struct bpfdev_object *obj = open_obj(FIX("core"));

	ok(obj != NULL, "core: an object with CO-RE relocations opens");
	bpfdev_object__close(obj);
}

static void test_api_edges(void)
{
	BPFDEV_OPTS(bpfdev_object_open_opts, opts, .object_name = "renamed");
	struct {
		struct bpfdev_object_open_opts o;
		char extra[8];
	} big;
	struct bpfdev_object *obj;

	obj = bpfdev_object__open(EX("syn_filter"), &opts);
	ok(obj && !strcmp(bpfdev_object__name(obj), "renamed"), "opts: object_name");
	ok(obj && bpfdev_object__find_map_by_name(obj, "renamed.bss") != NULL,
	   "opts: internal map names follow the object name");
	bpfdev_object__close(obj);

	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	obj = bpfdev_object__open(EX("syn_filter"), &big.o);
	ok(obj != NULL, "opts: a newer caller's larger struct with zero tail is accepted");
	bpfdev_object__close(obj);
	big.extra[3] = 1;
	msgs[0] = '\0';
	obj = bpfdev_object__open(EX("syn_filter"), &big.o);
	ok(!obj && errno == EINVAL, "opts: non-zero unknown tail is refused (EINVAL)");
	big.o.sz = 4;
	obj = bpfdev_object__open(EX("syn_filter"), &big.o);
	ok(!obj && errno == EINVAL, "opts: sz too small is refused");

	msgs[0] = '\0';
	obj = bpfdev_object__open("/nonexistent/x.o", NULL);
	ok(!obj && errno == ENOENT, "open: a missing file gives ENOENT");
	ok(bpfdev_object__open(NULL, NULL) == NULL && errno == EINVAL, "open: NULL path gives EINVAL");
	ok(bpfdev_object__open_mem("x", 0, NULL) == NULL && errno == EINVAL, "open_mem: empty buffer");
	bpfdev_object__close(NULL);
	ok(1, "close(NULL) is a no-op");
}

static void test_no_device(void)
{
	struct bpfdev_object *obj;
	int err;

	setenv("BPFDEV_DEVICE", "/nonexistent/bpf", 1);
	ok(bpfdev_map_create(BPF_MAP_TYPE_ARRAY, "x", 4, 4, 1, NULL) == -ENOENT &&
	   errno == ENOENT, "wrappers: no device gives -ENOENT with errno set");
	obj = open_obj(EX("ip_count"));
	msgs[0] = '\0';
	err = obj ? bpfdev_object__load(obj) : 0;
	if (!ok(obj && err == -ENOENT && strstr(msgs, "cannot open the device (/nonexistent/bpf)"),
		"load without a device fails cleanly, naming the device"))
		tap_diag("err %d: %s", err, msgs);
	ok(obj && bpfdev_map__fd(bpfdev_object__find_map_by_name(obj, "counters")) < 0,
	   "load failure leaves no fds behind");
	bpfdev_object__close(obj);
}

/*
 * The capture API up to the device: /dev/null stands in for /dev/bpf, so
 * libpcap's compilation runs and the ioctl that follows fails (ENOTTY).
 */
static void test_capture_expr(void)
{
	struct bpfdev_capture *cap;
	int err;

	setenv("BPFDEV_DEVICE", "/dev/null", 1);
	cap = bpfdev_capture__open(NULL);
	if (!ok(cap != NULL, "capture: a socket on a stand-in device")) {
		tap_skip("no socket", "capture: filters");
		return;
	}
	msgs[0] = '\0';
	err = bpfdev_capture__set_filter_expr(cap, "tcp port 80 and host 10.0.0.1");
	ok(err == -ENOTTY && errno == ENOTTY && !msgs[0],
	   "capture: an expression compiles and reaches the ioctl (%d)", err);
	msgs[0] = '\0';
	err = bpfdev_capture__set_filter_expr(cap, "tcp port");
	ok(err == -EINVAL && errno == EINVAL && strstr(msgs, "filter 'tcp port': ") &&
	   strstr(msgs, "syntax error"), "capture: a bad expression: -EINVAL and libpcap's message");
	ok(bpfdev_capture__bind(cap, "a-name-longer-than-ifnamsiz") == -ENAMETOOLONG,
	   "capture: an over-long device name: -ENAMETOOLONG");
	ok(bpfdev_capture__consume(cap, NULL, NULL) < 0, "capture: consume without a ring fails cleanly");
	bpfdev_capture__close(cap);
	bpfdev_capture__close(NULL);
	unsetenv("BPFDEV_DEVICE");
}

int main(void)
{
	tap_plan(0);
	bpfdev_set_print(capture_print);
	test_syn_filter();
	test_ip_count();
	test_events();
	test_multi_maps();
	test_legacy();
	test_sections();
	test_calls();
	test_core();
	test_api_edges();
	test_no_device();
	test_capture_expr();
	return tap_done();
}
