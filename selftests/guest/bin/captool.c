// SPDX-License-Identifier: GPL-2.0
/*
 * captool: drives a /dev/bpf capture socket for the guest tests and
 * benchmarks, reads its ring (mmap, or read() with -r) and reports.
 *
 *   captool -i IFACE|any [-F prog.ddd] [-s snaplen] [-Q in|out|inout] [-p]
 *           [-B ring_kib] [-W count,timeout_ms] [-T real|mono|skb] [-r]
 *           [-c count] [-d seconds] [-D delay_ms] [-w out.pcap]
 *           [-X prog2.ddd,swap_ms] [-R readyfile] [-v]
 *
 * -F takes a classic program in tcpdump -ddd form; -X swaps between -F's
 * program and prog2 every swap_ms while capturing.  -D waits that long
 * after binding before reading (to overflow the ring).  The capture ends
 * after -c records, -d seconds, SIGINT/SIGTERM, or the socket's error;
 * what is left in the ring is drained first.  Last line on stdout:
 *   records N bytes N seen N accepted N delivered N dropped N
 * Exit: 0, 1 usage or setup error, 3 the socket reported an error.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/bpfdev.h>

static volatile sig_atomic_t stop;
static struct bpfdev_cap_info info;
static FILE *pcap;
static int verbose;
static uint64_t records, bytes;

static void on_signal(int sig)
{
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "captool: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* A program in tcpdump -ddd form: a count, then "code jt jf k" lines. */
static struct sock_filter *load_ddd(const char *path, unsigned int *len)
{
	FILE *f = fopen(path, "r");
	struct sock_filter *p;
	unsigned int i, n, code, jt, jf, k;

	if (!f)
		die(path);
	if (fscanf(f, "%u", &n) != 1 || !n || n > 4096) {
		fprintf(stderr, "captool: %s: bad program\n", path);
		exit(1);
	}
	p = calloc(n, sizeof(*p));
	for (i = 0; i < n; i++) {
		if (fscanf(f, "%u %u %u %u", &code, &jt, &jf, &k) != 4) {
			fprintf(stderr, "captool: %s: short program\n", path);
			exit(1);
		}
		p[i] = (struct sock_filter){ code, jt, jf, k };
	}
	fclose(f);
	*len = n;
	return p;
}

static void set_filter(int fd, struct sock_filter *p, unsigned int len)
{
	char log[256] = "";
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC, .len = len,
		.insns = (uintptr_t)p,
		.log_buf = (uintptr_t)log, .log_size = sizeof(log),
	};

	if (ioctl(fd, BPFDEV_IOC_CAP_SET_FILTER, &f)) {
		fprintf(stderr, "captool: filter refused: %s: %s\n", strerror(errno), log);
		exit(1);
	}
}

static void set_u32(int fd, unsigned long req, uint32_t v, const char *what)
{
	if (ioctl(fd, req, &v))
		die(what);
}

static void pcap_open(const char *path)
{
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t zone;
		uint32_t sigfigs, snaplen, linktype;
	} h = { 0xa1b23c4d, 2, 4, 0, 0, 262144, info.linktype };

	pcap = fopen(path, "w");
	if (!pcap)
		die(path);
	fwrite(&h, sizeof(h), 1, pcap);
}

/* LINKTYPE_LINUX_SLL2's header, built from the record as libpcap does. */
static void pcap_sll2(const struct bpfdev_cap_hdr *h, uint8_t out[20])
{
	uint32_t ifi = htonl(h->ifindex);
	uint16_t ha = htons(h->hatype);

	memcpy(out, &h->protocol, 2);
	memset(out + 2, 0, 2);
	memcpy(out + 4, &ifi, 4);
	memcpy(out + 8, &ha, 2);
	out[10] = h->pkt_type;
	out[11] = h->halen;
	memcpy(out + 12, h->addr, 8);
}

static void pcap_write(const struct bpfdev_cap_hdr *h, const uint8_t *data)
{
	uint32_t rec[4];
	uint8_t sll[20];
	int sll2 = info.linktype == BPFDEV_LINKTYPE_LINUX_SLL2;

	rec[0] = h->tstamp_ns / 1000000000ULL;
	rec[1] = h->tstamp_ns % 1000000000ULL;
	rec[2] = h->caplen + (sll2 ? 20 : 0);
	rec[3] = h->wirelen + (sll2 ? 20 : 0);
	fwrite(rec, sizeof(rec), 1, pcap);
	if (sll2) {
		pcap_sll2(h, sll);
		fwrite(sll, sizeof(sll), 1, pcap);
	}
	fwrite(data, h->caplen, 1, pcap);
}

static int record(const struct bpfdev_cap_hdr *h)
{
	const uint8_t *data = (const uint8_t *)h + h->hdr_len;

	if (h->hdr_len != sizeof(*h) || h->caplen > h->wirelen) {
		fprintf(stderr, "captool: malformed record (hdr_len %u caplen %u wirelen %u)\n",
			h->hdr_len, h->caplen, h->wirelen);
		exit(2);
	}
	records++;
	bytes += h->caplen;
	if (verbose)
		printf("%s if=%u proto=0x%04x type=%u len=%u caplen=%u vlan=%s%u net_off=%u\n",
		       h->direction == BPFDEV_DIR_IN ? "in" : "out", h->ifindex,
		       ntohs(h->protocol), h->pkt_type, h->wirelen, h->caplen,
		       h->flags & BPFDEV_REC_F_VLAN_INLINE ? "inline:" :
		       h->flags & BPFDEV_REC_F_VLAN ? "oob:" : "", h->vlan_tci,
		       h->net_off);
	if (pcap)
		pcap_write(h, data);
	return 0;
}

/* Consume what is complete in the mmap()ed ring; returns records seen. */
static uint64_t drain_mmap(struct bpfdev_ring_ctl *ctl, uint8_t *data, uint64_t max)
{
	uint64_t cons = ctl->consumer, n = 0;
	uint64_t prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);

	while (cons < prod && n < max) {
		struct bpfdev_cap_hdr *h = (void *)(data + (cons & (info.ring_size - 1)));
		uint32_t len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);

		if (len & BPFDEV_REC_BUSY)
			break;
		if (!(len & BPFDEV_REC_PAD)) {
			record(h);
			n++;
		}
		cons += len & BPFDEV_REC_LEN_MASK;
	}
	__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

static uint64_t drain_read(int fd, uint8_t *buf, size_t size, uint64_t max, int *err)
{
	uint64_t n = 0;
	ssize_t r = read(fd, buf, size);
	size_t off = 0;

	if (r < 0) {
		if (errno != EAGAIN && errno != EINTR)
			*err = errno;
		return 0;
	}
	while (off < (size_t)r && n < max) {
		struct bpfdev_cap_hdr *h = (void *)(buf + off);

		record(h);
		n++;
		off += h->rec_len & BPFDEV_REC_LEN_MASK;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *iface = NULL, *prog1 = NULL, *prog2 = NULL, *out = NULL, *ready = NULL;
	long count = 0, duration = 0, delay = 0, swap_ms = 0;
	uint32_t snaplen = 0, dir = 0, ring_kib = 0, tstamp = 0, wcount = 0, wtimeout = 0;
	int promisc = 0, use_read = 0, c, fd, err = 0, have_wakeup = 0, have_tstamp = 0;
	struct sock_filter *p1 = NULL, *p2 = NULL;
	unsigned int l1 = 0, l2 = 0, which = 0;
	struct bpfdev_cap_stats st;
	struct bpfdev_cap_bind b = { 0 };
	struct bpfdev_ring_ctl *ctl = NULL;
	uint8_t *data = NULL, *buf = NULL;
	uint64_t t0, last_swap, swaps = 0;
	char *comma;

	while ((c = getopt(argc, argv, "i:F:s:Q:pB:W:T:rc:d:D:w:X:R:v")) != -1) {
		switch (c) {
		case 'i': iface = optarg; break;
		case 'F': prog1 = optarg; break;
		case 's': snaplen = atoi(optarg); break;
		case 'Q':
			dir = !strcmp(optarg, "in") ? BPFDEV_DIR_IN :
			      !strcmp(optarg, "out") ? BPFDEV_DIR_OUT : BPFDEV_DIR_INOUT;
			break;
		case 'p': promisc = 1; break;
		case 'B': ring_kib = atoi(optarg); break;
		case 'W':
			have_wakeup = 1;
			wcount = strtoul(optarg, &comma, 0);
			if (*comma == ',')
				wtimeout = strtoul(comma + 1, NULL, 0);
			break;
		case 'T':
			have_tstamp = 1;
			tstamp = !strcmp(optarg, "mono") ? BPFDEV_TSTAMP_MONOTONIC :
				 !strcmp(optarg, "skb") ? BPFDEV_TSTAMP_SKB : BPFDEV_TSTAMP_REALTIME;
			break;
		case 'r': use_read = 1; break;
		case 'c': count = atol(optarg); break;
		case 'd': duration = atol(optarg); break;
		case 'D': delay = atol(optarg); break;
		case 'w': out = optarg; break;
		case 'X':
			comma = strchr(optarg, ',');
			if (!comma)
				return 1;
			*comma = 0;
			prog2 = optarg;
			swap_ms = atol(comma + 1);
			break;
		case 'R': ready = optarg; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: see the header of captool.c\n");
			return 1;
		}
	}
	if (!iface) {
		fprintf(stderr, "captool: -i IFACE needed\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fd = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/bpf");
	if (ring_kib)
		set_u32(fd, BPFDEV_IOC_CAP_RING_SIZE, ring_kib * 1024, "ring size");
	if (snaplen)
		set_u32(fd, BPFDEV_IOC_CAP_SNAPLEN, snaplen, "snaplen");
	if (dir)
		set_u32(fd, BPFDEV_IOC_CAP_DIRECTION, dir, "direction");
	if (promisc)
		set_u32(fd, BPFDEV_IOC_CAP_PROMISC, 1, "promisc");
	if (have_tstamp)
		set_u32(fd, BPFDEV_IOC_CAP_TSTAMP, tstamp, "tstamp");
	if (have_wakeup) {
		struct bpfdev_cap_wakeup w = { wcount, wtimeout };

		if (ioctl(fd, BPFDEV_IOC_CAP_WAKEUP, &w))
			die("wakeup");
	}
	if (prog1) {
		p1 = load_ddd(prog1, &l1);
		set_filter(fd, p1, l1);
	}
	if (prog2)
		p2 = load_ddd(prog2, &l2);
	if (strspn(iface, "0123456789") == strlen(iface))
		b.ifindex = atoi(iface);
	else
		snprintf(b.ifname, sizeof(b.ifname), "%s", iface);
	if (ioctl(fd, BPFDEV_IOC_CAP_BIND, &b))
		die("bind");
	if (ioctl(fd, BPFDEV_IOC_CAP_GET_INFO, &info))
		die("info");
	if (out)
		pcap_open(out);
	if (use_read) {
		buf = malloc(info.ring_size);
		/* poll() decides when to read; read() must not block. */
		fcntl(fd, F_SETFL, O_NONBLOCK);
	} else {
		void *m = mmap(NULL, BPFDEV_RING_DATA_OFF + info.ring_size,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (m == MAP_FAILED)
			die("mmap");
		ctl = m;
		data = (uint8_t *)m + BPFDEV_RING_DATA_OFF;
		if (ctl->ring_size != info.ring_size || ctl->hdr_len != sizeof(struct bpfdev_cap_hdr)) {
			fprintf(stderr, "captool: control page disagrees with info\n");
			return 1;
		}
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f) {
			fprintf(f, "%u %u\n", info.linktype, info.ring_size);
			fclose(f);
		}
	}
	t0 = last_swap = now_ms();
	if (delay) {
		while (!stop && now_ms() - t0 < (uint64_t)delay)
			usleep(1000);
	}
	for (;;) {
		uint64_t max = count ? (uint64_t)count - records : UINT64_MAX;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int timeout = 100;

		if (stop || (count && records >= (uint64_t)count) ||
		    (duration && now_ms() - t0 >= (uint64_t)duration * 1000))
			break;
		if (p2 && now_ms() - last_swap >= (uint64_t)swap_ms) {
			which ^= 1;
			set_filter(fd, which ? p2 : p1, which ? l2 : l1);
			last_swap = now_ms();
			swaps++;
		}
		if (p2)
			timeout = swap_ms;
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			die("poll");
		if (use_read)
			drain_read(fd, buf, info.ring_size, max, &err);
		else
			drain_mmap(ctl, data, max);
		if (err || (pfd.revents & POLLERR)) {
			/* Take what is left, then report the error. */
			if (!use_read)
				drain_mmap(ctl, data, max);
			if (!err) {
				uint8_t tmp[64];

				if (read(fd, tmp, sizeof(tmp)) < 0)
					err = errno;
			}
			break;
		}
	}
	/* Drain: what was committed before we stopped. */
	if (!err && !(count && records >= (uint64_t)count)) {
		uint64_t max = count ? (uint64_t)count - records : UINT64_MAX;

		if (use_read) {
			int e = 0;

			while (drain_read(fd, buf, info.ring_size, max, &e) && !e)
				max = count ? (uint64_t)count - records : UINT64_MAX;
		} else {
			drain_mmap(ctl, data, max);
		}
	}
	if (ioctl(fd, BPFDEV_IOC_CAP_GET_STATS, &st))
		die("stats");
	if (pcap)
		fclose(pcap);
	if (swaps)
		printf("swaps %llu\n", (unsigned long long)swaps);
	if (err)
		fprintf(stderr, "captool: socket error: %s\n", strerror(err));
	printf("records %llu bytes %llu seen %llu accepted %llu delivered %llu dropped %llu\n",
	       (unsigned long long)records, (unsigned long long)bytes,
	       (unsigned long long)st.seen, (unsigned long long)st.accepted,
	       (unsigned long long)st.delivered, (unsigned long long)st.dropped);
	fflush(stdout);
	return err ? 3 : 0;
}
