// SPDX-License-Identifier: GPL-2.0
/*
 * Regression tests for bugs found reviewing the module's object code:
 *   - a ringbuf whose consumer claims records still BUSY must not hand
 *     out room over them (a new record would overwrite the header a
 *     pending submit/discard reads its ring from: CVE-2024-41009);
 *   - the batch commands fail bad flags with EINVAL before taking the
 *     map, and their error path frees nothing it did not take;
 *   - a per-CPU hash's lookup batch copies no kernel heap out in the
 *     padding after each CPU's value;
 *   - MAP_LOOKUP_ELEM judges flags in the kernel's order (unknown
 *     flags, then the fd and its mode, then BPF_F_LOCK);
 *   - the id commands answer callers without CAP_BPF/CAP_SYS_ADMIN, or
 *     with CAP_BPF only, as bpf(2) does (attr and flag checks, then
 *     CAP_SYS_ADMIN);
 *   - mmap() of a capture socket (called with mmap_lock held) must not
 *     wait for the socket's ioctl lock, under which ioctls fault on user
 *     memory (taking mmap_lock): an ABBA deadlock between two threads.
 */

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "objs.h"

/*
 * Reserves A (asize bytes), then B (bsize bytes); discards what it got.
 * Returns 2 when A failed, else 1 when B was granted, 0 when refused.
 */
static long two_reserves(int rb, int asize, int bsize, __u32 *ret)
{
	struct bpf_insn p[] = {
		LD_MAP_FD(1, rb),
		MOV64_IMM(2, asize),
		MOV64_IMM(3, 0),
		CALL(BPF_FUNC_ringbuf_reserve),
		JMP_IMM(BPF_JNE, 0, 0, 2),
		MOV64_IMM(0, 2),
		EXIT(),
		MOV64_REG(6, 0),
		LD_MAP_FD(1, rb),
		MOV64_IMM(2, bsize),
		MOV64_IMM(3, 0),
		CALL(BPF_FUNC_ringbuf_reserve),
		MOV64_IMM(8, 0),
		JMP_IMM(BPF_JEQ, 0, 0, 4),
		MOV64_REG(1, 0),
		MOV64_IMM(2, 0),
		CALL(BPF_FUNC_ringbuf_discard),
		MOV64_IMM(8, 1),
		MOV64_REG(1, 6),
		MOV64_IMM(2, 0),
		CALL(BPF_FUNC_ringbuf_discard),
		MOV64_REG(0, 8),
		EXIT(),
	};
	long fd = prog_load(p, NINSNS(p));
	long r;

	if (fd < 0)
		return fd;
	r = prog_run(fd, 1, ret, NULL);
	close(fd);
	return r;
}

static void test_ringbuf_busy_overrun(void)
{
	long rb = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 8192, 0);
	unsigned long *cons;
	__u32 ret = ~0U;
	long r;

	if (!ok(rb >= 0, "ringbuf: create 8 KiB (%ld)", rb))
		return;
	cons = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rb, 0);
	if (!ok(cons != MAP_FAILED, "ringbuf: consumer page mapped"))
		goto out;

	/* Honest consumer: 4 KiB + 4 KiB + 8 do not fit in 8 KiB. */
	r = two_reserves(rb, 4088, 4096, &ret);
	ok(r == 0 && ret == 0, "ringbuf: B refused by an honest consumer (%ld, %u)", r, ret);

	/*
	 * The consumer claims half the ring, A included, while A is still
	 * BUSY: B would wrap onto A's header.  It must be refused.
	 */
	__atomic_store_n(cons, 4096 + 4096, __ATOMIC_RELEASE);
	r = two_reserves(rb, 4088, 4096, &ret);
	ok(r == 0 && ret == 0,
	   "ringbuf: no room over a BUSY record the consumer claims (%ld, %u)", r, ret);

	/* Once everything is committed and consumed, both fit in turn. */
	r = two_reserves(rb, 2040, 2040, &ret);
	ok(r == 0 && ret == 1, "ringbuf: committed records free their room (%ld, %u)", r, ret);

	/* The writable consumer page cannot grow past its one page. */
	{
		void *big = mremap(cons, 4096, 3 * 4096, MREMAP_MAYMOVE);

		ok(big == MAP_FAILED, "ringbuf: mremap() cannot grow the consumer mapping");
		if (big != MAP_FAILED)
			cons = big;
		munmap(cons, big != MAP_FAILED ? 3 * 4096 : 4096);
	}
out:
	close(rb);
}

static void test_batch_bad_flags(void)
{
	static const unsigned int cmds[] = {
		BPF_MAP_LOOKUP_BATCH, BPF_MAP_LOOKUP_AND_DELETE_BATCH,
		BPF_MAP_UPDATE_BATCH, BPF_MAP_DELETE_BATCH,
	};
	long m = map_create(BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	__u32 keys[4], count;
	__u64 values[4];
	unsigned int i, n, bad = 0;
	union bpf_attr a;
	long r;

	if (!ok(m >= 0, "batch: hash map created (%ld)", m))
		return;
	for (n = 0; n < 200; n++) {
		for (i = 0; i < NINSNS(cmds); i++) {
			memset(&a, 0, sizeof(a));
			a.batch.map_fd = m;
			a.batch.keys = (uintptr_t)keys;
			a.batch.values = (uintptr_t)values;
			a.batch.count = 4;
			/* bpf(2) reads batch.flags in the hash walk only. */
			if ((n & 1) && cmds[i] != BPF_MAP_UPDATE_BATCH &&
			    cmds[i] != BPF_MAP_DELETE_BATCH)
				a.batch.flags = 1;
			else
				a.batch.elem_flags = BPF_F_LOCK << 1;
			r = sys(cmds[i], &a);
			if (r != -EINVAL)
				bad++;
		}
	}
	ok(!bad, "batch: bad flags are EINVAL, every time (%u wrong)", bad);
	count = 4;
	r = map_batch(BPF_MAP_LOOKUP_BATCH, m, NULL, &keys[0], keys, values,
		      &count, 0);
	ok(r == -ENOENT && count == 0, "batch: the map still works (%ld, %u)", r, count);
	close(m);
}

static void test_percpu_batch_padding(void)
{
	int ncpu = 0, i, n, leaks = 0, runs = 0;
	long h, spray;
	char line[64];
	FILE *f;

	f = fopen("/sys/devices/system/cpu/possible", "r");
	if (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '-');

		ncpu = p ? atoi(p + 1) + 1 : 1;
	}
	if (f)
		fclose(f);
	h = map_create(BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 64, 0);
	spray = map_create(BPF_MAP_TYPE_HASH, 4, 8 * 8 * ncpu, 1, 0);
	if (!ok(ncpu > 0 && h >= 0 && spray >= 0, "percpu batch: maps (%d CPUs)", ncpu))
		goto out;
	for (i = 0; i < 8; i++) {
		__u32 v[64];

		memset(v, 0x5a, sizeof(v));
		map_update(h, &i, v, 0);
	}
	for (n = 0; n < 50; n++) {
		unsigned char vals[8 * 64 * 8], big[8 * 8 * 64];
		__u32 keys[64], out = 0, count = 64, k = 0;
		long r;

		/* Freed heap of the batch buffer's size (8 values), full of 0xa5. */
		memset(big, 0xa5, sizeof(big));
		map_update(spray, &k, big, 0);
		memset(vals, 0x11, sizeof(vals));
		r = map_batch(BPF_MAP_LOOKUP_BATCH, h, NULL, &out, keys, vals,
			      &count, 0);
		if (r && r != -ENOENT)
			continue;
		runs++;
		/* As bpf(2): the padding update stored (0x5a), never heap. */
		for (i = 0; i < (int)count * ncpu; i++)
			if (memcmp(vals + i * 8 + 4, "\x5a\x5a\x5a\x5a", 4))
				leaks++;
	}
	ok(runs && !leaks, "percpu batch: padding after each 4-byte value is the stored one (%d of %d runs, %d dirty)",
	   runs, 50, leaks);
out:
	if (h >= 0)
		close(h);
	if (spray >= 0)
		close(spray);
}

static long kernel_call(unsigned int cmd, union bpf_attr *a)
{
	long r = syscall(__NR_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

static long lookup_flags(long (*call)(unsigned int, union bpf_attr *), int fd,
			 __u64 flags)
{
	__u32 key = 0;
	__u64 val;
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)&val;
	a.flags = flags;
	return call(BPF_MAP_LOOKUP_ELEM, &a);
}

static void test_lookup_flags_order(void)
{
	static const struct {
		int which;	/* 0: bad fd, 1: write-only, 2: read-write */
		__u64 flags;
	} cases[] = {
		{ 0, BPF_F_LOCK }, { 1, BPF_F_LOCK }, { 2, BPF_F_LOCK },
		{ 0, 8 }, { 1, 8 }, { 2, 0 },
	};
	long (*calls[2])(unsigned int, union bpf_attr *) = { sys, kernel_call };
	int fds[2][3], s, i, same = 0;
	union bpf_attr a;

	for (s = 0; s < 2; s++) {
		fds[s][0] = 1000;
		for (i = 1; i < 3; i++) {
			memset(&a, 0, sizeof(a));
			a.map_type = BPF_MAP_TYPE_ARRAY;
			a.key_size = 4;
			a.value_size = 8;
			a.max_entries = 1;
			a.map_flags = i == 1 ? BPF_F_WRONLY : 0;
			fds[s][i] = calls[s](BPF_MAP_CREATE, &a);
		}
	}
	if (fds[1][1] < 0 || fds[1][2] < 0) {
		tap_skip("no bpf(2) for root in this guest", "lookup: flags in the kernel's order");
		goto out;
	}
	for (i = 0; i < (int)NINSNS(cases); i++) {
		long r0 = lookup_flags(sys, fds[0][cases[i].which], cases[i].flags);
		long r1 = lookup_flags(kernel_call, fds[1][cases[i].which], cases[i].flags);

		if (r0 == r1)
			same++;
		else
			tap_diag("case %d: bpfdev %ld, kernel %ld", i, r0, r1);
	}
	ok(same == (int)NINSNS(cases), "lookup: flags in the kernel's order (%d of %d agree)",
	   same, (int)NINSNS(cases));
out:
	for (s = 0; s < 2; s++)
		for (i = 1; i < 3; i++)
			if (fds[s][i] >= 0)
				close(fds[s][i]);
}

/* Drops CAP_SYS_ADMIN, and CAP_BPF too when all is set. */
static int drop_caps(int all)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	if (all)
		d[CAP_BPF / 32].effective &= ~(1U << (CAP_BPF % 32));
	return syscall(SYS_capset, &h, d);
}

/* Which of the id cases disagree with bpf(2), as bits. */
static int id_cases(void)
{
	static const struct {
		unsigned int cmd;
		__u32 flags;
	} cases[] = {
		{ BPF_MAP_GET_NEXT_ID, 1 }, { BPF_PROG_GET_NEXT_ID, 1 },
		{ BPF_MAP_GET_NEXT_ID, 0 }, { BPF_MAP_GET_FD_BY_ID, 4 },
		{ BPF_MAP_GET_FD_BY_ID, 0 }, { BPF_PROG_GET_FD_BY_ID, 1 },
		{ BPF_PROG_GET_FD_BY_ID, 0 },
	};
	int i, bad = 0;

	for (i = 0; i < (int)NINSNS(cases); i++) {
		union bpf_attr a;
		long r0, r1;

		memset(&a, 0, sizeof(a));
		a.open_flags = cases[i].flags;
		a.map_id = 1;
		r0 = sys(cases[i].cmd, &a);
		memset(&a, 0, sizeof(a));
		a.open_flags = cases[i].flags;
		a.map_id = 1;
		r1 = kernel_call(cases[i].cmd, &a);
		/* Only errors compare: ids 1 differ between the two. */
		if ((r0 < 0 || r1 < 0) && r0 != r1)
			bad |= 1 << i;
		if (r0 >= 0)
			close(r0);
		if (r1 >= 0)
			close(r1);
	}
	return bad;
}

static void test_id_permissions(void)
{
	int all, status;

	for (all = 0; all < 2; all++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(drop_caps(all) ? 0xff : id_cases());
		status = -1;
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "ids: %s, errors as bpf(2)'s (disagreeing cases %#x)",
		   all ? "no CAP_BPF nor CAP_SYS_ADMIN" : "CAP_BPF without CAP_SYS_ADMIN",
		   WIFEXITED(status) ? WEXITSTATUS(status) : status);
	}
}

static volatile int stop;
static volatile unsigned long ioctls, mmaps;
static int capfd;

static void on_usr1(int sig)
{
}

/* An ioctl that faults on its output page under the socket's lock. */
static void *ioctl_thread(void *arg)
{
	char *page = arg;

	while (!stop) {
		madvise(page, 4096, MADV_DONTNEED);
		ioctl(capfd, BPFDEV_IOC_CAP_GET_STATS, page);
		ioctls++;
	}
	return NULL;
}

/* mmap() of the wrong size: reaches the module's mmap, then EINVAL. */
static void *mmap_thread(void *arg)
{
	while (!stop) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, capfd, 0);

		if (p != MAP_FAILED)
			munmap(p, 4096);
		mmaps++;
	}
	return NULL;
}

static void test_capture_mmap_vs_ioctl(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned long last_i = 0, last_m = 0;
	int stalls = 0, secs;
	pthread_t ti, tm;
	char *page;

	capfd = bpfdev_open();
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ok(capfd >= 0 && page != MAP_FAILED, "capture: socket and page"))
		return;
	sigaction(SIGUSR1, &sa, NULL);
	stop = 0;
	pthread_create(&ti, NULL, ioctl_thread, page);
	pthread_create(&tm, NULL, mmap_thread, NULL);
	for (secs = 0; secs < 4; secs++) {
		sleep(1);
		if (ioctls == last_i && mmaps == last_m) {
			/* Deadlocked: mmap() waits interruptibly, so unstick it. */
			stalls++;
			pthread_kill(tm, SIGUSR1);
		}
		last_i = ioctls;
		last_m = mmaps;
	}
	stop = 1;
	for (secs = 0; secs < 100 && mmaps == last_m && ioctls == last_i; secs++) {
		pthread_kill(tm, SIGUSR1);
		usleep(10000);
	}
	pthread_join(ti, NULL);
	pthread_join(tm, NULL);
	ok(!stalls && ioctls && mmaps,
	   "capture: mmap() and a faulting ioctl never deadlock (%d stalls, %lu ioctls, %lu mmaps)",
	   stalls, ioctls, mmaps);
	munmap(page, 4096);
	close(capfd);
}

int main(void)
{
	objs_init();
	if (!have_verifier()) {
		printf("1..0 # SKIP PROG_LOAD refuses every program: no verifier in this build\n");
		return 0;
	}
	tap_plan(0);
	test_ringbuf_busy_overrun();
	test_batch_bad_flags();
	test_lookup_flags_order();
	test_percpu_batch_padding();
	test_id_permissions();
	test_capture_mmap_vs_ioctl();
	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
