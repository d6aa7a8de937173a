// SPDX-License-Identifier: GPL-2.0
/*
 * A load the verifier ends before its walk (an unsupported program type)
 * gives back everything setup() took: the debug kernel's kmemleak found
 * its explored-states array left behind by every such PROG_LOAD.  Run
 * under LeakSanitizer, which is asked for a check after each load.
 */

#include <errno.h>
#include <string.h>
#include <sanitizer/lsan_interface.h>
#include <linux/bpf.h>

#include "tap.h"
#include "verifier.h"

int main(void)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const __u32 types[] = { BPF_PROG_TYPE_XDP, 99, ~0U };
	struct bpfdev_verifier_env env;
	unsigned int i;

	tap_plan(2 * 3);
	for (i = 0; i < 3; i++) {
		memset(&env, 0, sizeof(env));
		env.insns = prog;
		env.len = 2;
		env.prog_type = types[i];
		ok(bpfdev_verify(&env) == -EINVAL,
		       "program type %u: EINVAL", types[i]);
		ok(!__lsan_do_recoverable_leak_check(),
		       "program type %u: nothing left allocated", types[i]);
	}
	return tap_done();
}
