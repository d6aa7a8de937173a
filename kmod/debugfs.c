// SPDX-License-Identifier: GPL-2.0
/*
 * Live-object counts in debugfs, /sys/kernel/debug/bpfdev/objects:
 *
 *	maps 0
 *	progs 0
 *	pins 0
 *	map_fds 0
 *	prog_fds 0
 *	captures 0
 *	rings 0
 *
 * An object counts from its creation to the end of its RCU-deferred free,
 * so a test that closes everything sees zero once the frees have run.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "debugfs.h"

struct bpfdev_stats bpfdev_stats;

static struct dentry *bpfdev_dir;

static int bpfdev_objects_show(struct seq_file *m, void *v)
{
	seq_printf(m, "maps %d\n", atomic_read(&bpfdev_stats.maps));
	seq_printf(m, "progs %d\n", atomic_read(&bpfdev_stats.progs));
	seq_printf(m, "pins %d\n", atomic_read(&bpfdev_stats.pins));
	seq_printf(m, "map_fds %d\n", atomic_read(&bpfdev_stats.map_fds));
	seq_printf(m, "prog_fds %d\n", atomic_read(&bpfdev_stats.prog_fds));
	seq_printf(m, "captures %d\n", atomic_read(&bpfdev_stats.captures));
	seq_printf(m, "rings %d\n", atomic_read(&bpfdev_stats.rings));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bpfdev_objects);

struct dentry *bpfdev_debugfs_dir(void)
{
	return bpfdev_dir;
}

/* debugfs is optional: without it the module works, tests cannot count. */
void bpfdev_debugfs_init(void)
{
	bpfdev_dir = debugfs_create_dir("bpfdev", NULL);
	if (IS_ERR(bpfdev_dir)) {
		bpfdev_dir = NULL;
		return;
	}
	debugfs_create_file("objects", 0444, bpfdev_dir, NULL,
			    &bpfdev_objects_fops);
}

void bpfdev_debugfs_exit(void)
{
	debugfs_remove_recursive(bpfdev_dir);
	bpfdev_dir = NULL;
}
