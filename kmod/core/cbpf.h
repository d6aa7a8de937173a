/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classic BPF (struct sock_filter): the kernel's classic checker, the
 * conversion to eBPF that lets the one eBPF engine run it, and libpcap's
 * text forms of a program (tcpdump -d, -dd, -ddd).
 *
 * Converted programs use the kernel's register mapping: A is R0, X is R7,
 * R6 holds the context (struct bpfdev_skb), R8 is scratch, and M[k] lives
 * on the stack at R10 - (4 * k + 4).  They are trusted, as the kernel
 * trusts converted socket filters: the classic checker is their proof.
 *
 * Where Linux differs from libpcap's userspace bpf_filter(), bpfdev is
 * Linux: a backward jump (libpcap's protochain loop) is refused, shifts
 * by X take X modulo 32, ld [k] with SKF_NET_OFF / SKF_LL_OFF reads from
 * the network or link-layer header, SKF_AD_* offsets are ancillary data
 * (SKF_AD_NLATTR and _NEST give 0: a packet holds no netlink message).
 * A load past the packet or a division by X == 0 ends the program with 0
 * in both.
 */
#ifndef BPFDEV_CORE_CBPF_H
#define BPFDEV_CORE_CBPF_H

#include "code.h"

#define BPFDEV_CBPF_MAXINSNS	BPF_MAXINSNS	/* 4096 */
#define BPFDEV_CBPF_MEMWORDS	BPF_MEMWORDS	/* 16 */

/* eBPF registers of a converted program. */
#define BPFDEV_CBPF_REG_A	BPF_REG_0
#define BPFDEV_CBPF_REG_X	BPF_REG_7
#define BPFDEV_CBPF_REG_TMP	BPF_REG_8
#define BPFDEV_CBPF_REG_CTX	BPF_REG_6

/* An error message names the instruction: "insn 3: jump out of range". */
#define BPFDEV_CBPF_MSG_SIZE	128

/*
 * Check a classic program as the kernel's bpf_check_classic() does.
 * Returns 0 or -EINVAL; msg (may be NULL) then says why and where.
 */
int bpfdev_cbpf_validate(const struct sock_filter *prog, u32 len,
			 char *msg, size_t msg_size);

/* Whether k of a BPF_LD | BPF_ABS is a Linux ancillary load bpfdev knows. */
bool bpfdev_cbpf_ancillary_known(u32 k);

/*
 * eBPF instructions bpfdev_cbpf_convert() emits for a validated program, or
 * -EINVAL if some jump does not fit an eBPF offset.
 */
int bpfdev_cbpf_convert_len(const struct sock_filter *prog, u32 len);

/*
 * Convert a validated program into out[0 .. out_len).  Returns the number
 * of instructions written and sets *stack_depth to the bytes of stack the
 * scratch memory needs; -EINVAL or -ENOSPC on failure.
 */
int bpfdev_cbpf_convert(const struct sock_filter *prog, u32 len,
			struct bpf_insn *out, u32 out_len, u32 *stack_depth);

/*
 * Validate and convert into code (insns allocated here, freed by
 * bpfdev_cbpf_release()); code->env is left to the caller.
 */
int bpfdev_cbpf_load(const struct sock_filter *prog, u32 len,
		     struct bpfdev_code *code, char *msg, size_t msg_size);
void bpfdev_cbpf_release(struct bpfdev_code *code);

/*
 * Offer the helpers converted programs call (get_smp_processor_id,
 * get_prandom_u32, the private skb_pay_offset) in env slots still empty.
 */
void bpfdev_cbpf_env_init(struct bpfdev_env *env);

/* One instruction as libpcap's bpf_image() prints it (no newline). */
int bpfdev_cbpf_image(const struct sock_filter *insn, u32 n,
		      char *buf, size_t size);

/*
 * The whole program as libpcap's bpf_dump(prog, option) prints it:
 * option 1 is tcpdump -d, 2 is -dd, 3 (or more) is -ddd.  Returns the
 * length of the full text, like snprintf(); buf holds what fits.
 */
int bpfdev_cbpf_dump(const struct sock_filter *prog, u32 len, int option,
		     char *buf, size_t size);

#endif /* BPFDEV_CORE_CBPF_H */
