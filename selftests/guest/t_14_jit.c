// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT inside the module: programs are JITed into the module's text
 * arena by default and give the interpreter's results; jit_enable=0 turns
 * it off, jit_harden=2 blinds constants out of the image, the image shows
 * in OBJ_GET_INFO_BY_FD, arena memory is reused after release, and a full
 * arena falls back to the interpreter and counts it in jit_fallbacks.
 */
#include "objs.h"
#include "sys.h"

#define PARAM(name)	"/sys/module/bpfdev/parameters/" name
#define MARK		0x5a5a1234	/* an immediate to look for in the image */

/* n from "name=n" in jit_fallbacks, or -1 */
static long fallbacks(const char *name)
{
	char buf[256], *p;

	if (sys_read(PARAM("jit_fallbacks"), buf, sizeof(buf)))
		return -1;
	p = strstr(buf, name);
	if (!p || p[strlen(name)] != '=')
		return -1;
	return strtol(p + strlen(name) + 1, NULL, 10);
}

/* The JIT image of fd: its length, bytes into img (up to size). */
static long jited(int fd, unsigned char *img, __u32 size)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	info.jited_prog_len = img ? size : 0;
	info.jited_prog_insns = (uintptr_t)img;
	if (obj_info(fd, &info, &len))
		return -1;
	return info.jited_prog_len;
}

/*
 * LD_ABS, ALU32/64, division, stack, a 64-bit constant: returns
 * f(ethertype, protocol) computed below as the engines must.
 */
static const struct bpf_insn mix[] = {
	MOV64_REG(6, 1),
	I(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 12),
	MOV64_REG(7, 0),
	I(BPF_LD | BPF_ABS | BPF_B, 0, 0, 0, 23),
	ALU64_IMM(BPF_LSH, 7, 8),
	ALU64_REG(BPF_OR, 7, 0),
	I(BPF_LD | BPF_DW | BPF_IMM, 8, 0, 0, MARK), I(0, 0, 0, 0, 0x11),
	ALU64_REG(BPF_XOR, 7, 8),
	STX_MEM(BPF_DW, 10, 7, -8),
	MOV64_REG(0, 7),
	ALU64_IMM(BPF_DIV, 0, 7),
	I(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 0, 1000003),
	LDX_MEM(BPF_DW, 1, 10, -8),
	ALU64_REG(BPF_ADD, 0, 1),
	I(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 32),
	EXIT(),
};

static __u32 mix_expected(void)
{
	__u64 r7 = ((__u64)0x0800 << 8) | 17;
	__u64 r0;

	r7 ^= 0x11ULL << 32 | MARK;
	r0 = (__u32)(r7 / 7) % 1000003;
	r0 += r7;
	return __builtin_bswap32((__u32)r0);
}

static int image_has_mark(const unsigned char *img, long len)
{
	static const unsigned char m[4] = { 0x34, 0x12, 0x5a, 0x5a };
	long i;

	for (i = 0; i + 4 <= len; i++)
		if (!memcmp(img + i, m, 4))
			return 1;
	return 0;
}

static void test_default_and_params(void)
{
	static unsigned char img[4096];
	__u32 want = mix_expected(), ret = 0;
	char v[64] = "";
	long fd, len, err;

	ok(sys_read(PARAM("jit_enable"), v, sizeof(v)) == 0 && !strcmp(v, "1"),
	   "jit_enable defaults to 1 (%s)", v);
	ok(sys_read(PARAM("jit_harden"), v, sizeof(v)) == 0 && !strcmp(v, "1"),
	   "jit_harden defaults to 1: blind unprivileged loads (%s)", v);
	ok(fallbacks("nomem") >= 0 && fallbacks("disabled") >= 0,
	   "jit_fallbacks lists the reasons");
	ok(sys_read(PARAM("jit_arena"), v, sizeof(v)) == 0 && strstr(v, "size=4194304"),
	   "jit_arena shows the arena: %s", v);

	fd = prog_load(mix, NINSNS(mix));
	if (!ok(fd >= 0, "load the mixed program (%ld)", fd))
		return;
	len = jited(fd, img, sizeof(img));
	ok(len > 16 && len <= (long)sizeof(img), "it is JITed: %ld bytes of image", len);
	ok(len > 4 && !memcmp(img, "\xf3\x0f\x1e\xfa", 4),
	   "the image starts with endbr64 (jited_prog_insns)");
	ok(len > 0 && image_has_mark(img, len), "unblinded, the constant is in the image");
	err = prog_run(fd, 1, &ret, NULL);
	ok(err == 0 && ret == want, "JIT result 0x%x, want 0x%x (%ld)", ret, want, err);
	close(fd);

	/* jit_enable=0: interpreted, same result, counted */
	{
		long before = fallbacks("disabled");

		ok_eq(sys_write(PARAM("jit_enable"), "0"), 0, "set jit_enable=0");
		fd = prog_load(mix, NINSNS(mix));
		ok(fd >= 0 && jited(fd, NULL, 0) == 0, "with jit_enable=0 it is not JITed");
		ok(fd >= 0 && prog_run(fd, 1, &ret, NULL) == 0 && ret == want,
		   "interpreter result 0x%x, want 0x%x", ret, want);
		ok(fallbacks("disabled") == before + 1, "jit_fallbacks counts it as disabled");
		if (fd >= 0)
			close(fd);
		ok_eq(sys_write(PARAM("jit_enable"), "1"), 0, "set jit_enable=1 again");
	}

	/* jit_harden=2: blinded, same result */
	ok_eq(sys_write(PARAM("jit_harden"), "2"), 0, "set jit_harden=2");
	fd = prog_load(mix, NINSNS(mix));
	len = fd >= 0 ? jited(fd, img, sizeof(img)) : -1;
	ok(len > 16 && !image_has_mark(img, len),
	   "blinded: JITed (%ld bytes) without the constant in the image", len);
	ok(fd >= 0 && prog_run(fd, 1, &ret, NULL) == 0 && ret == want,
	   "blinded result 0x%x, want 0x%x", ret, want);
	if (fd >= 0)
		close(fd);
	ok_eq(sys_write(PARAM("jit_harden"), "1"), 0, "set jit_harden=1 again");
}

/* Load, run, close many times: the arena is freed and reused. */
static void test_reuse(void)
{
	__u32 want = mix_expected(), ret;
	int i, bad = 0, unjited = 0;

	for (i = 0; i < 300; i++) {
		long fd = prog_load(mix, NINSNS(mix));

		if (fd < 0) {
			bad++;
			continue;
		}
		if (jited(fd, NULL, 0) <= 0)
			unjited++;
		if (prog_run(fd, 1, &ret, NULL) || ret != want)
			bad++;
		close(fd);
	}
	ok(!bad && !unjited, "300 load/run/close cycles: %d wrong, %d not JITed", bad, unjited);
}

#define BIG_INSNS	40000
#define BIG_PROGS	40

/*
 * 40,000 "r0 += 1" (4 bytes each in the image): 26 such programs fill the
 * 4 MiB arena; the next ones run interpreted, counted as nomem.
 */
static void test_full_arena(void)
{
	static struct bpf_insn big[BIG_INSNS + 2];
	long fds[BIG_PROGS], before = fallbacks("nomem");
	int i, n = 0, interp = -1, bad = 0, tries;
	__u32 ret;

	big[0] = MOV64_IMM(0, 0);
	for (i = 1; i <= BIG_INSNS; i++)
		big[i] = ALU64_IMM(BPF_ADD, 0, 1);
	big[BIG_INSNS + 1] = EXIT();
	for (i = 0; i < BIG_PROGS; i++) {
		fds[n] = prog_load(big, NINSNS(big));
		if (fds[n] < 0)
			break;
		if (prog_run(fds[n], 1, &ret, NULL) || ret != BIG_INSNS)
			bad++;
		if (jited(fds[n], NULL, 0) == 0) {
			interp = n++;
			break;
		}
		n++;
	}
	if (!ok(n > 0, "big programs load (%d)", n))
		return;
	ok(interp >= 0, "the arena fills: program %d runs interpreted", interp);
	ok(!bad, "every big program returns %d, JITed or not", BIG_INSNS);
	ok(fallbacks("nomem") > before, "jit_fallbacks counts nomem (%ld -> %ld)",
	   before, fallbacks("nomem"));
	for (i = 0; i < n; i++)
		close(fds[i]);
	/* release is deferred past an RCU grace period: retry a while */
	for (tries = 0; tries < 50; tries++) {
		long fd = prog_load(big, NINSNS(big));
		long len = fd >= 0 ? jited(fd, NULL, 0) : -1;

		if (fd >= 0)
			close(fd);
		if (len > 0)
			break;
		usleep(100000);
	}
	ok(tries < 50, "after release the arena has room again (%d retries)", tries);
}

int main(void)
{
	objs_init();
	if (access(PARAM("jit_enable"), F_OK)) {
		printf("1..0 # SKIP no jit_enable parameter\n");
		return 0;
	}
	tap_plan(0);
	test_default_and_params();
	test_reuse();
	test_full_arena();
	return tap_done();
}
