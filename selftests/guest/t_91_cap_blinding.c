// SPDX-License-Identifier: GPL-2.0
/*
 * Who gets a classic capture filter's JIT constants blinded: as the
 * kernel's bpf_jit_blinding_enabled(), jit_harden=1 blinds every caller
 * without CAP_BPF or CAP_SYS_ADMIN (bpf_capable()), classic filters
 * included; CAP_NET_RAW is no exemption.  jit_harden=0 blinds nobody,
 * 2 everybody.  Observed through BPFDEV_CAP_GET_INFO's jited_len: a
 * blinded image is longer (each immediate becomes a load and an xor of
 * a random key), and a length hands out no address.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/filter.h>

#include "guest.h"
#include "sys.h"

#define HARDEN	"/sys/module/bpfdev/parameters/jit_harden"

/* IPv4 and port 80 somewhere: immediates in jumps and returns. */
static const struct sock_filter prog[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 5),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 36),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffff),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 80, 0, 2),
	BPF_STMT(BPF_LD | BPF_IMM, 0x12345678),
	BPF_STMT(BPF_RET | BPF_K, 0x40000),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* Keeps only the capabilities in keep (bits of the first word). */
static int keep_caps(__u32 keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;
	return syscall(SYS_capset, &h, d);
}

static long set_filter(int fd)
{
	struct bpfdev_cap_filter f = {
		.kind = BPFDEV_FILTER_CLASSIC,
		.len = sizeof(prog) / sizeof(prog[0]),
		.insns = (uintptr_t)prog,
	};

	return ioctl_err(fd, BPFDEV_IOC_CAP_SET_FILTER, &f);
}

/*
 * The JIT image length of the filter set on a fresh fd by a child that
 * keeps only caps (all of them: ~0), or -1.
 */
static long jited_len(__u32 caps)
{
	struct bpfdev_cap_info i = { 0 };
	int fd = bpfdev_open(), st;
	pid_t pid;

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		_exit((caps != ~0U && keep_caps(caps)) || set_filter(fd) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st ||
	    ioctl_err(fd, BPFDEV_IOC_CAP_GET_INFO, &i) ||
	    !(i.flags & BPFDEV_CAP_JITED))
		i.jited_len = 0;
	close(fd);
	return i.jited_len ? (long)i.jited_len : -1;
}

int main(void)
{
	const __u32 raw = 1U << CAP_NET_RAW, admin = 1U << CAP_SYS_ADMIN;
	char old[16];
	long plain, len;

	tap_plan(7);
	if (sys_read(HARDEN, old, sizeof(old)) || sys_write(HARDEN, "1")) {
		tap_bail("no jit_harden parameter");
		return tap_done();
	}

	plain = jited_len(~0U);
	ok(plain > 0, "root's classic filter is JITed (%ld bytes)", plain);
	len = jited_len(admin);
	ok(len == plain, "jit_harden=1, CAP_SYS_ADMIN: not blinded (%ld bytes)", len);
	len = jited_len(raw);
	ok(len > plain,
	   "jit_harden=1, CAP_NET_RAW without CAP_BPF/CAP_SYS_ADMIN: blinded (%ld bytes)",
	   len);
	len = jited_len(0);
	ok(len > plain, "jit_harden=1, no capability: blinded (%ld bytes)", len);

	sys_write(HARDEN, "0");
	len = jited_len(0);
	ok(len == plain, "jit_harden=0, no capability: not blinded (%ld bytes)", len);
	sys_write(HARDEN, "2");
	len = jited_len(~0U);
	ok(len > plain, "jit_harden=2, root: blinded (%ld bytes)", len);
	len = jited_len(raw);
	ok(len > plain, "jit_harden=2, CAP_NET_RAW: blinded (%ld bytes)", len);

	sys_write(HARDEN, old);
	return tap_done();
}
