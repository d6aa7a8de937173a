/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracing helpers bpfdev implements for kprobe, tracepoint, raw
 * tracepoint and perf_event programs, as libbpf's bpf_helper_defs.h
 * declares them, and the x86-64 argument registers of a kprobe's struct
 * pt_regs (libbpf's PT_REGS_PARM*).  The same objects load into the
 * kernel's own BPF.
 */
#ifndef BPFDEV_EXAMPLES_TRACE_HELPERS_H
#define BPFDEV_EXAMPLES_TRACE_HELPERS_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <asm/ptrace.h>

static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)BPF_FUNC_get_current_pid_tgid;
static __u64 (*bpf_get_current_uid_gid)(void) = (void *)BPF_FUNC_get_current_uid_gid;
static long (*bpf_get_current_comm)(void *buf, __u32 size_of_buf) =
	(void *)BPF_FUNC_get_current_comm;
static __u64 (*bpf_get_current_task)(void) = (void *)BPF_FUNC_get_current_task;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_kernel;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_user;
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_kernel_str;
static long (*bpf_probe_read_user_str)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_user_str;
static long (*bpf_get_stackid)(void *ctx, void *map, __u64 flags) =
	(void *)BPF_FUNC_get_stackid;
static long (*bpf_get_stack)(void *ctx, void *buf, __u32 size, __u64 flags) =
	(void *)BPF_FUNC_get_stack;
static __u32 (*bpf_get_smp_processor_id)(void) = (void *)BPF_FUNC_get_smp_processor_id;
static __u64 (*bpf_ktime_get_boot_ns)(void) = (void *)BPF_FUNC_ktime_get_boot_ns;
static long (*bpf_send_signal)(__u32 sig) = (void *)BPF_FUNC_send_signal;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) =
	(void *)BPF_FUNC_trace_printk;

/* bpf_printk("fmt", ...): a line in /sys/kernel/debug/bpfdev/trace_pipe. */
#define bpf_printk(fmt, ...)						\
	({								\
		static const char ____fmt[] = fmt;			\
		bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__); \
	})

/* A kprobe's function arguments and a kretprobe's return value (x86-64). */
#define PT_REGS_PARM1(x)	((x)->rdi)
#define PT_REGS_PARM2(x)	((x)->rsi)
#define PT_REGS_PARM3(x)	((x)->rdx)
#define PT_REGS_PARM4(x)	((x)->rcx)
#define PT_REGS_PARM5(x)	((x)->r8)
#define PT_REGS_RC(x)		((x)->rax)
#define PT_REGS_IP(x)		((x)->rip)

#endif /* BPFDEV_EXAMPLES_TRACE_HELPERS_H */
