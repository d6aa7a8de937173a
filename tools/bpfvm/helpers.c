// SPDX-License-Identifier: GPL-2.0
/*
 * bpfvm: the helpers that make sense in a process.  Ids are the kernel's
 * (enum bpf_func_id); the conformance plugin swaps in its "unwind" helper
 * at 5, where the kernel has ktime_get_ns.
 */
#include <stdio.h>
#include <string.h>

#include "bpfvm.h"
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
 * bpf_trace_printk(fmt, fmt_size, a1, a2, a3) to stderr.  Like the
 * kernel: at most three arguments, integer conversions (%d %i %u %x %X
 * %c with l/ll) and %%; anything else (%s, %p reading memory) is refused.
 */
static u64 h_trace_printk(u64 fmt_addr, u64 fmt_size, u64 a1, u64 a2, u64 a3)
{
	const char *fmt = (const char *)(uintptr_t)fmt_addr;
	u64 args[3] = { a1, a2, a3 };
	char out[512], spec[8];
	size_t i, n = 0, used = 0;

	if (!fmt || !fmt_size || fmt_size > 256 || fmt[fmt_size - 1])
		return -EINVAL;
	for (i = 0; fmt[i] && n < sizeof(out) - 1; i++) {
		size_t s = 0, longs = 0;

		if (fmt[i] != '%') {
			out[n++] = fmt[i];
			continue;
		}
		if (fmt[i + 1] == '%') {
			out[n++] = '%';
			i++;
			continue;
		}
		spec[s++] = '%';
		while (fmt[i + 1] == 'l' && longs < 2) {
			i++;
			longs++;
		}
		if (!strchr("diuxXc", fmt[i + 1]) || used == 3)
			return -EINVAL;
		i++;
		spec[s++] = 'l';
		spec[s++] = 'l';
		spec[s++] = fmt[i];
		spec[s] = '\0';
		if (fmt[i] == 'c')
			n += snprintf(out + n, sizeof(out) - n, "%c", (char)args[used++]);
		else if (fmt[i] == 'd' || fmt[i] == 'i')
			n += snprintf(out + n, sizeof(out) - n, spec,
				      longs ? (long long)args[used++] : (long long)(int)args[used++]);
		else
			n += snprintf(out + n, sizeof(out) - n, spec,
				      longs ? (unsigned long long)args[used++] :
					      (unsigned long long)(unsigned int)args[used++]);
		if (n >= sizeof(out))
			n = sizeof(out) - 1;
	}
	out[n] = '\0';
	fputs(out, stderr);
	return n;
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
