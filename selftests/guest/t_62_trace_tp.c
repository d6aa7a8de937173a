// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints and raw tracepoints (BPFDEV_IOC_TP_ATTACH,
 * BPF_RAW_TRACEPOINT_OPEN), with workloads whose counts are exact:
 *   - 100 execs of this binary counted by a sched:sched_process_exec
 *     program, one per child pid read from the record's pid field, and
 *     the filename each record's __data_loc points to equal to what
 *     tracefs prints for the same exec (the event enabled there too);
 *     offsets come from the event's format file;
 *   - a raw tracepoint on sys_enter counting one syscall id of this
 *     process exactly, and one on sched_process_exec whose args[1]
 *     (old_pid) is each child's pid;
 *   - closing a link stops the counts;
 *   - refusals: reads past the record (EACCES) or past the arguments
 *     (EINVAL), unknown tracepoints (ENOENT), flags, the wrong program
 *     type, and no CAP_PERFMON (EPERM);
 *   - on a kernel without BTF (the debug kernel), where nothing tells a
 *     raw tracepoint's arguments: EOPNOTSUPP, and the raw cases skipped.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "objs.h"
#include "sys.h"

#define EVENT_DIR	"/sys/kernel/tracing/events/sched/sched_process_exec"
#define VMLINUX_BTF	"/sys/kernel/btf/vmlinux"
#define TRACE_FILE	"/sys/kernel/tracing/trace"
#define NR_EXECS	100
#define NR_CALLS	1000
#define FN_LEN		64

/* The map value of the exec program: runs, and the filename it read. */
struct exec_val {
	__u64	count;
	char	filename[FN_LEN];
};

static char self[PATH_MAX];
static pid_t kids[NR_EXECS];
static char log_buf[65536];

/* A field of EVENT_DIR/format: its offset and size, 0 or -1. */
static int format_field(const char *name, int *off, int *size)
{
	char line[512];
	FILE *f = fopen(EVENT_DIR "/format", "r");
	int found = -1;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		char *decl = strstr(line, "field:"), *semi, *p;

		if (!decl || !(semi = strchr(decl, ';')))
			continue;
		*semi = '\0';
		p = strrchr(decl, ' ');
		if (!p || strcmp(p + 1, name))
			continue;
		p = strstr(semi + 1, "offset:");
		if (p && sscanf(p, "offset:%d;\tsize:%d;", off, size) == 2)
			found = 0;
	}
	fclose(f);
	return found;
}

/* The end of the record's last fixed field (the format's largest offset+size). */
static int format_fixed_size(void)
{
	char line[512];
	FILE *f = fopen(EVENT_DIR "/format", "r");
	int end = 0, off, size;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "offset:");

		if (p && sscanf(p, "offset:%d;\tsize:%d;", &off, &size) == 2 &&
		    off + size > end)
			end = off + size;
	}
	fclose(f);
	return end;
}

static long load(__u32 type, const struct bpf_insn *insns, __u32 cnt)
{
	long fd = prog_load_log(type, insns, cnt, "t62", log_buf, sizeof(log_buf));

	if (fd < 0)
		tap_diag("load: %ld: %.400s", fd, log_buf);
	return fd;
}

static long tp_attach(int prog, const char *cat, const char *name, __u32 flags)
{
	struct bpfdev_tp_attach a = {
		.prog_fd = prog,
		.flags = flags,
		.category = (uintptr_t)cat,
		.name = (uintptr_t)name,
	};

	return ioctl_err(devfd, BPFDEV_IOC_TP_ATTACH, &a);
}

static long raw_tp_open(int prog, const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uintptr_t)name;
	a.raw_tracepoint.prog_fd = prog;
	return sys(BPF_RAW_TRACEPOINT_OPEN, &a);
}

/* A tracepoint program reading a u32 at off, returning it. */
static long tp_read_prog(int off)
{
	struct bpf_insn p[] = {
		LDX_MEM(BPF_W, 0, 1, off),
		EXIT(),
	};

	return load(BPF_PROG_TYPE_TRACEPOINT, p, NINSNS(p));
}

/*
 * map[record pid] = { count + 1, filename from the __data_loc }:
 * bpf_probe_read_kernel_str(val.filename, FN_LEN, ctx + (loc & 0xffff)).
 */
static long exec_prog(int map, int pid_off, int fn_off)
{
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		LDX_MEM(BPF_W, 0, 6, pid_off),
		STX_MEM(BPF_W, 10, 0, -4),
		ST_MEM(BPF_DW, 10, -80, 1),
		ST_MEM(BPF_DW, 10, -72, 0), ST_MEM(BPF_DW, 10, -64, 0),
		ST_MEM(BPF_DW, 10, -56, 0), ST_MEM(BPF_DW, 10, -48, 0),
		ST_MEM(BPF_DW, 10, -40, 0), ST_MEM(BPF_DW, 10, -32, 0),
		ST_MEM(BPF_DW, 10, -24, 0), ST_MEM(BPF_DW, 10, -16, 0),
		LDX_MEM(BPF_W, 3, 6, fn_off),
		ALU64_IMM(BPF_AND, 3, 0xffff),
		ALU64_REG(BPF_ADD, 3, 6),
		MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, -72),
		MOV64_IMM(2, FN_LEN),
		CALL(BPF_FUNC_probe_read_kernel_str),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 4),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, 0),
		MOV64_IMM(0, 0),
		EXIT(),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -80),
		MOV64_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	return load(BPF_PROG_TYPE_TRACEPOINT, p, NINSNS(p));
}

/* map[0]++ when a raw tracepoint's args[arg] == val and this process runs it. */
static long raw_count_prog(int map, int arg, long val, int tgid)
{
	struct bpf_insn p[] = {
		LDX_MEM(BPF_DW, 6, 1, arg * 8),
		JMP_IMM(BPF_JNE, 6, val, 12),
		CALL(BPF_FUNC_get_current_pid_tgid),
		ALU64_IMM(BPF_RSH, 0, 32),
		JMP_IMM(BPF_JNE, 0, tgid, 9),
		ST_MEM(BPF_W, 10, -4, 0),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 2),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, 0),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	return load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, NINSNS(p));
}

/* map[args[1]] = 1 + its old value: sched_process_exec's old_pid. */
static long raw_exec_prog(int map)
{
	struct bpf_insn p[] = {
		LDX_MEM(BPF_DW, 0, 1, 8),
		STX_MEM(BPF_W, 10, 0, -4),
		ST_MEM(BPF_DW, 10, -16, 1),
		/* upper half of args[1]: 0 for a pid_t widened as CAST_TO_U64 */
		ALU64_IMM(BPF_RSH, 0, 32),
		JMP_IMM(BPF_JEQ, 0, 0, 1),
		ST_MEM(BPF_DW, 10, -16, 1000),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		MOV64_REG(3, 10), ALU64_IMM(BPF_ADD, 3, -16),
		MOV64_IMM(4, BPF_ANY),
		CALL(BPF_FUNC_map_update_elem),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	return load(BPF_PROG_TYPE_RAW_TRACEPOINT, p, NINSNS(p));
}

/* Forks n children that each exec this binary (which exits at once). */
static int run_execs(int n)
{
	int i, st, bad = 0;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl(self, self, "--exec-child", (char *)NULL);
			_exit(127);
		}
		kids[i] = pid;
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad++;
	}
	return bad;
}

/* The filename tracefs printed for pid's sched_process_exec, or NULL. */
static const char *tracefs_filename(pid_t pid)
{
	static char line[1024], fn[256];
	FILE *f = fopen(TRACE_FILE, "r");
	const char *ret = NULL;

	if (!f)
		return NULL;
	while (!ret && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "sched_process_exec: filename=");
		int p_pid;

		if (p && sscanf(p, "sched_process_exec: filename=%255s pid=%d", fn, &p_pid) == 2 &&
		    p_pid == pid)
			ret = fn;
	}
	fclose(f);
	return ret;
}

static void test_exec_count(void)
{
	int pid_off = -1, pid_size = 0, fn_off = -1, fn_size = 0;
	int i, counted = 0, once = 0, same = 0;
	long map = map_create(BPF_MAP_TYPE_HASH, 4, sizeof(struct exec_val), 1024, 0);
	long prog = -1, link = -1;
	struct exec_val v;
	/* Before ok(): its arguments are evaluated in no set order. */
	int fields = format_field("pid", &pid_off, &pid_size) == 0 && pid_size == 4 &&
		     format_field("filename", &fn_off, &fn_size) == 0 && fn_size == 4;

	if (!ok(fields, "exec: format gives pid (offset %d) and __data_loc filename (offset %d)",
		pid_off, fn_off))
		goto out;
	prog = exec_prog(map, pid_off, fn_off);
	if (!ok(map >= 0 && prog >= 0, "exec: map and tracepoint program load"))
		goto out;
	link = tp_attach(prog, "sched", "sched_process_exec", 0);
	if (!ok(link >= 0, "exec: attached to sched:sched_process_exec (%ld)", link))
		goto out;
	sys_write(TRACE_FILE, "");
	sys_write(EVENT_DIR "/enable", "1");
	ok_eq(run_execs(NR_EXECS), 0, "exec: %d children exec'd this binary", NR_EXECS);
	sys_write(EVENT_DIR "/enable", "0");

	for (i = 0; i < NR_EXECS; i++) {
		const char *fn;
		__u32 key = kids[i];

		memset(&v, 0, sizeof(v));
		if (map_lookup(map, &key, &v))
			continue;
		counted += v.count;
		once += v.count == 1;
		fn = tracefs_filename(kids[i]);
		if (fn && !strcmp(fn, v.filename))
			same++;
		else if (same == i)
			tap_diag("pid %d: program read '%.64s', tracefs printed '%s'",
				 kids[i], v.filename, fn ? fn : "(none)");
	}
	ok(counted == NR_EXECS && once == NR_EXECS,
	   "exec: each of the %d execs counted exactly once (%d runs, %d once)",
	   NR_EXECS, counted, once);
	ok(same == NR_EXECS, "exec: every filename equals tracefs's (%d/%d)", same, NR_EXECS);
	ok(!strcmp(v.filename, self), "exec: the filename is this binary's path (%s)", self);

	close(link);
	link = -1;
	run_execs(5);
	for (i = 0, counted = 0; i < 5; i++) {
		__u32 key = kids[i];

		counted += map_lookup(map, &key, &v) == 0;
	}
	ok_eq(counted, 0, "exec: nothing counted after the link is closed");
out:
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	if (map >= 0)
		close(map);
}

static void test_raw_sys_enter(void)
{
	long map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	long prog = raw_count_prog(map, 1, SYS_getppid, getpid());
	long link = -1;
	__u32 k = 0;
	__u64 v = 0;
	int i;

	if (!ok(map >= 0 && prog >= 0, "raw sys_enter: map and program load"))
		goto out;
	link = raw_tp_open(prog, "sys_enter");
	if (!ok(link >= 0, "raw sys_enter: BPF_RAW_TRACEPOINT_OPEN (%ld)", link))
		goto out;
	for (i = 0; i < NR_CALLS; i++)
		syscall(SYS_getppid);
	map_lookup(map, &k, &v);
	ok(v == NR_CALLS, "raw sys_enter: %d getppid() counted exactly (%llu)", NR_CALLS,
	   (unsigned long long)v);
	close(link);
	link = -1;
	for (i = 0; i < 100; i++)
		syscall(SYS_getppid);
	map_lookup(map, &k, &v);
	ok(v == NR_CALLS, "raw sys_enter: nothing counted after close (%llu)",
	   (unsigned long long)v);
out:
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	if (map >= 0)
		close(map);
}

static void test_raw_exec(void)
{
	long map = map_create(BPF_MAP_TYPE_HASH, 4, 8, 1024, 0);
	long prog = raw_exec_prog(map);
	long link = -1;
	int i, seen = 0;

	if (!ok(map >= 0 && prog >= 0, "raw exec: map and program load"))
		goto out;
	link = raw_tp_open(prog, "sched_process_exec");
	if (!ok(link >= 0, "raw exec: BPF_RAW_TRACEPOINT_OPEN (%ld)", link))
		goto out;
	run_execs(20);
	for (i = 0; i < 20; i++) {
		__u32 key = kids[i];
		__u64 v = 0;

		seen += map_lookup(map, &key, &v) == 0 && v == 1;
	}
	ok(seen == 20, "raw exec: args[1] is each child's pid, upper half zero (%d/20)", seen);
out:
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	if (map >= 0)
		close(map);
}

/* Attaches in a child with CAP_PERFMON and CAP_SYS_ADMIN dropped. */
static long attach_without_perfmon(int prog, int raw)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		long r;

		syscall(SYS_capget, &h, d);
		d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
		d[CAP_TO_INDEX(CAP_PERFMON)].effective &= ~CAP_TO_MASK(CAP_PERFMON);
		if (syscall(SYS_capset, &h, d))
			_exit(100);
		r = raw ? raw_tp_open(prog, "sys_enter") :
			  tp_attach(prog, "sched", "sched_process_exec", 0);
		_exit(r == -EPERM ? 0 : r >= 0 ? 101 : 102);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void test_refusals(void)
{
	int fixed = format_fixed_size(), last = (fixed & ~3) - 4;
	long in = tp_read_prog(last), past = tp_read_prog(fixed & ~3);
	long raw_ok, raw_past, sock;
	struct bpf_insn r1[] = { LDX_MEM(BPF_DW, 0, 1, 8), EXIT() };
	struct bpf_insn r2[] = { LDX_MEM(BPF_DW, 0, 1, 16), EXIT() };
	struct bpf_insn s[] = { MOV64_IMM(0, 0), EXIT() };
	long l;

	raw_ok = load(BPF_PROG_TYPE_RAW_TRACEPOINT, r1, NINSNS(r1));
	raw_past = load(BPF_PROG_TYPE_RAW_TRACEPOINT, r2, NINSNS(r2));
	sock = prog_load(s, NINSNS(s));
	if (!ok(fixed > 8 && in >= 0 && past >= 0 && raw_ok >= 0 && raw_past >= 0 && sock >= 0,
		"refusals: programs load (record's fixed part %d bytes)", fixed))
		goto out;

	l = tp_attach(in, "sched", "sched_process_exec", 0);
	ok(l >= 0, "refusals: a read ending at the record's end (%d) attaches (%ld)", fixed, l);
	if (l >= 0)
		close(l);
	ok_eq(tp_attach(past, "sched", "sched_process_exec", 0), -EACCES,
	      "refusals: a read past the record: EACCES");
	ok_eq(tp_attach(in, "sched", "no_such_event", 0), -ENOENT,
	      "refusals: unknown event: ENOENT");
	ok_eq(tp_attach(in, "no_such_category", "sched_process_exec", 0), -ENOENT,
	      "refusals: unknown category: ENOENT");
	ok_eq(tp_attach(in, "sched", "sched_process_exec", 1), -EINVAL,
	      "refusals: unknown flags: EINVAL");
	ok_eq(tp_attach(in, "sched", (const char *)8, 0), -EFAULT,
	      "refusals: a bad name pointer: EFAULT");
	ok_eq(tp_attach(sock, "sched", "sched_process_exec", 0), -EINVAL,
	      "refusals: a socket filter on a tracepoint: EINVAL");
	ok_eq(tp_attach(raw_ok, "sched", "sched_process_exec", 0), -EINVAL,
	      "refusals: a raw tracepoint program on a tracepoint: EINVAL");
	ok_eq(tp_attach(9999, "sched", "sched_process_exec", 0), -EBADF,
	      "refusals: a closed fd: EBADF");
	ok_eq(attach_without_perfmon(in, 0), 0, "refusals: tracepoint without CAP_PERFMON: EPERM");

	/* sched_process_exec passes 3 arguments, sys_enter 2. */
	if (access(VMLINUX_BTF, R_OK)) {
		ok_eq(raw_tp_open(raw_past, "sched_process_exec"), -EOPNOTSUPP,
		      "refusals: a raw tracepoint without the kernel's BTF: EOPNOTSUPP");
		tap_skip("no " VMLINUX_BTF, "refusals: raw tracepoint argument counts");
	} else {
		l = raw_tp_open(raw_past, "sched_process_exec");
		ok(l >= 0, "refusals: args[2] read on 3-argument sched_process_exec attaches (%ld)",
		   l);
		if (l >= 0)
			close(l);
		ok_eq(raw_tp_open(raw_past, "sys_enter"), -EINVAL,
		      "refusals: args[2] read on 2-argument sys_enter: EINVAL");
	}
	ok_eq(raw_tp_open(raw_ok, "no_such_tracepoint"), -ENOENT,
	      "refusals: unknown raw tracepoint: ENOENT");
	ok_eq(raw_tp_open(in, "sys_enter"), -EINVAL,
	      "refusals: a tracepoint program on a raw tracepoint: EINVAL");
	ok_eq(attach_without_perfmon(raw_ok, 1), 0,
	      "refusals: raw tracepoint without CAP_PERFMON: EPERM");
out:
	if (in >= 0)
		close(in);
	if (past >= 0)
		close(past);
	if (raw_ok >= 0)
		close(raw_ok);
	if (raw_past >= 0)
		close(raw_past);
	if (sock >= 0)
		close(sock);
}

int main(int argc, char **argv)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };
	long fd;

	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return 0;
	objs_init();
	fd = prog_load_log(BPF_PROG_TYPE_TRACEPOINT, p, NINSNS(p), NULL, NULL, 0);
	if (fd < 0) {
		printf("1..0 # SKIP no tracepoint programs (%ld)\n", fd);
		return 0;
	}
	close(fd);
	if (!realpath("/proc/self/exe", self)) {
		printf("Bail out! no /proc/self/exe\n");
		return 1;
	}
	tap_plan(0);
	test_exec_count();
	if (access(VMLINUX_BTF, R_OK)) {
		tap_skip("no " VMLINUX_BTF, "raw sys_enter and raw exec");
	} else {
		test_raw_sys_enter();
		test_raw_exec();
	}
	test_refusals();
	ok(live_zero(), "nothing left");
	return tap_done();
}
