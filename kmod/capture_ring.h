/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BPFDEV_CAPTURE_RING_H
#define BPFDEV_CAPTURE_RING_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct bpfdev_cap_hdr;
struct bpfdev_ring_ctl;
struct user_struct;
struct vm_area_struct;

#define BPFDEV_RING_MIN		(64U << 10)
#define BPFDEV_RING_MAX		(256U << 20)
#define BPFDEV_RING_DEFAULT	(4U << 20)

/*
 * A capture socket's ring of records (layout in uapi/linux/bpfdev.h).
 * Producers (the packet path, any CPU, bottom halves off) reserve space
 * under lock and fill it after dropping it; the consumer is the mmap()ing
 * reader or read(), serialised by the socket.  The kernel never trusts the
 * user-writable control page beyond bounds-checked positions.
 */
struct bpfdev_ring {
	struct bpfdev_ring_ctl	*ctl;	/* first page of mem */
	u8			*data;	/* size bytes of records */
	u32			size;	/* power of two */
	u32			max_rec; /* largest record reserve() takes */
	spinlock_t		lock;	/* prod, pending, and reservations */
	u64			prod;	/* the producer position we publish */
	u32			pending; /* records since the batch's wakeup */
	void			*mem;	/* vmalloc'd: ctl page + data */
	struct user_struct	*user;	/* whose locked_vm holds charged, or NULL */
	unsigned long		charged; /* pages */
};

/* The ring size asked for, rounded up to a power of two within limits. */
u32 bpfdev_ring_round_size(u32 size);

/*
 * NULL when memory, the caller's memory cgroup or (without CAP_IPC_LOCK
 * and CAP_NET_RAW) its RLIMIT_MEMLOCK has no room: ENOMEM.
 */
struct bpfdev_ring *bpfdev_ring_alloc(u32 size);
void bpfdev_ring_free(struct bpfdev_ring *ring);

/* What a reservation means for the batch of records the reader waits for. */
enum bpfdev_ring_batch {
	BPFDEV_BATCH_MORE,	/* wait for more */
	BPFDEV_BATCH_FIRST,	/* the first record of a batch: start its timeout */
	BPFDEV_BATCH_DUE,	/* count records, the ring half full, or full */
};

/*
 * Reserve a record for caplen bytes (caller has bottom halves off).
 * Returns its header with rec_len set and BUSY, or NULL when the ring is
 * full; the caller fills it and commits.  Never sleeps.  *batch says
 * whether a wakeup batched by count records is due (counted under the
 * reservation's lock: no atomic of its own per record); a due batch
 * starts a new one.
 */
struct bpfdev_cap_hdr *bpfdev_ring_reserve(struct bpfdev_ring *ring, u32 caplen,
					   u32 count, enum bpfdev_ring_batch *batch);
/* Start a new batch (the reader was woken by the timeout or a change). */
void bpfdev_ring_batch_reset(struct bpfdev_ring *ring);
void bpfdev_ring_commit(struct bpfdev_cap_hdr *hdr);

/* Largest caplen a record can hold in this ring. */
u32 bpfdev_ring_max_caplen(const struct bpfdev_ring *ring);

/* A complete record, or a corrupt position, waits at the consumer. */
bool bpfdev_ring_readable(const struct bpfdev_ring *ring);

/*
 * Copy whole complete records out and consume them (process context).
 * Records before a corrupt position or length are returned; at it, -EIO.
 */
ssize_t bpfdev_ring_read(struct bpfdev_ring *ring, char __user *buf, size_t len);
/* Consume every complete record; -EIO at a corrupt position or length. */
int bpfdev_ring_flush(struct bpfdev_ring *ring);

int bpfdev_ring_mmap(struct bpfdev_ring *ring, struct vm_area_struct *vma);

#endif /* BPFDEV_CAPTURE_RING_H */
