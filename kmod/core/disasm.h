/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eBPF disassembler: instructions printed exactly as the kernel's
 * verifier log and `bpftool prog dump xlated` print them (kernel/bpf/
 * disasm.c print_bpf_insn()), e.g. "(61) r0 = *(u32 *)(r1 +4)", with the
 * v4 forms of newer kernels ("r1 = (s8)r2", "r0 s/= r1", "gotol pc+3").
 */
#ifndef BPFDEV_CORE_DISASM_H
#define BPFDEV_CORE_DISASM_H

#include "platform.h"

struct bpf_insn;
struct bpfdev_log;

/*
 * Writes insns[0] as "(b7) r0 = 0" (no index, no newline) into buf and
 * returns how many slots it spans: 2 for a whole LD_IMM64, else 1.  left
 * is how many slots remain from insns[0]: a truncated LD_IMM64 prints as
 * the kernel's BUG form instead of reading past the end.
 */
u32 bpfdev_disasm_insn(const struct bpf_insn *insns, u32 left, char *buf,
		       size_t size);

/* The verifier log's line for insns[idx]: "12: (b7) r0 = 0\n". */
u32 bpfdev_disasm_log(struct bpfdev_log *log, const struct bpf_insn *insns,
		      u32 len, u32 idx);

#endif /* BPFDEV_CORE_DISASM_H */
