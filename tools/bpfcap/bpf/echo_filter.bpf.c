// SPDX-License-Identifier: GPL-2.0
/*
 * An eBPF socket filter for `bpfcap --ebpf`: keeps the ICMP echo requests
 * of IPv4 over Ethernet, whole.  Built by clang into
 * build/bpfcap/echo_filter.bpf.o and shipped to the guest, where
 * t_45_bpfcap captures with it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>

#define SEC(name) __attribute__((section(name), used))

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

#define ICMP_ECHO	8

SEC("socket")
int echo_filter(struct __sk_buff *skb)
{
	__u32 ihl;

	if (load_half(skb, 12) != ETH_P_IP || load_byte(skb, 23) != IPPROTO_ICMP)
		return 0;
	ihl = (load_byte(skb, ETH_HLEN) & 0xf) * 4;
	if (load_byte(skb, ETH_HLEN + ihl) != ICMP_ECHO)
		return 0;
	return skb->len;
}

char _license[] SEC("license") = "GPL";
