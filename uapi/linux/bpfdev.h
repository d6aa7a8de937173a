/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bpfdev: a BSD-style BPF device for Linux.
 *
 * This header is the only contract between bpfdev.ko and userspace.
 *
 * /dev/bpf takes one ioctl that mirrors bpf(2):
 *
 *	union bpf_attr attr = { ... };
 *	struct bpfdev_call call = {
 *		.cmd = BPF_PROG_LOAD, .size = sizeof(attr),
 *		.attr = (__u64)(unsigned long)&attr,
 *	};
 *	int fd = ioctl(devfd, BPFDEV_IOC_BPF, &call);
 *
 * Command numbers, union bpf_attr, struct bpf_insn, map and program types,
 * flags and error codes are the kernel's own from <linux/bpf.h>.  The
 * ioctl returns what bpf(2) would: a new fd, 0, or -1 with errno set.
 */
#ifndef _UAPI_LINUX_BPFDEV_H
#define _UAPI_LINUX_BPFDEV_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on incompatible changes; minor on additions. */
#define BPFDEV_ABI_MAJOR	1
#define BPFDEV_ABI_MINOR	0

#define BPFDEV_IOC_MAGIC	'B'

/* One bpf(2) call: cmd and size as bpf(2) takes them, attr a user pointer. */
struct bpfdev_call {
	__u32		cmd;	/* enum bpf_cmd */
	__u32		size;	/* bytes at attr, as bpf(2)'s third argument */
	__aligned_u64	attr;	/* union bpf_attr __user * */
};

/* Feature bits in struct bpfdev_version.features. */
#define BPFDEV_FEAT_BPF		(1ULL << 0)	/* BPFDEV_IOC_BPF */
#define BPFDEV_FEAT_CAPTURE	(1ULL << 1)	/* BPFDEV_IOC_CAP_*, read, poll, mmap */
#define BPFDEV_FEAT_TRACE	(1ULL << 2)	/* BPFDEV_IOC_*_ATTACH of tracing programs */

struct bpfdev_version {
	__u32		abi_major;	/* BPFDEV_ABI_MAJOR of the module */
	__u32		abi_minor;	/* BPFDEV_ABI_MINOR of the module */
	__aligned_u64	features;	/* BPFDEV_FEAT_* */
	char		release[32];	/* module version string, NUL-ended */
};

/* ioctl numbers start at 0x40 to stay clear of BSD's BIOC range. */
#define BPFDEV_IOC_VERSION	_IOR(BPFDEV_IOC_MAGIC, 0x40, struct bpfdev_version)
#define BPFDEV_IOC_BPF		_IOW(BPFDEV_IOC_MAGIC, 0x41, struct bpfdev_call)

/*
 * Who may call it, as bpf(2) on 6.1 with the module parameter
 * unprivileged_bpf_disabled in the role of the kernel.unprivileged_bpf_disabled
 * sysctl (0 allowed, 1 disabled until the module is reloaded, 2 disabled
 * but changeable by CAP_SYS_ADMIN; default 2):
 *   - with CAP_BPF or CAP_SYS_ADMIN every command runs; the verifier gives
 *     CAP_BPF alone bpf_capable()'s rules (bounded loops, 1M instructions,
 *     precision tracking) and CAP_PERFMON (or CAP_SYS_ADMIN) on top root's
 *     (pointer leaks, reads of stack never written, no Spectre
 *     mitigations), as bpf_check() does;
 *   - without, and unprivileged_bpf_disabled=0: PROG_LOAD of socket
 *     filters (4,096 instructions; any other type EPERM), MAP_CREATE of
 *     the maps 6.1 allows (not LRU_HASH, LRU_PERCPU_HASH or LPM_TRIE:
 *     EPERM), the map element and batch commands, PROG_TEST_RUN and
 *     OBJ_GET_INFO_BY_FD (no image lengths), with the verifier's
 *     unprivileged rules and Spectre mitigations (a speculative path behind
 *     each decided branch, pointer arithmetic masked to its object, nospec
 *     after stores a load could bypass, unreached code as "goto -1");
 *   - without, and unprivileged_bpf_disabled=1 or 2: EPERM for every
 *     command;
 *   - classic filters on capture sockets need only an open /dev/bpf.
 *
 * Where BPFDEV_IOC_BPF differs from bpf(2) on Linux 6.1:
 *   - stricter for callers without CAP_BPF: with unprivileged BPF
 *     disabled, the commands on fds the caller holds are EPERM too (bpf(2)
 *     refuses only MAP_CREATE and PROG_LOAD); MAP_FREEZE, OBJ_PIN, OBJ_GET,
 *     PROG_ATTACH and PROG_DETACH always need CAP_BPF (pins are a
 *     module-wide registry with no file modes; attaching is to a device's
 *     hook); MAP_CREATE's map-type EPERM comes before the attr's own
 *     checks (6.1 asks at allocation, after them); array and prog-array
 *     indices are masked (array_index_nospec()) for every caller, where
 *     6.1 masks array maps created without CAP_PERFMON;
 *   - *_GET_NEXT_ID and *_GET_FD_BY_ID need CAP_SYS_ADMIN, as in bpf(2);
 *   - socket filters may read the packet directly through data and
 *     data_end, proven by the verifier (an extension: bpf(2) refuses them
 *     to socket filters); __sk_buff.sk reads as the kernel's
 *     PTR_TO_SOCK_COMMON_OR_NULL but is always NULL (bpfdev's packets
 *     reach filters without a socket) and may not be dereferenced;
 *   - the verifier leaves code no path reaches in place for bpf_capable
 *     callers (6.1 removes it; both never run it);
 *   - the verifier answers as 6.1's on every kernel bpfdev runs on, where
 *     later kernels accept more (6.12: BPF_ST into the context, constants
 *     read back from the stack in narrower pieces) or answer another errno
 *     ("sequence of jumps too complex": E2BIG on 6.12, EFAULT on 6.1);
 *   - maps: ARRAY, PERCPU_ARRAY, HASH, PERCPU_HASH, LRU_HASH,
 *     LRU_PERCPU_HASH, LPM_TRIE, RINGBUF, PROG_ARRAY, STACK_TRACE; BTF key and value
 *     types are checked for size as map_check_btf() does (BTF blobs for
 *     layout only: no BTF log); no map-in-map, BPF_F_LOCK or
 *     BPF_F_MMAPABLE (EINVAL; map_ifindex after the type's own checks);
 *     a map larger than 256 MiB is E2BIG; hash maps always preallocate
 *     (BPF_F_NO_PREALLOC is accepted) and LRU maps keep one list
 *     (BPF_F_NO_COMMON_LRU is accepted); BPF_F_NUMA_NODE is checked as
 *     bpf(2) checks it, but memory is not placed on that node; fdinfo's
 *     memlock is 6.1's figure (max_entries * (key + value) rounded to
 *     pages) on every kernel, where 6.4 and later report each type's use;
 *   - PROG_TEST_RUN of a socket filter: data_in is the whole frame and the
 *     program sees it from the link-layer header (len counts it), as
 *     capture filters do; data_out comes back with that header zeroed, as
 *     the kernel's;
 *   - PROG_TEST_RUN of a tc program (SCHED_CLS, SCHED_ACT) runs it on an
 *     sk_buff as 6.1's does (the frame from the link-layer header, at
 *     egress, the packet out as the program left it), but __sk_buff.sk is
 *     NULL there too (the kernel's test run gives it a dummy socket);
 *   - tc programs: a write to __sk_buff.tc_classid is accepted and
 *     ignored, as there is no qdisc classification at a netdev hook (after
 *     TC_ACT_OK the kernel's tc makes its minor the skb's tc_index);
 *     bpf_csum_diff() takes no NULL buffer (6.1 takes NULL with size 0,
 *     e.g. to fold a seed);
 *   - PROG_ATTACH/PROG_DETACH: target_fd is a /dev/bpf fd (a capture
 *     socket) opened in the caller's network namespace;
 *   - OBJ_GET_INFO_BY_FD gives a program's JIT image only to a /dev/bpf
 *     opened by who may see kernel addresses, as bpf(2) (kptr_restrict,
 *     CAP_SYSLOG), judged by the credentials that opened /dev/bpf (bpf(2):
 *     those that made the program fd); at kptr_restrict 0, CAP_SYSLOG is
 *     needed even when perf_event_paranoid <= 1 would let bpf(2) show it;
 *   - tracing: user stacks (bpf_get_stackid() and bpf_get_stack() with
 *     BPF_F_USER_STACK) follow the frame-pointer chain from the task's
 *     user registers, as perf does (stack_trace_save_user() is not
 *     exported): code built without frame pointers gives its first
 *     address and what its frames happen to hold; BPF_F_USER_BUILD_ID is
 *     EINVAL; run_cnt and run_time_ns of tracing programs are counted
 *     unless the module parameter stats is 0 (6.1 counts them only while
 *     kernel.bpf_stats_enabled is set); a kprobe hit that kprobes itself
 *     skips (inside another probe's handler, a program's helper included)
 *     never reaches the program: it is the link fdinfo's "missed" (as the
 *     kernel's kprobe_profile), not recursion_misses;
 *   - bpf_trace_printk() output: /sys/kernel/debug/bpfdev/trace_pipe;
 *     live maps, programs, pins and fds: /sys/kernel/debug/bpfdev/objects.
 */

/*
 * BPF_OBJ_PIN and BPF_OBJ_GET take attr.pathname as a plain name in a
 * registry inside the module (there is no bpffs behind /dev/bpf); a pin
 * keeps its object alive until BPFDEV_IOC_OBJ_UNPIN removes the name, as
 * unlink() does on bpffs.
 */
struct bpfdev_obj_unpin {
	__aligned_u64	pathname;	/* const char *, NUL-terminated */
	__u32		flags;		/* must be 0 */
	__u32		pad;		/* must be 0 */
};

#define BPFDEV_IOC_OBJ_UNPIN	_IOW(BPFDEV_IOC_MAGIC, 0x42, struct bpfdev_obj_unpin)

/*
 * ---- Capture -------------------------------------------------------------
 *
 * Every open /dev/bpf is also a capture socket, as in BSD bpf(4): bind it
 * to an interface (or to "any"), optionally attach a filter, then read the
 * packets the filter accepted from a ring of records, either mmap()ed
 * (zero copy) or with read().  Capture needs CAP_NET_RAW or CAP_NET_ADMIN
 * in the socket's network namespace (checked at bind).
 *
 *	int fd = open("/dev/bpf", O_RDWR);
 *	struct bpfdev_cap_bind b = { .ifname = "eth0" };
 *	struct bpfdev_cap_filter f = {
 *		.kind = BPFDEV_FILTER_CLASSIC,
 *		.len = prog.bf_len, .insns = (__u64)(unsigned long)prog.bf_insns,
 *	};
 *	struct bpfdev_cap_info info;
 *	__u32 ring = 4 << 20;
 *
 *	ioctl(fd, BPFDEV_IOC_CAP_RING_SIZE, &ring);	(before bind and mmap)
 *	ioctl(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
 *	ioctl(fd, BPFDEV_IOC_CAP_BIND, &b);
 *	ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &info);	(ring size, link type)
 *	void *m = mmap(NULL, BPFDEV_RING_DATA_OFF + info.ring_size,
 *		       PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
 *	struct bpfdev_ring_ctl *ctl = m;
 *	unsigned char *data = (unsigned char *)m + BPFDEV_RING_DATA_OFF;
 *
 *	for (;;) {
 *		__u64 cons = ctl->consumer;
 *		__u64 prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);
 *
 *		while (cons < prod) {
 *			struct bpfdev_cap_hdr *h = (void *)(data +
 *					(cons & (info.ring_size - 1)));
 *			__u32 len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);
 *
 *			if (len & BPFDEV_REC_BUSY)
 *				break;		(still being written: poll again)
 *			if (!(len & BPFDEV_REC_PAD))
 *				use(h, (unsigned char *)h + h->hdr_len, h->caplen);
 *			cons += len & BPFDEV_REC_LEN_MASK;
 *		}
 *		__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
 *		poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, -1);
 *	}
 *
 * The ring.  mmap() MAP_SHARED, offset 0, length BPFDEV_RING_DATA_OFF + ring_size:
 * one control page (struct bpfdev_ring_ctl) then ring_size bytes of
 * records (a power of two).  Positions are free-running 64-bit byte
 * counts; a record starts at data + (pos & (ring_size - 1)).  The kernel
 * writes producer, the reader writes consumer; the bytes in between are
 * records that never wrap: when one does not fit before the end of the
 * data area, the kernel fills the tail with a padding record (rec_len has
 * BPFDEV_REC_PAD; skip it) and writes the record at offset 0.  Records are
 * 8-byte aligned.  A record whose rec_len has BPFDEV_REC_BUSY is reserved
 * but not yet written: stop there and come back (records after it may be
 * complete already).  A full ring drops the packet and counts it.
 *
 * read() is the copying alternative: it returns whole records in the same
 * format (padding records left out), as many as fit in the buffer; a
 * buffer too small for the first record gets EINVAL (one of
 * sizeof(struct bpfdev_cap_hdr) + snaplen bytes, rounded up to 8, always
 * suffices).  It blocks unless O_NONBLOCK (EAGAIN).  read() and poll()
 * report the error of a socket whose device went away (ENXIO) once the
 * records before it are consumed; poll() gives POLLERR.  A consumer
 * position or rec_len the kernel never wrote (misaligned, ahead of
 * producer, more than a ring behind, not ending inside the data area)
 * makes read() and BPFDEV_IOC_CAP_FLUSH fail with EIO and poll() report
 * POLLIN, and the ring look full to the kernel; setting consumer to
 * producer makes it usable again.
 *
 * Wakeups (BPFDEV_IOC_CAP_WAKEUP): poll/epoll and a blocking read() wake
 * for every record (count <= 1, the default: BIOCIMMEDIATE), or when
 * count records are ready, or timeout_ms after the first unread record
 * arrived, whichever comes first (as TPACKET_V3's block timeout), or when
 * the ring is half full.
 *
 * What is captured.  On Ethernet (and loopback) devices the bytes start at
 * the link-layer header (link type LINKTYPE_ETHERNET); an out-of-band
 * 802.1Q/802.1ad tag is reinserted after the MAC addresses, as libpcap
 * does, and the filter sees the packet exactly as it is captured (its
 * __sk_buff vlan_present is then 0: no tag is out of band in that view;
 * the record still says BPFDEV_REC_F_VLAN with the tci).  On "any" and on
 * devices without an Ethernet header the bytes start at the network header
 * (LINKTYPE_LINUX_SLL2, or LINKTYPE_RAW for ARPHRD_NONE devices, as
 * libpcap's cooked mode): the record header carries what the SLL2 header
 * needs (protocol, ifindex, hatype, pkt_type, source address); filters for
 * "any" must address the network header at offset 0 (libpcap's cooked
 * filter fix-up) and may use the SKF_AD_* loads.  On loopback each packet
 * is captured once, as it arrives (as libpcap keeps it).  Packets bigger
 * than the MTU (GRO, TSO) are captured up to the snap length; caplen is
 * also bounded by a quarter of the ring.
 */

/*
 * BPFDEV_IOC_CAP_BIND: ifname if set, else ifindex; both empty/0: "any".
 * ENXIO for no such device in the socket's namespace, EPERM without
 * CAP_NET_RAW or CAP_NET_ADMIN there.  Binding (again) discards the
 * records and zeroes the counters, as BIOCSETIF does; the socket holds
 * its namespace (as a packet socket does) and reads ENXIO once its device
 * is unregistered or moved to another namespace.
 */
struct bpfdev_cap_bind {
	char		ifname[16];	/* IFNAMSIZ, NUL-ended; "any" is "any" */
	__u32		ifindex;
	__u32		flags;		/* must be 0 */
};

/* BPFDEV_IOC_CAP_SET_FILTER kinds. */
#define BPFDEV_FILTER_NONE	0	/* detach: accept every packet whole */
#define BPFDEV_FILTER_CLASSIC	1	/* insns: struct sock_filter[len] */
#define BPFDEV_FILTER_EBPF	2	/* prog_fd: a BPF_PROG_TYPE_SOCKET_FILTER */

/*
 * A filter returns the number of bytes to keep (0 rejects), as for
 * SO_ATTACH_FILTER.  Replacing a filter is atomic: every packet runs
 * either the old or the new one.  A rejected filter leaves the old one.
 */
struct bpfdev_cap_filter {
	__u32		kind;		/* BPFDEV_FILTER_* */
	__u32		len;		/* classic: instructions at insns */
	__aligned_u64	insns;		/* classic: struct sock_filter __user * */
	__s32		prog_fd;	/* eBPF: program fd from BPF_PROG_LOAD */
	__u32		flags;		/* must be 0 */
	__aligned_u64	log_buf;	/* classic: why it was refused (or 0) */
	__u32		log_size;
	__u32		pad;		/* must be 0 */
};

/* BPFDEV_IOC_CAP_DIRECTION values (a bitmask). */
#define BPFDEV_DIR_IN		1
#define BPFDEV_DIR_OUT		2
#define BPFDEV_DIR_INOUT	3	/* the default */

/* BPFDEV_IOC_CAP_TSTAMP sources of bpfdev_cap_hdr.tstamp_ns. */
#define BPFDEV_TSTAMP_REALTIME	0	/* CLOCK_REALTIME at capture (default) */
#define BPFDEV_TSTAMP_MONOTONIC	1	/* CLOCK_MONOTONIC at capture */
#define BPFDEV_TSTAMP_SKB	2	/* the packet's receive stamp if any, else realtime */

struct bpfdev_cap_wakeup {
	__u32		count;		/* records per wakeup; 0 or 1: every one */
	__u32		timeout_ms;	/* since the first unread record; 0: none */
};

/*
 * Counters since bind or flush.  Every packet the socket's direction lets
 * through is seen; accepted ones were kept by the filter; of those,
 * dropped ones found the ring full: accepted == delivered + dropped.
 */
struct bpfdev_cap_stats {
	__aligned_u64	seen;
	__aligned_u64	accepted;
	__aligned_u64	delivered;
	__aligned_u64	dropped;
};

/* Link types (pcap LINKTYPE_* values) in bpfdev_cap_info.linktype. */
#define BPFDEV_LINKTYPE_ETHERNET	1
#define BPFDEV_LINKTYPE_RAW		101
#define BPFDEV_LINKTYPE_LINUX_SLL2	276

/* Flags of bpfdev_cap_info. */
#define BPFDEV_CAP_BOUND	(1U << 0)
#define BPFDEV_CAP_ANY		(1U << 1)
#define BPFDEV_CAP_PROMISC	(1U << 2)	/* promiscuous mode on */
#define BPFDEV_CAP_MAPPED	(1U << 3)	/* the ring is mmap()ed */
#define BPFDEV_CAP_FILTER	(1U << 4)	/* a filter is attached */
#define BPFDEV_CAP_JITED	(1U << 5)	/* and runs JITed */

struct bpfdev_cap_info {
	__u32		flags;		/* BPFDEV_CAP_* */
	__u32		ifindex;	/* bound device, 0 for "any" */
	char		ifname[16];
	__u32		linktype;	/* BPFDEV_LINKTYPE_* */
	__u32		hatype;		/* ARPHRD_* of the device, 0 for "any" */
	__u32		ring_size;	/* bytes of records (power of two) */
	__u32		snaplen;
	__u32		direction;	/* BPFDEV_DIR_* */
	__u32		tstamp;		/* BPFDEV_TSTAMP_* */
	__u32		wakeup_count;
	__u32		wakeup_timeout_ms;
	__s32		error;		/* pending socket error (-ENXIO), or 0 */
	__u32		jited_len;	/* bytes of the filter's JIT image, or 0 */
};

/* The ring's control page, at mmap offset 0. */
struct bpfdev_ring_ctl {
	__aligned_u64	producer;	/* written by the kernel (release) */
	__u8		pad0[56];
	__aligned_u64	consumer;	/* written by the reader (release) */
	__u8		pad1[56];
	__u32		ring_size;	/* bytes of records */
	__u32		hdr_len;	/* sizeof(struct bpfdev_cap_hdr) */
};

#define BPFDEV_RING_DATA_OFF	4096	/* records start one page in */

/* rec_len: bytes from this record to the next, with these flags. */
#define BPFDEV_REC_BUSY		(1U << 31)	/* not written yet */
#define BPFDEV_REC_PAD		(1U << 30)	/* padding to the end of the data area */
#define BPFDEV_REC_LEN_MASK	0x3ffffff8U

/* bpfdev_cap_hdr.flags. */
#define BPFDEV_REC_F_VLAN	(1U << 0)	/* vlan_tci/vlan_proto valid */
#define BPFDEV_REC_F_VLAN_INLINE (1U << 1)	/* and reinserted into the bytes */

/* One captured packet; its bytes follow at hdr_len from its start. */
struct bpfdev_cap_hdr {
	__u32		rec_len;	/* BPFDEV_REC_*: 8-aligned, header included */
	__u32		caplen;		/* bytes captured */
	__aligned_u64	tstamp_ns;	/* BPFDEV_TSTAMP_* clock, ns */
	__u32		wirelen;	/* bytes of the packet (this view) */
	__u32		ifindex;	/* device it was seen on */
	__be16		protocol;	/* skb->protocol (ETH_P_*, big endian) */
	__u16		hatype;		/* ARPHRD_* of the device */
	__u8		direction;	/* BPFDEV_DIR_IN or BPFDEV_DIR_OUT */
	__u8		pkt_type;	/* PACKET_HOST ... PACKET_OUTGOING */
	__u8		flags;		/* BPFDEV_REC_F_* */
	__u8		halen;		/* bytes of addr */
	__u16		vlan_tci;
	__u16		vlan_proto;	/* ETH_P_8021Q or ETH_P_8021AD, host order */
	__u16		net_off;	/* network header offset in the bytes */
	__u16		hdr_len;	/* sizeof(struct bpfdev_cap_hdr) */
	__u8		addr[8];	/* source link-layer address (as sll_addr) */
};

/* Capture ioctls (0x50 ...).  All return 0 or -1 with errno. */
#define BPFDEV_IOC_CAP_BIND	_IOW(BPFDEV_IOC_MAGIC, 0x50, struct bpfdev_cap_bind)
#define BPFDEV_IOC_CAP_UNBIND	_IO(BPFDEV_IOC_MAGIC, 0x51)
#define BPFDEV_IOC_CAP_SET_FILTER _IOW(BPFDEV_IOC_MAGIC, 0x52, struct bpfdev_cap_filter)
/* Bytes kept of each packet, 1 .. 262144 (default 262144). */
#define BPFDEV_IOC_CAP_SNAPLEN	_IOW(BPFDEV_IOC_MAGIC, 0x53, __u32)
#define BPFDEV_IOC_CAP_DIRECTION _IOW(BPFDEV_IOC_MAGIC, 0x54, __u32)
/* 1: promiscuous while bound (not on "any": EINVAL); 0: off. */
#define BPFDEV_IOC_CAP_PROMISC	_IOW(BPFDEV_IOC_MAGIC, 0x55, __u32)
/*
 * Bytes of records, rounded up to a power of two, 64 KiB .. 256 MiB
 * (default 4 MiB); EBUSY once the ring is mmap()ed.  Discards records.
 * The ring (and its control page) is made at bind or mmap() and charged
 * to the memory cgroup of the task that makes it, failing with ENOMEM
 * instead of calling the OOM killer; a caller with neither CAP_IPC_LOCK
 * nor CAP_NET_RAW is also charged against its RLIMIT_MEMLOCK (shared
 * with io_uring and AF_XDP): ENOMEM past it.
 */
#define BPFDEV_IOC_CAP_RING_SIZE _IOW(BPFDEV_IOC_MAGIC, 0x56, __u32)
#define BPFDEV_IOC_CAP_WAKEUP	_IOW(BPFDEV_IOC_MAGIC, 0x57, struct bpfdev_cap_wakeup)
#define BPFDEV_IOC_CAP_TSTAMP	_IOW(BPFDEV_IOC_MAGIC, 0x58, __u32)
#define BPFDEV_IOC_CAP_GET_STATS _IOR(BPFDEV_IOC_MAGIC, 0x59, struct bpfdev_cap_stats)
/*
 * Discards the complete records and zeroes the counters (BIOCFLUSH);
 * EIO (counters zeroed all the same) at a corrupt consumer position.
 */
#define BPFDEV_IOC_CAP_FLUSH	_IO(BPFDEV_IOC_MAGIC, 0x5a)
#define BPFDEV_IOC_CAP_GET_INFO	_IOR(BPFDEV_IOC_MAGIC, 0x5b, struct bpfdev_cap_info)

/*
 * Fanout: several capture sockets bound to one device (or all to "any")
 * share its packets, each packet going to one member of the group, as
 * AF_PACKET's PACKET_FANOUT does, so that one interface can be read by
 * several threads or processes.
 *
 *	struct bpfdev_cap_fanout j = { .id = 7, .mode = BPFDEV_FANOUT_HASH };
 *
 *	ioctl(fd, BPFDEV_IOC_CAP_BIND, &b);		(each member, same device)
 *	ioctl(fd, BPFDEV_IOC_CAP_FANOUT, &j);
 *
 * A group is named by id within the socket's network namespace and is
 * made by its first member, which fixes its device, mode and program;
 * it goes with its last member.  The member is chosen before the
 * member's own direction and filter are applied (a packet its member
 * does not take is not offered to another):
 *   - BPFDEV_FANOUT_HASH: by a flow hash of addresses and ports that is
 *     the same both ways (the kernel's symmetric flow hash, as
 *     PACKET_FANOUT_HASH with PACKET_FANOUT_FLAG_DEFRAG's symmetry), so
 *     both directions of a flow land on the same member;
 *   - BPFDEV_FANOUT_CPU: by the CPU the packet is seen on;
 *   - BPFDEV_FANOUT_RR: round robin, counted per CPU (no counter shared
 *     between CPUs: each CPU's packets alternate over the members);
 *   - BPFDEV_FANOUT_EBPF: by the return value of prog_fd, a
 *     BPF_PROG_TYPE_SOCKET_FILTER program run on the packet as the
 *     members' filters see it, modulo the number of members (as
 *     PACKET_FANOUT_EBPF).
 * Members are indexed in the order they joined; when one leaves, the
 * last takes its place, and packets already on their way go to the
 * member chosen when they arrived, so every packet the group is offered
 * is either delivered to exactly one member's ring or counted dropped by
 * that member (joining and leaving wait for the packets in flight).
 *
 * The socket must be bound first (else ENOTCONN); EALREADY if it is
 * already a member, EINVAL for an unknown mode, non-zero flags or pad,
 * a prog_fd outside BPFDEV_FANOUT_EBPF (or none in it), or an existing
 * group whose device or mode differs (or, in BPFDEV_FANOUT_EBPF, its
 * program), ENOSPC past BPFDEV_FANOUT_MAX members, EBADF or EINVAL for a
 * prog_fd that is not a socket filter program.  Binding a member again
 * gives EBUSY; BPFDEV_IOC_CAP_UNBIND and close() leave the group.
 * BPFDEV_IOC_CAP_FANOUT_LEAVE leaves it and keeps the binding: the socket
 * is offered every packet of its device again (ENOENT if not a member).
 */
#define BPFDEV_FANOUT_HASH	0
#define BPFDEV_FANOUT_CPU	1
#define BPFDEV_FANOUT_RR	2
#define BPFDEV_FANOUT_EBPF	3

#define BPFDEV_FANOUT_MAX	256	/* members of one group */

struct bpfdev_cap_fanout {
	__u32		id;		/* the group, in the socket's namespace */
	__u32		mode;		/* BPFDEV_FANOUT_* */
	__s32		prog_fd;	/* BPFDEV_FANOUT_EBPF: the program, else 0 */
	__u32		flags;		/* must be 0 */
};

/*
 * BPFDEV_IOC_CAP_FANOUT_STATS: the group of the calling socket (ENOENT if
 * none).  group counts since the group was made, over every member it
 * has had: seen are the packets members' directions let through (of
 * those the group was offered), accepted, delivered and dropped as each
 * member counted them, so that while nobody joins or leaves the changes
 * add up to the sum of the members' own counters (BPFDEV_IOC_CAP_GET_STATS;
 * a member's own counters also count what it captured before joining).
 * index is the caller's position (what BPFDEV_FANOUT_EBPF's return value
 * modulo members selects).
 */
struct bpfdev_cap_fanout_stats {
	__u32		id;
	__u32		mode;
	__u32		members;
	__u32		index;		/* of the calling socket */
	struct bpfdev_cap_stats group;
};

#define BPFDEV_IOC_CAP_FANOUT	_IOW(BPFDEV_IOC_MAGIC, 0x5c, struct bpfdev_cap_fanout)
#define BPFDEV_IOC_CAP_FANOUT_LEAVE _IO(BPFDEV_IOC_MAGIC, 0x5d)
#define BPFDEV_IOC_CAP_FANOUT_STATS _IOR(BPFDEV_IOC_MAGIC, 0x5e, struct bpfdev_cap_fanout_stats)

/*
 * Action programs: tc programs (BPF_PROG_TYPE_SCHED_CLS or SCHED_ACT, in
 * tc's direct-action semantics) at a device's netfilter netdev ingress or
 * egress hook, several per hook, run in ascending prio.  A program's
 * TC_ACT_OK passes the packet on (no later program runs), TC_ACT_SHOT
 * drops it, TC_ACT_STOLEN and TC_ACT_TRAP consume it, TC_ACT_REDIRECT
 * sends it where bpf_redirect() said; any other code (TC_ACT_UNSPEC,
 * RECLASSIFY, PIPE ...) hands it to the next program, and after the last
 * the packet passes, as cls_bpf's direct-action chain does.  Capture
 * sockets on the device see the packet after the programs, as they left
 * it: a dropped packet is not captured.
 *
 * BPFDEV_IOC_ACT_ATTACH returns a link fd: closing it detaches.  With
 * BPFDEV_ACT_F_PERSIST it returns 0 instead, and the program stays until
 * BPFDEV_IOC_ACT_DETACH, the device or its namespace goes (the module
 * cannot be unloaded meanwhile).  A device's (dir, prio) names one
 * attachment: UPDATE replaces its program atomically (every packet runs
 * the old or the new one), DETACH removes it (a link fd then stays open,
 * detached, as after the device went).  All need CAP_BPF (or
 * CAP_SYS_ADMIN) and CAP_NET_ADMIN in the device's namespace, which is
 * the /dev/bpf fd's.
 */
#define BPFDEV_ACT_INGRESS	0
#define BPFDEV_ACT_EGRESS	1

#define BPFDEV_ACT_F_PERSIST	(1U << 0)

#define BPFDEV_ACT_PRIO_MAX	65535

struct bpfdev_act_attach {
	__u32		prog_fd;
	__u32		ifindex;
	__u32		dir;		/* BPFDEV_ACT_INGRESS or _EGRESS */
	__u32		prio;		/* 1 .. BPFDEV_ACT_PRIO_MAX; 0: after the last */
	__u32		flags;		/* BPFDEV_ACT_F_* */
	__u32		pad;		/* zero */
};

/* UPDATE (prog_fd: the new program) and DETACH (prog_fd zero). */
struct bpfdev_act_target {
	__u32		ifindex;
	__u32		dir;
	__u32		prio;
	__u32		prog_fd;
};

struct bpfdev_act_info {
	__u32		prog_id;
	__u32		prio;
	__u32		flags;		/* BPFDEV_ACT_F_PERSIST: no link fd */
	__u32		pad;
	__aligned_u64	run_cnt;	/* times the program ran */
	__aligned_u64	drop_cnt;	/* of which it returned TC_ACT_SHOT */
};

struct bpfdev_act_query {
	__u32		ifindex;
	__u32		dir;
	__u32		count;		/* in: room at infos; out: attached */
	__u32		pad;
	__aligned_u64	infos;		/* struct bpfdev_act_info[count], in prio order */
};

#define BPFDEV_IOC_ACT_ATTACH	_IOW(BPFDEV_IOC_MAGIC, 0x60, struct bpfdev_act_attach)
#define BPFDEV_IOC_ACT_UPDATE	_IOW(BPFDEV_IOC_MAGIC, 0x61, struct bpfdev_act_target)
#define BPFDEV_IOC_ACT_DETACH	_IOW(BPFDEV_IOC_MAGIC, 0x62, struct bpfdev_act_target)
/* ENOSPC (count set) when more are attached than infos has room for. */
#define BPFDEV_IOC_ACT_QUERY	_IOWR(BPFDEV_IOC_MAGIC, 0x63, struct bpfdev_act_query)

/*
 * Tracing: programs of type BPF_PROG_TYPE_KPROBE, _TRACEPOINT,
 * _RAW_TRACEPOINT and _PERF_EVENT, with 6.1's contexts and helper rules.
 * Each attach ioctl below returns a link fd: closing it detaches (after
 * the last run on any CPU has finished).  All need CAP_BPF and
 * CAP_PERFMON, or CAP_SYS_ADMIN, as the kernel asks of tracing programs;
 * raw tracepoints attach through the bpf() mirror's own command,
 * BPF_RAW_TRACEPOINT_OPEN (attr.raw_tracepoint.name, .prog_fd).
 *
 * A program that would run inside another bpfdev program on the same CPU
 * (a probe hit from a helper, say) is skipped and counted, as the
 * kernel's bpf_prog_active does: bpf_prog_info.recursion_misses; run_cnt
 * and run_time_ns count the runs.  Probes on bpfdev's own functions are
 * refused (EINVAL).  The module cannot be unloaded while a link exists.
 *
 * There is no BPF_MAP_TYPE_PERF_EVENT_ARRAY: its entries are perf event
 * fds of the kernel's own perf, which bpfdev programs cannot write to;
 * BPF_MAP_TYPE_RINGBUF (bpf_ringbuf_output, libbpf's ring_buffer) serves.
 */

/* BPFDEV_IOC_KPROBE_ATTACH and BPFDEV_IOC_UPROBE_ATTACH flags. */
#define BPFDEV_PROBE_F_RETURN	(1U << 0)	/* kretprobe / uretprobe */

/* A kprobe (or kretprobe) on a kernel function, by name (+ offset). */
struct bpfdev_kprobe_attach {
	__u32		prog_fd;	/* BPF_PROG_TYPE_KPROBE */
	__u32		flags;		/* BPFDEV_PROBE_F_* */
	__aligned_u64	func;		/* user pointer: NUL-terminated symbol */
	__aligned_u64	offset;		/* bytes into func; 0 for a kretprobe */
	__u32		maxactive;	/* kretprobe instances; 0: the default */
	__u32		pad;		/* zero */
};

/* A uprobe (or uretprobe) at a file offset of an executable or library. */
struct bpfdev_uprobe_attach {
	__u32		prog_fd;	/* BPF_PROG_TYPE_KPROBE */
	__u32		flags;		/* BPFDEV_PROBE_F_* */
	__aligned_u64	path;		/* user pointer: NUL-terminated path */
	__aligned_u64	offset;		/* file offset of the probed instruction */
	__s32		pid;		/* -1: every process; else this tgid only */
	__u32		pad;		/* zero */
};

/*
 * A tracepoint by category and name (tracefs events/CAT/NAME): the
 * program's context is the event's record as events/CAT/NAME/format lays
 * it out (common fields first); a program that reads past the record is
 * refused at attach (EACCES), as the kernel's bpf_probe_register().
 */
struct bpfdev_tp_attach {
	__u32		prog_fd;	/* BPF_PROG_TYPE_TRACEPOINT */
	__u32		flags;		/* zero */
	__aligned_u64	category;	/* user pointer: "sched" */
	__aligned_u64	name;		/* user pointer: "sched_process_exec" */
};

/* BPFDEV_IOC_PERF_ATTACH flags. */
#define BPFDEV_PERF_F_FREQ	(1U << 0)	/* sample is a frequency in Hz */

/*
 * Sampling: a perf event per CPU (a software clock by default) whose
 * overflow runs the program with struct bpf_perf_event_data as context.
 */
struct bpfdev_perf_attach {
	__u32		prog_fd;	/* BPF_PROG_TYPE_PERF_EVENT */
	__u32		flags;		/* BPFDEV_PERF_F_* */
	__u32		type;		/* PERF_TYPE_SOFTWARE (or _HARDWARE) */
	__u32		config;		/* PERF_COUNT_SW_CPU_CLOCK ... */
	__aligned_u64	sample;		/* period, or frequency with _F_FREQ */
	__s32		cpu;		/* -1: every online CPU; else this one */
	__u32		pad;		/* zero */
};

#define BPFDEV_IOC_KPROBE_ATTACH _IOW(BPFDEV_IOC_MAGIC, 0x70, struct bpfdev_kprobe_attach)
#define BPFDEV_IOC_UPROBE_ATTACH _IOW(BPFDEV_IOC_MAGIC, 0x71, struct bpfdev_uprobe_attach)
#define BPFDEV_IOC_TP_ATTACH	_IOW(BPFDEV_IOC_MAGIC, 0x72, struct bpfdev_tp_attach)
#define BPFDEV_IOC_PERF_ATTACH	_IOW(BPFDEV_IOC_MAGIC, 0x73, struct bpfdev_perf_attach)

#endif /* _UAPI_LINUX_BPFDEV_H */
