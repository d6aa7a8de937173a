// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf_user OBJ: a program written against Debian's libbpf and nothing
 * of bpfdev's.  Under bpfdev-run (libbpfdev-shim.so) it opens multi.bpf.o,
 * sets .rodata, loads it, runs the program with bpf_prog_test_run_opts
 * and reads and writes its maps and global data, and checks a CO-RE
 * relocation against the kernel's own BTF, printing TAP.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int n, failed;

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		failed = 1;
}

/* The internal map whose name ends with suffix (".rodata", ".bss", ...). */
static struct bpf_map *internal_map(struct bpf_object *obj, const char *suffix)
{
	struct bpf_map *map;
	size_t sl = strlen(suffix);

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t nl = strlen(name);

		if (nl >= sl && !strcmp(name + nl - sl, suffix))
			return map;
	}
	return NULL;
}

static int run(int prog_fd, __u32 *retval)
{
	char pkt[64];
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = pkt,
		    .data_size_in = sizeof(pkt), .repeat = 1);
	int err;

	memset(pkt, 0, sizeof(pkt));
	pkt[12] = 0x08;	/* ethertype IPv4 */
	err = bpf_prog_test_run_opts(prog_fd, &topts);
	*retval = topts.retval;
	return err;
}

int main(int argc, char **argv)
{
	struct bpf_map *counts, *seen, *config, *rodata, *data, *bss;
	struct bpf_program *prog;
	struct bpf_object *obj;
	__u32 key, val32, retval = 0;
	__u64 val;
	size_t size;
	__u32 *magic;
	int err, nmaps = 0;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: libbpf_user OBJ [PIN]\n");
		return 2;
	}
	printf("1..%d\n", argc == 3 ? 18 : 17);
	obj = bpf_object__open_file(argv[1], NULL);
	ok(obj != NULL, "bpf_object__open_file %s (%s)", argv[1],
	   obj ? "ok" : strerror(errno));
	if (!obj)
		return 1;
	counts = bpf_object__find_map_by_name(obj, "counts");
	seen = bpf_object__find_map_by_name(obj, "seen");
	config = bpf_object__find_map_by_name(obj, "config");
	rodata = internal_map(obj, ".rodata");
	data = internal_map(obj, ".data");
	bss = internal_map(obj, ".bss");
	{
		struct bpf_map *m;

		bpf_object__for_each_map(m, obj)
			nmaps++;
	}
	ok(counts && seen && config && rodata && data && bss && nmaps == 6,
	   "three .maps maps and .rodata, .data, .bss (%d maps)", nmaps);
	if (!(counts && seen && config && rodata && data && bss))
		return 1;
	/* As a skeleton does: .rodata written before the load. */
	magic = (__u32 *)bpf_map__initial_value(rodata, &size);
	ok(magic && size >= 4 && *magic == 0x1234, ".rodata's initial magic is 0x1234");
	if (magic)
		*magic = 77;

	err = bpf_object__load(obj);
	ok(!err, "bpf_object__load (%d)", err);
	if (err)
		return 1;
	prog = bpf_object__find_program_by_name(obj, "count");
	ok(prog && bpf_program__fd(prog) >= 0, "program 'count' has an fd");
	if (!prog)
		return 1;

	err = run(bpf_program__fd(prog), &retval);
	ok(!err && retval == 77, "test run returns the .rodata set before load (err %d retval %u)",
	   err, retval);
	key = 0;
	ok(!bpf_map_lookup_elem(bpf_map__fd(counts), &key, &val) && val == 1,
	   "counts[0] is 1 after one run (subprogram bump)");
	key = 1;
	ok(!bpf_map_lookup_elem(bpf_map__fd(counts), &key, &val) && val == 64,
	   "counts[1] is the packet length 64");
	key = 64;
	ok(!bpf_map_lookup_elem(bpf_map__fd(seen), &key, &val) && val == 1,
	   "seen[64] set by the subprogram remember");
	key = 0;
	ok(!bpf_map_lookup_elem(bpf_map__fd(bss), &key, &val) && val == 64,
	   ".bss total_len is 64");
	ok(!bpf_map_lookup_elem(bpf_map__fd(data), &key, &val32) && val32 == 101,
	   ".data calls went from 100 to 101");

	val32 = 5;
	ok(!bpf_map_update_elem(bpf_map__fd(config), &key, &val32, BPF_ANY),
	   "config[0] = 5 from userspace");
	err = run(bpf_program__fd(prog), &retval);
	ok(!err && retval == 5, "the program sees config[0] (retval %u)", retval);
	key = 64;
	ok(!bpf_map_delete_elem(bpf_map__fd(seen), &key) &&
	   bpf_map_lookup_elem(bpf_map__fd(seen), &key, &val) && errno == ENOENT,
	   "seen[64] deleted from userspace");
	key = 0;
	val32 = 1;
	ok(bpf_map_update_elem(bpf_map__fd(rodata), &key, magic, BPF_ANY) && errno == EPERM,
	   ".rodata is frozen: update is EPERM");
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		err = bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		ok(!err && info.type == BPF_PROG_TYPE_SOCKET_FILTER && info.nr_map_ids >= 4,
		   "prog info: socket_filter with %u maps", info.nr_map_ids);
	}
	{
		struct bpf_program *core = bpf_object__find_program_by_name(obj, "core_pid_off");
		struct btf *vmlinux = btf__load_vmlinux_btf();
		__s32 id = vmlinux ? btf__find_by_name_kind(vmlinux, "task_struct", BTF_KIND_STRUCT) : -1;
		const struct btf_type *t = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
		const struct btf_member *m = t ? btf_members(t) : NULL;
		__u32 want = 0, i;

		for (i = 0; t && i < btf_vlen(t); i++)
			if (!strcmp(btf__name_by_offset(vmlinux, m[i].name_off), "pid"))
				want = btf_member_bit_offset(t, i) / 8;
		err = core ? run(bpf_program__fd(core), &retval) : -1;
		ok(!err && want && retval == want,
		   "CO-RE: task_struct.pid at byte %u of this kernel's (vmlinux BTF: %u)",
		   retval, want);
		btf__free(vmlinux);
	}
	/* Left pinned for the caller to find (through bpfdev's registry). */
	if (argc == 3)
		ok(!bpf_program__pin(prog, argv[2]), "pinned at %s", argv[2]);
	bpf_object__close(obj);
	return failed;
}
