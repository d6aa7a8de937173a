// SPDX-License-Identifier: GPL-2.0
/*
 * Faults under load (issue 15, item 5).  While UDP flows over veth pairs
 * from a network namespace, capture rings are read (mmap and read()), a
 * filter is swapped, maps are stressed and programs run (PROG_TEST_RUN),
 * these faults are injected:
 *   - module unload, refused while anything is open or mapped;
 *   - a device deleted, and one moved to another namespace, with readers
 *     blocked in read() and poll() (they wake with ENXIO) and a mapped
 *     ring being read;
 *   - a namespace exiting under a bound socket (ip netns del), and a
 *     process killed inside its own namespace with sockets bound there,
 *     readers blocked and a forked child sharing its mapped rings;
 *   - an fd closed by one thread while another reads it;
 *   - fork() with a mapped ring: the child reads on after the parent
 *     closed and unmapped.
 * Afterwards nothing hangs, the live-object counters are 0, rmmod works
 * (and bpfdev is loaded again), and the kernel logged no report.
 * BPFDEV_FAULTS_SECONDS (default 1) is how long load runs before each
 * fault: raise it for long runs on the debug kernel.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/userfaultfd.h>

#include "objs.h"
#include "sys.h"

#define IP		"/usr/bin/ip"
#define RING		(256U << 10)
#define MAPLEN		(BPFDEV_RING_DATA_OFF + RING)
#define WAKE_MS		5000	/* a blocked reader must wake within this */
#define IPV6_DFLT	"/proc/sys/net/ipv6/conf/default/disable_ipv6"

static int secs = 1;
static volatile int stop_load;

/* Runs a shell command line: its exit status. */
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Says which fault is under way, on stderr: unbuffered, kept by the harness. */
static void phase(const char *what)
{
	fprintf(stderr, "t_93_faults: %s\n", what);
}

static void load_sleep(int n)
{
	struct timespec ts = { n, 0 };

	nanosleep(&ts, NULL);
}

static void ms_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* UDP from namespace ns to dst, until killed: the sender's pid. */
static pid_t sender(const char *ns, const char *dst)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execl(IP, "ip", "netns", "exec", ns, "pktsend", "udp", dst,
		      "9000", "64", "1000000000", "50", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static const struct sock_filter accept_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0x40000),
};

static const struct sock_filter reject_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static const struct sock_filter udp_only[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 3),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 128),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static long set_classic(int fd, const struct sock_filter *p, unsigned int n)
{
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC,
		.len = n,
		.insns = (uintptr_t)p,
	};

	return ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

#define SET_CLASSIC(fd, p)	set_classic(fd, p, NINSNS(p))

/*
 * A capture socket with a small ring, its filter and binding (ifname, or
 * "any"); its ring mmap()ed into *map when map is given.  fd or -errno.
 */
static int cap_open(const char *ifname, const struct sock_filter *p,
		    unsigned int n, void **map)
{
	struct bpfdev_cap_bind b = { 0 };
	__u32 ring = RING;
	int fd = bpfdev_open();
	long err;

	if (fd < 0)
		return -errno;
	strncpy(b.ifname, ifname, sizeof(b.ifname) - 1);
	err = ioctl_err(fd, BPFDEV_IOC_CAP_RING_SIZE, &ring);
	if (!err && p)
		err = set_classic(fd, p, n);
	if (!err)
		err = ioctl_err(fd, BPFDEV_IOC_CAP_BIND, &b);
	if (!err && map) {
		*map = mmap(NULL, MAPLEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (*map == MAP_FAILED)
			err = -errno;
	}
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

#define CAP_OPEN(ifname, p, map)	cap_open(ifname, p, NINSNS(p), map)

/* Consumes every complete record of a mapped ring: how many. */
static long ring_consume(void *map)
{
	struct bpfdev_ring_ctl *ctl = map;
	unsigned char *data = (unsigned char *)map + BPFDEV_RING_DATA_OFF;
	__u64 cons = ctl->consumer;
	__u64 prod = __atomic_load_n(&ctl->producer, __ATOMIC_ACQUIRE);
	long n = 0;

	while (cons != prod) {
		struct bpfdev_cap_hdr *h = (void *)(data + (cons & (RING - 1)));
		__u32 len = __atomic_load_n(&h->rec_len, __ATOMIC_ACQUIRE);

		if (len & BPFDEV_REC_BUSY)
			break;
		len &= BPFDEV_REC_LEN_MASK;
		if (!len)
			break;
		cons += len;
		n++;
	}
	__atomic_store_n(&ctl->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

/* ---- background load ------------------------------------------------- */

struct load {
	int		mmap_fd, read_fd, ebpf_fd, prog_fd, map_fd;
	void		*map;
	long		records, reads, updates, runs, swaps;
	pthread_t	th[5];
};

static void *load_mmap(void *arg)
{
	struct load *l = arg;
	struct pollfd p = { .fd = l->mmap_fd, .events = POLLIN };

	while (!stop_load) {
		if (poll(&p, 1, 100) < 0)
			break;
		l->records += ring_consume(l->map);
	}
	return NULL;
}

static void *load_read(void *arg)
{
	struct load *l = arg;
	static char buf[RING];
	struct pollfd p = { .fd = l->read_fd, .events = POLLIN };

	while (!stop_load) {
		poll(&p, 1, 100);
		if (read(l->read_fd, buf, sizeof(buf)) > 0)
			l->reads++;
	}
	return NULL;
}

/* Non-blocking reads of the "any" socket with the eBPF filter. */
static void *load_ebpf(void *arg)
{
	struct load *l = arg;
	static char buf2[RING];
	struct pollfd p = { .fd = l->ebpf_fd, .events = POLLIN };

	while (!stop_load) {
		poll(&p, 1, 100);
		if (read(l->ebpf_fd, buf2, sizeof(buf2)) > 0)
			l->reads++;
	}
	return NULL;
}

static void *load_maps(void *arg)
{
	struct load *l = arg;
	__u32 key = 0;
	__u64 val;

	while (!stop_load) {
		long tmp = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0);

		for (int i = 0; i < 64; i++, key++) {
			val = key;
			map_update(l->map_fd, &key, &val, BPF_ANY);
			map_lookup(l->map_fd, &key, &val);
			if (key & 1)
				map_delete(l->map_fd, &key);
			l->updates++;
		}
		key %= 1024;
		if (tmp >= 0)
			close(tmp);
		ms_sleep(1);
	}
	return NULL;
}

static void *load_run(void *arg)
{
	struct load *l = arg;
	__u32 retval, duration;
	int flip = 0;

	while (!stop_load) {
		prog_run(l->prog_fd, 16, &retval, &duration);
		l->runs++;
		/* swap the read() socket's filter under traffic */
		if (flip ^= 1)
			SET_CLASSIC(l->read_fd, udp_only);
		else
			SET_CLASSIC(l->read_fd, accept_all);
		l->swaps++;
		ms_sleep(1);
	}
	return NULL;
}

static int load_start(struct load *l)
{
	long map = map_create(BPF_MAP_TYPE_HASH, 4, 8, 1024, 0);
	struct bpf_insn prog[] = {
		/* count packets in the hash map: lookup key 0, add 1 */
		ST_MEM(BPF_W, 10, -4, 0),
		MOV64_REG(2, 10),
		ALU64_IMM(BPF_ADD, 2, -4),
		LD_MAP_FD(1, map),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 2),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, 0),
		MOV64_IMM(0, 96),
		EXIT(),
	};
	struct bpfdev_cap_filter f = { .kind = BPFDEV_FILTER_EBPF };
	struct bpfdev_cap_bind any = { .ifname = "any" };
	__u32 key = 0;
	__u64 zero = 0;

	memset(l, 0, sizeof(*l));
	l->map_fd = map;
	l->prog_fd = map < 0 ? -1 : prog_load(prog, NINSNS(prog));
	if (l->prog_fd < 0)
		return -1;
	map_update(map, &key, &zero, BPF_ANY);
	l->mmap_fd = CAP_OPEN("fa0", accept_all, &l->map);
	l->read_fd = CAP_OPEN("fa0", udp_only, NULL);
	l->ebpf_fd = bpfdev_open();
	f.prog_fd = l->prog_fd;
	if (l->mmap_fd < 0 || l->read_fd < 0 || l->ebpf_fd < 0 ||
	    ioctl_err(l->ebpf_fd, BPFDEV_IOC_CAP_SET_FILTER, &f) ||
	    ioctl_err(l->ebpf_fd, BPFDEV_IOC_CAP_BIND, &any))
		return -1;
	fcntl(l->ebpf_fd, F_SETFL, O_NONBLOCK);
	fcntl(l->read_fd, F_SETFL, O_NONBLOCK);
	pthread_create(&l->th[0], NULL, load_mmap, l);
	pthread_create(&l->th[1], NULL, load_read, l);
	pthread_create(&l->th[2], NULL, load_ebpf, l);
	pthread_create(&l->th[3], NULL, load_maps, l);
	pthread_create(&l->th[4], NULL, load_run, l);
	return 0;
}

static void load_stop(struct load *l)
{
	stop_load = 1;
	for (int i = 0; i < 5; i++)
		pthread_join(l->th[i], NULL);
	munmap(l->map, MAPLEN);
	close(l->mmap_fd);
	close(l->read_fd);
	close(l->ebpf_fd);
	close(l->prog_fd);
	close(l->map_fd);
}

/* ---- blocked readers ------------------------------------------------- */

struct waiter {
	int		fd;
	int		use_poll;
	volatile int	done;
	int		err;	/* errno of the read that ended it */
	short		revents;
	pthread_t	th;
};

/* Blocks in read() (or poll() then read()) until one fails. */
static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	char *buf = malloc(RING);

	for (;;) {
		if (w->use_poll) {
			struct pollfd p = { .fd = w->fd, .events = POLLIN };

			if (poll(&p, 1, -1) < 0) {
				w->err = errno;
				break;
			}
			w->revents |= p.revents;
			if (p.revents & POLLERR) {
				fcntl(w->fd, F_SETFL, O_NONBLOCK);
				while (read(w->fd, buf, sizeof(buf)) > 0)
					;
				w->err = errno;
				break;
			}
		}
		if (read(w->fd, buf, sizeof(buf)) < 0) {
			w->err = errno;
			break;
		}
	}
	free(buf);
	w->done = 1;
	return NULL;
}

static void waiter_start(struct waiter *w, int fd, int use_poll)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->use_poll = use_poll;
	pthread_create(&w->th, NULL, waiter_main, w);
}

/* Waits up to WAKE_MS for w to end: its errno, or -1 if it still blocks. */
static int waiter_end(struct waiter *w)
{
	uint64_t t0 = now_ms();

	while (!w->done && now_ms() - t0 < WAKE_MS)
		ms_sleep(10);
	if (!w->done)
		return -1;
	pthread_join(w->th, NULL);
	return w->err;
}

static long cap_error(int fd)
{
	struct bpfdev_cap_info i = { 0 };

	if (ioctl_err(fd, BPFDEV_IOC_CAP_GET_INFO, &i))
		return 1;
	return i.error;
}

/* ---- the faults ------------------------------------------------------ */

/* The kernel log's line count. */
static long dmesg_lines(void)
{
	FILE *f = popen("dmesg | wc -l", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

/* The capture sockets and rings alive (debugfs objects), or -1. */
static long live_captures(void)
{
	char name[32];
	long v, n = 0;
	FILE *f = fopen(OBJECTS_PATH, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &v) == 2)
		if (!strcmp(name, "captures") || !strcmp(name, "rings"))
			n += v;
	fclose(f);
	return n;
}

static int mod_loaded(void)
{
	return !sh("grep -q '^bpfdev ' /proc/modules");
}

/* delete_module(O_NONBLOCK): 0 or errno. */
static int try_unload(void)
{
	return syscall(SYS_delete_module, "bpfdev", O_NONBLOCK) ? errno : 0;
}

struct churn {
	const char	*dev;
	volatile int	stop;
	long		binds;
	pthread_t	th;
};

/* Sockets bound to dev, mapped and closed again, until told to stop. */
static void *churn_main(void *arg)
{
	struct churn *c = arg;

	while (!c->stop) {
		void *map = NULL;
		int fd = cap_open(c->dev, udp_only, NINSNS(udp_only), &map);

		if (fd < 0) {
			ms_sleep(5);
			continue;
		}
		c->binds++;
		ring_consume(map);
		munmap(map, MAPLEN);
		close(fd);
	}
	return NULL;
}

/*
 * Device dev (the init-namespace end of a pair with peer in fb, sender
 * running) ends by cmd: a reader blocked in read() and one in poll(),
 * both behind a reject-all filter, a mapped ring being read, and a
 * thread binding, mapping and closing sockets on dev throughout.
 */
static void device_fault(const char *what, const char *dev, const char *cmd)
{
	struct waiter r, p;
	void *map = NULL;
	int rfd = CAP_OPEN(dev, reject_all, NULL);
	int pfd = CAP_OPEN(dev, reject_all, NULL);
	int mfd = CAP_OPEN(dev, accept_all, &map);
	struct churn ch = { .dev = dev };
	int er, ep, merr = 0;

	if (rfd < 0 || pfd < 0 || mfd < 0) {
		tap_diag("%s: sockets on %s: %d %d %d", what, dev, rfd, pfd, mfd);
		ok(0, "%s: readers blocked in read() and poll() wake with ENXIO", what);
		ok(0, "%s: the mapped ring's socket reports ENXIO", what);
		return;
	}
	waiter_start(&r, rfd, 0);
	waiter_start(&p, pfd, 1);
	pthread_create(&ch.th, NULL, churn_main, &ch);
	load_sleep(secs);
	ring_consume(map);
	sh("%s", cmd);
	er = waiter_end(&r);
	ep = waiter_end(&p);
	ch.stop = 1;
	pthread_join(ch.th, NULL);
	tap_diag("%s: %ld sockets bound and closed meanwhile", what, ch.binds);
	for (int i = 0; i < 100 && !merr; i++) {
		ring_consume(map);
		merr = cap_error(mfd);
		ms_sleep(10);
	}
	ok(er == ENXIO && ep == ENXIO,
	   "%s: readers blocked in read() and poll() wake with ENXIO (%s, %s%s)",
	   what, er < 0 ? "still blocked" : strerror(er),
	   ep < 0 ? "still blocked" : strerror(ep),
	   p.revents & POLLERR ? ", POLLERR" : "");
	ok(merr == -ENXIO, "%s: the mapped ring's socket reports ENXIO (%d)", what, merr);
	/* a reader that never woke holds its fd: leave it, the counters tell */
	if (er >= 0)
		close(rfd);
	if (ep >= 0)
		close(pfd);
	munmap(map, MAPLEN);
	close(mfd);
}

/*
 * No IPv6 on the devices made in ns (NULL: the root namespace) from now
 * on: its chatter (MLD, DAD, router solicitations) would be traffic when
 * the first socket binds and when the last one goes (see fork_mapped()).
 */
static int no_ipv6(const char *ns)
{
	return sh("%s%s echo 1 >" IPV6_DFLT, ns ? IP " netns exec " : "", ns ? ns : "");
}

/*
 * A veth pair, a in the root namespace as 10.net.0.1, b in ns as
 * 10.net.0.2, both up, with each other's address as permanent
 * neighbours: no ARP either, so the senders' packets are the only ones.
 */
static int add_pair(const char *a, const char *b, const char *ns, int net)
{
	return no_ipv6(ns) ||
	       sh(IP " link add %s address 02:00:00:00:%02x:01 type veth "
		  "peer name %s address 02:00:00:00:%02x:02 && "
		  IP " link set %s netns %s", a, net, b, net, b, ns) ||
	       sh(IP " addr add 10.%d.0.1/24 dev %s && " IP " link set %s up && "
		  IP " neigh replace 10.%d.0.2 lladdr 02:00:00:00:%02x:02 dev %s nud permanent",
		  net, a, a, net, net, a) ||
	       sh(IP " -n %s addr add 10.%d.0.2/24 dev %s && " IP " -n %s link set %s up && "
		  IP " -n %s neigh replace 10.%d.0.1 lladdr 02:00:00:00:%02x:01 dev %s nud permanent",
		  ns, net, b, ns, b, ns, net, net, b);
}

/*
 * A child in a namespace of its own: captures on its lo and a veth there
 * with readers blocked, UDP to itself, a grandchild sharing the mapped
 * rings; then both are killed.  Returns 0 when both were reaped in time.
 */
static int netns_child(void)
{
	uint64_t t0;
	pid_t pid = fork(), gc;
	int st;

	if (pid == 0) {
		struct waiter w[2];
		void *m1 = NULL, *m2 = NULL;
		int a, b;

		setpgid(0, 0);
		if (unshare(CLONE_NEWNET) || lo_up() || no_ipv6(NULL) ||
		    sh(IP " link add na0 type veth peer name na1 && "
		       IP " link set na0 up && " IP " link set na1 up"))
			_exit(1);
		a = CAP_OPEN("lo", accept_all, &m1);
		b = CAP_OPEN("na0", reject_all, &m2);
		if (a < 0 || b < 0)
			_exit(2);
		waiter_start(&w[0], a, 1);
		waiter_start(&w[1], b, 0);
		if (fork() == 0) {
			/* the grandchild reads the shared rings until killed */
			for (;;) {
				ring_consume(m1);
				ms_sleep(5);
			}
		}
		execl("/bpfdev/bin/pktsend", "pktsend", "udp", "127.0.0.1",
		      "9000", "64", "1000000000", "50", (char *)NULL);
		_exit(3);
	}
	if (pid < 0)
		return -1;
	setpgid(pid, pid);
	load_sleep(secs);
	/*
	 * The whole group, child and grandchild (reparented to us, the
	 * subreaper, once the child is gone): each must be reaped in time.
	 */
	kill(-pid, SIGKILL);
	t0 = now_ms();
	while (now_ms() - t0 < WAKE_MS) {
		gc = waitpid(-pid, &st, WNOHANG);
		if (gc < 0 && errno == ECHILD)
			return 0;
		if (gc <= 0)
			ms_sleep(10);
	}
	return -1;
}

/*
 * Closes fd from this thread while another reads it in a loop: the read
 * under way holds the file, the reader's next read() fails (EBADF, or
 * another errno when the load's threads got the number meanwhile).
 * The reader's errno, or -1 if it never ended.
 */
static int close_mid_read(void)
{
	struct waiter w;
	int fd = CAP_OPEN("fa0", accept_all, NULL);

	if (fd < 0)
		return -1;
	waiter_start(&w, fd, 0);
	ms_sleep(200);
	close(fd);
	return waiter_end(&w);
}

/*
 * No netdev static key goes 0 -> 1 or 1 -> 0 here while UDP flows: the
 * load (whose "any" socket taps every device) is bound before the first
 * sender starts, and the last socket goes after the last sender stops.
 * Patching the ingress key under traffic takes a TCG guest down without
 * bpfdev: selftests/vm/static-key-toggle tc (the ingress qdisc added and
 * deleted under UDP, sch_ingress and veth the only modules) hit
 * "Oops: int3" at __netif_receive_skb_core+0xe7 on the stock 6.12 kernel
 * within seconds, the crash this test's fork step used to meet.  Socket
 * releases under traffic are still tested: device_fault() unbinds and
 * closes them while the load holds the keys.  The devices send nothing
 * of their own (no IPv6, permanent neighbours: add_pair()), or the first
 * bind and the last close would still meet their packets.
 */

/*
 * fork() with the ring mapped: the parent closes and unmaps at once, the
 * child reads on through its copy of the mapping, which keeps the socket
 * alive (and the module in use).  fd was bound while the load held the
 * keys; the child lets go only once the sender (*snd, reaped here) has
 * stopped.  1 if the child read records after the parent let go;
 * *refused the unload errno meanwhile.
 */
static int fork_mapped(int fd, void *map, pid_t *snd, int *refused)
{
	int st, go[2], got[2];
	pid_t pid;
	char c = 0;

	if (fd < 0 || pipe(go) || pipe(got))
		return 0;
	pid = fork();
	if (pid == 0) {
		long n = 0;

		close(fd);
		read(go[0], &c, 1);	/* the parent let go */
		ring_consume(map);
		for (int i = 0; i < 100 && !n; i++) {
			ms_sleep(20);
			n = ring_consume(map);
		}
		write(got[1], n > 0 ? "y" : "n", 1);
		read(go[0], &c, 1);	/* the traffic stopped */
		_exit(n > 0 ? 0 : 1);
	}
	munmap(map, MAPLEN);
	close(fd);
	*refused = try_unload();
	write(go[1], "x", 1);
	if (pid > 0)
		read(got[0], &c, 1);
	reap(*snd);
	*snd = -1;
	ms_sleep(100);	/* what it sent last has been received */
	write(go[1], "x", 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 0;
	close(go[0]);
	close(go[1]);
	close(got[0]);
	close(got[1]);
	return WIFEXITED(st) && !WEXITSTATUS(st);
}

/*
 * A prog array's last fd closed while MAP_UPDATE_ELEM stores in it a
 * program that tail-calls through it.  The command takes the array from
 * its fd and then copies the value in; the value lies on a page under
 * userfaultfd, so the store waits there, past the fd, until the close
 * has emptied the array.  A store that lands after that would leave
 * array and program holding each other with nobody able to reach either.
 * 1 when nothing is left, 0 when something is, -1 without userfaultfd
 * (the debug kernel has none).
 */
struct parray_store {
	int	map;
	__u32	*val;
	long	err;
};

static void *parray_store_main(void *arg)
{
	struct parray_store *p = arg;
	__u32 key = 0;

	p->err = map_update(p->map, &key, p->val, BPF_ANY);
	return NULL;
}

static int parray_close_under_store(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_copy copy = { 0 };
	struct uffd_msg msg;
	struct parray_store p = { .map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0) };
	struct bpf_insn insns[] = {
		LD_MAP_FD(2, p.map),
		MOV64_IMM(3, 0),
		CALL(BPF_FUNC_tail_call),
		MOV64_IMM(0, 0),
		EXIT(),
	};
	static __u32 src[1024] __attribute__((aligned(4096)));
	long prog = p.map < 0 ? -1 : prog_load(insns, NINSNS(insns));
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	pthread_t th;
	int left;

	p.val = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)p.val;
	reg.range.len = 4096;
	if (uffd < 0 || prog < 0 || p.val == MAP_FAILED ||
	    ioctl(uffd, UFFDIO_API, &api) || ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    pthread_create(&th, NULL, parray_store_main, &p)) {
		/* nothing of ours may stay open: the counters are checked next */
		if (uffd >= 0)
			close(uffd);
		if (prog >= 0)
			close(prog);
		if (p.map >= 0)
			close(p.map);
		return -1;
	}
	/* the store has the array and waits for its value */
	if (read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		tap_diag("prog array: no fault event from userfaultfd");
	close(p.map);
	src[0] = prog;
	copy.dst = (uintptr_t)p.val;
	copy.src = (uintptr_t)src;
	copy.len = 4096;
	ioctl(uffd, UFFDIO_COPY, &copy);
	pthread_join(th, NULL);
	close(prog);
	close(uffd);
	munmap(p.val, 4096);
	left = !live_zero();
	tap_diag("prog array: the store returned %ld; live after it:", p.err);
	live_diag();
	return !left;
}

int main(void)
{
	const char *env = getenv("BPFDEV_FAULTS_SECONDS");
	const char *ko = getenv("BPFDEV_KO");
	pid_t snd_a, snd_d, snd_x;
	struct load load;
	void *fork_map = NULL;
	int err, r, fork_fd;
	char ipv6_dflt[16];
	long mark;

	if (env && atoi(env) > 0)
		secs = atoi(env);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tap_plan(18);
	objs_init();
	/* objs.h's fd would hold the module: the load's own fds are enough */
	close(devfd);
	devfd = -1;
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	mark = dmesg_lines();

	/* our devices in the root namespace without IPv6 (restored at the end) */
	sys_read(IPV6_DFLT, ipv6_dflt, sizeof(ipv6_dflt));	/* "" if none */
	if (sh("modprobe veth") || no_ipv6(NULL) ||
	    sh(IP " netns add fb && " IP " netns exec fb " IP " link set lo up") ||
	    add_pair("fa0", "fb0", "fb", 88))
		tap_bail("veth pair into a namespace");

	/* objs.h's calls go through devfd: one for the load */
	devfd = bpfdev_open();
	phase("load starts");
	if (load_start(&load))
		tap_bail("starting the load");
	/* after the load: it holds the static keys (see fork_mapped()) */
	snd_a = sender("fb", "10.88.0.1");
	load_sleep(secs);

	phase("rmmod under load");
	err = try_unload();
	ok((err == EWOULDBLOCK || err == EBUSY) && mod_loaded(),
	   "rmmod under load is refused (%s)", strerror(err));

	/* a device deleted under traffic */
	phase("device deleted");
	add_pair("fd0", "fd1", "fb", 89);
	snd_d = sender("fb", "10.89.0.1");
	device_fault("device deleted", "fd0", IP " link del fd0");
	reap(snd_d);

	/* a device moved to another namespace under traffic */
	phase("device moved");
	sh(IP " netns add fc");
	add_pair("fd0", "fd1", "fb", 89);
	snd_d = sender("fb", "10.89.0.1");
	device_fault("device moved to another netns", "fd0", IP " link set fd0 netns fc");
	reap(snd_d);
	sh(IP " netns del fc");

	/* the peer's namespace exits: the pair goes with it */
	phase("peer namespace exits");
	sh(IP " netns add fx");
	add_pair("fx0", "fx1", "fx", 90);
	snd_x = sender("fx", "10.90.0.1");
	{
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "kill -9 %d; sleep 0.2; " IP " netns del fx",
			 snd_x);
		device_fault("peer namespace exits", "fx0", cmd);
		waitpid(snd_x, NULL, 0);
	}

	phase("process killed in its namespace");
	r = netns_child();
	ok(r == 0, "a process killed in its own namespace, readers blocked and a forked child sharing its rings, is reaped");

	phase("close mid-read");
	r = close_mid_read();
	ok(r > 0, "an fd closed by another thread mid-read: the reader ends (%s)",
	   r < 0 ? "still blocked" : strerror(r));

	err = try_unload();
	ok(err == EWOULDBLOCK || err == EBUSY, "rmmod still refused under load (%s)", strerror(err));
	/* bound while the load holds the keys, for the fork step */
	fork_fd = CAP_OPEN("fa0", accept_all, &fork_map);
	phase("load stops");
	load_stop(&load);
	tap_diag("load: %ld records mmap, %ld reads, %ld map ops, %ld test runs, %ld filter swaps",
		 load.records, load.reads, load.updates, load.runs, load.swaps);
	ok(load.records > 0 && load.reads > 0 && load.updates > 0 && load.runs > 0,
	   "the load ran throughout");
	close(devfd);
	devfd = -1;

	/* traffic still flows; nothing else of ours is open but fork_fd */
	err = 0;
	phase("fork with a mapped ring");
	r = fork_mapped(fork_fd, fork_map, &snd_a, &err);
	ok(r, "fork() with the ring mapped: the child reads on after the parent closed and unmapped");
	ok(err == EWOULDBLOCK || err == EBUSY,
	   "rmmod refused while only a child's mapping is left (%s)", strerror(err));
	phase("traffic stops");
	reap(snd_a);

	phase("prog array closed under a store");
	devfd = bpfdev_open();
	r = parray_close_under_store();
	close(devfd);
	devfd = -1;
	if (r < 0)
		tap_skip("no userfaultfd", "a prog array's last fd closed under a store of a program using it: nothing left");
	else
		ok(r, "a prog array's last fd closed under a store of a program using it: nothing left");

	ok(live_zero() && live_captures() == 0,
	   "live-object counters back at 0 (capture sockets and rings %ld)",
	   live_captures());
	live_diag();
	err = 0;
	phase("rmmod");
	for (int i = 0; i < 50 && (err = try_unload()); i++)
		ms_sleep(100);
	ok(!err && !mod_loaded(), "rmmod after everything is closed (%s)", strerror(err));
	ok(ko && !sh("insmod %s", ko) && mod_loaded(), "insmod again");
	sh(IP " netns del fb");
	if (ipv6_dflt[0])
		sys_write(IPV6_DFLT, ipv6_dflt);
	ok(mark >= 0 && sh("dmesg | tail -n +%ld | grep -E -f /bpfdev/bad-patterns", mark + 1) == 1,
	   "no kernel report");
	return tap_done();
}
