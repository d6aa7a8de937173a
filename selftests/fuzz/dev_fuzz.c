// SPDX-License-Identifier: GPL-2.0
/*
 * dev_fuzz: /dev/bpf fuzzed from outside, as any user of the device can.
 *
 * Runs inside the guest.  Several threads share one table of fds (device
 * fds, maps, programs, dups, stale numbers) and, for a fixed time, issue
 * every bpf() command and every capture ioctl with mutated attrs (boundary
 * sizes, nonzero tails, bad and foreign fds, NULL, unmapped and kernel
 * addresses as user pointers, huge sizes, random small programs), close and
 * dup() fds under each other, race mmap/munmap/read/poll and rewrite the
 * ring's control page, fork, and pin and unpin names.  One thread keeps
 * loopback traffic flowing so capture sockets see packets.
 *
 * Nothing here checks results: the kernel does (KASAN, lockdep, kmemleak,
 * the harness's report patterns), and the caller checks afterwards that
 * the live-object counts are back at zero and that the module unloads.
 *
 * usage: dev_fuzz [-t SECONDS] [-j THREADS] [-s SEED] [-u]
 *   -u  drop every capability after opening the first device fd (the
 *       unprivileged user of a 0666 device)
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/bpfdev.h>

#define NSLOTS		64
#define BUF_SIZE	(128 << 10)
#define KERNEL_PTR	0xffffffff81000000ULL
#define UNMAPPED_PTR	0x10ULL

enum op {
	OP_OPEN, OP_BPF, OP_CAP, OP_MMAP, OP_READ, OP_CLOSE, OP_DUP,
	OP_FORK, OP_PIN, OP_NR
};

static const char *const op_names[OP_NR] = {
	"open", "bpf", "capture", "mmap", "read/poll", "close", "dup",
	"fork", "pin",
};

static int slots[NSLOTS];
static int holder_fd = -1;	/* hold_hook_keys(): never handed to an op */
static volatile int stop;
static unsigned long op_count[OP_NR];
static unsigned long errno_count[256];
static int drop_caps;

struct rnd {
	uint64_t s;
};

static uint64_t rnd_next(struct rnd *r)
{
	/* splitmix64: small, fast, and reproducible from the seed */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd_below(struct rnd *r, uint32_t n)
{
	return n ? rnd_next(r) % n : 0;
}

static uint32_t rnd_u32(struct rnd *r)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 255, 256, 4095, 4096,
		4097, 65535, 65536, 1 << 20, 1000000, 1000001, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff,
	};

	if (rnd_below(r, 2))
		return edges[rnd_below(r, sizeof(edges) / sizeof(edges[0]))];
	return (uint32_t)rnd_next(r) >> rnd_below(r, 32);
}

static int slot_fd(struct rnd *r)
{
	switch (rnd_below(r, 8)) {
	case 0:
		return -1;
	case 1: {
		int fd = (int)rnd_u32(r);

		return fd == holder_fd ? -1 : fd;
	}
	default:
		return __atomic_load_n(&slots[rnd_below(r, NSLOTS)], __ATOMIC_RELAXED);
	}
}

static void slot_put(struct rnd *r, int fd)
{
	int old;

	if (fd < 0)
		return;
	old = __atomic_exchange_n(&slots[rnd_below(r, NSLOTS)], fd, __ATOMIC_RELAXED);
	/* Another thread may still be using old: that is the point. */
	if (old > 2)
		close(old);
}

static int dev_fd(struct rnd *r)
{
	int fd = slot_fd(r);

	return fd > 2 ? fd : __atomic_load_n(&slots[0], __ATOMIC_RELAXED);
}

static void count_errno(long ret)
{
	if (ret < 0)
		__atomic_add_fetch(&errno_count[errno & 0xff], 1, __ATOMIC_RELAXED);
}

/* A user pointer: our buffer (often), NULL, unmapped or a kernel address. */
static uint64_t rnd_ptr(struct rnd *r, uint8_t *buf)
{
	switch (rnd_below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return UNMAPPED_PTR;
	case 2:
		return KERNEL_PTR + rnd_below(r, 1 << 20);
	case 3:
		return (uintptr_t)buf + BUF_SIZE - rnd_below(r, 64);
	default:
		return (uintptr_t)buf + rnd_below(r, 256);
	}
}

/* A small program: mostly plausible socket filters, sometimes noise. */
static uint32_t rnd_prog(struct rnd *r, struct bpf_insn *insn, uint32_t max)
{
	uint32_t n = 1 + rnd_below(r, max - 1), i;

	for (i = 0; i < n; i++) {
		if (rnd_below(r, 3)) {
			static const uint8_t ops[] = {
				BPF_ALU64 | BPF_MOV | BPF_K, BPF_ALU64 | BPF_ADD | BPF_X,
				BPF_ALU | BPF_MUL | BPF_K, BPF_ALU64 | BPF_DIV | BPF_X,
				BPF_LDX | BPF_MEM | BPF_W, BPF_STX | BPF_MEM | BPF_DW,
				BPF_ST | BPF_MEM | BPF_B, BPF_JMP | BPF_JEQ | BPF_K,
				BPF_JMP | BPF_JGT | BPF_X, BPF_JMP | BPF_CALL,
				BPF_LD | BPF_ABS | BPF_B, BPF_LD | BPF_IND | BPF_H,
				BPF_JMP32 | BPF_JSLT | BPF_K, BPF_JMP | BPF_JA,
			};
			insn[i] = (struct bpf_insn) {
				.code = ops[rnd_below(r, sizeof(ops))],
				.dst_reg = rnd_below(r, 11),
				.src_reg = rnd_below(r, 11),
				.off = (int16_t)(rnd_below(r, 17) - 8),
				.imm = (int32_t)rnd_below(r, 64) - 16,
			};
			if (insn[i].code == (BPF_JMP | BPF_CALL))
				insn[i].imm = rnd_below(r, 40);
		} else {
			memcpy(&insn[i], &(uint64_t){ rnd_next(r) }, sizeof(insn[i]));
		}
	}
	if (rnd_below(r, 4)) {
		insn[n - 1] = (struct bpf_insn){ .code = BPF_JMP | BPF_EXIT };
		if (n > 1)
			insn[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,
						     .imm = (int32_t)rnd_below(r, 128) };
	}
	return n;
}

static long bpf_call(int fd, uint32_t cmd, void *attr, uint32_t size)
{
	struct bpfdev_call call = { .cmd = cmd, .size = size, .attr = (uintptr_t)attr };

	return ioctl(fd, BPFDEV_IOC_BPF, &call);
}

static void do_bpf(struct rnd *r, uint8_t *buf)
{
	static const uint32_t map_types[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PROG_ARRAY,
		BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY,
		BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH,
		BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_RINGBUF, 99,
	};
	union bpf_attr a;
	uint32_t cmd = rnd_below(r, 4) ? rnd_below(r, 24) : rnd_u32(r);
	uint32_t size = sizeof(a);
	struct bpf_insn *insn = (void *)(buf + BUF_SIZE / 2);
	long ret;
	int fd = dev_fd(r);

	memset(&a, 0, sizeof(a));
	switch (cmd) {
	case BPF_MAP_CREATE:
		a.map_type = map_types[rnd_below(r, sizeof(map_types) / 4)];
		a.key_size = rnd_below(r, 3) ? 4 << rnd_below(r, 3) : rnd_u32(r);
		a.value_size = rnd_below(r, 3) ? 4 << rnd_below(r, 4) : rnd_u32(r);
		a.max_entries = rnd_below(r, 3) ? 1 + rnd_below(r, 64) : rnd_u32(r);
		/*
		 * As for rings: root's maps are charged to no limit, so at
		 * most 2^16 entries and 4 MiB of values (a root run in the
		 * debug kernel's 1 GiB guest ended in the OOM killer).
		 */
		if (!drop_caps && a.max_entries > (1U << 16))
			a.max_entries = 1 + a.max_entries % (1U << 16);
		if (!drop_caps && a.value_size &&
		    (uint64_t)a.value_size * a.max_entries > (4U << 20))
			a.max_entries = 1 + (4U << 20) / a.value_size;
		if (a.map_type == BPF_MAP_TYPE_RINGBUF && rnd_below(r, 2)) {
			a.key_size = a.value_size = 0;
			a.max_entries = 4096 << rnd_below(r, 4);
		}
		if (a.map_type == BPF_MAP_TYPE_LPM_TRIE && rnd_below(r, 2))
			a.map_flags = BPF_F_NO_PREALLOC;
		if (!rnd_below(r, 8))
			a.map_flags = rnd_u32(r);
		break;
	case BPF_PROG_LOAD:
		a.prog_type = rnd_below(r, 4) ? BPF_PROG_TYPE_SOCKET_FILTER : rnd_below(r, 40);
		a.insn_cnt = rnd_prog(r, insn, 32);
		a.insns = rnd_below(r, 8) ? (uintptr_t)insn : rnd_ptr(r, buf);
		if (!rnd_below(r, 8))
			a.insn_cnt = rnd_u32(r);
		a.license = (uintptr_t)"GPL";
		if (rnd_below(r, 2)) {
			a.log_level = rnd_below(r, 8);
			a.log_buf = rnd_ptr(r, buf);
			a.log_size = rnd_below(r, 2) ? 4096 : rnd_u32(r);
		}
		break;
	case BPF_PROG_TEST_RUN:
		a.test.prog_fd = slot_fd(r);
		a.test.data_in = rnd_ptr(r, buf);
		a.test.data_size_in = rnd_below(r, 2) ? 14 + rnd_below(r, 128) : rnd_u32(r);
		a.test.data_out = rnd_ptr(r, buf);
		a.test.data_size_out = rnd_below(r, 2) ? 0 : rnd_u32(r);
		a.test.repeat = rnd_below(r, 16);
		if (rnd_below(r, 4) == 0) {
			a.test.ctx_in = rnd_ptr(r, buf);
			a.test.ctx_size_in = rnd_below(r, 256);
			a.test.ctx_out = rnd_ptr(r, buf);
			a.test.ctx_size_out = rnd_below(r, 256);
		}
		break;
	case BPF_OBJ_GET_INFO_BY_FD:
		a.info.bpf_fd = slot_fd(r);
		a.info.info_len = rnd_below(r, 2) ? 4 * rnd_below(r, 64) : rnd_u32(r);
		a.info.info = rnd_ptr(r, buf);
		/* Ask for the dumps too: image and xlated pointers inside buf. */
		if (a.info.info == (uintptr_t)buf && rnd_below(r, 2)) {
			struct bpf_prog_info *pi = (void *)buf;

			memset(pi, 0, sizeof(*pi));
			pi->jited_prog_len = rnd_below(r, 4096);
			pi->jited_prog_insns = (uintptr_t)buf + 4096;
			pi->xlated_prog_len = rnd_below(r, 4096);
			pi->xlated_prog_insns = (uintptr_t)buf + 8192;
			pi->nr_map_ids = rnd_below(r, 8);
			pi->map_ids = (uintptr_t)buf + 12288;
		}
		break;
	case BPF_PROG_ATTACH:
	case BPF_PROG_DETACH:
		a.target_fd = slot_fd(r);
		a.attach_bpf_fd = slot_fd(r);
		a.attach_type = rnd_below(r, 4) ? 0 : rnd_u32(r);
		break;
	case BPF_OBJ_PIN:
	case BPF_OBJ_GET:
		snprintf((char *)buf + 1024, 32, "fuzz%u", rnd_below(r, 8));
		a.pathname = rnd_below(r, 8) ? (uintptr_t)buf + 1024 : rnd_ptr(r, buf);
		a.bpf_fd = slot_fd(r);
		break;
	case BPF_MAP_LOOKUP_BATCH:
	case BPF_MAP_LOOKUP_AND_DELETE_BATCH:
	case BPF_MAP_UPDATE_BATCH:
	case BPF_MAP_DELETE_BATCH:
		a.batch.map_fd = slot_fd(r);
		a.batch.keys = rnd_ptr(r, buf);
		a.batch.values = rnd_ptr(r, buf + 4096);
		a.batch.count = rnd_below(r, 2) ? rnd_below(r, 16) : rnd_u32(r);
		a.batch.in_batch = rnd_below(r, 2) ? 0 : rnd_ptr(r, buf);
		a.batch.out_batch = rnd_ptr(r, buf);
		a.batch.elem_flags = rnd_below(r, 4) ? 0 : rnd_u32(r);
		/* The kernel writes count back: point attr at the real one. */
		memcpy(buf + 16384, &a, sizeof(a));
		ret = bpf_call(fd, cmd, buf + 16384, size);
		count_errno(ret);
		return;
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
		a.start_id = rnd_below(r, 2) ? rnd_below(r, 64) : rnd_u32(r);
		a.open_flags = rnd_below(r, 4) ? 0 : rnd_u32(r);
		break;
	default:
		/* Element commands and everything else. */
		a.map_fd = slot_fd(r);
		a.key = rnd_ptr(r, buf);
		a.value = rnd_ptr(r, buf + 4096);
		a.flags = rnd_below(r, 4) ? rnd_below(r, 4) : rnd_u32(r);
		break;
	}
	/* Sizes around the real one, and nonzero tails past it. */
	switch (rnd_below(r, 8)) {
	case 0:
		size = rnd_below(r, sizeof(a));
		break;
	case 1:
		size = sizeof(a) + rnd_below(r, 64);
		memcpy(buf + 32768, &a, sizeof(a));
		memset(buf + 32768 + sizeof(a), rnd_below(r, 2), 64);
		ret = bpf_call(fd, cmd, buf + 32768, size);
		count_errno(ret);
		return;
	case 2:
		size = rnd_u32(r);
		break;
	}
	ret = bpf_call(fd, cmd, rnd_below(r, 16) ? (void *)&a : (void *)(uintptr_t)rnd_ptr(r, buf),
		       size);
	count_errno(ret);
	if (ret > 2 && (cmd == BPF_MAP_CREATE || cmd == BPF_PROG_LOAD ||
			cmd == BPF_OBJ_GET || cmd == BPF_PROG_GET_FD_BY_ID ||
			cmd == BPF_MAP_GET_FD_BY_ID))
		slot_put(r, ret);
}

static void do_capture(struct rnd *r, uint8_t *buf)
{
	static const unsigned long reqs[] = {
		BPFDEV_IOC_CAP_BIND, BPFDEV_IOC_CAP_UNBIND, BPFDEV_IOC_CAP_SET_FILTER,
		BPFDEV_IOC_CAP_SNAPLEN, BPFDEV_IOC_CAP_DIRECTION, BPFDEV_IOC_CAP_PROMISC,
		BPFDEV_IOC_CAP_RING_SIZE, BPFDEV_IOC_CAP_WAKEUP, BPFDEV_IOC_CAP_TSTAMP,
		BPFDEV_IOC_CAP_GET_STATS, BPFDEV_IOC_CAP_FLUSH, BPFDEV_IOC_CAP_GET_INFO,
		BPFDEV_IOC_VERSION, BPFDEV_IOC_OBJ_UNPIN,
	};
	unsigned long req = reqs[rnd_below(r, sizeof(reqs) / sizeof(reqs[0]))];
	int fd = dev_fd(r);
	void *arg = buf;
	long ret;

	memset(buf, 0, 256);
	if (req == BPFDEV_IOC_CAP_BIND) {
		struct bpfdev_cap_bind *b = (void *)buf;
		static const char *const names[] = { "lo", "any", "", "nosuch0", "veth0" };

		strcpy(b->ifname, names[rnd_below(r, 5)]);
		b->ifindex = rnd_below(r, 4);
		if (!rnd_below(r, 8))
			b->flags = rnd_u32(r);
	} else if (req == BPFDEV_IOC_CAP_SET_FILTER) {
		struct bpfdev_cap_filter *f = (void *)buf;
		struct sock_filter *ins = (void *)(buf + 1024);
		uint32_t i, n = 1 + rnd_below(r, 16);

		for (i = 0; i < n; i++)
			ins[i] = (struct sock_filter){
				.code = (uint16_t)rnd_next(r), .jt = rnd_below(r, 4),
				.jf = rnd_below(r, 4), .k = rnd_u32(r) };
		if (rnd_below(r, 2))
			ins[n - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, rnd_u32(r));
		f->kind = rnd_below(r, 4);
		f->len = rnd_below(r, 8) ? n : rnd_u32(r);
		f->insns = rnd_below(r, 8) ? (uintptr_t)ins : rnd_ptr(r, buf);
		f->prog_fd = slot_fd(r);
		if (rnd_below(r, 2)) {
			f->log_buf = rnd_ptr(r, buf + 4096);
			f->log_size = rnd_below(r, 2) ? 256 : rnd_u32(r);
		}
	} else if (req == BPFDEV_IOC_OBJ_UNPIN) {
		struct bpfdev_obj_unpin *u = (void *)buf;

		snprintf((char *)buf + 1024, 32, "fuzz%u", rnd_below(r, 8));
		u->pathname = rnd_below(r, 8) ? (uintptr_t)buf + 1024 : rnd_ptr(r, buf);
	} else {
		uint32_t *v = (void *)buf;

		v[0] = rnd_below(r, 2) ? rnd_below(r, 5) : rnd_u32(r);
		v[1] = rnd_below(r, 100);
		if (req == BPFDEV_IOC_CAP_RING_SIZE && rnd_below(r, 2))
			v[0] = 65536 << rnd_below(r, 4);
		/*
		 * Root's rings are charged to nobody's RLIMIT_MEMLOCK: a
		 * random size is a 256 MiB ring, and a few held in the
		 * slots ran the 1 GiB debug guest (KASAN takes a third)
		 * out of memory after ten minutes.  Huge sizes stay for
		 * the unprivileged half, where the limit refuses them.
		 */
		if (req == BPFDEV_IOC_CAP_RING_SIZE && !drop_caps && v[0] > (4U << 20))
			v[0] = 4U << 20;
	}
	if (!rnd_below(r, 16))
		arg = (void *)(uintptr_t)rnd_ptr(r, buf);
	if (!rnd_below(r, 32))
		req = rnd_u32(r);
	ret = ioctl(fd, req, arg);
	count_errno(ret);
}

/* Map a ring, corrupt its control page and records, read, unmap. */
static void do_mmap(struct rnd *r, uint8_t *buf)
{
	struct bpfdev_cap_info info;
	int fd = dev_fd(r);
	size_t len;
	void *p;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &info) < 0 || !info.ring_size)
		len = 4096 * (1 + rnd_below(r, 32));
	else
		len = 4096 + info.ring_size;
	if (!rnd_below(r, 8))
		len += 4096 * (rnd_below(r, 3) - 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 rnd_below(r, 8) ? MAP_SHARED : MAP_PRIVATE, fd,
		 rnd_below(r, 8) ? 0 : 4096);
	if (p == MAP_FAILED) {
		count_errno(-1);
		return;
	}
	if (rnd_below(r, 2) && len > 4096) {
		struct bpfdev_ring_ctl *ctl = p;
		uint64_t prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);
		static const int64_t deltas[] = { 0, -1, 1, 4, 8, -8, 1 << 20 };

		switch (rnd_below(r, 3)) {
		case 0:
			ctl->consumer = rnd_next(r);
			break;
		case 1:
			ctl->consumer = prod + deltas[rnd_below(r, 7)];
			break;
		default:
			/* Rewrite a record length somewhere in the data. */
			((uint32_t *)((uint8_t *)p + 4096))[rnd_below(r, (len - 4096) / 4)] =
				rnd_u32(r);
			break;
		}
	}
	if (rnd_below(r, 2)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		count_errno(poll(&pfd, 1, 0));
		count_errno(read(fd, buf, rnd_below(r, 2) ? 65536 : rnd_below(r, 128)));
		count_errno(ioctl(fd, BPFDEV_IOC_CAP_FLUSH));
	}
	/* Now and then the mapping outlives every fd of its socket. */
	if (rnd_below(r, 8))
		munmap(p, len);
}

static void do_read(struct rnd *r, uint8_t *buf)
{
	struct pollfd pfd = { .fd = dev_fd(r), .events = POLLIN | POLLOUT };
	size_t len = rnd_below(r, 2) ? rnd_below(r, 4096) : BUF_SIZE;

	count_errno(poll(&pfd, 1, rnd_below(r, 3)));
	count_errno(read(pfd.fd, rnd_below(r, 8) ? buf : (void *)(uintptr_t)rnd_ptr(r, buf),
			 len));
}

static void do_open(struct rnd *r)
{
	int fd = open("/dev/bpf", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	count_errno(fd);
	if (fd >= 0 && rnd_below(r, 2)) {
		struct bpfdev_cap_bind b = { .ifname = "lo" };

		count_errno(ioctl(fd, BPFDEV_IOC_CAP_BIND, &b));
	}
	slot_put(r, fd);
}

static void one_op(struct rnd *r, uint8_t *buf, int depth);

static void do_fork(struct rnd *r, uint8_t *buf, int depth)
{
	pid_t pid;
	int i;

	if (depth)
		return;
	pid = fork();
	if (pid == 0) {
		/* The child races its inherited fds against the parent. */
		for (i = 0; i < 32; i++)
			one_op(r, buf, 1);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void one_op(struct rnd *r, uint8_t *buf, int depth)
{
	static const uint8_t weights[OP_NR] = {
		[OP_OPEN] = 4, [OP_BPF] = 40, [OP_CAP] = 20, [OP_MMAP] = 8,
		[OP_READ] = 8, [OP_CLOSE] = 4, [OP_DUP] = 4, [OP_FORK] = 1,
		[OP_PIN] = 2,
	};
	uint32_t w = rnd_below(r, 91), op;

	for (op = 0; op < OP_NR - 1 && w >= weights[op]; op++)
		w -= weights[op];
	__atomic_add_fetch(&op_count[op], 1, __ATOMIC_RELAXED);
	switch (op) {
	case OP_OPEN:
		do_open(r);
		break;
	case OP_BPF:
		do_bpf(r, buf);
		break;
	case OP_CAP:
		do_capture(r, buf);
		break;
	case OP_MMAP:
		do_mmap(r, buf);
		break;
	case OP_READ:
		do_read(r, buf);
		break;
	case OP_CLOSE: {
		int i = 1 + rnd_below(r, NSLOTS - 1);
		int fd = __atomic_exchange_n(&slots[i], -1, __ATOMIC_RELAXED);

		if (fd > 2)
			close(fd);
		break;
	}
	case OP_DUP:
		slot_put(r, dup(dev_fd(r)));
		break;
	case OP_FORK:
		do_fork(r, buf, depth);
		break;
	default: {
		/* Pin something under a name, or drop a name. */
		struct bpfdev_obj_unpin u = { 0 };
		char name[32];

		snprintf(name, sizeof(name), "fuzz%u", rnd_below(r, 8));
		u.pathname = (uintptr_t)name;
		count_errno(ioctl(dev_fd(r), BPFDEV_IOC_OBJ_UNPIN, &u));
		break;
	}
	}
}

struct worker {
	pthread_t tid;
	uint64_t seed;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct rnd r = { .s = w->seed };
	/*
	 * The kernel writes wherever the attrs point: a guard page after the
	 * buffer turns a write past its end into EFAULT instead of a
	 * corrupted heap.
	 */
	uint8_t *buf = mmap(NULL, BUF_SIZE + 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED || mprotect(buf + BUF_SIZE, 4096, PROT_NONE))
		return NULL;
	while (!stop)
		one_op(&r, buf, 0);
	munmap(buf, BUF_SIZE + 4096);
	return NULL;
}

/* Loopback traffic, so that bound sockets fill their rings. */
static void *traffic_main(void *arg)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char pkt[512] = { 0 };
	/* Non-blocking: a worker's stale fd number may land on it. */
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unsigned int n = 0;

	(void)arg;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (!stop && s >= 0) {
		sendto(s, pkt, 16 + (n++ % 480), 0, (void *)&to, sizeof(to));
		if (!(n % 64))
			usleep(1000);
	}
	if (s >= 0)
		close(s);
	return NULL;
}

/*
 * A capture socket bound to "any" for the whole run, opened before any
 * worker and never given to one (a random fd number that hits it is
 * refused in slot_fd(): a worker's unbind or rebind of it would be a
 * key flip): every device's hooks, lo's ingress and the egress of every
 * other device, then stay registered while traffic flows, so the netdev
 * ingress and egress static keys never go 0<->1 under it.  Multi-threaded
 * TCG patching a jump label under traffic takes the guest down without
 * bpfdev loaded at all (selftests/vm/static-key-toggle tc: "Oops: int3"
 * in __dev_queue_xmit or __netif_receive_skb_core), so a key flipping on
 * a worker's bind and close would test QEMU, not us.  Loopback has no
 * egress hook: a holder on lo alone left the egress key to the workers'
 * binds to "any" wherever the namespace had another device (t_41's
 * dummy0), and the guest died in CI with a "Fatal exception in
 * interrupt" on a loopback packet; t_90 adds a device of its own, so
 * the key is held whatever else the namespace has.
 */
static int hold_hook_keys(void)
{
	struct bpfdev_cap_bind b = { .ifname = "any" };
	int fd = open("/dev/bpf", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, BPFDEV_IOC_CAP_BIND, &b)) {
		perror("dev_fuzz: binding the key holder to any");
		return -1;
	}
	holder_fd = fd;
	return 0;
}

static void drop_all_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (syscall(SYS_capset, &h, d))
		perror("capset");
}

/* The fuzzing itself, in a child: dropping capabilities stays there. */
static int fuzz(unsigned int seconds, unsigned int threads, uint64_t seed)
{
	struct worker *w;
	pthread_t traffic;
	unsigned long total = 0;
	unsigned int i;

	for (i = 0; i < NSLOTS; i++)
		slots[i] = -1;
	slots[0] = open("/dev/bpf", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (slots[0] < 0) {
		perror("/dev/bpf");
		return 1;
	}
	if (hold_hook_keys())
		return 1;
	if (drop_caps)
		drop_all_caps();
	w = calloc(threads, sizeof(*w));
	if (!w)
		return 1;
	pthread_create(&traffic, NULL, traffic_main, NULL);
	for (i = 0; i < threads; i++) {
		w[i].seed = seed * 1000003 + i;
		pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
	}
	sleep(seconds);
	stop = 1;
	for (i = 0; i < threads; i++)
		pthread_join(w[i].tid, NULL);
	pthread_join(traffic, NULL);
	for (i = 0; i < OP_NR; i++) {
		printf("# %-10s %lu\n", op_names[i], op_count[i]);
		total += op_count[i];
	}
	printf("# errno:");
	for (i = 0; i < 256; i++)
		if (errno_count[i])
			printf(" %s=%lu", strerrorname_np(i) ? strerrorname_np(i) : "?",
			       errno_count[i]);
	printf("\n# total %lu operations\n", total);
	/* The caller leaves by _exit(), which flushes nothing. */
	fflush(stdout);
	free(w);
	return 0;
}

/*
 * A fuzzing process that outlives its time is stuck in the kernel (every
 * fd it can reach is non-blocking): show where, then kill it.
 */
static void report_stuck(pid_t pid)
{
	char cmd[128];

	fprintf(stderr, "dev_fuzz: the fuzzing process is stuck; its threads' kernel stacks:\n");
	snprintf(cmd, sizeof(cmd),
		 "for t in /proc/%d/task/*; do echo \"$t:\"; cat $t/stack; done >&2", pid);
	if (system(cmd))
		fprintf(stderr, "dev_fuzz: no stacks\n");
	kill(pid, SIGKILL);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Names the fuzzer may have pinned: they would keep objects alive. */
static void unpin_all(void)
{
	int fd = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	char name[32];
	unsigned int i;

	for (i = 0; fd >= 0 && i < 8; i++) {
		struct bpfdev_obj_unpin u = { .pathname = (uintptr_t)name };

		snprintf(name, sizeof(name), "fuzz%u", i);
		ioctl(fd, BPFDEV_IOC_OBJ_UNPIN, &u);
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	unsigned int seconds = 60, threads = 4;
	uint64_t seed = (uint64_t)time(NULL);
	int c, status = 0;
	pid_t pid;

	while ((c = getopt(argc, argv, "t:j:s:u")) != -1) {
		switch (c) {
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			threads = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			drop_caps = 1;
			break;
		default:
			fprintf(stderr, "usage: dev_fuzz [-t SECONDS] [-j THREADS] [-s SEED] [-u]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	printf("# dev_fuzz: seed %llu, %u threads, %u s%s\n", (unsigned long long)seed,
	       threads, seconds, drop_caps ? ", no capabilities" : "");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fuzz(seconds, threads, seed));
	if (pid < 0) {
		perror("dev_fuzz: fork");
		return 1;
	}
	/* No SA_RESTART: the alarm interrupts waitpid(). */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	alarm(seconds + 60);
	if (waitpid(pid, &status, 0) < 0) {
		report_stuck(pid);
		waitpid(pid, &status, 0);
		unpin_all();
		return 1;
	}
	alarm(0);
	unpin_all();
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "dev_fuzz: the fuzzing process ended with status %#x\n", status);
		return 1;
	}
	return 0;
}
