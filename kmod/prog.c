// SPDX-License-Identifier: GPL-2.0
/*
 * Program objects and the bpf() program commands: PROG_LOAD (verifier,
 * then JIT, else the interpreter), PROG_ATTACH/DETACH, the id commands
 * and OBJ_GET_INFO_BY_FD (PROG_TEST_RUN is in prog_test_run.c).
 *
 * A program holds a reference on every map it uses; it is freed an RCU
 * grace period after its last reference, and each program pins the module.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/license.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <crypto/sha1.h>
#include <net/net_namespace.h>

#include "capture.h"
#include "debugfs.h"
#include "dev.h"
#include "helpers.h"
#include "jit.h"
#include "jit_arena.h"
#include "map.h"
#include "objfd.h"
#include "prog.h"
#include "verifier.h"

static void *bpfdev_kvdup(const void *src, size_t len)
{
	void *p = kvmalloc(len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);

	if (p)
		memcpy(p, src, len);
	return p;
}

static struct bpfdev_ids bpfdev_prog_ids = BPFDEV_IDS_INIT(bpfdev_prog_ids);

/* ---- references --------------------------------------------------------- */

void bpfdev_prog_get(struct bpfdev_prog *prog)
{
	refcount_inc(&prog->refcnt);
}

static bool bpfdev_prog_tryget(void *obj)
{
	struct bpfdev_prog *prog = obj;

	return refcount_inc_not_zero(&prog->refcnt);
}

static void bpfdev_prog_free(struct bpfdev_prog *prog)
{
	u32 i;

	if (prog->code.jited)
		bpfdev_jit_free(&prog->code);
	for (i = 0; i < prog->nr_used_maps; i++)
		bpfdev_map_put(prog->used_maps[i]);
	kfree(prog->used_maps);
	bpfdev_prog_btf_free(&prog->btf);
	kvfree(prog->code.insns);
	free_percpu(prog->stats);
	kfree(prog);
}

static void bpfdev_prog_free_work(struct work_struct *work)
{
	struct bpfdev_prog *prog = container_of(to_rcu_work(work),
						struct bpfdev_prog, free_work);

	bpfdev_prog_free(prog);
	atomic_dec(&bpfdev_stats.progs);
	/* Module exit drains bpfdev_wq, so this code outlives the put. */
	module_put(THIS_MODULE);
}

void bpfdev_prog_put(struct bpfdev_prog *prog)
{
	if (!refcount_dec_and_test(&prog->refcnt))
		return;
	bpfdev_id_free(&bpfdev_prog_ids, prog->id);
	INIT_RCU_WORK(&prog->free_work, bpfdev_prog_free_work);
	queue_rcu_work(bpfdev_wq, &prog->free_work);
}

/* ---- fds ---------------------------------------------------------------- */

static int bpfdev_prog_release(struct inode *inode, struct file *file)
{
	atomic_dec(&bpfdev_stats.prog_fds);
	bpfdev_prog_put(file->private_data);
	return 0;
}

/* The kernel's bpf_prog_get_stats(): the sums over every CPU. */
static void bpfdev_prog_get_stats(const struct bpfdev_prog *prog, u64 *cnt,
				  u64 *nsecs, u64 *misses)
{
	int cpu;

	*cnt = 0;
	*nsecs = 0;
	*misses = 0;
	for_each_possible_cpu(cpu) {
		const struct bpfdev_prog_stats *st = per_cpu_ptr(prog->stats, cpu);
		u64 c, n, m;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			c = u64_stats_read(&st->cnt);
			n = u64_stats_read(&st->nsecs);
			m = u64_stats_read(&st->misses);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		*cnt += c;
		*nsecs += n;
		*misses += m;
	}
}

/* /proc/PID/fdinfo/FD, in the kernel's bpf_prog_show_fdinfo() format. */
static void bpfdev_prog_show_fdinfo(struct seq_file *m, struct file *file)
{
	const struct bpfdev_prog *prog = file->private_data;
	u64 cnt, nsecs, misses;

	bpfdev_prog_get_stats(prog, &cnt, &nsecs, &misses);
	seq_printf(m,
		   "prog_type:\t%u\n"
		   "prog_jited:\t%u\n"
		   "prog_tag:\t%*phN\n"
		   "memlock:\t%llu\n"
		   "prog_id:\t%u\n"
		   "run_time_ns:\t%llu\n"
		   "run_cnt:\t%llu\n"
		   "recursion_misses:\t%llu\n"
		   "verified_insns:\t%u\n",
		   prog->type, !!prog->code.jited, BPF_TAG_SIZE, prog->tag,
		   (u64)round_up(prog->code.len * sizeof(struct bpf_insn), PAGE_SIZE),
		   prog->id, nsecs, cnt, misses, prog->verified_insns);
}

static const struct file_operations bpfdev_prog_fops = {
	.owner		= THIS_MODULE,
	.show_fdinfo	= bpfdev_prog_show_fdinfo,
	.release	= bpfdev_prog_release,
	.llseek		= noop_llseek,
};

struct bpfdev_prog *bpfdev_prog_get_by_file(struct file *file)
{
	return file->f_op == &bpfdev_prog_fops ? file->private_data : NULL;
}

struct bpfdev_prog *bpfdev_prog_get_from_fd(int fd, u32 type)
{
	struct bpfdev_prog *prog;
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return ERR_PTR(-EBADF);
	prog = bpfdev_prog_get_by_file(fd_file(f));
	if (!prog || (type != ~0U && prog->type != type))
		prog = ERR_PTR(-EINVAL);
	else
		bpfdev_prog_get(prog);
	fdput(f);
	return prog;
}

int bpfdev_prog_new_fd(struct bpfdev_prog *prog)
{
	int fd;

	bpfdev_prog_get(prog);
	fd = bpfdev_obj_fd("bpf-prog", &bpfdev_prog_fops, prog, O_RDWR);
	if (fd < 0) {
		bpfdev_prog_put(prog);
		return fd;
	}
	atomic_inc(&bpfdev_stats.prog_fds);
	return fd;
}

/* ---- the tag ------------------------------------------------------------- */

/*
 * The kernel's bpf_prog_calc_tag(): SHA-1 of the instructions as loaded,
 * with the immediates of map-fd LD_IMM64 pairs zeroed; the first 8 bytes.
 */
static int bpfdev_prog_calc_tag(const struct bpf_insn *insns, u32 len, u8 *tag)
{
	u32 digest[SHA1_DIGEST_WORDS], ws[SHA1_WORKSPACE_WORDS];
	u32 psize = len * sizeof(struct bpf_insn), bsize, i;
	__be32 result[SHA1_DIGEST_WORDS];
	struct bpf_insn *dst;
	bool was_ld_map = false;
	__be64 *bits;
	u8 *raw, *todo;
	u32 blocks;

	bsize = round_up(psize + 1 + sizeof(__be64), SHA1_BLOCK_SIZE);
	raw = kvzalloc(bsize, GFP_KERNEL | __GFP_NOWARN);
	if (!raw)
		return -ENOMEM;
	dst = (struct bpf_insn *)raw;
	for (i = 0; i < len; i++) {
		dst[i] = insns[i];
		if (!was_ld_map && dst[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (dst[i].src_reg == BPF_PSEUDO_MAP_FD ||
		     dst[i].src_reg == BPF_PSEUDO_MAP_VALUE)) {
			was_ld_map = true;
			dst[i].imm = 0;
		} else if (was_ld_map && dst[i].code == 0 &&
			   dst[i].dst_reg == 0 && dst[i].src_reg == 0 &&
			   dst[i].off == 0) {
			was_ld_map = false;
			dst[i].imm = 0;
		} else {
			was_ld_map = false;
		}
	}
	raw[psize] = 0x80;
	bits = (__be64 *)(raw + bsize - sizeof(__be64));
	*bits = cpu_to_be64((u64)psize << 3);

	sha1_init(digest);
	blocks = bsize / SHA1_BLOCK_SIZE;
	for (todo = raw; blocks--; todo += SHA1_BLOCK_SIZE)
		sha1_transform(digest, todo, ws);
	for (i = 0; i < SHA1_DIGEST_WORDS; i++)
		result[i] = cpu_to_be32(digest[i]);
	memcpy(tag, result, BPF_TAG_SIZE);
	memzero_explicit(ws, sizeof(ws));
	kvfree(raw);
	return 0;
}

/* ---- PROG_LOAD ------------------------------------------------------------- */

/* Maps the verifier resolved through their fds: each held until the end of the load. */
struct bpfdev_load_maps {
	struct bpfdev_map	*maps[BPFDEV_MAX_USED_MAPS];
	u32			cnt;
};

static int bpfdev_prog_resolve_map(void *priv, u32 src_reg, s32 fd,
				   const struct bpfdev_map_desc **desc)
{
	struct bpfdev_load_maps *lm = priv;
	struct bpfdev_map *map;
	u32 i;

	if (src_reg != BPF_PSEUDO_MAP_FD && src_reg != BPF_PSEUDO_MAP_VALUE)
		return -EINVAL;
	map = bpfdev_map_get_from_fd(fd);
	if (IS_ERR(map))
		return PTR_ERR(map);
	for (i = 0; i < lm->cnt; i++) {
		if (lm->maps[i] == map) {
			bpfdev_map_put(map);
			goto out;
		}
	}
	if (lm->cnt == BPFDEV_MAX_USED_MAPS) {
		bpfdev_map_put(map);
		return -E2BIG;
	}
	lm->maps[lm->cnt++] = map;
out:
	*desc = &map->desc;
	return 0;
}

static void bpfdev_load_maps_put(struct bpfdev_load_maps *lm)
{
	while (lm->cnt)
		bpfdev_map_put(lm->maps[--lm->cnt]);
}

/* The verifier log of one load: messages go straight to the user's buffer. */
struct bpfdev_prog_log {
	struct bpfdev_log	log;
	char __user		*ubuf;
};

/* Text at pos and its NUL, as bpf_verifier_vlog() copies them. */
static int bpfdev_prog_log_sink(struct bpfdev_log *log, u32 pos,
				const char *text, u32 n)
{
	struct bpfdev_prog_log *pl = container_of(log, struct bpfdev_prog_log, log);

	if (n && copy_to_user(pl->ubuf + pos, text, n))
		return -EFAULT;
	return put_user(0, pl->ubuf + pos + n) ? -EFAULT : 0;
}

/*
 * The kernel's bpf_verifier_log_attr_valid().  Only a line's worth of
 * kernel memory is used, whatever log_size the caller gives.
 */
static int bpfdev_prog_log_init(struct bpfdev_prog_log *pl, const union bpf_attr *attr)
{
	struct bpfdev_log *log = &pl->log;

	memset(pl, 0, sizeof(*pl));
	if (!attr->log_level && !attr->log_buf && !attr->log_size)
		return 0;
	if (attr->log_size < 128 || attr->log_size > UINT_MAX >> 2 ||
	    !attr->log_level || !attr->log_buf ||
	    (attr->log_level & ~BPFDEV_LOG_MASK))
		return -EINVAL;
	log->buf = kmalloc(BPFDEV_LOG_LINE, GFP_KERNEL_ACCOUNT);
	if (!log->buf)
		return -ENOMEM;
	log->size = attr->log_size;
	log->level = attr->log_level;
	log->sink = bpfdev_prog_log_sink;
	pl->ubuf = u64_to_user_ptr(attr->log_buf);
	return 0;
}

static int bpfdev_prog_log_finish(struct bpfdev_prog_log *pl)
{
	int err = pl->log.faulted ? -EFAULT : 0;

	kfree(pl->log.buf);
	pl->log.buf = NULL;
	return err;
}

/* A prog array serves programs of one type only: its first user's. */
static int bpfdev_prog_check_maps(struct bpfdev_prog *prog)
{
	u32 i;
	int err;

	for (i = 0; i < prog->nr_used_maps; i++) {
		if (prog->used_maps[i]->type != BPF_MAP_TYPE_PROG_ARRAY)
			continue;
		err = bpfdev_prog_array_check_owner(prog->used_maps[i], prog->type);
		if (err)
			return err;
	}
	return 0;
}

/* Takes the verifier's outputs into prog. */
static int bpfdev_prog_take_verified(struct bpfdev_prog *prog,
				     struct bpfdev_verifier_env *env)
{
	u32 i;

	prog->code.insns = bpfdev_kvdup(env->xlated,
					env->xlated_len * sizeof(struct bpf_insn));
	if (!prog->code.insns)
		return -ENOMEM;
	prog->code.len = env->xlated_len;
	prog->code.stack_depth = env->stack_depth[0];
	prog->verified_insns = env->verified_insns;
	prog->max_ctx_offset = env->max_ctx_offset;
	prog->seen_direct_write = env->seen_direct_write;
	prog->tc_ctx_fill = env->tc_ctx_fill;
	prog->tc_ctx_written = env->tc_ctx_written;
	if (!env->used_map_cnt)
		return 0;
	prog->used_maps = kcalloc(env->used_map_cnt, sizeof(*prog->used_maps),
				  GFP_KERNEL_ACCOUNT);
	if (!prog->used_maps)
		return -ENOMEM;
	for (i = 0; i < env->used_map_cnt; i++) {
		prog->used_maps[i] = env->used_maps[i]->host;
		bpfdev_map_get(prog->used_maps[i]);
		/* a tail call runs a program whose needs are not known here */
		if (env->used_maps[i]->type == BPF_MAP_TYPE_PROG_ARRAY) {
			prog->tc_ctx_fill = ~0ULL;
			prog->tc_ctx_written = true;
		}
	}
	prog->nr_used_maps = env->used_map_cnt;
	return 0;
}

static int bpfdev_prog_verify(struct bpfdev_prog *prog, const struct bpf_insn *insns,
			      u32 len, u32 prog_flags, struct bpfdev_log *log)
{
	struct bpfdev_verifier_env *env;
	struct bpfdev_load_maps *lm;
	int err;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	lm = kzalloc(sizeof(*lm), GFP_KERNEL);
	if (!env || !lm) {
		err = -ENOMEM;
		goto out;
	}
	env->insns = insns;
	env->len = len;
	env->prog_type = prog->type;
	env->expected_attach_type = prog->expected_attach_type;
	/* as bpf_check() reads them: the two capabilities one by one */
	env->bpf_capable = bpfdev_capable();
	env->perfmon_capable = bpfdev_perfmon_capable();
	env->non_gpl = !prog->gpl_compatible;
	env->prog_flags = prog_flags;
	env->log = log;
	env->helpers = &bpfdev_env;
	env->map_resolve = bpfdev_prog_resolve_map;
	env->map_priv = lm;

	err = bpfdev_verify(env);
	if (!err)
		err = bpfdev_prog_take_verified(prog, env);
	bpfdev_verifier_env_release(env);
	bpfdev_load_maps_put(lm);
out:
	kfree(lm);
	kfree(env);
	return err;
}

static int bpfdev_prog_stats_alloc(struct bpfdev_prog *prog)
{
	int cpu;

	prog->stats = alloc_percpu_gfp(struct bpfdev_prog_stats, GFP_KERNEL_ACCOUNT);
	if (!prog->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(prog->stats, cpu)->syncp);
	return 0;
}

#define BPFDEV_PROG_LOAD_FLAGS	(BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT | BPF_F_TEST_RND_HI32)

/*
 * The kernel's BPF_COMPLEXITY_LIMIT_INSNS, its insn_cnt limit for CAP_BPF,
 * and BPF_MAXINSNS for everyone else.
 */
#define BPFDEV_PROG_MAX_INSNS	1000000
#define BPFDEV_PROG_MAX_INSNS_UNPRIV	4096

/* The license string (EFAULT), NUL-terminated within size. */
static int bpfdev_prog_copy_license(const union bpf_attr *attr, char *license,
				    size_t size)
{
	if (strncpy_from_user(license, u64_to_user_ptr(attr->license),
			      size - 1) < 0)
		return -EFAULT;
	license[size - 1] = 0;
	return 0;
}

/*
 * The kernel's bpf_prog_load() order: the attr, prog_flags, (6.1: the
 * license,) insn_cnt (E2BIG); a NULL or faulting insns is EFAULT at the
 * copy, (6.12: then the license,) then the name (compat.h says which).  The fields bpfdev does
 * not support come after insn_cnt, where the kernel would look at them.
 */
static int bpfdev_prog_load_check_attr(const union bpf_attr *attr,
				       char *license, size_t size)
{
	int err;

	if (BPFDEV_CHECK_ATTR(attr, core_relo_rec_size))
		return -EINVAL;
	if (attr->prog_flags & ~BPFDEV_PROG_LOAD_FLAGS)
		return -EINVAL;
	if (BPFDEV_BPF_LICENSE_FIRST) {
		err = bpfdev_prog_copy_license(attr, license, size);
		if (err)
			return err;
	}
	if (!attr->insn_cnt ||
	    attr->insn_cnt > (bpfdev_capable() ? BPFDEV_PROG_MAX_INSNS :
			      BPFDEV_PROG_MAX_INSNS_UNPRIV))
		return -E2BIG;
	/*
	 * 6.1 lets callers without CAP_BPF load socket filters and cgroup
	 * skb programs (which bpfdev does not offer: EINVAL below for all).
	 */
	if (attr->prog_type != BPF_PROG_TYPE_SOCKET_FILTER &&
	    attr->prog_type != BPF_PROG_TYPE_CGROUP_SKB && !bpfdev_capable())
		return -EPERM;
	/* is_perfmon_prog_type(): tracing needs CAP_PERFMON on top */
	if (bpfdev_prog_type_is_trace(attr->prog_type) && !bpfdev_perfmon_capable())
		return -EPERM;
	/*
	 * No offload, CO-RE, attach targets or fd_array; BTF (prog_btf_fd,
	 * func_info, line_info) is checked with the insns (btf.c).
	 */
	if (attr->prog_ifindex || attr->attach_btf_id ||
	    attr->attach_prog_fd || attr->core_relo_cnt || attr->fd_array ||
	    attr->core_relos || attr->core_relo_rec_size)
		return -EINVAL;
	return 0;
}

int bpfdev_cmd_prog_load(struct bpfdev_file *bf, union bpf_attr *attr,
			 union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_prog *prog;
	struct bpf_insn *insns;
	struct bpfdev_prog_log log;
	char license[128];
	int err, fd;

	err = bpfdev_prog_load_check_attr(attr, license, sizeof(license));
	if (err)
		return err;
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;

	prog = kzalloc(sizeof(*prog), GFP_KERNEL_ACCOUNT);
	if (!prog) {
		err = -ENOMEM;
		goto err_module;
	}
	refcount_set(&prog->refcnt, 1);
	prog->type = attr->prog_type;
	prog->expected_attach_type = attr->expected_attach_type;
	prog->uid = current_uid();
	prog->code.type = attr->prog_type;
	prog->code.env = &bpfdev_env;
	err = bpfdev_prog_stats_alloc(prog);
	if (err)
		goto err_prog;

	insns = kvmalloc_array(attr->insn_cnt, sizeof(*insns),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!insns) {
		err = -ENOMEM;
		goto err_prog;
	}
	if (copy_from_user(insns, u64_to_user_ptr(attr->insns),
			   attr->insn_cnt * sizeof(*insns))) {
		err = -EFAULT;
		goto err_insns;
	}
	if (!BPFDEV_BPF_LICENSE_FIRST) {
		err = bpfdev_prog_copy_license(attr, license, sizeof(license));
		if (err)
			goto err_insns;
	}
	prog->gpl_compatible = license_is_gpl_compatible(license);
	err = bpfdev_obj_name_cpy(prog->name, attr->prog_name,
				  sizeof(attr->prog_name));
	if (err)
		goto err_insns;
	err = bpfdev_prog_calc_tag(insns, attr->insn_cnt, prog->tag);
	if (err)
		goto err_insns;
	err = bpfdev_prog_btf_load(&prog->btf, attr, insns, attr->insn_cnt);
	if (err)
		goto err_insns;

	err = bpfdev_prog_log_init(&log, attr);
	if (err)
		goto err_insns;
	/*
	 * The verifier says ENOSPC for a log that did not fit; a log buffer
	 * that faulted is EFAULT whatever the verdict, as the kernel's.
	 */
	err = bpfdev_prog_verify(prog, insns, attr->insn_cnt, attr->prog_flags, &log.log);
	if (bpfdev_prog_log_finish(&log))
		err = -EFAULT;
	if (err)
		goto err_insns;
	kvfree(insns);
	insns = NULL;

	err = bpfdev_prog_check_maps(prog);
	if (err)
		goto err_prog;
	/* A JIT failure is not a load failure: the interpreter runs it. */
	bpfdev_jit_prog(&prog->code, bpfdev_capable());

	prog->load_time = ktime_get_boottime_ns();
	atomic_inc(&bpfdev_stats.progs);
	err = bpfdev_id_alloc(&bpfdev_prog_ids, prog, &prog->id);
	if (err) {
		bpfdev_prog_put(prog);
		return err;
	}
	fd = bpfdev_prog_new_fd(prog);
	bpfdev_prog_put(prog);
	return fd;

err_insns:
	kvfree(insns);
err_prog:
	bpfdev_prog_free(prog);
err_module:
	module_put(THIS_MODULE);
	return err;
}

/* ---- PROG_ATTACH / PROG_DETACH --------------------------------------------- */

/*
 * The only targets are capture sockets: attaching takes that socket's
 * lock and nothing else (no lock of ours, no grace period waited for; see
 * capture.h).
 */
static int bpfdev_prog_attach_common(struct bpfdev_file *bf,
				     union bpf_attr *attr, bool attach)
{
	struct bpfdev_file *tbf;
	struct bpfdev_prog *prog = NULL;
	struct fd target;
	int err;

	if (attach ? BPFDEV_CHECK_ATTR(attr, replace_bpf_fd) :
		     BPFDEV_CHECK_ATTR(attr, attach_type))
		return -EINVAL;
	if (attach && (attr->attach_flags || attr->replace_bpf_fd))
		return -EINVAL;
	if (attach || attr->attach_bpf_fd) {
		prog = bpfdev_prog_get_from_fd(attr->attach_bpf_fd, ~0U);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
	}
	target = fdget(attr->target_fd);
	if (!fd_file(target)) {
		err = -EBADF;
		goto out_prog;
	}
	/* Targets are capture sockets of the caller's network namespace. */
	tbf = bpfdev_file_of(fd_file(target));
	if (!tbf || !net_eq(tbf->net, bf->net)) {
		err = tbf ? -EPERM : -EINVAL;
		goto out_target;
	}
	if (attach)
		err = bpfdev_capture_attach(tbf, prog, attr->attach_type,
					    attr->attach_flags);
	else
		err = bpfdev_capture_detach(tbf, prog, attr->attach_type);
out_target:
	fdput(target);
out_prog:
	if (prog)
		bpfdev_prog_put(prog);
	return err;
}

int bpfdev_cmd_prog_attach(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_prog_attach_common(bf, attr, true);
}

int bpfdev_cmd_prog_detach(struct bpfdev_file *bf, union bpf_attr *attr,
			   union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_prog_attach_common(bf, attr, false);
}

/* ---- ids and info ------------------------------------------------------------ */

int bpfdev_cmd_prog_get_next_id(struct bpfdev_file *bf, union bpf_attr *attr,
				union bpf_attr __user *uattr, u32 size)
{
	return bpfdev_id_cmd_next(&bpfdev_prog_ids, attr, uattr);
}

int bpfdev_cmd_prog_get_fd_by_id(struct bpfdev_file *bf, union bpf_attr *attr,
				 union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_prog *prog;
	int fd;

	/* The kernel's order: the attr, then CAP_SYS_ADMIN. */
	if (BPFDEV_CHECK_ATTR(attr, open_flags) || attr->open_flags)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	prog = bpfdev_id_get(&bpfdev_prog_ids, attr->prog_id, bpfdev_prog_tryget);
	if (!prog)
		return -ENOENT;
	fd = bpfdev_prog_new_fd(prog);
	bpfdev_prog_put(prog);
	return fd;
}

/* The xlated program as bpf_insn_prepare_dump() shows it: map pointers become ids. */
static struct bpf_insn *bpfdev_prog_dump_insns(const struct bpfdev_prog *prog)
{
	struct bpf_insn *insns;
	u32 i, m;

	insns = bpfdev_kvdup(prog->code.insns, prog->code.len * sizeof(*insns));
	if (!insns)
		return NULL;
	for (i = 0; i + 1 < prog->code.len; i++) {
		u64 imm;

		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		imm = (u32)insns[i].imm | ((u64)(u32)insns[i + 1].imm << 32);
		for (m = 0; m < prog->nr_used_maps; m++) {
			struct bpfdev_map *map = prog->used_maps[m];
			u64 base = (unsigned long)map;

			if (imm == base) {
				insns[i].src_reg = BPF_PSEUDO_MAP_FD;
				insns[i].imm = map->id;
				insns[i + 1].imm = 0;
			} else if (map->desc.value_base &&
				   imm >= (unsigned long)map->desc.value_base &&
				   imm < (unsigned long)map->desc.value_base +
					 map->value_size) {
				insns[i].src_reg = BPF_PSEUDO_MAP_VALUE;
				insns[i].imm = map->id;
				insns[i + 1].imm = imm - (unsigned long)map->desc.value_base;
			}
		}
		i++;
	}
	return insns;
}

/* Copies n bytes of src to the user array at uptr, at most ulen bytes. */
static int bpfdev_info_copy(u64 uptr, u32 ulen, const void *src, u32 n)
{
	if (!uptr || !ulen || !n)
		return 0;
	return copy_to_user(u64_to_user_ptr(uptr), src, min(ulen, n)) ? -EFAULT : 0;
}

/*
 * The kernel's bpf_dump_raw_ok() (kallsyms_show_value()) with exported
 * symbols only: may the opener of /dev/bpf see kernel addresses, such as
 * the map and helper addresses a JIT image embeds?  kptr_restrict is not
 * exported, so it is read through what %pK prints, here in process
 * context: zeros at 2 (and at 1 for a caller without CAP_SYSLOG), never
 * zeros at 0 or for a caller who may see them at 1.  Past that the opener
 * needs CAP_SYSLOG, as at kptr_restrict 1; at 0 the kernel also lets
 * anyone see them when perf_event_paranoid <= 1, which a module cannot
 * read either, so here we are stricter.  CAP_SYSLOG is cap_capable()'s
 * test against init_user_ns (security_capable() is not exported).
 */
static bool bpfdev_dump_raw_ok(const struct cred *cred)
{
	char buf[2 * sizeof(void *) + 1];

	snprintf(buf, sizeof(buf), "%pK", cred);
	if (!memchr_inv(buf, '0', strlen(buf)))
		return false;
	return cred->user_ns == &init_user_ns &&
	       cap_raised(cred->cap_effective, CAP_SYSLOG);
}

int bpfdev_prog_info(struct bpfdev_prog *prog, const struct cred *cred,
		     union bpf_attr *attr, union bpf_attr __user *uattr)
{
	struct bpf_prog_info __user *uinfo = u64_to_user_ptr(attr->info.info);
	u32 info_len, ulen, i;
	struct bpf_prog_info info;
	struct bpf_insn *insns;
	u32 *ids;
	int err;

	err = bpfdev_info_start(attr, &info, sizeof(info), &info_len);
	if (err)
		return err;
	if (copy_from_user(&info, uinfo, info_len))
		return -EFAULT;
	/* First, as the kernel checks the record sizes before anything. */
	err = bpfdev_prog_btf_info(&prog->btf, &info, bpfdev_capable());
	if (err)
		return err;

	info.type = prog->type;
	info.id = prog->id;
	info.load_time = prog->load_time;
	info.created_by_uid = from_kuid_munged(current_user_ns(), prog->uid);
	info.gpl_compatible = prog->gpl_compatible;
	memcpy(info.tag, prog->tag, sizeof(info.tag));
	memcpy(info.name, prog->name, sizeof(info.name));
	info.verified_insns = prog->verified_insns;
	bpfdev_prog_get_stats(prog, &info.run_cnt, &info.run_time_ns,
			      &info.recursion_misses);

	ulen = info.nr_map_ids;
	info.nr_map_ids = prog->nr_used_maps;
	if (ulen && info.map_ids) {
		ids = kcalloc(prog->nr_used_maps ?: 1, sizeof(u32), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
		for (i = 0; i < prog->nr_used_maps; i++)
			ids[i] = prog->used_maps[i]->id;
		err = bpfdev_info_copy(info.map_ids, ulen * sizeof(u32), ids,
				       prog->nr_used_maps * sizeof(u32));
		kfree(ids);
		if (err)
			return err;
	}

	/*
	 * As bpf_prog_get_info_by_fd(): a caller without CAP_BPF (when
	 * unprivileged BPF is enabled) learns neither image's length nor bytes.
	 */
	if (!bpfdev_capable()) {
		info.jited_prog_len = 0;
		info.xlated_prog_len = 0;
		goto done;
	}

	ulen = info.xlated_prog_len;
	info.xlated_prog_len = prog->code.len * sizeof(struct bpf_insn);
	if (ulen && info.xlated_prog_insns) {
		insns = bpfdev_prog_dump_insns(prog);
		if (!insns)
			return -ENOMEM;
		err = bpfdev_info_copy(info.xlated_prog_insns, ulen, insns,
				       info.xlated_prog_len);
		kvfree(insns);
		if (err)
			return err;
	}

	/* As the kernel's: the length always, the bytes to who may see them. */
	ulen = info.jited_prog_len;
	info.jited_prog_len = prog->code.jited ? prog->code.jit_len : 0;
	if (info.jited_prog_len && ulen) {
		if (bpfdev_dump_raw_ok(cred)) {
			err = bpfdev_info_copy(info.jited_prog_insns, ulen,
					       prog->code.jit_image,
					       info.jited_prog_len);
			if (err)
				return err;
		} else {
			info.jited_prog_insns = 0;
		}
	}
done:
	/* No line info for the JIT image or per-function images to report. */
	info.nr_jited_ksyms = 0;
	info.nr_jited_func_lens = 0;
	info.nr_jited_line_info = 0;
	info.nr_prog_tags = 0;
	return bpfdev_info_finish(attr, uattr, &info, info_len);
}

int bpfdev_cmd_obj_get_info_by_fd(struct bpfdev_file *bf, union bpf_attr *attr,
				  union bpf_attr __user *uattr, u32 size)
{
	struct bpfdev_prog *prog;
	struct bpfdev_map *map;
	struct bpfdev_btf *btf;
	struct fd f;
	int err;

	if (BPFDEV_CHECK_ATTR(attr, info.info))
		return -EINVAL;
	f = fdget(attr->info.bpf_fd);
	if (!fd_file(f))
		return -EBADFD;
	prog = bpfdev_prog_get_by_file(fd_file(f));
	map = bpfdev_map_get_by_file(fd_file(f));
	btf = bpfdev_btf_get_by_file(fd_file(f));
	if (prog)
		err = bpfdev_prog_info(prog, bf->cred, attr, uattr);
	else if (map)
		err = bpfdev_map_info(map, attr, uattr);
	else if (btf)
		err = bpfdev_btf_info(btf, attr, uattr);
	else
		err = -EINVAL;
	fdput(f);
	return err;
}
