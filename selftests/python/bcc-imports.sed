# bcc's imports made bpfdev's, and nothing else: what a bcc user changes to
# run bcc's own tools on bpfdev (t_71_bcc_scripts.sh, fill-guest-cache).
s/^from bcc import /from bpfdev import /
s/^from bcc\.\(containers\|utils\) import /from bpfdev.\1 import /
s/^import bcc\.utils as utils$/import bpfdev.utils as utils/
