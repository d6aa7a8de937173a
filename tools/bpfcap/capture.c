// SPDX-License-Identifier: GPL-2.0
/*
 * Live capture on /dev/bpf: configure the capture socket, attach the
 * classic filter libpcap compiled (or, when the kernel cannot run it,
 * accept everything and filter here), then read the mmap()ed ring
 * zero-copy, in batches: one poll() per wakeup, no other syscall per
 * packet.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/bpfdev.h>

#include "bpfcap.h"

#define BPFDEV_PATH	"/dev/bpf"
#define SLL2_HDR_LEN	20
/* Wakeups when not immediate: as libpcap's 1 s buffer timeout. */
#define BATCH_COUNT	256
#define BATCH_TIMEOUT_MS 1000
/* poll() timeout: how often the status line and -G get a look. */
#define POLL_MS		250

struct live {
	int			fd;
	struct bpfdev_cap_info	info;
	void			*map;
	size_t			map_len;
	const struct bpfdev_ring_ctl *ctl;
	const unsigned char	*data;
	int			dlt;
	uint32_t		netmask;
	/*
	 * Set when the kernel cannot run the filter (a cooked-header field,
	 * or a program longer than it takes): the socket keeps everything
	 * and the filter runs here.  user_rejected counts what it refused,
	 * so that "received by filter" still counts the filter's matches.
	 */
	struct bpfcap_filter	*user_filter;
	uint64_t		user_rejected;
	unsigned char		*sll2;		/* scratch for an SLL2 header + packet */
};

static int open_device(void)
{
	int fd = open(BPFDEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		bpfcap_err("%s: %s: the bpfdev module is not loaded (insmod kmod/bpfdev.ko)",
			   BPFDEV_PATH, strerror(errno));
		break;
	case EACCES:
	case EPERM:
		bpfcap_err("%s: %s: run as root, or load the module with devmode= to open it up",
			   BPFDEV_PATH, strerror(errno));
		break;
	default:
		bpfcap_err("%s: %s", BPFDEV_PATH, strerror(errno));
		break;
	}
	return -1;
}

static int dlt_of(u_int linktype)
{
	switch (linktype) {
	case BPFDEV_LINKTYPE_ETHERNET:
		return DLT_EN10MB;
	case BPFDEV_LINKTYPE_RAW:
		return DLT_RAW;
	case BPFDEV_LINKTYPE_LINUX_SLL2:
		return DLT_LINUX_SLL2;
	default:
		return -1;
	}
}

/*
 * libpcap's fix_offset() for cooked captures: the kernel's bytes start at
 * the network header, so payload offsets drop the SLL2 header and its
 * fields become ancillary loads.  Returns false when the program reads a
 * header field the kernel cannot give: it then runs here instead.
 */
static bool sll2_fix_program(struct bpf_program *prog)
{
	u_int i;

	for (i = 0; i < prog->bf_len; i++) {
		struct bpf_insn *p = &prog->bf_insns[i];
		u_int cls = BPF_CLASS(p->code), mode = BPF_MODE(p->code);

		if (cls != BPF_LD && cls != BPF_LDX)
			continue;
		if (mode != BPF_ABS && mode != BPF_IND && mode != BPF_MSH)
			continue;
		if (p->k >= (bpf_u_int32)SKF_AD_OFF)
			continue;
		if (p->k >= SLL2_HDR_LEN)
			p->k -= SLL2_HDR_LEN;
		else if (p->k == 0)
			p->k = SKF_AD_OFF + SKF_AD_PROTOCOL;
		else if (p->k == 4)
			p->k = SKF_AD_OFF + SKF_AD_IFINDEX;
		else if (p->k == 10)
			p->k = SKF_AD_OFF + SKF_AD_PKTTYPE;
		else if ((bpf_int32)p->k > 0)
			return false;
	}
	return true;
}

/* 0, or an errno with the kernel's reason in log; prints nothing. */
static int try_filter(struct live *l, const struct bpf_program *prog,
		      char *log, size_t log_size)
{
	struct bpfdev_cap_filter f = {
		.kind = prog ? BPFDEV_FILTER_CLASSIC : BPFDEV_FILTER_NONE,
		.len = prog ? prog->bf_len : 0,
		.insns = prog ? (__u64)(unsigned long)prog->bf_insns : 0,
		.log_buf = (__u64)(unsigned long)log,
		.log_size = log_size,
	};

	log[0] = '\0';
	return ioctl(l->fd, BPFDEV_IOC_CAP_SET_FILTER, &f) ? errno : 0;
}

static int set_filter(struct live *l, const struct bpf_program *prog)
{
	char log[256];
	int err = try_filter(l, prog, log, sizeof(log));

	if (err) {
		bpfcap_err("can't attach the filter: %s%s%s", strerror(err),
			   log[0] ? ": " : "", log);
		return -1;
	}
	return 0;
}

/*
 * The kernel keeps everything and expr's program, compiled again (prog
 * may hold the cooked fix-up), runs here: in our engine, or in libpcap's
 * bpf_filter() when longer than the engine takes.
 */
static int filter_in_userspace(struct live *l, const struct bpfcap_opts *o)
{
	struct bpf_program orig;

	if (bpfcap_filter_compile(&orig, o->expr, l->dlt, l->info.snaplen,
				  l->netmask, NULL))
		return -1;
	l->user_filter = bpfcap_filter_load(orig.bf_insns, orig.bf_len, o->jit);
	pcap_freecode(&orig);
	if (!l->user_filter)
		return -1;
	return set_filter(l, NULL);
}

static int bind_device(struct live *l, const char *name)
{
	struct bpfdev_cap_bind b = { 0 };

	if (strlen(name) >= sizeof(b.ifname)) {
		bpfcap_err("%s: No such device exists", name);
		return -1;
	}
	strcpy(b.ifname, name);
	if (!ioctl(l->fd, BPFDEV_IOC_CAP_BIND, &b))
		return 0;
	switch (errno) {
	case ENODEV:
	case ENXIO:
		bpfcap_err("%s: No such device exists\n(bind: %s)", name, strerror(errno));
		break;
	case EPERM:
	case EACCES:
		bpfcap_err("%s: You don't have permission to capture on that device\n(bind: %s)",
			   name, strerror(errno));
		break;
	case ENETDOWN:
		bpfcap_err("%s: That device is not up", name);
		break;
	default:
		bpfcap_err("%s: bind: %s", name, strerror(errno));
		break;
	}
	return -1;
}

static int setu32(struct live *l, unsigned long req, __u32 v, const char *what)
{
	if (!ioctl(l->fd, req, &v))
		return 0;
	bpfcap_err("can't set %s: %s", what, strerror(errno));
	return -1;
}

/* tcpdump's default device: the first that libpcap lists, not loopback. */
static char *default_device(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	char *name = NULL;

	if (pcap_findalldevs(&all, errbuf) || !all) {
		bpfcap_err("no interface to capture on; give one with -i");
		return NULL;
	}
	for (d = all; d; d = d->next) {
		if (d->flags & PCAP_IF_LOOPBACK || !strcmp(d->name, "any") ||
		    !if_nametoindex(d->name))
			continue;
		name = strdup(d->name);
		break;
	}
	pcap_freealldevs(all);
	if (!name)
		bpfcap_err("no suitable device found");
	return name;
}

static int configure(struct live *l, const struct bpfcap_opts *o, const char *dev)
{
	struct bpfdev_cap_wakeup w = { 0 };
	struct bpf_insn reject = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpf_program none = { .bf_len = 1, .bf_insns = &reject };
	bool any = !strcmp(dev, "any");

	if (o->buffer_kib &&
	    setu32(l, BPFDEV_IOC_CAP_RING_SIZE, (__u32)o->buffer_kib * 1024, "the buffer size"))
		return -1;
	if (setu32(l, BPFDEV_IOC_CAP_SNAPLEN, o->snaplen ? o->snaplen : BPFCAP_DEFAULT_SNAPLEN,
		   "the snapshot length"))
		return -1;
	if (o->direction != BPFCAP_DIR_INOUT &&
	    setu32(l, BPFDEV_IOC_CAP_DIRECTION,
		   o->direction == BPFCAP_DIR_IN ? BPFDEV_DIR_IN : BPFDEV_DIR_OUT,
		   "the direction"))
		return -1;
	if (o->immediate || (o->print && isatty(STDOUT_FILENO))) {
		w.count = 1;
	} else {
		w.count = BATCH_COUNT;
		w.timeout_ms = BATCH_TIMEOUT_MS;
	}
	if (ioctl(l->fd, BPFDEV_IOC_CAP_WAKEUP, &w)) {
		bpfcap_err("can't set the wakeup policy: %s", strerror(errno));
		return -1;
	}
	/* Nothing gets in before the real filter (its link type needs bind). */
	if (set_filter(l, &none))
		return -1;
	if (bind_device(l, dev))
		return -1;
	if (o->promisc && !any && setu32(l, BPFDEV_IOC_CAP_PROMISC, 1, "promiscuous mode"))
		return -1;
	if (ioctl(l->fd, BPFDEV_IOC_CAP_GET_INFO, &l->info)) {
		bpfcap_err("can't get the capture info: %s", strerror(errno));
		return -1;
	}
	l->dlt = dlt_of(l->info.linktype);
	if (l->dlt < 0) {
		bpfcap_err("%s: unsupported link type %u", dev, l->info.linktype);
		return -1;
	}
	return 0;
}

/* --ebpf: the socket runs the loaded program by fd. */
static int attach_ebpf(struct live *l, const struct bpfcap_opts *o)
{
	struct bpfdev_cap_filter f = { .kind = BPFDEV_FILTER_EBPF };

	f.prog_fd = bpfcap_ebpf_load(o->ebpf_obj);
	if (f.prog_fd < 0)
		return -1;
	if (ioctl(l->fd, BPFDEV_IOC_CAP_SET_FILTER, &f)) {
		bpfcap_err("--ebpf %s: can't attach: %s", o->ebpf_obj, strerror(errno));
		return -1;
	}
	if (ioctl(l->fd, BPFDEV_IOC_CAP_FLUSH)) {
		bpfcap_err("can't flush: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int attach(struct live *l, const struct bpfcap_opts *o, struct bpf_program *prog)
{
	char log[256];
	int err;

	if (o->ebpf_obj)
		return attach_ebpf(l, o);
	if (l->dlt == DLT_LINUX_SLL2 && !sll2_fix_program(prog)) {
		if (filter_in_userspace(l, o))
			return -1;
	} else if ((err = try_filter(l, o->expr || l->dlt == DLT_LINUX_SLL2 ? prog : NULL,
				     log, sizeof(log)))) {
		/*
		 * Too long for the kernel (BPF_MAXINSNS): filter here, as
		 * libpcap does when the kernel refuses, with its warning.
		 */
		if (err != EINVAL || prog->bf_len <= bpfcap_filter_max_insns()) {
			bpfcap_err("can't attach the filter: %s%s%s", strerror(err),
				   log[0] ? ": " : "", log);
			return -1;
		}
		fprintf(stderr, "Warning: Kernel filter failed: %s%s%s%s: filtering in userspace\n",
			strerror(err), log[0] ? " (" : "", log, log[0] ? ")" : "");
		if (filter_in_userspace(l, o))
			return -1;
	}
	if (ioctl(l->fd, BPFDEV_IOC_CAP_FLUSH)) {
		bpfcap_err("can't flush: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int map_ring(struct live *l)
{
	l->map_len = BPFDEV_RING_DATA_OFF + l->info.ring_size;
	l->map = mmap(NULL, l->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, l->fd, 0);
	if (l->map == MAP_FAILED) {
		bpfcap_err("can't map the ring: %s", strerror(errno));
		l->map = NULL;
		return -1;
	}
	l->ctl = l->map;
	l->data = (const unsigned char *)l->map + BPFDEV_RING_DATA_OFF;
	if (l->dlt == DLT_LINUX_SLL2) {
		l->sll2 = malloc(SLL2_HDR_LEN + l->info.snaplen);
		if (!l->sll2) {
			bpfcap_err("out of memory");
			return -1;
		}
	}
	return 0;
}

/* The cooked header libpcap builds for "any", from the record header. */
static void sll2_build(struct live *l, const struct bpfdev_cap_hdr *h,
		       const unsigned char *bytes, struct bpfcap_pkt *pkt)
{
	unsigned char *s = l->sll2;
	__u32 ifindex = htonl(h->ifindex);
	__u16 hatype = htons(h->hatype);

	memcpy(s, &h->protocol, 2);
	s[2] = s[3] = 0;
	memcpy(s + 4, &ifindex, 4);
	memcpy(s + 8, &hatype, 2);
	s[10] = h->pkt_type;
	s[11] = h->halen > 8 ? 8 : h->halen;
	memset(s + 12, 0, 8);
	memcpy(s + 12, h->addr, s[11]);
	memcpy(s + SLL2_HDR_LEN, bytes, h->caplen);
	pkt->data = s;
	pkt->caplen = h->caplen + SLL2_HDR_LEN;
	pkt->len = h->wirelen + SLL2_HDR_LEN;
}

/*
 * Everything the ring holds now, then one release of the consumer
 * position.  Returns 1 when -c (or -G -W) says stop, -1 on error.
 */
static int ring_drain(struct live *l, const struct bpfcap_opts *o)
{
	struct bpfdev_ring_ctl *ctl = (struct bpfdev_ring_ctl *)l->ctl;
	__u64 mask = l->info.ring_size - 1;
	__u64 cons = ctl->consumer;
	__u64 prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);
	int rc = 0;

	while (cons < prod && !rc) {
		const struct bpfdev_cap_hdr *h = (const void *)(l->data + (cons & mask));
		__u32 len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);

		if (len & BPFDEV_REC_BUSY)
			break;
		if (!(len & BPFDEV_REC_PAD)) {
			const unsigned char *bytes = (const unsigned char *)h + h->hdr_len;
			struct bpfcap_pkt pkt = {
				.ts.tv_sec = h->tstamp_ns / 1000000000ULL,
				.ts.tv_nsec = h->tstamp_ns % 1000000000ULL,
				.caplen = h->caplen,
				.len = h->wirelen,
				.data = bytes,
			};

			if (l->sll2)
				sll2_build(l, h, bytes, &pkt);
			if (!l->user_filter || bpfcap_filter_run(l->user_filter, &pkt))
				rc = bpfcap_deliver(o, &pkt);
			else
				l->user_rejected++;
		}
		if (!(len & BPFDEV_REC_LEN_MASK))
			break;	/* a corrupt record: never spin on it */
		cons += len & BPFDEV_REC_LEN_MASK;
	}
	__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
	return rc;
}

static void update_stats(struct live *l)
{
	struct bpfdev_cap_stats s;

	if (ioctl(l->fd, BPFDEV_IOC_CAP_GET_STATS, &s))
		return;
	/*
	 * Packets the ring had no room for were never filtered here: they
	 * count as received, as the kernel's filter would have seen them.
	 */
	bpfcap_stats.received = s.accepted - l->user_rejected;
	bpfcap_stats.dropped = s.dropped;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int capture_loop(struct live *l, const struct bpfcap_opts *o)
{
	struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
	/* The status line is one reader's: none with --fanout. */
	bool writing = o->wfile && strcmp(o->wfile, "-") && !o->fanout;
	uint64_t last = 0;
	int rc = 0;

	while (!bpfcap_stop) {
		rc = ring_drain(l, o);
		if (rc)
			break;
		/* Counters for the status: a few times a second, not per wakeup. */
		if (bpfcap_info || (writing && now_ms() - last >= POLL_MS)) {
			if (writing)
				last = now_ms();
			update_stats(l);
			bpfcap_status_tick(writing, false);
		}
		if (poll(&pfd, 1, POLL_MS) < 0) {
			if (errno == EINTR)
				continue;
			bpfcap_err("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd.revents & POLLERR) {
			ring_drain(l, o);
			ioctl(l->fd, BPFDEV_IOC_CAP_GET_INFO, &l->info);
			bpfcap_err("pcap_loop: The interface disappeared (%s)",
				   strerror(l->info.error ? -l->info.error : ENXIO));
			return -1;
		}
	}
	/* Stopped by a signal: what already arrived is still shown. */
	if (!rc && bpfcap_stop)
		rc = ring_drain(l, o);
	return rc < 0 ? -1 : 0;
}

static void print_listening(const struct bpfcap_opts *o, const struct live *l, const char *dev)
{
	const char *name = pcap_datalink_val_to_name(l->dlt);

	if (!o->vflag && !o->wfile)
		fprintf(stderr, "%s: verbose output suppressed, use -v[v]... for full protocol decode\n",
			bpfcap_prog);
	fprintf(stderr, "listening on %s, link-type %s (%s), snapshot length %u bytes\n",
		dev, name ? name : "?", pcap_datalink_val_to_description(l->dlt),
		l->info.snaplen);
}

int bpfcap_live(const struct bpfcap_opts *o)
{
	struct live l = { .fd = -1 };
	struct bpf_program prog = { 0 };
	char *dev = NULL;
	int ret = 1;

	dev = o->iface ? strdup(o->iface) : default_device();
	if (!dev)
		return 1;
	l.fd = open_device();
	if (l.fd < 0)
		goto out;
	if (configure(&l, o, dev))
		goto out;
	l.netmask = bpfcap_netmask(dev);
	if (bpfcap_filter_compile(&prog, o->expr, l.dlt, l.info.snaplen, l.netmask, NULL))
		goto out;
	if (o->dflag) {
		ret = bpfcap_filter_dump(prog.bf_insns, prog.bf_len, o->dflag) ? 1 : 0;
		goto out;
	}
	if (attach(&l, o, &prog) || map_ring(&l))
		goto out;
	/*
	 * Joined once the filter is in; the flush drops what the socket
	 * took alone before, which the group's other readers have too.
	 */
	if (o->fanout && (bpfcap_fanout_join(l.fd, o) || ioctl(l.fd, BPFDEV_IOC_CAP_FLUSH)))
		goto out;
	if (o->wfile && bpfcap_dump_open(o, l.dlt, l.info.snaplen))
		goto out;
	if (o->print)
		bpfcap_print_init(o, l.dlt, o->nano);
	if (!o->fanout_index)
		print_listening(o, &l, dev);

	ret = capture_loop(&l, o) ? 1 : 0;
	update_stats(&l);
	fflush(stdout);
	if (o->wfile)
		bpfcap_dump_close();
	bpfcap_status_done();
	if (o->fanout) {
		bpfcap_fanout_report();
	} else {
		if (bpfcap_stop)
			fputc('\n', stderr);
		bpfcap_stats_print(stderr);
	}
out:
	pcap_freecode(&prog);
	bpfcap_ebpf_close();
	bpfcap_filter_free(l.user_filter);
	free(l.sll2);
	if (l.map)
		munmap(l.map, l.map_len);
	if (l.fd >= 0)
		close(l.fd);
	free(dev);
	return ret;
}

/* -D: the devices, numbered, as tcpdump lists them. */
int bpfcap_list_ifaces(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	int i = 1;

	if (pcap_findalldevs(&all, errbuf)) {
		bpfcap_err("%s", errbuf);
		return 1;
	}
	for (d = all; d; d = d->next) {
		const char *sep = "";

		if (strcmp(d->name, "any") && !if_nametoindex(d->name))
			continue;	/* not a netdev: bpfdev cannot bind it */
		printf("%d.%s", i++, d->name);
		if (d->description)
			printf(" (%s)", d->description);
		printf(" [");
		if (d->flags & PCAP_IF_UP) {
			printf("%sUp", sep);
			sep = ", ";
		}
		if (d->flags & PCAP_IF_RUNNING) {
			printf("%sRunning", sep);
			sep = ", ";
		}
		if (d->flags & PCAP_IF_LOOPBACK) {
			printf("%sLoopback", sep);
			sep = ", ";
		}
		printf("]\n");
	}
	pcap_freealldevs(all);
	return 0;
}
