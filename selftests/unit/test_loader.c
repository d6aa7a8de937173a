// SPDX-License-Identifier: GPL-2.0
/*
 * The object loader's parsing half (bpfdev_object__open), without
 * /dev/bpf: the clang-built examples and fixtures give the programs,
 * maps, global data, relocations and linked subprograms checked here.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libbpfdev.h"
#include "object.h"
#include "tap.h"

#define EX(name)	BPFDEV_TOP "/build/examples/" name ".bpf.o"
#define FIX(name)	BPFDEV_TOP "/build/unit/loader/" name ".bpf.o"

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

/* Every pseudo call lands inside the linked program. */
static bool calls_in_range(const struct bpfdev_program *p)
{
	const struct bpf_insn *in = bpfdev_program__insns(p);
	long n = bpfdev_program__insn_cnt(p), i, t;

	for (i = 0; i < n; i++) {
		if (in[i].code != (BPF_JMP | BPF_CALL) || in[i].src_reg != BPF_PSEUDO_CALL)
			continue;
		t = i + in[i].imm + 1;
		if (t < 0 || t >= n)
			return false;
	}
	return true;
}

static const struct prog_relo *relo_at(const struct bpfdev_program *p, __u32 insn)
{
	size_t i;

	for (i = 0; i < p->nr_relos; i++)
		if (p->relos[i].insn_idx == insn)
			return &p->relos[i];
	return NULL;
}

static void test_syn_filter(void)
{
	struct bpfdev_object *obj = open_obj(EX("syn_filter"));
	struct bpfdev_program *p;
	struct bpfdev_map *m;
	const struct bpf_insn *in;
	size_t size = 0, i;

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
	ok(bpfdev_program__insn_cnt(p) > p->sec_insn_cnt,
	   "syn_filter: is_syn appended (%zu > %u insns)", bpfdev_program__insn_cnt(p),
	   p->sec_insn_cnt);
	ok(calls_in_range(p), "syn_filter: calls land in the linked program");
	in = bpfdev_program__insns(p);
	for (i = 0; i < bpfdev_program__insn_cnt(p); i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL)
			break;
	ok(i < bpfdev_program__insn_cnt(p) && i + in[i].imm + 1 == p->sec_insn_cnt,
	   "syn_filter: the call goes to the first appended insn");
	m = bpfdev_object__find_map_by_name(obj, ".bss");
	ok(m && bpfdev_map__is_internal(m) && bpfdev_map__type(m) == BPF_MAP_TYPE_ARRAY &&
	   bpfdev_map__max_entries(m) == 1 && bpfdev_map__value_size(m) == 8,
	   "syn_filter: .bss is a one-entry array of 8 bytes");
	ok(m && !strcmp(bpfdev_map__name(m), "syn_filt.bss"), "syn_filter: .bss map named as libbpf does (%s)",
	   m ? bpfdev_map__name(m) : "-");
	ok(m && bpfdev_map__initial_value(m, &size) && size == 8 &&
	   !memcmp(bpfdev_map__initial_value(m, NULL), "\0\0\0\0\0\0\0\0", 8),
	   "syn_filter: .bss starts zeroed");
	ok(p->nr_relos == 1 && p->relos[0].src_reg == BPF_PSEUDO_MAP_VALUE &&
	   p->relos[0].off == 0 && in[p->relos[0].insn_idx].code == (BPF_LD | BPF_IMM | BPF_DW),
	   "syn_filter: one BPF_PSEUDO_MAP_VALUE relocation on a ld_imm64");
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
	size_t i;

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
	ok(ro && ro->rdonly && bpfdev_map__value_size(ro) == 4, "ip_count: .rodata is a read-only 4-byte map");
	ok(ro && bpfdev_object__find_map_by_name(obj, "ip_count.rodata") == ro,
	   "ip_count: .rodata found by its map name too");
	p = bpfdev_object__find_program_by_name(obj, "ip_count");
	if (!ok(p != NULL, "ip_count: program"))
		goto out;
	ok(count_ld_imm64(p) == 3 && p->nr_relos == 3, "ip_count: three map references (%zu)",
	   p->nr_relos);
	for (i = 0; i < p->nr_relos; i++) {
		struct bpfdev_map *target = &obj->maps[p->relos[i].map_idx];

		ok((target == m && p->relos[i].src_reg == BPF_PSEUDO_MAP_FD) ||
		   (target == ro && p->relos[i].src_reg == BPF_PSEUDO_MAP_VALUE),
		   "ip_count: relocation %zu at insn %u refers to %s", i, p->relos[i].insn_idx,
		   target->real_name);
	}
	ok(calls_in_range(p), "ip_count: no stray calls");
out:
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

static void test_legacy(void)
{
	struct bpfdev_object *obj = open_obj(FIX("legacy"));
	struct bpfdev_program *first, *second;
	struct bpfdev_map *a, *h, *d, *r;
	const void *init;
	size_t size = 0;

	if (!ok(obj != NULL, "legacy: opens")) {
		tap_skip("no object", "legacy: checks");
		return;
	}
	ok(!strcmp(bpfdev_object__license(obj), "Dual BSD/GPL"), "legacy: license");
	ok(bpfdev_object__kversion(obj) == 0x060100, "legacy: version section");
	a = bpfdev_object__find_map_by_name(obj, "legacy_array");
	h = bpfdev_object__find_map_by_name(obj, "legacy_hash");
	ok(a && a->type == BPF_MAP_TYPE_ARRAY && a->key_size == 4 && a->value_size == 8 &&
	   a->max_entries == 4, "legacy: struct bpf_map_def array");
	ok(h && h->type == BPF_MAP_TYPE_HASH && h->key_size == 8 && h->value_size == 16 &&
	   h->max_entries == 32 && h->map_flags == 1, "legacy: struct bpf_map_def hash with flags");
	d = bpfdev_object__find_map_by_name(obj, ".data");
	init = d ? bpfdev_map__initial_value(d, &size) : NULL;
	ok(d && init && size == 8 && *(const __u64 *)init == 7 && !d->rdonly,
	   "legacy: .data keeps its initial value 7");
	r = bpfdev_object__find_map_by_name(obj, ".rodata");
	init = r ? bpfdev_map__initial_value(r, &size) : NULL;
	ok(r && init && size >= 14 && !memcmp(init, "hello, bpfdev", 14) && r->rdonly,
	   "legacy: .rodata holds the string, read-only");
	first = bpfdev_object__find_program_by_name(obj, "first");
	second = bpfdev_object__find_program_by_name(obj, "second");
	ok(first && second && !strcmp(bpfdev_program__section_name(first), "socket/first") &&
	   !strcmp(bpfdev_program__section_name(second), "socket/first"),
	   "legacy: two programs in one section");
	ok(first && second && first->sec_insn_off == 0 && second->sec_insn_off == first->sec_insn_cnt,
	   "legacy: programs split at their symbols");
	ok(first && first->nr_relos == 3 && relo_at(first, 5) &&
	   relo_at(first, 5)->src_reg == BPF_PSEUDO_MAP_FD &&
	   &obj->maps[relo_at(first, 5)->map_idx] == a,
	   "legacy: first's map reference at insn 5 is legacy_array");
	ok(second && second->nr_relos == 1 && &obj->maps[second->relos[0].map_idx] == h &&
	   second->relos[0].insn_idx == 4,
	   "legacy: second's relocation is renumbered from its own start (insn 4)");
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
	ok(a && b, "calls: two programs, .text functions are not programs");
	if (!a || !b)
		goto out;
	ok(bpfdev_program__type(b) == BPF_PROG_TYPE_XDP, "calls: SEC(\"xdp\") type");
	/* caller_a: 3 insns + middle (8) + leaf (4); caller_b: 7 + other (3) + leaf (4). */
	ok(bpfdev_program__insn_cnt(a) == 15, "calls: caller_a gets middle and leaf (%zu insns)",
	   bpfdev_program__insn_cnt(a));
	ok(bpfdev_program__insn_cnt(b) == 14, "calls: caller_b gets other and leaf (%zu insns)",
	   bpfdev_program__insn_cnt(b));
	ok(calls_in_range(a) && calls_in_range(b), "calls: every call lands in its program");
	ok(bpfdev_program__insns(a)[11].code == (BPF_ALU64 | BPF_MOV | BPF_X) &&
	   bpfdev_program__insns(a)[12].code == (BPF_ALU64 | BPF_MUL | BPF_K) &&
	   bpfdev_program__insns(a)[12].imm == 3,
	   "calls: leaf is copied once, after middle");
	ok(4 + bpfdev_program__insns(a)[4].imm + 1 == 11 &&
	   8 + bpfdev_program__insns(a)[8].imm + 1 == 11,
	   "calls: both calls in middle reach the single copy of leaf");
out:
	bpfdev_object__close(obj);
}

static void test_core(void)
{
	struct bpfdev_object *obj = open_obj(FIX("core"));

	ok(!obj && errno == ENOTSUP, "core: CO-RE relocations refused (ENOTSUP)");
	ok(strstr(msgs, "CO-RE") && strstr(msgs, "'socket'"),
	   "core: the message names CO-RE and the section");
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
	ok(obj && err == -ENOENT && strstr(msgs, "counters"),
	   "load without a device fails cleanly, naming the first map");
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
	test_legacy();
	test_calls();
	test_core();
	test_api_edges();
	test_no_device();
	test_capture_expr();
	return tap_done();
}
