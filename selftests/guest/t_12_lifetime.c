// SPDX-License-Identifier: GPL-2.0
/*
 * Object lifetimes: fds closed in every order, a program keeping its maps
 * alive, prog-array cycles broken when the last fd goes, pins outliving
 * their creators (OBJ_PIN, OBJ_GET, BPFDEV_IOC_OBJ_UNPIN), and the module
 * refusing to unload while any object exists.  The live-object counts in
 * debugfs are checked after every step.  Reloads bpfdev.ko at the end as
 * the guest harness requires.
 */

#include <sys/syscall.h>

#include "objs.h"

static int verifier;

static int try_unload(void)
{
	long r = syscall(__NR_delete_module, "bpfdev", O_NONBLOCK);

	return r < 0 ? -errno : 0;
}

static int reload(void)
{
	const char *ko = getenv("BPFDEV_KO");
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "insmod %s", ko ? ko : "/bpfdev/bpfdev.ko");
	return system(cmd);
}

static void test_map_fds(void)
{
	long fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0), fd2, fd3;
	struct bpf_map_info info;
	__u32 len = sizeof(info), k = 1, v = 11;
	union bpf_attr a;
	struct live l;

	if (!ok(fd >= 0, "fds: hash created"))
		return;
	map_update(fd, &k, &v, 0);
	fd2 = dup(fd);
	memset(&info, 0, sizeof(info));
	obj_info(fd, &info, &len);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	fd3 = sys(BPF_MAP_GET_FD_BY_ID, &a);
	live_read(&l);
	ok(l.maps == 1 && l.map_fds == 2, "fds: one map, two fds (dup shares one)");
	close(fd);
	v = 0;
	ok(map_lookup(fd2, &k, &v) == 0 && v == 11, "fds: the dup works after the original closed");
	close(fd2);
	ok(map_lookup(fd3, &k, &v) == 0 && v == 11, "fds: the by-id fd works after both closed");
	close(fd3);
	ok(live_zero(), "fds: all closed: nothing left");
}

static void test_pins(void)
{
	long fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 2, 0), g;
	char longname[300];
	__u32 k = 1, v = 42;
	struct live l;

	if (!ok(fd >= 0, "pin: array created"))
		return;
	map_update(fd, &k, &v, 0);
	ok_eq(obj_pin(fd, "/sys/fs/bpf/t12_map"), 0, "pin: OBJ_PIN by name");
	ok_eq(obj_pin(fd, "/sys/fs/bpf/t12_map"), -EEXIST, "pin: the same name again: EEXIST");
	ok_eq(obj_pin(9999, "t12_x"), -EBADF, "pin: closed fd: EBADF");
	ok_eq(obj_pin(devfd, "t12_x"), -EINVAL, "pin: /dev/bpf's fd: EINVAL");
	ok_eq(obj_pin(fd, ""), -EINVAL, "pin: empty name: EINVAL");
	memset(longname, 'x', sizeof(longname));
	longname[sizeof(longname) - 1] = 0;
	ok_eq(obj_pin(fd, longname), -ENAMETOOLONG, "pin: 299-byte name: ENAMETOOLONG");
	{
		union bpf_attr a;

		memset(&a, 0, sizeof(a));
		a.bpf_fd = fd;
		a.pathname = (uintptr_t)"t12_y";
		a.file_flags = BPF_F_RDONLY;
		ok_eq(sys(BPF_OBJ_PIN, &a), -EINVAL, "pin: file_flags on OBJ_PIN: EINVAL");
	}
	close(fd);
	live_read(&l);
	ok(l.maps == 1 && l.pins == 1 && l.map_fds == 0, "pin: the pinned map outlives its fd");
	g = obj_get("/sys/fs/bpf/t12_map", 0);
	v = 0;
	ok(g >= 0 && map_lookup(g, &k, &v) == 0 && v == 42, "pin: OBJ_GET gives the map back, value intact");
	if (g >= 0)
		close(g);
	g = obj_get("/sys/fs/bpf/t12_map", BPF_F_RDONLY);
	ok(g >= 0 && map_update(g, &k, &v, 0) == -EPERM, "pin: OBJ_GET with BPF_F_RDONLY: read-only fd");
	if (g >= 0)
		close(g);
	ok_eq(obj_get("/sys/fs/bpf/t12_map", 1U << 9), -EINVAL, "pin: OBJ_GET unknown file_flags: EINVAL");
	ok_eq(obj_get("t12_nothing", 0), -ENOENT, "pin: OBJ_GET of an unknown name: ENOENT");
	ok_eq(obj_unpin("t12_nothing"), -ENOENT, "pin: unpin of an unknown name: ENOENT");
	ok_eq(obj_unpin("/sys/fs/bpf/t12_map"), 0, "pin: unpin");
	ok_eq(obj_get("/sys/fs/bpf/t12_map", 0), -ENOENT, "pin: gone after unpin");
	ok(live_zero(), "pin: unpinned: nothing left");
}

static void test_unload(void)
{
	long fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	int r;

	if (!ok(fd >= 0, "unload: map created"))
		return;
	obj_pin(fd, "t12_unload");
	close(devfd);
	r = try_unload();
	ok(r == -EAGAIN || r == -EBUSY, "unload: refused while a map fd is open (%d)", r);
	close(fd);
	r = try_unload();
	ok(r == -EAGAIN || r == -EBUSY, "unload: refused while only a pin holds the map (%d)", r);
	objs_init();
	ok_eq(obj_unpin("t12_unload"), 0, "unload: unpin");
	close(devfd);
	/* The map is freed after a grace period, on a workqueue. */
	for (int i = 0; i < 500 && (r = try_unload()) != 0; i++)
		usleep(10000);
	ok_eq(r, 0, "unload: bpfdev unloads once nothing is left");
	ok_eq(reload(), 0, "unload: bpfdev loads again");
	objs_init();
}

static long counter_prog(int map_fd, int pa_fd)
{
	/* counter++; if pa: tail_call(ctx, pa, 1); return 0 */
	struct bpf_insn p[] = {
		MOV64_REG(6, 1),
		ST_MEM(BPF_W, 10, -4, 0),
		MOV64_REG(2, 10), ALU64_IMM(BPF_ADD, 2, -4),
		LD_MAP_FD(1, map_fd),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 2),
		MOV64_IMM(1, 1),
		ATOMIC_ADD(BPF_DW, 0, 1, 0),
		MOV64_REG(1, 6),
		LD_MAP_FD(2, pa_fd),
		MOV64_IMM(3, 1),
		CALL(BPF_FUNC_tail_call),
		MOV64_IMM(0, 0),
		EXIT(),
	};

	return prog_load(p, NINSNS(p));
}

static void test_prog_holds_maps(void)
{
	long m = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	long pa = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0);
	long p = counter_prog(m, pa), m2;
	struct bpf_map_info info;
	__u32 len = sizeof(info), k = 0;
	__u64 v = 0;
	union bpf_attr a;
	struct live l;

	if (!ok(m >= 0 && pa >= 0 && p >= 0, "hold: map, prog array, program"))
		goto out;
	memset(&info, 0, sizeof(info));
	obj_info(m, &info, &len);
	close(m);
	close(pa);
	m = pa = -1;
	live_read(&l);
	ok(l.maps == 2 && l.map_fds == 0, "hold: the program keeps both maps after their fds close");
	ok_eq(prog_run(p, 10, NULL, NULL), 0, "hold: the program still runs");
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	m2 = sys(BPF_MAP_GET_FD_BY_ID, &a);
	ok(m2 >= 0 && map_lookup(m2, &k, &v) == 0 && v == 10, "hold: its map counted 10 runs");
	if (m2 >= 0)
		close(m2);
	/* A pinned program outlives its fd and its maps' fds. */
	ok_eq(obj_pin(p, "t12_prog"), 0, "hold: pin the program");
	close(p);
	p = obj_get("t12_prog", 0);
	ok(p >= 0 && prog_run(p, 1, NULL, NULL) == 0, "hold: OBJ_GET gives a program that runs");
	ok_eq(obj_unpin("t12_prog"), 0, "hold: unpin the program");
out:
	if (p >= 0)
		close(p);
	if (m >= 0)
		close(m);
	if (pa >= 0)
		close(pa);
	ok(live_zero(), "hold: nothing left");
}

/* A map, a program using it and a prog array holding the program, which
 * the program also uses: a cycle the last prog-array fd breaks. */
static void test_close_orders(void)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	int o, i, good = 0;

	for (o = 0; o < 6; o++) {
		long fds[3];
		__u32 k = 1;

		fds[0] = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
		fds[2] = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0);
		fds[1] = counter_prog(fds[0], fds[2]);
		if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
			break;
		map_update(fds[2], &k, &fds[1], 0);
		prog_run(fds[1], 1, NULL, NULL);
		for (i = 0; i < 3; i++)
			close(fds[orders[o][i]]);
		if (live_zero())
			good++;
		else
			live_diag();
	}
	ok_eq(good, 6, "orders: map, program and prog array closed in all 6 orders leave nothing");
}

static void test_unload_with_prog(void)
{
	struct bpf_insn ret0[] = { MOV64_IMM(0, 0), EXIT() };
	long p = prog_load(ret0, 2);
	int r;

	if (!ok(p >= 0, "unload: program loaded"))
		return;
	obj_pin(p, "t12_p");
	close(p);
	close(devfd);
	r = try_unload();
	ok(r == -EAGAIN || r == -EBUSY, "unload: refused while a pinned program exists (%d)", r);
	objs_init();
	obj_unpin("t12_p");
	ok(live_zero(), "unload: unpinned program freed");
}

int main(void)
{
	tap_plan(0);
	objs_init();
	verifier = have_verifier();

	test_map_fds();
	test_pins();
	if (verifier) {
		test_prog_holds_maps();
		test_close_orders();
		test_unload_with_prog();
	} else {
		tap_skip("no verifier in this build", "programs holding maps, close orders");
	}
	test_unload();

	close(devfd);
	if (!ok(live_zero(), "no live map, program, pin or fd is left"))
		live_diag();
	return tap_done();
}
