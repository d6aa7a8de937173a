// SPDX-License-Identifier: GPL-2.0
/*
 * Fanout groups (BPFDEV_IOC_CAP_FANOUT) on loopback, in a network
 * namespace of our own so every packet is ours and counts are exact:
 * hash mode keeps both directions of a flow on one member, the members'
 * counts add up to the group's, cpu and round-robin modes, a program
 * choosing the member, members joining and leaving under traffic with
 * every packet delivered once or counted dropped, a member leaving
 * to capture alone again, a group's first and last member missing
 * nothing while it comes and goes, a vanished device's group id free
 * again, "any", and the errors.
 *
 * Each datagram carries a sequence number, so a record is identified
 * wherever it lands.  Loopback packets are captured once, at ingress.
 */

#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>

#include "guest.h"
#include "sys.h"

#define L4	(14 + 20)	/* UDP header in a loopback record */
#define NFLOW	16
#define PORT0	7100		/* flow i: PORT0 + 2i <-> PORT0 + 2i + 1 */
#define MAXSEQ	(1 << 21)

static int flow_fd[2 * NFLOW];
static uint32_t seq;

static int udp_bound(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), small = 4096;

	/* Nobody reads these: a small buffer drops early, after the hook. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

/* One datagram from port from to port to, size bytes, the next seq first. */
static int send_one(int from_fd, int to, int size)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(to),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[1500] = { 0 };

	memcpy(buf, &seq, sizeof(seq));
	if (sendto(from_fd, buf, size, 0, (struct sockaddr *)&a, sizeof(a)) != size)
		return -1;
	seq++;
	return 0;
}

/* Flow f, one way (dir 0) or the other. */
static int send_flow(int f, int dir, int size)
{
	int a = 2 * f + dir, b = 2 * f + !dir;

	return send_one(flow_fd[a], PORT0 + b, size);
}

static void pin_cpu(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

struct member {
	int fd;
	uint8_t *map;
	uint32_t size;
};

static int open_rejecting;	/* member_open() sets a reject-all filter first */
static long reject_all(int fd, int on);

static int member_open(struct member *m, const char *ifname, uint32_t ring)
{
	struct bpfdev_cap_bind b = { 0 };
	struct bpfdev_cap_info i = { 0 };

	m->fd = bpfdev_open();
	m->map = NULL;
	if (m->fd < 0 || (open_rejecting && reject_all(m->fd, 1)))
		return -1;
	if (ring && ioctl(m->fd, BPFDEV_IOC_CAP_RING_SIZE, &ring))
		return -1;
	snprintf(b.ifname, sizeof(b.ifname), "%s", ifname);
	if (ioctl(m->fd, BPFDEV_IOC_CAP_BIND, &b) || ioctl(m->fd, BPFDEV_IOC_CAP_GET_INFO, &i))
		return -1;
	m->size = i.ring_size;
	m->map = mmap(NULL, BPFDEV_RING_DATA_OFF + m->size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, m->fd, 0);
	return m->map == MAP_FAILED ? -1 : 0;
}

static void member_close(struct member *m)
{
	if (m->map && m->map != MAP_FAILED)
		munmap(m->map, BPFDEV_RING_DATA_OFF + m->size);
	close(m->fd);
}

/* 1: a filter that rejects everything; 0: none. */
static long reject_all(int fd, int on)
{
	struct sock_filter ret0 = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpfdev_cap_filter f = {
		.kind = on ? BPFDEV_FILTER_CLASSIC : BPFDEV_FILTER_NONE,
		.len = on, .insns = (uintptr_t)&ret0,
	};

	return ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

static long join(int fd, uint32_t id, uint32_t mode, int prog_fd)
{
	struct bpfdev_cap_fanout j = { .id = id, .mode = mode, .prog_fd = prog_fd };

	return ioctl_err(fd, BPFDEV_IOC_CAP_FANOUT, &j);
}

static struct bpfdev_cap_fanout_stats group_stats(int fd)
{
	struct bpfdev_cap_fanout_stats s = { 0 };

	ioctl(fd, BPFDEV_IOC_CAP_FANOUT_STATS, &s);
	return s;
}

static struct bpfdev_cap_stats sock_stats(int fd)
{
	struct bpfdev_cap_stats s = { 0 };

	ioctl(fd, BPFDEV_IOC_CAP_GET_STATS, &s);
	return s;
}

/* What one member's ring held. */
struct tally {
	int records, flows[NFLOW], bad;
	uint32_t wirelen_mod_bad;	/* records whose wirelen % n != index */
};

static uint8_t *seen_seq;	/* MAXSEQ counters: records per seq, all members */

/* Consumes m's records: counts them per flow and per seq. */
static void drain(struct member *m, struct tally *t, int mod, int index)
{
	struct bpfdev_ring_ctl *ctl = (void *)m->map;
	uint8_t *data = m->map + BPFDEV_RING_DATA_OFF;
	uint64_t cons = ctl->consumer;
	uint64_t prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);

	while (cons < prod) {
		struct bpfdev_cap_hdr *h = (void *)(data + (cons & (m->size - 1)));
		uint32_t len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);
		const uint8_t *d = (const uint8_t *)h + h->hdr_len;

		if (len & BPFDEV_REC_BUSY)
			break;
		cons += len & BPFDEV_REC_LEN_MASK;
		if (len & BPFDEV_REC_PAD)
			continue;
		t->records++;
		if (h->caplen < L4 + 12) {
			t->bad++;
			continue;
		}
		{
			int sp = d[L4] << 8 | d[L4 + 1], dp = d[L4 + 2] << 8 | d[L4 + 3];
			int lo = sp < dp ? sp : dp;
			uint32_t s;

			memcpy(&s, d + L4 + 8, sizeof(s));
			if (lo < PORT0 || lo >= PORT0 + 2 * NFLOW || s >= MAXSEQ) {
				t->bad++;
				continue;
			}
			t->flows[(lo - PORT0) / 2]++;
			if (seen_seq[s] < 255)
				seen_seq[s]++;
		}
		if (mod && h->wirelen % mod != (uint32_t)index)
			t->wirelen_mod_bad++;
	}
	__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
}

/* Sequence numbers [from, to) seen once each, and none twice. */
static void seq_count(uint32_t from, uint32_t to, int *once, int *dup)
{
	uint32_t s;

	*once = *dup = 0;
	for (s = from; s < to && s < MAXSEQ; s++) {
		if (seen_seq[s] == 1)
			(*once)++;
		else if (seen_seq[s] > 1)
			(*dup)++;
	}
}

static void reset_seen(void)
{
	memset(seen_seq, 0, MAXSEQ);
}

/*
 * Packets the backlog dropped before any hook saw them, on every CPU
 * (the second column of /proc/net/softnet_stat): a sender faster than
 * the softirq loses some there, and they were never offered.
 */
static uint64_t backlog_drops(void)
{
	FILE *f = fopen("/proc/net/softnet_stat", "r");
	unsigned int processed, dropped;
	uint64_t n = 0;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			n += dropped;
	fclose(f);
	return n;
}

static void test_errors(void)
{
	struct bpfdev_cap_fanout j = { .id = 1 };
	struct bpfdev_cap_fanout_stats fs;
	struct member a, b;
	int fd = bpfdev_open(), pfd[2];

	ok_eq(join(fd, 1, BPFDEV_FANOUT_HASH, 0), -ENOTCONN, "join before bind gives ENOTCONN");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL), -ENOENT,
	      "leave without a group gives ENOENT");
	ok_eq(ioctl_err(fd, BPFDEV_IOC_CAP_FANOUT_STATS, &fs), -ENOENT,
	      "group stats without a group give ENOENT");
	close(fd);
	if (member_open(&a, "lo", 65536) || member_open(&b, "any", 65536))
		tap_bail("capture sockets on lo and any: %s", strerror(errno));
	j.flags = 1;
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_FANOUT, &j), -EINVAL, "join with flags gives EINVAL");
	ok_eq(join(a.fd, 1, 4, 0), -EINVAL, "an unknown mode gives EINVAL");
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_EBPF, 0), -EINVAL, "program mode without a program gives EINVAL");
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_HASH, 3), -EINVAL, "a program outside program mode gives EINVAL");
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_EBPF, -1), -EBADF, "program mode with a bad fd gives EBADF");
	if (pipe(pfd) == 0) {
		ok_eq(join(a.fd, 1, BPFDEV_FANOUT_EBPF, pfd[0]), -EINVAL,
		      "program mode with an fd that is no program gives EINVAL");
		close(pfd[0]);
		close(pfd[1]);
	}
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_HASH, 0), 0, "join group 1 (hash, lo)");
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_HASH, 0), -EALREADY, "joining again gives EALREADY");
	ok_eq(join(b.fd, 1, BPFDEV_FANOUT_HASH, 0), -EINVAL,
	      "a member bound elsewhere (any) gives EINVAL");
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL), 0, "leave");
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL), -ENOENT, "leaving again gives ENOENT");
	ok_eq(join(a.fd, 1, BPFDEV_FANOUT_CPU, 0), 0, "the group went with its last member: made again in cpu mode");
	ok_eq(join(b.fd, 1, BPFDEV_FANOUT_HASH, 0), -EINVAL, "another mode gives EINVAL");
	{
		struct bpfdev_cap_bind bb = { .ifname = "lo" };

		ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_BIND, &bb), -EBUSY, "binding a member again gives EBUSY");
	}
	fs = group_stats(a.fd);
	ok(fs.id == 1 && fs.mode == BPFDEV_FANOUT_CPU && fs.members == 1 && fs.index == 0,
	   "group stats: id 1, cpu mode, one member at index 0");
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_UNBIND, NULL), 0, "unbind leaves the group");
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_FANOUT_STATS, &fs), -ENOENT, "and it has no group then");
	member_close(&a);
	member_close(&b);
}

/* BPFDEV_FANOUT_MAX members, then one more. */
static void test_full(void)
{
	static struct member m[BPFDEV_FANOUT_MAX + 1];
	int i, n = 0, err = 0;

	for (i = 0; i <= BPFDEV_FANOUT_MAX; i++)
		if (member_open(&m[i], "lo", 65536))
			break;
	if (i <= BPFDEV_FANOUT_MAX) {
		tap_skip("too few capture sockets", "a full group gives ENOSPC");
		n = i;
		goto out;
	}
	n = i;
	for (i = 0; i < BPFDEV_FANOUT_MAX; i++) {
		err = join(m[i].fd, 2, BPFDEV_FANOUT_RR, 0);
		if (err)
			break;
	}
	ok_eq(join(m[BPFDEV_FANOUT_MAX].fd, 2, BPFDEV_FANOUT_RR, 0), -ENOSPC,
	      "%d members joined (last %ld); one more gives ENOSPC", i, (long)err);
out:
	for (i = 0; i < n; i++)
		member_close(&m[i]);
}

static void test_hash(void)
{
	struct member m[3];
	struct tally t[3];
	struct bpfdev_cap_fanout_stats fs;
	struct bpfdev_cap_stats s;
	uint64_t sum_seen = 0, sum_deliv = 0;
	uint32_t first = seq;
	int i, f, r, spread = 1, used = 0, once, dup;

	for (i = 0; i < 3; i++)
		if (member_open(&m[i], "lo", 0) || join(m[i].fd, 3, BPFDEV_FANOUT_HASH, 0))
			tap_bail("three members of a hash group: %s", strerror(errno));
	reset_seen();
	for (r = 0; r < 10; r++)
		for (f = 0; f < NFLOW; f++) {
			send_flow(f, 0, 60);
			send_flow(f, 1, 60);
		}
	memset(t, 0, sizeof(t));
	for (i = 0; i < 3; i++)
		drain(&m[i], &t[i], 0, 0);
	for (f = 0; f < NFLOW; f++) {
		int holders = 0, total = 0;

		for (i = 0; i < 3; i++) {
			holders += !!t[i].flows[f];
			total += t[i].flows[f];
		}
		if (holders != 1 || total != 20)
			spread = 0;
	}
	for (i = 0; i < 3; i++)
		used += !!t[i].records;
	ok(spread, "hash: each flow's 20 packets, both directions, on one member");
	ok(used >= 2, "hash: %d flows spread over %d of 3 members (%d %d %d)", NFLOW, used,
	   t[0].records, t[1].records, t[2].records);
	seq_count(first, seq, &once, &dup);
	ok(once == (int)(seq - first) && !dup && !t[0].bad && !t[1].bad && !t[2].bad,
	   "hash: every packet on exactly one member (%d of %u, %d twice)", once, seq - first, dup);
	fs = group_stats(m[0].fd);
	for (i = 0; i < 3; i++) {
		s = sock_stats(m[i].fd);
		sum_seen += s.seen;
		sum_deliv += s.delivered;
	}
	ok(fs.members == 3 && fs.group.seen == seq - first && fs.group.delivered == seq - first &&
	   !fs.group.dropped && sum_seen == fs.group.seen && sum_deliv == fs.group.delivered,
	   "hash: group counts %llu seen %llu delivered = the members' sum (%llu, %llu) = sent %u",
	   (unsigned long long)fs.group.seen, (unsigned long long)fs.group.delivered,
	   (unsigned long long)sum_seen, (unsigned long long)sum_deliv, seq - first);
	for (i = 0; i < 3; i++)
		member_close(&m[i]);
}

static void test_cpu_rr(void)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), i, k;
	struct member m[2];
	struct tally t[2];
	struct bpfdev_cap_fanout_stats fs[2];

	for (i = 0; i < 2; i++)
		if (member_open(&m[i], "lo", 0) || join(m[i].fd, 4, BPFDEV_FANOUT_CPU, 0))
			tap_bail("two members of a cpu group: %s", strerror(errno));
	fs[0] = group_stats(m[0].fd);
	fs[1] = group_stats(m[1].fd);
	for (k = 0; k < 2 && k < ncpu; k++) {
		pin_cpu(k);
		for (i = 0; i < 10; i++)
			send_flow(0, 0, 60);
		memset(t, 0, sizeof(t));
		drain(&m[0], &t[0], 0, 0);
		drain(&m[1], &t[1], 0, 0);
		ok(t[fs[0].index == (uint32_t)k ? 0 : 1].records == 10 &&
		   t[0].records + t[1].records == 10,
		   "cpu: 10 packets sent on CPU %d all on member %d (%d, %d)", k, k,
		   t[0].records, t[1].records);
	}
	if (ncpu < 2)
		tap_skip("one CPU", "cpu: packets on CPU 1 on member 1");
	for (i = 0; i < 2; i++)
		member_close(&m[i]);

	for (i = 0; i < 2; i++)
		if (member_open(&m[i], "lo", 0) || join(m[i].fd, 5, BPFDEV_FANOUT_RR, 0))
			tap_bail("two members of a round-robin group: %s", strerror(errno));
	pin_cpu(0);
	for (i = 0; i < 10; i++)
		send_flow(1, 0, 60);
	memset(t, 0, sizeof(t));
	drain(&m[0], &t[0], 0, 0);
	drain(&m[1], &t[1], 0, 0);
	ok(t[0].records == 5 && t[1].records == 5,
	   "round robin: 10 packets from one CPU, 5 on each member (%d, %d)",
	   t[0].records, t[1].records);
	for (i = 0; i < 2; i++)
		member_close(&m[i]);
	{
		cpu_set_t all;

		CPU_ZERO(&all);
		for (i = 0; i < ncpu; i++)
			CPU_SET(i, &all);
		sched_setaffinity(0, sizeof(all), &all);
	}
}

/* r0 = skb->len: the member is the packet's length modulo the members. */
static int load_len_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_W | BPF_MEM, .dst_reg = 0, .src_reg = 1,
		  .off = offsetof(struct __sk_buff, len) },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;
	int dev = bpfdev_open();
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)"GPL";
	fd = bpfdev_call(dev, BPF_PROG_LOAD, &attr, sizeof(attr));
	close(dev);
	return fd;
}

static void test_ebpf(void)
{
	int prog = load_len_prog(), other = load_len_prog(), i, size, bad = 0, total = 0;
	struct member m[3];
	struct tally t[3];
	uint32_t idx[3];

	if (prog < 0 || other < 0) {
		tap_skip("BPF_PROG_LOAD refused a socket filter", "program mode");
		tap_skip("BPF_PROG_LOAD refused a socket filter", "program mode: another program");
		return;
	}
	for (i = 0; i < 3; i++) {
		if (member_open(&m[i], "lo", 0) || join(m[i].fd, 6, BPFDEV_FANOUT_EBPF, prog))
			tap_bail("three members of a program group: %s", strerror(errno));
		idx[i] = group_stats(m[i].fd).index;
	}
	for (size = 20; size < 50; size++)
		send_flow(2, 0, size);
	memset(t, 0, sizeof(t));
	for (i = 0; i < 3; i++) {
		drain(&m[i], &t[i], 3, idx[i]);
		bad += t[i].wirelen_mod_bad;
		total += t[i].records;
	}
	ok(total == 30 && !bad && t[0].records == 10 && t[1].records == 10,
	   "program mode: 30 packets, each on the member its length modulo 3 names (%d %d %d, %d misplaced)",
	   t[0].records, t[1].records, t[2].records, bad);
	{
		struct member x;

		if (!member_open(&x, "lo", 65536)) {
			ok_eq(join(x.fd, 6, BPFDEV_FANOUT_EBPF, other), -EINVAL,
			      "program mode: joining with another program gives EINVAL");
			member_close(&x);
		}
	}
	for (i = 0; i < 3; i++)
		member_close(&m[i]);
	close(prog);
	close(other);
}

/*
 * Traffic for 1.5 s from a child (on cpu, or anywhere for -1) while the
 * test joins and leaves; sender_wait() gives how many packets it sent,
 * numbered from first.
 */
struct sender {
	pid_t pid;
	int pfd[2];
};

static void sender_start(struct sender *s, uint32_t first, int cpu)
{
	if (pipe(s->pfd))
		tap_bail("pipe: %s", strerror(errno));
	s->pid = fork();
	if (!s->pid) {
		uint64_t end = now_ms() + 1500;
		uint32_t sent;
		int f = 0;

		if (cpu >= 0)
			pin_cpu(cpu);
		while (now_ms() < end) {
			send_flow(f, f & 1, 60);
			f = (f + 1) % NFLOW;
		}
		sent = seq - first;
		if (write(s->pfd[1], &sent, sizeof(sent)) != sizeof(sent))
			_exit(1);
		_exit(0);
	}
}

static uint32_t sender_wait(struct sender *s)
{
	uint32_t sent;
	int status;

	waitpid(s->pid, &status, 0);
	if (read(s->pfd[0], &sent, sizeof(sent)) != sizeof(sent))
		sent = 0;
	close(s->pfd[0]);
	close(s->pfd[1]);
	return sent;
}

/*
 * A sender runs in a child; members join and leave (unbind: the records
 * stay readable) meanwhile.  Every packet the group was offered is on
 * exactly one member or counted dropped or rejected by the one it went
 * to.  A joiner is bound first and would capture alone until it joins:
 * it rejects everything until then (as bpfcap does), and takes all once
 * it is a member.
 */
static void test_churn(void)
{
	struct member m[4];
	struct tally t[4];
	struct bpfdev_cap_fanout_stats fs;
	uint64_t delivered = 0;
	int i, once, dup;
	uint32_t first = seq, sent;
	struct sender snd;
	uint64_t lost;

	for (i = 0; i < 4; i++) {
		open_rejecting = i > 0;
		if (member_open(&m[i], "lo", i == 3 ? 65536 : 0))
			tap_bail("capture sockets: %s", strerror(errno));
	}
	open_rejecting = 0;
	if (join(m[0].fd, 7, BPFDEV_FANOUT_HASH, 0))
		tap_bail("the first member: %s", strerror(errno));
	reset_seen();
	lost = backlog_drops();
	sender_start(&snd, first, -1);
	usleep(150000);
	ok(!join(m[1].fd, 7, BPFDEV_FANOUT_HASH, 0) && !reject_all(m[1].fd, 0),
	   "churn: a second member joins under traffic");
	usleep(150000);
	ok(!join(m[2].fd, 7, BPFDEV_FANOUT_HASH, 0) && !reject_all(m[2].fd, 0),
	   "churn: a third joins");
	usleep(150000);
	ok_eq(ioctl_err(m[1].fd, BPFDEV_IOC_CAP_UNBIND, NULL), 0, "churn: the second leaves (unbind)");
	usleep(150000);
	ok(!join(m[3].fd, 7, BPFDEV_FANOUT_HASH, 0) && !reject_all(m[3].fd, 0),
	   "churn: a fourth (a 64 KiB ring) joins");
	usleep(150000);
	ok_eq(ioctl_err(m[2].fd, BPFDEV_IOC_CAP_UNBIND, NULL), 0, "churn: the third leaves");
	sent = sender_wait(&snd);
	lost = backlog_drops() - lost;
	fs = group_stats(m[0].fd);
	memset(t, 0, sizeof(t));
	for (i = 0; i < 4; i++) {
		drain(&m[i], &t[i], 0, 0);
		delivered += t[i].records;
	}
	seq_count(first, first + sent, &once, &dup);
	/* a packet every ~7 ms around each of the five steps (the debug kernel sends ~650) */
	ok(sent > 200, "churn: %u packets sent in 1.5 s", sent);
	ok(!dup && once == (int)delivered && fs.group.delivered == delivered,
	   "churn: %llu records, %d packets once, %d twice; the group counted %llu delivered",
	   (unsigned long long)delivered, once, dup, (unsigned long long)fs.group.delivered);
	ok(fs.group.delivered + fs.group.dropped == fs.group.accepted &&
	   fs.group.seen == sent - lost,
	   "churn: delivered %llu + dropped %llu + rejected %llu = seen %llu = sent %u - %llu lost before the hook",
	   (unsigned long long)fs.group.delivered, (unsigned long long)fs.group.dropped,
	   (unsigned long long)(fs.group.seen - fs.group.accepted),
	   (unsigned long long)fs.group.seen, sent, (unsigned long long)lost);
	seq += sent;
	for (i = 0; i < 4; i++)
		member_close(&m[i]);
}

/* A member that leaves is offered every packet again; the group is not. */
static void test_leave_alone(void)
{
	struct member m[2];
	struct tally t[2];
	struct bpfdev_cap_fanout_stats before, after;
	int i;

	for (i = 0; i < 2; i++)
		if (member_open(&m[i], "lo", 0) || join(m[i].fd, 8, BPFDEV_FANOUT_RR, 0))
			tap_bail("two members: %s", strerror(errno));
	ok_eq(ioctl_err(m[1].fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL), 0, "leave, staying bound");
	before = group_stats(m[0].fd);
	for (i = 0; i < 10; i++)
		send_flow(3, 0, 60);
	after = group_stats(m[0].fd);
	memset(t, 0, sizeof(t));
	drain(&m[0], &t[0], 0, 0);
	drain(&m[1], &t[1], 0, 0);
	ok(t[0].records == 10 && t[1].records == 10 && after.members == 1 &&
	   after.group.delivered - before.group.delivered == 10,
	   "the one who left captures alone (%d), the last member gets all (%d), the group counted 10",
	   t[1].records, t[0].records);
	for (i = 0; i < 2; i++)
		member_close(&m[i]);
}

/*
 * A group's first member joining and its last leaving under traffic, a
 * few times over: the socket is offered every packet that reached the
 * hook exactly once, through its group or alone (the group used to sit
 * on the tap empty, and the socket off it, for a grace period each way).
 */
static void test_first_last(void)
{
	struct bpfdev_cap_stats st;
	struct member m;
	struct tally t;
	int i, once, dup, joins = 0;
	uint32_t first = seq, sent;
	struct sender snd;
	uint64_t lost;

	if (member_open(&m, "lo", 16 << 20))
		tap_bail("a capture socket: %s", strerror(errno));
	reset_seen();
	lost = backlog_drops();
	sender_start(&snd, first, 1);
	pin_cpu(0);
	for (i = 0; i < 8; i++) {
		usleep(60000);
		joins += !join(m.fd, 10, BPFDEV_FANOUT_HASH, 0);
		usleep(60000);
		joins += !ioctl_err(m.fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL);
	}
	sent = sender_wait(&snd);
	lost = backlog_drops() - lost;
	st = sock_stats(m.fd);
	memset(&t, 0, sizeof(t));
	drain(&m, &t, 0, 0);
	seq_count(first, first + sent, &once, &dup);
	/* traffic around each join and leave (the debug kernel sends ~800) */
	ok(joins == 16 && sent > 200, "first/last: 8 joins and leaves as the only member, %u packets sent",
	   sent);
	ok(st.seen == sent - lost && !dup && once == t.records &&
	   t.records + st.dropped == st.seen,
	   "first/last: offered %llu = sent %u - %llu lost before the hook; %d records, %d twice, %llu dropped",
	   (unsigned long long)st.seen, sent, (unsigned long long)lost, t.records, dup,
	   (unsigned long long)st.dropped);
	seq += sent;
	member_close(&m);
}

/* A group whose device vanished gives its id up; its member reads ENXIO. */
static void test_dev_gone(void)
{
	struct bpfdev_cap_info info = { 0 };
	struct member a, b;

	/*
	 * Without IPv6 (this is our namespace) the pair sends nothing: the
	 * bind below and the deletion flip the egress keys (lo has none),
	 * which must not happen while packets pass (lib.sh, keys_hold).
	 */
	if (system("modprobe veth 2>/dev/null; "
		   "echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 && "
		   "/usr/bin/ip link add fo0 type veth peer name fo1 && "
		   "/usr/bin/ip link set fo0 up && /usr/bin/ip link set fo1 up")) {
		tap_skip("no veth", "dev gone: a group on a device that vanishes");
		return;
	}
	if (member_open(&a, "fo0", 0) || join(a.fd, 11, BPFDEV_FANOUT_HASH, 0))
		tap_bail("a member on fo0: %s", strerror(errno));
	ok_eq(system("/usr/bin/ip link del fo0"), 0, "dev gone: fo0 deleted under its group");
	ioctl(a.fd, BPFDEV_IOC_CAP_GET_INFO, &info);
	ok(info.error == -ENXIO, "dev gone: the member reads ENXIO (%d)", info.error);
	if (member_open(&b, "lo", 0))
		tap_bail("a socket on lo: %s", strerror(errno));
	ok_eq(join(b.fd, 11, BPFDEV_FANOUT_HASH, 0), 0,
	      "dev gone: its id makes a new group on lo while the old one has a member");
	ok_eq(ioctl_err(a.fd, BPFDEV_IOC_CAP_FANOUT_LEAVE, NULL), 0, "dev gone: the member leaves");
	ok(group_stats(b.fd).members == 1, "dev gone: the new group keeps its member");
	member_close(&a);
	member_close(&b);
}

static void test_any(void)
{
	struct member m[2];
	struct tally t[2];
	int i, f, ok_flows = 1;

	for (i = 0; i < 2; i++)
		if (member_open(&m[i], "any", 0) || join(m[i].fd, 9, BPFDEV_FANOUT_HASH, 0))
			tap_bail("two members on any: %s", strerror(errno));
	for (f = 0; f < NFLOW; f++) {
		send_flow(f, 0, 60);
		send_flow(f, 1, 60);
	}
	memset(t, 0, sizeof(t));
	/* "any" records start at the network header: shift by the Ethernet header. */
	for (i = 0; i < 2; i++) {
		struct bpfdev_ring_ctl *ctl = (void *)m[i].map;
		uint8_t *data = m[i].map + BPFDEV_RING_DATA_OFF;
		uint64_t cons = ctl->consumer, prod = ctl->producer;

		while (cons < prod) {
			struct bpfdev_cap_hdr *h = (void *)(data + (cons & (m[i].size - 1)));
			const uint8_t *d = (const uint8_t *)h + h->hdr_len;
			uint32_t len = h->rec_len;

			cons += len & BPFDEV_REC_LEN_MASK;
			if (len & BPFDEV_REC_PAD || h->caplen < 24)
				continue;
			t[i].records++;
			{
				int sp = d[20] << 8 | d[21], dp = d[22] << 8 | d[23];
				int lo = sp < dp ? sp : dp;

				if (lo >= PORT0 && lo < PORT0 + 2 * NFLOW)
					t[i].flows[(lo - PORT0) / 2]++;
			}
		}
		ctl->consumer = cons;
	}
	for (f = 0; f < NFLOW; f++)
		if (!!t[0].flows[f] + !!t[1].flows[f] != 1 || t[0].flows[f] + t[1].flows[f] != 2)
			ok_flows = 0;
	ok(ok_flows && t[0].records + t[1].records == 2 * NFLOW,
	   "any: each flow's two directions on one member (%d, %d)", t[0].records, t[1].records);
	for (i = 0; i < 2; i++)
		member_close(&m[i]);
}

int main(void)
{
	int i;

	tap_plan(0);
	if (unshare(CLONE_NEWNET) || lo_up())
		tap_bail("a network namespace with lo up: %s", strerror(errno));
	seen_seq = calloc(MAXSEQ, 1);
	for (i = 0; i < 2 * NFLOW; i++) {
		flow_fd[i] = udp_bound(PORT0 + i);
		if (flow_fd[i] < 0)
			tap_bail("UDP sockets: %s", strerror(errno));
	}
	test_errors();
	test_full();
	test_hash();
	test_cpu_rr();
	test_ebpf();
	test_churn();
	test_leave_alone();
	test_first_last();
	test_dev_gone();
	test_any();
	return tap_done();
}
