// SPDX-License-Identifier: GPL-2.0
/*
 * A capture socket's filter: a classic program converted and JIT-compiled
 * for this socket alone, or a reference on a loaded socket filter, set
 * by BPFDEV_IOC_CAP_SET_FILTER or by BPF_PROG_ATTACH/DETACH on the fd.
 * Whether the filter reads the __sk_buff beyond len decides whether the
 * packet path fills it (capture_pkt.c).
 */

#include <linux/err.h>
#include <linux/filter.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <linux/bpfdev.h>

#include "capture.h"
#include "capture_filter.h"
#include "cbpf.h"
#include "dev.h"
#include "helper_proto.h"
#include "helpers.h"
#include "jit.h"
#include "jit_arena.h"
#include "objfd.h"
#include "prog.h"

void bpfdev_cap_prog_free(struct bpfdev_cap_prog *p)
{
	if (!p)
		return;
	if (p->prog) {
		bpfdev_prog_put(p->prog);
	} else {
		bpfdev_jit_free(&p->classic);
		bpfdev_cbpf_release(&p->classic);
	}
	kfree(p);
}

static void bpfdev_cap_log(const struct bpfdev_cap_filter *f, const char *msg)
{
	char __user *ubuf = u64_to_user_ptr(f->log_buf);
	size_t n;

	if (!f->log_buf || !f->log_size)
		return;
	n = min_t(size_t, strlen(msg), f->log_size - 1);
	/* A log we cannot write is the caller's loss, not the load's error. */
	if (copy_to_user(ubuf, msg, n))
		return;
	(void)put_user('\0', ubuf + n);
}

/*
 * A converted classic program reads the context only through its
 * ancillary loads (SKF_AD_*: protocol, ifindex, vlan_tci, ...); the
 * packet loads and ld len need only what building the view set.
 */
static bool bpfdev_cbpf_reads_md(const struct sock_filter *insns, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (BPF_CLASS(insns[i].code) == BPF_LD &&
		    BPF_MODE(insns[i].code) == BPF_ABS && insns[i].k >= (u32)SKF_AD_OFF)
			return true;
	return false;
}

bool bpfdev_capture_prog_reads_md(const struct bpfdev_prog *prog)
{
	const struct bpfdev_func_proto *fn;
	u32 i;

	/* The verifier's end of the farthest context access: len is first. */
	if (prog->max_ctx_offset > offsetofend(struct __sk_buff, len))
		return true;
	/* A helper given the context may read it (a tail call's program does). */
	for (i = 0; i < prog->code.len; i++) {
		const struct bpf_insn *insn = &prog->code.insns[i];

		if (insn->code != (BPF_JMP | BPF_CALL) || insn->src_reg ||
		    insn->imm == BPF_FUNC_skb_load_bytes)
			continue;
		fn = bpfdev_helper_proto(insn->imm);
		if (!fn || fn->arg_type[0] == BPFDEV_ARG_PTR_TO_CTX)
			return true;
	}
	return false;
}

static struct bpfdev_cap_prog *bpfdev_cap_prog_classic(const struct bpfdev_cap_filter *f)
{
	char msg[BPFDEV_CBPF_MSG_SIZE] = "";
	struct sock_filter *insns;
	struct bpfdev_cap_prog *p;
	int err;

	if (!f->len || f->len > BPFDEV_CBPF_MAXINSNS) {
		bpfdev_cap_log(f, "classic program length out of range");
		return ERR_PTR(-EINVAL);
	}
	insns = memdup_user(u64_to_user_ptr(f->insns), f->len * sizeof(*insns));
	if (IS_ERR(insns))
		return ERR_CAST(insns);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		err = -ENOMEM;
		goto err_insns;
	}
	err = bpfdev_cbpf_load(insns, f->len, &p->classic, msg, sizeof(msg));
	if (err) {
		bpfdev_cap_log(f, msg);
		goto err_prog;
	}
	p->classic.env = &bpfdev_env;
	/*
	 * jit_harden=1 blinds the constants of callers without CAP_BPF or
	 * CAP_SYS_ADMIN, classic filters included, as the kernel's
	 * bpf_jit_blinding_enabled() asks bpf_capable() of every program:
	 * CAP_NET_RAW lets a caller see packets, not choose JIT immediates.
	 */
	bpfdev_jit_prog(&p->classic, bpfdev_capable());
	p->code = &p->classic;
	p->md = bpfdev_cbpf_reads_md(insns, f->len);
	kfree(insns);
	return p;

err_prog:
	kfree(p);
err_insns:
	kfree(insns);
	return ERR_PTR(err);
}

static struct bpfdev_cap_prog *bpfdev_cap_prog_ebpf(struct bpfdev_prog *prog)
{
	struct bpfdev_cap_prog *p;

	if (prog->type != BPF_PROG_TYPE_SOCKET_FILTER)
		return ERR_PTR(-EINVAL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	bpfdev_prog_get(prog);
	p->prog = prog;
	p->code = &prog->code;
	p->md = bpfdev_capture_prog_reads_md(prog);
	return p;
}

static void bpfdev_cap_prog_free_work(struct work_struct *work)
{
	bpfdev_cap_prog_free(container_of(to_rcu_work(work),
					  struct bpfdev_cap_prog, free_work));
}

/*
 * Install p (or none); every packet runs either the old or the new one.
 * Packets in flight finish with the old filter: it is freed after a grace
 * period, from bpfdev_wq (freeing JIT memory may sleep), and nobody waits
 * for it.  Module exit drains bpfdev_wq after an rcu_barrier().
 */
static void bpfdev_capture_swap_filter(struct bpfdev_capture *c,
				       struct bpfdev_cap_prog *p)
{
	struct bpfdev_cap_prog *old;

	old = rcu_replace_pointer(c->filter, p, lockdep_is_held(&c->lock));
	if (old) {
		INIT_RCU_WORK(&old->free_work, bpfdev_cap_prog_free_work);
		queue_rcu_work(bpfdev_wq, &old->free_work);
	}
}

int bpfdev_capture_set_filter(struct bpfdev_capture *c, void __user *arg)
{
	struct bpfdev_cap_prog *p = NULL;
	struct bpfdev_cap_filter f;
	struct bpfdev_prog *prog;

	if (copy_from_user(&f, arg, sizeof(f)))
		return -EFAULT;
	if (f.flags || f.pad)
		return -EINVAL;
	switch (f.kind) {
	case BPFDEV_FILTER_NONE:
		break;
	case BPFDEV_FILTER_CLASSIC:
		p = bpfdev_cap_prog_classic(&f);
		break;
	case BPFDEV_FILTER_EBPF:
		prog = bpfdev_prog_get_from_fd(f.prog_fd, BPF_PROG_TYPE_SOCKET_FILTER);
		if (IS_ERR(prog))
			return PTR_ERR(prog);
		p = bpfdev_cap_prog_ebpf(prog);
		bpfdev_prog_put(prog);
		break;
	default:
		return -EINVAL;
	}
	if (IS_ERR(p))
		return PTR_ERR(p);
	bpfdev_capture_swap_filter(c, p);
	return 0;
}

int bpfdev_capture_attach(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			  u32 attach_type, u32 flags)
{
	struct bpfdev_cap_prog *p;

	if (attach_type || flags)
		return -EINVAL;
	p = bpfdev_cap_prog_ebpf(prog);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&bf->cap->lock);
	bpfdev_capture_swap_filter(bf->cap, p);
	mutex_unlock(&bf->cap->lock);
	return 0;
}

int bpfdev_capture_detach(struct bpfdev_file *bf, struct bpfdev_prog *prog,
			  u32 attach_type)
{
	struct bpfdev_capture *c;
	struct bpfdev_cap_prog *cur;
	int err = 0;

	if (attach_type)
		return -EINVAL;
	c = bf->cap;
	mutex_lock(&c->lock);
	cur = rcu_dereference_protected(c->filter, lockdep_is_held(&c->lock));
	if (!cur || (prog && cur->prog != prog))
		err = -ENOENT;
	else
		bpfdev_capture_swap_filter(c, NULL);
	mutex_unlock(&c->lock);
	return err;
}
