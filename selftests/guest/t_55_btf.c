// SPDX-License-Identifier: GPL-2.0
/*
 * BTF objects and a program's func_info/line_info, against the guest
 * kernel's own bpf(): each blob and each PROG_LOAD below goes to both,
 * and both must answer alike (an fd, or the same errno).  Then what only
 * bpfdev's side shows: BTF_GET_NEXT_ID and BTF_GET_FD_BY_ID find the blob,
 * OBJ_GET_INFO_BY_FD gives its bytes back, and prog and map info give
 * back the btf_id, func_info, line_info and type ids that were loaded.
 * MAP_CREATE with BTF type ids is compared with the kernel too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/btf.h>
#include <linux/capability.h>

#include "objs.h"
#include "sys.h"

#define KSYSCTL	"/proc/sys/kernel/unprivileged_bpf_disabled"
#define PARAM	"/sys/module/bpfdev/parameters/unprivileged_bpf_disabled"

/* As the kernel's selftests spell them (not in the uapi header). */
#define BTF_INFO_ENC(kind, kflag, vlen) \
	((!!(kflag) << 31) | ((kind) << 24) | ((vlen) & BTF_MAX_VLEN))
#define BTF_INT_ENC(encoding, bits_offset, nr_bits) \
	((encoding) << 24 | (bits_offset) << 16 | (nr_bits))

/* The guest's kernel is major.minor or newer. */
static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

/* The kernel's bpf(), as sys() is the device's: a result or -errno. */
static long kern(unsigned int cmd, union bpf_attr *a)
{
	long r = syscall(SYS_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

static const char strs[] = "\0int\0f\0g\0t.c\0return 0;";
#define S_INT	1
#define S_F	5
#define S_G	7
#define S_FILE	9
#define S_LINE	13

/* int; int (void); static f and g of that prototype. */
struct blob {
	struct btf_header hdr;
	__u32 types[4 + 3 + 3 + 3];
	char strs[sizeof(strs)];
} __attribute__((packed));

static void blob_init(struct blob *b)
{
	__u32 t[] = {
		S_INT, BTF_INFO_ENC(BTF_KIND_INT, 0, 0), 4, BTF_INT_ENC(BTF_INT_SIGNED, 0, 32),
		0, BTF_INFO_ENC(BTF_KIND_FUNC_PROTO, 0, 0), 1,
		S_F, BTF_INFO_ENC(BTF_KIND_FUNC, 0, 0), 2,
		S_G, BTF_INFO_ENC(BTF_KIND_FUNC, 0, 0), 2,
	};

	memset(b, 0, sizeof(*b));
	b->hdr.magic = BTF_MAGIC;
	b->hdr.version = BTF_VERSION;
	b->hdr.hdr_len = sizeof(b->hdr);
	b->hdr.type_len = sizeof(b->types);
	b->hdr.str_off = sizeof(b->types);
	b->hdr.str_len = sizeof(strs);
	memcpy(b->types, t, sizeof(t));
	memcpy(b->strs, strs, sizeof(strs));
}

static long btf_load(long (*call)(unsigned int, union bpf_attr *), const struct blob *b,
		     __u32 size, __u32 log_level, __u32 log_size)
{
	static char log[65536];
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.btf = (uintptr_t)b;
	a.btf_size = size;
	a.btf_log_level = log_level;
	a.btf_log_size = log_size;
	a.btf_log_buf = log_level ? (uintptr_t)log : 0;
	return call(BPF_BTF_LOAD, &a);
}

static const char *res(long r)
{
	static char buf[2][32];
	static int i;

	i ^= 1;
	if (r >= 0)
		return "an fd";
	snprintf(buf[i], sizeof(buf[i]), "errno %ld", -r);
	return buf[i];
}

/* One blob to both sides: the same verdict. */
static void btf_case(const char *what, const struct blob *b, __u32 size,
		     __u32 log_level, __u32 log_size)
{
	long k = btf_load(kern, b, size, log_level, log_size);
	long d = btf_load(sys, b, size, log_level, log_size);

	ok((k >= 0) == (d >= 0) && (k >= 0 || k == d), "BTF_LOAD %s: kernel %s, bpfdev %s",
	   what, res(k), res(d));
	if (k >= 0)
		close(k);
	if (d >= 0)
		close(d);
}

/* Subprograms at 0 and 2: call +1; exit; r0 = 0; exit. */
static const struct bpf_insn two[] = {
	I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 1), EXIT(), MOV64_IMM(0, 0), EXIT(),
};
static const struct bpf_insn one[] = { MOV64_IMM(0, 0), EXIT() };

struct load {
	const struct bpf_insn *insns;
	__u32 cnt;
	const struct bpf_func_info *fi;
	__u32 nfi, fi_rec;
	const struct bpf_line_info *li;
	__u32 nli;
};

static long btf_prog_load(long (*call)(unsigned int, union bpf_attr *), int btf_fd,
			  const struct load *l)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)l->insns;
	a.insn_cnt = l->cnt;
	a.license = (uintptr_t)"GPL";
	a.prog_btf_fd = btf_fd;
	a.func_info = (uintptr_t)l->fi;
	a.func_info_cnt = l->nfi;
	a.func_info_rec_size = l->fi_rec;
	a.line_info = (uintptr_t)l->li;
	a.line_info_cnt = l->nli;
	a.line_info_rec_size = l->nli ? sizeof(struct bpf_line_info) : 0;
	return call(BPF_PROG_LOAD, &a);
}

/*
 * What a caller without any capability learns of program fd's BTF
 * records through call, as an exit status: 1 func_info counted, 2
 * line_info counted, 4 records written, 8 the btf_id told; 16 an error.
 */
static int unpriv_btf_info(long (*call)(unsigned int, union bpf_attr *), long fd)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	struct bpf_func_info fi[2];
	struct bpf_line_info li[2];
	struct bpf_prog_info info;
	union bpf_attr a;
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		memset(fi, 0xff, sizeof(fi));
		memset(li, 0xff, sizeof(li));
		memset(&info, 0, sizeof(info));
		info.nr_func_info = 2;
		info.func_info_rec_size = sizeof(fi[0]);
		info.func_info = (uintptr_t)fi;
		info.nr_line_info = 2;
		info.line_info_rec_size = sizeof(li[0]);
		info.line_info = (uintptr_t)li;
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = fd;
		a.info.info = (uintptr_t)&info;
		a.info.info_len = sizeof(info);
		if (syscall(SYS_capset, &h, d) || call(BPF_OBJ_GET_INFO_BY_FD, &a))
			_exit(16);
		_exit((info.nr_func_info ? 1 : 0) | (info.nr_line_info ? 2 : 0) |
		      (fi[0].insn_off != ~0U || li[0].insn_off != ~0U ? 4 : 0) |
		      (info.btf_id ? 8 : 0));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 16;
	return WEXITSTATUS(st);
}

static long map_create_btf(long (*call)(unsigned int, union bpf_attr *), int btf_fd,
			   __u32 type, __u32 vsize, __u32 key_id, __u32 value_id)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = 4;
	a.value_size = vsize;
	a.max_entries = 4;
	a.btf_fd = btf_fd;
	a.btf_key_type_id = key_id;
	a.btf_value_type_id = value_id;
	return call(BPF_MAP_CREATE, &a);
}

/* One MAP_CREATE with BTF type ids to both sides: the same verdict. */
static void map_case(const char *what, int kbtf, int dbtf, __u32 type, __u32 vsize,
		     __u32 key_id, __u32 value_id)
{
	long k = map_create_btf(kern, kbtf, type, vsize, key_id, value_id);
	long d = map_create_btf(sys, dbtf, type, vsize, key_id, value_id);

	ok((k >= 0) == (d >= 0) && (k >= 0 || k == d), "MAP_CREATE %s: kernel %s, bpfdev %s",
	   what, res(k), res(d));
	if (k >= 0)
		close(k);
	if (d >= 0)
		close(d);
}

static void prog_case(const char *what, int kbtf, int dbtf, const struct load *l)
{
	long k = btf_prog_load(kern, kbtf, l);
	long d = btf_prog_load(sys, dbtf, l);

	ok((k >= 0) == (d >= 0) && (k >= 0 || k == d), "PROG_LOAD %s: kernel %s, bpfdev %s",
	   what, res(k), res(d));
	if (k >= 0)
		close(k);
	if (d >= 0)
		close(d);
}

int main(void)
{
	const struct bpf_func_info fi2[] = { { 0, 3 }, { 2, 4 } };
	const struct bpf_func_info fi_bad[] = { { 0, 3 }, { 2, 1 } };
	const struct bpf_line_info li1[] = { { 0, S_FILE, S_LINE, (1 << 10) | 1 } };
	const struct bpf_line_info li_bad[] = { { 1, S_FILE, S_LINE, 0 } };
	struct bpf_func_info fi_out[2];
	struct bpf_line_info li_out[2];
	struct bpf_prog_info pinfo;
	struct bpf_btf_info binfo;
	struct blob b, bad, out;
	union bpf_attr a;
	long kbtf, dbtf, fd, fd2, r = 0;
	int i;

	tap_plan(36);
	objs_init();
	blob_init(&b);

	btf_case("a valid blob", &b, sizeof(b), 0, 0);
	btf_case("a valid blob with a log", &b, sizeof(b), 1, 65536);
	bad = b;
	bad.hdr.magic = 0x1234;
	btf_case("bad magic", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.hdr.version = 2;
	btf_case("version 2", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.hdr.flags = 1;
	btf_case("flags", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.hdr.type_len = 0;
	btf_case("no types", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.hdr.str_len = sizeof(strs) + 64;
	btf_case("strings past the end", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.strs[sizeof(strs) - 1] = 'x';
	btf_case("strings not NUL-terminated", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.types[1] = BTF_INFO_ENC(31, 0, 0);
	btf_case("kind 31", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.types[7] = 200;
	btf_case("a name offset past the strings", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.types[9] = 1;
	btf_case("a func whose type is an int", &bad, sizeof(bad), 0, 0);
	bad = b;
	bad.hdr.type_len = 14;
	bad.hdr.str_off = 14 + 2;	/* the int's 4 extra bytes cut short */
	btf_case("a truncated int", &bad, sizeof(bad), 0, 0);
	/*
	 * 6.4 dropped the 128-byte minimum: the kernel logs the types into
	 * any buffer (ENOSPC when they do not fit).  bpfdev writes no log for
	 * a good blob, so it keeps 6.1's rule on every kernel (bpfdev-run(1)).
	 */
	if (kernel_at_least(6, 4))
		tap_skip("6.4+ fills a log of any size; bpfdev keeps 6.1's 128-byte minimum",
			 "BTF_LOAD log level without a big enough log");
	else
		btf_case("log level without a big enough log", &b, sizeof(b), 1, 16);
	btf_case("size 0", &b, 0, 0, 0);

	kbtf = btf_load(kern, &b, sizeof(b), 0, 0);
	dbtf = btf_load(sys, &b, sizeof(b), 0, 0);
	if (kbtf < 0 || dbtf < 0)
		tap_bail("cannot load the BTF (kernel %ld, bpfdev %ld)", kbtf, dbtf);

	prog_case("with func_info and line_info", kbtf, dbtf,
		  &(struct load){ one, 2, fi2, 1, 8, li1, 1 });
	prog_case("two subprograms, two func_info", kbtf, dbtf,
		  &(struct load){ two, 4, fi2, 2, 8, NULL, 0 });
	prog_case("two subprograms, one func_info", kbtf, dbtf,
		  &(struct load){ two, 4, fi2, 1, 8, NULL, 0 });
	prog_case("a func_info naming an int", kbtf, dbtf,
		  &(struct load){ two, 4, fi_bad, 2, 8, NULL, 0 });
	prog_case("func_info_rec_size 4", kbtf, dbtf,
		  &(struct load){ one, 2, fi2, 1, 4, NULL, 0 });
	prog_case("line_info not starting at 0", kbtf, dbtf,
		  &(struct load){ one, 2, fi2, 1, 8, li_bad, 1 });
	prog_case("func_info without a BTF fd", -1, -1,
		  &(struct load){ one, 2, fi2, 1, 8, NULL, 0 });
	map_case("array of int with int types", kbtf, dbtf, BPF_MAP_TYPE_ARRAY, 4, 1, 1);
	map_case("hash of int with int types", kbtf, dbtf, BPF_MAP_TYPE_HASH, 4, 1, 1);
	map_case("a value type of the wrong size", kbtf, dbtf, BPF_MAP_TYPE_HASH, 8, 1, 1);
	map_case("a hash without a key type", kbtf, dbtf, BPF_MAP_TYPE_HASH, 4, 0, 1);
	map_case("a function as the value type", kbtf, dbtf, BPF_MAP_TYPE_ARRAY, 4, 1, 3);
	map_case("type ids without a BTF fd", -1, -1, BPF_MAP_TYPE_ARRAY, 4, 1, 1);
	{
		/*
		 * Unprivileged BPF enabled on both sides (with it disabled
		 * bpfdev refuses the fd commands too, stricter than 6.1).
		 */
		const struct load l = { one, 2, fi2, 1, 8, li1, 1 };
		long kfd = btf_prog_load(kern, kbtf, &l), dfd = btf_prog_load(sys, dbtf, &l);
		char kold[8] = "", dold[8] = "";
		int k = 16, d = 16;

		sys_read(KSYSCTL, kold, sizeof(kold));
		sys_read(PARAM, dold, sizeof(dold));
		if (!sys_write(KSYSCTL, "0") && !sys_write(PARAM, "0")) {
			k = kfd >= 0 ? unpriv_btf_info(kern, kfd) : 16;
			d = dfd >= 0 ? unpriv_btf_info(sys, dfd) : 16;
		}
		if (kold[0])
			sys_write(KSYSCTL, kold);
		if (dold[0])
			sys_write(PARAM, dold);
		ok(k == d && k != 16, "prog info without CAP_BPF: the btf_id, no records nor counts (kernel %d, bpfdev %d)",
		   k, d);
		if (kfd >= 0)
			close(kfd);
		if (dfd >= 0)
			close(dfd);
	}
	close(kbtf);

	/* bpfdev's own side: ids, info, and the program's info given back. */
	memset(&a, 0, sizeof(a));
	memset(&binfo, 0, sizeof(binfo));
	a.info.bpf_fd = dbtf;
	a.info.info = (uintptr_t)&binfo;
	a.info.info_len = sizeof(binfo);
	binfo.btf = (uintptr_t)&out;
	binfo.btf_size = sizeof(out);
	ok(!sys(BPF_OBJ_GET_INFO_BY_FD, &a) && binfo.id && binfo.btf_size == sizeof(b) &&
	   !memcmp(&out, &b, sizeof(b)), "btf info: id %u, the %u bytes loaded", binfo.id,
	   binfo.btf_size);
	memset(&a, 0, sizeof(a));
	a.start_id = binfo.id - 1;
	ok(!sys(BPF_BTF_GET_NEXT_ID, &a) && a.next_id == binfo.id, "BTF_GET_NEXT_ID finds it");
	memset(&a, 0, sizeof(a));
	a.btf_id = binfo.id;
	fd2 = sys(BPF_BTF_GET_FD_BY_ID, &a);
	ok(fd2 >= 0, "BTF_GET_FD_BY_ID opens it");
	if (fd2 >= 0)
		close(fd2);

	fd = btf_prog_load(sys, dbtf, &(struct load){ one, 2, fi2, 1, 8, li1, 1 });
	memset(&pinfo, 0, sizeof(pinfo));
	memset(fi_out, 0, sizeof(fi_out));
	memset(li_out, 0, sizeof(li_out));
	pinfo.nr_func_info = 2;
	pinfo.func_info_rec_size = sizeof(fi_out[0]);
	pinfo.func_info = (uintptr_t)fi_out;
	pinfo.nr_line_info = 2;
	pinfo.line_info_rec_size = sizeof(li_out[0]);
	pinfo.line_info = (uintptr_t)li_out;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info = (uintptr_t)&pinfo;
	a.info.info_len = sizeof(pinfo);
	ok(fd >= 0 && !sys(BPF_OBJ_GET_INFO_BY_FD, &a) && pinfo.btf_id == binfo.id &&
	   pinfo.nr_func_info == 1 && fi_out[0].type_id == 3 && pinfo.nr_line_info == 1 &&
	   li_out[0].line_off == S_LINE && li_out[0].file_name_off == S_FILE,
	   "prog info gives back btf_id, func_info and line_info");
	{
		struct bpf_map_info minfo;
		long mfd = map_create_btf(sys, dbtf, BPF_MAP_TYPE_ARRAY, 4, 1, 1);

		memset(&minfo, 0, sizeof(minfo));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = mfd;
		a.info.info = (uintptr_t)&minfo;
		a.info.info_len = sizeof(minfo);
		ok(mfd >= 0 && !sys(BPF_OBJ_GET_INFO_BY_FD, &a) && minfo.btf_id == binfo.id &&
		   minfo.btf_key_type_id == 1 && minfo.btf_value_type_id == 1,
		   "map info gives back btf_id and the type ids");
		if (mfd >= 0)
			close(mfd);
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = fd;
		a.info.info = (uintptr_t)&pinfo;
		a.info.info_len = sizeof(pinfo);
	}
	pinfo.func_info_rec_size = 12;
	ok_eq(sys(BPF_OBJ_GET_INFO_BY_FD, &a), -EINVAL, "prog info with func_info_rec_size 12");
	close(dbtf);
	memset(&a, 0, sizeof(a));
	a.start_id = binfo.id - 1;
	ok(!sys(BPF_BTF_GET_NEXT_ID, &a) && a.next_id == binfo.id,
	   "the program holds its BTF after the fd is closed");
	close(fd);
	/* The program is freed after an RCU grace period: wait up to 10 s. */
	for (i = 0; i < 1000; i++) {
		memset(&a, 0, sizeof(a));
		a.start_id = binfo.id - 1;
		r = sys(BPF_BTF_GET_NEXT_ID, &a);
		if (r == -ENOENT || (!r && a.next_id != binfo.id))
			break;
		usleep(10000);
	}
	ok(r == -ENOENT || (!r && a.next_id != binfo.id), "and lets it go with the program");
	return tap_done();
}
