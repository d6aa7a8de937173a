// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Capture sockets: each is a /dev/bpf fd of its own, bound to a device,
 * with an optional filter, read through the mmap()ed ring described in
 * <linux/bpfdev.h>.
 */

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

struct bpfdev_capture {
	int			fd;
	void			*map;
	size_t			map_len;
	__u32			ring_size;
	struct bpfdev_ring_ctl	*ctl;
	unsigned char		*data;
};

static int cap_ioctl(struct bpfdev_capture *cap, unsigned long req, void *arg)
{
	return ioctl(cap->fd, req, arg) < 0 ? bpfdev_err(-errno) : 0;
}

struct bpfdev_capture *bpfdev_capture__open(const struct bpfdev_capture_opts *opts)
{
	struct bpfdev_capture *cap;
	const char *path = getenv("BPFDEV_DEVICE");
	__u32 v;
	int err = 0;

	if (!OPTS_VALID(opts, bpfdev_capture_opts))
		return bpfdev_err_ptr(-EINVAL);
	cap = calloc(1, sizeof(*cap));
	if (!cap)
		return bpfdev_err_ptr(-ENOMEM);
	cap->fd = open(path && *path ? path : BPFDEV_DEFAULT_DEVICE, O_RDWR | O_CLOEXEC);
	if (cap->fd < 0) {
		err = -errno;
		free(cap);
		return bpfdev_err_ptr(err);
	}
	if ((v = OPTS_GET(opts, ring_size, 0)))
		err = cap_ioctl(cap, BPFDEV_IOC_CAP_RING_SIZE, &v);
	if (!err && (v = OPTS_GET(opts, snaplen, 0)))
		err = cap_ioctl(cap, BPFDEV_IOC_CAP_SNAPLEN, &v);
	if (!err && (v = OPTS_GET(opts, direction, 0)))
		err = cap_ioctl(cap, BPFDEV_IOC_CAP_DIRECTION, &v);
	if (!err && (v = OPTS_GET(opts, promisc, 0)))
		err = cap_ioctl(cap, BPFDEV_IOC_CAP_PROMISC, &v);
	if (!err && (v = OPTS_GET(opts, tstamp, 0)))
		err = cap_ioctl(cap, BPFDEV_IOC_CAP_TSTAMP, &v);
	if (!err && (OPTS_GET(opts, wakeup_count, 0) || OPTS_GET(opts, wakeup_timeout_ms, 0))) {
		struct bpfdev_cap_wakeup w = {
			.count = OPTS_GET(opts, wakeup_count, 0),
			.timeout_ms = OPTS_GET(opts, wakeup_timeout_ms, 0),
		};

		err = cap_ioctl(cap, BPFDEV_IOC_CAP_WAKEUP, &w);
	}
	if (err) {
		bpfdev_capture__close(cap);
		return bpfdev_err_ptr(err);
	}
	return cap;
}

int bpfdev_capture__bind(struct bpfdev_capture *cap, const char *ifname)
{
	struct bpfdev_cap_bind b = { 0 };

	if (ifname && strlen(ifname) >= sizeof(b.ifname))
		return bpfdev_err(-ENAMETOOLONG);
	if (ifname)
		strcpy(b.ifname, ifname);
	return cap_ioctl(cap, BPFDEV_IOC_CAP_BIND, &b);
}

int bpfdev_capture__set_filter_classic(struct bpfdev_capture *cap,
				       const struct sock_filter *insns, unsigned int len)
{
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC,
		.len = len,
		.insns = ptr_to_u64(insns),
	};

	return cap_ioctl(cap, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

int bpfdev_capture__set_filter_prog(struct bpfdev_capture *cap, int prog_fd)
{
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_EBPF,
		.prog_fd = prog_fd,
	};

	return cap_ioctl(cap, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

int bpfdev_capture__clear_filter(struct bpfdev_capture *cap)
{
	struct bpfdev_cap_filter f = { .kind = BPFDEV_FILTER_NONE };

	return cap_ioctl(cap, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

int bpfdev_capture__mmap(struct bpfdev_capture *cap)
{
	struct bpfdev_cap_info info;
	int err;

	if (cap->map)
		return 0;
	err = bpfdev_capture__info(cap, &info);
	if (err)
		return err;
	cap->map_len = BPFDEV_RING_DATA_OFF + (size_t)info.ring_size;
	cap->map = mmap(NULL, cap->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, cap->fd, 0);
	if (cap->map == MAP_FAILED) {
		cap->map = NULL;
		return bpfdev_err(-errno);
	}
	cap->ring_size = info.ring_size;
	cap->ctl = cap->map;
	cap->data = (unsigned char *)cap->map + BPFDEV_RING_DATA_OFF;
	return 0;
}

int bpfdev_capture__consume(struct bpfdev_capture *cap, bpfdev_capture_fn fn, void *ctx)
{
	__u64 cons, prod;
	int n = 0, err;

	err = bpfdev_capture__mmap(cap);
	if (err)
		return err;
	cons = cap->ctl->consumer;
	prod = __atomic_load_n(&cap->ctl->producer, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		const struct bpfdev_cap_hdr *h =
			(const void *)(cap->data + (cons & (cap->ring_size - 1)));
		__u32 len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);
		struct bpfdev_capture_rec rec;

		if (len & BPFDEV_REC_BUSY)
			break;
		if (!(len & BPFDEV_REC_LEN_MASK))
			break;	/* never: a zero length would spin */
		if (!(len & BPFDEV_REC_PAD)) {
			rec.hdr = h;
			rec.data = (const unsigned char *)h + h->hdr_len;
			rec.caplen = h->caplen;
			n++;
			if (fn) {
				err = fn(ctx, &rec);
				if (err < 0) {
					cons += len & BPFDEV_REC_LEN_MASK;
					__atomic_store_n(&cap->ctl->consumer, cons,
							 __ATOMIC_RELEASE);
					return err;
				}
			}
		}
		cons += len & BPFDEV_REC_LEN_MASK;
	}
	__atomic_store_n(&cap->ctl->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

int bpfdev_capture__poll(struct bpfdev_capture *cap, int timeout_ms,
			 bpfdev_capture_fn fn, void *ctx)
{
	struct pollfd pfd = { .fd = cap->fd, .events = POLLIN };
	int n, err;

	err = bpfdev_capture__mmap(cap);
	if (err)
		return err;
	n = bpfdev_capture__consume(cap, fn, ctx);
	if (n)
		return n;
	if (poll(&pfd, 1, timeout_ms) < 0)
		return bpfdev_err(-errno);
	if (pfd.revents & POLLERR) {
		struct bpfdev_cap_info info;

		if (!bpfdev_capture__info(cap, &info) && info.error)
			return bpfdev_err(info.error);
	}
	return bpfdev_capture__consume(cap, fn, ctx);
}

int bpfdev_capture__stats(struct bpfdev_capture *cap, struct bpfdev_cap_stats *stats)
{
	return cap_ioctl(cap, BPFDEV_IOC_CAP_GET_STATS, stats);
}

int bpfdev_capture__info(struct bpfdev_capture *cap, struct bpfdev_cap_info *info)
{
	memset(info, 0, sizeof(*info));
	return cap_ioctl(cap, BPFDEV_IOC_CAP_GET_INFO, info);
}

int bpfdev_capture__flush(struct bpfdev_capture *cap)
{
	return cap_ioctl(cap, BPFDEV_IOC_CAP_FLUSH, NULL);
}

int bpfdev_capture__join_fanout(struct bpfdev_capture *cap, __u32 id, __u32 mode,
				int prog_fd)
{
	struct bpfdev_cap_fanout j = {
		.id = id,
		.mode = mode,
		.prog_fd = mode == BPFDEV_FANOUT_EBPF ? prog_fd : 0,
	};

	return cap_ioctl(cap, BPFDEV_IOC_CAP_FANOUT, &j);
}

int bpfdev_capture__leave_fanout(struct bpfdev_capture *cap)
{
	return cap_ioctl(cap, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL);
}

int bpfdev_capture__fanout_stats(struct bpfdev_capture *cap,
				 struct bpfdev_cap_fanout_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	return cap_ioctl(cap, BPFDEV_IOC_CAP_FANOUT_STATS, stats);
}

int bpfdev_capture__fd(const struct bpfdev_capture *cap)
{
	return cap->fd;
}

void bpfdev_capture__close(struct bpfdev_capture *cap)
{
	if (!cap)
		return;
	if (cap->map)
		munmap(cap->map, cap->map_len);
	if (cap->fd >= 0)
		close(cap->fd);
	free(cap);
}
