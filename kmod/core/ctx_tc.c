// SPDX-License-Identifier: GPL-2.0
/*
 * The tc program's context: the __sk_buff fields a BPF_PROG_TYPE_SCHED_CLS
 * or SCHED_ACT program may read and write, as the kernel's (6.1)
 * tc_cls_act_is_valid_access() gives them, on top of the rules every
 * __sk_buff program shares (bpfdev_skb_is_valid_access(), ctx_skb.c).
 * Direct packet access reads and writes; a program that writes makes the
 * host unclone the packet before it runs (env->seen_direct_write, as the
 * kernel's bpf_unclone_prologue()).  The kernel rewrites each context
 * access into a load from the sk_buff; bpfdev's context is a copy, so
 * the verifier records which words a program reads and whether it
 * writes a field the packet gets back (tc_ctx_fill, tc_ctx_written), and
 * the host copies only those, for each packet.
 */

#include "verifier_internal.h"
#include "ctx_fields.h"
#include "skb_tc.h"

bool bpfdev_prog_type_is_tc(u32 prog_type)
{
	return prog_type == BPF_PROG_TYPE_SCHED_CLS ||
	       prog_type == BPF_PROG_TYPE_SCHED_ACT;
}

bool bpfdev_tc_may_access_direct_pkt_data(struct bpfdev_verifier *env, int t)
{
	if (t == BPFDEV_WRITE)
		env->env_pub->seen_direct_write = true;
	return true;
}

/* The fields tc_cls_act_is_valid_access() lets a program write. */
static bool tc_field_writable(u32 off)
{
	return IN_FIELD(off, mark) || IN_FIELD(off, tc_index) ||
	       IN_FIELD(off, priority) || IN_FIELD(off, tc_classid) ||
	       IN_RANGE(off, cb[0], cb[4]) || IN_FIELD(off, tstamp) ||
	       IN_FIELD(off, queue_mapping);
}

/*
 * What the host must set before the program runs: the words it reads or
 * writes (a field is set once per chain, so what one program writes the
 * next one reads: cb[], tc_classid); every stored-back field when it
 * writes one, as the host stores them all.
 */
static void tc_ctx_record(struct bpfdev_verifier_env *pub, u32 off, int size, int t)
{
	u32 w;

	if (t == BPFDEV_WRITE && !IN_RANGE(off, cb[0], cb[4])) {
		pub->tc_ctx_written = true;
		pub->tc_ctx_fill |= BPFDEV_TC_WRITEBACK_WORDS;
	}
	for (w = off / 4; w <= (off + size - 1) / 4 && w < 64; w++)
		pub->tc_ctx_fill |= 1ULL << w;
}

/*
 * The program reaches the packet without reading a field of it: a helper
 * given its context, or LD_ABS/LD_IND.  The host sets the packet pointers
 * and lengths (BPFDEV_TC_BASE_WORDS) only for a program whose fill set
 * has them, as a pass-all or drop-all program does not.
 */
void bpfdev_tc_record_pkt_use(struct bpfdev_verifier *env)
{
	if (bpfdev_prog_type_is_tc(env->prog_type))
		env->env_pub->tc_ctx_fill |= BPFDEV_TC_BASE_WORDS;
}

bool bpfdev_tc_is_valid_access(struct bpfdev_verifier *env, u32 off, int size,
			       int t, u32 *reg_type, u8 *field_size)
{
	if (t == BPFDEV_WRITE && !tc_field_writable(off))
		return false;
	tc_ctx_record(env->env_pub, off, size, t);

	if (IN_FIELD(off, data))
		*reg_type = PTR_TO_PACKET;
	else if (IN_FIELD(off, data_meta))
		*reg_type = PTR_TO_PACKET_META;
	else if (IN_FIELD(off, data_end))
		*reg_type = PTR_TO_PACKET_END;
	else if (IN_RANGE(off, family, local_port))
		return false;
	/*
	 * Read whole; always BPF_SKB_TSTAMP_UNSPEC here, as a netdev hook
	 * sees the kernel's clock bases undone (kmod/action_run.c).
	 */
	else if (off == SKB_OFF(tstamp_type))
		return size == sizeof(u8);

	return bpfdev_skb_is_valid_access(off, size, t, reg_type, field_size);
}

static void clear_frame_pkt_pointers(struct bpfdev_verifier *env,
				     struct bpfdev_func_state *st)
{
	int i;

	for (i = 0; i < MAX_BPF_REG_; i++) {
		u32 t = st->regs[i].type;

		if (type_is_pkt_pointer(t) || t == PTR_TO_PACKET_END)
			bpfdev_mark_reg_unknown(env, st->regs, i);
	}
	for (i = 0; i < st->allocated_stack / BPF_REG_SIZE; i++) {
		struct bpfdev_reg_state *reg = &st->stack[i].spilled_ptr;

		if (is_spilled_reg(&st->stack[i]) &&
		    (type_is_pkt_pointer(reg->type) || reg->type == PTR_TO_PACKET_END))
			__bpfdev_mark_reg_unknown(env, reg);
	}
}

/*
 * The kernel's clear_all_pkt_pointers(): after a helper that may move or
 * resize the packet (bpf_helper_changes_pkt_data()), no packet pointer of
 * any frame may be used before it is loaded and checked again.
 */
void bpfdev_clear_all_pkt_pointers(struct bpfdev_verifier *env)
{
	struct bpfdev_verifier_state *vstate = env->cur_state;
	u32 f;

	for (f = 0; f <= vstate->curframe; f++)
		clear_frame_pkt_pointers(env, vstate->frame[f]);
}
