// SPDX-License-Identifier: GPL-2.0
/*
 * Capture sockets on loopback, in a network namespace of our own so every
 * packet is ours and counts are exact: the ioctls and their errors, the
 * mmap ring and read(), snap length and filter truncation, loopback kept
 * once, ring overflow counted exactly, batched wakeups, flush, "any",
 * promiscuous mode, filter swaps under traffic, eBPF filters (one that
 * reads __sk_buff fields only through a tail call's program), many
 * sockets closed in any order.
 */

#include <poll.h>
#include <stddef.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>

#include "guest.h"
#include "objs.h"
#include "sys.h"

#define PORT_A	7001
#define PORT_B	7002
#define HDRS	(14 + 20 + 8)	/* Ethernet, IPv4, UDP */
#define REC_HDR	((unsigned int)sizeof(struct bpfdev_cap_hdr))

static int udp_tx = -1, sink_a = -1, sink_b = -1;

static int sink(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 4 << 20;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

/* Datagrams the sinks had; a record is committed before its delivery. */
static int drain_sinks(void)
{
	char buf[2048];
	int n = 0;

	while (recv(sink_a, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	while (recv(sink_b, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

/*
 * count datagrams of size bytes to port, payload bytes 'a' + i % 26.
 * Returns once the sinks have them all (or after 2 s): loopback delivers
 * in a softirq that may run after sendto() returns, and the capture hook
 * sees each packet before its socket does, so the records are there too.
 */
static int send_udp(int port, int size, int count)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[2048];
	int i, sent = 0, got = 0;

	for (i = 0; i < count; i++) {
		memset(buf, 'a' + i % 26, size);
		if (sendto(udp_tx, buf, size, 0, (struct sockaddr *)&a, sizeof(a)) == size)
			sent++;
		if (i % 64 == 63)
			got += drain_sinks();
	}
	for (i = 0; i < 200; i++) {
		got += drain_sinks();
		if (got >= sent)
			break;
		usleep(10000);
	}
	return sent;
}

/* Accept IPv4/UDP to port on Ethernet (off 0) or cooked (off -14) views. */
static void udp_port_prog(struct sock_filter *p, int port, int off, unsigned int keep)
{
	struct sock_filter mac[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 36),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, keep),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter net[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x45, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 22),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, keep),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	memcpy(p, off ? net : mac, sizeof(mac));
}

static long set_filter(int fd, struct sock_filter *p, unsigned int len)
{
	struct bpfdev_cap_filter f = {
		.kind = p ? BPFDEV_FILTER_CLASSIC : BPFDEV_FILTER_NONE,
		.len = len, .insns = (uintptr_t)p,
	};

	return ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

static long set_u32(int fd, unsigned long req, uint32_t v)
{
	return ioctl_err(fd, req, &v);
}

static long bind_name(int fd, const char *name)
{
	struct bpfdev_cap_bind b = { 0 };

	snprintf(b.ifname, sizeof(b.ifname), "%s", name);
	return ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b);
}

static struct bpfdev_cap_stats stats(int fd)
{
	struct bpfdev_cap_stats s = { 0 };

	ioctl(fd, BPFDEV_IOC_CAP_GET_STATS, &s);
	return s;
}

static struct bpfdev_cap_info info(int fd)
{
	struct bpfdev_cap_info i = { 0 };

	ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &i);
	return i;
}

static uint32_t cap_ring_size;	/* for cap_open(); 0: the default */

/* A capture socket bound to name, filtered for UDP to port. */
static int cap_open(const char *name, int port, unsigned int keep)
{
	struct sock_filter p[8];
	int fd = bpfdev_open();

	if (fd < 0)
		return -1;
	if (cap_ring_size && set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, cap_ring_size))
		goto err;
	if (port) {
		udp_port_prog(p, port, !strcmp(name, "any"), keep);
		if (set_filter(fd, p, 8))
			goto err;
	}
	if (bind_name(fd, name))
		goto err;
	return fd;
err:
	close(fd);
	return -1;
}

struct ring {
	struct bpfdev_ring_ctl *ctl;
	uint8_t *data;
	uint32_t size;
};

static int ring_map(int fd, struct ring *r)
{
	struct bpfdev_cap_info i = info(fd);
	void *m = mmap(NULL, BPFDEV_RING_DATA_OFF + i.ring_size,
		       PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED)
		return -errno;
	r->ctl = m;
	r->data = (uint8_t *)m + BPFDEV_RING_DATA_OFF;
	r->size = i.ring_size;
	return 0;
}

static void ring_unmap(struct ring *r)
{
	munmap(r->ctl, BPFDEV_RING_DATA_OFF + r->size);
}

/* Checks on each record, summed up by the caller. */
struct tally {
	int records, pads, bad_len, bad_payload, dir_in, dir_out, vlan;
	int port_a, port_b, other;
	uint64_t caplen_sum;
	uint32_t last_caplen, last_wirelen, last_ifindex, last_netoff;
	uint16_t last_proto;
};

static void tally_record(struct tally *t, const struct bpfdev_cap_hdr *h, int cooked)
{
	const uint8_t *d = (const uint8_t *)h + h->hdr_len;
	int l3 = cooked ? 0 : 14, i;
	unsigned int port;

	t->records++;
	t->caplen_sum += h->caplen;
	t->last_caplen = h->caplen;
	t->last_wirelen = h->wirelen;
	t->last_ifindex = h->ifindex;
	t->last_proto = ntohs(h->protocol);
	t->last_netoff = h->net_off;
	if (h->hdr_len != REC_HDR || h->caplen > h->wirelen ||
	    (h->rec_len & BPFDEV_REC_LEN_MASK) != ((REC_HDR + h->caplen + 7) & ~7u))
		t->bad_len++;
	if (h->direction == BPFDEV_DIR_IN)
		t->dir_in++;
	else
		t->dir_out++;
	if (h->caplen < (unsigned int)l3 + 28) {
		t->other++;
		return;
	}
	port = d[l3 + 22] << 8 | d[l3 + 23];
	if (port == PORT_A)
		t->port_a++;
	else if (port == PORT_B)
		t->port_b++;
	else
		t->other++;
	/* The payload is one letter throughout. */
	for (i = l3 + 29; i < (int)h->caplen; i++)
		if (d[i] != d[l3 + 28]) {
			t->bad_payload++;
			break;
		}
}

static void ring_drain(struct ring *r, struct tally *t, int cooked)
{
	uint64_t cons = r->ctl->consumer;
	uint64_t prod = __atomic_load_n(&r->ctl->producer, __ATOMIC_ACQUIRE);

	while (cons < prod) {
		struct bpfdev_cap_hdr *h = (void *)(r->data + (cons & (r->size - 1)));
		uint32_t len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);

		if (len & BPFDEV_REC_BUSY)
			break;
		if (len & BPFDEV_REC_PAD)
			t->pads++;
		else
			tally_record(t, h, cooked);
		cons += len & BPFDEV_REC_LEN_MASK;
	}
	__atomic_store_n(&r->ctl->consumer, cons, __ATOMIC_RELEASE);
}

/* Records through read(): returns bytes read or -errno. */
static long read_drain(int fd, struct tally *t, size_t bufsize)
{
	static uint8_t buf[1 << 20];
	long total = 0;

	for (;;) {
		ssize_t n = read(fd, buf, bufsize);
		size_t off = 0;

		if (n < 0)
			return errno == EAGAIN ? total : -errno;
		while (off < (size_t)n) {
			struct bpfdev_cap_hdr *h = (void *)(buf + off);

			if (h->rec_len & (BPFDEV_REC_PAD | BPFDEV_REC_BUSY))
				t->pads++;
			tally_record(t, h, 0);
			off += h->rec_len & BPFDEV_REC_LEN_MASK;
		}
		total += n;
	}
}

static void test_basics(void)
{
	struct bpfdev_version v = { 0 };
	struct bpfdev_cap_info i;
	struct bpfdev_cap_bind b = { 0 };
	struct sock_filter bad[] = { BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0) };
	struct bpfdev_cap_filter f = { 0 };
	struct bpfdev_cap_wakeup w = { 0, 3600 * 1000 + 1 };
	char log[128] = "", buf[64];
	int fd = bpfdev_open();

	ok_eq(ioctl_err(fd, BPFDEV_IOC_VERSION, &v), 0, "version query");
	ok(v.features & BPFDEV_FEAT_CAPTURE, "version advertises BPFDEV_FEAT_CAPTURE");
	i = info(fd);
	ok(!(i.flags & BPFDEV_CAP_BOUND) && i.ring_size == 4 << 20 && i.snaplen == 262144 &&
	   i.direction == BPFDEV_DIR_INOUT && i.wakeup_count == 1,
	   "a fresh socket: unbound, 4 MiB ring, snaplen 262144, both directions, immediate");
	ok_eq(read(fd, buf, sizeof(buf)) < 0 ? -errno : 0, -EINVAL, "read() unbound gives EINVAL");
	ok_eq(bind_name(fd, "nosuchdev0"), -ENXIO, "bind to an unknown name gives ENXIO");
	b.ifindex = 9999;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b), -ENXIO, "bind to an unknown index gives ENXIO");
	b.ifindex = 1;
	b.flags = 1;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b), -EINVAL, "bind with flags gives EINVAL");
	memset(b.ifname, 'x', sizeof(b.ifname));
	b.flags = 0;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b), -EINVAL, "bind with an unterminated name gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_SNAPLEN, 0), -EINVAL, "snaplen 0 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_SNAPLEN, 262145), -EINVAL, "snaplen 262145 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_DIRECTION, 0), -EINVAL, "direction 0 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_DIRECTION, 4), -EINVAL, "direction 4 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_TSTAMP, 3), -EINVAL, "timestamp source 3 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_PROMISC, 2), -EINVAL, "promisc 2 gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, 0), -EINVAL, "ring size 0 gives EINVAL");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_WAKEUP, &w), -EINVAL, "a wakeup timeout over an hour gives EINVAL");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, 100000), 0, "ring size 100000 accepted");
	ok_eq(info(fd).ring_size, 131072, "and rounded up to 128 KiB");
	f.kind = BPFDEV_FILTER_CLASSIC;
	f.len = 1;
	f.insns = (uintptr_t)bad;
	f.log_buf = (uintptr_t)log;
	f.log_size = sizeof(log);
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL, "a jump out of range gives EINVAL");
	ok(log[0] != 0, "and a log line (\"%s\")", log);
	f.len = 0;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL, "an empty classic program gives EINVAL");
	f.len = 4097;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL, "4097 instructions give EINVAL");
	f.kind = 9;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL, "an unknown filter kind gives EINVAL");
	f.kind = BPFDEV_FILTER_NONE;
	f.flags = 1;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL, "filter flags give EINVAL");
	f.flags = 0;
	f.insns = 1;
	f.kind = BPFDEV_FILTER_CLASSIC;
	f.len = 1;
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EFAULT, "a bad insns pointer gives EFAULT");
	ok_eq(info(fd).flags & BPFDEV_CAP_FILTER, 0, "refused filters leave none attached");
	ok_eq(ioctl_err(fd, _IO(BPFDEV_IOC_MAGIC, 0x5f), NULL), -ENOTTY, "an unknown capture ioctl gives ENOTTY");
	ok_eq(bind_name(fd, "any"), 0, "bind to \"any\"");
	i = info(fd);
	ok(i.flags & BPFDEV_CAP_ANY && i.linktype == BPFDEV_LINKTYPE_LINUX_SLL2,
	   "\"any\" is LINKTYPE_LINUX_SLL2");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_PROMISC, 1), -EINVAL, "promiscuous \"any\" gives EINVAL");
	ok_eq(bind_name(fd, "lo"), 0, "rebind to lo");
	i = info(fd);
	ok(i.flags & BPFDEV_CAP_BOUND && !(i.flags & BPFDEV_CAP_ANY) && i.ifindex == 1 &&
	   i.linktype == BPFDEV_LINKTYPE_ETHERNET && i.hatype == 772 && !strcmp(i.ifname, "lo"),
	   "lo: ifindex 1, LINKTYPE_ETHERNET, ARPHRD_LOOPBACK");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ok_eq(read(fd, buf, sizeof(buf)) < 0 ? -errno : 0, -EAGAIN, "O_NONBLOCK read() of an empty ring gives EAGAIN");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_UNBIND, NULL), 0, "unbind");
	ok_eq(info(fd).flags & BPFDEV_CAP_BOUND, 0, "and it is unbound");
	close(fd);
}

static void test_mmap_lo(void)
{
	struct bpfdev_cap_stats s;
	struct tally t = { 0 };
	struct ring r;
	int fd = cap_open("lo", PORT_A, 262144);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	ok(fd >= 0, "a socket on lo with a filter for UDP port %d", PORT_A);
	ok(mmap(NULL, BPFDEV_RING_DATA_OFF + info(fd).ring_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EINVAL, "a private mapping gives EINVAL");
	ok(mmap(NULL, BPFDEV_RING_DATA_OFF, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	   errno == EINVAL, "a mapping of the wrong size gives EINVAL");
	ok_eq(ring_map(fd, &r), 0, "mmap the ring");
	ok(r.ctl->ring_size == r.size && r.ctl->hdr_len == REC_HDR, "control page: ring_size and hdr_len");
	ok_eq(poll(&pfd, 1, 0), 0, "poll: nothing yet");
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, 1 << 20), -EBUSY, "ring size after mmap gives EBUSY");
	ok_eq(send_udp(PORT_A, 100, 50), 50, "sent 50 datagrams of 100 bytes");
	send_udp(PORT_B, 100, 7);
	ok_eq(poll(&pfd, 1, 1000), 1, "poll: readable");
	ring_drain(&r, &t, 0);
	ok_eq(t.records, 50, "50 records (loopback kept once)");
	ok_eq(t.dir_in, 50, "all incoming");
	ok(t.bad_len == 0 && t.bad_payload == 0 && t.port_a == 50, "lengths, payloads and ports right");
	ok(t.last_caplen == HDRS + 100 && t.last_wirelen == HDRS + 100 && t.last_ifindex == 1 &&
	   t.last_proto == 0x0800 && t.last_netoff == 14,
	   "caplen = wirelen = 142, ifindex 1, protocol IPv4, net_off 14");
	s = stats(fd);
	ok(s.seen == 57 && s.accepted == 50 && s.delivered == 50 && s.dropped == 0,
	   "stats: seen 57 accepted 50 delivered 50 dropped 0 (%llu %llu %llu %llu)",
	   (unsigned long long)s.seen, (unsigned long long)s.accepted,
	   (unsigned long long)s.delivered, (unsigned long long)s.dropped);
	ok_eq(set_u32(fd, BPFDEV_IOC_CAP_SNAPLEN, 64), 0, "snaplen 64");
	memset(&t, 0, sizeof(t));
	send_udp(PORT_A, 1000, 3);
	poll(&pfd, 1, 1000);
	ring_drain(&r, &t, 0);
	ok(t.records == 3 && t.last_caplen == 64 && t.last_wirelen == HDRS + 1000 && !t.bad_len,
	   "snaplen 64 cuts to 64 bytes of 1042");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FLUSH, NULL), 0, "flush");
	s = stats(fd);
	ok(s.seen == 0 && s.accepted == 0 && s.dropped == 0, "flush zeroes the counters");
	ok_eq(poll(&pfd, 1, 0), 0, "and leaves nothing to read");
	ring_unmap(&r);
	close(fd);

	/* The filter's return value truncates, as for SO_ATTACH_FILTER. */
	fd = cap_open("lo", PORT_A, 20);
	ring_map(fd, &r);
	memset(&t, 0, sizeof(t));
	send_udp(PORT_A, 500, 4);
	poll(&pfd, 1, 1000);
	ring_drain(&r, &t, 0);
	ok(t.records == 4 && t.last_caplen == 20 && t.last_wirelen == HDRS + 500,
	   "a filter returning 20 keeps 20 bytes");
	ring_unmap(&r);
	close(fd);

	fd = cap_open("lo", PORT_A, 262144);
	set_u32(fd, BPFDEV_IOC_CAP_DIRECTION, BPFDEV_DIR_OUT);
	send_udp(PORT_A, 100, 5);
	s = stats(fd);
	ok(s.seen == 0 && s.accepted == 0, "direction out on lo sees nothing (kept as incoming)");
	set_u32(fd, BPFDEV_IOC_CAP_DIRECTION, BPFDEV_DIR_IN);
	send_udp(PORT_A, 100, 5);
	s = stats(fd);
	ok(s.seen == 5 && s.accepted == 5, "direction in on lo sees each packet once");
	close(fd);
}

static void test_read(void)
{
	struct tally t = { 0 };
	int fd = cap_open("lo", PORT_A, 262144);
	char small[16];
	long n;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	send_udp(PORT_A, 300, 20);
	ok_eq(read(fd, small, sizeof(small)) < 0 ? -errno : 0, -EINVAL,
	      "read() into a buffer too small for a record gives EINVAL");
	n = read_drain(fd, &t, 1000);
	ok(n > 0 && t.records == 20 && !t.bad_len && !t.bad_payload && !t.pads,
	   "read() returns the 20 records whole, 2 per 1000-byte buffer, no padding");
	ok_eq(read(fd, small, sizeof(small)) < 0 ? -errno : 0, -EAGAIN, "then EAGAIN");
	close(fd);
}

static void test_overflow(void)
{
	struct bpfdev_cap_stats s;
	struct tally t = { 0 };
	struct ring r;
	int fd = bpfdev_open(), sent;
	struct sock_filter p[8];

	set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, 64 << 10);
	udp_port_prog(p, PORT_A, 0, 262144);
	set_filter(fd, p, 8);
	bind_name(fd, "lo");
	ring_map(fd, &r);
	sent = send_udp(PORT_A, 1000, 500);
	s = stats(fd);
	ring_drain(&r, &t, 0);
	ok(sent == 500 && s.accepted == 500, "500 packets accepted into a 64 KiB ring");
	ok(s.dropped > 0, "some dropped (%llu)", (unsigned long long)s.dropped);
	ok_eq(s.accepted, s.delivered + s.dropped, "accepted = delivered + dropped");
	ok_eq(t.records, s.delivered, "records in the ring = delivered");
	ok(!t.bad_len && !t.bad_payload, "every delivered record intact");
	/* The ring works again once drained, and wraps with padding. */
	memset(&t, 0, sizeof(t));
	sent = 0;
	for (int i = 0; i < 20; i++) {
		sent += send_udp(PORT_A, 1000 - i * 37, 20);
		ring_drain(&r, &t, 0);
	}
	s = stats(fd);
	ok(t.records == 400 && s.dropped == stats(fd).dropped && !t.bad_len && !t.bad_payload,
	   "after draining: 400 records through the wrap (%d padding records)", t.pads);
	ok(t.pads > 0, "the wrap used padding records");
	ring_unmap(&r);
	close(fd);
}

static void test_wakeup(void)
{
	struct bpfdev_cap_wakeup w = { 10, 300 };
	struct pollfd pfd;
	struct tally t = { 0 };
	struct ring r;
	uint64_t t0, dt;
	int fd = cap_open("lo", PORT_A, 262144), n;

	ring_map(fd, &r);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_WAKEUP, &w), 0, "wakeup: 10 records or 300 ms");
	poll(&pfd, 1, 0);	/* consume the policy change's wakeup */
	send_udp(PORT_A, 100, 3);
	t0 = now_ms();
	n = poll(&pfd, 1, 50);
	ok_eq(n, 0, "3 records: not readable within 50 ms");
	n = poll(&pfd, 1, 2000);
	dt = now_ms() - t0;
	ok(n == 1 && dt >= 200 && dt < 2000, "readable after the 300 ms timeout (%llu ms)",
	   (unsigned long long)dt);
	ring_drain(&r, &t, 0);
	ok_eq(t.records, 3, "3 records");
	poll(&pfd, 1, 0);
	send_udp(PORT_A, 100, 10);
	t0 = now_ms();
	n = poll(&pfd, 1, 2000);
	dt = now_ms() - t0;
	ok(n == 1 && dt < 200, "10 records: readable at once (%llu ms)", (unsigned long long)dt);
	ring_unmap(&r);
	close(fd);
}

static void test_any(void)
{
	struct bpfdev_cap_hdr *h;
	struct tally t = { 0 };
	struct ring r;
	int fd = cap_open("any", PORT_A, 262144);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	ok(fd >= 0, "\"any\" with a network-header filter");
	ring_map(fd, &r);
	send_udp(PORT_A, 200, 10);
	poll(&pfd, 1, 1000);
	h = (void *)r.data;
	ok(h->net_off == 0 && h->caplen == 228 && ((uint8_t *)h)[REC_HDR] == 0x45 &&
	   h->ifindex == 1 && h->hatype == 772 && h->direction == BPFDEV_DIR_IN,
	   "\"any\" records start at the IPv4 header, with ifindex 1 and ARPHRD_LOOPBACK");
	ring_drain(&r, &t, 1);
	ok(t.records == 10 && t.port_a == 10 && !t.bad_payload, "10 records on \"any\"");
	ring_unmap(&r);
	close(fd);
}

/*
 * dev->flags from a sysfs of our namespace (SIOCGIFFLAGS shows only the
 * promiscuity userspace asked for, not the count in-kernel users raise).
 */
static int lo_flags(void)
{
	FILE *f = fopen("/tmp/capsys/class/net/lo/flags", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%i", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void test_promisc(void)
{
	int fd = bpfdev_open(), fd2;

	ok_eq(lo_flags() & IFF_PROMISC, 0, "lo is not promiscuous");
	set_u32(fd, BPFDEV_IOC_CAP_PROMISC, 1);
	bind_name(fd, "lo");
	ok(lo_flags() & IFF_PROMISC && info(fd).flags & BPFDEV_CAP_PROMISC,
	   "promiscuous while bound");
	fd2 = bpfdev_open();
	set_u32(fd2, BPFDEV_IOC_CAP_PROMISC, 1);
	bind_name(fd2, "lo");
	close(fd);
	ok(lo_flags() & IFF_PROMISC, "still while another socket asks for it");
	set_u32(fd2, BPFDEV_IOC_CAP_PROMISC, 0);
	ok_eq(lo_flags() & IFF_PROMISC, 0, "off when the last one turns it off");
	set_u32(fd2, BPFDEV_IOC_CAP_PROMISC, 1);
	ioctl_err(fd2, BPFDEV_IOC_CAP_UNBIND, NULL);
	ok_eq(lo_flags() & IFF_PROMISC, 0, "unbind releases it");
	bind_name(fd2, "lo");
	close(fd2);
	ok_eq(lo_flags() & IFF_PROMISC, 0, "close releases it");
}

static void test_swap(void)
{
	struct sock_filter pa[8], pb[8];
	struct bpfdev_cap_stats s;
	struct tally t = { 0 };
	volatile long *shared;
	struct ring r;
	int fd = bpfdev_open(), i, status;
	pid_t pid;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	udp_port_prog(pa, PORT_A, 0, 262144);
	udp_port_prog(pb, PORT_B, 0, 262144);
	set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, 16 << 20);
	set_filter(fd, pa, 8);
	bind_name(fd, "lo");
	ring_map(fd, &r);
	pid = fork();
	if (!pid) {
		for (i = 0; !shared[0]; i++) {
			shared[1] += send_udp(PORT_A, 64 + i % 200, 1);
			shared[1] += send_udp(PORT_B, 64 + i % 200, 1);
		}
		_exit(0);
	}
	/* Swap A, none, B, A, ... while the child sends to both ports. */
	for (i = 0; i < 60; i++) {
		set_filter(fd, i % 3 == 0 ? pa : i % 3 == 1 ? NULL : pb, i % 3 == 1 ? 0 : 8);
		ring_drain(&r, &t, 0);
		usleep(2000);
	}
	shared[0] = 1;
	waitpid(pid, &status, 0);
	ring_drain(&r, &t, 0);
	s = stats(fd);
	tap_diag("%ld packets sent during 60 swaps", shared[1]);
	ok(shared[1] > 100, "traffic flowed during 60 filter swaps");
	ok_eq(s.seen, shared[1], "every packet seen once");
	ok(s.accepted == (uint64_t)t.records && s.dropped == 0, "records = accepted (%d)", t.records);
	ok(!t.bad_len && !t.bad_payload, "every record intact");
	ok(t.port_a > 0 && t.port_b > 0 && t.other == 0,
	   "records of both ports and nothing else (%d A, %d B)", t.port_a, t.port_b);
	ring_unmap(&r);
	close(fd);
}

/* An eBPF socket filter: keep 64 bytes of packets longer than 100. */
static int load_len_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = 2, .src_reg = 1,
		  .off = offsetof(struct __sk_buff, len) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_JLE | BPF_K, .dst_reg = 2, .off = 1, .imm = 100 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 64 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int dev = bpfdev_open();
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 5;
	attr.license = (uintptr_t)"GPL";
	fd = bpfdev_call(dev, BPF_PROG_LOAD, &attr, sizeof(attr));
	close(dev);
	return fd;
}

static void test_ebpf(void)
{
	struct bpfdev_cap_filter f = { .kind = BPFDEV_FILTER_EBPF, .prog_fd = -1 };
	union bpf_attr attr;
	struct tally t = { 0 };
	struct ring r;
	int fd = bpfdev_open(), pfd[2], prog;
	long err;

	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EBADF, "eBPF filter: a bad fd gives EBADF");
	if (pipe(pfd) == 0) {
		f.prog_fd = pfd[0];
		ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f), -EINVAL,
		      "eBPF filter: an fd that is no program gives EINVAL");
		close(pfd[0]);
		close(pfd[1]);
	}
	prog = load_len_prog();
	if (prog < 0) {
		tap_skip("BPF_PROG_LOAD refused a socket filter", "eBPF filter by fd");
		tap_skip("BPF_PROG_LOAD refused a socket filter", "eBPF filter through BPF_PROG_ATTACH");
		tap_skip("BPF_PROG_LOAD refused a socket filter", "BPF_PROG_DETACH");
		close(fd);
		return;
	}
	f.prog_fd = prog;
	bind_name(fd, "lo");
	ring_map(fd, &r);
	ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
	send_udp(PORT_A, 50, 5);
	send_udp(PORT_A, 200, 5);
	ring_drain(&r, &t, 0);
	ok(t.records == 5 && t.last_caplen == 64 && t.last_wirelen == HDRS + 200,
	   "eBPF filter by fd: 5 records of 64 bytes (%d)", t.records);
	f.kind = BPFDEV_FILTER_NONE;
	ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = fd;
	attr.attach_bpf_fd = prog;
	memset(&t, 0, sizeof(t));
	err = bpfdev_call(fd, BPF_PROG_ATTACH, &attr, sizeof(attr));
	send_udp(PORT_A, 50, 3);
	send_udp(PORT_A, 300, 3);
	ring_drain(&r, &t, 0);
	ok(err == 0 && t.records == 3 && t.last_caplen == 64,
	   "eBPF filter through BPF_PROG_ATTACH (%ld, %d records)", err, t.records);
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = fd;
	ok(bpfdev_call(fd, BPF_PROG_DETACH, &attr, sizeof(attr)) == 0 &&
	   !(info(fd).flags & BPFDEV_CAP_FILTER), "BPF_PROG_DETACH");
	ring_unmap(&r);
	close(prog);
	close(fd);
}

/*
 * A filter that reads no context field itself but tail-calls one that
 * keeps IPv4 packets of ifindex 1 (lo): the module fills __sk_buff's
 * fields for a filter whose helpers get the context, not only for one
 * that loads them.
 */
static void test_ebpf_tail_call(void)
{
	struct bpf_insn inner[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = 2, .src_reg = 1,
		  .off = offsetof(struct __sk_buff, protocol) },
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = 3, .src_reg = 1,
		  .off = offsetof(struct __sk_buff, ifindex) },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = 2, .off = 2, .imm = htons(0x0800) },
		{ .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = 3, .off = 1, .imm = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0xffff },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_insn outer[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 2, .src_reg = BPF_PSEUDO_MAP_FD },
		{ 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_tail_call },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpfdev_cap_filter f = { .kind = BPFDEV_FILTER_EBPF };
	long map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0), in, out;
	struct tally t = { 0 };
	int fd = bpfdev_open();
	__u32 k = 0, v;
	struct ring r;

	in = prog_load(inner, 7);
	outer[0].imm = (__s32)map;
	out = prog_load(outer, 6);
	v = (__u32)in;
	if (map < 0 || in < 0 || out < 0 || map_update(map, &k, &v, 0)) {
		tap_skip("no prog array or tail call", "eBPF filter reading fields through a tail call");
		goto out;
	}
	f.prog_fd = out;
	bind_name(fd, "lo");
	ring_map(fd, &r);
	ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
	send_udp(PORT_A, 50, 5);
	ring_drain(&r, &t, 0);
	ok(t.records == 5 && t.last_caplen == HDRS + 50,
	   "eBPF filter reading fields through a tail call: 5 records of 92 bytes (%d, %u)",
	   t.records, t.last_caplen);
	ring_unmap(&r);
out:
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	if (map >= 0)
		close(map);
	close(fd);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The stamp of one fresh record with source src, minus clock id now. */
static int64_t stamp_skew(uint32_t src, clockid_t id)
{
	int fd = cap_open("lo", PORT_A, 262144);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct bpfdev_cap_hdr *h;
	struct ring r;
	int64_t skew = INT64_MAX;

	set_u32(fd, BPFDEV_IOC_CAP_TSTAMP, src);
	ring_map(fd, &r);
	send_udp(PORT_A, 64, 1);
	if (poll(&pfd, 1, 1000) == 1) {
		h = (void *)r.data;
		skew = (int64_t)h->tstamp_ns - clock_ns(id);
	}
	ring_unmap(&r);
	close(fd);
	return skew < 0 ? -skew : skew;
}

static void test_tstamp(void)
{
	int64_t s;

	s = stamp_skew(BPFDEV_TSTAMP_REALTIME, CLOCK_REALTIME);
	ok(s < 2000000000LL, "realtime stamps within 2 s of CLOCK_REALTIME (%lld ns)", (long long)s);
	s = stamp_skew(BPFDEV_TSTAMP_MONOTONIC, CLOCK_MONOTONIC);
	ok(s < 2000000000LL, "monotonic stamps within 2 s of CLOCK_MONOTONIC (%lld ns)", (long long)s);
	s = stamp_skew(BPFDEV_TSTAMP_SKB, CLOCK_REALTIME);
	ok(s < 2000000000LL, "skb stamps are realtime too (%lld ns)", (long long)s);
}

static void test_many(void)
{
	int fds[64], i, bad = 0, n = 64;
	struct bpfdev_cap_stats s;

	/* 64 small rings: 64 default ones would take 256 MiB. */
	cap_ring_size = 64 << 10;
	for (i = 0; i < n; i++) {
		fds[i] = cap_open(i % 3 ? "lo" : "any", PORT_A, 262144);
		if (fds[i] < 0)
			bad++;
	}
	ok_eq(bad, 0, "64 sockets on lo and \"any\"");
	send_udp(PORT_A, 100, 10);
	for (i = 0; i < n; i++) {
		s = stats(fds[i]);
		if (s.accepted != 10 || s.delivered != 10)
			bad++;
	}
	ok_eq(bad, 0, "each got the 10 packets");
	/* Close in an order unlike the opening one. */
	for (i = 0; i < n; i++) {
		int j = (i * 37) % n;

		close(fds[j]);
	}
	send_udp(PORT_A, 100, 10);
	ok(1, "closed in a scrambled order, traffic still flows");
}

int main(void)
{
	tap_plan(0);
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) || lo_up())
		tap_bail("a network namespace with lo up: %s", strerror(errno));
	mkdir("/tmp/capsys", 0755);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("sysfs", "/tmp/capsys", "sysfs", 0, NULL))
		tap_bail("sysfs of our namespace: %s", strerror(errno));
	objs_init();
	udp_tx = socket(AF_INET, SOCK_DGRAM, 0);
	sink_a = sink(PORT_A);
	sink_b = sink(PORT_B);
	if (udp_tx < 0 || sink_a < 0 || sink_b < 0)
		tap_bail("UDP sockets: %s", strerror(errno));
	test_basics();
	test_mmap_lo();
	test_read();
	test_overflow();
	test_wakeup();
	test_any();
	test_promisc();
	test_swap();
	test_ebpf();
	test_ebpf_tail_call();
	test_tstamp();
	test_many();
	return tap_done();
}
