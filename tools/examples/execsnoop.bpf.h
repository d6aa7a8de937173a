/* SPDX-License-Identifier: GPL-2.0 */
/* The record execsnoop.bpf.c sends through its ring buffer to execsnoop. */
#ifndef BPFDEV_EXAMPLES_EXECSNOOP_H
#define BPFDEV_EXAMPLES_EXECSNOOP_H

#define EXEC_COMM_LEN		16
#define EXEC_FILENAME_LEN	256

struct exec_event {
	__u64	tstamp_ns;
	__u32	pid;		/* the process (tgid) after exec */
	__u32	ppid;		/* its parent's */
	__u32	uid;
	__u32	pad;
	char	comm[EXEC_COMM_LEN];		/* the new program's name */
	char	filename[EXEC_FILENAME_LEN];	/* the path exec() was given */
};

#endif /* BPFDEV_EXAMPLES_EXECSNOOP_H */
