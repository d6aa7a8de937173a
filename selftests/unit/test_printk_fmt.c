// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_trace_printk()'s formatter (kmod/core/printk_fmt.c) against a table
 * of formats: what 6.1 accepts and prints, what it refuses and with which
 * errno.  The expected text is the kernel's (bpf_bprintf_prepare() then
 * bstr_printf()), with the pointer forms in the formatter's own fallback
 * (no hashing, no symbols) unless a case gives a ptr callback.
 */
#include <string.h>

#include "printk_fmt.h"
#include "tap.h"

/* An address the test's read callbacks refuse, as an unmapped one. */
#define BAD	8ULL

static long t_read_str(char *dst, u64 addr, u32 size, char kind)
{
	const char *src = (const char *)(uintptr_t)addr;
	u32 i;

	if (addr == BAD) {
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

static int t_read(void *dst, u64 addr, u32 size)
{
	if (addr == BAD)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)addr, size);
	return 0;
}

/* A kernel's printer, as far as the test can see it: the spec it gets. */
static int t_ptr(char *dst, u32 size, const char *spec, u64 addr)
{
	return snprintf(dst, size, "[%s %llx]", spec, (unsigned long long)addr);
}

static const struct bpfdev_printk_ops ops = {
	.read_str = t_read_str, .read = t_read,
};
static const struct bpfdev_printk_ops kops = {
	.read_str = t_read_str, .read = t_read, .ptr = t_ptr,
};

#define P(s)	((u64)(uintptr_t)(s))

struct pcase {
	const char *fmt;
	u32 fmt_size;		/* 0: strlen + 1 */
	u64 a[3];
	int ret;		/* the length, or -errno */
	const char *out;	/* NULL: the line is not checked */
	const struct bpfdev_printk_ops *ops;
};

static struct bpfdev_printk_buf buf;

/* s for a TAP line: escaped, cut to 40 bytes (which of two buffers: n). */
static const char *esc(const char *s, int n)
{
	static char out[2][200];
	char *o = out[n];
	int i;

	for (i = 0; s[i] && i < 40; i++) {
		unsigned char c = s[i];

		if (c >= ' ' && c < 0x7f && c != '\\')
			*o++ = c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	strcpy(o, s[i] ? "..." : "");
	return out[n];
}

static void check(const struct pcase *c)
{
	u32 size = c->fmt_size ? c->fmt_size : strlen(c->fmt) + 1;
	int ret;

	memset(&buf, 0x5a, sizeof(buf));
	ret = bpfdev_printk_format(&buf, c->fmt, size, c->a, c->ops ? c->ops : &ops);
	if (c->ret < 0 || !c->out) {
		ok(ret == c->ret, "\"%s\" returns %d (%d)", esc(c->fmt, 0), c->ret, ret);
		return;
	}
	if (!ok(ret == c->ret && !strcmp(buf.line, c->out),
		"\"%s\" prints \"%s\"", esc(c->fmt, 0), esc(c->out, 1)))
		printf("# got %d: \"%s\"\n", ret, ret < 0 ? "" : esc(buf.line, 0));
}

int main(void)
{
	static const u8 ip4[4] = { 10, 0, 0, 1 };
	static const u8 ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char big[600], s480[481], want[1100];
	const struct pcase cases[] = {
		/* integers: flags, width, lengths */
		{ "val %d\n", 0, { 5 }, 6, "val 5\n" },
		{ "%5d|", 0, { 42 }, 6, "   42|" },
		{ "%-5d|", 0, { 42 }, 6, "42   |" },
		{ "%05d", 0, { -42ULL }, 5, "-0042" },
		{ "%-05d|", 0, { 7 }, 6, "7    |" },
		{ "%+d % d %+u", 0, { 7, 7, 7 }, 7, "+7  7 7" },
		{ "%d", 0, { 0xffffffffULL }, 2, "-1" },
		{ "%d", 0, { 0x100000005ULL }, 1, "5" },
		{ "%ld %lld", 0, { -1ULL, -2ULL }, 5, "-1 -2" },
		{ "%u", 0, { 0x1ffffffffULL }, 10, "4294967295" },
		{ "%llu", 0, { 0x1ffffffffULL }, 10, "8589934591" },
		{ "%x %X %lx", 0, { 0xabc, 0xabc, 0xdeadbeefcafeULL }, 20,
		  "abc ABC deadbeefcafe" },
		{ "%08x", 0, { 0xbeef }, 8, "0000beef" },
		{ "%i", 0, { -3ULL }, 2, "-3" },
		{ "%d", 0, { 0x80000000ULL }, 11, "-2147483648" },
		{ "%lld", 0, { 0x8000000000000000ULL }, 20, "-9223372036854775808" },
		/* characters and strings */
		{ "%c%c", 0, { 'h', 'i' }, 2, "hi" },
		{ "%3c|%-3c|", 0, { 'a', 'b' }, 8, "  a|b  |" },
		{ "%c.", 0, { 0 }, 2, "" },
		{ "%s!", 0, { P("hi") }, 3, "hi!" },
		{ "%5s|%-5s|%05s", 0, { P("ab"), P("cd"), P("e") }, 17,
		  "   ab|cd   |    e" },
		{ "%s!", 0, { BAD }, 1, "!" },
		{ "%s", 0, { P("") }, 0, "" },
		{ "%pks %pus.", 0, { P("k"), P("u") }, 4, "k u." },
		{ "%10pks|", 0, { P("k") }, 2, "k|" },
		{ "%%d %d%%", 0, { 1 }, 5, "%d 1%" },
		/* IP addresses */
		{ "%pI4 %pi4", 0, { P(ip4), P(ip4) }, 24, "10.0.0.1 010.000.000.001" },
		{ "%pI6", 0, { P(ip6) }, 39, "2001:0db8:0000:0000:0000:0000:0000:0001" },
		{ "%pi6", 0, { P(ip6) }, 32, "20010db8000000000000000000000001" },
		{ "%pI4|", 0, { BAD }, 8, "0.0.0.0|" },
		{ "%pI4xyz.", 0, { P(ip4) }, 9, "10.0.0.1." },
		/* pointers, unhashed and without symbols */
		{ "%px", 0, { 0x1234 }, 16, "0000000000001234" },
		{ "%p", 0, { 0xffff888000001000ULL }, 16, "ffff888000001000" },
		{ "%pKfoo.", 0, { 0x10 }, 17, "0000000000000010." },
		{ "%6px|", 0, { 0xab }, 7, "    ab|" },
		{ "%pS %ps", 0, { 0xffffffff81000000ULL, 0x10 }, 23,
		  "0xffffffff81000000 0x10" },
		{ "%20ps|", 0, { 0x10 }, 21, "                0x10|" },
		{ "%9pB|", 0, { 0x10 }, 5, "0x10|" },
		{ "%p.", 0, { 0 }, 17, "0000000000000000." },
		/* 6.1.192: the '%' after a plain %p starts a conversion */
		{ "%p%d", 0, { 1, 2 }, 17, "00000000000000012" },
		{ "%p%d%d%d", 0, { 1, 2, 3 }, -EINVAL },
		/* the kernel's own printer gets the spec */
		{ "%-20pSRb|", 0, { 0x10 }, 14, "[%-20pSRb 10]|", &kops },
		{ "%05pK %px", 0, { 1, 2 }, 17, "[%05pK 1] [%px 2]", &kops },
		{ "%9pB %p.", 0, { 3, 4 }, 15, "[%pB 3] [%p 4].", &kops },
		/* the format's own bytes */
		{ "a\0%d", 4, { 1 }, 1, "a" },
		{ "caf\xc3\xa9 %d\t\n", 0, { 1 }, 9, "caf\xc3\xa9 1\t\n" },
		{ "abc", 3, { 0 }, -EINVAL },
		{ "", 0, { 0 }, 0, "" },
		{ "x", 0xffffffff, { 0 }, 1, "x" },
		/* refused */
		{ "%d %d %d %d", 0, { 0 }, -EINVAL },
		{ "%#x", 0, { 0 }, -EINVAL },
		{ "%.2d", 0, { 0 }, -EINVAL },
		{ "%*d", 0, { 0 }, -EINVAL },
		{ "%hd", 0, { 0 }, -EINVAL },
		{ "%hhd", 0, { 0 }, -EINVAL },
		{ "%zd", 0, { 0 }, -EINVAL },
		{ "%lc", 0, { 0 }, -EINVAL },
		{ "%ls", 0, { 0 }, -EINVAL },
		{ "%lp", 0, { 0 }, -EINVAL },
		{ "%llld", 0, { 0 }, -EINVAL },
		{ "%f", 0, { 0 }, -EINVAL },
		{ "%n", 0, { 0 }, -EINVAL },
		{ "%sx", 0, { P("") }, -EINVAL },
		{ "%pksx", 0, { P("") }, -EINVAL },
		{ "%pz", 0, { 0 }, -EINVAL },
		{ "%pI5", 0, { 0 }, -EINVAL },
		{ "%pM", 0, { 0 }, -EINVAL },
		{ "%", 0, { 0 }, -EINVAL },
		{ "%5", 0, { 0 }, -EINVAL },
		{ "%5%", 0, { 0 }, -EINVAL },
		{ "%\xc3\xa9", 0, { 0 }, -EINVAL },
		{ "a\x01", 0, { 0 }, -EINVAL },
		{ "a\x7f", 0, { 0 }, -EINVAL },
		{ "%d", 0, { 0 }, 1, "0" },
		/* the 512 bytes the arguments share */
		{ "%s", 0, { P(big) }, 511, NULL },
		{ "%s%d", 0, { P(big), 1 }, -ENOSPC },
		{ "%s%s", 0, { P(big), P("") }, -ENOSPC },
		{ "%s%c", 0, { P(big), 'x' }, -ENOSPC },
		{ "%s%pI4", 0, { P(s480), P(ip4) }, 488, NULL },
		{ "%s %pI6", 0, { P(s480), P(ip6) }, 511, NULL },
		{ "%s %pI6 %d", 0, { P(s480), P(ip6), 1 }, -ENOSPC },
		/* the line is cut, the length is not */
		{ "%1000d%100d", 0, { 1, 2 }, 1100, NULL },
		{ "%99999999d", 0, { 1 }, (1 << 23) - 1, NULL },
	};
	size_t i;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memset(s480, 's', sizeof(s480) - 1);
	s480[sizeof(s480) - 1] = 0;

	tap_plan(0);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check(&cases[i]);

	/* the texts the table leaves unchecked */
	bpfdev_printk_format(&buf, "%s", 3, (u64[3]){ P(big) }, &ops);
	ok(strlen(buf.line) == 511 && !strncmp(buf.line, big, 511),
	   "a long %%s is cut to 511 bytes");
	bpfdev_printk_format(&buf, "%s %pI6", 8, (u64[3]){ P(s480), P(ip6) }, &ops);
	ok(!strncmp(buf.line + 481, "2001:0db8:0000:0000:0000:0000:", 30) &&
	   strlen(buf.line) == 511, "%%pI6 cut to the room left after a string");
	memset(want, ' ', sizeof(want));
	want[999] = '1';
	want[1023] = 0;
	bpfdev_printk_format(&buf, "%1000d%100d", 12, (u64[3]){ 1, 2 }, &ops);
	ok(!strcmp(buf.line, want), "the line holds the first 1023 bytes");
	ok(bpfdev_printk_format(&buf, "%s", 3, (u64[3]){ P("x") }, NULL) == 0 &&
	   !strcmp(buf.line, ""), "no read_str: strings print empty");
	ok(bpfdev_printk_format(&buf, "%d", 0, (u64[3]){ 1 }, &ops) == -EINVAL,
	   "an empty format buffer is refused");
	return tap_done();
}
