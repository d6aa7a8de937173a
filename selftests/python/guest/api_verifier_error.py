# SPDX-License-Identifier: GPL-2.0
# t_70's API case: a program the verifier refuses (a packet read with no
# bounds check) raises BPFError carrying the verifier's log.
from bpfdev import BPF, BPFError

b = BPF(text="int f(struct __sk_buff *skb) { return *(int *)(long)skb->data; }")
try:
    b.load_func("f", BPF.SOCKET_FILTER)
except BPFError as e:
    print("raised", e)
