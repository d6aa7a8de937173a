// SPDX-License-Identifier: GPL-2.0
/*
 * BPFDEV_TSTAMP_SKB takes the packet's own stamp only when it is a
 * receive stamp (realtime), never a delivery time that SO_TXTIME put in
 * skb->tstamp.  Kernels tell the two apart differently: 6.1 by
 * skb->mono_delivery_time (and clears a realtime-looking txtime at the
 * loopback), 6.11 and later by skb->tstamp_type, which also marks
 * CLOCK_TAI times (SKB_CLOCK_TAI) and keeps them across the loopback.
 * skb_tstamp() reads the right bit on each: a datagram sent with a
 * txtime 1000 s ahead, in CLOCK_MONOTONIC or CLOCK_TAI, must still be
 * stamped with the real time of its capture on every kernel.
 */
#include <linux/filter.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#include "sys.h"
#include "guest.h"

#define PORT	7042
#define AHEAD_NS	(1000 * 1000000000LL)

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One datagram to PORT on lo, carrying txtime (clock id) in SCM_TXTIME. */
static int send_txtime(clockid_t id, uint64_t txtime)
{
	struct sock_txtime st = { .clockid = id };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char payload[32] = "txtime", cbuf[CMSG_SPACE(sizeof(txtime))] = { 0 };
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof(payload) };
	struct msghdr m = {
		.msg_name = &a, .msg_namelen = sizeof(a), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TXTIME, &st, sizeof(st)))
		return -errno;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_TXTIME;
	c->cmsg_len = CMSG_LEN(sizeof(txtime));
	memcpy(CMSG_DATA(c), &txtime, sizeof(txtime));
	n = sendmsg(fd, &m, 0);
	close(fd);
	return n == sizeof(payload) ? 0 : -errno;
}

/* |record stamp - CLOCK_REALTIME| for one datagram with a txtime ahead. */
static int64_t skew_with_txtime(clockid_t id, const char *name)
{
	/* ip[9] == UDP && udp dport == PORT (Ethernet view on lo) */
	struct sock_filter p[] = {
		{ 0x30, 0, 0, 14 + 9 },		/* ldb [23] */
		{ 0x15, 0, 3, 17 },		/* jeq #17 */
		{ 0x28, 0, 0, 14 + 20 + 2 },	/* ldh [36] */
		{ 0x15, 0, 1, PORT },		/* jeq #PORT */
		{ 0x06, 0, 0, 262144 },		/* ret #262144 */
		{ 0x06, 0, 0, 0 },		/* ret #0 */
	};
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC, .len = 6, .insns = (uintptr_t)p,
	};
	struct bpfdev_cap_bind b = { .ifname = "lo" };
	uint32_t src = BPFDEV_TSTAMP_SKB;
	struct bpfdev_cap_info info;
	struct bpfdev_cap_hdr *h;
	struct pollfd pfd;
	int64_t skew = INT64_MAX, now;
	int fd = bpfdev_open(), err;
	void *ring;

	if (fd < 0 || ioctl(fd, BPFDEV_IOC_CAP_SET_FILTER, &f) ||
	    ioctl(fd, BPFDEV_IOC_CAP_TSTAMP, &src) ||
	    ioctl(fd, BPFDEV_IOC_CAP_BIND, &b) ||
	    ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &info)) {
		tap_diag("%s: capture socket: %s", name, strerror(errno));
		return skew;
	}
	ring = mmap(NULL, BPFDEV_RING_DATA_OFF + info.ring_size,
		    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		tap_diag("%s: mmap: %s", name, strerror(errno));
		close(fd);
		return skew;
	}
	now = clock_ns(CLOCK_REALTIME);
	err = send_txtime(id, clock_ns(id) + AHEAD_NS);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (err) {
		tap_diag("%s: sendmsg with SCM_TXTIME: %s", name, strerror(-err));
	} else if (poll(&pfd, 1, 2000) == 1) {
		h = (void *)((uint8_t *)ring + BPFDEV_RING_DATA_OFF);
		skew = (int64_t)h->tstamp_ns - now;
		if (skew < 0)
			skew = -skew;
	} else {
		tap_diag("%s: no record within 2 s", name);
	}
	munmap(ring, BPFDEV_RING_DATA_OFF + info.ring_size);
	close(fd);
	return skew;
}

int main(void)
{
	int64_t s;

	tap_plan(2);
	if (unshare(CLONE_NEWNET) || lo_up())
		tap_bail("a network namespace with lo up: %s", strerror(errno));
	s = skew_with_txtime(CLOCK_MONOTONIC, "monotonic");
	ok(s < 2000000000LL,
	   "a CLOCK_MONOTONIC txtime 1000 s ahead is no receive stamp (%lld ns off)",
	   (long long)s);
	s = skew_with_txtime(CLOCK_TAI, "tai");
	ok(s < 2000000000LL,
	   "a CLOCK_TAI txtime 1000 s ahead is no receive stamp (%lld ns off)",
	   (long long)s);
	return tap_done();
}
