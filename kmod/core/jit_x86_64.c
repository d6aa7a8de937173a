// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 JIT (placeholder while the emitter lands: every program runs
 * interpreted).
 */

#include "code.h"
#include "jit.h"

enum bpfdev_jit_fallback bpfdev_jit_fallback_reason(int err)
{
	switch (err) {
	case -ENOMEM:
		return BPFDEV_JIT_FB_NOMEM;
	case -EOPNOTSUPP:
		return BPFDEV_JIT_FB_UNSUPPORTED;
	case -E2BIG:
		return BPFDEV_JIT_FB_TOO_BIG;
	default:
		return BPFDEV_JIT_FB_INVALID;
	}
}

const char *bpfdev_jit_fallback_name(enum bpfdev_jit_fallback reason)
{
	static const char * const names[BPFDEV_JIT_FB_NR] = {
		[BPFDEV_JIT_FB_DISABLED] = "disabled",
		[BPFDEV_JIT_FB_NOMEM] = "nomem",
		[BPFDEV_JIT_FB_UNSUPPORTED] = "unsupported",
		[BPFDEV_JIT_FB_INVALID] = "invalid",
		[BPFDEV_JIT_FB_TOO_BIG] = "too_big",
	};

	return reason < BPFDEV_JIT_FB_NR ? names[reason] : "unknown";
}

int bpfdev_jit_compile(struct bpfdev_code *code, u32 flags)
{
	return -EOPNOTSUPP;
}

void bpfdev_jit_free(struct bpfdev_code *code)
{
	if (!code->jit_image)
		return;
	bpfdev_jit_mem_free(code->jit_image, code->jit_len);
	code->jit_image = NULL;
	code->jited = NULL;
	code->jit_len = 0;
}
