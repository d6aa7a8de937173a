/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_DEV_H
#define BPFDEV_DEV_H

#include <linux/types.h>

struct net;
struct cred;
struct bpfdev_capture;
struct file;

/*
 * One open /dev/bpf: a handle for the bpf() command set and, in the BSD
 * bpf(4) model, a capture socket.  Lives from open() to the last release().
 */
struct bpfdev_file {
	struct net		*net;	/* opener's netns, for attach and capture */
	const struct cred	*cred;	/* opener's credentials, for permission checks */
	struct bpfdev_capture	*cap;	/* the capture socket (capture.c) */
};

/* The /dev/bpf behind file, or NULL for any other file. */
struct bpfdev_file *bpfdev_file_of(struct file *file);

int bpfdev_dev_init(void);
void bpfdev_dev_exit(void);

#endif /* BPFDEV_DEV_H */
