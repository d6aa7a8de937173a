// SPDX-License-Identifier: GPL-2.0
/*
 * OBJ_GET_INFO_BY_FD hands out a JIT image (which embeds kernel addresses)
 * only to who may see kernel addresses, as bpf(2) does (bpf_dump_raw_ok():
 * kptr_restrict, CAP_SYSLOG): at each kptr_restrict, a root caller and a
 * caller with CAP_BPF alone load the same program through the guest
 * kernel's bpf() and through /dev/bpf, ask for the image, and must get
 * the same answer from both (perf_event_paranoid is 2, where the kernel
 * gives no one a pass at kptr_restrict 0).  The length is always told.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "objs.h"
#include "sys.h"

#define KPTR		"/proc/sys/kernel/kptr_restrict"
#define PARANOID	"/proc/sys/kernel/perf_event_paranoid"

/* What a child found, as its exit status. */
#define R_KERNEL_RAW	1	/* bpf(2) copied image bytes */
#define R_DEV_RAW	2	/* /dev/bpf copied image bytes */
#define R_LENS		4	/* both told a jited_prog_len */
#define R_ERR		8

/* Keep CAP_BPF alone (uid 0 still owns /dev/bpf, so it opens). */
static int only_cap_bpf(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	d[CAP_BPF / 32].effective = 1U << (CAP_BPF % 32);
	d[CAP_BPF / 32].permitted = 1U << (CAP_BPF % 32);
	return syscall(SYS_capset, &h, d);
}

static long kernel_bpf(unsigned int cmd, union bpf_attr *a)
{
	long r = syscall(SYS_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/*
 * The image of a freshly loaded program through call (the kernel's bpf()
 * or the device's): 1 if bytes came back, 0 if not, -1 on error; *len the
 * jited_prog_len told.
 */
static int image_given(long (*call)(unsigned int, union bpf_attr *), __u32 *len)
{
	struct bpf_insn p[] = { MOV64_IMM(0, 7), EXIT() };
	static unsigned char img[4096];
	struct bpf_prog_info info;
	union bpf_attr a;
	unsigned int i;
	int fd, given = 0;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)p;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	fd = call(BPF_PROG_LOAD, &a);
	if (fd < 0)
		return -1;
	memset(img, 0xa5, sizeof(img));
	memset(&info, 0, sizeof(info));
	info.jited_prog_len = sizeof(img);
	info.jited_prog_insns = (uintptr_t)img;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uintptr_t)&info;
	if (call(BPF_OBJ_GET_INFO_BY_FD, &a)) {
		close(fd);
		return -1;
	}
	close(fd);
	for (i = 0; i < sizeof(img); i++)
		given |= img[i] != 0xa5;
	*len = info.jited_prog_len;
	/* Withheld: the pointer comes back zeroed, as the kernel does it. */
	if (!given && info.jited_prog_insns)
		return -1;
	return given;
}

static long dev_bpf(unsigned int cmd, union bpf_attr *a)
{
	return sys(cmd, a);
}

static int child(int drop)
{
	__u32 klen = 0, dlen = 0;
	int k, d, r = 0;

	if (drop && only_cap_bpf())
		return R_ERR;
	objs_init();		/* /dev/bpf opened with these credentials */
	k = image_given(kernel_bpf, &klen);
	d = image_given(dev_bpf, &dlen);
	if (k < 0 || d < 0)
		return R_ERR;
	r |= k ? R_KERNEL_RAW : 0;
	r |= d ? R_DEV_RAW : 0;
	r |= klen && dlen ? R_LENS : 0;
	return r;
}

static int run(int drop)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		fflush(stdout);
		_exit(child(drop));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return R_ERR;
	return WEXITSTATUS(st);
}

int main(void)
{
	static const char *const who[] = { "root", "CAP_BPF only" };
	char kptr[16], paranoid[16], v[4];
	int level, drop, r;

	tap_plan(0);
	sys_read(KPTR, kptr, sizeof(kptr));
	sys_read(PARANOID, paranoid, sizeof(paranoid));
	if (sys_write(PARANOID, "2"))
		tap_bail("perf_event_paranoid: %s", strerror(errno));
	for (level = 0; level <= 2; level++) {
		snprintf(v, sizeof(v), "%d", level);
		if (sys_write(KPTR, v))
			tap_bail("kptr_restrict: %s", strerror(errno));
		for (drop = 0; drop <= 1; drop++) {
			int want = level < 2 && !drop;	/* CAP_SYSLOG, and not 2 */

			r = run(drop);
			if (!ok(!(r & R_ERR), "kptr_restrict=%d, %s: load and info through both",
				level, who[drop]))
				continue;
			ok(r & R_LENS, "kptr_restrict=%d, %s: jited_prog_len told by both",
			   level, who[drop]);
			ok_eq(!!(r & R_KERNEL_RAW), want,
			      "kptr_restrict=%d, %s: bpf(2) %s the image", level, who[drop],
			      want ? "gives" : "withholds");
			ok_eq(!!(r & R_DEV_RAW), !!(r & R_KERNEL_RAW),
			      "kptr_restrict=%d, %s: /dev/bpf answers as bpf(2)", level, who[drop]);
		}
	}
	sys_write(KPTR, kptr);
	sys_write(PARANOID, paranoid);
	ok(live_zero(), "no live program or fd is left");
	return tap_done();
}
