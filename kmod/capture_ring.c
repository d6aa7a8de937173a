// SPDX-License-Identifier: GPL-2.0
/*
 * The per-socket ring of capture records.
 *
 * Producers take the lock only to reserve: they advance prod, publish it
 * in the control page and mark the record BUSY; the bytes are copied after
 * the lock is dropped and the record committed by clearing BUSY with a
 * release store.  A consumer never passes a BUSY record, so space is
 * reused only after its writer has finished with it.  Records never wrap:
 * a tail too short for the next record becomes a padding record.
 *
 * Memory.  Opening /dev/bpf may need no capability (devmode=0666, classic
 * filters), so a ring, up to BPFDEV_RING_MAX per fd, is charged as the
 * kernel charges a BPF map's area (bpf_map_area_alloc()): to the memory
 * cgroup of the task that makes it (__GFP_ACCOUNT), failing with ENOMEM
 * rather than calling the OOM killer (__GFP_RETRY_MAYFAIL).  A memcg
 * confines only tasks put in one, so a caller with neither CAP_IPC_LOCK
 * nor CAP_NET_RAW (AF_PACKET's rings need the latter) is also charged
 * against its user's RLIMIT_MEMLOCK, in the locked_vm count io_uring and
 * AF_XDP share, as bpf(2) charged maps before 5.11: ENOMEM past it.
 * vmalloc_user() takes no gfp flags, so the pages are mapped one by one
 * (vm_insert_page()) instead of by remap_vmalloc_range(), which wants
 * the VM_USERMAP that only vmalloc_user() sets.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>

#include <linux/bpfdev.h>

#include "capture_ring.h"
#include "debugfs.h"

#define BPFDEV_REC_HDR	sizeof(struct bpfdev_cap_hdr)

u32 bpfdev_ring_round_size(u32 size)
{
	size = clamp(size, BPFDEV_RING_MIN, BPFDEV_RING_MAX);
	return roundup_pow_of_two(size);
}

/* Charges pages to current's user unless it may lock or capture anyway. */
static int bpfdev_ring_charge(struct bpfdev_ring *ring, unsigned long pages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	struct user_struct *user;

	if (ns_capable_noaudit(&init_user_ns, CAP_IPC_LOCK) ||
	    ns_capable_noaudit(&init_user_ns, CAP_NET_RAW))
		return 0;
	user = get_current_user();
	if (atomic_long_add_return(pages, &user->locked_vm) > limit) {
		atomic_long_sub(pages, &user->locked_vm);
		free_uid(user);
		return -ENOMEM;
	}
	ring->user = user;
	ring->charged = pages;
	return 0;
}

static void bpfdev_ring_uncharge(struct bpfdev_ring *ring)
{
	if (!ring->user)
		return;
	atomic_long_sub(ring->charged, &ring->user->locked_vm);
	free_uid(ring->user);
}

struct bpfdev_ring *bpfdev_ring_alloc(u32 size)
{
	struct bpfdev_ring *ring;
	size_t bytes;

	BUILD_BUG_ON(BPFDEV_RING_DATA_OFF != PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct bpfdev_ring_ctl) > PAGE_SIZE);
	BUILD_BUG_ON(BPFDEV_REC_HDR % 8);

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return NULL;
	size = bpfdev_ring_round_size(size);
	bytes = PAGE_SIZE + (size_t)size;
	if (bpfdev_ring_charge(ring, bytes >> PAGE_SHIFT))
		goto err_free;
	ring->mem = __vmalloc(bytes, GFP_KERNEL_ACCOUNT | __GFP_ZERO |
			      __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!ring->mem)
		goto err_uncharge;
	ring->ctl = ring->mem;
	ring->data = (u8 *)ring->mem + PAGE_SIZE;
	ring->size = size;
	ring->max_rec = size / 4;
	spin_lock_init(&ring->lock);
	ring->ctl->ring_size = size;
	ring->ctl->hdr_len = BPFDEV_REC_HDR;
	atomic_inc(&bpfdev_stats.rings);
	return ring;

err_uncharge:
	bpfdev_ring_uncharge(ring);
err_free:
	kfree(ring);
	return NULL;
}

void bpfdev_ring_free(struct bpfdev_ring *ring)
{
	if (!ring)
		return;
	vfree(ring->mem);
	bpfdev_ring_uncharge(ring);
	kfree(ring);
	atomic_dec(&bpfdev_stats.rings);
}

u32 bpfdev_ring_max_caplen(const struct bpfdev_ring *ring)
{
	return ring->max_rec - BPFDEV_REC_HDR;
}

/*
 * The consumer position as the reader left it.  A value the reader could
 * not have produced (behind it more than a ring, or ahead of prod) makes
 * the ring look full: we drop, we never write out of place.
 */
static u64 bpfdev_ring_consumer(const struct bpfdev_ring *ring)
{
	/* Pairs with the reader's release: its reads of the records are done. */
	return smp_load_acquire(&ring->ctl->consumer);
}

struct bpfdev_cap_hdr *bpfdev_ring_reserve(struct bpfdev_ring *ring, u32 caplen,
					   u32 count, enum bpfdev_ring_batch *batch)
{
	u32 need = ALIGN(BPFDEV_REC_HDR + caplen, 8);
	u32 off, tail, pad = 0;
	struct bpfdev_cap_hdr *hdr;
	u64 prod, used;

	*batch = BPFDEV_BATCH_DUE;
	if (unlikely(need > ring->max_rec))
		return NULL;

	spin_lock(&ring->lock);
	prod = ring->prod;
	used = prod - bpfdev_ring_consumer(ring);
	off = prod & (ring->size - 1);
	tail = ring->size - off;
	if (need > tail)
		pad = tail;
	if (unlikely(used > ring->size || used + pad + need > ring->size)) {
		ring->pending = 0;
		spin_unlock(&ring->lock);
		return NULL;
	}
	/* The fill level comes with the reservation: no second look at consumer. */
	if (++ring->pending >= count || used + pad + need > ring->size / 2)
		ring->pending = 0;
	else
		*batch = ring->pending == 1 ? BPFDEV_BATCH_FIRST : BPFDEV_BATCH_MORE;
	if (pad) {
		hdr = (struct bpfdev_cap_hdr *)(ring->data + off);
		WRITE_ONCE(hdr->rec_len, pad | BPFDEV_REC_PAD);
		off = 0;
	}
	hdr = (struct bpfdev_cap_hdr *)(ring->data + off);
	WRITE_ONCE(hdr->rec_len, need | BPFDEV_REC_BUSY);
	ring->prod = prod + pad + need;
	/* The padding and the BUSY mark are visible before the new prod. */
	smp_store_release(&ring->ctl->producer, ring->prod);
	spin_unlock(&ring->lock);
	return hdr;
}

void bpfdev_ring_batch_reset(struct bpfdev_ring *ring)
{
	/* From the timer (softirq) and ioctls (process context). */
	spin_lock_bh(&ring->lock);
	ring->pending = 0;
	spin_unlock_bh(&ring->lock);
}

void bpfdev_ring_commit(struct bpfdev_cap_hdr *hdr)
{
	/* Pairs with the consumer's acquire of rec_len: the bytes are written. */
	smp_store_release(&hdr->rec_len, hdr->rec_len & ~BPFDEV_REC_BUSY);
}

/*
 * One reader step: the record at cons, where cons and the record's rec_len
 * come from memory the reader can write at any time.  Every value is
 * checked before it places a kernel read: cons within a ring behind prod
 * and 8-aligned (so the header lies inside the data area, which is a power
 * of two of at least BPFDEV_RING_MIN), rec_len read once, only bits the
 * kernel writes, and the record inside both the data area and prod.
 * Returns the record's length with its rec_len in *rec, 0 at prod or at a
 * record still BUSY, -EIO for a position or length the kernel never wrote.
 */
static int bpfdev_ring_next(const struct bpfdev_ring *ring, u64 cons,
			    u64 prod, u32 *rec)
{
	const struct bpfdev_cap_hdr *hdr;
	u32 off, n;

	if (prod - cons > ring->size || cons % 8)
		return -EIO;
	if (cons == prod)
		return 0;
	off = cons & (ring->size - 1);
	hdr = (const void *)(ring->data + off);
	/* Pairs with commit: a record seen complete has its bytes. */
	*rec = smp_load_acquire(&hdr->rec_len);
	if (*rec & BPFDEV_REC_BUSY)
		return 0;
	n = *rec & BPFDEV_REC_LEN_MASK;
	if (*rec & ~(BPFDEV_REC_LEN_MASK | BPFDEV_REC_PAD) || !n ||
	    n > ring->size - off || n > prod - cons)
		return -EIO;
	/* Padding only ever fills the tail; a record holds its header. */
	if (*rec & BPFDEV_REC_PAD ? n != ring->size - off : n < BPFDEV_REC_HDR)
		return -EIO;
	return n;
}

/*
 * Walks from the consumer position over complete records: returns the
 * position of the first record that is BUSY (or prod), and in *first
 * the first complete non-padding record, if any.  A position or length
 * the reader corrupted ends the walk with -EIO in *err.
 */
static u64 bpfdev_ring_walk(const struct bpfdev_ring *ring, u64 cons,
			    u64 limit, const struct bpfdev_cap_hdr **first,
			    int *err)
{
	u64 prod = READ_ONCE(ring->prod);
	u32 rec;
	int n;

	*err = 0;
	while (limit--) {
		n = bpfdev_ring_next(ring, cons, prod, &rec);
		if (n <= 0) {
			*err = n;
			break;
		}
		if (!(rec & BPFDEV_REC_PAD) && first) {
			*first = (const void *)(ring->data + (cons & (ring->size - 1)));
			break;
		}
		cons += n;
	}
	return cons;
}

bool bpfdev_ring_readable(const struct bpfdev_ring *ring)
{
	const struct bpfdev_cap_hdr *first = NULL;
	int err;

	/* A padding record is always followed by a record at offset 0. */
	bpfdev_ring_walk(ring, bpfdev_ring_consumer(ring), 2, &first, &err);
	/* A corrupt position wakes the reader: read() reports EIO. */
	return first || err;
}

ssize_t bpfdev_ring_read(struct bpfdev_ring *ring, char __user *buf, size_t len)
{
	u64 start = bpfdev_ring_consumer(ring), cons = start;
	u64 prod = READ_ONCE(ring->prod);
	size_t copied = 0;
	ssize_t err;
	u32 rec;
	int n;

	for (;;) {
		n = bpfdev_ring_next(ring, cons, prod, &rec);
		if (n <= 0) {
			err = n;
			break;
		}
		if (!(rec & BPFDEV_REC_PAD)) {
			if (n > len - copied) {
				err = copied ? 0 : -EINVAL;
				break;
			}
			if (copy_to_user(buf + copied, ring->data +
					 (cons & (ring->size - 1)), n)) {
				err = -EFAULT;
				break;
			}
			copied += n;
		}
		cons += n;
	}
	if (cons != start)
		/* Pairs with reserve's acquire: we are done with the space. */
		smp_store_release(&ring->ctl->consumer, cons);
	return copied ? copied : err;
}

int bpfdev_ring_flush(struct bpfdev_ring *ring)
{
	u64 cons = bpfdev_ring_consumer(ring);
	int err;

	cons = bpfdev_ring_walk(ring, cons, U64_MAX, NULL, &err);
	/* Pairs with reserve's acquire: the space is free again. */
	smp_store_release(&ring->ctl->consumer, cons);
	return err;
}

int bpfdev_ring_mmap(struct bpfdev_ring *ring, struct vm_area_struct *vma)
{
	size_t off, len = PAGE_SIZE + (size_t)ring->size;
	int err;

	/* A private mapping would keep the reader's consumer updates from us. */
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    vma->vm_end - vma->vm_start != len)
		return -EINVAL;
	/* As remap_vmalloc_range(): no growing by mremap(), not in core dumps. */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	for (off = 0; off < len; off += PAGE_SIZE) {
		err = vm_insert_page(vma, vma->vm_start + off,
				     vmalloc_to_page((u8 *)ring->mem + off));
		if (err)
			return err;	/* mmap() unmaps what was inserted */
		if (!(off & (SZ_2M - 1)))
			cond_resched();
	}
	return 0;
}
