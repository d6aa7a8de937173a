/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reference classic BPF interpreter for test_cbpf's random programs:
 * written straight from Linux's classic semantics (out-of-bounds loads and
 * division by zero end the program with 0; SKF_NET_OFF/SKF_LL_OFF and the
 * ancillary loads), independent of the engine's converter, so the two can
 * be compared.
 */
#ifndef BPFDEV_TEST_CBPF_REF_H
#define BPFDEV_TEST_CBPF_REF_H

static u32 ref_load(const struct bpfdev_skb *sk, s32 off, u32 size, bool *fail)
{
	u32 caplen = sk->data_end - sk->data, i, v = 0;
	s64 pos;

	if (off >= 0)
		pos = off;
	else if (off >= SKF_NET_OFF)
		pos = (s64)sk->net_off + off - SKF_NET_OFF;
	else if (off >= SKF_LL_OFF)
		pos = (s64)off - SKF_LL_OFF;
	else
		pos = -1;
	if (pos < 0 || pos + size > caplen) {
		*fail = true;
		return 0;
	}
	for (i = 0; i < size; i++)
		v = v << 8 | sk->data[pos + i];
	return v;
}

static u32 ref_ancillary(const struct bpfdev_skb *sk, u32 ad, u32 a, u32 x)
{
	switch (ad) {
	case SKF_AD_PROTOCOL: return be16_to_cpu((u16)sk->md.protocol);
	case SKF_AD_PKTTYPE: return sk->md.pkt_type;
	case SKF_AD_IFINDEX: return sk->md.ifindex;
	case SKF_AD_MARK: return sk->md.mark;
	case SKF_AD_QUEUE: return sk->md.queue_mapping;
	case SKF_AD_HATYPE: return sk->hatype;
	case SKF_AD_RXHASH: return sk->md.hash;
	case SKF_AD_CPU: return bpfdev_cpu_id();
	case SKF_AD_ALU_XOR_X: return a ^ x;
	case SKF_AD_VLAN_TAG: return sk->md.vlan_tci;
	case SKF_AD_VLAN_TAG_PRESENT: return sk->md.vlan_present;
	case SKF_AD_VLAN_TPID: return be16_to_cpu((u16)sk->md.vlan_proto);
	case SKF_AD_PAY_OFFSET: return bpfdev_skb_pay_offset(sk);
	default: return 0;	/* NLATTR, NLATTR_NEST: no netlink here */
	}
}

/* Linux's classic semantics, written directly; for validated programs. */
static u32 ref_run(const struct sock_filter *prog, const struct bpfdev_skb *sk)
{
	u32 a = 0, x = 0, mem[16] = { 0 }, pc = 0;

	for (;; pc++) {
		const struct sock_filter *f = &prog[pc];
		u32 size = BPF_SIZE(f->code) == BPF_W ? 4 :
			   BPF_SIZE(f->code) == BPF_H ? 2 : 1;
		bool fail = false, t;
		u32 src = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			switch (BPF_MODE(f->code)) {
			case BPF_ABS:
				if (f->k >= (u32)SKF_AD_OFF) {
					a = ref_ancillary(sk, f->k - (u32)SKF_AD_OFF, a, x);
					break;
				}
				a = ref_load(sk, (s32)f->k, size, &fail);
				break;
			case BPF_IND:
				a = ref_load(sk, (s32)(x + f->k), size, &fail);
				break;
			case BPF_LEN: a = sk->md.len; break;
			case BPF_IMM: a = f->k; break;
			case BPF_MEM: a = mem[f->k]; break;
			}
			if (fail)
				return 0;
			break;
		case BPF_LDX:
			switch (BPF_MODE(f->code)) {
			case BPF_MSH:
				x = 4 * (ref_load(sk, (s32)f->k, 1, &fail) & 0xf);
				if (fail)
					return 0;
				break;
			case BPF_LEN: x = sk->md.len; break;
			case BPF_IMM: x = f->k; break;
			case BPF_MEM: x = mem[f->k]; break;
			}
			break;
		case BPF_ST: mem[f->k] = a; break;
		case BPF_STX: mem[f->k] = x; break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV: if (!src) return 0; a /= src; break;
			case BPF_MOD: if (!src) return 0; a %= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a <<= src & 31; break;
			case BPF_RSH: a >>= src & 31; break;
			case BPF_NEG: a = -a; break;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				pc += f->k;
				break;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			default: t = (a & src) != 0; break;
			}
			pc += t ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
}

#endif /* BPFDEV_TEST_CBPF_REF_H */
