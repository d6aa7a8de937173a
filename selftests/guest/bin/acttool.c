// SPDX-License-Identifier: GPL-2.0
/*
 * acttool: action programs for the guest tests (t_53_action.sh), built
 * from instructions here (Ethernet + IPv4 (ihl 5) + UDP frames).
 *
 *   acttool attach DEV in|out PROG [-p PRIO] [-P] [-R READY]
 *	PROG: pass | drop | unspec | dropudp:PORT (else TC_ACT_UNSPEC) |
 *	      rewrite:FROM:TO (then TC_ACT_OK) |
 *	      redirect:DEV | redirect-in:DEV | mark:N |
 *	      cb:N (cb[0] = N, TC_ACT_UNSPEC) |
 *	      dropif:N (drop if mark and cb[0] are both N, else TC_ACT_UNSPEC) |
 *	      pinned:NAME (a program pinned as NAME, e.g. by bpfctl prog load)
 *	-P: persistent (BPFDEV_ACT_F_PERSIST), exits at once; else holds
 *	the link fd, writes READY once attached, detaches on SIGINT/SIGTERM
 *   acttool update DEV in|out PRIO PROG
 *   acttool detach DEV in|out PRIO
 *   acttool show DEV in|out		"prio P id I run R drop D" per program
 *   acttool swap DEV in|out PORT READY	counts UDP to PORT in map[0] with
 *	program A, map[1] with B, swapping them by UPDATE until SIGINT:
 *	prints "a A b B swaps S"
 *   acttool sendudp DEV DSTMAC SRCIP DSTIP PORT COUNT	UDP frames with
 *	full software checksums through an AF_PACKET socket
 *   acttool sendsyn DEV DSTMAC SRCIP DSTIP PORT COUNT	TCP SYNs the same way
 *
 * Exit status 0, or 1 with the error on stderr.
 */

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "objs.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void die(const char *what, long err)
{
	fprintf(stderr, "acttool: %s: %s\n", what, strerror(err < 0 ? -err : errno));
	exit(1);
}

static unsigned int ifindex_of(const char *dev)
{
	unsigned int i = if_nametoindex(dev);

	if (!i)
		die(dev, -ENODEV);
	return i;
}

static unsigned int dir_of(const char *s)
{
	if (!strcmp(s, "in"))
		return BPFDEV_ACT_INGRESS;
	if (!strcmp(s, "out"))
		return BPFDEV_ACT_EGRESS;
	fprintf(stderr, "acttool: direction %s: in or out\n", s);
	exit(2);
}

/*
 * r6 = ctx; if the frame is IPv4/UDP with dst port `port` (network order
 * in r7 as a 16-bit load gives it) fall through to what follows, else
 * return `other`.  14 + 20 + 8 bytes are checked against data_end.
 */
#define MATCH_UDP(port, other)							\
	MOV64_REG(6, 1),							\
	MOV64_IMM(0, other),						\
	LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, data)),			\
	LDX_MEM(BPF_W, 3, 1, offsetof(struct __sk_buff, data_end)),		\
	MOV64_REG(4, 2),							\
	ALU64_IMM(BPF_ADD, 4, 42),						\
	I(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 7, 0),				\
	LDX_MEM(BPF_H, 5, 2, 12),						\
	JMP_IMM(BPF_JNE, 5, htons(ETH_P_IP), 5),				\
	LDX_MEM(BPF_B, 5, 2, 23),						\
	JMP_IMM(BPF_JNE, 5, IPPROTO_UDP, 3),					\
	LDX_MEM(BPF_H, 7, 2, 36),						\
	JMP_IMM(BPF_JNE, 7, htons(port), 1),					\
	JMP_A(1),								\
	EXIT()

static int load(struct bpf_insn *insns, unsigned int n, const char *name)
{
	static char log[65536];
	long fd = prog_load_log(BPF_PROG_TYPE_SCHED_CLS, insns, n, name, log, sizeof(log));

	if (fd < 0) {
		fprintf(stderr, "%s", log);
		die("load", fd);
	}
	return fd;
}

static int prog_of(const char *spec)
{
	unsigned int a = 0, b = 0;
	char dev[IFNAMSIZ];

	if (!strcmp(spec, "pass") || !strcmp(spec, "drop") || !strcmp(spec, "unspec")) {
		struct bpf_insn p[] = {
			MOV64_IMM(0, spec[0] == 'p' ? TC_ACT_OK :
				     spec[0] == 'd' ? TC_ACT_SHOT : TC_ACT_UNSPEC),
			EXIT(),
		};
		return load(p, NINSNS(p), spec);
	}
	if (!strncmp(spec, "pinned:", 7)) {
		long fd = obj_get(spec + 7, 0);

		if (fd < 0)
			die(spec, fd);
		return fd;
	}
	if (sscanf(spec, "dropudp:%u", &a) == 1) {
		struct bpf_insn p[] = {
			MATCH_UDP(a, TC_ACT_UNSPEC), MOV64_IMM(0, TC_ACT_SHOT), EXIT(),
		};

		return load(p, NINSNS(p), "dropudp");
	}
	if (sscanf(spec, "mark:%u", &a) == 1) {
		struct bpf_insn p[] = {
			MOV64_IMM(2, a),
			STX_MEM(BPF_W, 1, 2, offsetof(struct __sk_buff, mark)),
			MOV64_IMM(0, TC_ACT_UNSPEC),
			EXIT(),
		};
		return load(p, NINSNS(p), "mark");
	}
	if (sscanf(spec, "cb:%u", &a) == 1) {
		/* writes cb[0], never reads it */
		struct bpf_insn p[] = {
			MOV64_IMM(2, a),
			STX_MEM(BPF_W, 1, 2, offsetof(struct __sk_buff, cb[0])),
			MOV64_IMM(0, TC_ACT_UNSPEC),
			EXIT(),
		};
		return load(p, NINSNS(p), "cb");
	}
	if (sscanf(spec, "dropif:%u", &a) == 1) {
		struct bpf_insn p[] = {
			LDX_MEM(BPF_W, 2, 1, offsetof(struct __sk_buff, mark)),
			LDX_MEM(BPF_W, 3, 1, offsetof(struct __sk_buff, cb[0])),
			MOV64_IMM(0, TC_ACT_UNSPEC),
			JMP_IMM(BPF_JNE, 2, a, 2),
			JMP_IMM(BPF_JNE, 3, a, 1),
			MOV64_IMM(0, TC_ACT_SHOT),
			EXIT(),
		};
		return load(p, NINSNS(p), "dropif");
	}
	if (sscanf(spec, "rewrite:%u:%u", &a, &b) == 2) {
		/* l4_csum_replace(ctx, 40, from, to, 2); skb_store_bytes(ctx, 36, &to, 2, 0) */
		struct bpf_insn p[] = {
			MATCH_UDP(a, TC_ACT_OK),
			MOV64_REG(1, 6),
			MOV64_IMM(2, 40),
			MOV64_IMM(3, htons(a)),
			MOV64_IMM(4, htons(b)),
			MOV64_IMM(5, 2),
			CALL(BPF_FUNC_l4_csum_replace),
			ST_MEM(BPF_H, 10, -8, htons(b)),
			MOV64_REG(1, 6),
			MOV64_IMM(2, 36),
			MOV64_REG(3, 10),
			ALU64_IMM(BPF_ADD, 3, -8),
			MOV64_IMM(4, 2),
			MOV64_IMM(5, 0),
			CALL(BPF_FUNC_skb_store_bytes),
			MOV64_IMM(0, TC_ACT_OK),
			EXIT(),
		};
		return load(p, NINSNS(p), "rewrite");
	}
	if (sscanf(spec, "redirect:%15s", dev) == 1 || sscanf(spec, "redirect-in:%15s", dev) == 1) {
		struct bpf_insn p[] = {
			MOV64_IMM(1, ifindex_of(dev)),
			MOV64_IMM(2, spec[8] == '-' ? BPF_F_INGRESS : 0),
			CALL(BPF_FUNC_redirect),
			EXIT(),
		};
		return load(p, NINSNS(p), "redirect");
	}
	fprintf(stderr, "acttool: unknown program %s\n", spec);
	exit(2);
}

/* A program adding 1 to map[idx] for each UDP frame to port, then TC_ACT_OK. */
static int counter_prog(int map, int idx, unsigned int port)
{
	struct bpf_insn p[] = {
		MATCH_UDP(port, TC_ACT_OK),
		ST_MEM(BPF_W, 10, -4, idx),
		LD_MAP_FD(1, map),
		MOV64_REG(2, 10),
		ALU64_IMM(BPF_ADD, 2, -4),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 2),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, 0),
		MOV64_IMM(0, TC_ACT_OK),
		EXIT(),
	};
	return load(p, NINSNS(p), idx ? "count_b" : "count_a");
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
}

static void wait_signal(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop)
		pause();
}

static int do_attach(int argc, char **argv)
{
	struct bpfdev_act_attach a = { 0 };
	const char *ready = NULL;
	long r;
	int i;

	if (argc < 5)
		return 2;
	a.ifindex = ifindex_of(argv[2]);
	a.dir = dir_of(argv[3]);
	a.prog_fd = prog_of(argv[4]);
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			a.prio = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-P"))
			a.flags |= BPFDEV_ACT_F_PERSIST;
		else if (!strcmp(argv[i], "-R") && i + 1 < argc)
			ready = argv[++i];
		else
			return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	r = ioctl_err(devfd, BPFDEV_IOC_ACT_ATTACH, &a);
	if (r < 0)
		die("attach", r);
	if (a.flags & BPFDEV_ACT_F_PERSIST)
		return 0;
	if (ready)
		touch(ready);
	wait_signal();
	close(r);
	return 0;
}

static int do_target(int argc, char **argv, unsigned long req)
{
	struct bpfdev_act_target t = { 0 };
	long r;

	if (argc < (req == BPFDEV_IOC_ACT_UPDATE ? 6 : 5))
		return 2;
	t.ifindex = ifindex_of(argv[2]);
	t.dir = dir_of(argv[3]);
	t.prio = atoi(argv[4]);
	if (req == BPFDEV_IOC_ACT_UPDATE)
		t.prog_fd = prog_of(argv[5]);
	r = ioctl_err(devfd, req, &t);
	if (r < 0)
		die(argv[1], r);
	return 0;
}

static int do_show(int argc, char **argv)
{
	struct bpfdev_act_info infos[64];
	struct bpfdev_act_query q = { 0 };
	unsigned int i;
	long r;

	if (argc < 4)
		return 2;
	q.ifindex = ifindex_of(argv[2]);
	q.dir = dir_of(argv[3]);
	q.count = 64;
	q.infos = (uintptr_t)infos;
	r = ioctl_err(devfd, BPFDEV_IOC_ACT_QUERY, &q);
	if (r < 0)
		die("query", r);
	for (i = 0; i < q.count; i++)
		printf("prio %u id %u run %llu drop %llu%s\n", infos[i].prio, infos[i].prog_id,
		       (unsigned long long)infos[i].run_cnt,
		       (unsigned long long)infos[i].drop_cnt,
		       infos[i].flags & BPFDEV_ACT_F_PERSIST ? " persist" : "");
	return 0;
}

static int do_swap(int argc, char **argv)
{
	struct bpfdev_act_attach a = { 0 };
	struct bpfdev_act_target t = { 0 };
	unsigned long long va = 0, vb = 0;
	unsigned int port, swaps = 0, k;
	int map, pa, pb;
	long link, r;

	if (argc < 6)
		return 2;
	port = atoi(argv[4]);
	map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	if (map < 0)
		die("map", map);
	pa = counter_prog(map, 0, port);
	pb = counter_prog(map, 1, port);
	a.ifindex = t.ifindex = ifindex_of(argv[2]);
	a.dir = t.dir = dir_of(argv[3]);
	a.prog_fd = pa;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	link = ioctl_err(devfd, BPFDEV_IOC_ACT_ATTACH, &a);
	if (link < 0)
		die("attach", link);
	t.prio = 1;
	touch(argv[5]);
	while (!stop) {
		struct timespec ts = { 0, 200000 };

		t.prog_fd = (swaps & 1) ? pa : pb;
		r = ioctl_err(devfd, BPFDEV_IOC_ACT_UPDATE, &t);
		if (r < 0)
			die("update", r);
		swaps++;
		nanosleep(&ts, NULL);
	}
	close(link);
	k = 0;
	map_lookup(map, &k, &va);
	k = 1;
	map_lookup(map, &k, &vb);
	printf("a %llu b %llu swaps %u\n", va, vb, swaps);
	return 0;
}

static unsigned short csum_fold32(unsigned int sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static unsigned int csum_add_bytes(unsigned int sum, const unsigned char *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/* Ethernet + IPv4 + UDP (32 bytes of payload) or TCP SYN, sums in software. */
static int do_send(int argc, char **argv, bool syn)
{
	unsigned char f[14 + 20 + 8 + 32];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned int mac[6], i, n, port, sum, l4len = syn ? 20 : 8 + 32;
	struct in_addr src, dst;
	unsigned char *l4 = f + 34;
	int fd;

	if (argc < 8 || sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2],
			       &mac[3], &mac[4], &mac[5]) != 6 ||
	    inet_pton(AF_INET, argv[4], &src) != 1 || inet_pton(AF_INET, argv[5], &dst) != 1)
		return 2;
	port = atoi(argv[6]);
	n = atoi(argv[7]);
	memset(f, 0, sizeof(f));
	for (i = 0; i < 6; i++)
		f[i] = mac[i];
	f[6] = 0x02;
	f[11] = 0x01;
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 20 + l4len;
	f[22] = 64;
	f[23] = syn ? IPPROTO_TCP : IPPROTO_UDP;
	memcpy(f + 26, &src, 4);
	memcpy(f + 30, &dst, 4);
	sum = csum_fold32(csum_add_bytes(0, f + 14, 20));
	f[24] = sum >> 8;
	f[25] = sum;
	l4[0] = 0x9c;	/* source port 40000 */
	l4[1] = 0x40;
	l4[2] = port >> 8;
	l4[3] = port;
	if (syn) {
		l4[7] = 1;	/* sequence number */
		l4[12] = 5 << 4;	/* data offset */
		l4[13] = 0x02;	/* SYN */
		l4[14] = 0xff;	/* window */
	} else {
		l4[5] = l4len;
		memset(l4 + 8, 'u', 32);
	}
	/* pseudo header: addresses, protocol, transport length */
	sum = csum_add_bytes(0, f + 26, 8) + f[23] + l4len;
	sum = csum_fold32(csum_add_bytes(sum, l4, l4len));
	l4[syn ? 16 : 6] = sum >> 8;
	l4[syn ? 17 : 7] = sum;
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket", 0);
	sll.sll_ifindex = ifindex_of(argv[2]);
	sll.sll_halen = 6;
	for (i = 0; i < n; i++)
		if (sendto(fd, f, 34 + l4len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
			die("sendto", 0);
	printf("sent %u\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	int r = 2;

	if (argc < 2)
		goto usage;
	if (strncmp(argv[1], "send", 4))
		objs_init();
	if (!strcmp(argv[1], "attach"))
		r = do_attach(argc, argv);
	else if (!strcmp(argv[1], "update"))
		r = do_target(argc, argv, BPFDEV_IOC_ACT_UPDATE);
	else if (!strcmp(argv[1], "detach"))
		r = do_target(argc, argv, BPFDEV_IOC_ACT_DETACH);
	else if (!strcmp(argv[1], "show"))
		r = do_show(argc, argv);
	else if (!strcmp(argv[1], "swap"))
		r = do_swap(argc, argv);
	else if (!strcmp(argv[1], "sendudp"))
		r = do_send(argc, argv, false);
	else if (!strcmp(argv[1], "sendsyn"))
		r = do_send(argc, argv, true);
	if (r != 2)
		return r;
usage:
	fprintf(stderr, "usage: see the top of selftests/guest/bin/acttool.c\n");
	return 2;
}
