// SPDX-License-Identifier: GPL-2.0
/*
 * BTF objects: BPF_BTF_LOAD, BTF_GET_FD_BY_ID, BTF_GET_NEXT_ID, their
 * OBJ_GET_INFO_BY_FD, and the func_info and line_info PROG_LOAD takes
 * with prog_btf_fd.
 *
 * bpfdev's verifier does not read BTF: a blob is kept so that libbpf can
 * load objects as it does on the kernel and bpftool can show programs
 * with their functions and source lines.  So the checks are the kernel's
 * on layout (header, sections, strings, each type's record size, kind and
 * references, func_info on the subprogram starts, line_info offsets), not
 * on meaning (sizes of structs, loops in the type graph); a blob the
 * kernel would refuse for meaning alone loads here (uapi differences).
 *
 * Lifetime: a BTF object lives while an fd or a program holds it; it is
 * read-only after the load, so no lock guards its data.  Nothing on the
 * packet path touches BTF, so it is freed at the last put, after its id
 * is gone (lookups by id take a reference under the id lock).
 */

#include <linux/btf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/bpf.h>
#include <uapi/linux/btf.h>

#include <linux/bpfdev.h>

#include "btf.h"
#include "objfd.h"

/* The kernel's limits (kernel/bpf/btf.c, include/linux/bpf.h). */
#define BPFDEV_BTF_MAX_SIZE		(16 * 1024 * 1024)
#define BPFDEV_BTF_MAX_NAME_OFFSET	0xffff
#define BPFDEV_BTF_MAX_TYPE		0xfffff
#define BPFDEV_MIN_FUNCINFO_SIZE	8
#define BPFDEV_MIN_LINEINFO_SIZE	16
#define BPFDEV_MAX_INFO_REC_SIZE	252
#define BPFDEV_LOG_MASK			7	/* BPF_LOG_LEVEL1 | LEVEL2 | STATS */

static struct bpfdev_ids bpfdev_btf_ids = BPFDEV_IDS_INIT(bpfdev_btf_ids);

/* ---- lifetime ------------------------------------------------------------ */

static void bpfdev_btf_free(struct bpfdev_btf *btf)
{
	kvfree(btf->type_offs);
	kvfree(btf->data);
	kfree(btf);
}

void bpfdev_btf_put(struct bpfdev_btf *btf)
{
	if (!refcount_dec_and_test(&btf->refcnt))
		return;
	bpfdev_id_free(&bpfdev_btf_ids, btf->id);
	bpfdev_btf_free(btf);
	module_put(THIS_MODULE);
}

static bool bpfdev_btf_tryget(void *obj)
{
	struct bpfdev_btf *btf = obj;

	return refcount_inc_not_zero(&btf->refcnt);
}

static int bpfdev_btf_release(struct inode *inode, struct file *file)
{
	bpfdev_btf_put(file->private_data);
	return 0;
}

/* /proc/PID/fdinfo/FD, as the kernel's bpf_btf_show_fdinfo(). */
static void bpfdev_btf_show_fdinfo(struct seq_file *m, struct file *file)
{
	const struct bpfdev_btf *btf = file->private_data;

	seq_printf(m, "btf_id:\t%u\n", btf->id);
}

static const struct file_operations bpfdev_btf_fops = {
	.owner		= THIS_MODULE,
	.show_fdinfo	= bpfdev_btf_show_fdinfo,
	.release	= bpfdev_btf_release,
	.llseek		= noop_llseek,
};

struct bpfdev_btf *bpfdev_btf_get_by_file(struct file *file)
{
	return file->f_op == &bpfdev_btf_fops ? file->private_data : NULL;
}

/* A new fd for btf, which takes the caller's reference only on success. */
static int bpfdev_btf_new_fd(struct bpfdev_btf *btf)
{
	return bpfdev_obj_fd("btf", &bpfdev_btf_fops, btf, O_RDONLY);
}

/* The BTF behind fd, with a reference. */
static struct bpfdev_btf *bpfdev_btf_get_from_fd(int fd)
{
	struct bpfdev_btf *btf;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	btf = bpfdev_btf_get_by_file(fd_file(f));
	if (btf)
		refcount_inc(&btf->refcnt);
	fdput(f);
	return btf ?: ERR_PTR(-EINVAL);
}

/* ---- checking a blob ----------------------------------------------------- */

static const struct btf_header *bpfdev_btf_hdr(const struct bpfdev_btf *btf)
{
	return btf->data;
}

static const char *bpfdev_btf_strs(const struct bpfdev_btf *btf)
{
	const struct btf_header *hdr = bpfdev_btf_hdr(btf);

	return btf->data + hdr->hdr_len + hdr->str_off;
}

static bool bpfdev_btf_name_ok(const struct bpfdev_btf *btf, u32 off)
{
	return off < bpfdev_btf_hdr(btf)->str_len;
}

static const struct btf_type *bpfdev_btf_type(const struct bpfdev_btf *btf, u32 id)
{
	const struct btf_header *hdr = bpfdev_btf_hdr(btf);

	if (!id || id > btf->nr_types)
		return NULL;
	return btf->data + hdr->hdr_len + hdr->type_off + btf->type_offs[id - 1];
}

bool bpfdev_btf_is_modifier(u32 kind)
{
	switch (kind) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

long bpfdev_btf_extra(u32 kind, u32 vlen)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return sizeof(u32);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
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
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	default:
		return -1;
	}
}

static int bpfdev_btf_check_hdr(struct bpfdev_btf *btf, const char **why)
{
	const struct btf_header *hdr = btf->data;
	u32 avail;

	if (btf->size < sizeof(*hdr) || hdr->magic != BTF_MAGIC) {
		*why = "invalid magic";
		return -EINVAL;
	}
	if (hdr->version != BTF_VERSION || hdr->flags) {
		*why = "unsupported version or flags";
		return -ENOTSUPP;
	}
	if (hdr->hdr_len < sizeof(*hdr) || hdr->hdr_len > btf->size) {
		*why = "btf_header not found";
		return -EINVAL;
	}
	/* A header longer than ours: its tail must be zero (E2BIG). */
	if (memchr_inv(btf->data + sizeof(*hdr), 0, hdr->hdr_len - sizeof(*hdr))) {
		*why = "unsupported btf_header";
		return -E2BIG;
	}
	avail = btf->size - hdr->hdr_len;
	if (hdr->type_off > avail || hdr->type_len > avail - hdr->type_off ||
	    hdr->str_off > avail || hdr->str_len > avail - hdr->str_off ||
	    hdr->type_off % 4 || !hdr->type_len) {
		*why = "invalid or missing type section";
		return -EINVAL;
	}
	/* The kernel's btf_check_sec_info(): the sections may not overlap. */
	if (hdr->type_off < hdr->str_off ?
	    hdr->type_off + hdr->type_len > hdr->str_off :
	    hdr->str_off + hdr->str_len > hdr->type_off) {
		*why = "section overlap";
		return -EINVAL;
	}
	if (!hdr->str_len || hdr->str_len - 1 > BPFDEV_BTF_MAX_NAME_OFFSET ||
	    bpfdev_btf_strs(btf)[0] || bpfdev_btf_strs(btf)[hdr->str_len - 1]) {
		*why = "invalid string section";
		return -EINVAL;
	}
	return 0;
}

/* Walks the type section: each record's size, kind and name; indexes ids. */
static int bpfdev_btf_index(struct bpfdev_btf *btf, const char **why)
{
	const struct btf_header *hdr = btf->data;
	const void *types = btf->data + hdr->hdr_len + hdr->type_off;
	u32 off = 0, n = 0, max = hdr->type_len / sizeof(struct btf_type);

	btf->type_offs = kvcalloc(max ?: 1, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!btf->type_offs)
		return -ENOMEM;
	while (off < hdr->type_len) {
		const struct btf_type *t = types + off;
		long extra;

		if (hdr->type_len - off < sizeof(*t) || n >= BPFDEV_BTF_MAX_TYPE) {
			*why = "truncated type";
			return -EINVAL;
		}
		extra = bpfdev_btf_extra(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info));
		if (extra < 0 || !bpfdev_btf_name_ok(btf, t->name_off)) {
			*why = extra < 0 ? "invalid kind" : "invalid name offset";
			return -EINVAL;
		}
		if (hdr->type_len - off - sizeof(*t) < extra) {
			*why = "truncated type";
			return -EINVAL;
		}
		btf->type_offs[n++] = off;
		off += sizeof(*t) + extra;
	}
	btf->nr_types = n;
	return 0;
}

/* The references a type makes by its type field name a type that exists. */
static int bpfdev_btf_check_refs(struct bpfdev_btf *btf, const char **why)
{
	u32 id;

	for (id = 1; id <= btf->nr_types; id++) {
		const struct btf_type *t = bpfdev_btf_type(btf, id);
		const struct btf_type *to;

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			if (t->type > btf->nr_types) {
				*why = "invalid type_id";
				return -EINVAL;
			}
			break;
		case BTF_KIND_FUNC:
			to = bpfdev_btf_type(btf, t->type);
			if (!to || BTF_INFO_KIND(to->info) != BTF_KIND_FUNC_PROTO ||
			    BTF_INFO_VLEN(t->info) > BTF_FUNC_EXTERN) {
				*why = "invalid func";
				return -EINVAL;
			}
			break;
		}
	}
	return 0;
}

/* ---- BPF_BTF_LOAD -------------------------------------------------------- */

/* The kernel's bpf_verifier_log_attr_valid() for btf_log_*. */
static bool bpfdev_btf_log_ok(const union bpf_attr *attr)
{
	if (!attr->btf_log_level && !attr->btf_log_buf && !attr->btf_log_size)
		return true;
	return attr->btf_log_size >= 128 && attr->btf_log_size <= UINT_MAX >> 2 &&
	       attr->btf_log_level && attr->btf_log_buf &&
	       !(attr->btf_log_level & ~BPFDEV_LOG_MASK);
}

/* Why a blob was refused, in the caller's log if it asked for one. */
static int bpfdev_btf_log(const union bpf_attr *attr, const char *why)
{
	char msg[64];
	int len;

	if (!attr->btf_log_level)
		return 0;
	len = scnprintf(msg, sizeof(msg), "%s\n", why);
	len = min_t(u32, len + 1, attr->btf_log_size);
	msg[len - 1] = 0;
	return copy_to_user(u64_to_user_ptr(attr->btf_log_buf), msg, len) ? -EFAULT : 0;
}

int bpfdev_cmd_btf_load(struct bpfdev_file *bf, union bpf_attr *attr,
			union bpf_attr __user *uattr, u32 size)
{
	const char *why = NULL;
	struct bpfdev_btf *btf;
	int err, fd;

	if (BPFDEV_CHECK_ATTR(attr, btf_log_level))
		return -EINVAL;
	if (!bpfdev_btf_log_ok(attr))
		return -EINVAL;
	if (attr->btf_size > BPFDEV_BTF_MAX_SIZE)
		return -E2BIG;
	if (!attr->btf_size)
		return -EINVAL;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	btf = kzalloc(sizeof(*btf), GFP_KERNEL_ACCOUNT);
	if (!btf) {
		err = -ENOMEM;
		goto err_module;
	}
	refcount_set(&btf->refcnt, 1);
	btf->size = attr->btf_size;
	btf->data = kvmalloc(btf->size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!btf->data) {
		err = -ENOMEM;
		goto err_btf;
	}
	if (copy_from_user(btf->data, u64_to_user_ptr(attr->btf), btf->size)) {
		err = -EFAULT;
		goto err_btf;
	}
	err = bpfdev_btf_check_hdr(btf, &why);
	if (!err)
		err = bpfdev_btf_index(btf, &why);
	if (!err)
		err = bpfdev_btf_check_refs(btf, &why);
	if (err) {
		if (why && bpfdev_btf_log(attr, why))
			err = -EFAULT;
		goto err_btf;
	}
	err = bpfdev_id_alloc(&bpfdev_btf_ids, btf, &btf->id);
	if (err)
		goto err_btf;
	fd = bpfdev_btf_new_fd(btf);
	if (fd < 0)
		bpfdev_btf_put(btf);	/* frees it, its id and the module ref */
	return fd;

err_btf:
	bpfdev_btf_free(btf);
err_module:
	module_put(THIS_MODULE);
	return err;
}

/* ---- ids and info -------------------------------------------------------- */

int bpfdev_cmd_btf_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_btf *btf;
	int fd;

	/* As 6.1's bpf_btf_get_fd_by_id(): the attr, then CAP_SYS_ADMIN. */
	if (BPFDEV_CHECK_ATTR(attr, btf_id))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	btf = bpfdev_id_get(&bpfdev_btf_ids, attr->btf_id, bpfdev_btf_tryget);
	if (!btf)
		return -ENOENT;
	fd = bpfdev_btf_new_fd(btf);
	if (fd < 0)
		bpfdev_btf_put(btf);
	return fd;
}

int bpfdev_cmd_btf_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
			       union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_id_cmd_next(&bpfdev_btf_ids, attr, uattr);
}

/* As the kernel's btf_get_info_by_fd(); user BTF has an empty name. */
int bpfdev_btf_info(struct bpfdev_btf *btf, union bpf_attr *attr,
		    union bpf_attr __user *uattr)
{
	struct bpf_btf_info info;
	char __user *uname;
	u32 info_len;
	int err;

	err = bpfdev_info_start(attr, &info, sizeof(info), &info_len);
	if (err)
		return err;
	if (copy_from_user(&info, u64_to_user_ptr(attr->info.info), info_len))
		return -EFAULT;

	info.id = btf->id;
	if (copy_to_user(u64_to_user_ptr(info.btf), btf->data,
			 min_t(u32, btf->size, info.btf_size)))
		return -EFAULT;
	info.btf_size = btf->size;
	info.kernel_btf = 0;
	uname = u64_to_user_ptr(info.name);
	if (!uname ^ !info.name_len)
		return -EINVAL;
	info.name_len = 0;
	if (uname && put_user(0, uname))
		return -EFAULT;
	return bpfdev_info_finish(attr, uattr, &info, info_len);
}

/* ---- a map's key and value types ---------------------------------------- */

/* The size of type id, through modifiers and arrays, as btf_type_id_size(). */
static int bpfdev_btf_type_size(const struct bpfdev_btf *btf, u32 id, u32 *size, int depth)
{
	const struct btf_type *t;
	const struct btf_array *a;
	u32 elem;
	int i;

	for (i = 0; i < 32; i++) {
		t = bpfdev_btf_type(btf, id);
		if (!t)
			return -EINVAL;
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			*size = t->size;
			return 0;
		case BTF_KIND_PTR:
			*size = sizeof(void *);
			return 0;
		case BTF_KIND_ARRAY:
			a = (const struct btf_array *)(t + 1);
			if (depth > 8 || bpfdev_btf_type_size(btf, a->type, &elem, depth + 1) ||
			    (a->nelems && elem > U32_MAX / a->nelems))
				return -EINVAL;
			*size = elem * a->nelems;
			return 0;
		default:
			return -EINVAL;
		}
	}
	return -EINVAL;
}

/* The type id names, past typedefs and modifiers; NULL for void or a loop. */
static const struct btf_type *bpfdev_btf_resolved(const struct bpfdev_btf *btf, u32 id)
{
	const struct btf_type *t;
	int i;

	for (i = 0; i < 32; i++) {
		t = bpfdev_btf_type(btf, id);
		if (!t)
			return NULL;
		if (!bpfdev_btf_is_modifier(BTF_INFO_KIND(t->info)))
			return t;
		id = t->type;
	}
	return NULL;
}

/*
 * MAP_CREATE's btf_fd with btf_key_type_id/btf_value_type_id, as the
 * kernel's map_check_btf(): the types' sizes are the key's and value's;
 * an array's key is a 32-bit int, or none for a one-entry array of a
 * DATASEC (global data); other maps need a key type.  bpfdev keeps the
 * BTF for the map's info (so dumps can format values), nothing more.
 */
struct bpfdev_btf *bpfdev_btf_map_check(const union bpf_attr *attr)
{
	const struct btf_type *kt, *vt;
	struct bpfdev_btf *btf;
	u32 size;

	btf = bpfdev_btf_get_from_fd(attr->btf_fd);
	if (IS_ERR(btf) || !attr->btf_value_type_id)
		return btf;
	if (bpfdev_btf_type_size(btf, attr->btf_value_type_id, &size, 0) ||
	    size != attr->value_size)
		goto err;
	vt = bpfdev_btf_resolved(btf, attr->btf_value_type_id);
	kt = bpfdev_btf_resolved(btf, attr->btf_key_type_id);
	if (!attr->btf_key_type_id) {
		if (attr->map_type != BPF_MAP_TYPE_ARRAY || attr->max_entries != 1 ||
		    !vt || BTF_INFO_KIND(vt->info) != BTF_KIND_DATASEC)
			goto err;
		return btf;
	}
	if (bpfdev_btf_type_size(btf, attr->btf_key_type_id, &size, 0) ||
	    size != attr->key_size)
		goto err;
	if (attr->map_type == BPF_MAP_TYPE_ARRAY &&
	    (!kt || BTF_INFO_KIND(kt->info) != BTF_KIND_INT ||
	     BTF_INT_BITS(*(const u32 *)(kt + 1)) != 32 ||
	     BTF_INT_OFFSET(*(const u32 *)(kt + 1))))
		goto err;
	return btf;
err:
	bpfdev_btf_put(btf);
	return ERR_PTR(-EINVAL);
}

u32 bpfdev_btf_id(const struct bpfdev_btf *btf)
{
	return btf ? btf->id : 0;
}

/* ---- a program's func_info and line_info -------------------------------- */

static int bpfdev_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The first insn of each subprogram, sorted, as the verifier's
 * add_subprog() finds them: 0 and every bpf-to-bpf call or callback
 * target.  Returns the count, or -errno; *starts is the caller's.
 */
static int bpfdev_subprog_starts(const struct bpf_insn *insns, u32 cnt, u32 **starts)
{
	u32 i, n = 1, m, *s;

	s = kvcalloc(cnt + 1, sizeof(u32), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *in = &insns[i];
		s64 target = (s64)i + in->imm + 1;

		if ((in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL) ||
		    (in->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		     in->src_reg == BPF_PSEUDO_FUNC))
			if (target > 0 && target < cnt)
				s[n++] = target;
	}
	sort(s, n, sizeof(u32), bpfdev_u32_cmp, NULL);
	for (i = 1, m = 1; i < n; i++)
		if (s[i] != s[m - 1])
			s[m++] = s[i];
	*starts = s;
	return m;
}

static int bpfdev_prog_func_info(struct bpfdev_prog_btf *pb, const union bpf_attr *attr,
				 const struct bpf_insn *insns, u32 insn_cnt)
{
	u32 rec = attr->func_info_rec_size, n = attr->func_info_cnt, i, *starts;
	void __user *urec = u64_to_user_ptr(attr->func_info);
	int nstarts, err;

	if (rec < BPFDEV_MIN_FUNCINFO_SIZE || rec > BPFDEV_MAX_INFO_REC_SIZE || rec % 4)
		return -EINVAL;
	nstarts = bpfdev_subprog_starts(insns, insn_cnt, &starts);
	if (nstarts < 0)
		return nstarts;
	/* The kernel's "func_info BTF section doesn't match subprog layout". */
	err = -EINVAL;
	if (n != nstarts)
		goto out;
	err = -ENOMEM;
	pb->func_info = kvcalloc(n, sizeof(*pb->func_info), GFP_KERNEL_ACCOUNT);
	if (!pb->func_info)
		goto out;
	for (i = 0; i < n; i++, urec += rec) {
		const struct btf_type *t;

		err = bpfdev_check_tail_zero(urec, sizeof(*pb->func_info), rec);
		if (err)
			goto out;
		err = -EFAULT;
		if (copy_from_user(&pb->func_info[i], urec, sizeof(*pb->func_info)))
			goto out;
		err = -EINVAL;
		if (pb->func_info[i].insn_off != starts[i])
			goto out;
		t = bpfdev_btf_type(pb->btf, pb->func_info[i].type_id);
		if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC)
			goto out;
	}
	pb->nr_func_info = n;
	err = 0;
out:
	kvfree(starts);
	return err;
}

static int bpfdev_prog_line_info(struct bpfdev_prog_btf *pb, const union bpf_attr *attr,
				 u32 insn_cnt)
{
	u32 rec = attr->line_info_rec_size, n = attr->line_info_cnt, i;
	void __user *urec = u64_to_user_ptr(attr->line_info);
	struct bpf_line_info *li;
	int err;

	if (n > INT_MAX / sizeof(*li) || n > insn_cnt)
		return -EINVAL;
	if (rec < BPFDEV_MIN_LINEINFO_SIZE || rec > BPFDEV_MAX_INFO_REC_SIZE || rec % 4)
		return -EINVAL;
	pb->line_info = kvcalloc(n, sizeof(*li), GFP_KERNEL_ACCOUNT);
	if (!pb->line_info)
		return -ENOMEM;
	for (i = 0; i < n; i++, urec += rec) {
		li = &pb->line_info[i];
		err = bpfdev_check_tail_zero(urec, sizeof(*li), rec);
		if (err)
			return err;
		if (copy_from_user(li, urec, sizeof(*li)))
			return -EFAULT;
		if ((i && li->insn_off <= li[-1].insn_off) || (!i && li->insn_off) ||
		    li->insn_off >= insn_cnt ||
		    !bpfdev_btf_name_ok(pb->btf, li->line_off) ||
		    !bpfdev_btf_name_ok(pb->btf, li->file_name_off))
			return -EINVAL;
	}
	pb->nr_line_info = n;
	return 0;
}

int bpfdev_prog_btf_load(struct bpfdev_prog_btf *pb, const union bpf_attr *attr,
			 const struct bpf_insn *insns, u32 insn_cnt)
{
	struct bpfdev_btf *btf;
	int err;

	/* As check_btf_info(): without either, prog_btf_fd is not looked at. */
	if (!attr->func_info_cnt && !attr->line_info_cnt)
		return 0;
	btf = bpfdev_btf_get_from_fd(attr->prog_btf_fd);
	if (IS_ERR(btf))
		return PTR_ERR(btf);
	pb->btf = btf;
	if (attr->func_info_cnt) {
		err = bpfdev_prog_func_info(pb, attr, insns, insn_cnt);
		if (err)
			return err;
	}
	if (attr->line_info_cnt)
		return bpfdev_prog_line_info(pb, attr, insn_cnt);
	return 0;
}

void bpfdev_prog_btf_free(struct bpfdev_prog_btf *pb)
{
	kvfree(pb->func_info);
	kvfree(pb->line_info);
	if (pb->btf)
		bpfdev_btf_put(pb->btf);
	memset(pb, 0, sizeof(*pb));
}

/*
 * records: the caller may see the func_info and line_info records (6.1
 * tells a caller without CAP_BPF the btf_id but neither records nor
 * their counts).
 */
int bpfdev_prog_btf_info(const struct bpfdev_prog_btf *pb, struct bpf_prog_info *info,
			 bool records)
{
	u32 ulen;

	/* As bpf_prog_get_info_by_fd(): a record size asked for is ours. */
	if (((info->nr_func_info || info->func_info_rec_size) &&
	     info->func_info_rec_size != sizeof(struct bpf_func_info)) ||
	    ((info->nr_line_info || info->line_info_rec_size) &&
	     info->line_info_rec_size != sizeof(struct bpf_line_info)) ||
	    ((info->nr_jited_line_info || info->jited_line_info_rec_size) &&
	     info->jited_line_info_rec_size != sizeof(__u64)))
		return -EINVAL;
	info->btf_id = pb->btf ? pb->btf->id : 0;
	info->func_info_rec_size = sizeof(struct bpf_func_info);
	info->line_info_rec_size = sizeof(struct bpf_line_info);
	info->jited_line_info_rec_size = sizeof(__u64);
	if (!records) {
		info->nr_func_info = 0;
		info->nr_line_info = 0;
		return 0;
	}

	ulen = info->nr_func_info;
	info->nr_func_info = pb->nr_func_info;
	if (ulen && pb->nr_func_info &&
	    copy_to_user(u64_to_user_ptr(info->func_info), pb->func_info,
			 min(ulen, pb->nr_func_info) * sizeof(struct bpf_func_info)))
		return -EFAULT;

	ulen = info->nr_line_info;
	info->nr_line_info = pb->nr_line_info;
	if (ulen && pb->nr_line_info &&
	    copy_to_user(u64_to_user_ptr(info->line_info), pb->line_info,
			 min(ulen, pb->nr_line_info) * sizeof(struct bpf_line_info)))
		return -EFAULT;
	return 0;
}
