// SPDX-License-Identifier: GPL-2.0
/*
 * A ring buffer written from inside the scheduler: a raw tracepoint
 * program on sched_switch outputs a record with BPF_RB_FORCE_WAKEUP on
 * every context switch while a reader sleeps in poll() on the ring.  The
 * tracepoint fires under the runqueue lock, so a wake_up() made there
 * would take that lock again (a hang, or lockdep's report on the debug
 * kernel): the kernel's ringbuf, and bpfdev's, wake the reader from an
 * irq_work.  The reader must be woken and see the records; the program
 * must have run.  A kernel without BTF (the debug kernel) has no raw
 * tracepoints for bpfdev: there the same program is a tracepoint
 * program on sched:sched_switch, which runs under the same lock.
 */

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "objs.h"
#include "sys.h"

#define RB_SIZE		4096
#define SECONDS		3

#define VMLINUX_BTF	"/sys/kernel/btf/vmlinux"

static char log_buf[65536];
static volatile int stop;

struct reader {
	int map;
	unsigned long wakeups, bytes;
	int err;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long *cons, *prod;
	struct pollfd p = { .fd = r->map, .events = POLLIN };

	cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->map, 0);
	prod = mmap(NULL, page, PROT_READ, MAP_SHARED, r->map, page);
	if (cons == MAP_FAILED || prod == MAP_FAILED) {
		r->err = 1;
		return NULL;
	}
	while (!stop) {
		int n = poll(&p, 1, 200);

		if (n < 0) {
			r->err = 2;
			break;
		}
		if (n > 0 && (p.revents & POLLIN)) {
			unsigned long pr = __atomic_load_n(prod, __ATOMIC_ACQUIRE);

			r->wakeups++;
			r->bytes += pr - *cons;
			/* Records skipped, not parsed: the ring has room again. */
			__atomic_store_n(cons, pr, __ATOMIC_RELEASE);
		}
	}
	munmap(cons, page);
	munmap(prod, page);
	return NULL;
}

int main(void)
{
	struct reader r = { 0 };
	pthread_t t;
	long map, prog, link;
	bool raw = !access(VMLINUX_BTF, R_OK);
	time_t end;

	tap_plan(0);
	objs_init();
	map = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, RB_SIZE, 0);
	if (!ok(map >= 0, "a %d-byte ring buffer (%ld)", RB_SIZE, map))
		return tap_done();
	{
		struct bpf_insn p[] = {
			ST_MEM(BPF_DW, 10, -8, 0x5a),
			LD_MAP_FD(1, map),
			MOV64_REG(2, 10),
			ALU64_IMM(BPF_ADD, 2, -8),
			MOV64_IMM(3, 8),
			MOV64_IMM(4, BPF_RB_FORCE_WAKEUP),
			CALL(BPF_FUNC_ringbuf_output),
			MOV64_IMM(0, 0),
			EXIT(),
		};

		prog = prog_load_log(raw ? BPF_PROG_TYPE_RAW_TRACEPOINT : BPF_PROG_TYPE_TRACEPOINT,
				     p, NINSNS(p), "t65", log_buf, sizeof(log_buf));
	}
	if (!ok(prog >= 0, "a %s program that outputs with BPF_RB_FORCE_WAKEUP (%ld)",
		raw ? "raw tracepoint" : "tracepoint", prog)) {
		tap_diag("%.400s", log_buf);
		return tap_done();
	}
	/*
	 * The attach and the detach patch sched_switch's site in __schedule()
	 * (the tracepoint's static key); a TCG guest dies if another vCPU runs
	 * a site while it is patched (selftests/vm/static-key-toggle).  So the
	 * reader, the test's only other thread, runs only between the two:
	 * started after the attach, joined before the detach.
	 */
	if (raw) {
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.raw_tracepoint.name = (uintptr_t)"sched_switch";
		a.raw_tracepoint.prog_fd = prog;
		link = sys(BPF_RAW_TRACEPOINT_OPEN, &a);
	} else {
		struct bpfdev_tp_attach a = {
			.prog_fd = prog,
			.category = (uintptr_t)"sched",
			.name = (uintptr_t)"sched_switch",
		};

		link = ioctl_err(devfd, BPFDEV_IOC_TP_ATTACH, &a);
	}
	ok(link >= 0, "attached to sched_switch (%ld)", link);
	r.map = map;
	if (pthread_create(&t, NULL, reader_main, &r))
		tap_bail("pthread_create");
	/* Context switches: ours, the reader's, everyone's. */
	end = time(NULL) + SECONDS;
	while (time(NULL) < end)
		usleep(100);
	stop = 1;
	pthread_join(t, NULL);
	if (link >= 0)
		close(link);
	ok(!r.err, "the reader mapped and polled the ring (%d)", r.err);
	ok(r.wakeups > 0 && r.bytes > 0, "the reader was woken %lu times for %lu bytes of records",
	   r.wakeups, r.bytes);
	close(prog);
	close(map);
	ok(live_zero(), "no live object left");
	return tap_done();
}
