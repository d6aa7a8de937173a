// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_trace_printk() three ways: the same socket filter run by bpfdev
 * (its trace_pipe), by the guest kernel through bpf(2) (tracefs'
 * trace_pipe), and the formatter (kmod/core/printk_fmt.c) called here
 * with the same arguments.  Return values and lines must all agree; the
 * hashed and symbol forms (%p, %pK, %pS) are compared between the module
 * and the kernel only, since both print them with the kernel's vsnprintf.
 */

#include <fcntl.h>
#include <sys/syscall.h>

#include "objs.h"
#include "printk_fmt.h"
#include "printk_progs.h"

#define DEV_PIPE	"/sys/kernel/debug/bpfdev/trace_pipe"
#define KERN_TRACING	"/sys/kernel/debug/tracing"

static const struct printk_case cases[] = {
	{ "%5d|\n", { 42 } },
	{ "val %d\n", { 5 } },
	{ "%-6ld|%08x|%+d\n", { -7ULL, 0xbeef, 3 } },
	{ "%llu %X %c\n", { 0x1ffffffffULL, 0xabc, 'z' } },
	{ "% d %+i\n", { 7, -7ULL } },
	{ "%d %u %lx\n", { 0xffffffffULL, 0x1ffffffffULL, 0xdeadbeefcafeULL } },
	{ "%s!\n", { 0 }, "hi", 0 },
	{ "%d %5s|%-4s|\n", { 1, 0, 0 }, "ab", 1 },
	{ "%s|\n", { 8 } },
	{ "%pks!\n", { 0 }, "k", 0 },
	{ "%pI4 %pi4\n", { 0, 0 }, "\x0a\x01\x02\x03", 0 },
	{ "%px %pS %6ps|\n", { 0x1234, 0, 0 } },
	{ "caf\xc3\xa9 %%d\n", { 0 } },
	{ "%p %pK\n", { 0x1234, 0xffff888000001000ULL }, NULL, 0, 1 },
	{ "%d %d %d %d\n", { 1 } },
	{ "%#x\n", { 1 } },
	{ "%hd\n", { 1 } },
	{ "%.2d\n", { 1 } },
	{ "%sx\n", { 0 }, "", 0 },
};

static long kernel_bpf(int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/* What is waiting in a trace_pipe opened O_NONBLOCK. */
static void drain(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
}

/* The kernel's event line "... bpf_trace_printk: TEXT": TEXT and its \n. */
static void kernel_text(char *buf)
{
	const char *tag = "bpf_trace_printk: ";
	char *p = strstr(buf, tag), *nl;

	if (!p) {
		buf[0] = 0;
		return;
	}
	memmove(buf, p + strlen(tag), strlen(p + strlen(tag)) + 1);
	nl = strchr(buf, '\n');
	if (nl)
		nl[1] = 0;
}

static __u32 run(long fd)
{
	__u32 ret = 0xdeadbeef;

	if (fd >= 0)
		prog_run(fd, 1, &ret, NULL);
	return ret;
}

int main(void)
{
	static struct bpfdev_printk_buf fbuf;
	char dev[2048], kern[4096];
	int dp, kp = -1, enable;
	size_t i;

	objs_init();
	tap_plan(0);
	dp = open(DEV_PIPE, O_RDONLY | O_NONBLOCK);
	if (!ok(dp >= 0, "bpfdev's trace_pipe opens"))
		return tap_done();
	/* The kernel enables its event from a work item when a program loads: do it now. */
	enable = open(KERN_TRACING "/events/bpf_trace/bpf_trace_printk/enable", O_WRONLY);
	if (enable >= 0 && write(enable, "1", 1) == 1)
		kp = open(KERN_TRACING "/trace_pipe", O_RDONLY | O_NONBLOCK);
	if (enable >= 0)
		close(enable);
	if (kp < 0)
		tap_diag("no tracefs trace_pipe: module and formatter only");

	for (i = 0; i < NINSNS(cases); i++) {
		const struct printk_case *c = &cases[i];
		u64 args[3] = { c->a[0], c->a[1], c->a[2] };
		struct bpf_insn p[128];
		__u32 n = printk_build(p, c), dret, kret = 0;
		int len = strcspn(c->fmt, "\n"), fret;
		union bpf_attr a;
		long dfd, kfd;

		drain(dp, dev, sizeof(dev));
		dfd = prog_load(p, n);
		dret = run(dfd);
		drain(dp, dev, sizeof(dev));

		if (c->str)
			args[c->str_arg] = (uintptr_t)c->str;
		fret = bpfdev_printk_format(&fbuf, c->fmt, strlen(c->fmt) + 1, args, &printk_test_ops);
		if (!c->kernel_only)
			ok(dfd >= 0 && dret == (__u32)fret &&
			   !strcmp(dev, fret > 0 ? fbuf.line : ""),
			   "\"%.*s\": the module prints as the formatter (%d, %d)",
			   len, c->fmt, (int)dret, fret);

		if (kp < 0)
			goto next;
		memset(&a, 0, sizeof(a));
		a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
		a.insns = (uintptr_t)p;
		a.insn_cnt = n;
		a.license = (uintptr_t)"GPL";
		drain(kp, kern, sizeof(kern));
		kfd = kernel_bpf(BPF_PROG_LOAD, &a);
		if (kfd >= 0) {
			memset(&a, 0, sizeof(a));
			a.test.prog_fd = kfd;
			a.test.data_in = (uintptr_t)test_pkt;
			a.test.data_size_in = sizeof(test_pkt);
			a.test.repeat = 1;
			if (kernel_bpf(BPF_PROG_TEST_RUN, &a) == 0)
				kret = a.test.retval;
			close(kfd);
		}
		usleep(10000);
		drain(kp, kern, sizeof(kern));
		kernel_text(kern);
		ok(kfd >= 0 && dret == kret && !strcmp(dev, kern),
		   "\"%.*s\": the module prints as the kernel (%d, %d)",
		   len, c->fmt, (int)dret, (int)kret);
		if (strcmp(dev, kern))
			tap_diag("module \"%.*s\", kernel \"%.*s\"",
				 (int)strcspn(dev, "\n"), dev,
				 (int)strcspn(kern, "\n"), kern);
next:
		if (dfd >= 0)
			close(dfd);
	}
	if (kp >= 0)
		close(kp);
	close(dp);
	return tap_done();
}
