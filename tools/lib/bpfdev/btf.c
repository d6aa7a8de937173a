// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The .BTF section (Documentation/bpf/btf.rst): a header, a type table and
 * a string table.  Types are variable-length records, so parsing walks
 * them once, checks each fits, and keeps a pointer per id.
 */

#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "internal.h"

/* Bytes after struct btf_type for each kind, or -1 for an unknown kind. */
static long btf_extra_size(const struct btf_type *t)
{
	__u16 vlen = btf_vlen_of(t);

	switch (btf_kind_of(t)) {
	case BTF_KIND_FWD:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_INT:
		return sizeof(__u32);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	default:
		return -1;
	}
}

static int btf_add_type(struct bpfdev_btf *btf, const struct btf_type *t, __u32 *cap)
{
	const struct btf_type **types;

	if (btf->nr_types == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		types = realloc(btf->types, *cap * sizeof(*types));
		if (!types)
			return -ENOMEM;
		btf->types = types;
	}
	btf->types[btf->nr_types++] = t;
	return 0;
}

int bpfdev_btf_parse(struct bpfdev_btf *btf, const void *data, size_t size)
{
	const struct btf_header *hdr;
	const char *p, *end;
	__u32 cap = 0;
	int err;

	memset(btf, 0, sizeof(*btf));
	if (size < sizeof(*hdr)) {
		pr_warn(".BTF: %zu bytes, shorter than its header\n", size);
		return -EINVAL;
	}
	btf->data = malloc(size);
	if (!btf->data)
		return -ENOMEM;
	memcpy(btf->data, data, size);
	btf->size = size;
	hdr = btf->data;
	if (hdr->magic != BTF_MAGIC) {
		pr_warn(".BTF: bad magic 0x%04x (big-endian BTF is not supported)\n",
			hdr->magic);
		goto inval;
	}
	if (hdr->version != BTF_VERSION) {
		pr_warn(".BTF: unsupported version %u\n", hdr->version);
		goto inval;
	}
	if (hdr->hdr_len < sizeof(*hdr) || hdr->hdr_len > size ||
	    (__u64)hdr->hdr_len + hdr->type_off + hdr->type_len > size ||
	    (__u64)hdr->hdr_len + hdr->str_off + hdr->str_len > size ||
	    hdr->type_off % 4) {
		pr_warn(".BTF: header offsets beyond the section (%zu bytes)\n", size);
		goto inval;
	}
	btf->strs = (const char *)btf->data + hdr->hdr_len + hdr->str_off;
	btf->str_len = hdr->str_len;
	if (!btf->str_len || btf->strs[btf->str_len - 1] != '\0') {
		pr_warn(".BTF: string table not NUL-terminated\n");
		goto inval;
	}

	err = btf_add_type(btf, NULL, &cap);
	if (err)
		goto fail;
	p = (const char *)btf->data + hdr->hdr_len + hdr->type_off;
	end = p + hdr->type_len;
	while (p < end) {
		const struct btf_type *t = (const void *)p;
		long extra;

		if ((size_t)(end - p) < sizeof(*t)) {
			pr_warn(".BTF: type #%u truncated\n", btf->nr_types);
			goto inval;
		}
		extra = btf_extra_size(t);
		if (extra < 0) {
			pr_warn(".BTF: type #%u: unknown kind %u\n", btf->nr_types,
				btf_kind_of(t));
			goto inval;
		}
		if ((size_t)(end - p) < sizeof(*t) + extra) {
			pr_warn(".BTF: type #%u truncated\n", btf->nr_types);
			goto inval;
		}
		if (t->name_off >= btf->str_len) {
			pr_warn(".BTF: type #%u: name offset %u out of range\n",
				btf->nr_types, t->name_off);
			goto inval;
		}
		err = btf_add_type(btf, t, &cap);
		if (err)
			goto fail;
		p += sizeof(*t) + extra;
	}
	return 0;
inval:
	err = -EINVAL;
fail:
	bpfdev_btf_free(btf);
	return err;
}

void bpfdev_btf_free(struct bpfdev_btf *btf)
{
	free(btf->types);
	free(btf->data);
	memset(btf, 0, sizeof(*btf));
}

const struct btf_type *bpfdev_btf_type(const struct bpfdev_btf *btf, __u32 id)
{
	return id < btf->nr_types ? btf->types[id] : NULL;
}

const char *bpfdev_btf_str(const struct bpfdev_btf *btf, __u32 off)
{
	return off < btf->str_len ? btf->strs + off : "";
}

__u32 bpfdev_btf_skip_mods(const struct bpfdev_btf *btf, __u32 id)
{
	const struct btf_type *t;
	int depth;

	/* A bounded walk: a loop of typedefs in bad BTF must not hang us. */
	for (depth = 0; depth < 32; depth++) {
		t = bpfdev_btf_type(btf, id);
		if (!t)
			return id;
		switch (btf_kind_of(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return id;
		}
	}
	return 0;
}

long long bpfdev_btf_size(const struct bpfdev_btf *btf, __u32 id)
{
	long long mult = 1;
	int depth;

	for (depth = 0; depth < 32; depth++) {
		const struct btf_type *t;
		const struct btf_array *arr;

		id = bpfdev_btf_skip_mods(btf, id);
		t = bpfdev_btf_type(btf, id);
		if (!t)
			return -EINVAL;
		switch (btf_kind_of(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_FLOAT:
		case BTF_KIND_DATASEC:
			return mult * t->size;
		case BTF_KIND_PTR:
			return mult * 8;
		case BTF_KIND_ARRAY:
			arr = (const void *)(t + 1);
			if (arr->nelems && mult > (1LL << 40) / arr->nelems)
				return -E2BIG;
			mult *= arr->nelems;
			id = arr->type;
			break;
		case BTF_KIND_VAR:
			id = t->type;
			break;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}

__u32 bpfdev_btf_find_datasec(const struct bpfdev_btf *btf, const char *name)
{
	__u32 id;

	for (id = 1; id < btf->nr_types; id++) {
		const struct btf_type *t = btf->types[id];

		if (btf_kind_of(t) == BTF_KIND_DATASEC &&
		    !strcmp(bpfdev_btf_str(btf, t->name_off), name))
			return id;
	}
	return 0;
}
