/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thin bpf() wrappers for the guest tests of maps and programs (the real
 * library is tools/lib/bpfdev): each returns a result or -errno, as
 * bpfdev_call() does.  live_objects() reads the module's counts of live
 * maps, programs, pins and fds from debugfs.
 */
#ifndef BPFDEV_GUEST_OBJS_H
#define BPFDEV_GUEST_OBJS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>

#include "guest.h"

#define OBJECTS_PATH	"/sys/kernel/debug/bpfdev/objects"

static int devfd = -1;

static inline void objs_init(void)
{
	devfd = bpfdev_open();
	if (devfd < 0) {
		printf("Bail out! cannot open /dev/bpf: %s\n", strerror(errno));
		exit(1);
	}
}

static inline long sys(unsigned int cmd, union bpf_attr *attr)
{
	return bpfdev_call(devfd, cmd, attr, sizeof(*attr));
}

static inline long map_create_named(__u32 type, __u32 ksz, __u32 vsz,
				    __u32 max, __u32 flags, const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = ksz;
	a.value_size = vsz;
	a.max_entries = max;
	a.map_flags = flags;
	if (name)
		strncpy(a.map_name, name, sizeof(a.map_name) - 1);
	return sys(BPF_MAP_CREATE, &a);
}

static inline long map_create(__u32 type, __u32 ksz, __u32 vsz, __u32 max,
			      __u32 flags)
{
	return map_create_named(type, ksz, vsz, max, flags, NULL);
}

static inline long map_update(int fd, const void *key, const void *value,
			      __u64 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	a.flags = flags;
	return sys(BPF_MAP_UPDATE_ELEM, &a);
}

static inline long map_lookup(int fd, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	return sys(BPF_MAP_LOOKUP_ELEM, &a);
}

static inline long map_lookup_and_delete(int fd, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	return sys(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &a);
}

static inline long map_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	return sys(BPF_MAP_DELETE_ELEM, &a);
}

static inline long map_next_key(int fd, const void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)key;
	a.next_key = (uintptr_t)next;
	return sys(BPF_MAP_GET_NEXT_KEY, &a);
}

static inline long map_freeze(int fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	return sys(BPF_MAP_FREEZE, &a);
}

/* cmd: one of the *_BATCH commands; *count in and out. */
static inline long map_batch(unsigned int cmd, int fd, void *in, void *out,
			     void *keys, void *values, __u32 *count,
			     __u64 elem_flags)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = fd;
	a.batch.in_batch = (uintptr_t)in;
	a.batch.out_batch = (uintptr_t)out;
	a.batch.keys = (uintptr_t)keys;
	a.batch.values = (uintptr_t)values;
	a.batch.count = *count;
	a.batch.elem_flags = elem_flags;
	r = sys(cmd, &a);
	*count = a.batch.count;
	return r;
}

static inline long obj_pin(int fd, const char *name)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.bpf_fd = fd;
	a.pathname = (uintptr_t)name;
	return sys(BPF_OBJ_PIN, &a);
}

static inline long obj_get(const char *name, __u32 flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)name;
	a.file_flags = flags;
	return sys(BPF_OBJ_GET, &a);
}

static inline long obj_unpin(const char *name)
{
	struct bpfdev_obj_unpin u = { .pathname = (uintptr_t)name };

	return ioctl_err(devfd, BPFDEV_IOC_OBJ_UNPIN, &u);
}

static inline long obj_info(int fd, void *info, __u32 *len)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = *len;
	a.info.info = (uintptr_t)info;
	r = sys(BPF_OBJ_GET_INFO_BY_FD, &a);
	*len = a.info.info_len;
	return r;
}

static inline long prog_load_log(__u32 type, const struct bpf_insn *insns,
				 __u32 cnt, const char *name, char *log,
				 __u32 log_size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = cnt;
	a.license = (uintptr_t)"GPL";
	if (name)
		strncpy(a.prog_name, name, sizeof(a.prog_name) - 1);
	if (log) {
		a.log_buf = (uintptr_t)log;
		a.log_size = log_size;
		a.log_level = 1;
	}
	return sys(BPF_PROG_LOAD, &a);
}

static inline long prog_load(const struct bpf_insn *insns, __u32 cnt)
{
	return prog_load_log(BPF_PROG_TYPE_SOCKET_FILTER, insns, cnt, NULL,
			     NULL, 0);
}

/* A 64-byte Ethernet frame for PROG_TEST_RUN. */
static unsigned char test_pkt[64] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
};

static inline long prog_run(int fd, __u32 repeat, __u32 *retval,
			    __u32 *duration)
{
	union bpf_attr a;
	long r;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uintptr_t)test_pkt;
	a.test.data_size_in = sizeof(test_pkt);
	a.test.repeat = repeat;
	r = sys(BPF_PROG_TEST_RUN, &a);
	if (retval)
		*retval = a.test.retval;
	if (duration)
		*duration = a.test.duration;
	return r;
}

/* Instruction builders (the kernel's filter.h shapes). */
#define I(c, d, s, o, i)	((struct bpf_insn){ .code = (c), .dst_reg = (d), \
				  .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i)		I(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU64_IMM(op, d, i)	I(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s)	I(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LD_MAP_FD(d, fd)	I(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), \
				I(0, 0, 0, 0, 0)
#define ST_MEM(sz, d, o, i)	I(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define STX_MEM(sz, d, s, o)	I(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define LDX_MEM(sz, d, s, o)	I(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define ATOMIC_ADD(sz, d, s, o)	I(BPF_STX | BPF_ATOMIC | (sz), d, s, o, BPF_ADD)
#define JMP_IMM(op, d, i, o)	I(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_A(o)		I(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(f)			I(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT()			I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define NINSNS(a)		(sizeof(a) / sizeof((a)[0]))

/* Loads a socket filter; -EOPNOTSUPP means the module has no verifier. */
static inline int have_verifier(void)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 0), EXIT() };
	long fd = prog_load(p, 2);

	if (fd >= 0)
		close(fd);
	return fd != -EOPNOTSUPP;
}

struct live {
	long maps, progs, pins, map_fds, prog_fds;
};

static inline int live_read(struct live *l)
{
	char name[32];
	long v;
	FILE *f = fopen(OBJECTS_PATH, "r");

	memset(l, 0, sizeof(*l));
	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &v) == 2) {
		if (!strcmp(name, "maps"))
			l->maps = v;
		else if (!strcmp(name, "progs"))
			l->progs = v;
		else if (!strcmp(name, "pins"))
			l->pins = v;
		else if (!strcmp(name, "map_fds"))
			l->map_fds = v;
		else if (!strcmp(name, "prog_fds"))
			l->prog_fds = v;
	}
	fclose(f);
	return 0;
}

static inline long live_total(void)
{
	struct live l;

	if (live_read(&l))
		return -1;
	return l.maps + l.progs + l.pins + l.map_fds + l.prog_fds;
}

/*
 * Objects are freed an RCU grace period after their last reference, on a
 * workqueue: wait up to 30 s for every count to reach zero (a debug
 * kernel under TCG took 11 s to free what a stock one frees at once).
 */
static inline int live_zero(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 3000; i++) {
		if (live_total() == 0)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static inline void live_diag(void)
{
	struct live l;

	live_read(&l);
	tap_diag("live: maps %ld progs %ld pins %ld map_fds %ld prog_fds %ld",
		 l.maps, l.progs, l.pins, l.map_fds, l.prog_fds);
}

#endif /* BPFDEV_GUEST_OBJS_H */
