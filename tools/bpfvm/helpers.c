// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm: the helpers that make sense in a process.  Ids are the kernel's
 * (enum bpf_func_id); the conformance plugin swaps in its "unwind" helper
 * at 5, where the kernel has ktime_get_ns.
 */
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bpfvm.h"
#include "printk_fmt.h"
#include "skb.h"

static u64 h_ktime_get_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_ktime_ns();
}

static u64 h_ktime_get_boot_ns(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_ktime_boot_ns();
}

static u64 h_get_prandom_u32(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_prandom_u32();
}

static u64 h_get_smp_processor_id(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_cpu_id();
}

/*
 * Reads this process's memory without faulting, as the kernel's *_nofault
 * copies: a program may pass any number as a %s argument.
 */
static int vm_read(void *dst, u64 addr, u32 size)
{
	struct iovec local = { dst, size };
	struct iovec remote = { (void *)(uintptr_t)addr, size };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == size ? 0 : -EFAULT;
}

/* strncpy_from_kernel_nofault(), a page at a time. */
static long vm_read_str(char *dst, u64 addr, u32 size, char kind)
{
	long page = sysconf(_SC_PAGESIZE);
	u32 n = 0, chunk;
	char *nul;

	while (n < size) {
		chunk = page - ((addr + n) & (page - 1));
		if (chunk > size - n)
			chunk = size - n;
		if (vm_read(dst + n, addr + n, chunk)) {
			dst[0] = '\0';
			return -EFAULT;
		}
		nul = memchr(dst + n, '\0', chunk);
		if (nul)
			return nul - dst + 1;
		n += chunk;
	}
	dst[size - 1] = '\0';
	return size;
}

/* In a process there is nothing to hide: %p and %pK print as %px. */
static const struct bpfdev_printk_ops vm_printk_ops = {
	.read_str	= vm_read_str,
	.read		= vm_read,
};

/* bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the module's line, to stderr. */
static u64 h_trace_printk(u64 fmt, u64 fmt_size, u64 a1, u64 a2, u64 a3)
{
	static struct bpfdev_printk_buf buf;
	const u64 args[BPFDEV_PRINTK_MAX_ARGS] = { a1, a2, a3 };
	int ret;

	ret = bpfdev_printk_format(&buf, (const char *)(uintptr_t)fmt, fmt_size,
				   args, &vm_printk_ops);
	if (ret > 0)
		fputs(buf.line, stderr);
	return ret;
}

/* bpf_skb_load_bytes(skb, offset, to, len) */
static u64 h_skb_load_bytes(u64 skb, u64 off, u64 to, u64 len, u64 r5)
{
	if (!skb || !to || (u32)len != len || (u32)off != off)
		return -EFAULT;
	return bpfdev_skb_load_bytes((const struct bpfdev_skb *)(uintptr_t)skb,
				     off, (void *)(uintptr_t)to, len);
}

static u64 h_skb_pay_offset(u64 skb, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return bpfdev_skb_pay_offset((const struct bpfdev_skb *)(uintptr_t)skb);
}

/* The bpf_conformance suite's helper 5: returns its argument; 0 ends. */
static u64 h_unwind(u64 r1, u64 r2, u64 r3, u64 r4, u64 r5)
{
	return r1;
}

static struct bpfdev_env env_run, env_plugin;

static void env_init(struct bpfdev_env *env)
{
	env->helpers[BPF_FUNC_ktime_get_ns] = h_ktime_get_ns;
	env->helpers[BPF_FUNC_trace_printk] = h_trace_printk;
	env->helpers[BPF_FUNC_get_prandom_u32] = h_get_prandom_u32;
	env->helpers[BPF_FUNC_get_smp_processor_id] = h_get_smp_processor_id;
	env->helpers[BPF_FUNC_skb_load_bytes] = h_skb_load_bytes;
	env->helpers[BPF_FUNC_ktime_get_boot_ns] = h_ktime_get_boot_ns;
	env->helpers[BPFDEV_FUNC_skb_pay_offset] = h_skb_pay_offset;
}

const struct bpfdev_env *bpfvm_env(bool plugin)
{
	struct bpfdev_env *env = plugin ? &env_plugin : &env_run;

	if (!env->helpers[BPF_FUNC_trace_printk]) {
		env_init(env);
		if (plugin)
			env->helpers[BPFVM_UNWIND_HELPER] = h_unwind;
	}
	return env;
}
