// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Map definitions of an object: BTF-defined maps in ".maps" (libbpf's
 * __uint/__type members), legacy struct bpf_map_def in "maps", and one
 * single-entry array per global data section (.data, .rodata, .bss).
 */

#include <stdio.h>
#include <stdlib.h>

#include "object.h"

/* struct bpf_map_def of the old bpf_helpers.h: five u32s. */
#define MAP_DEF_MIN_SIZE	16
#define MAP_DEF_SIZE		20

static struct bpfdev_map *add_map(struct bpfdev_object *obj, const char *name,
				  int sec_idx, __u64 sec_off)
{
	struct bpfdev_map *maps, *map;

	maps = realloc(obj->maps, (obj->nr_maps + 1) * sizeof(*maps));
	if (!maps)
		return NULL;
	obj->maps = maps;
	map = &maps[obj->nr_maps++];
	memset(map, 0, sizeof(*map));
	map->obj = obj;
	map->fd = -1;
	map->sec_idx = sec_idx;
	map->sec_off = sec_off;
	map->name = strdup(name);
	map->real_name = strdup(name);
	if (!map->name || !map->real_name)
		return NULL;
	/* The module takes 15 characters of [A-Za-z0-9_.]. */
	if (strlen(map->name) > BPF_OBJ_NAME_LEN - 1)
		map->name[BPF_OBJ_NAME_LEN - 1] = '\0';
	return map;
}

int bpfdev_obj_find_map(const struct bpfdev_object *obj, int sec_idx, __u64 off)
{
	size_t i;

	for (i = 0; i < obj->nr_maps; i++)
		if (obj->maps[i].sec_idx == sec_idx &&
		    (obj->maps[i].internal || obj->maps[i].sec_off == off))
			return i;
	return -1;
}

/* __uint(name, val): int (*name)[val]. */
static int btf_member_uint(const struct bpfdev_object *obj, const char *map,
			   const char *member, __u32 type_id, __u32 *val)
{
	const struct bpfdev_btf *btf = &obj->btf;
	const struct btf_type *t = bpfdev_btf_type(btf, bpfdev_btf_skip_mods(btf, type_id));
	const struct btf_type *arr;

	if (!t || btf_kind_of(t) != BTF_KIND_PTR)
		goto bad;
	arr = bpfdev_btf_type(btf, bpfdev_btf_skip_mods(btf, t->type));
	if (!arr || btf_kind_of(arr) != BTF_KIND_ARRAY)
		goto bad;
	*val = ((const struct btf_array *)(arr + 1))->nelems;
	return 0;
bad:
	pr_warn("%s: map '%s': '%s' is not __uint(%s, N)\n", obj->name, map,
		member, member);
	return -EINVAL;
}

/* __type(name, T): T *name; the size of T. */
static int btf_member_type_size(const struct bpfdev_object *obj, const char *map,
				const char *member, __u32 type_id, __u32 *size)
{
	const struct bpfdev_btf *btf = &obj->btf;
	const struct btf_type *t = bpfdev_btf_type(btf, bpfdev_btf_skip_mods(btf, type_id));
	long long sz;

	if (!t || btf_kind_of(t) != BTF_KIND_PTR) {
		pr_warn("%s: map '%s': '%s' is not __type(%s, T)\n", obj->name, map,
			member, member);
		return -EINVAL;
	}
	sz = bpfdev_btf_size(btf, t->type);
	if (sz <= 0 || sz > UINT32_MAX) {
		pr_warn("%s: map '%s': the type of '%s' has no size\n", obj->name,
			map, member);
		return -EINVAL;
	}
	*size = sz;
	return 0;
}

/*
 * A map's offset in .maps is its symbol's: clang leaves the DATASEC's
 * offsets zero (libbpf's btf_fixup_datasec() takes them from the symbols).
 * A symbol outside the section keeps the DATASEC's offset, which no
 * reference then finds.
 */
static __u64 btf_map_offset(const struct bpfdev_object *obj, const char *name, __u64 off)
{
	__u64 size = obj->secs[obj->maps_btf_idx].shdr.sh_size;
	const char *sname;
	GElf_Sym sym;
	size_t i;

	for (i = 1; i < obj->nr_syms; i++)
		if (!bpfdev_obj_sym(obj, i, &sym, &sname) &&
		    sym.st_shndx == obj->maps_btf_idx && !strcmp(sname, name) &&
		    sym.st_value < size)
			return sym.st_value;
	return off;
}

static int parse_btf_map(struct bpfdev_object *obj, const struct btf_var_secinfo *vsi)
{
	const struct bpfdev_btf *btf = &obj->btf;
	const struct btf_type *var = bpfdev_btf_type(btf, vsi->type);
	const struct btf_type *def;
	const struct btf_member *m;
	const char *name;
	struct bpfdev_map *map;
	__u32 i, val, pinning = 0;
	int err;

	if (!var || btf_kind_of(var) != BTF_KIND_VAR) {
		pr_warn("%s: .maps: entry type %u is not a variable\n", obj->name, vsi->type);
		return -EINVAL;
	}
	name = bpfdev_btf_str(btf, var->name_off);
	def = bpfdev_btf_type(btf, bpfdev_btf_skip_mods(btf, var->type));
	if (!def || btf_kind_of(def) != BTF_KIND_STRUCT) {
		pr_warn("%s: map '%s': its definition is not a struct\n", obj->name, name);
		return -EINVAL;
	}
	map = add_map(obj, name, obj->maps_btf_idx, btf_map_offset(obj, name, vsi->offset));
	if (!map)
		return -ENOMEM;
	m = (const struct btf_member *)(def + 1);
	for (i = 0; i < btf_vlen_of(def); i++, m++) {
		const char *mn = bpfdev_btf_str(btf, m->name_off);

		if (!strcmp(mn, "type"))
			err = btf_member_uint(obj, name, mn, m->type, &map->type);
		else if (!strcmp(mn, "max_entries"))
			err = btf_member_uint(obj, name, mn, m->type, &map->max_entries);
		else if (!strcmp(mn, "map_flags"))
			err = btf_member_uint(obj, name, mn, m->type, &map->map_flags);
		else if (!strcmp(mn, "key_size"))
			err = btf_member_uint(obj, name, mn, m->type, &map->key_size);
		else if (!strcmp(mn, "value_size"))
			err = btf_member_uint(obj, name, mn, m->type, &map->value_size);
		else if (!strcmp(mn, "numa_node"))
			err = btf_member_uint(obj, name, mn, m->type, &val);
		else if (!strcmp(mn, "pinning"))
			err = btf_member_uint(obj, name, mn, m->type, &pinning);
		else if (!strcmp(mn, "key"))
			err = btf_member_type_size(obj, name, mn, m->type, &map->key_size);
		else if (!strcmp(mn, "value"))
			err = btf_member_type_size(obj, name, mn, m->type, &map->value_size);
		else if (!strcmp(mn, "values") || !strcmp(mn, "inner_map")) {
			pr_warn("%s: map '%s': '%s' (map-in-map or program array initial values) is not supported\n",
				obj->name, name, mn);
			return -ENOTSUP;
		} else {
			pr_warn("%s: map '%s': unknown attribute '%s'\n", obj->name, name, mn);
			return -EINVAL;
		}
		if (err)
			return err;
	}
	if (pinning) {
		pr_warn("%s: map '%s': pinning %u is not supported (pin with bpfctl map pin)\n",
			obj->name, name, pinning);
		return -ENOTSUP;
	}
	if (!map->type) {
		pr_warn("%s: map '%s': no type\n", obj->name, name);
		return -EINVAL;
	}
	return 0;
}

static int init_btf_maps(struct bpfdev_object *obj)
{
	const struct btf_var_secinfo *vsi;
	const struct btf_type *sec;
	__u32 id, i;
	int err;

	if (!obj->maps_btf_idx)
		return 0;
	if (!obj->has_btf) {
		pr_warn("%s: section '.maps' needs BTF, and the object has no .BTF (compile with -g)\n",
			obj->name);
		return -EINVAL;
	}
	id = bpfdev_btf_find_datasec(&obj->btf, ".maps");
	if (!id) {
		pr_warn("%s: BTF has no DATASEC '.maps' describing the maps\n", obj->name);
		return -EINVAL;
	}
	sec = bpfdev_btf_type(&obj->btf, id);
	vsi = (const struct btf_var_secinfo *)(sec + 1);
	for (i = 0; i < btf_vlen_of(sec); i++) {
		err = parse_btf_map(obj, &vsi[i]);
		if (err)
			return err;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static int init_legacy_maps(struct bpfdev_object *obj)
{
	struct obj_sec *sec;
	__u64 *offs = NULL;
	size_t n = 0, i, def_size;
	int err = 0;

	if (!obj->maps_legacy_idx)
		return 0;
	sec = &obj->secs[obj->maps_legacy_idx];
	offs = calloc(obj->nr_syms + 1, sizeof(*offs));
	if (!offs)
		return -ENOMEM;
	for (i = 1; i < obj->nr_syms; i++) {
		GElf_Sym sym;

		if (bpfdev_obj_sym(obj, i, &sym, NULL))
			continue;
		if (sym.st_shndx != obj->maps_legacy_idx ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		offs[n++] = sym.st_value;
	}
	if (!n) {
		pr_warn("%s: section 'maps' has no map symbols\n", obj->name);
		err = -EINVAL;
		goto out;
	}
	def_size = sec->shdr.sh_size / n;
	if (def_size < MAP_DEF_MIN_SIZE || sec->shdr.sh_size % n) {
		pr_warn("%s: section 'maps': %llu bytes for %zu maps is not struct bpf_map_def[]\n",
			obj->name, (unsigned long long)sec->shdr.sh_size, n);
		err = -EINVAL;
		goto out;
	}
	qsort(offs, n, sizeof(*offs), cmp_u64);
	for (i = 1; i < obj->nr_syms; i++) {
		const char *name;
		struct bpfdev_map *map;
		const __u8 *def;
		__u32 f[5] = { 0 };
		GElf_Sym sym;

		if (bpfdev_obj_sym(obj, i, &sym, &name))
			continue;
		if (sym.st_shndx != obj->maps_legacy_idx ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (sym.st_value % def_size || sym.st_value + def_size > sec->shdr.sh_size) {
			pr_warn("%s: map '%s': offset %llu in 'maps' is not a map definition\n",
				obj->name, name, (unsigned long long)sym.st_value);
			err = -EINVAL;
			goto out;
		}
		def = (const __u8 *)sec->data->d_buf + sym.st_value;
		memcpy(f, def, def_size < sizeof(f) ? def_size : sizeof(f));
		map = add_map(obj, name, obj->maps_legacy_idx, sym.st_value);
		if (!map) {
			err = -ENOMEM;
			goto out;
		}
		map->type = f[0];
		map->key_size = f[1];
		map->value_size = f[2];
		map->max_entries = f[3];
		map->map_flags = f[4];
	}
out:
	free(offs);
	return err;
}

/* libbpf's internal map names: an object-name prefix, then the section. */
static void internal_map_name(const struct bpfdev_object *obj, const char *sec,
			      char *buf, size_t size)
{
	int sfx = strlen(sec), pfx = strlen(obj->name);
	char *p;

	if (pfx > BPF_OBJ_NAME_LEN - 1 - sfx)
		pfx = BPF_OBJ_NAME_LEN - 1 - sfx;
	if (pfx > 8)
		pfx = 8;
	if (pfx < 0)
		pfx = 0;
	snprintf(buf, size, "%.*s%.*s", pfx, obj->name, BPF_OBJ_NAME_LEN - 1 - pfx, sec);
	for (p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.'))
			*p = '_';
}

static int init_data_maps(struct bpfdev_object *obj)
{
	char name[BPF_OBJ_NAME_LEN];
	size_t s;

	for (s = 1; s < obj->nr_secs; s++) {
		struct obj_sec *sec = &obj->secs[s];
		struct bpfdev_map *map;

		if (sec->kind != SEC_DATA || !sec->shdr.sh_size)
			continue;
		if (sec->shdr.sh_size > UINT32_MAX) {
			pr_warn("%s: section '%s' is too big\n", obj->name, sec->name);
			return -E2BIG;
		}
		internal_map_name(obj, sec->name, name, sizeof(name));
		map = add_map(obj, name, s, 0);
		if (!map)
			return -ENOMEM;
		free(map->real_name);
		map->real_name = strdup(sec->name);
		map->internal = true;
		map->type = BPF_MAP_TYPE_ARRAY;
		map->key_size = sizeof(__u32);
		map->value_size = sec->shdr.sh_size;
		map->max_entries = 1;
		map->rdonly = !strncmp(sec->name, ".rodata", 7);
		map->init = calloc(1, sec->shdr.sh_size);
		if (!map->real_name || !map->init)
			return -ENOMEM;
		if (sec->shdr.sh_type != SHT_NOBITS)
			memcpy(map->init, sec->data->d_buf, sec->shdr.sh_size);
		sec->map_idx = obj->nr_maps - 1;
	}
	return 0;
}

int bpfdev_obj_init_maps(struct bpfdev_object *obj)
{
	int err;

	err = init_btf_maps(obj);
	if (!err)
		err = init_legacy_maps(obj);
	if (!err)
		err = init_data_maps(obj);
	return err;
}
