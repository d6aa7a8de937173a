/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_DEBUGFS_H
#define BPFDEV_DEBUGFS_H

#include <linux/atomic.h>

/*
 * Live-object counts, readable in /sys/kernel/debug/bpfdev/objects so that
 * tests can prove nothing leaked: every test ends with all of them zero.
 */
struct bpfdev_stats {
	atomic_t	maps;
	atomic_t	progs;
	atomic_t	pins;
	atomic_t	map_fds;
	atomic_t	prog_fds;
	atomic_t	captures;	/* capture sockets (open /dev/bpf files) */
	atomic_t	rings;		/* their rings */
};

extern struct bpfdev_stats bpfdev_stats;

void bpfdev_debugfs_init(void);
void bpfdev_debugfs_exit(void);

/* The module's debugfs directory (NULL without debugfs); trace_pipe lives there too. */
struct dentry *bpfdev_debugfs_dir(void);

#endif /* BPFDEV_DEBUGFS_H */
