// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_MAP_TYPE_RINGBUF: a multi-producer (programs), single-consumer
 * (userspace) ring, laid out for mmap() as the kernel's:
 *
 *	mmap offset 0			consumer position page (read-write)
 *	mmap offset PAGE_SIZE		producer position page (read-only)
 *	mmap offset 2 * PAGE_SIZE	data, max_entries bytes, mapped twice
 *					back to back (read-only)
 *
 * so a record that wraps around the end reads as contiguous memory.
 * Records start with an 8-byte header (u32 len with BPF_RINGBUF_BUSY_BIT
 * and BPF_RINGBUF_DISCARD_BIT, u32 pg_off), 8-byte aligned, as
 * libbpf's ring_buffer__poll() expects.  pg_off counts pages from the
 * start of the kernel mapping, whose first page (never mapped to
 * userspace) points back at the map: submit finds its ring from the
 * sample pointer alone, as the kernel does.
 *
 * Producers serialise on a raw spinlock (irqsave) to reserve space, as
 * the kernel's since 6.5: a tracing program runs with preemption off, where
 * PREEMPT_RT's sleeping spinlock_t may not be taken.  Commit is a
 * lock-free xchg of the header.  poll() wakes on committed data through an
 * irq_work, as the kernel's: a program inside the scheduler (a tracepoint
 * under the runqueue lock) cannot call wake_up() itself.
 */

#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "helpers.h"
#include "map.h"

#define RB_HDR_PAGES		3	/* back-pointer, consumer, producer */
#define RB_MAX_RECORD		(U32_MAX / 4)

struct bpfdev_ringbuf {
	struct bpfdev_map	map;
	void			*base;		/* vmap of pages[] */
	struct page		**pages;
	u32			nr_data_pages;
	u64			mask;
	unsigned long		*consumer_pos;	/* base + PAGE_SIZE */
	unsigned long		*producer_pos;	/* base + 2 * PAGE_SIZE */
	unsigned long		pending_pos;	/* lock: oldest record maybe BUSY */
	u8			*data;		/* base + 3 * PAGE_SIZE */
	raw_spinlock_t		lock;
	wait_queue_head_t	waitq;
	struct irq_work		work;		/* wakes waitq */
};

static struct bpfdev_ringbuf *to_rb(struct bpfdev_map *map)
{
	return container_of(map, struct bpfdev_ringbuf, map);
}

static int bpfdev_ringbuf_check(const union bpf_attr *attr)
{
	if (attr->key_size || attr->value_size ||
	    (attr->map_flags & ~BPF_F_NUMA_NODE))
		return -EINVAL;
	if (!is_power_of_2(attr->max_entries) ||
	    !PAGE_ALIGNED(attr->max_entries))
		return -EINVAL;
	return bpfdev_map_check_size(attr->max_entries);
}

static void bpfdev_ringbuf_free(struct bpfdev_map *map)
{
	struct bpfdev_ringbuf *rb = to_rb(map);
	u32 i;

	/* The last program's wakeup may still be queued. */
	irq_work_sync(&rb->work);
	if (rb->base)
		vunmap(rb->base);
	if (rb->pages) {
		/* The second copy of the data pages is the first one again. */
		for (i = 0; i < RB_HDR_PAGES + rb->nr_data_pages; i++)
			if (rb->pages[i])
				__free_page(rb->pages[i]);
		kvfree(rb->pages);
	}
	kfree(rb);
}

static void bpfdev_ringbuf_wake(struct irq_work *work)
{
	struct bpfdev_ringbuf *rb = container_of(work, struct bpfdev_ringbuf, work);

	wake_up_all(&rb->waitq);
}

static struct bpfdev_map *bpfdev_ringbuf_alloc(const union bpf_attr *attr)
{
	struct bpfdev_ringbuf *rb;
	u32 nr_data = attr->max_entries >> PAGE_SHIFT, nr_pages, i;

	rb = kzalloc(sizeof(*rb), GFP_KERNEL_ACCOUNT);
	if (!rb)
		return ERR_PTR(-ENOMEM);
	rb->nr_data_pages = nr_data;
	rb->mask = attr->max_entries - 1;
	raw_spin_lock_init(&rb->lock);
	init_waitqueue_head(&rb->waitq);
	init_irq_work(&rb->work, bpfdev_ringbuf_wake);

	nr_pages = RB_HDR_PAGES + 2 * nr_data;
	rb->pages = kvcalloc(nr_pages, sizeof(*rb->pages),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!rb->pages)
		goto err;
	for (i = 0; i < RB_HDR_PAGES + nr_data; i++) {
		rb->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
					  __GFP_NOWARN);
		if (!rb->pages[i])
			goto err;
	}
	for (i = 0; i < nr_data; i++)
		rb->pages[RB_HDR_PAGES + nr_data + i] = rb->pages[RB_HDR_PAGES + i];
	rb->base = vmap(rb->pages, nr_pages, VM_MAP, PAGE_KERNEL);
	if (!rb->base)
		goto err;
	*(struct bpfdev_ringbuf **)rb->base = rb;
	rb->consumer_pos = rb->base + PAGE_SIZE;
	rb->producer_pos = rb->base + 2 * PAGE_SIZE;
	rb->data = rb->base + RB_HDR_PAGES * PAGE_SIZE;
	return &rb->map;
err:
	bpfdev_ringbuf_free(&rb->map);
	return ERR_PTR(-ENOMEM);
}

static int bpfdev_ringbuf_mmap(struct bpfdev_map *map, struct vm_area_struct *vma)
{
	struct bpfdev_ringbuf *rb = to_rb(map);

	if (vma->vm_flags & VM_WRITE) {
		/* Only the consumer position is the consumer's to write. */
		if (vma->vm_pgoff != 0 || vma->vm_end - vma->vm_start != PAGE_SIZE)
			return -EPERM;
	} else {
		vm_flags_clear(vma, VM_MAYWRITE);
	}
	/*
	 * As remap_vmalloc_range() does for the kernel's ringbuf: no
	 * mremap() growth (the added range would fault in as anonymous
	 * memory of a shared file mapping, the write check above bypassed).
	 */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	/* Offset 0 is the consumer page: pages[1]. */
	return vm_map_pages(vma, rb->pages + 1, 2 + 2 * rb->nr_data_pages);
}

static u64 bpfdev_ringbuf_avail(struct bpfdev_ringbuf *rb)
{
	unsigned long cons, prod;

	/* Pairs with the consumer's release of consumer_pos. */
	cons = smp_load_acquire(rb->consumer_pos);
	/* Pairs with the producer's release of producer_pos. */
	prod = smp_load_acquire(rb->producer_pos);
	return prod - cons;
}

static __poll_t bpfdev_ringbuf_poll(struct bpfdev_map *map, struct file *file,
				    struct poll_table_struct *pts)
{
	struct bpfdev_ringbuf *rb = to_rb(map);

	poll_wait(file, &rb->waitq, pts);
	return bpfdev_ringbuf_avail(rb) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* Moves pending_pos past the committed records (rb->lock held). */
static unsigned long bpfdev_ringbuf_pending(struct bpfdev_ringbuf *rb,
					    unsigned long prod)
{
	unsigned long pend = rb->pending_pos;

	while (pend < prod) {
		u32 hlen = READ_ONCE(*(u32 *)(rb->data + (pend & rb->mask)));

		if (hlen & BPF_RINGBUF_BUSY_BIT)
			break;
		hlen &= ~BPF_RINGBUF_DISCARD_BIT;
		pend += round_up(hlen + BPF_RINGBUF_HDR_SZ, 8);
	}
	rb->pending_pos = pend;
	return pend;
}

static void *bpfdev_ringbuf_reserve_rec(struct bpfdev_ringbuf *rb, u64 size)
{
	unsigned long cons, prod, new_prod, pend, flags;
	u32 len, *hdr;

	if (unlikely(size > RB_MAX_RECORD))
		return NULL;
	len = round_up(size + BPF_RINGBUF_HDR_SZ, 8);
	if (unlikely(len > rb->mask + 1))
		return NULL;
	/* Pairs with the consumer's release: the room it freed is ours. */
	cons = smp_load_acquire(rb->consumer_pos);
	/*
	 * As the kernel's __bpf_ringbuf_reserve(): a program in NMI or int3
	 * context may have interrupted this CPU inside the lock, so there a
	 * busy lock is a full ring, not a wait.
	 */
	if (in_nmi()) {
		if (!raw_spin_trylock_irqsave(&rb->lock, flags))
			return NULL;
	} else {
		raw_spin_lock_irqsave(&rb->lock, flags);
	}
	prod = *rb->producer_pos;
	new_prod = prod + len;
	pend = bpfdev_ringbuf_pending(rb, prod);
	/*
	 * The consumer has not freed enough room yet, or the room would
	 * reach a record still being written: consumer_pos is the user's
	 * to write, so it may claim records we have not committed, and a
	 * new record over a BUSY one's header would send its commit to
	 * whatever map pointer that header then names (the kernel's fix
	 * for CVE-2024-41009).
	 */
	if (new_prod - cons > rb->mask || new_prod - pend > rb->mask) {
		raw_spin_unlock_irqrestore(&rb->lock, flags);
		return NULL;
	}
	hdr = (u32 *)(rb->data + (prod & rb->mask));
	hdr[0] = size | BPF_RINGBUF_BUSY_BIT;
	hdr[1] = ((u8 *)hdr - (u8 *)rb->base) >> PAGE_SHIFT;
	/* The busy header is written before the consumer can see it. */
	smp_store_release(rb->producer_pos, new_prod);
	raw_spin_unlock_irqrestore(&rb->lock, flags);
	return (u8 *)hdr + BPF_RINGBUF_HDR_SZ;
}

static void bpfdev_ringbuf_commit(void *sample, u64 flags, bool discard)
{
	u32 *hdr = (u32 *)((u8 *)sample - BPF_RINGBUF_HDR_SZ);
	unsigned long base = ((unsigned long)hdr & PAGE_MASK) -
			     ((unsigned long)hdr[1] << PAGE_SHIFT);
	struct bpfdev_ringbuf *rb = *(struct bpfdev_ringbuf **)base;
	u32 new_len = hdr[0] ^ BPF_RINGBUF_BUSY_BIT;
	unsigned long rec_pos, cons_pos;

	if (discard)
		new_len |= BPF_RINGBUF_DISCARD_BIT;
	/* The release that publishes the record to the consumer. */
	xchg(&hdr[0], new_len);

	rec_pos = (u8 *)hdr - rb->data;
	/* Wake the consumer only when it waits at this very record. */
	cons_pos = smp_load_acquire(rb->consumer_pos) & rb->mask;
	if ((flags & BPF_RB_FORCE_WAKEUP) ||
	    (cons_pos == rec_pos && !(flags & BPF_RB_NO_WAKEUP)))
		irq_work_queue(&rb->work);
}

#define RB_WAKE_FLAGS	(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)

u64 bpfdev_ringbuf_output(u64 map, u64 data, u64 size, u64 flags, u64 r5)
{
	struct bpfdev_ringbuf *rb = to_rb((void *)(unsigned long)map);
	void *rec;

	if (unlikely(flags & ~RB_WAKE_FLAGS))
		return -EINVAL;
	rec = bpfdev_ringbuf_reserve_rec(rb, size);
	if (!rec)
		return -EAGAIN;
	memcpy(rec, (void *)(unsigned long)data, size);
	bpfdev_ringbuf_commit(rec, flags, false);
	return 0;
}

u64 bpfdev_ringbuf_reserve(u64 map, u64 size, u64 flags, u64 r4, u64 r5)
{
	struct bpfdev_ringbuf *rb = to_rb((void *)(unsigned long)map);

	if (unlikely(flags))
		return 0;
	return (unsigned long)bpfdev_ringbuf_reserve_rec(rb, size);
}

u64 bpfdev_ringbuf_submit(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	bpfdev_ringbuf_commit((void *)(unsigned long)sample, flags, false);
	return 0;
}

u64 bpfdev_ringbuf_discard(u64 sample, u64 flags, u64 r3, u64 r4, u64 r5)
{
	bpfdev_ringbuf_commit((void *)(unsigned long)sample, flags, true);
	return 0;
}

u64 bpfdev_ringbuf_query(u64 map, u64 flags, u64 r3, u64 r4, u64 r5)
{
	struct bpfdev_ringbuf *rb = to_rb((void *)(unsigned long)map);

	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		return bpfdev_ringbuf_avail(rb);
	case BPF_RB_RING_SIZE:
		return rb->mask + 1;
	case BPF_RB_CONS_POS:
		/* As the kernel's: a snapshot, ordered like any reader's. */
		return smp_load_acquire(rb->consumer_pos);
	case BPF_RB_PROD_POS:
		/* Likewise. */
		return smp_load_acquire(rb->producer_pos);
	default:
		return 0;
	}
}

/* No element commands: the ring is read through mmap(). */
static void *bpfdev_ringbuf_lookup(struct bpfdev_map *map, const void *key)
{
	return NULL;
}

static int bpfdev_ringbuf_lookup_sys(struct bpfdev_map *map, const void *key,
				     void *value)
{
	return -ENOTSUPP;
}

static long bpfdev_ringbuf_update(struct bpfdev_map *map, const void *key,
				  const void *value, u64 flags)
{
	return -ENOTSUPP;
}

static long bpfdev_ringbuf_delete(struct bpfdev_map *map, const void *key)
{
	return -ENOTSUPP;
}

static int bpfdev_ringbuf_get_next_key(struct bpfdev_map *map, const void *key,
				       void *next_key)
{
	return -ENOTSUPP;
}

const struct bpfdev_map_ops bpfdev_ringbuf_ops = {
	.check		= bpfdev_ringbuf_check,
	.alloc		= bpfdev_ringbuf_alloc,
	.free		= bpfdev_ringbuf_free,
	.lookup		= bpfdev_ringbuf_lookup,
	.update		= bpfdev_ringbuf_update,
	.delete		= bpfdev_ringbuf_delete,
	.get_next_key	= bpfdev_ringbuf_get_next_key,
	.lookup_sys	= bpfdev_ringbuf_lookup_sys,
	.mmap		= bpfdev_ringbuf_mmap,
	.poll		= bpfdev_ringbuf_poll,
};
