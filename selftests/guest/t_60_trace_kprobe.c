// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes (BPFDEV_IOC_KPROBE_ATTACH) with exact counts:
 * opens of one named file counted by a kprobe on do_sys_openat2 that
 * reads the filename with probe_read_user_str; the fds a kretprobe sees
 * returned; a stack id whose addresses name do_sys_openat2 and its
 * callers in /proc/kallsyms; a kprobe hit from its own program's helper
 * (copy_from_kernel_nofault behind bpf_probe_read_kernel) skipped, not
 * hung; what is refused (bpfdev's own functions, unknown symbols, bad
 * flags, loads and attaches without CAP_PERFMON); notrace functions
 * refused or taken as the guest kernel's own perf kprobes answer; run
 * statistics in prog info and fdinfo; attach/detach storms; rmmod refused
 * while a link lives.
 */

#include <elf.h>
#include <sched.h>
#include <sys/klog.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/perf_event.h>

#include "sys.h"
#include "trace_progs.h"

#define NAME		"/tmp/t60_opened"	/* 15 bytes and the NUL */
#define OPENS		50
#define STORM		40

static int count_map;		/* array of 4 u64 counters */

/* kprobe on do_sys_openat2: count opens of NAME (counter 0) */
static long load_open_counter(void)
{
	struct tprog p = { .n = 0 };
	__u64 w[2];

	memcpy(w, NAME, sizeof(w));
	tp_emit(&p, MOV64_REG(6, 1));
	tp_emit(&p, LDX_MEM(BPF_DW, 3, 6, REGS_SI));
	tp_emit(&p, MOV64_REG(1, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 1, -32));
	tp_emit(&p, MOV64_IMM(2, 32));
	tp_emit(&p, CALL(BPF_FUNC_probe_read_user_str));
	tp_jout_imm(&p, BPF_JNE, 0, sizeof(NAME));
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 10, -32));
	tp_ld_imm64(&p, 2, w[0]);
	tp_jout_reg(&p, BPF_JNE, 1, 2);
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 10, -24));
	tp_ld_imm64(&p, 2, w[1]);
	tp_jout_reg(&p, BPF_JNE, 1, 2);
	tp_count(&p, count_map, 0);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_opens");
}

/* kretprobe: returns[ax] += 1 for our process (a hash map u64 -> u64) */
static long load_return_recorder(int ret_map)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(6, 1));
	tp_only_tgid(&p);
	tp_emit(&p, LDX_MEM(BPF_DW, 1, 6, REGS_AX));
	tp_emit(&p, STX_MEM(BPF_DW, 10, 1, -8));
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -8));
	tp_ld_map(&p, 1, ret_map);
	tp_emit(&p, CALL(BPF_FUNC_map_lookup_elem));
	tp_emit(&p, JMP_IMM(BPF_JEQ, 0, 0, 3));
	tp_emit(&p, MOV64_IMM(1, 1));
	tp_emit(&p, ATOMIC_ADD(BPF_DW, 0, 1, 0));
	tp_jout_imm(&p, BPF_JA, 0, 0);
	tp_emit(&p, ST_MEM(BPF_DW, 10, -16, 1));
	tp_ld_map(&p, 1, ret_map);
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -8));
	tp_emit(&p, MOV64_REG(3, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 3, -16));
	tp_emit(&p, MOV64_IMM(4, 0));
	tp_emit(&p, CALL(BPF_FUNC_map_update_elem));
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_returns");
}

/* kprobe: counter 1 = the stack id of our process's last hit */
static long load_stackid(int stack_map)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(6, 1));
	tp_only_tgid(&p);
	tp_emit(&p, MOV64_REG(1, 6));
	tp_ld_map(&p, 2, stack_map);
	tp_emit(&p, MOV64_IMM(3, 0));
	tp_emit(&p, CALL(BPF_FUNC_get_stackid));
	tp_emit(&p, MOV64_REG(7, 0));
	tp_emit(&p, ST_MEM(BPF_W, 10, -4, 1));
	tp_emit(&p, MOV64_REG(2, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 2, -4));
	tp_ld_map(&p, 1, count_map);
	tp_emit(&p, CALL(BPF_FUNC_map_lookup_elem));
	tp_jout_imm(&p, BPF_JEQ, 0, 0);
	tp_emit(&p, STX_MEM(BPF_DW, 0, 7, 0));
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_stackid");
}

/*
 * kprobe on copy_from_kernel_nofault whose program calls it again
 * (bpf_probe_read_kernel of its context): counter 2.  Not on the
 * ktime_get_ns helper's ktime_get_mono_fast_ns: it is notrace, and the
 * kernel refuses kprobes there.
 */
static long load_recursive(void)
{
	struct tprog p = { .n = 0 };

	tp_emit(&p, MOV64_REG(3, 1));
	tp_emit(&p, MOV64_REG(1, 10));
	tp_emit(&p, ALU64_IMM(BPF_ADD, 1, -8));
	tp_emit(&p, MOV64_IMM(2, 8));
	tp_emit(&p, CALL(BPF_FUNC_probe_read_kernel));
	tp_count(&p, count_map, 2);
	tp_end(&p);
	return tp_load(&p, BPF_PROG_TYPE_KPROBE, "t60_recursive");
}

static __u64 counter(__u32 idx)
{
	__u64 v = 0;

	map_lookup(count_map, &idx, &v);
	return v;
}

static void open_name(int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = open(NAME, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}

static void test_opens(void)
{
	struct bpf_prog_info info;
	long prog, link;
	long long fd_cnt;
	int fd, err;

	fd = open(NAME, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	prog = load_open_counter();
	if (!ok(prog >= 0, "kprobe program loads"))
		return;
	link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	if (!ok(link >= 0, "kprobe on do_sys_openat2 attaches (%ld)", link)) {
		close(prog);
		return;
	}
	open_name(OPENS);
	/* other names, and the name as a prefix, do not count */
	fd = open("/tmp/t60_opened_not", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	open_name(0);
	ok_eq(counter(0), OPENS, "opens of " NAME " counted exactly");
	ok(fdinfo_has(link, "link_type:\tkprobe") && fdinfo_has(link, "func:\tdo_sys_openat2+0"),
	   "link fdinfo names the kprobe");
	/* the arguments are read before or after the condition: fetch first */
	err = prog_stats(prog, &info);
	ok(!err && info.run_cnt >= OPENS && info.run_time_ns > 0 &&
	   info.recursion_misses == 0,
	   "prog info: run_cnt %llu >= %d, run_time_ns %llu, recursion_misses %llu",
	   (unsigned long long)info.run_cnt, OPENS,
	   (unsigned long long)info.run_time_ns,
	   (unsigned long long)info.recursion_misses);
	fd_cnt = fdinfo_get(prog, "run_cnt");
	ok(fd_cnt >= (long long)info.run_cnt && fdinfo_get(prog, "run_time_ns") > 0,
	   "prog fdinfo: run_cnt %lld", fd_cnt);
	close(link);
	open_name(10);
	ok_eq(counter(0), OPENS, "closing the link detaches");
	close(prog);
}

static void test_returns(void)
{
	int ret_map, fds[10], i, good = 0;
	long prog, link;
	__u64 key, next, v, keys = 0;

	ret_map = map_create(BPF_MAP_TYPE_HASH, 8, 8, 64, 0);
	prog = load_return_recorder(ret_map);
	if (!ok(ret_map >= 0 && prog >= 0, "kretprobe program loads")) {
		close(ret_map);
		return;
	}
	link = kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 0);
	if (!ok(link >= 0, "kretprobe on do_sys_openat2 attaches (%ld)", link))
		goto out;
	for (i = 0; i < 10; i++)
		fds[i] = open(NAME, O_RDONLY | O_CLOEXEC);
	close(link);
	for (i = 0; i < 10; i++) {
		key = fds[i];
		v = 0;
		good += fds[i] >= 0 && !map_lookup(ret_map, &key, &v) && v == 1;
		close(fds[i]);
	}
	for (key = ~0ULL; !map_next_key(ret_map, keys ? &key : NULL, &next); key = next)
		keys++;
	ok_eq(good, 10, "each fd returned seen once by the kretprobe");
	ok_eq(keys, 10, "and nothing else returned");
	ok(kprobe_attach(prog, "do_sys_openat2", 4, BPFDEV_PROBE_F_RETURN, 0) == -EINVAL,
	   "a kretprobe off the function's entry: EINVAL");
	link = kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 64);
	ok(link >= 0, "kretprobe with maxactive 64");
	if (link >= 0)
		close(link);
out:
	close(prog);
	close(ret_map);
}

static void test_stackid(void)
{
	int stack_map = map_create(BPF_MAP_TYPE_STACK_TRACE, 4, 32 * 8, 64, 0);
	__u64 ips[32] = { 0 };
	long prog, link;
	__u32 id;
	int i, syscall_seen = 0;
	const char *caller;

	prog = stack_map >= 0 ? load_stackid(stack_map) : -1;
	if (!ok(prog >= 0, "get_stackid program loads"))
		goto out_map;
	link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	if (!ok(link >= 0, "kprobe attaches"))
		goto out;
	open_name(1);
	close(link);
	id = counter(1);
	if (!ok((__s64)counter(1) >= 0 && !map_lookup(stack_map, &id, ips),
		"stack id %lld is in the stack map", (long long)counter(1)))
		goto out;
	if (ksyms_load()) {
		tap_skip("no /proc/kallsyms", "stack resolves");
		goto out;
	}
	ok(!strcmp(ksym_name(ips[0]), "do_sys_openat2"),
	   "first address in do_sys_openat2 (%s)", ksym_name(ips[0]));
	caller = ksym_name(ips[1]);
	ok(strstr(caller, "openat") || strstr(caller, "do_sys_open"),
	   "then its caller (%s)", caller);
	for (i = 1; i < 32 && ips[i]; i++)
		syscall_seen |= !strcmp(ksym_name(ips[i]), "do_syscall_64");
	ok(syscall_seen, "and do_syscall_64 below");
	if (!syscall_seen)
		for (i = 0; i < 32 && ips[i]; i++)
			tap_diag("  %d: %#llx %s", i, (unsigned long long)ips[i],
				 ksym_name(ips[i]));
	id = 0x7fffffff;
	ok(map_lookup(stack_map, &id, ips) == -ENOENT, "an unused id: ENOENT");
	id = counter(1);
	ok(!map_delete(stack_map, &id) && map_lookup(stack_map, &id, ips) == -ENOENT,
	   "a stack id deleted");
	ok(map_update(stack_map, &id, ips, 0) == -EINVAL, "stack map update: EINVAL");
out:
	close(prog);
out_map:
	close(stack_map);
}

/*
 * n reads of kernel text through /proc/kcore, each one
 * copy_from_kernel_nofault() (read_kcore()'s bounce buffer): the file
 * offset of _stext from kcore's ELF program headers.  0 or -1.
 */
static int read_kcore(int n)
{
	unsigned long stext = 0, addr;
	char line[256], name[128], type, buf[64];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	off_t off = -1;
	FILE *f;
	int fd, i;

	f = fopen("/proc/kallsyms", "r");
	while (f && !stext && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx %c %127s", &addr, &type, name) == 3 && !strcmp(name, "_stext"))
			stext = addr;
	if (f)
		fclose(f);
	fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !stext || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		goto fail;
	for (i = 0; i < eh.e_phnum && off < 0; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph))
			goto fail;
		if (ph.p_type == PT_LOAD && stext >= ph.p_vaddr && stext < ph.p_vaddr + ph.p_memsz)
			off = ph.p_offset + (stext - ph.p_vaddr);
	}
	if (off < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (pread(fd, buf, sizeof(buf), off) != sizeof(buf))
			goto fail;
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static void test_recursion(void)
{
	struct bpf_prog_info info;
	long prog = load_recursive(), link;
	__u64 before, after;
	int err;

	if (!ok(prog >= 0, "recursive program loads"))
		return;
	link = kprobe_attach(prog, "copy_from_kernel_nofault", 0, 0, 0);
	if (!ok(link >= 0, "kprobe on copy_from_kernel_nofault (%ld)", link)) {
		close(prog);
		return;
	}
	if (read_kcore(100)) {
		tap_skip("no /proc/kcore text", "the kprobe ran for 100 calls, not hung");
		tap_skip("no /proc/kcore text", "each hit inside its own program skipped");
		tap_skip("no /proc/kcore text", "run_cnt = runs");
		goto out;
	}
	ok(counter(2) >= 100, "the kprobe ran %llu times for 100 calls, not hung",
	   (unsigned long long)counter(2));
	ok(fdinfo_get(link, "missed") >= 100,
	   "each hit inside its own program skipped: missed %lld",
	   fdinfo_get(link, "missed"));
	/* the rest of the kernel calls it too: run_cnt between two reads */
	before = counter(2);
	err = prog_stats(prog, &info);
	after = counter(2);
	ok(!err && info.run_cnt >= before && info.run_cnt <= after,
	   "run_cnt %llu = runs (%llu..%llu)", (unsigned long long)info.run_cnt,
	   (unsigned long long)before, (unsigned long long)after);
out:
	close(link);
	close(prog);
}

static void test_refused(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_nop", NULL, 0);
	long sf = prog_load(nop, 2);
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ok(kprobe_attach(prog, "bpfdev_trace_run", 0, 0, 0) == -EINVAL,
	   "a kprobe in bpfdev: EINVAL");
	ok(kprobe_attach(prog, "bpfdev_get_prandom_u32", 0, BPFDEV_PROBE_F_RETURN, 0) == -EINVAL,
	   "a kretprobe in bpfdev: EINVAL");
	ok(kprobe_attach(prog, "no_such_function_t60", 0, 0, 0) == -ENOENT,
	   "an unknown symbol: ENOENT");
	ok(kprobe_attach(prog, big, 0, 0, 0) == -EINVAL, "a symbol too long: EINVAL");
	ok(kprobe_attach(prog, "", 0, 0, 0) == -EINVAL, "an empty symbol: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, 2, 0) == -EINVAL, "unknown flags: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, 0, 8) == -EINVAL,
	   "maxactive on a kprobe: EINVAL");
	ok(kprobe_attach(prog, "do_sys_openat2", 0, BPFDEV_PROBE_F_RETURN, 5000) == -E2BIG,
	   "maxactive over 4096: E2BIG");
	ok(kprobe_attach(sf, "do_sys_openat2", 0, 0, 0) == -EINVAL,
	   "a socket filter: EINVAL");
	ok(kprobe_attach(999, "do_sys_openat2", 0, 0, 0) == -EBADF, "a bad fd: EBADF");
	ok(kprobe_attach(prog, "kprobe_int3_handler", 0, 0, 0) == -EINVAL,
	   "what kprobes refuses (its own handler): EINVAL");
	close(sf);
	close(prog);
}

/* ---- notrace functions, as the kernel's own kprobes judge them ---- */

struct nsym {
	unsigned long	addr;
	char		name[128];
};

struct addr_range {
	unsigned long	lo, hi;
};

static struct nsym *core_syms;		/* core kernel text, sorted by name */
static size_t nr_core_syms;
static char **traceable;		/* available_filter_functions, sorted */
static size_t nr_traceable;
static struct addr_range *kp_black;	/* kprobes' blacklist, sorted */
static size_t nr_kp_black;

static int nsym_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsym *)a)->name, ((const struct nsym *)b)->name);
}

static int nsym_addr_cmp(const void *a, const void *b)
{
	const struct nsym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int range_cmp(const void *a, const void *b)
{
	const struct addr_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 4096;
	p = realloc(p, *cap * size);
	if (!p)
		tap_bail("out of memory");
	return p;
}

/* The core kernel's text symbols (no module's), sorted by name. */
static int load_core_syms(void)
{
	char line[512], name[256], type;
	unsigned long addr;
	size_t cap = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '[') || sscanf(line, "%lx %c %255s", &addr, &type, name) != 3 ||
		    (type != 't' && type != 'T') || strlen(name) >= sizeof(core_syms->name))
			continue;
		core_syms = grow(core_syms, nr_core_syms, &cap, sizeof(*core_syms));
		core_syms[nr_core_syms].addr = addr;
		strcpy(core_syms[nr_core_syms].name, name);
		nr_core_syms++;
	}
	fclose(f);
	qsort(core_syms, nr_core_syms, sizeof(*core_syms), nsym_name_cmp);
	return nr_core_syms ? 0 : -1;
}

/* How many core text symbols are called name. */
static int core_sym_count(const char *name)
{
	struct nsym key, *hit;
	size_t i;
	int n = 0;

	snprintf(key.name, sizeof(key.name), "%s", name);
	hit = bsearch(&key, core_syms, nr_core_syms, sizeof(key), nsym_name_cmp);
	if (!hit)
		return 0;
	for (i = hit - core_syms; i > 0 && !strcmp(core_syms[i - 1].name, name); i--)
		;
	for (; i < nr_core_syms && !strcmp(core_syms[i].name, name); i++)
		n++;
	return n;
}

static unsigned long core_sym_addr(const char *name)
{
	struct nsym key, *hit;

	snprintf(key.name, sizeof(key.name), "%s", name);
	hit = bsearch(&key, core_syms, nr_core_syms, sizeof(key), nsym_name_cmp);
	return hit ? hit->addr : 0;
}

/* The functions ftrace can trace (the core kernel's: no "[module]"). */
static int load_traceable(void)
{
	char line[512];
	size_t cap = 0;
	FILE *f = fopen("/sys/kernel/tracing/available_filter_functions", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \n")] = 0;
		traceable = grow(traceable, nr_traceable, &cap, sizeof(*traceable));
		traceable[nr_traceable] = strdup(line);
		if (!traceable[nr_traceable++])
			tap_bail("out of memory");
	}
	fclose(f);
	qsort(traceable, nr_traceable, sizeof(*traceable), str_cmp);
	return nr_traceable ? 0 : -1;
}

static int is_traceable(const char *name)
{
	return !!bsearch(&name, traceable, nr_traceable, sizeof(name), str_cmp);
}

/* kprobes' blacklist ("0xlo-0xhi\tname" lines), to choose around it. */
static void load_kp_black(void)
{
	char line[512];
	size_t cap = 0;
	FILE *f = fopen("/sys/kernel/debug/kprobes/blacklist", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct addr_range r;

		if (sscanf(line, "%lx-%lx", &r.lo, &r.hi) != 2)
			continue;
		kp_black = grow(kp_black, nr_kp_black, &cap, sizeof(*kp_black));
		kp_black[nr_kp_black++] = r;
	}
	fclose(f);
	qsort(kp_black, nr_kp_black, sizeof(*kp_black), range_cmp);
}

static int is_blacklisted(unsigned long addr)
{
	size_t lo = 0, hi = nr_kp_black, i;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (kp_black[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* ranges may nest: look back over the few that start before */
	for (i = lo; i > 0 && lo - i < 64; i--)
		if (addr >= kp_black[i - 1].lo && addr < kp_black[i - 1].hi)
			return 1;
	return 0;
}

/*
 * The kernel's own kprobe on func+offset through perf's kprobe PMU, as
 * bpf() kprobe programs attach (libbpf, bcc): 0 or -errno.  Opened
 * disabled; the kernel arms an accepted probe, nothing runs on it.
 */
static int kernel_kprobe(const char *func, __u64 offset, int retprobe)
{
	static int type = -1;
	struct perf_event_attr pa;
	FILE *f;
	int fd;

	if (type < 0) {
		f = fopen("/sys/bus/event_source/devices/kprobe/type", "r");
		if (!f || fscanf(f, "%d", &type) != 1)
			type = -1;
		if (f)
			fclose(f);
		if (type < 0)
			return -ENODEV;
	}
	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = type;
	pa.config = retprobe ? 1 : 0;	/* format/retprobe: config:0 */
	pa.config1 = (uintptr_t)func;
	pa.config2 = offset;
	pa.disabled = 1;
	fd = syscall(__NR_perf_event_open, &pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* bpfdev's attach gives what the kernel's gives; returns the kernel's. */
static int same_as_kernel(int prog, const char *func, __u64 offset, int retprobe,
			  const char *what)
{
	int k = kernel_kprobe(func, offset, retprobe);
	long b = kprobe_attach(prog, func, offset, retprobe ? BPFDEV_PROBE_F_RETURN : 0, 0);

	if (b >= 0) {
		close(b);
		b = 0;
	}
	ok(b == k, "%s %s%s+%llu: bpfdev %s, the kernel %s", what, retprobe ? "kretprobe " : "",
	   func, (unsigned long long)offset, b ? strerror(-b) : "attaches",
	   k ? strerror(-k) : "attaches");
	return k;
}

/* Whether the kernel's log has needle (our own message for a refusal). */
static int dmesg_has(const char *needle)
{
	int len = klogctl(10, NULL, 0);	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf = len > 0 ? malloc(len + 1) : NULL;
	int n, found;

	if (!buf)
		return 0;
	n = klogctl(3, buf, len);	/* SYSLOG_ACTION_READ_ALL */
	buf[n > 0 ? n : 0] = 0;
	found = !!strstr(buf, needle);
	free(buf);
	return found;
}

#define ON_NOTRACE	"/sys/module/bpfdev/parameters/kprobe_on_notrace"

/* bpfdev's attach to func+0 (retprobe or not), closed: 0 or -errno. */
static long attach_once(int prog, const char *func, int retprobe)
{
	long fd = kprobe_attach(prog, func, 0, retprobe ? BPFDEV_PROBE_F_RETURN : 0, 0);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

/*
 * kprobe_on_notrace=1, the kernel's CONFIG_KPROBE_EVENTS_ON_NOTRACE:
 * root lets bpfdev's kprobes reach a notrace function the kernel
 * refuses, and takes it back.  Not on a function picked at random: a
 * probe armed there may recurse or, under multi-threaded TCG, be patched
 * while the other vCPU runs it; blk_account_io_done (bcc's biolatency's)
 * runs on block I/O completion only, and this guest does none meanwhile.
 */
static void notrace_knob(int prog)
{
	static const char *const cands[] = { "blk_account_io_done", "__blk_account_io_done" };
	const char *func = NULL;
	char v[8];
	size_t i;

	for (i = 0; i < sizeof(cands) / sizeof(cands[0]) && !func; i++)
		if (kernel_kprobe(cands[i], 0, 0) == -EINVAL)
			func = cands[i];
	if (!func) {
		tap_skip("blk_account_io_done is not a notrace function here",
			 "kprobe_on_notrace=1 lets bpfdev's kprobes reach it");
		return;
	}
	ok(sys_read(ON_NOTRACE, v, sizeof(v)) == 0 && !strcmp(v, "N"),
	   "kprobe_on_notrace is off by default (%s)", v);
	ok(attach_once(prog, func, 0) == -EINVAL, "  so notrace %s is refused", func);
	if (!ok(sys_write(ON_NOTRACE, "1") == 0, "kprobe_on_notrace=1"))
		return;
	ok(attach_once(prog, func, 0) == 0, "  then bpfdev's kprobe takes %s", func);
	ok(attach_once(prog, func, 1) == 0, "  and its kretprobe");
	ok(sys_write(ON_NOTRACE, "0") == 0, "kprobe_on_notrace=0 again");
	ok(attach_once(prog, func, 0) == -EINVAL, "  then %s is refused again", func);
}

static void test_notrace_knob(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_knob", NULL, 0);

	if (!ok(prog >= 0, "kprobe_on_notrace: program loads"))
		return;
	notrace_knob(prog);
	close(prog);
}

enum { NT_PLAIN, NT_CLONE_OF_TRACED, NT_CLONE_OF_UNTRACED, NT_KINDS };

/*
 * The class of a core text symbol as a notrace candidate, or -1: a
 * function ftrace cannot trace, in the kernel's text (not init, not
 * kprobes' blacklist), its name unique (6.12 refuses ambiguous names
 * first), a plain name or a called clone (.isra., .constprop., .part.;
 * not .cold, a jump target a kretprobe must not take) whose base is
 * unique or absent.
 */
static int notrace_class(const struct nsym *s, unsigned long stext, unsigned long etext)
{
	char base[128], *dot;

	if (s->addr < stext || s->addr >= etext || s->name[0] == '_' ||
	    is_traceable(s->name) || core_sym_count(s->name) != 1)
		return -1;
	dot = strchr(s->name, '.');
	if (!dot)
		return is_blacklisted(s->addr) ? -1 : NT_PLAIN;
	if ((!strstr(dot, ".isra.") && !strstr(dot, ".constprop.") && !strstr(dot, ".part.")) ||
	    strstr(dot, ".cold"))
		return -1;
	snprintf(base, sizeof(base), "%.*s", (int)(dot - s->name), s->name);
	if (core_sym_count(base) > 1 || is_blacklisted(s->addr))
		return -1;
	return is_traceable(base) ? NT_CLONE_OF_TRACED : NT_CLONE_OF_UNTRACED;
}

static void test_notrace(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	static const char *const kind[NT_KINDS] = {
		"notrace", "notrace clone of a traceable function",
		"notrace clone of a notrace function",
	};
	const struct nsym *pick[NT_KINDS][3];
	struct nsym *by_addr;
	size_t i, n[NT_KINDS] = { 0 };
	unsigned long stext, etext, sinit, einit;
	char msg[200];
	int c, k, refused = 0;
	long prog;

	if (kernel_kprobe("do_sys_openat2", 0, 0) == -ENODEV) {
		tap_skip("no perf kprobe PMU", "notrace functions refused as the kernel refuses them");
		return;
	}
	if (load_core_syms())
		tap_bail("no /proc/kallsyms");
	prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_notrace", NULL, 0);
	if (!ok(prog >= 0, "notrace: program loads"))
		return;
	if (load_traceable()) {
		/*
		 * No dynamic ftrace (the debug kernel): nothing is notrace to
		 * the kernel's kprobes, nor to bpfdev's.  A function notrace
		 * in its source, where the kernel has it.
		 */
		if (core_sym_count("ktime_get_mono_fast_ns") == 1) {
			k = same_as_kernel(prog, "ktime_get_mono_fast_ns", 0, 0,
					   "without dynamic ftrace,");
			ok(!k, "  the kernel takes it");
		} else {
			tap_skip("no tracefs available_filter_functions (no dynamic ftrace)",
				 "notrace functions refused as the kernel refuses them");
		}
		close(prog);
		return;
	}
	load_kp_black();
	stext = core_sym_addr("_stext");
	etext = core_sym_addr("_etext");
	sinit = core_sym_addr("_sinittext");
	einit = core_sym_addr("_einittext");
	if (!etext)
		etext = ~0UL;

	/* in address order, and taken from across the text, not its start */
	by_addr = malloc(nr_core_syms * sizeof(*by_addr));
	if (!by_addr)
		tap_bail("out of memory");
	memcpy(by_addr, core_syms, nr_core_syms * sizeof(*by_addr));
	qsort(by_addr, nr_core_syms, sizeof(*by_addr), nsym_addr_cmp);
	for (i = 0; i < nr_core_syms; i++) {
		if (by_addr[i].addr >= sinit && by_addr[i].addr < einit)
			continue;
		c = notrace_class(&by_addr[i], stext, etext);
		if (c < 0)
			continue;
		/* keep the first, then every 97th further one, 3 at most */
		if (n[c] < 3 && (!n[c] || !(i % 97)))
			pick[c][n[c]++] = &by_addr[i];
	}
	for (c = 0; c < NT_KINDS; c++)
		tap_diag("notrace %s: %s %s %s", kind[c], n[c] > 0 ? pick[c][0]->name : "-",
			 n[c] > 1 ? pick[c][1]->name : "", n[c] > 2 ? pick[c][2]->name : "");

	same_as_kernel(prog, "do_sys_openat2", 0, 0, "traceable");
	same_as_kernel(prog, "do_sys_openat2", 0, 1, "traceable");
	if (!ok(n[NT_PLAIN] > 0, "a notrace function found in kallsyms (of %zu, %zu traceable)",
		nr_core_syms, nr_traceable))
		goto out;
	for (i = 0; i < n[NT_PLAIN]; i++)
		refused += same_as_kernel(prog, pick[NT_PLAIN][i]->name, 0, 0, kind[NT_PLAIN]) ==
			   -EINVAL;
	ok(refused > 0, "the kernel refuses %d of %zu notrace functions with EINVAL", refused,
	   n[NT_PLAIN]);
	same_as_kernel(prog, pick[NT_PLAIN][0]->name, 0, 1, kind[NT_PLAIN]);
	/* the kernel's notrace check comes before kprobes' own (EILSEQ...) */
	same_as_kernel(prog, pick[NT_PLAIN][0]->name, 1, 0, "notrace, off its start,");
	for (c = NT_CLONE_OF_TRACED; c < NT_KINDS; c++) {
		if (!n[c]) {
			tap_skip("none in this kernel", "%s", kind[c]);
			continue;
		}
		k = same_as_kernel(prog, pick[c][0]->name, 0, 0, kind[c]);
		ok(c == NT_CLONE_OF_TRACED ? !k : k == -EINVAL, "  the kernel %s it",
		   c == NT_CLONE_OF_TRACED ? "takes" : "refuses");
	}
	snprintf(msg, sizeof(msg), "bpfdev: Could not probe notrace function %s",
		 pick[NT_PLAIN][0]->name);
	ok(dmesg_has(msg), "dmesg says why: \"%s\"", msg);
out:
	free(by_addr);
	close(prog);
}

/* In a child with caps: load (and attach prog_fd) -> bits */
static int priv_child(__u64 caps, int prog_fd)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		long fd;
		int r = 0;

		if (caps_only(caps))
			_exit(64);
		fd = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, NULL, NULL, 0);
		r |= fd == -EPERM ? 1 : fd >= 0 ? 2 : 4;
		fd = kprobe_attach(prog_fd, "do_sys_openat2", 0, 0, 0);
		r |= fd == -EPERM ? 8 : fd >= 0 ? 16 : 32;
		_exit(r);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_privileges(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, NULL, NULL, 0);
	__u64 adm = CAPBIT(CAP_SYS_ADMIN);
	__u64 both = CAPBIT(CAP_BPF) | CAPBIT(CAP_PERFMON);

	ok_eq(priv_child(CAPBIT(CAP_BPF), prog), 1 | 8,
	      "CAP_BPF without CAP_PERFMON: load and attach EPERM");
	ok_eq(priv_child(CAPBIT(CAP_PERFMON), prog), 1 | 8,
	      "CAP_PERFMON without CAP_BPF: EPERM");
	ok_eq(priv_child(both, prog), 2 | 16, "CAP_BPF and CAP_PERFMON: load and attach");
	ok_eq(priv_child(adm, prog), 2 | 16, "CAP_SYS_ADMIN: load and attach");
	close(prog);
}

/*
 * Attach and detach while a child opens files (the probes hit between
 * them).  Both run on one vCPU: each attach and detach patches
 * do_sys_openat2's entry, and a TCG guest whose other vCPU runs the code
 * being patched meets stale int3s (t_93_faults: "Oops: int3" on the stock
 * 6.12 kernel without bpfdev; here kprobes took one for its own and
 * jumped to 0).
 */
static void test_storm(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_storm", NULL, 0);
	cpu_set_t all, one;
	int i, good = 0;
	pid_t pid;
	int st;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_getaffinity(0, sizeof(all), &all) || sched_setaffinity(0, sizeof(one), &one))
		tap_diag("storm: not pinned (%s)", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* not left behind if the test is killed on its timeout */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			open_name(100);
	}
	for (i = 0; i < STORM; i++) {
		long a = kprobe_attach(prog, "do_sys_openat2", 0, i & 1 ? BPFDEV_PROBE_F_RETURN : 0, 0);
		long b = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);

		good += a >= 0 && b >= 0;
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	sched_setaffinity(0, sizeof(all), &all);
	ok_eq(good, STORM, "%d attach/detach pairs under load", STORM);
	close(prog);
}

static void test_rmmod(void)
{
	struct bpf_insn nop[] = { MOV64_IMM(0, 0), EXIT() };
	long prog = prog_load_log(BPF_PROG_TYPE_KPROBE, nop, 2, "t60_rmmod", NULL, 0);
	long link = kprobe_attach(prog, "do_sys_openat2", 0, 0, 0);
	const char *ko = getenv("BPFDEV_KO");
	char cmd[256];

	close(prog);
	close(count_map);
	close(devfd);
	devfd = -1;
	if (!ok(link >= 0, "a link alone keeps the module"))
		return;
	ok(system("rmmod bpfdev 2>/dev/null") != 0, "rmmod refused while a link lives");
	open_name(3);
	close(link);
	ok(live_zero(), "nothing left after the link closed");
	ok(system("rmmod bpfdev") == 0, "rmmod after the link closed");
	snprintf(cmd, sizeof(cmd), "insmod %s", ko ? ko : "/bpfdev/bpfdev.ko");
	ok(system(cmd) == 0, "insmod again");
}

int main(void)
{
	struct bpfdev_version v;

	tap_plan(0);
	objs_init();
	ok(!ioctl_err(devfd, BPFDEV_IOC_VERSION, &v) && (v.features & BPFDEV_FEAT_TRACE),
	   "BPFDEV_FEAT_TRACE is offered");
	count_map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	if (count_map < 0)
		tap_bail("array map: %d", count_map);
	tp_timed("opens", test_opens);
	tp_timed("returns", test_returns);
	tp_timed("stackid", test_stackid);
	tp_timed("recursion", test_recursion);
	tp_timed("refused", test_refused);
	tp_timed("notrace", test_notrace);
	tp_timed("notrace knob", test_notrace_knob);
	tp_timed("privileges", test_privileges);
	tp_timed("storm", test_storm);
	tp_timed("rmmod", test_rmmod);
	return tap_done();
}
