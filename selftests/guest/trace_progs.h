/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracing guest tests share: a tiny program builder with jumps to
 * one "out" label, the attach ioctls, link and program fdinfo, and
 * /proc/kallsyms to name a kernel address.
 */
#ifndef BPFDEV_GUEST_TRACE_PROGS_H
#define BPFDEV_GUEST_TRACE_PROGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <linux/capability.h>

#include "objs.h"

/* struct pt_regs (x86-64) offsets a kprobe program reads */
#define REGS_BP		32
#define REGS_AX		80
#define REGS_SI		104
#define REGS_DI		112
#define REGS_IP		128
#define REGS_SP		152

struct tprog {
	struct bpf_insn	insn[160];
	int		n;
	int		fix[32];	/* jumps to out */
	int		nfix;
};

static inline void tp_emit(struct tprog *p, struct bpf_insn i)
{
	if (p->n < (int)NINSNS(p->insn))
		p->insn[p->n] = i;
	p->n++;
}

static inline void tp_ld_imm64(struct tprog *p, int dst, __u64 v)
{
	tp_emit(p, I(BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, (__s32)(__u32)v));
	tp_emit(p, I(0, 0, 0, 0, (__s32)(__u32)(v >> 32)));
}

static inline void tp_ld_map(struct tprog *p, int dst, int fd)
{
	tp_emit(p, I(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd));
	tp_emit(p, I(0, 0, 0, 0, 0));
}

/* if (dst op imm) goto out */
static inline void tp_jout_imm(struct tprog *p, int op, int dst, __s32 imm)
{
	p->fix[p->nfix++] = p->n;
	tp_emit(p, JMP_IMM(op, dst, imm, 0));
}

/* if (dst op src) goto out */
static inline void tp_jout_reg(struct tprog *p, int op, int dst, int src)
{
	p->fix[p->nfix++] = p->n;
	tp_emit(p, I(BPF_JMP | op | BPF_X, dst, src, 0, 0));
}

/* Unless our process: out (r0, r1-r5 clobbered). */
static inline void tp_only_tgid(struct tprog *p)
{
	tp_emit(p, CALL(BPF_FUNC_get_current_pid_tgid));
	tp_emit(p, ALU64_IMM(BPF_RSH, 0, 32));
	tp_jout_imm(p, BPF_JNE, 0, getpid());
}

/* map[key32] += 1 (an array of u64 values); r0-r5 clobbered */
static inline void tp_count(struct tprog *p, int map, __u32 key)
{
	tp_emit(p, ST_MEM(BPF_W, 10, -4, key));
	tp_emit(p, MOV64_REG(2, 10));
	tp_emit(p, ALU64_IMM(BPF_ADD, 2, -4));
	tp_ld_map(p, 1, map);
	tp_emit(p, CALL(BPF_FUNC_map_lookup_elem));
	tp_emit(p, JMP_IMM(BPF_JEQ, 0, 0, 2));
	tp_emit(p, MOV64_IMM(1, 1));
	tp_emit(p, ATOMIC_ADD(BPF_DW, 0, 1, 0));
}

/* out: r0 = 0; exit */
static inline void tp_end(struct tprog *p)
{
	int i;

	for (i = 0; i < p->nfix; i++)
		p->insn[p->fix[i]].off = p->n - p->fix[i] - 1;
	tp_emit(p, MOV64_IMM(0, 0));
	tp_emit(p, EXIT());
}

static char tp_log[65536];

static inline long tp_load(struct tprog *p, __u32 type, const char *name)
{
	long fd = prog_load_log(type, p->insn, p->n, name, tp_log, sizeof(tp_log));

	if (fd < 0)
		tap_diag("load %s: %ld\n%s", name, fd, tp_log);
	return fd;
}

static inline long kprobe_attach(int prog_fd, const char *func, __u64 offset,
				 __u32 flags, __u32 maxactive)
{
	struct bpfdev_kprobe_attach a = {
		.prog_fd = prog_fd, .flags = flags, .func = (uintptr_t)func,
		.offset = offset, .maxactive = maxactive,
	};

	return ioctl_err(devfd, BPFDEV_IOC_KPROBE_ATTACH, &a);
}

static inline long uprobe_attach(int prog_fd, const char *path, __u64 offset,
				 __u32 flags, int pid)
{
	struct bpfdev_uprobe_attach a = {
		.prog_fd = prog_fd, .flags = flags, .path = (uintptr_t)path,
		.offset = offset, .pid = pid,
	};

	return ioctl_err(devfd, BPFDEV_IOC_UPROBE_ATTACH, &a);
}

/* The value of "key:\t" in /proc/self/fdinfo/fd, or -1. */
static inline long long fdinfo_get(int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static inline int fdinfo_has(int fd, const char *text)
{
	char path[64], buf[2048];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strstr(buf, text) != NULL;
}

static inline int prog_stats(int fd, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return obj_info(fd, info, &len);
}

/* Keep only the capabilities in caps (a mask of CAP_* bits below 64). */
static inline int caps_only(__u64 caps)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	d[0].effective = d[0].permitted = (__u32)caps;
	d[1].effective = d[1].permitted = (__u32)(caps >> 32);
	return syscall(SYS_capset, &h, d);
}

#define CAPBIT(c)	(1ULL << (c))

/* Run one part of a test and say how long it took (guest tests have 120 s). */
static inline void tp_timed(const char *name, void (*part)(void))
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	part();
	clock_gettime(CLOCK_MONOTONIC, &b);
	tap_diag("%s: %.1fs", name, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
}

/* ---- /proc/kallsyms ---- */

struct ksym {
	unsigned long	addr;
	char		name[64];
};

static struct ksym *ksyms;
static size_t nr_ksyms;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static inline int ksyms_load(void)
{
	char line[256], name[128], type;
	size_t cap = 0;
	unsigned long addr;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %127s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (nr_ksyms == cap) {
			cap = cap ? cap * 2 : 65536;
			ksyms = realloc(ksyms, cap * sizeof(*ksyms));
			if (!ksyms) {
				fclose(f);
				return -1;
			}
		}
		ksyms[nr_ksyms].addr = addr;
		snprintf(ksyms[nr_ksyms].name, sizeof(ksyms[0].name), "%.63s", name);
		nr_ksyms++;
	}
	fclose(f);
	qsort(ksyms, nr_ksyms, sizeof(*ksyms), ksym_cmp);
	return nr_ksyms && ksyms[nr_ksyms - 1].addr ? 0 : -1;
}

/* The symbol an address lies in, or "?". */
static inline const char *ksym_name(unsigned long addr)
{
	size_t lo = 0, hi = nr_ksyms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? ksyms[lo - 1].name : "?";
}

#endif /* BPFDEV_GUEST_TRACE_PROGS_H */
