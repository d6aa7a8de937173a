/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf_trace_printk() test programs, shared by the unit test that runs them
 * in bpfvm (test_printk_bpfvm.c) and the guest test that runs them in the
 * module and the guest kernel (t_18_printk.c): a socket filter that puts
 * the format (and a string argument) on its stack, loads the other
 * arguments into registers and calls the helper; and the read callbacks
 * the formatter (kmod/core/printk_fmt.h, included first) needs to print
 * the same arguments in the test itself (in the formatter's types, u64
 * and u32, from the engine's platform.h).
 */
#ifndef BPFDEV_TEST_PRINTK_PROGS_H
#define BPFDEV_TEST_PRINTK_PROGS_H

#include <string.h>
#include <linux/bpf.h>

/* Where the program puts the format and the string argument. */
#define PRINTK_FMT_OFF		(-256)
#define PRINTK_STR_OFF		(-128)

struct printk_case {
	const char *fmt;	/* one line, ending in \n */
	__u64 a[3];
	const char *str;	/* a[str_arg] points at it, on the stack */
	int str_arg;
	int kernel_only;	/* the formatter prints these differently */
};

static inline struct bpf_insn printk_insn(__u8 code, __u8 dst, __u8 src, __s16 off,
					  __s32 imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };
}

/* Stores len bytes of s at r10 + off, 8 at a time. */
static __u32 printk_store(struct bpf_insn *p, __u32 n, const char *s, __u32 len, int off)
{
	__u32 i;

	for (i = 0; i < len; i += 8) {
		__u64 v = 0;

		memcpy(&v, s + i, len - i < 8 ? len - i : 8);
		p[n++] = printk_insn(BPF_LD | BPF_DW | BPF_IMM, 1, 0, 0, (__u32)v);
		p[n++] = printk_insn(0, 0, 0, 0, (__u32)(v >> 32));
		p[n++] = printk_insn(BPF_STX | BPF_MEM | BPF_DW, 10, 1, off + i, 0);
	}
	return n;
}

/* The program for c, at most 128 instructions; returns its length. */
static __u32 printk_build(struct bpf_insn *p, const struct printk_case *c)
{
	__u32 flen = strlen(c->fmt) + 1, n = 0, r;

	n = printk_store(p, n, c->fmt, flen, PRINTK_FMT_OFF);
	if (c->str)
		n = printk_store(p, n, c->str, strlen(c->str) + 1, PRINTK_STR_OFF);
	for (r = 0; r < 3; r++) {
		if (c->str && c->str_arg == (int)r) {
			p[n++] = printk_insn(BPF_ALU64 | BPF_MOV | BPF_X, 3 + r, 10, 0, 0);
			p[n++] = printk_insn(BPF_ALU64 | BPF_ADD | BPF_K, 3 + r, 0, 0,
					     PRINTK_STR_OFF);
			continue;
		}
		p[n++] = printk_insn(BPF_LD | BPF_DW | BPF_IMM, 3 + r, 0, 0, (__u32)c->a[r]);
		p[n++] = printk_insn(0, 0, 0, 0, (__u32)(c->a[r] >> 32));
	}
	p[n++] = printk_insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0);
	p[n++] = printk_insn(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, PRINTK_FMT_OFF);
	p[n++] = printk_insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, flen);
	p[n++] = printk_insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_trace_printk);
	p[n++] = printk_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

/* The formatter's reads: this process's memory; the first page faults. */
static long printk_read_str(char *dst, u64 addr, u32 size, char kind)
{
	const char *src = (const char *)(uintptr_t)addr;
	u32 i;

	if (addr < 4096) {
		dst[0] = 0;
		return -EFAULT;
	}
	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i + 1;
	}
	dst[size - 1] = 0;
	return size;
}

static int printk_read(void *dst, u64 addr, u32 size)
{
	if (addr < 4096)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)addr, size);
	return 0;
}

static const struct bpfdev_printk_ops printk_test_ops = {
	.read_str = printk_read_str, .read = printk_read,
};

#endif /* BPFDEV_TEST_PRINTK_PROGS_H */
