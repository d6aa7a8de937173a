// SPDX-License-Identifier: GPL-2.0
/*
 * The capture ring's control page and records are the reader's to write:
 * a caller with no capability at all (the fds opened by root, then every
 * privilege dropped) writes consumer positions and record lengths the
 * kernel never made, and read(), poll() and the flush ioctl must answer
 * with a clean error (EIO), never read outside the ring (an oops fails
 * the run), and work again once the reader puts consumer back at producer.
 */

#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include "guest.h"
#include "sys.h"

#define PORT	7019
#define NOBODY	65534

struct ring {
	struct bpfdev_ring_ctl *ctl;
	uint8_t *data;
	uint32_t size;
};

static int udp_tx = -1, udp_rx = -1;

static int udp_sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	udp_tx = socket(AF_INET, SOCK_DGRAM, 0);
	udp_rx = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp_tx < 0 || udp_rx < 0 ||
	    bind(udp_rx, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return 0;
}

/* count datagrams of 100 bytes; returns once the receiver has them all. */
static int send_udp(int count)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(PORT),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[128];
	int i, got = 0;

	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < count; i++)
		sendto(udp_tx, buf, 100, 0, (struct sockaddr *)&a, sizeof(a));
	for (i = 0; i < 200 && got < count; i++) {
		while (recv(udp_rx, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			got++;
		if (got < count)
			usleep(10000);
	}
	return got;
}

static int open_nonblock(void)
{
	int fd = bpfdev_open();

	if (fd >= 0)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static int bind_lo(int fd)
{
	struct bpfdev_cap_bind b = { .ifname = "lo" };

	return ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b);
}

static int ring_map(int fd, struct ring *r)
{
	struct bpfdev_cap_info i = { 0 };
	void *m;

	if (ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &i))
		return -errno;
	m = mmap(NULL, BPFDEV_RING_DATA_OFF + i.ring_size,
		 PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	r->ctl = m;
	r->data = (uint8_t *)m + BPFDEV_RING_DATA_OFF;
	r->size = i.ring_size;
	return 0;
}

static uint64_t producer(const struct ring *r)
{
	return __atomic_load_n(&r->ctl->producer, __ATOMIC_ACQUIRE);
}

static void set_consumer(struct ring *r, uint64_t v)
{
	__atomic_store_n(&r->ctl->consumer, v, __ATOMIC_RELEASE);
}

static long read_err(int fd)
{
	static char buf[1 << 16];
	long n = read(fd, buf, sizeof(buf));

	return n < 0 ? -errno : n;
}

/* poll() answers at once (a corrupt position wakes, it does not hang). */
static int poll_in(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int no_caps(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int none = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			none = strtoull(line + 7, NULL, 16) == 0;
	fclose(f);
	return none;
}

/* read, poll and flush at a bad position: EIO each time, and no oops. */
static void abuse(int fd, const char *what)
{
	ok_eq(read_err(fd), -EIO, "%s: read() gives EIO", what);
	ok(poll_in(fd), "%s: poll() reports it at once", what);
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FLUSH, NULL), -EIO, "%s: flush gives EIO", what);
}

/* An unbound socket's default ring (nothing written in it yet). */
static void test_unbound(int fd)
{
	uint64_t bad[] = { ~0ULL, 4, 8, 1ULL << 62, ~0ULL - 4095 };
	struct ring r;
	char what[64];
	unsigned int i;

	if (!ok_eq(ring_map(fd, &r), 0, "unbound: mmap the default ring"))
		return;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "unbound: consumer %#llx",
			 (unsigned long long)bad[i]);
		set_consumer(&r, bad[i]);
		abuse(fd, what);
	}
	/* Aligned and within a ring behind prod, but no record starts there. */
	set_consumer(&r, -(uint64_t)r.size);
	abuse(fd, "unbound: consumer a whole ring behind prod");
	set_consumer(&r, producer(&r));
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FLUSH, NULL), 0, "unbound: consumer reset: flush succeeds");
	ok(!poll_in(fd), "unbound: consumer reset: poll() shows nothing");
	ok_eq(read_err(fd), -EINVAL, "unbound: consumer reset: read() gives EINVAL (not bound)");
}

/* A bound socket with real records; the reader corrupts them. */
static void test_bound(int fd)
{
	uint32_t bad_len[] = { 0, 3, 8, 12, 0x99, BPFDEV_REC_LEN_MASK,
			       BPFDEV_REC_PAD | 8, BPFDEV_REC_PAD | 16, BPFDEV_REC_PAD | 4,
			       BPFDEV_REC_PAD, 1U << 29 | 0x80 };
	struct bpfdev_cap_hdr *h;
	uint64_t prod, bad[5];
	uint32_t rec, *len;
	struct ring r;
	char what[64];
	unsigned int i;

	if (!ok_eq(ring_map(fd, &r), 0, "bound: mmap the ring"))
		return;
	if (!ok_eq(send_udp(8), 8, "bound: 8 datagrams sent and received"))
		return;
	prod = producer(&r);
	h = (struct bpfdev_cap_hdr *)r.data;
	len = &h->rec_len;
	rec = *len;
	ok(prod > 0 && !(rec & (BPFDEV_REC_BUSY | BPFDEV_REC_PAD)) &&
	   (rec & BPFDEV_REC_LEN_MASK) <= prod, "bound: records arrived (prod %llu, first rec_len %#x)",
	   (unsigned long long)prod, rec);

	bad[0] = ~0ULL;
	bad[1] = prod - 1;
	bad[2] = 4;
	bad[3] = prod + 8;
	bad[4] = 1ULL << 62;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(what, sizeof(what), "bound: consumer %#llx",
			 (unsigned long long)bad[i]);
		set_consumer(&r, bad[i]);
		abuse(fd, what);
	}
	/* Aligned, in range, but inside a record's payload. */
	set_consumer(&r, prod - 8);
	abuse(fd, "bound: consumer inside a record");

	for (i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
		snprintf(what, sizeof(what), "bound: first rec_len %#x", bad_len[i]);
		set_consumer(&r, 0);
		__atomic_store_n(len, bad_len[i], __ATOMIC_RELEASE);
		abuse(fd, what);
	}
	/* A record 16 bytes longer than it is: the next starts at a wirelen. */
	set_consumer(&r, 0);
	__atomic_store_n(len, rec + 16, __ATOMIC_RELEASE);
	ok_eq(read_err(fd), (rec & BPFDEV_REC_LEN_MASK) + 16,
	      "bound: rec_len 16 too long: the first record, then...");
	abuse(fd, "bound: ...the next one is not a record");

	__atomic_store_n(len, rec, __ATOMIC_RELEASE);
	set_consumer(&r, producer(&r));
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FLUSH, NULL), 0, "bound: consumer reset: flush succeeds");
	ok(!poll_in(fd), "bound: consumer reset: poll() shows nothing");
	ok_eq(read_err(fd), -EAGAIN, "bound: consumer reset: read() gives EAGAIN");
	ok_eq(send_udp(3), 3, "bound: 3 more datagrams");
	ok(poll_in(fd), "bound: poll() shows them");
	ok_eq(read_err(fd), 3 * (rec & BPFDEV_REC_LEN_MASK), "bound: read() returns the 3 records");
	ok_eq(producer(&r), __atomic_load_n(&r.ctl->consumer, __ATOMIC_ACQUIRE),
	      "bound: read() consumed up to producer");
}

int main(void)
{
	int unbound, bound;

	tap_plan(0);
	if (unshare(CLONE_NEWNET) || lo_up() || udp_sockets())
		tap_bail("a network namespace with lo up: %s", strerror(errno));
	unbound = open_nonblock();
	bound = open_nonblock();
	if (unbound < 0 || bound < 0 || bind_lo(bound))
		tap_bail("open /dev/bpf and bind to lo: %s", strerror(errno));

	/* Root opened the fds; from here on no privilege at all. */
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		tap_bail("drop to nobody: %s", strerror(errno));
	ok(no_caps(), "no effective capability left");

	test_unbound(unbound);
	test_bound(bound);
	close(unbound);
	close(bound);
	return tap_done();
}
