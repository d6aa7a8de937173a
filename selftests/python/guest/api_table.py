# SPDX-License-Identifier: GPL-2.0
# t_70's API case: a value set from Python steers the program (an array
# read in a capture filter on va), and increment(k, 5) counts in a hash
# that Python reads back.  Prints the hash's items.
import socket
import time

from bpfdev import BPF

b = BPF(text="""
BPF_ARRAY(in_, u32, 4);
BPF_HASH(out, u32, u64);
int f(struct __sk_buff *skb) {
    int i = 2;
    u32 *v = in_.lookup(&i);
    u32 k = v ? *v : 0;
    out.increment(k, 5);
    return 0;
}
""")
b["in_"][2] = 77
cap = b.attach_capture(dev="va", fn_name="f")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("10.77.0.2", 9))
time.sleep(1)
print(sorted((k.value, v.value) for k, v in b["out"].items()))
b.cleanup()
