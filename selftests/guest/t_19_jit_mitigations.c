// SPDX-License-Identifier: GPL-2.0
/*
 * The JIT keeps the host kernel's branch mitigations on every kernel:
 *   - where the kernel has return thunks (CONFIG_RETHUNK, renamed
 *     CONFIG_MITIGATION_RETHUNK in 6.9), images return through one, never
 *     with a bare "leave; ret";
 *   - where it has retpolines (CONFIG_RETPOLINE, CONFIG_MITIGATION_RETPOLINE
 *     since 6.9), the tail call's indirect jump goes through the thunk,
 *     never a bare "jmp r11";
 *   - under IBT (6.12's Debian kernel) the tail call's target, entry + 6,
 *     is an endbr64, as the kernel's X86_TAIL_CALL_OFFSET is.
 * Which mitigations the kernel has is read from /proc/kallsyms: the thunk
 * symbols exist exactly when the options are on.
 */
#include <stdio.h>

#include "objs.h"

static int have_symbol(const char *name)
{
	char line[256], sym[200];
	FILE *f = fopen("/proc/kallsyms", "r");
	int found = 0;

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %199s", sym) == 1 && !strcmp(sym, name);
	fclose(f);
	return found;
}

static long jited(int fd, unsigned char *img, __u32 size)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	info.jited_prog_len = size;
	info.jited_prog_insns = (uintptr_t)img;
	if (obj_info(fd, &info, &len))
		return -1;
	return info.jited_prog_len;
}

static int has_bytes(const unsigned char *img, long len, const char *b, long n)
{
	long i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(img + i, b, n))
			return 1;
	return 0;
}

int main(void)
{
	static const struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	static unsigned char img[4096];
	int rethunk = have_symbol("__x86_return_thunk");
	int retpoline = have_symbol("__x86_indirect_thunk_r11");
	long fd, map, len;

	tap_plan(5);
	objs_init();
	tap_diag("kernel: return thunk %d, retpoline %d", rethunk, retpoline);

	fd = prog_load(ret0, NINSNS(ret0));
	len = fd < 0 ? -1 : jited(fd, img, sizeof(img));
	ok(len > 10, "r0 = 0; exit is JITed (%ld bytes)", len);
	if (rethunk == 1)
		ok(len > 0 && !has_bytes(img, len, "\xc9\xc3", 2),
		   "the kernel has return thunks: no bare leave; ret in the image");
	else
		tap_skip("the kernel has no return thunk", "no bare leave; ret");
	if (fd >= 0)
		close(fd);

	map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0);
	{
		const struct bpf_insn tail[] = {
			LD_MAP_FD(2, map),
			MOV64_IMM(3, 0),
			CALL(BPF_FUNC_tail_call),
			MOV64_IMM(0, 1),
			EXIT(),
		};

		fd = map < 0 ? -1 : prog_load(tail, NINSNS(tail));
	}
	len = fd < 0 ? -1 : jited(fd, img, sizeof(img));
	ok(len > 10, "a program with a tail call is JITed (%ld bytes, map %ld)", len, map);
	if (retpoline == 1)
		ok(len > 0 && !has_bytes(img, len, "\x41\xff\xe3", 3),
		   "the kernel has retpolines: the tail call jumps through the thunk, no bare jmp r11");
	else
		tap_skip("the kernel has no retpoline", "no bare jmp r11");
	ok(len > 10 && !memcmp(img + 6, "\xf3\x0f\x1e\xfa", 4),
	   "the tail call target (entry + 6) is an endbr64, for IBT");
	if (fd >= 0)
		close(fd);
	if (map >= 0)
		close(map);
	return tap_done();
}
