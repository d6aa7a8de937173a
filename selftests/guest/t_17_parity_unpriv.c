// SPDX-License-Identifier: GPL-2.0
/*
 * Unprivileged eBPF on both sides (issue 15): with the guest kernel's
 * kernel.unprivileged_bpf_disabled=0 and bpfdev's unprivileged_bpf_disabled=0,
 * a caller with no capability at all loads the same programs through the
 * kernel's bpf(2) and through /dev/bpf.  Each row is named after the
 * kernel's rule (the Spectre mitigations of 6.1's verifier, the pointer
 * rules, what an unprivileged caller may create) and both sides must give
 * the row's verdict and errno; accepted programs must run to the same
 * result.  Root's side too: what 6.1 accepts from CAP_PERFMON callers
 * (stack never written, narrow context loads, skb->sk, 32-bit bounds from
 * a 64-bit comparison) both sides accept.  Then the parameter's own
 * semantics: 2 and 1 refuse, 1 locks.
 *
 * The caller drops only its effective capabilities, so it can take them
 * back to restore the settings; uid 0 still owns /dev/bpf, so it opens.
 */

#include <stddef.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "objs.h"
#include "sys.h"

#define KSYSCTL	"/proc/sys/kernel/unprivileged_bpf_disabled"
#define PARAM	"/sys/module/bpfdev/parameters/unprivileged_bpf_disabled"

static struct __user_cap_data_struct caps[2];

static int caps_effective(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memcpy(d, caps, sizeof(d));
	if (!on) {
		d[0].effective = 0;
		d[1].effective = 0;
	}
	return syscall(SYS_capset, &h, d);
}

struct side {
	int kernel;
	int map;		/* an array map, key 4, value 48, 4 entries */
};

static long call(const struct side *s, unsigned int cmd, union bpf_attr *a)
{
	long r;

	if (!s->kernel)
		return sys(cmd, a);
	r = syscall(__NR_bpf, cmd, a, sizeof(*a));
	return r < 0 ? -errno : r;
}

static long create(const struct side *s, __u32 type, __u32 ksz, __u32 vsz, __u32 max)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ksz;
	a.value_size = vsz;
	a.max_entries = max;
	if (type == BPF_MAP_TYPE_LPM_TRIE)
		a.map_flags = BPF_F_NO_PREALLOC;
	return call(s, BPF_MAP_CREATE, &a);
}

static char logbuf[65536];

/* Loads insns (MAP stands for the side's map fd): fd or -errno. */
#define MAP	0x7eadbeef
static long load(const struct side *s, __u32 type, const struct bpf_insn *in, __u32 cnt)
{
	static struct bpf_insn insns[5000];
	union bpf_attr a;
	__u32 i;

	for (i = 0; i < cnt && i < 5000; i++) {
		insns[i] = in[i];
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) && insns[i].imm == MAP)
			insns[i].imm = s->map;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uintptr_t)"GPL";
	a.log_buf = (uintptr_t)logbuf;
	a.log_size = sizeof(logbuf);
	a.log_level = 1;
	logbuf[0] = 0;
	return call(s, BPF_PROG_LOAD, &a);
}

static long run(const struct side *s, int fd, __u32 *retval)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)test_pkt;
	a.test.data_size_in = sizeof(test_pkt);
	r = call(s, BPF_PROG_TEST_RUN, &a);
	*retval = a.test.retval;
	return r;
}

#define LOOKUP								\
	ST_MEM(BPF_DW, 10, -8, 0),					\
	MOV64_REG(2, 10),						\
	ALU64_IMM(BPF_ADD, 2, -8),					\
	LD_MAP_FD(1, MAP),						\
	CALL(BPF_FUNC_map_lookup_elem),					\
	JMP_IMM(BPF_JNE, 0, 0, 2),					\
	MOV64_IMM(0, 0),						\
	EXIT()

struct row {
	const char *name;
	struct bpf_insn insns[32];
	const char *errstr;	/* NULL: accepted, and run to r0 0 */
};

static const struct row rows[] = {
{ "sanitize_speculative_path: the dead side of a known branch is verified",
  { LOOKUP, MOV64_IMM(1, 0), JMP_IMM(BPF_JNE, 1, 0, 2), MOV64_IMM(0, 0), EXIT(),
    LDX_MEM(BPF_B, 0, 0, 100), EXIT() },
  "invalid access to map value, value_size=48 off=100 size=1" },
{ "sanitize_dead_code: a branch only speculation takes is accepted",
  { MOV64_IMM(0, 0), MOV64_IMM(1, 0), JMP_IMM(BPF_JEQ, 1, 0, 1), MOV64_IMM(0, 2), EXIT() } },
{ "alu_limit: map value += bounded scalar",
  { LOOKUP, LDX_MEM(BPF_B, 1, 0, 0), ALU64_IMM(BPF_AND, 1, 7), ALU64_REG(BPF_ADD, 0, 1),
    LDX_MEM(BPF_B, 0, 0, 0), EXIT() } },
{ "alu_limit: scalar += map value",
  { LOOKUP, LDX_MEM(BPF_B, 1, 0, 0), ALU64_IMM(BPF_AND, 1, 7), ALU64_REG(BPF_ADD, 1, 0),
    LDX_MEM(BPF_B, 0, 1, 0), EXIT() } },
{ "sanitize_ptr_alu: the masked offset is simulated on a speculative path",
  { LOOKUP, LDX_MEM(BPF_B, 2, 0, 0), ALU64_IMM(BPF_AND, 2, 7), ALU64_IMM(BPF_ADD, 2, 8),
    ALU64_REG(BPF_ADD, 0, 2), LDX_MEM(BPF_B, 1, 0, 0), ALU64_IMM(BPF_AND, 1, 7),
    ALU64_REG(BPF_SUB, 0, 1), LDX_MEM(BPF_B, 0, 0, 0), EXIT() },
  "R0 pointer arithmetic of map value goes out of range, prohibited for !root" },
{ "REASON_PATHS: tried to add from different maps, paths or scalars",
  { LOOKUP, LDX_MEM(BPF_B, 1, 0, 0), MOV64_IMM(2, 1), JMP_IMM(BPF_JNE, 1, 0, 1),
    MOV64_IMM(2, 2), ALU64_REG(BPF_ADD, 0, 2), LDX_MEM(BPF_B, 0, 0, 0), EXIT() },
  "R0 tried to add from different maps, paths or scalars, pointer arithmetic with it prohibited for !root" },
{ "REASON_BOUNDS: unknown scalar with mixed signed bounds",
  { LOOKUP, LDX_MEM(BPF_B, 1, 0, 0), ALU64_IMM(BPF_AND, 1, 15), ALU64_IMM(BPF_SUB, 1, 8),
    ALU64_REG(BPF_ADD, 0, 1), MOV64_IMM(0, 0), EXIT() },
  "R1 has unknown scalar with mixed signed bounds, pointer arithmetic with it prohibited for !root" },
{ "REASON_TYPE: pointer with unsupported alu operation",
  { LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, len)), ALU64_IMM(BPF_AND, 2, 4),
    ALU64_REG(BPF_ADD, 1, 2), MOV64_IMM(0, 0), EXIT() },
  "R1 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root" },
{ "sanitize_check_bounds: pointer arithmetic of map value goes out of range",
  { LOOKUP, ALU64_IMM(BPF_ADD, 0, 48), MOV64_IMM(0, 0), EXIT() },
  "R0 pointer arithmetic of map value goes out of range, prohibited for !root" },
{ "sanitize_check_bounds: stack pointer arithmetic goes out of range",
  { MOV64_REG(1, 10), ALU64_IMM(BPF_ADD, 1, 8), MOV64_IMM(0, 0), EXIT() },
  "R1 stack pointer arithmetic goes out of range, prohibited for !root; off=8" },
{ "pointer comparison prohibited",
  { MOV64_IMM(0, 0), I(BPF_JMP | BPF_JGT | BPF_X, 1, 10, 0, 0), EXIT() },
  "R10 pointer comparison prohibited" },
{ "R1 pointer arithmetic on map_ptr prohibited",
  { LD_MAP_FD(1, MAP), ALU64_IMM(BPF_ADD, 1, 8), MOV64_IMM(0, 0), EXIT() },
  "R1 pointer arithmetic on map_ptr prohibited" },
{ "R0 leaks addr as return value",
  { MOV64_REG(0, 10), EXIT() },
  "R0 leaks addr as return value" },
{ "sanitize_stack_spill: a spilled pointer",
  { STX_MEM(BPF_DW, 10, 1, -8), MOV64_IMM(0, 0), EXIT() } },
{ "sanitize_stack_spill: data over a spilled pointer",
  { STX_MEM(BPF_DW, 10, 1, -8), ST_MEM(BPF_DW, 10, -8, 0), LDX_MEM(BPF_DW, 0, 10, -8), EXIT() } },
};

/*
 * Root's rows: accepted by both (dev_refuses: a documented difference,
 * bpfdev refuses what the kernel accepts); same_result: both test runs
 * must return the same r0.
 */
struct root_row {
	const char *name;
	struct bpf_insn insns[32];
	int same_result;
	const char *dev_refuses;
};

static const struct root_row root_rows[] = {
{ "allow_uninit_stack: a load of stack never written",
  { LDX_MEM(BPF_DW, 0, 10, -8), MOV64_IMM(0, 0), EXIT() }, 1 },
{ "allow_uninit_stack: a helper reads a key never written",
  { MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -8), LD_MAP_FD(1, MAP),
    CALL(BPF_FUNC_map_lookup_elem), MOV64_IMM(0, 0), EXIT() }, 1 },
{ "allow_uninit_stack: a variable-offset write over stack never written",
  { LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, len)), ALU64_IMM(BPF_AND, 2, 8),
    ALU64_IMM(BPF_SUB, 2, 16), ALU64_REG(BPF_ADD, 2, 10), ST_MEM(BPF_DW, 2, 0, 1),
    MOV64_IMM(0, 0), EXIT() }, 1 },
{ "bpf_ctx_narrow_access_ok: a byte load of skb->hash + 1",
  { LDX_MEM(BPF_B, 0, 1, offsetof(struct __sk_buff, hash) + 1), EXIT() }, 1 },
{ "bpf_ctx_narrow_access_ok: a half-word load of skb->len + 2",
  { LDX_MEM(BPF_H, 0, 1, offsetof(struct __sk_buff, len) + 2), EXIT() }, 1 },
/* the kernel's test run has a dummy socket there; bpfdev's packets none */
{ "__sk_buff.sk: PTR_TO_SOCK_COMMON_OR_NULL, null-checked",
  { LDX_MEM(BPF_DW, 1, 1, offsetof(struct __sk_buff, sk)), MOV64_IMM(0, 1),
    JMP_IMM(BPF_JNE, 1, 0, 1), MOV64_IMM(0, 2), EXIT() }, 0 },
{ "__sk_buff.sk: a sock_common field read (bpfdev: documented difference)",
  { LDX_MEM(BPF_DW, 1, 1, offsetof(struct __sk_buff, sk)), MOV64_IMM(0, 0),
    JMP_IMM(BPF_JEQ, 1, 0, 1), LDX_MEM(BPF_W, 0, 1, 0), EXIT() }, 0,
  "R1 invalid mem access" },
{ "__reg_combine_64_into_32: a 64-bit range from 0 bounds the 32-bit one",
  { LOOKUP, LDX_MEM(BPF_DW, 1, 0, 0), JMP_IMM(BPF_JGT, 1, 10, 4),
    I(BPF_JMP32 | BPF_JGT | BPF_K, 1, 0, 2, 12), MOV64_IMM(0, 0), EXIT(),
    LDX_MEM(BPF_DW, 0, 0, 100), MOV64_IMM(0, 0), EXIT() }, 1 },
{ "__reg_combine_64_into_32: a bad register on a path proven dead",
  { LOOKUP, LDX_MEM(BPF_DW, 1, 0, 0), JMP_IMM(BPF_JGT, 1, 10, 3),
    I(BPF_JMP32 | BPF_JGT | BPF_K, 1, 0, 1, 12), MOV64_IMM(7, 0), MOV64_REG(0, 7),
    EXIT() }, 0 },
};

static __u32 root_row_len(const struct root_row *r)
{
	__u32 n = 32;

	while (n && !r->insns[n - 1].code && !r->insns[n - 1].imm && !r->insns[n - 1].dst_reg)
		n--;
	return n;
}

static void root_rows_compare(const struct side *k, const struct side *d)
{
	unsigned int i;

	for (i = 0; i < sizeof(root_rows) / sizeof(root_rows[0]); i++) {
		const struct root_row *r = &root_rows[i];
		__u32 kret = 0, dret = 0;
		long kfd = load(k, BPF_PROG_TYPE_SOCKET_FILTER, r->insns, root_row_len(r));
		long dfd = load(d, BPF_PROG_TYPE_SOCKET_FILTER, r->insns, root_row_len(r));
		int dmsg = r->dev_refuses && strstr(logbuf, r->dev_refuses);

		if (r->dev_refuses) {
			ok(kfd >= 0 && dfd == -EACCES && dmsg,
			   "root: %s: bpf(2) %ld, /dev/bpf %ld", r->name, kfd < 0 ? kfd : 0,
			   dfd < 0 ? dfd : 0);
		} else {
			ok(kfd >= 0 && dfd >= 0, "root: %s: bpf(2) %ld, /dev/bpf %ld", r->name,
			   kfd < 0 ? kfd : 0, dfd < 0 ? dfd : 0);
			if (r->same_result && kfd >= 0 && dfd >= 0)
				ok(!run(k, kfd, &kret) && !run(d, dfd, &dret) && kret == dret,
				   "root: %s: the same result (%u, %u)", r->name, kret, dret);
		}
		if (kfd >= 0)
			close(kfd);
		if (dfd >= 0)
			close(dfd);
	}
}

static __u32 row_len(const struct row *r)
{
	__u32 n = 32;

	while (n && !r->insns[n - 1].code && !r->insns[n - 1].imm && !r->insns[n - 1].dst_reg)
		n--;
	return n;
}

/* Loads (and runs) one row on one side: 0 accepted and ran to 0, or -errno. */
static long row_side(const struct side *s, const struct row *r, int *msg)
{
	__u32 retval = ~0U;
	long fd = load(s, BPF_PROG_TYPE_SOCKET_FILTER, r->insns, row_len(r));

	*msg = r->errstr && strstr(logbuf, r->errstr);
	if (fd < 0)
		return fd;
	if (run(s, fd, &retval) || retval) {
		close(fd);
		return -ERANGE;
	}
	close(fd);
	return 0;
}

static void rows_compare(const struct side *k, const struct side *d)
{
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		int kmsg, dmsg;
		long kr = row_side(k, r, &kmsg);
		long dr = row_side(d, r, &dmsg);
		long want = r->errstr ? -EACCES : 0;

		if (!ok(kr == want && dr == want, "%s: bpf(2) %ld, /dev/bpf %ld", r->name, kr, dr))
			tap_diag("  want %ld", want);
		if (r->errstr)
			ok(kmsg && dmsg, "%s: both logs say it (bpf(2) %d, /dev/bpf %d)",
			   r->name, kmsg, dmsg);
	}
}

/* What a caller without CAP_BPF may create, and the limits of a load. */
static void creates_compare(const struct side *k, const struct side *d)
{
	static const struct { __u32 type, ksz, vsz; int allowed; const char *name; } maps[] = {
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 1, "array" },
		{ BPF_MAP_TYPE_HASH, 4, 8, 1, "hash" },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, "percpu array" },
		{ BPF_MAP_TYPE_LRU_HASH, 4, 8, 0, "lru hash" },
		{ BPF_MAP_TYPE_LPM_TRIE, 8, 8, 0, "lpm trie" },
	};
	static struct bpf_insn big[4097];
	struct bpf_insn one[] = { MOV64_IMM(0, 0), EXIT() };
	unsigned int i;
	long kr, dr;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		kr = create(k, maps[i].type, maps[i].ksz, maps[i].vsz, 4);
		dr = create(d, maps[i].type, maps[i].ksz, maps[i].vsz, 4);
		ok((kr >= 0) == maps[i].allowed && (dr >= 0) == maps[i].allowed &&
		   (maps[i].allowed || (kr == -EPERM && dr == -EPERM)),
		   "MAP_CREATE %s unprivileged: bpf(2) %ld, /dev/bpf %ld", maps[i].name,
		   kr < 0 ? kr : 0, dr < 0 ? dr : 0);
		if (kr >= 0)
			close(kr);
		if (dr >= 0)
			close(dr);
	}
	kr = load(k, BPF_PROG_TYPE_SCHED_CLS, one, 2);
	dr = load(d, BPF_PROG_TYPE_SCHED_CLS, one, 2);
	ok(kr == -EPERM && dr == -EPERM, "PROG_LOAD of a tc program unprivileged: EPERM (%ld, %ld)",
	   kr, dr);
	for (i = 0; i < 4096; i++)
		big[i] = MOV64_IMM(0, 0);
	big[4096] = EXIT();
	kr = load(k, BPF_PROG_TYPE_SOCKET_FILTER, big, 4097);
	dr = load(d, BPF_PROG_TYPE_SOCKET_FILTER, big, 4097);
	ok(kr == -E2BIG && dr == -E2BIG, "4,097 instructions unprivileged: E2BIG (%ld, %ld)",
	   kr, dr);
	if (kr >= 0)
		close(kr);
	if (dr >= 0)
		close(dr);
}

int main(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct side k = { .kernel = 1 }, d = { .kernel = 0 };
	char kold[16], dold[16];
	struct bpf_insn one[] = { MOV64_IMM(0, 0), EXIT() };
	long r;

	tap_plan(0);
	objs_init();
	if (!have_verifier())
		tap_bail("no verifier in this build");
	if (sys_read(PARAM, dold, sizeof(dold)) || !dold[0])
		tap_bail("no unprivileged_bpf_disabled parameter");
	ok(!strcmp(dold, "2"), "unprivileged_bpf_disabled defaults to 2 (%s)", dold);
	if (syscall(SYS_capget, &h, caps))
		tap_bail("capget: %s", strerror(errno));
	sys_read(KSYSCTL, kold, sizeof(kold));

	/* 2: refused on both sides, before anything else */
	ok(caps_effective(0) == 0, "effective capabilities dropped");
	r = load(&d, BPF_PROG_TYPE_SOCKET_FILTER, one, 2);
	ok(r == -EPERM, "disabled (2): PROG_LOAD EPERM (%ld)", r);
	r = create(&d, BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	ok(r == -EPERM, "disabled (2): MAP_CREATE EPERM (%ld)", r);
	caps_effective(1);

	ok(sys_write(PARAM, "3") == -EINVAL, "unprivileged_bpf_disabled=3 refused");
	k.map = create(&k, BPF_MAP_TYPE_ARRAY, 4, 48, 4);
	d.map = create(&d, BPF_MAP_TYPE_ARRAY, 4, 48, 4);
	if (k.map < 0 || d.map < 0)
		tap_bail("array maps: %d %d", k.map, d.map);
	root_rows_compare(&k, &d);
	if (sys_write(KSYSCTL, "0")) {
		tap_skip("kernel.unprivileged_bpf_disabled is locked", "parity rows");
		goto lock;
	}
	ok(sys_write(PARAM, "0") == 0, "unprivileged_bpf_disabled=0");

	caps_effective(0);
	rows_compare(&k, &d);
	creates_compare(&k, &d);
	caps_effective(1);
	sys_write(KSYSCTL, kold);
lock:
	close(k.map);
	close(d.map);
	/* 1 locks until the module is reloaded, as the sysctl does */
	ok(sys_write(PARAM, "1") == 0, "unprivileged_bpf_disabled=1");
	caps_effective(0);
	r = load(&d, BPF_PROG_TYPE_SOCKET_FILTER, one, 2);
	ok(r == -EPERM, "disabled (1): PROG_LOAD EPERM (%ld)", r);
	caps_effective(1);
	ok(sys_write(PARAM, "0") == -EPERM && sys_write(PARAM, "2") == -EPERM,
	   "1 is locked: 0 and 2 refused");
	return tap_done();
}
