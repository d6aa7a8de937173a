// SPDX-License-Identifier: GPL-2.0
/*
 * bench_fanout: N reader threads of one interface, for the capture
 * benchmark (tools/bench/bench_capture_guest.sh), in the guest.
 *
 *   bench_fanout -k bpfdev|packet -i IFACE [-n readers] [-m hash|cpu|rr]
 *                [-B ring_kib] [-R readyfile]
 *
 * bpfdev: each thread has its own /dev/bpf socket bound to IFACE, joined
 * to one fanout group when n > 1, its ring mmap()ed and woken in batches
 * (4096 records or 100 ms, as captool in the benchmark).  packet: the
 * AF_PACKET peer, as high-rate readers use it: each thread a
 * TPACKET_V3 socket (blocks of 1 MiB, retired after 100 ms, as libpcap)
 * joined to a PACKET_FANOUT group.  Both count records and touch each
 * packet's first byte.  Runs until SIGINT/SIGTERM, then prints
 *   records N dropped N
 * summed over the readers (the kernel's counters: bpfdev's
 * delivered/dropped, AF_PACKET's PACKET_STATISTICS).
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/bpfdev.h>

#define MAX_READERS	16
#define TP_BLOCK	(1U << 20)

static volatile sig_atomic_t stop;
static const char *iface = "lo";
static unsigned int nreaders = 1, ring_kib = 4096, fmode;
static int use_packet;

struct reader {
	pthread_t	thread;
	int		fd;
	void		*map;
	size_t		map_len;
	uint32_t	ring_size;
	uint64_t	records, dropped;
	volatile uint8_t sink;
};

static struct reader readers[MAX_READERS];

static void on_signal(int sig)
{
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_fanout: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- bpfdev -------------------------------------------------------------- */

static void bpfdev_setup(struct reader *r)
{
	struct bpfdev_cap_wakeup w = { .count = 4096, .timeout_ms = 100 };
	struct bpfdev_cap_fanout j = { .id = 1, .mode = fmode };
	struct bpfdev_cap_bind b = { 0 };
	struct bpfdev_cap_info info;
	uint32_t ring = ring_kib * 1024;

	r->fd = open("/dev/bpf", O_RDWR | O_CLOEXEC);
	if (r->fd < 0)
		die("/dev/bpf");
	snprintf(b.ifname, sizeof(b.ifname), "%s", iface);
	if (ioctl(r->fd, BPFDEV_IOC_CAP_RING_SIZE, &ring) ||
	    ioctl(r->fd, BPFDEV_IOC_CAP_WAKEUP, &w) ||
	    ioctl(r->fd, BPFDEV_IOC_CAP_BIND, &b))
		die("bpfdev setup");
	if (nreaders > 1 && ioctl(r->fd, BPFDEV_IOC_CAP_FANOUT, &j))
		die("BPFDEV_IOC_CAP_FANOUT");
	if (ioctl(r->fd, BPFDEV_IOC_CAP_GET_INFO, &info))
		die("BPFDEV_IOC_CAP_GET_INFO");
	r->ring_size = info.ring_size;
	r->map_len = BPFDEV_RING_DATA_OFF + info.ring_size;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED)
		die("mmap");
}

static void bpfdev_drain(struct reader *r)
{
	struct bpfdev_ring_ctl *ctl = r->map;
	uint8_t *data = (uint8_t *)r->map + BPFDEV_RING_DATA_OFF;
	uint64_t cons = ctl->consumer;
	uint64_t prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);

	while (cons < prod) {
		struct bpfdev_cap_hdr *h = (void *)(data + (cons & (r->ring_size - 1)));
		uint32_t len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);

		if (len & BPFDEV_REC_BUSY)
			break;
		if (!(len & BPFDEV_REC_PAD)) {
			r->sink += *((uint8_t *)h + h->hdr_len);
			r->records++;
		}
		cons += len & BPFDEV_REC_LEN_MASK;
	}
	__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
}

static void bpfdev_finish(struct reader *r)
{
	struct bpfdev_cap_stats s = { 0 };

	bpfdev_drain(r);
	ioctl(r->fd, BPFDEV_IOC_CAP_GET_STATS, &s);
	r->dropped = s.dropped;
}

/* ---- AF_PACKET, TPACKET_V3 --------------------------------------------------- */

static void packet_setup(struct reader *r)
{
	static const int modes[] = { PACKET_FANOUT_HASH, PACKET_FANOUT_CPU, PACKET_FANOUT_LB };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct tpacket_req3 req = { 0 };
	int v = TPACKET_V3, fanout;

	r->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (r->fd < 0)
		die("AF_PACKET socket");
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)))
		die("PACKET_VERSION");
	req.tp_block_size = TP_BLOCK;
	req.tp_block_nr = ring_kib * 1024 / TP_BLOCK;
	req.tp_frame_size = 2048;
	req.tp_frame_nr = req.tp_block_size / req.tp_frame_size * req.tp_block_nr;
	req.tp_retire_blk_tov = 100;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		die("PACKET_RX_RING");
	r->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	r->ring_size = req.tp_block_nr;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED)
		die("mmap");
	sll.sll_ifindex = if_nametoindex(iface);
	if (!sll.sll_ifindex || bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	fanout = 1 | modes[fmode] << 16;
	if (nreaders > 1 && setsockopt(r->fd, SOL_PACKET, PACKET_FANOUT, &fanout, sizeof(fanout)))
		die("PACKET_FANOUT");
}

static void packet_drain(struct reader *r, unsigned int *blk)
{
	for (;;) {
		struct tpacket_block_desc *bd = (void *)((uint8_t *)r->map + (size_t)*blk * TP_BLOCK);
		struct tpacket3_hdr *h;
		uint32_t i, n;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return;
		n = bd->hdr.bh1.num_pkts;
		h = (void *)((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
		for (i = 0; i < n; i++) {
			r->sink += *((uint8_t *)h + h->tp_mac);
			r->records++;
			h = (void *)((uint8_t *)h + h->tp_next_offset);
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		*blk = (*blk + 1) % r->ring_size;
	}
}

static void packet_finish(struct reader *r, unsigned int *blk)
{
	struct tpacket_stats_v3 s = { 0 };
	socklen_t len = sizeof(s);

	packet_drain(r, blk);
	getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &s, &len);
	r->dropped = s.tp_drops;
}

/* ---- readers ------------------------------------------------------------------ */

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	unsigned int blk = 0;	/* AF_PACKET: the next block to read */

	while (!stop) {
		if (use_packet)
			packet_drain(r, &blk);
		else
			bpfdev_drain(r);
		poll(&pfd, 1, 100);
	}
	if (use_packet)
		packet_finish(r, &blk);
	else
		bpfdev_finish(r);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	uint64_t records = 0, dropped = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int i;
	int c;

	while ((c = getopt(argc, argv, "k:i:n:m:B:R:")) != -1) {
		switch (c) {
		case 'k':
			use_packet = !strcmp(optarg, "packet");
			break;
		case 'i':
			iface = optarg;
			break;
		case 'n':
			nreaders = atoi(optarg);
			break;
		case 'm':
			fmode = !strcmp(optarg, "cpu") ? BPFDEV_FANOUT_CPU :
				!strcmp(optarg, "rr") ? BPFDEV_FANOUT_RR : BPFDEV_FANOUT_HASH;
			break;
		case 'B':
			ring_kib = atoi(optarg);
			break;
		case 'R':
			ready = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench_fanout -k bpfdev|packet -i IFACE [-n N] [-m hash|cpu|rr] [-B KiB] [-R file]\n");
			return 1;
		}
	}
	if (!nreaders || nreaders > MAX_READERS || ring_kib < 1024) {
		fprintf(stderr, "bench_fanout: 1..%d readers, rings of at least 1024 KiB\n", MAX_READERS);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < nreaders; i++) {
		if (use_packet)
			packet_setup(&readers[i]);
		else
			bpfdev_setup(&readers[i]);
	}
	for (i = 0; i < nreaders; i++)
		pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]);
	if (ready)
		close(open(ready, O_CREAT | O_WRONLY, 0644));
	for (i = 0; i < nreaders; i++) {
		pthread_join(readers[i].thread, NULL);
		records += readers[i].records;
		dropped += readers[i].dropped;
	}
	printf("records %llu dropped %llu\n", (unsigned long long)records,
	       (unsigned long long)dropped);
	return 0;
}
