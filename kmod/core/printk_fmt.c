// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_trace_printk()'s formatter; see printk_fmt.h.
 *
 * 6.1 formats in two steps: bpf_bprintf_prepare() (kernel/bpf/helpers.c)
 * checks the format and packs the arguments into a 512-byte buffer,
 * copying strings and pre-printing IP addresses and %pB there; then
 * bstr_printf() prints the line from it.  This does both in one pass and
 * keeps the kernel's bookkeeping of that buffer, so the same format fails
 * with the same errno (ENOSPC included) and prints the same text:
 *
 *   - at most three conversions; each byte of the format before its NUL
 *     printable or a space, or above 0x7f (UTF-8, since 6.1.192), but
 *     plain ASCII right after a '%';
 *   - flags "0+- " and a width, no '#' and no precision;
 *   - %d %i %u %x %X with no, l or ll length (int, or 64 bits);
 *   - %c; %s, %pks, %pus (followed by the end, a space or punctuation);
 *   - %p (followed by the end, a space or punctuation), %pK %px %ps %pS
 *     %pB, %pI4 %pi4 %pI6 %pi6;
 *   - bstr_printf() swallows the letters and digits after a %p form
 *     ("%pKfoo" prints the pointer alone), and prints the pre-printed
 *     forms (%pks %pus %pB %pI*) without their width.
 *
 * Widths are capped at the kernel's FIELD_WIDTH_MAX; the kernel wraps
 * larger ones in its 24-bit field.
 */

#include "printk_fmt.h"

#define PK_LEFT		0x01
#define PK_PLUS		0x02
#define PK_SPACE	0x04
#define PK_ZEROPAD	0x08

#define PK_WIDTH_MAX	((1 << 23) - 1)

/* One conversion's flags and width (-1: none), as format_decode() reads them. */
struct pk_spec {
	u8	flags;
	int	width;
};

/* The line: len counts every byte, written or not, as vsnprintf() does. */
struct pk_out {
	char	*buf;
	u32	size;
	u64	len;
};

/*
 * The kernel's <linux/ctype.h>, whose table also classes the Latin-1
 * bytes above 0x7f: they reach these checks since 6.1.192 lets UTF-8
 * through.
 */
static bool pk_isdigit(u8 c)
{
	return c >= '0' && c <= '9';
}

static bool pk_isalnum(u8 c)
{
	if (c >= 0x80)
		return c >= 0xc0 && c != 0xd7 && c != 0xf7;
	return pk_isdigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool pk_isspace(u8 c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static bool pk_ispunct(u8 c)
{
	if (c >= 0x80)
		return (c >= 0xa1 && c <= 0xbf) || c == 0xd7 || c == 0xf7;
	return c > ' ' && c < 0x7f && !pk_isalnum(c);
}

/* What may follow %s, %pks, %pus and a plain %p. */
static bool pk_isend(u8 c)
{
	return !c || pk_isspace(c) || pk_ispunct(c);
}

/* ---- the line -------------------------------------------------------------- */

static void pk_putc(struct pk_out *o, char c)
{
	if (o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

/* n copies of c, without walking past the end of the line. */
static void pk_pad(struct pk_out *o, char c, int n)
{
	u64 i;

	if (n <= 0)
		return;
	for (i = o->len; i < o->size - 1 && i < o->len + n; i++)
		o->buf[i] = c;
	o->len += n;
}

static void pk_write(struct pk_out *o, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		pk_putc(o, s[i]);
}

static u32 pk_strnlen(const char *s, u32 max)
{
	u32 n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* lib/vsprintf.c number() without precision or '#'. */
static void pk_number(struct pk_out *o, u64 num, bool is_signed, u32 base,
		      bool upper, struct pk_spec s)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int width = s.width;
	char tmp[24];
	char sign = 0;
	int i = 0;

	if (s.flags & PK_LEFT)
		s.flags &= ~PK_ZEROPAD;
	if (is_signed) {
		if ((s64)num < 0) {
			sign = '-';
			num = 0 - num;
		} else if (s.flags & PK_PLUS) {
			sign = '+';
		} else if (s.flags & PK_SPACE) {
			sign = ' ';
		}
		if (sign)
			width--;
	}
	do {
		tmp[i++] = digits[num % base];
		num /= base;
	} while (num);
	width -= i;
	if (!(s.flags & (PK_ZEROPAD | PK_LEFT))) {
		pk_pad(o, ' ', width);
		width = 0;
	}
	if (sign)
		pk_putc(o, sign);
	if (!(s.flags & PK_LEFT)) {
		pk_pad(o, (s.flags & PK_ZEROPAD) ? '0' : ' ', width);
		width = 0;
	}
	while (i)
		pk_putc(o, tmp[--i]);
	pk_pad(o, ' ', width);
}

/* string() and widen_string(): spaces whatever the flags. */
static void pk_string(struct pk_out *o, const char *str, u32 max,
		      struct pk_spec s)
{
	u32 n = pk_strnlen(str, max);

	if (!(s.flags & PK_LEFT))
		pk_pad(o, ' ', s.width - (int)n);
	pk_write(o, str, n);
	if (s.flags & PK_LEFT)
		pk_pad(o, ' ', s.width - (int)n);
}

/* ---- the argument buffer --------------------------------------------------- */

/* bin_args: what the arguments have used of the kernel's 512 bytes. */
struct pk_args {
	char	*buf;
	int	used;
};

/* An integer or a pointer bstr_printf() reads back: 4-byte aligned. */
static int pk_take_value(struct pk_args *a, int size)
{
	a->used = (a->used + 3) & ~3;
	if (BPFDEV_PRINTK_ARGS - a->used < size)
		return -ENOSPC;
	a->used += size;
	return 0;
}

/*
 * Text the kernel pre-prints into the buffer (%pB, %pI4, %pI6): cut to
 * the room left, but the offset moves by its whole length, as the
 * kernel's "tmp_buf += err + 1".  Where the kernel would then copy past
 * its buffer, this refuses with ENOSPC instead.
 */
static int pk_take_text(struct pk_args *a, struct pk_out *o, const char *text,
			u32 n)
{
	int room = BPFDEV_PRINTK_ARGS - a->used;

	if (room <= 0)
		return -ENOSPC;
	pk_write(o, text, min_t(u32, n, room - 1));
	a->used += n + 1;
	return 0;
}

/* %s, %pks, %pus: bpf_trace_copy_string() into the buffer. */
static int pk_take_string(struct pk_args *a, struct pk_out *o, u64 addr,
			  char kind, struct pk_spec *s,
			  const struct bpfdev_printk_ops *ops)
{
	u32 room = BPFDEV_PRINTK_ARGS - a->used;
	char *dst = a->buf + a->used;
	long n = -EFAULT;

	if (a->used >= BPFDEV_PRINTK_ARGS)
		return -ENOSPC;
	if (ops && ops->read_str)
		n = ops->read_str(dst, addr, room, kind);
	if (n <= 0 || n > room) {
		dst[0] = 0;
		n = 1;
	}
	a->used += n;
	if (s)
		pk_string(o, dst, n, *s);
	else
		pk_write(o, dst, pk_strnlen(dst, n));
	return 0;
}

/* ---- the pointer forms ----------------------------------------------------- */

static const char pk_hex[] = "0123456789abcdef";

/* "0x1234" for an address with no symbol, as __sprint_symbol() prints it. */
static u32 pk_sym(char *dst, u64 addr)
{
	char tmp[16];
	u32 n = 0, i = 0;

	do {
		tmp[i++] = pk_hex[addr & 15];
		addr >>= 4;
	} while (addr);
	dst[n++] = '0';
	dst[n++] = 'x';
	while (i)
		dst[n++] = tmp[--i];
	dst[n] = 0;
	return n;
}

/* ip4_string() and ip6_string() of lib/vsprintf.c, uncompressed. */
static u32 pk_ip(char *dst, const u8 *ip, char form, char family)
{
	u32 n = 0, i;

	if (family == '4') {
		for (i = 0; i < 4; i++) {
			u8 v = ip[i];

			if (form == 'i' || v >= 100)
				dst[n++] = '0' + v / 100;
			if (form == 'i' || v >= 10)
				dst[n++] = '0' + v / 10 % 10;
			dst[n++] = '0' + v % 10;
			if (i != 3)
				dst[n++] = '.';
		}
	} else {
		for (i = 0; i < 16; i++) {
			dst[n++] = pk_hex[ip[i] >> 4];
			dst[n++] = pk_hex[ip[i] & 15];
			if (form == 'I' && (i & 1) && i != 15)
				dst[n++] = ':';
		}
	}
	dst[n] = 0;
	return n;
}

/* The caller's printf format for one pointer: "%-20pSR". */
static void pk_ptr_spec(char *spec, struct pk_spec s, const u8 *type)
{
	u32 n = 0, i;
	char w[8];

	spec[n++] = '%';
	if (s.flags & PK_LEFT)
		spec[n++] = '-';
	if (s.flags & PK_PLUS)
		spec[n++] = '+';
	if (s.flags & PK_SPACE)
		spec[n++] = ' ';
	if (s.flags & PK_ZEROPAD)
		spec[n++] = '0';
	for (i = 0; s.width > 0 && i < sizeof(w); s.width /= 10)
		w[i++] = '0' + s.width % 10;
	while (i)
		spec[n++] = w[--i];
	spec[n++] = 'p';
	/* pointer() reads up to two letters after the form ("%pSRb"). */
	for (i = 0; i < 3 && pk_isalnum(type[i]); i++)
		spec[n++] = type[i];
	spec[n] = 0;
}

/* %p %pK %px %ps %pS: printed by bstr_printf() from the raw value. */
static void pk_print_ptr(struct pk_out *o, u64 addr, struct pk_spec s,
			 const u8 *type, const struct bpfdev_printk_ops *ops)
{
	char spec[24], sym[24];
	u32 room;
	int n;

	if (ops && ops->ptr) {
		pk_ptr_spec(spec, s, type);
		room = o->len < o->size ? o->size - o->len : 0;
		n = ops->ptr(room ? o->buf + o->len : NULL, room, spec, addr);
		if (n > 0)
			o->len += n;
		return;
	}
	if (*type == 's' || *type == 'S') {
		pk_sym(sym, addr);
		pk_string(o, sym, sizeof(sym), s);
		return;
	}
	/* pointer_string(): 16 zero-padded digits unless a width is given */
	if (s.width == -1) {
		s.width = 16;
		s.flags |= PK_ZEROPAD;
	}
	pk_number(o, addr, false, 16, false, s);
}

/*
 * fmt[*i] is the 'p' of a %p form; leaves *i on its last byte, past the
 * letters bstr_printf() swallows.
 */
static int pk_pointer(struct pk_out *o, struct pk_args *a, const u8 *fmt,
		      u32 *i, u64 arg, struct pk_spec s,
		      const struct bpfdev_printk_ops *ops)
{
	const u8 *t = fmt + *i + 1;
	char text[48];
	u8 ip[16];
	u32 n;
	int err;

	if (pk_isend(t[0])) {
		/* plain %p: the byte after it is the format's again */
		err = pk_take_value(a, 8);
		if (!err)
			pk_print_ptr(o, arg, s, t, ops);
		return err;
	}
	if ((t[0] == 'k' || t[0] == 'u') && t[1] == 's') {
		if (!pk_isend(t[2]))
			return -EINVAL;
		*i += 2;
		return pk_take_string(a, o, arg, t[0], NULL, ops);
	}
	switch (t[0]) {
	case 'K':
	case 'x':
	case 's':
	case 'S':
		err = pk_take_value(a, 8);
		if (!err)
			pk_print_ptr(o, arg, s, t, ops);
		break;
	case 'B':
		/* pre-printed as "%pB", without flags or width */
		if (!ops || !ops->ptr) {
			n = pk_sym(text, arg);
			err = pk_take_text(a, o, text, n);
			break;
		}
		if (a->used >= BPFDEV_PRINTK_ARGS)
			return -ENOSPC;
		n = max(ops->ptr(a->buf + a->used, BPFDEV_PRINTK_ARGS - a->used,
				 "%pB", arg), 0);
		err = pk_take_text(a, o, a->buf + a->used, n);
		break;
	case 'i':
	case 'I':
		if (t[1] != '4' && t[1] != '6')
			return -EINVAL;
		n = t[1] == '4' ? 4 : 16;
		if (BPFDEV_PRINTK_ARGS - a->used < (int)n)
			return -ENOSPC;
		if (!ops || !ops->read || ops->read(ip, arg, n))
			memset(ip, 0, n);
		n = pk_ip(text, ip, t[0], t[1]);
		err = pk_take_text(a, o, text, n);
		break;
	default:
		return -EINVAL;
	}
	if (err)
		return err;
	*i += 1;
	while (pk_isalnum(fmt[*i + 1]))
		*i += 1;
	return 0;
}

/* ---- one conversion -------------------------------------------------------- */

/* fmt[*i] is the '%' of a conversion; leaves *i on its last byte. */
static int pk_conversion(struct pk_out *o, struct pk_args *a, const u8 *fmt,
			 u32 *i, u64 arg, const struct bpfdev_printk_ops *ops)
{
	struct pk_spec s = { .width = -1 };
	bool is_signed, upper;
	u32 j = *i + 1;
	int size = 4;

	if (fmt[j] >= 0x80)
		return -EINVAL;
	for (;; j++) {
		if (fmt[j] == '-')
			s.flags |= PK_LEFT;
		else if (fmt[j] == '+')
			s.flags |= PK_PLUS;
		else if (fmt[j] == ' ')
			s.flags |= PK_SPACE;
		else if (fmt[j] == '0')
			s.flags |= PK_ZEROPAD;
		else
			break;
	}
	if (fmt[j] >= '1' && fmt[j] <= '9') {
		s.width = 0;
		for (; pk_isdigit(fmt[j]); j++) {
			s.width = s.width * 10 + fmt[j] - '0';
			if (s.width > PK_WIDTH_MAX)
				s.width = PK_WIDTH_MAX;
		}
	}
	*i = j;
	switch (fmt[j]) {
	case 'p':
		return pk_pointer(o, a, fmt, i, arg, s, ops);
	case 's':
		if (!pk_isend(fmt[j + 1]))
			return -EINVAL;
		return pk_take_string(a, o, arg, 's', &s, ops);
	case 'c':
		if (a->used >= BPFDEV_PRINTK_ARGS)
			return -ENOSPC;
		a->used++;
		if (!(s.flags & PK_LEFT))
			pk_pad(o, ' ', s.width - 1);
		pk_putc(o, (char)arg);
		if (s.flags & PK_LEFT)
			pk_pad(o, ' ', s.width - 1);
		return 0;
	}
	if (fmt[j] == 'l') {
		size = 8;
		j++;
		if (fmt[j] == 'l')
			j++;
	}
	switch (fmt[j]) {
	case 'd':
	case 'i':
		is_signed = true;
		break;
	case 'u':
	case 'x':
	case 'X':
		is_signed = false;
		break;
	default:
		return -EINVAL;
	}
	if (pk_take_value(a, size))
		return -ENOSPC;
	*i = j;
	if (size == 4)
		arg = is_signed ? (u64)(s64)(s32)arg : (u32)arg;
	upper = fmt[j] == 'X';
	pk_number(o, arg, is_signed, (fmt[j] == 'x' || upper) ? 16 : 10, upper, s);
	return 0;
}

int bpfdev_printk_format(struct bpfdev_printk_buf *buf, const char *fmt,
			 u32 fmt_size, const u64 *args,
			 const struct bpfdev_printk_ops *ops)
{
	struct pk_out o = { .buf = buf->line, .size = sizeof(buf->line) };
	struct pk_args a = { .buf = buf->args };
	const u8 *f = (const u8 *)fmt;
	u32 len, i, nspec = 0;
	int err;

	/* strnchr(fmt, fmt_size, 0): the format ends inside what was given */
	len = pk_strnlen(fmt, fmt_size);
	if (len == fmt_size)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (f[i] < 0x80 && (f[i] < ' ' || f[i] == 0x7f) && !pk_isspace(f[i]))
			return -EINVAL;
		if (f[i] != '%') {
			pk_putc(&o, f[i]);
			continue;
		}
		if (f[i + 1] == '%') {
			pk_putc(&o, '%');
			i++;
			continue;
		}
		if (nspec >= BPFDEV_PRINTK_MAX_ARGS)
			return -EINVAL;
		err = pk_conversion(&o, &a, f, &i, args[nspec], ops);
		if (err)
			return err;
		nspec++;
	}
	o.buf[min_t(u64, o.len, o.size - 1)] = 0;
	return min_t(u64, o.len, S32_MAX);
}
