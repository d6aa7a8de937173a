// SPDX-License-Identifier: GPL-2.0
/*
 * bpfdev: a BSD-style BPF packet filter device with its own classic and
 * extended BPF engine.  This file only wires module init and exit.
 */

#include <linux/module.h>

#include "action.h"
#include "capture.h"
#include "dev.h"
#include "jit_arena.h"
#include "objfd.h"
#include "version.h"

static int __init bpfdev_init(void)
{
	int err;

	/* First, and with nothing to undo: see bpfdev_jit_arena_init(). */
	bpfdev_jit_arena_init();
	err = bpfdev_objects_init();
	if (err)
		return err;
	err = bpfdev_capture_init();
	if (err)
		goto err_objects;
	err = bpfdev_act_init();
	if (err)
		goto err_capture;
	err = bpfdev_dev_init();
	if (err)
		goto err_act;

	pr_info("bpfdev " BPFDEV_VERSION " loaded\n");
	return 0;

err_act:
	bpfdev_act_exit();
err_capture:
	bpfdev_capture_exit();
err_objects:
	bpfdev_objects_exit();
	return err;
}

static void __exit bpfdev_exit(void)
{
	bpfdev_dev_exit();
	bpfdev_act_exit();
	bpfdev_capture_exit();
	bpfdev_objects_exit();
	pr_info("unloaded\n");
}

module_init(bpfdev_init);
module_exit(bpfdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("BSD-style BPF packet filter device with a classic and extended BPF engine");
MODULE_AUTHOR("The bpfdev authors");
MODULE_VERSION(BPFDEV_VERSION);
