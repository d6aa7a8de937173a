// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BPF_MAP_TYPE_RINGBUF readers, for the layout of kmod/map_ringbuf.c
 * (the kernel's): consumer page, producer page, then the data mapped
 * twice so a sample that wraps reads as contiguous memory.
 */

#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define RB_HDR_SIZE	8

struct bpfdev_ringbuf {
	int			map_fd;
	bpfdev_ringbuf_fn	fn;
	void			*ctx;
	unsigned long		*consumer;
	const unsigned long	*producer;
	const __u8		*data;
	size_t			page;
	__u64			mask;
};

struct bpfdev_ringbuf *bpfdev_ringbuf__new(int map_fd, bpfdev_ringbuf_fn fn, void *ctx)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	struct bpfdev_ringbuf *rb;
	void *p;
	int err;

	memset(&info, 0, sizeof(info));
	err = bpfdev_map_get_info_by_fd(map_fd, &info, &len);
	if (err)
		return bpfdev_err_ptr(err);
	if (info.type != BPF_MAP_TYPE_RINGBUF)
		return bpfdev_err_ptr(-EINVAL);
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return bpfdev_err_ptr(-ENOMEM);
	rb->map_fd = map_fd;
	rb->fn = fn;
	rb->ctx = ctx;
	rb->page = sysconf(_SC_PAGESIZE);
	rb->mask = info.max_entries - 1;
	p = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	rb->consumer = p;
	p = mmap(NULL, rb->page + 2 * (size_t)info.max_entries, PROT_READ, MAP_SHARED,
		 map_fd, rb->page);
	if (p == MAP_FAILED)
		goto fail;
	rb->producer = p;
	rb->data = (const __u8 *)p + rb->page;
	return rb;
fail:
	err = -errno;
	bpfdev_ringbuf__free(rb);
	return bpfdev_err_ptr(err);
}

int bpfdev_ringbuf__consume(struct bpfdev_ringbuf *rb)
{
	unsigned long cons, prod;
	int n = 0, err;

	cons = __atomic_load_n(rb->consumer, __ATOMIC_ACQUIRE);
	for (;;) {
		prod = __atomic_load_n(rb->producer, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			const __u32 *hdr = (const void *)(rb->data + (cons & rb->mask));
			__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				goto done;
			cons += (RB_HDR_SIZE + (len & ~(BPF_RINGBUF_BUSY_BIT |
							BPF_RINGBUF_DISCARD_BIT)) + 7) & ~7UL;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				n++;
				err = rb->fn ? rb->fn(rb->ctx, (void *)(hdr + 2),
						      len & ~BPF_RINGBUF_DISCARD_BIT) : 0;
				if (err < 0) {
					__atomic_store_n(rb->consumer, cons, __ATOMIC_RELEASE);
					return bpfdev_err(err);
				}
			}
			__atomic_store_n(rb->consumer, cons, __ATOMIC_RELEASE);
		}
	}
done:
	__atomic_store_n(rb->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

int bpfdev_ringbuf__poll(struct bpfdev_ringbuf *rb, int timeout_ms)
{
	struct pollfd pfd = { .fd = rb->map_fd, .events = POLLIN };
	int n = bpfdev_ringbuf__consume(rb);

	if (n)
		return n;
	if (poll(&pfd, 1, timeout_ms) < 0)
		return bpfdev_err(-errno);
	return bpfdev_ringbuf__consume(rb);
}

int bpfdev_ringbuf__fd(const struct bpfdev_ringbuf *rb)
{
	return rb->map_fd;
}

void bpfdev_ringbuf__free(struct bpfdev_ringbuf *rb)
{
	if (!rb)
		return;
	if (rb->consumer)
		munmap(rb->consumer, rb->page);
	if (rb->producer)
		munmap((void *)rb->producer, rb->page + 2 * (rb->mask + 1));
	free(rb);
}
