// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's BTF (/sys/kernel/btf/vmlinux), read for the one
 * thing no exported interface tells a module: the arguments a tracepoint
 * passes its probes.  The kernel's BTF has a typedef btf_trace_<name> for
 * every tracepoint of vmlinux, a pointer to the probe's prototype whose
 * first parameter is the probe's data: the parameters after it are what
 * the kernel's bpf_raw_event_map.num_args counts, and their types say how
 * CAST_TO_U64() widens each.
 *
 * The file is read at each raw tracepoint attach and dropped again (a few
 * MiB): attaching is rare and sleeps anyway, and a copy kept would pin
 * that memory for the module's life.  Only a file on sysfs is taken, so
 * a mount namespace cannot stand another blob in its place; even a wrong
 * count could only show a program slots of its own args[] array (there
 * is room for MAX_BPF_FUNC_ARGS, the verifier's bound), never memory
 * outside it.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <uapi/linux/btf.h>

#include "btf.h"
#include "btf_vmlinux.h"

#define BPFDEV_BTF_VMLINUX_PATH	"/sys/kernel/btf/vmlinux"
/* vmlinux BTF is 5-6 MiB on Debian's kernels; anything far beyond is not it. */
#define BPFDEV_BTF_VMLINUX_MAX	(64 << 20)
/* Modifier chains are short; a longer one is a loop. */
#define BPFDEV_BTF_MAX_MODS	32

/* The blob, its sections and the offset of each type (ids 1..nr). */
struct bpfdev_btf_vmlinux {
	void		*data;
	u32		size;
	const void	*types;
	u32		type_len;
	const char	*strs;
	u32		str_len;
	u32		*offs;
	u32		nr;
};

static int bpfdev_btf_vmlinux_read(struct bpfdev_btf_vmlinux *bv)
{
	struct file *f;
	loff_t pos = 0, len;
	ssize_t n;
	int err = 0;

	f = filp_open(BPFDEV_BTF_VMLINUX_PATH, O_RDONLY, 0);
	if (IS_ERR(f)) {
		/*
		 * A kernel built without CONFIG_DEBUG_INFO_BTF: the
		 * tracepoint exists, but nothing tells its arguments.
		 */
		if (PTR_ERR(f) == -ENOENT) {
			pr_notice_once("raw tracepoints need the kernel's BTF (%s)\n",
				       BPFDEV_BTF_VMLINUX_PATH);
			return -EOPNOTSUPP;
		}
		return PTR_ERR(f);
	}
	len = i_size_read(file_inode(f));
	if (file_inode(f)->i_sb->s_magic != SYSFS_MAGIC ||
	    len < (loff_t)sizeof(struct btf_header) || len > BPFDEV_BTF_VMLINUX_MAX) {
		err = -EINVAL;
		goto out;
	}
	bv->data = vmalloc(len);
	if (!bv->data) {
		err = -ENOMEM;
		goto out;
	}
	while (pos < len) {
		n = kernel_read(f, bv->data + pos, len - pos, &pos);
		if (n <= 0) {
			err = n ? n : -EIO;
			goto out;
		}
	}
	bv->size = len;
out:
	filp_close(f, NULL);
	return err;
}

/* Checks the header as far as the walk relies on it; indexes the types. */
static int bpfdev_btf_vmlinux_index(struct bpfdev_btf_vmlinux *bv)
{
	const struct btf_header *hdr = bv->data;
	u32 size = bv->size, avail, off = 0;

	if (hdr->magic != BTF_MAGIC || hdr->hdr_len < sizeof(*hdr) ||
	    hdr->hdr_len > size)
		return -EINVAL;
	avail = size - hdr->hdr_len;
	if (hdr->type_off > avail || hdr->type_len > avail - hdr->type_off ||
	    hdr->str_off > avail || hdr->str_len > avail - hdr->str_off ||
	    !hdr->str_len)
		return -EINVAL;
	bv->types = bv->data + hdr->hdr_len + hdr->type_off;
	bv->type_len = hdr->type_len;
	bv->strs = bv->data + hdr->hdr_len + hdr->str_off;
	bv->str_len = hdr->str_len;
	if (bv->strs[bv->str_len - 1])
		return -EINVAL;

	bv->offs = kvmalloc_array(bv->type_len / sizeof(struct btf_type) + 1,
				  sizeof(u32), GFP_KERNEL);
	if (!bv->offs)
		return -ENOMEM;
	while (off < bv->type_len) {
		const struct btf_type *t = bv->types + off;
		long extra;

		if (bv->type_len - off < sizeof(*t))
			return -EINVAL;
		extra = bpfdev_btf_extra(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info));
		if (extra < 0 || bv->type_len - off - sizeof(*t) < extra)
			return -EINVAL;
		bv->offs[bv->nr++] = off;
		off += sizeof(*t) + extra;
	}
	return 0;
}

static const struct btf_type *bpfdev_btf_vmlinux_type(const struct bpfdev_btf_vmlinux *bv,
						      u32 id)
{
	if (!id || id > bv->nr)
		return NULL;
	return bv->types + bv->offs[id - 1];
}

/* The type under typedefs and qualifiers; NULL for void or a bad id. */
static const struct btf_type *bpfdev_btf_vmlinux_resolve(const struct bpfdev_btf_vmlinux *bv,
							 u32 id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < BPFDEV_BTF_MAX_MODS; i++) {
		t = bpfdev_btf_vmlinux_type(bv, id);
		if (!t)
			return NULL;
		if (!bpfdev_btf_is_modifier(BTF_INFO_KIND(t->info)))
			return t;
		id = t->type;
	}
	return NULL;
}

/* An argument's width and sign: integers, enums and pointers only. */
static int bpfdev_btf_vmlinux_arg(const struct bpfdev_btf_vmlinux *bv, u32 id,
				  struct bpfdev_tp_arg *arg)
{
	const struct btf_type *t = bpfdev_btf_vmlinux_resolve(bv, id);

	if (!t)
		return -EINVAL;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_PTR:
		arg->size = sizeof(u64);
		arg->is_signed = false;
		return 0;
	case BTF_KIND_INT:
		arg->size = t->size;
		arg->is_signed = BTF_INT_ENCODING(*(const u32 *)(t + 1)) & BTF_INT_SIGNED;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		arg->size = t->size;
		arg->is_signed = BTF_INFO_KFLAG(t->info);
		break;
	default:
		return -EINVAL;
	}
	return is_power_of_2(arg->size) && arg->size <= sizeof(u64) ? 0 : -EINVAL;
}

static int bpfdev_btf_vmlinux_proto(const struct bpfdev_btf_vmlinux *bv,
				    const char *name, struct bpfdev_tp_arg *args,
				    u32 max)
{
	const struct btf_type *t = NULL;
	const struct btf_param *params;
	u32 id, vlen, i;
	int err;

	for (id = 1; id <= bv->nr; id++) {
		t = bpfdev_btf_vmlinux_type(bv, id);
		if (BTF_INFO_KIND(t->info) == BTF_KIND_TYPEDEF &&
		    t->name_off < bv->str_len && !strcmp(bv->strs + t->name_off, name))
			break;
	}
	if (id > bv->nr)
		return -ENOENT;
	/* typedef void (*btf_trace_<name>)(void *__data, proto); */
	t = bpfdev_btf_vmlinux_type(bv, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	t = bpfdev_btf_vmlinux_type(bv, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO)
		return -EINVAL;
	vlen = BTF_INFO_VLEN(t->info);
	if (!vlen || vlen - 1 > max)
		return -EINVAL;
	params = (const struct btf_param *)(t + 1);
	for (i = 1; i < vlen; i++) {
		err = bpfdev_btf_vmlinux_arg(bv, params[i].type, &args[i - 1]);
		if (err)
			return err;
	}
	return vlen - 1;
}

int bpfdev_btf_vmlinux_tp_args(const char *tp_name, struct bpfdev_tp_arg *args,
			       u32 max)
{
	struct bpfdev_btf_vmlinux bv = {};
	char *name;
	int ret;

	name = kasprintf(GFP_KERNEL, "btf_trace_%s", tp_name);
	if (!name)
		return -ENOMEM;
	ret = bpfdev_btf_vmlinux_read(&bv);
	if (!ret)
		ret = bpfdev_btf_vmlinux_index(&bv);
	if (!ret)
		ret = bpfdev_btf_vmlinux_proto(&bv, name, args, max);
	kvfree(bv.offs);
	vfree(bv.data);
	kfree(name);
	return ret;
}
