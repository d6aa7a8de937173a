// SPDX-License-Identifier: GPL-2.0
/*
 * warn_test: WARNs on load, nothing else.  The harness selftest loads it
 * in the guest to prove that a WARN fails the run (with panic_on_warn=1
 * it panics the guest, which the host must notice).
 */

#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_test_init(void)
{
	WARN(1, "warn_test: deliberate WARN for the harness selftest\n");
	return 0;
}

static void __exit warn_test_exit(void)
{
}

module_init(warn_test_init);
module_exit(warn_test_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("WARNs on load: a fault for bpfdev's VM harness selftest");
