// SPDX-License-Identifier: GPL-2.0
/*
 * The capture ring's memory is charged (capture_ring.c, top):
 *   - a caller with no capability (any user may open /dev/bpf with
 *     devmode=0666) is held to its RLIMIT_MEMLOCK: a 256 MiB ring is
 *     ENOMEM, rings within the limit work, closing gives the room back;
 *   - CAP_NET_RAW (as AF_PACKET) or CAP_IPC_LOCK is not held to it;
 *   - in a memory cgroup with memory.max, a ring larger than the room
 *     fails with ENOMEM, and nothing is OOM-killed.
 * Without the charge a few fds of 256 MiB each exhaust the guest.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "guest.h"
#include "sys.h"

#define MIB		(1UL << 20)
#define MEMLOCK		(8 * MIB)
#define CG		"/sys/fs/cgroup"
#define CG_T		CG "/bpfdev_t92"

/* Keeps only the capabilities in keep (bits of the first word). */
static int keep_caps(__u32 keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;
	return syscall(SYS_capset, &h, d);
}

/* A fresh fd with an mmap()ed ring of size bytes: the fd, or -errno. */
static int ring_fd(unsigned long size, void **map)
{
	__u32 sz = size;
	int fd = bpfdev_open(), err;
	void *m;

	if (fd < 0)
		return -errno;
	err = ioctl_err(fd, BPFDEV_IOC_CAP_RING_SIZE, &sz);
	if (err) {
		close(fd);
		return err;
	}
	m = mmap(NULL, BPFDEV_RING_DATA_OFF + size, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	if (map)
		*map = m;
	return fd;
}

/*
 * As user nobody keeping caps, memlock MEMLOCK: without caps, bit 0 a
 * 256 MiB ring is ENOMEM, bit 1 two more are too; bit 2 a 4 MiB ring works, bit 3 a
 * second one (past 8 MiB with the first) is ENOMEM, bit 4 after closing
 * the first a 4 MiB ring works again, bit 5 a 16 MiB ring works.
 */
static int unpriv_cases(__u32 caps)
{
	struct rlimit rl = { MEMLOCK, MEMLOCK };
	int r = 0, a, b, i;
	void *m = NULL;

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || prctl(PR_SET_KEEPCAPS, 1) ||
	    setgid(65534) || setuid(65534))
		return 0x80;
	if (keep_caps(caps))
		return 0x80;
	/* Uncharged callers would get them: 768 MiB of a 1 GiB guest. */
	if (!caps && ring_fd(256 * MIB, NULL) == -ENOMEM)
		r |= 1;
	for (i = 0, a = 0; !caps && i < 2; i++)
		a += ring_fd(256 * MIB, NULL) == -ENOMEM;
	if (a == 2)
		r |= 2;
	a = ring_fd(4 * MIB, &m);
	if (a >= 0)
		r |= 4;
	b = ring_fd(4 * MIB, NULL);
	if (b == -ENOMEM)
		r |= 8;
	if (a >= 0) {
		/* the mapping holds the file: the ring goes with both */
		munmap(m, BPFDEV_RING_DATA_OFF + 4 * MIB);
		close(a);
	}
	b = ring_fd(4 * MIB, NULL);
	if (b >= 0)
		r |= 16;
	b = ring_fd(16 * MIB, NULL);
	if (b >= 0)
		r |= 32;
	return r;
}

static int run(int (*fn)(__u32), __u32 arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 0x100 | WTERMSIG(st);
}

/* In CG_T (memory.max 32 MiB): 1 a 256 MiB ring is ENOMEM, 2 a 4 MiB one works. */
static int memcg_case(__u32 unused)
{
	char pid[16];
	int r = 0, fd;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (sys_write(CG_T "/cgroup.procs", pid))
		return 0x80;
	if (ring_fd(256 * MIB, NULL) == -ENOMEM)
		r |= 1;
	fd = ring_fd(4 * MIB, NULL);
	if (fd >= 0)
		r |= 2;
	return r;
}

static long memcg_events(const char *key)
{
	char line[128];
	long v = -1;
	FILE *f = fopen(CG_T "/memory.events", "r");
	size_t n = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

int main(void)
{
	int r, memcg;

	tap_plan(10);
	/* devmode=0666, as a site letting any user capture would set it */
	if (chmod(BPFDEV_PATH, 0666))
		tap_bail("chmod %s: %s", BPFDEV_PATH, strerror(errno));

	r = run(unpriv_cases, 0);
	tap_diag("no capability: %#x", r);
	ok(r >= 0 && r < 0x80 && (r & 1), "no capability, memlock 8 MiB: a 256 MiB ring is ENOMEM");
	ok(r >= 0 && r < 0x80 && (r & 2), "no capability: two more 256 MiB rings are ENOMEM (no way out of memory)");
	ok(r >= 0 && r < 0x80 && (r & 4), "no capability: a 4 MiB ring within memlock works");
	ok(r >= 0 && r < 0x80 && (r & 8), "no capability: a second 4 MiB ring past memlock is ENOMEM");
	ok(r >= 0 && r < 0x80 && (r & 16), "no capability: closing a ring gives its charge back");

	r = run(unpriv_cases, 1U << CAP_NET_RAW);
	tap_diag("CAP_NET_RAW: %#x", r);
	chmod(BPFDEV_PATH, 0600);
	ok(r >= 0 && r < 0x80 && (r & 32), "CAP_NET_RAW: a 16 MiB ring past memlock works, as AF_PACKET");

	mkdir(CG, 0755);
	mount("cgroup2", CG, "cgroup2", 0, NULL);
	memcg = !sys_write(CG "/cgroup.subtree_control", "+memory") &&
		(!mkdir(CG_T, 0755) || errno == EEXIST) &&
		!sys_write(CG_T "/memory.max", "33554432");
	if (!memcg) {
		tap_skip("no memory cgroup", "memcg: ring over memory.max is ENOMEM");
		tap_skip("no memory cgroup", "memcg: ring within memory.max works");
		tap_skip("no memory cgroup", "memcg: no OOM kill");
		tap_skip("no memory cgroup", "memcg: the task lived");
	} else {
		r = run(memcg_case, 0);
		tap_diag("memcg: %#x", r);
		ok(r >= 0 && r < 0x80 && (r & 1), "memcg, memory.max 32 MiB: a 256 MiB ring is ENOMEM");
		ok(r >= 0 && r < 0x80 && (r & 2), "memcg: a 4 MiB ring within memory.max works (charged, not refused)");
		ok(memcg_events("oom_kill") == 0, "memcg: nothing OOM-killed (oom_kill %ld)",
		   memcg_events("oom_kill"));
		ok(r >= 0 && r < 0x100, "memcg: the task lived to exit (%#x)", r);
		rmdir(CG_T);
	}
	return tap_done();
}
