/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A reader of the .BTF section, enough for BTF-defined maps: types by id,
 * names, sizes, DATASEC lookup.  Every offset is checked at parse time, so
 * the accessors trust the tables.
 */
#ifndef LIBBPFDEV_BTF_H
#define LIBBPFDEV_BTF_H

#include <linux/btf.h>
#include <linux/types.h>
#include <stddef.h>

struct bpfdev_btf {
	void			*data;		/* own copy of the section */
	size_t			size;
	const char		*strs;
	__u32			str_len;
	const struct btf_type	**types;	/* [0] is void: NULL */
	__u32			nr_types;	/* including void */
};

int bpfdev_btf_parse(struct bpfdev_btf *btf, const void *data, size_t size);
void bpfdev_btf_free(struct bpfdev_btf *btf);

const struct btf_type *bpfdev_btf_type(const struct bpfdev_btf *btf, __u32 id);
const char *bpfdev_btf_str(const struct bpfdev_btf *btf, __u32 off);
/* The id after typedefs and qualifiers. */
__u32 bpfdev_btf_skip_mods(const struct bpfdev_btf *btf, __u32 id);
/* Bytes of a type, or -EINVAL for one without a size. */
long long bpfdev_btf_size(const struct bpfdev_btf *btf, __u32 id);
/* The DATASEC named name, or 0. */
__u32 bpfdev_btf_find_datasec(const struct bpfdev_btf *btf, const char *name);

static inline __u16 btf_vlen_of(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline __u32 btf_kind_of(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

#endif /* LIBBPFDEV_BTF_H */
