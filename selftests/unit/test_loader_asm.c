// SPDX-License-Identifier: GPL-2.0
/*
 * The assembler (bpfdev_asm) against the disassembler (kmod/core/disasm.c):
 * disasm(asm(disasm(x))) == disasm(x) over the conformance suite's 313
 * programs and the clang-built examples (whose bytes must come back
 * exactly), plus labels, comments, prefixes and errors that name the line.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"
#include "libbpfdev.h"
#include "tap.h"

/* Text of a program, "N: (xx) ..." a line, as `bpfctl disasm` prints it. */
static char *disasm_all(const struct bpf_insn *insns, unsigned int cnt)
{
	size_t cap = 256 + cnt * 96, len = 0;
	char *text = malloc(cap), line[160];
	unsigned int i, n;

	text[0] = '\0';
	for (i = 0; i < cnt; i += n) {
		n = bpfdev_disasm_insn(&insns[i], cnt - i, line, sizeof(line));
		len += snprintf(text + len, cap - len, "%4u: %s\n", i, line);
	}
	return text;
}

/* disasm -> asm -> disasm; exact says the bytes must match as well. */
static bool round_trip(const struct bpf_insn *insns, unsigned int cnt, bool exact,
		       const char *what)
{
	char *t1 = disasm_all(insns, cnt), *t2 = NULL, err[256];
	struct bpf_insn *back = NULL;
	int n = bpfdev_asm(t1, &back, err, sizeof(err));
	bool good = n == (int)cnt;

	if (n < 0)
		tap_diag("%s: %s", what, err);
	if (good) {
		t2 = disasm_all(back, n);
		good = !strcmp(t1, t2);
		if (!good)
			tap_diag("%s: text differs:\n%s---\n%s", what, t1, t2);
	}
	if (good && exact && memcmp(back, insns, cnt * sizeof(*insns))) {
		tap_diag("%s: bytes differ", what);
		good = false;
	}
	free(t1);
	free(t2);
	free(back);
	return good;
}

static int unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;

	while (s[0] && s[1] && n < max) {
		unsigned int v;

		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = v;
		s += 2;
	}
	return n;
}

static void test_conformance(void)
{
	const char *shared = getenv("SHARED");
	char path[512], *line = NULL;
	size_t cap = 0;
	unsigned int progs = 0, bad = 0;
	unsigned char *bytes = malloc(1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/conformance/tests.jsonl",
		 shared && *shared ? shared : BPFDEV_TOP "/../shared");
	f = fopen(path, "r");
	if (!f) {
		tap_skip("no conformance suite", "conformance round trip (%s)", path);
		free(bytes);
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		char *p = strstr(line, "\"program_hex\":\""), *q;
		int n;

		if (!p)
			continue;
		p += strlen("\"program_hex\":\"");
		q = strchr(p, '"');
		if (!q)
			continue;
		*q = '\0';
		n = unhex(p, bytes, 1 << 20);
		if (n <= 0 || n % 8)
			continue;
		progs++;
		if (!round_trip((const void *)bytes, n / 8, false, "conformance"))
			bad++;
	}
	fclose(f);
	free(line);
	free(bytes);
	ok(progs >= 300 && !bad, "conformance: %u programs round-trip through text, %u failed",
	   progs, bad);
}

static void test_examples(void)
{
	static const char * const names[] = { "syn_filter", "ip_count", "events" };
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[512];
		struct bpfdev_object *obj;
		struct bpfdev_program *p;

		snprintf(path, sizeof(path), BPFDEV_TOP "/build/examples/%s.bpf.o", names[i]);
		obj = bpfdev_object__open(path, NULL);
		p = obj ? bpfdev_object__next_program(obj, NULL) : NULL;
		ok(p && round_trip(bpfdev_program__insns(p), bpfdev_program__insn_cnt(p), true,
				   names[i]),
		   "%s: the linked program round-trips, bytes included", names[i]);
		bpfdev_object__close(obj);
	}
}

static int asm1(const char *text, struct bpf_insn **out, char *err)
{
	return bpfdev_asm(text, out, err, 256);
}

static void test_syntax(void)
{
	struct bpf_insn *in = NULL;
	char err[256];
	int n;

	n = asm1("# a comment\n"
		 "start:\n"
		 "\tr0 = 0 ; trailing comment\n"
		 "loop: r0 += 1\n"
		 "\tif r0 < 0xa goto loop\n"
		 "\tif w0 == w1 goto out\n"
		 "\tcall sub\n"
		 "\tgoto out\n"
		 "sub:\tr0 = 2\n"
		 "\texit\n"
		 "out:\texit\n", &in, err);
	ok(n == 9, "labels: 9 instructions (%d: %s)", n, n < 0 ? err : "");
	if (n == 9) {
		ok(in[2].code == (BPF_JMP | BPF_JLT | BPF_K) && in[2].imm == 10 && in[2].off == -2,
		   "labels: a backward conditional jump");
		ok(in[3].code == (BPF_JMP32 | BPF_JEQ | BPF_X) && in[3].off == 4,
		   "labels: a forward 32-bit compare");
		ok(in[4].src_reg == BPF_PSEUDO_CALL && in[4].imm == 1, "labels: call to a label is a BPF-to-BPF call");
		ok(in[5].code == (BPF_JMP | BPF_JA) && in[5].off == 2, "labels: goto label");
	}
	free(in);

	n = asm1("r1 = 0x123456789abcdef0\ncall bpf_map_lookup_elem\ncall 5\n"
		 "r0 = be16 r0\nr2 = bswap64 r2\nw3 = (s8)w4\nr5 s/= r6\n"
		 "lock *(u64 *)(r1 -8) += r2\nr0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r3)\n"
		 "r0 = *(u16 *)skb[r7 + 14]\n*(u32 *)(r10 -4) = -1\nexit\n", &in, err);
	ok(n == 13, "forms: ld_imm64, helpers by name and id, endianness, movsx, sdiv, atomics, LD_IND, ST (%d %s)",
	   n, n < 0 ? err : "");
	if (n == 13) {
		ok(in[0].imm == (__s32)0x9abcdef0 && in[1].imm == 0x12345678, "forms: ld_imm64 halves");
		ok(in[2].imm == BPF_FUNC_map_lookup_elem && in[3].imm == 5, "forms: helper ids");
		ok(in[4].code == (BPF_ALU | BPF_END | BPF_TO_BE) && in[4].imm == 16, "forms: be16");
		ok(in[5].code == (BPF_ALU64 | BPF_END) && in[5].imm == 64, "forms: bswap64");
		ok(in[6].code == (BPF_ALU | BPF_MOV | BPF_X) && in[6].off == 8, "forms: movsx w");
		ok(in[7].code == (BPF_ALU64 | BPF_DIV | BPF_X) && in[7].off == 1, "forms: sdiv");
		ok(in[8].code == (BPF_STX | BPF_ATOMIC | BPF_DW) && in[8].off == -8 &&
		   in[8].imm == BPF_ADD, "forms: lock add");
		ok(in[9].imm == BPF_CMPXCHG && in[9].src_reg == 3, "forms: cmpxchg");
		ok(in[10].code == (BPF_LD | BPF_IND | BPF_H) && in[10].src_reg == 7 &&
		   in[10].imm == 14, "forms: LD_IND");
		ok(in[11].code == (BPF_ST | BPF_MEM | BPF_W) && in[11].imm == -1, "forms: ST imm");
	}
	free(in);

	n = asm1("func#0 @0\n"
		 "0: R1=ctx(off=0,imm=0) R10=fp0\n"
		 "0: (bf) r6 = r1                       ; R1=ctx(off=0,imm=0) R6_w=ctx(off=0,imm=0)\n"
		 "1: (28) r0 = *(u16 *)skb[12]          ; R0_w=scalar(umax=65535)\n"
		 "2: (55) if r0 != 0x800 goto pc+1      ; R0_w=2048\n"
		 "3: (95) exit\n"
		 "from 2 to 4: R0_w=scalar() R6_w=ctx(off=0,imm=0)\n"
		 "4: (b7) r0 = 0\n"
		 "5: (95) exit\n"
		 "processed 6 insns (limit 1000000) max_states_per_insn 0 total_states 0\n",
		 &in, err);
	ok(n == 6 && in[2].off == 1 && in[4].imm == 0, "a pasted verifier log assembles (%d %s)",
	   n, n < 0 ? err : "");
	free(in);
	n = asm1("r0 = 0\n(b7) r1 = 1\n(bf) r2 = 3\nexit\n", &in, err);
	ok(n < 0 && errno == EINVAL && strstr(err, "line 3") && strstr(err, "(bf)"),
	   "errors: a wrong (xx) prefix names line and opcode (%s)", err);
	free(in);
	n = asm1("r0 = 0\nr11 = 1\n", &in, err);
	ok(n < 0 && strstr(err, "line 2: cannot parse"), "errors: r11 (%s)", err);
	n = asm1("r0 = 0\nr0 = 0x100000000\nr1 += 0x100000000\n", &in, err);
	ok(n < 0 && strstr(err, "line 3") && strstr(err, "32 bits"), "errors: immediate too big (%s)", err);
	free(in);
	n = asm1("goto nowhere\nexit\n", &in, err);
	ok(n < 0 && strstr(err, "line 1") && strstr(err, "nowhere"), "errors: unknown label (%s)", err);
	n = asm1("x: exit\nx: exit\n", &in, err);
	ok(n < 0 && strstr(err, "defined twice"), "errors: label twice (%s)", err);
	n = asm1("if r1 > w2 goto pc+1\n", &in, err);
	ok(n < 0 && strstr(err, "width"), "errors: mixed widths (%s)", err);
	n = asm1("\n# nothing\n", &in, err);
	ok(n < 0 && strstr(err, "no instructions"), "errors: empty program");
	n = asm1("goto pc+40000\n", &in, err);
	ok(n < 0 && strstr(err, "16 bits"), "errors: offset too far (%s)", err);
	n = asm1("r1 = be16x r1\n", &in, err);
	ok(n < 0 && strstr(err, "be16x"), "errors: a byte swap name with a tail (%s)", err);
	n = asm1("r1 = bswap64 r1\nw1 s%= w2\nr1 = le32 r1\n", &in, err);
	ok(n == 3 && in[0].code == (BPF_ALU64 | BPF_END | BPF_TO_LE) && in[0].imm == 64 &&
	   in[1].code == (BPF_ALU | BPF_MOD | BPF_X) && in[1].off == 1 &&
	   in[2].code == (BPF_ALU | BPF_END | BPF_TO_LE) && in[2].imm == 32,
	   "bswap, signed modulo and le from the opcode list's names (%d %s)", n,
	   n < 0 ? err : "");
	free(in);
}

int main(void)
{
	tap_plan(0);
	test_conformance();
	test_examples();
	test_syntax();
	return tap_done();
}
