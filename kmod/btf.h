/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_BTF_H
#define BPFDEV_BTF_H

#include <linux/refcount.h>
#include <linux/types.h>

struct bpf_func_info;
struct bpf_insn;
struct bpf_line_info;
struct bpf_prog_info;
struct bpfdev_file;
struct file;
union bpf_attr;

/*
 * A BTF blob loaded by BPF_BTF_LOAD: the bytes as given (checked for
 * layout, not for meaning), the offset of each type for the checks of the
 * programs' func_info, an id and fds.  Immutable after the load; only the
 * refcount changes (fds, programs).
 */
struct bpfdev_btf {
	refcount_t	refcnt;
	u32		id;
	u32		size;
	u32		nr_types;	/* type ids 1..nr_types */
	void		*data;
	u32		*type_offs;	/* [id - 1]: offset in data */
};

/* A program's BTF: its func_info and line_info, kept for prog info. */
struct bpfdev_prog_btf {
	struct bpfdev_btf	*btf;		/* a reference, or NULL */
	struct bpf_func_info	*func_info;
	u32			nr_func_info;
	struct bpf_line_info	*line_info;
	u32			nr_line_info;
};

/* The bytes after struct btf_type for kind and vlen; -1 for an unknown kind. */
long bpfdev_btf_extra(u32 kind, u32 vlen);
/* typedef, const, volatile, restrict or type tag: a name for another type */
bool bpfdev_btf_is_modifier(u32 kind);

int bpfdev_cmd_btf_load(struct bpfdev_file *bf, union bpf_attr *attr,
			union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_btf_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size);
int bpfdev_cmd_btf_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
			       union bpf_attr __user *uattr, u32 size);

struct bpfdev_btf *bpfdev_btf_get_by_file(struct file *file);
int bpfdev_btf_info(struct bpfdev_btf *btf, union bpf_attr *attr,
		    union bpf_attr __user *uattr);
void bpfdev_btf_put(struct bpfdev_btf *btf);

/* MAP_CREATE's btf_fd and type ids, checked; the BTF with a reference. */
struct bpfdev_btf *bpfdev_btf_map_check(const union bpf_attr *attr);
u32 bpfdev_btf_id(const struct bpfdev_btf *btf);

/*
 * PROG_LOAD's prog_btf_fd, func_info and line_info, checked as the
 * kernel's check_btf_info() does against the program's insns, into pb.
 */
int bpfdev_prog_btf_load(struct bpfdev_prog_btf *pb, const union bpf_attr *attr,
			 const struct bpf_insn *insns, u32 insn_cnt);
void bpfdev_prog_btf_free(struct bpfdev_prog_btf *pb);
/*
 * Checks info's record sizes, then fills its btf_id, and its func_info and
 * line_info when records (the caller may see them).
 */
int bpfdev_prog_btf_info(const struct bpfdev_prog_btf *pb, struct bpf_prog_info *info,
			 bool records);

#endif /* BPFDEV_BTF_H */
