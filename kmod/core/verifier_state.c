// SPDX-License-Identifier: GPL-2.0
/*
 * Verifier states: copies for the branches still to explore, the explored
 * states kept at prune points, their comparison (regsafe, stacksafe) and
 * the read-liveness marks that let a state cover many others.
 *
 * Precision tracking is conservative: every scalar is treated as precise,
 * so a scalar prunes only when its range and bits lie within the explored
 * one's.  Liveness keeps that effective: dead registers and stack slots
 * are not compared at all.
 */

#include "verifier_internal.h"

#define BPF_ID_MAP_SIZE	(BPF_MAX_CALL_FRAMES * (MAX_BPF_REG_ + BPF_MAX_STACK / BPF_REG_SIZE) + BPFDEV_MAX_REFS)

struct bpfdev_id_pair {
	u32 old;
	u32 cur;
};

/*
 * One per verification, as the kernel's env->idmap_scratch, cleared up to
 * the slots a comparison used: a state comparison allocated and cleared
 * all 5 KiB of it each time.
 */
struct bpfdev_idmap {
	u32			tmp_id_gen;
	u32			used;	/* slots written since the last reset */
	struct bpfdev_id_pair	map[BPF_ID_MAP_SIZE];
};

struct bpfdev_verifier_state *bpfdev_alloc_state(void)
{
	return bpfdev_zalloc(sizeof(struct bpfdev_verifier_state));
}

static void free_func_state(struct bpfdev_func_state *state)
{
	if (!state)
		return;
	bpfdev_free(state->stack);
	bpfdev_free(state);
}

void bpfdev_free_verifier_state(struct bpfdev_verifier_state *state, bool free_self)
{
	int i;

	for (i = 0; i <= (int)state->curframe && i < BPF_MAX_CALL_FRAMES; i++) {
		free_func_state(state->frame[i]);
		state->frame[i] = NULL;
	}
	bpfdev_free(state->jmp_history);
	state->jmp_history = NULL;
	state->jmp_history_cnt = 0;
	if (free_self)
		bpfdev_free(state);
}

static int copy_func_state(struct bpfdev_func_state *dst, const struct bpfdev_func_state *src)
{
	struct bpfdev_stack_state *stack = dst->stack;
	int old_size = dst->allocated_stack;

	if (src->allocated_stack != old_size) {
		bpfdev_free(stack);
		stack = NULL;
		if (src->allocated_stack) {
			stack = bpfdev_zalloc_array(src->allocated_stack / BPF_REG_SIZE,
						    sizeof(*stack));
			if (!stack)
				return -ENOMEM;
		}
	}
	memcpy(dst, src, offsetof(struct bpfdev_func_state, stack));
	dst->stack = stack;
	if (src->allocated_stack)
		memcpy(stack, src->stack,
		       src->allocated_stack / BPF_REG_SIZE * sizeof(*stack));
	return 0;
}

static int copy_verifier_state(struct bpfdev_verifier_state *dst,
			       const struct bpfdev_verifier_state *src)
{
	struct bpfdev_func_state *dst_state;
	int i, err;

	/* if dst has more stack frames then src frame, free them */
	for (i = src->curframe + 1; i <= (int)dst->curframe && i < BPF_MAX_CALL_FRAMES; i++) {
		free_func_state(dst->frame[i]);
		dst->frame[i] = NULL;
	}
	for (i = dst->curframe + 1; i < BPF_MAX_CALL_FRAMES; i++)
		if (i > (int)src->curframe)
			dst->frame[i] = NULL;
	dst->curframe = src->curframe;
	dst->branches = src->branches;
	dst->parent = src->parent;
	dst->insn_idx = src->insn_idx;
	dst->acquired_refs = src->acquired_refs;
	memcpy(dst->refs, src->refs, sizeof(dst->refs));
	dst->first_insn_idx = src->first_insn_idx;
	dst->last_insn_idx = src->last_insn_idx;
	dst->jmp_history_lost = src->jmp_history_lost;
	dst->speculative = src->speculative;
	bpfdev_free(dst->jmp_history);
	dst->jmp_history = NULL;
	dst->jmp_history_cnt = 0;
	if (src->jmp_history_cnt) {
		u32 cap = 4;

		while (cap < src->jmp_history_cnt)
			cap *= 2;
		/* push_jmp_history() grows at powers of two: keep that shape */
		if (cap == src->jmp_history_cnt)
			cap *= 2;
		dst->jmp_history = bpfdev_zalloc_array(cap, sizeof(*dst->jmp_history));
		if (!dst->jmp_history)
			return -ENOMEM;
		memcpy(dst->jmp_history, src->jmp_history,
		       src->jmp_history_cnt * sizeof(*dst->jmp_history));
		dst->jmp_history_cnt = src->jmp_history_cnt;
	}
	for (i = 0; i <= (int)src->curframe; i++) {
		dst_state = dst->frame[i];
		if (!dst_state) {
			dst_state = bpfdev_zalloc(sizeof(*dst_state));
			if (!dst_state)
				return -ENOMEM;
			dst->frame[i] = dst_state;
		}
		err = copy_func_state(dst_state, src->frame[i]);
		if (err)
			return err;
	}
	return 0;
}

int bpfdev_grow_stack_state(struct bpfdev_func_state *state, int size)
{
	int old_n = state->allocated_stack / BPF_REG_SIZE;
	int n = (size + BPF_REG_SIZE - 1) / BPF_REG_SIZE;
	struct bpfdev_stack_state *stack;

	if (n <= old_n)
		return 0;
	stack = bpfdev_zalloc_array(n, sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	if (old_n)
		memcpy(stack, state->stack, old_n * sizeof(*stack));
	bpfdev_free(state->stack);
	state->stack = stack;
	state->allocated_stack = n * BPF_REG_SIZE;
	return 0;
}

struct bpfdev_verifier_state *bpfdev_push_stack(struct bpfdev_verifier *env, int insn_idx,
						int prev_insn_idx, bool speculative)
{
	struct bpfdev_verifier_state *cur = env->cur_state;
	struct bpfdev_verifier_stack_elem *elem;

	elem = bpfdev_zalloc(sizeof(*elem));
	if (!elem)
		goto err;
	elem->insn_idx = insn_idx;
	elem->prev_insn_idx = prev_insn_idx;
	elem->next = env->head;
	elem->log_pos = bpfdev_vlog_pos(env);
	env->head = elem;
	env->stack_size++;
	if (copy_verifier_state(&elem->st, cur))
		goto err;
	elem->st.speculative |= speculative;
	if (env->stack_size > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
		bpfdev_verbose(env, "The sequence of %d jumps is too complex.\n", env->stack_size);
		goto err;
	}
	if (elem->st.parent)
		++elem->st.parent->branches;
	return &elem->st;
err:
	bpfdev_free_verifier_state(env->cur_state, true);
	env->cur_state = NULL;
	/* pop all elements and return */
	while (!bpfdev_pop_stack(env, NULL, NULL, false))
		;
	return NULL;
}

int bpfdev_pop_stack(struct bpfdev_verifier *env, int *prev_insn_idx, int *insn_idx,
		     bool pop_log)
{
	struct bpfdev_verifier_state *cur = env->cur_state;
	struct bpfdev_verifier_stack_elem *elem, *head = env->head;
	int err;

	if (!head)
		return -ENOENT;
	if (cur) {
		err = copy_verifier_state(cur, &head->st);
		if (err)
			return err;
	}
	if (pop_log)
		bpfdev_vlog_reset(env, head->log_pos);
	if (insn_idx)
		*insn_idx = head->insn_idx;
	if (prev_insn_idx)
		*prev_insn_idx = head->prev_insn_idx;
	elem = head->next;
	bpfdev_free_verifier_state(&head->st, false);
	bpfdev_free(head);
	env->head = elem;
	env->stack_size--;
	return 0;
}

void bpfdev_free_stack(struct bpfdev_verifier *env)
{
	while (!bpfdev_pop_stack(env, NULL, NULL, false))
		;
}

void bpfdev_update_branch_counts(struct bpfdev_verifier *env, struct bpfdev_verifier_state *st)
{
	while (st) {
		u32 br = --st->branches;

		WARN_ON_ONCE((int)br < 0);
		if (br)
			break;
		st = st->parent;
	}
}

int bpfdev_mark_reg_read(struct bpfdev_verifier *env, const struct bpfdev_reg_state *state,
			 struct bpfdev_reg_state *parent, u8 flag)
{
	bool writes = parent == state->parent; /* Observe write marks */
	u32 cnt = 0;

	while (parent) {
		/* if read wasn't screened by an earlier write ... */
		if (writes && state->live & REG_LIVE_WRITTEN)
			break;
		/* The chain never changes: a marked parent has marked ancestors. */
		if ((parent->live & REG_LIVE_READ) == flag ||
		    parent->live & REG_LIVE_READ64)
			break;
		/* ... then we depend on parent's value */
		parent->live |= flag;
		/* REG_LIVE_READ64 overrides REG_LIVE_READ32. */
		if (flag == REG_LIVE_READ64)
			parent->live &= ~REG_LIVE_READ32;
		state = parent;
		parent = state->parent;
		writes = true;
		cnt++;
	}
	if (env->mark_read < cnt)
		env->mark_read = cnt;
	return 0;
}

/* ---- state equivalence ---- */

static bool check_ids(u32 old_id, u32 cur_id, struct bpfdev_idmap *idmap)
{
	unsigned int i;

	for (i = 0; i < BPF_ID_MAP_SIZE; i++) {
		struct bpfdev_id_pair *p = &idmap->map[i];

		if (!p->old) {
			/* Reached an empty slot; haven't seen this id before */
			p->old = old_id;
			p->cur = cur_id;
			if (idmap->used <= i)
				idmap->used = i + 1;
			return true;
		}
		/* Ids must map one to one, both ways. */
		if (p->old == old_id || p->cur == cur_id)
			return p->old == old_id && p->cur == cur_id;
	}
	/* We ran out of idmap slots, which should be impossible */
	WARN_ON_ONCE(1);
	return false;
}

/* A scalar without id is linked to nothing: give it a fresh one. */
static bool check_scalar_ids(u32 old_id, u32 cur_id, struct bpfdev_idmap *idmap)
{
	old_id = old_id ? old_id : 0x80000000U + ++idmap->tmp_id_gen;
	cur_id = cur_id ? cur_id : 0x80000000U + ++idmap->tmp_id_gen;
	return check_ids(old_id, cur_id, idmap);
}

static bool range_within(const struct bpfdev_reg_state *old, const struct bpfdev_reg_state *cur)
{
	return old->umin_value <= cur->umin_value &&
	       old->umax_value >= cur->umax_value &&
	       old->smin_value <= cur->smin_value &&
	       old->smax_value >= cur->smax_value &&
	       old->u32_min_value <= cur->u32_min_value &&
	       old->u32_max_value >= cur->u32_max_value &&
	       old->s32_min_value <= cur->s32_min_value &&
	       old->s32_max_value >= cur->s32_max_value;
}

/* type, off and the type-specific fields: the kernel's memcmp up to id */
static bool reg_head_equal(const struct bpfdev_reg_state *a, const struct bpfdev_reg_state *b)
{
	return a->type == b->type && a->off == b->off && a->range == b->range &&
	       a->mem_size == b->mem_size && a->map_ptr == b->map_ptr;
}

static bool reg_exact_equal(const struct bpfdev_reg_state *a, const struct bpfdev_reg_state *b)
{
	return reg_head_equal(a, b) && a->id == b->id &&
	       a->ref_obj_id == b->ref_obj_id &&
	       a->var_off.value == b->var_off.value &&
	       a->var_off.mask == b->var_off.mask &&
	       a->smin_value == b->smin_value && a->smax_value == b->smax_value &&
	       a->umin_value == b->umin_value && a->umax_value == b->umax_value &&
	       a->s32_min_value == b->s32_min_value &&
	       a->s32_max_value == b->s32_max_value &&
	       a->u32_min_value == b->u32_min_value &&
	       a->u32_max_value == b->u32_max_value;
}

/* Returns true if (rold safe implies rcur safe) */
static bool regsafe(struct bpfdev_verifier *env, const struct bpfdev_reg_state *rold,
		    const struct bpfdev_reg_state *rcur, struct bpfdev_idmap *idmap)
{
	if (!(rold->live & REG_LIVE_READ))
		/* explored state didn't use this */
		return true;
	if (rold->type == NOT_INIT)
		/* explored state can't have used this */
		return true;
	if (rcur->type == NOT_INIT)
		return false;

	switch (base_type(rold->type)) {
	case SCALAR_VALUE:
		if (rcur->type != SCALAR_VALUE)
			/* A pointer in place of a scalar could leak. */
			return false;
		/*
		 * No safety decision of the explored continuation relied on
		 * an imprecise scalar; one linked to others by id still must
		 * keep the links (a check on one bounds all).
		 */
		/*
		 * A masked pointer ALU op must see every offset the paths
		 * give it (aux->alu_limit): only an identical scalar prunes.
		 */
		if (env->explore_alu_limits)
			return reg_exact_equal(rold, rcur);
		if (env->track_precision && !rold->precise && !rold->id)
			return true;
		/* new val must satisfy old val knowledge */
		return range_within(rold, rcur) &&
		       bpfdev_tnum_in(rold->var_off, rcur->var_off) &&
		       check_scalar_ids(rold->id, rcur->id, idmap);
	case PTR_TO_MAP_KEY:
	case PTR_TO_MAP_VALUE:
		if (type_may_be_null(rold->type)) {
			if (!reg_head_equal(rold, rcur))
				return false;
			if (!reg_exact_equal(rold, rcur) &&
			    !(range_within(rold, rcur) &&
			      bpfdev_tnum_in(rold->var_off, rcur->var_off)))
				return false;
			/* Check our ids match any regs they're supposed to */
			return check_ids(rold->id, rcur->id, idmap);
		}
		return reg_head_equal(rold, rcur) && range_within(rold, rcur) &&
		       bpfdev_tnum_in(rold->var_off, rcur->var_off);
	case PTR_TO_PACKET_META:
	case PTR_TO_PACKET:
		if (rcur->type != rold->type)
			return false;
		/* We must have at least as much range as the old ptr did. */
		if (rold->range > rcur->range)
			return false;
		/* Different offsets: alignment and range can't be trusted. */
		if (rold->off != rcur->off)
			return false;
		/* id relations must be preserved */
		if (rold->id && !check_ids(rold->id, rcur->id, idmap))
			return false;
		/* new val must satisfy old val knowledge */
		return range_within(rold, rcur) && bpfdev_tnum_in(rold->var_off, rcur->var_off);
	case PTR_TO_STACK:
		/* fp-8 in one frame is not fp-8 in another */
		return reg_exact_equal(rold, rcur) && rold->frameno == rcur->frameno;
	case PTR_TO_MEM:
		if (!reg_head_equal(rold, rcur) || !range_within(rold, rcur) ||
		    !bpfdev_tnum_in(rold->var_off, rcur->var_off))
			return false;
		if ((rold->id || rcur->id) && !check_ids(rold->id, rcur->id, idmap))
			return false;
		if ((rold->ref_obj_id || rcur->ref_obj_id) &&
		    !check_ids(rold->ref_obj_id, rcur->ref_obj_id, idmap))
			return false;
		return true;
	case PTR_TO_CTX:
	case CONST_PTR_TO_MAP:
	case PTR_TO_PACKET_END:
		/* Only valid matches are exact */
		return reg_exact_equal(rold, rcur);
	case PTR_TO_SOCK_COMMON:
		/* as the kernel's regs_exact(): the same, ids mapped */
		return reg_head_equal(rold, rcur) && rold->var_off.value == rcur->var_off.value &&
		       rold->var_off.mask == rcur->var_off.mask &&
		       check_ids(rold->id, rcur->id, idmap);
	default:
		return false;
	}
}

static bool stacksafe(struct bpfdev_verifier *env, const struct bpfdev_func_state *old,
		      const struct bpfdev_func_state *cur, struct bpfdev_idmap *idmap)
{
	int i, spi;

	/*
	 * walk slots of the explored stack and ignore any additional slots in
	 * the current stack, since explored(safe) state didn't use them
	 */
	for (i = 0; i < old->allocated_stack; i++) {
		u8 otype, ctype;

		spi = i / BPF_REG_SIZE;
		if (!(old->stack[spi].spilled_ptr.live & REG_LIVE_READ)) {
			i += BPF_REG_SIZE - 1;
			/* explored state didn't use this */
			continue;
		}
		otype = old->stack[spi].slot_type[i % BPF_REG_SIZE];
		if (otype == STACK_INVALID)
			continue;
		/* misc was safe, and uninitialised stack is readable as misc */
		if (env->allow_uninit_stack && otype == STACK_MISC)
			continue;
		/* explored stack has more populated slots than current stack
		 * and these slots were used
		 */
		if (i >= cur->allocated_stack)
			return false;
		ctype = cur->stack[spi].slot_type[i % BPF_REG_SIZE];
		/* misc was safe, so zero is safe too; not the opposite */
		if (otype == STACK_MISC && ctype == STACK_ZERO)
			continue;
		if (otype != ctype)
			return false;
		if (i % BPF_REG_SIZE != BPF_REG_SIZE - 1)
			continue;
		if (!is_spilled_reg(&old->stack[spi]))
			continue;
		if (!regsafe(env, &old->stack[spi].spilled_ptr,
			     &cur->stack[spi].spilled_ptr, idmap))
			return false;
	}
	return true;
}

static bool func_states_equal(struct bpfdev_verifier *env, const struct bpfdev_func_state *old,
			      const struct bpfdev_func_state *cur, struct bpfdev_idmap *idmap)
{
	int i;

	for (i = 0; i < MAX_BPF_REG_; i++)
		if (!regsafe(env, &old->regs[i], &cur->regs[i], idmap))
			return false;
	return stacksafe(env, old, cur, idmap);
}

static bool states_equal(struct bpfdev_verifier *env, const struct bpfdev_verifier_state *old,
			 const struct bpfdev_verifier_state *cur)
{
	struct bpfdev_idmap *idmap;
	bool ret = false;
	u32 i;

	if (old->curframe != cur->curframe)
		return false;
	if (old->acquired_refs != cur->acquired_refs)
		return false;
	/*
	 * A state from a simulated speculative path must never prune a
	 * path the program really takes.
	 */
	if (old->speculative && !cur->speculative)
		return false;
	/* for states to be equal callsites have to be the same */
	for (i = 0; i <= old->curframe; i++)
		if (old->frame[i]->callsite != cur->frame[i]->callsite)
			return false;

	if (!env->idmap) {
		env->idmap = bpfdev_zalloc(sizeof(*env->idmap));
		if (!env->idmap)
			return false;
	}
	idmap = env->idmap;
	for (i = 0; i < old->acquired_refs; i++)
		if (!check_ids(old->refs[i].id, cur->refs[i].id, idmap))
			goto out;
	for (i = 0; i <= old->curframe; i++)
		if (!func_states_equal(env, old->frame[i], cur->frame[i], idmap))
			goto out;
	ret = true;
out:
	memset(idmap->map, 0, idmap->used * sizeof(idmap->map[0]));
	idmap->used = 0;
	idmap->tmp_id_gen = 0;
	return ret;
}

/* The same registers, exactly: the loop made no progress. */
static bool states_maybe_looping(const struct bpfdev_verifier_state *old,
				 const struct bpfdev_verifier_state *cur)
{
	const struct bpfdev_func_state *fold, *fcur;
	int i, fr = cur->curframe;

	if ((int)old->curframe != fr)
		return false;
	fold = old->frame[fr];
	fcur = cur->frame[fr];
	for (i = 0; i < MAX_BPF_REG_; i++)
		if (!reg_exact_equal(&fold->regs[i], &fcur->regs[i]))
			return false;
	return true;
}

static int propagate_liveness_reg(struct bpfdev_verifier *env, struct bpfdev_reg_state *reg,
				  struct bpfdev_reg_state *parent_reg)
{
	u8 parent_flag = parent_reg->live & REG_LIVE_READ;
	u8 flag = reg->live & REG_LIVE_READ;
	int err;

	if (parent_flag == REG_LIVE_READ64 || !flag || parent_flag == flag)
		return 0;
	err = bpfdev_mark_reg_read(env, reg, parent_reg, flag);
	if (err)
		return err;
	return flag;
}

/*
 * A state pruned against an explored one reads what the explored one's
 * continuation read: copy those marks into the pruned state's chain.
 */
static int propagate_liveness(struct bpfdev_verifier *env,
			      const struct bpfdev_verifier_state *vstate,
			      struct bpfdev_verifier_state *vparent)
{
	struct bpfdev_reg_state *state_reg, *parent_reg;
	struct bpfdev_func_state *state, *parent;
	int i, err;
	u32 frame;

	if (vparent->curframe != vstate->curframe)
		return -EFAULT;
	for (frame = 0; frame <= vstate->curframe; frame++) {
		parent = vparent->frame[frame];
		state = vstate->frame[frame];
		parent_reg = parent->regs;
		state_reg = state->regs;
		/* We don't need to worry about FP liveness, it's read-only */
		for (i = frame < vstate->curframe ? BPF_REG_6 : 0; i < BPF_REG_FP; i++) {
			err = propagate_liveness_reg(env, &state_reg[i], &parent_reg[i]);
			if (err < 0)
				return err;
			if (err == REG_LIVE_READ64)
				bpfdev_mark_insn_zext(env, &parent_reg[i]);
		}
		for (i = 0; i < state->allocated_stack / BPF_REG_SIZE &&
			    i < parent->allocated_stack / BPF_REG_SIZE; i++) {
			err = propagate_liveness_reg(env, &state->stack[i].spilled_ptr,
						     &parent->stack[i].spilled_ptr);
			if (err < 0)
				return err;
		}
	}
	return 0;
}

static void free_state_list(struct bpfdev_verifier_state_list *sl)
{
	u32 n = 0;

	while (sl) {
		struct bpfdev_verifier_state_list *next = sl->next;

		bpfdev_free_verifier_state(&sl->state, false);
		bpfdev_free(sl);
		sl = next;
		/*
		 * A long bounded loop leaves a long list: freeing it under
		 * KASAN held a CPU for 23 s (soft lockup on the debug kernel).
		 */
		if (!(++n & 255))
			(void)bpfdev_yield();
	}
}

void bpfdev_free_explored_states(struct bpfdev_verifier *env)
{
	u32 i;

	if (env->explored_states) {
		for (i = 0; i < env->len; i++) {
			free_state_list(env->explored_states[i]);
			if (!(i & 4095))
				(void)bpfdev_yield();
		}
		bpfdev_free(env->explored_states);
		env->explored_states = NULL;
	}
	free_state_list(env->free_list);
	env->free_list = NULL;
	bpfdev_free(env->idmap);
	env->idmap = NULL;
}

int bpfdev_is_state_visited(struct bpfdev_verifier *env, int insn_idx)
{
	struct bpfdev_verifier_state_list *new_sl;
	struct bpfdev_verifier_state_list *sl, **pprev;
	struct bpfdev_verifier_state *cur = env->cur_state, *new;
	int i, err, states_cnt = 0;
	bool add_new_state = false;
	u32 j;

	/*
	 * Programs have a prune point every few instructions: add a state
	 * only after 2 jumps and 8 instructions, as the kernel does.
	 */
	if (env->jmps_processed - env->prev_jmps_processed >= 2 &&
	    env->insn_processed - env->prev_insn_processed >= 8)
		add_new_state = true;

	pprev = &env->explored_states[insn_idx];
	sl = *pprev;
	while (sl) {
		states_cnt++;
		if (sl->state.insn_idx != (u32)insn_idx)
			goto next;
		if (sl->state.branches) {
			/* Still being explored: cur is in a loop through it. */
			if (states_maybe_looping(&sl->state, cur) &&
			    states_equal(env, &sl->state, cur)) {
				bpfdev_verbose(env, "infinite loop detected at insn %d\n",
					       insn_idx);
				return -EINVAL;
			}
			/*
			 * Don't add a state every iteration of a loop: they
			 * differ and seldom prune; but keep some, so a loop
			 * with a large bound is still cut off in time.
			 */
			if (env->jmps_processed - env->prev_jmps_processed < 20 &&
			    env->insn_processed - env->prev_insn_processed < 100)
				add_new_state = false;
			goto miss;
		}
		if (states_equal(env, &sl->state, cur)) {
			sl->hit_cnt++;
			/* reached equivalent register/stack state, prune the search. */
			err = propagate_liveness(env, &sl->state, cur);
			if (!err)
				err = bpfdev_propagate_precision(env, &sl->state);
			if (err)
				return err;
			return 1;
		}
miss:
		if (add_new_state)
			sl->miss_cnt++;
		/* A state that seldom prunes is dropped from the search list;
		 * it stays allocated since parentage chains may walk it.
		 */
		if (sl->miss_cnt > sl->hit_cnt * 3 + 3) {
			*pprev = sl->next;
			sl->next = env->free_list;
			env->free_list = sl;
			sl = *pprev;
			continue;
		}
next:
		pprev = &sl->next;
		sl = *pprev;
	}

	if (env->max_states_per_insn < (u32)states_cnt)
		env->max_states_per_insn = states_cnt;
	if (!env->bpf_capable && states_cnt > BPF_COMPLEXITY_LIMIT_STATES)
		return 0;
	/*
	 * Explored states stay allocated until the end: bound their memory.
	 * Past the bound the search goes on unpruned, up to the instruction
	 * limit.
	 */
	if (env->total_states >= BPFDEV_MAX_STORED_STATES)
		return 0;
	if (!add_new_state)
		return 0;

	/*
	 * There were no equivalent states, remember the current one: it will
	 * either reach the outermost exit (safe) or be rejected.
	 */
	new_sl = bpfdev_zalloc(sizeof(*new_sl));
	if (!new_sl)
		return -ENOMEM;
	env->total_states++;
	env->peak_states++;
	env->prev_jmps_processed = env->jmps_processed;
	env->prev_insn_processed = env->insn_processed;

	/* marks come only from backtracking through the checkpoint itself */
	if (env->track_precision)
		bpfdev_mark_all_scalars_imprecise(env, cur);
	cur->last_insn_idx = env->prev_insn_idx;
	new = &new_sl->state;
	err = copy_verifier_state(new, cur);
	if (err) {
		bpfdev_free_verifier_state(new, false);
		bpfdev_free(new_sl);
		return err;
	}
	new->insn_idx = insn_idx;
	cur->parent = new;
	cur->first_insn_idx = insn_idx;
	cur->jmp_history_cnt = 0;
	cur->jmp_history_lost = false;
	new_sl->next = env->explored_states[insn_idx];
	env->explored_states[insn_idx] = new_sl;
	/*
	 * connect new state to parentage chain.  Current frame needs all
	 * registers connected; only r6 - r9 of the callers are alive.
	 */
	for (j = 0; j <= cur->curframe; j++) {
		for (i = j < cur->curframe ? BPF_REG_6 : 0; i < BPF_REG_FP; i++)
			cur->frame[j]->regs[i].parent = &new->frame[j]->regs[i];
		for (i = 0; i < BPF_REG_FP; i++)
			cur->frame[j]->regs[i].live = REG_LIVE_NONE;
	}
	/* all stack frames are accessible from callee, clear them all */
	for (j = 0; j <= cur->curframe; j++) {
		struct bpfdev_func_state *frame = cur->frame[j];
		struct bpfdev_func_state *newframe = new->frame[j];

		for (i = 0; i < frame->allocated_stack / BPF_REG_SIZE; i++) {
			frame->stack[i].spilled_ptr.live = REG_LIVE_NONE;
			frame->stack[i].spilled_ptr.parent = &newframe->stack[i].spilled_ptr;
		}
	}
	return 0;
}
