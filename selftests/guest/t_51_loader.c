// SPDX-License-Identifier: GPL-2.0
/*
 * libbpfdev against the module: the bpf() wrappers (maps, batches,
 * freeze, pins, ids, info, programs, test runs, logs), the object loader
 * on the clang-built examples (/bpfdev/NAME.bpf.o) run through PROG_TEST_RUN,
 * the ring buffer reader, and capture sockets on lo with a loaded socket
 * filter.  Linked statically with libbpfdev.a (no libpcap needed).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libbpfdev.h"
#include "events.bpf.h"
#include "tap.h"

#define OBJ(name)	"/bpfdev/" name ".bpf.o"

static char msgs[65536];

static int capture_print(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	size_t n = strlen(msgs);

	if (level == BPFDEV_DEBUG)
		return 0;
	return vsnprintf(msgs + n, sizeof(msgs) - n, fmt, ap);
}

/* Ethernet + IPv4 + TCP (flags) or UDP, 54 or 42 bytes plus payload. */
static size_t make_pkt(unsigned char *p, __u8 proto, __u32 saddr, __u8 tcp_flags,
		       __u16 dport, size_t payload)
{
	size_t l4 = proto == IPPROTO_TCP ? 20 : 8, len = 14 + 20 + l4 + payload;

	memset(p, 0, len);
	memcpy(p, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	p[14] = 0x45;
	p[16] = (20 + l4 + payload) >> 8;
	p[17] = (20 + l4 + payload) & 0xff;
	p[22] = 64;
	p[23] = proto;
	memcpy(p + 26, &saddr, 4);
	memcpy(p + 30, "\x0a\0\0\x02", 4);
	p[34] = 0x30;
	p[35] = 0x39;
	p[36] = dport >> 8;
	p[37] = dport & 0xff;
	if (proto == IPPROTO_TCP) {
		p[46] = 5 << 4;
		p[47] = tcp_flags;
	}
	return len;
}

static int run(int fd, const void *pkt, size_t len, __u32 *retval)
{
	BPFDEV_OPTS(bpfdev_test_run_opts, o, .data_in = pkt, .data_size_in = len, .repeat = 1);
	int err = bpfdev_prog_test_run_opts(fd, &o);

	*retval = o.retval;
	return err;
}

static void test_maps(void)
{
	__u32 k, keys[16], nk, id, next_id;
	__u64 v, vals[16];
	struct bpf_map_info info;
	__u32 ilen = sizeof(info), count;
	int fd, fd2, i;
	bool found = false;

	fd = bpfdev_map_create(BPF_MAP_TYPE_HASH, "t51_hash", 4, 8, 16, NULL);
	if (!ok(fd >= 0, "maps: create a hash (%s)", strerror(errno))) {
		tap_skip("no map", "maps: the rest");
		return;
	}
	k = 1;
	v = 42;
	ok(bpfdev_map_update_elem(fd, &k, &v, BPF_NOEXIST) == 0, "maps: update");
	ok(bpfdev_map_update_elem(fd, &k, &v, BPF_NOEXIST) == -EEXIST && errno == EEXIST,
	   "maps: NOEXIST on an existing key: -EEXIST, errno EEXIST");
	v = 0;
	ok(bpfdev_map_lookup_elem(fd, &k, &v) == 0 && v == 42, "maps: lookup");
	k = 2;
	ok(bpfdev_map_lookup_elem(fd, &k, &v) == -ENOENT && errno == ENOENT, "maps: lookup missing: -ENOENT");
	ok(bpfdev_map_get_next_key(fd, NULL, &nk) == 0 && nk == 1, "maps: get_next_key from NULL");
	ok(bpfdev_map_get_next_key(fd, &nk, &nk) == -ENOENT, "maps: get_next_key at the end");
	k = 1;
	v = 0;
	ok(bpfdev_map_lookup_and_delete_elem(fd, &k, &v) == 0 && v == 42 &&
	   bpfdev_map_lookup_elem(fd, &k, &v) == -ENOENT, "maps: lookup_and_delete");
	ok(bpfdev_map_delete_elem(fd, &k) == -ENOENT, "maps: delete missing: -ENOENT");

	for (i = 0; i < 10; i++) {
		keys[i] = 100 + i;
		vals[i] = 1000 + i;
	}
	count = 10;
	ok(bpfdev_map_update_batch(fd, keys, vals, &count, NULL) == 0 && count == 10,
	   "batch: update 10 (%s)", strerror(errno));
	memset(keys, 0, sizeof(keys));
	memset(vals, 0, sizeof(vals));
	{
		__u32 out_batch = 0, sum = 0;
		int r;

		count = 16;
		r = bpfdev_map_lookup_batch(fd, NULL, &out_batch, keys, vals, &count, NULL);
		for (i = 0; i < (int)count; i++)
			sum += vals[i] - 1000 == keys[i] - 100;
		ok((r == 0 || r == -ENOENT) && count == 10 && sum == 10,
		   "batch: lookup returns the 10 pairs (r %d, count %u)", r, count);
	}
	count = 10;
	for (i = 0; i < 10; i++)
		keys[i] = 100 + i;
	ok(bpfdev_map_delete_batch(fd, keys, &count, NULL) == 0 && count == 10 &&
	   bpfdev_map_get_next_key(fd, NULL, &nk) == -ENOENT, "batch: delete 10, map empty");

	memset(&info, 0, sizeof(info));
	ok(bpfdev_map_get_info_by_fd(fd, &info, &ilen) == 0 && info.type == BPF_MAP_TYPE_HASH &&
	   !strcmp(info.name, "t51_hash") && info.key_size == 4 && info.value_size == 8,
	   "info: type, name, sizes");
	for (id = 0; !bpfdev_map_get_next_id(id, &next_id); id = next_id)
		found |= next_id == info.id;
	ok(found && errno == ENOENT, "ids: map_get_next_id walks to our map, then ENOENT");
	fd2 = bpfdev_map_get_fd_by_id(info.id);
	ok(fd2 >= 0, "ids: map_get_fd_by_id");
	if (fd2 >= 0)
		close(fd2);
	ok(bpfdev_obj_pin(fd, "t51/hash") == 0, "pin: obj_pin");
	ok(bpfdev_obj_pin(fd, "t51/hash") == -EEXIST, "pin: twice: -EEXIST");
	fd2 = bpfdev_obj_get("t51/hash");
	memset(&info, 0, sizeof(info));
	ilen = sizeof(info);
	ok(fd2 >= 0 && !bpfdev_map_get_info_by_fd(fd2, &info, &ilen) &&
	   !strcmp(info.name, "t51_hash"), "pin: obj_get gives the same map");
	if (fd2 >= 0)
		close(fd2);
	ok(bpfdev_obj_unpin("t51/hash") == 0 && bpfdev_obj_get("t51/hash") == -ENOENT,
	   "pin: unpin, then obj_get: -ENOENT");
	close(fd);

	fd = bpfdev_map_create(BPF_MAP_TYPE_ARRAY, "t51_arr", 4, 8, 2, NULL);
	k = 0;
	v = 5;
	ok(fd >= 0 && bpfdev_map_update_elem(fd, &k, &v, 0) == 0 && bpfdev_map_freeze(fd) == 0,
	   "freeze: an array");
	ok(bpfdev_map_update_elem(fd, &k, &v, 0) == -EPERM, "freeze: then update: -EPERM");
	if (fd >= 0)
		close(fd);
}

static void test_progs(void)
{
	static char log[65536];
	BPFDEV_OPTS(bpfdev_prog_load_opts, lo, .log_buf = log, .log_size = sizeof(log));
	struct bpf_insn *insns = NULL;
	struct bpf_prog_info info;
	__u32 ilen = sizeof(info), retval = 0, id, next;
	unsigned char pkt[128];
	char err[256];
	int n, fd;
	bool found = false;

	n = bpfdev_asm("r0 = 7\nexit\n", &insns, err, sizeof(err));
	fd = n > 0 ? bpfdev_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "t51_seven", "GPL", insns,
				      n, &lo) : -1;
	free(insns);
	if (!ok(fd >= 0, "progs: assemble and load 'r0 = 7; exit' (%s)", strerror(errno))) {
		tap_diag("%s", log);
		tap_skip("no program", "progs: the rest");
		return;
	}
	ok(run(fd, pkt, make_pkt(pkt, IPPROTO_UDP, 0, 0, 1, 10), &retval) == 0 && retval == 7,
	   "progs: test_run returns 7");
	memset(&info, 0, sizeof(info));
	ok(bpfdev_prog_get_info_by_fd(fd, &info, &ilen) == 0 &&
	   info.type == BPF_PROG_TYPE_SOCKET_FILTER && !strcmp(info.name, "t51_seven") &&
	   info.xlated_prog_len == 16, "progs: info (type, name, 2 insns)");
	for (id = 0; !bpfdev_prog_get_next_id(id, &next); id = next)
		found |= next == info.id;
	ok(found, "progs: prog_get_next_id finds it");
	n = bpfdev_prog_get_fd_by_id(info.id);
	ok(n >= 0, "progs: prog_get_fd_by_id");
	if (n >= 0)
		close(n);
	close(fd);

	n = bpfdev_asm("r0 = r5\nexit\n", &insns, err, sizeof(err));
	lo.log_level = 1;
	fd = bpfdev_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "t51_bad", "GPL", insns, n, &lo);
	free(insns);
	ok(fd < 0 && errno == EACCES && strstr(log, "R5"),
	   "progs: reading an uninitialised register is refused with a log naming R5 (%d)", errno);
	if (fd >= 0)
		close(fd);
}

static struct bpfdev_object *load_obj(const char *path)
{
	struct bpfdev_object *obj;

	msgs[0] = '\0';
	obj = bpfdev_object__open(path, NULL);
	if (obj && bpfdev_object__load(obj)) {
		tap_diag("load %s: %s", path, msgs);
		bpfdev_object__close(obj);
		return NULL;
	}
	if (!obj)
		tap_diag("open %s: %s", path, msgs);
	return obj;
}

static void test_syn_filter(void)
{
	struct bpfdev_object *obj = load_obj(OBJ("syn_filter"));
	struct bpfdev_program *p;
	struct bpfdev_map *bss;
	unsigned char pkt[128];
	__u32 ret = 99, zero = 0, len;
	__u64 count = 0;
	int fd;

	if (!ok(obj != NULL, "syn_filter: loads (BPF-to-BPF call, .bss)")) {
		tap_skip("not loaded", "syn_filter: runs");
		return;
	}
	p = bpfdev_object__find_program_by_name(obj, "syn_filter");
	fd = bpfdev_program__fd(p);
	len = make_pkt(pkt, IPPROTO_TCP, htonl(0x0a000001), 0x02, 80, 0);
	ok(run(fd, pkt, len, &ret) == 0 && ret == len, "syn_filter: a SYN is kept whole (%u)", ret);
	len = make_pkt(pkt, IPPROTO_TCP, htonl(0x0a000001), 0x12, 80, 0);
	ok(run(fd, pkt, len, &ret) == 0 && ret == 0, "syn_filter: a SYN-ACK is dropped");
	len = make_pkt(pkt, IPPROTO_UDP, htonl(0x0a000001), 0, 80, 20);
	ok(run(fd, pkt, len, &ret) == 0 && ret == 0, "syn_filter: UDP is dropped");
	len = make_pkt(pkt, IPPROTO_TCP, htonl(0x0a000001), 0x02, 80, 0);
	pkt[21] = 0x10;		/* a later fragment: offset 16 * 8 bytes */
	ok(run(fd, pkt, len, &ret) == 0 && ret == 0, "syn_filter: a non-first fragment is dropped");
	bss = bpfdev_object__find_map_by_name(obj, ".bss");
	fd = bss ? bpfdev_map_lookup_elem(bpfdev_map__fd(bss), &zero, &count) : -1;
	ok(fd == 0 && count == 1,
	   "syn_filter: .bss counted the one SYN (%llu)", (unsigned long long)count);
	bpfdev_object__close(obj);
}

static void test_ip_count(void)
{
	struct bpfdev_object *obj = load_obj(OBJ("ip_count"));
	struct bpfdev_map *m, *ro;
	unsigned char pkt[256];
	__u32 ret, saddr = htonl(0x0a010203), zero = 0, minlen = 5;
	__u64 c[2] = { 0, 0 };
	size_t len = 0;
	int fd, i;

	if (!ok(obj != NULL, "ip_count: loads (BTF hash map, .rodata)")) {
		tap_skip("not loaded", "ip_count: runs");
		return;
	}
	fd = bpfdev_program__fd(bpfdev_object__find_program_by_name(obj, "ip_count"));
	for (i = 0; i < 3; i++) {
		len = make_pkt(pkt, IPPROTO_UDP, saddr, 0, 53, 10 + i);
		run(fd, pkt, len, &ret);
	}
	m = bpfdev_object__find_map_by_name(obj, "counters");
	i = bpfdev_map_lookup_elem(bpfdev_map__fd(m), &saddr, c);
	ok(i == 0 && c[0] == 3 && c[1] == 52 + 53 + 54,
	   "ip_count: 3 packets and their bytes for 10.1.2.3 (%llu, %llu)",
	   (unsigned long long)c[0], (unsigned long long)c[1]);
	ro = bpfdev_object__find_map_by_name(obj, ".rodata");
	ok(ro && bpfdev_map_update_elem(bpfdev_map__fd(ro), &zero, &minlen, 0) == -EPERM,
	   ".rodata is frozen: update -EPERM");
	bpfdev_object__close(obj);
}

struct ev_ctx {
	int	n;
	__u16	dport;
	__u8	proto;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct ev_ctx *e = ctx;
	const __u8 *d = data;

	e->n++;
	if (size >= 32) {
		memcpy(&e->dport, d + offsetof(struct pkt_event, dport), 2);
		e->proto = d[offsetof(struct pkt_event, proto)];
	}
	return 0;
}

static void test_events(void)
{
	struct bpfdev_object *obj = load_obj(OBJ("events"));
	struct bpfdev_ringbuf *rb;
	struct ev_ctx ec = { 0 };
	unsigned char pkt[128];
	__u32 ret;
	size_t len;
	int fd;

	if (!ok(obj != NULL, "events: loads (RINGBUF)")) {
		tap_skip("not loaded", "events: runs");
		return;
	}
	fd = bpfdev_program__fd(bpfdev_object__find_program_by_name(obj, "events_filter"));
	rb = bpfdev_ringbuf__new(bpfdev_map__fd(bpfdev_object__find_map_by_name(obj, "events")),
				 on_event, &ec);
	ok(rb != NULL, "events: ring buffer mapped (%s)", strerror(errno));
	len = make_pkt(pkt, IPPROTO_UDP, htonl(0x0a000001), 0, 9000, 16);
	run(fd, pkt, len, &ret);
	run(fd, pkt, len, &ret);
	ok(rb && bpfdev_ringbuf__consume(rb) == 2 && ec.n == 2 && ec.dport == 9000 &&
	   ec.proto == IPPROTO_UDP, "events: two runs, two events (n %d, dport %u, proto %u)",
	   ec.n, ec.dport, ec.proto);
	ok(rb && bpfdev_ringbuf__poll(rb, 10) == 0, "events: then nothing more");
	bpfdev_ringbuf__free(rb);
	bpfdev_object__close(obj);
}

static int count_rec(void *ctx, const struct bpfdev_capture_rec *rec)
{
	int *n = ctx;

	if (rec->caplen >= 54 && rec->data[23] == IPPROTO_TCP && (rec->data[47] & 0x12) == 0x02)
		(*n)++;
	else
		(*n) += 1000;	/* anything else must not get through */
	return 0;
}

static void connect_refused(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	connect(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
}

static void test_capture(void)
{
	struct bpfdev_object *obj = load_obj(OBJ("syn_filter"));
	BPFDEV_OPTS(bpfdev_capture_opts, co, .ring_size = 1 << 16);
	struct bpfdev_capture *cap;
	struct bpfdev_cap_stats st;
	struct bpfdev_cap_info info;
	int n = 0, i, got;

	cap = bpfdev_capture__open(&co);
	if (!ok(obj && cap, "capture: a socket (%s)", strerror(errno))) {
		bpfdev_capture__close(cap);
		bpfdev_object__close(obj);
		tap_skip("no socket", "capture: the rest");
		return;
	}
	ok(bpfdev_capture__set_filter_prog(cap, bpfdev_program__fd(
			bpfdev_object__next_program(obj, NULL))) == 0,
	   "capture: syn_filter attached");
	ok(bpfdev_capture__bind(cap, "lo") == 0, "capture: bound to lo");
	ok(bpfdev_capture__info(cap, &info) == 0 && (info.flags & BPFDEV_CAP_FILTER) &&
	   (info.flags & BPFDEV_CAP_BOUND) && info.ring_size == 1 << 16,
	   "capture: info says bound, filtered, 64 KiB ring");
	for (i = 0; i < 3; i++)
		connect_refused(9 + i);
	for (i = 0, got = 0; i < 20 && n < 3; i++) {
		got = bpfdev_capture__poll(cap, 100, count_rec, &n);
		if (got < 0)
			break;
	}
	ok(n == 3, "capture: 3 SYNs to closed ports on lo, nothing else (%d)", n);
	ok(bpfdev_capture__stats(cap, &st) == 0 && st.accepted == 3 && st.delivered == 3 &&
	   st.seen >= 6, "capture: stats seen %llu accepted %llu delivered %llu",
	   (unsigned long long)st.seen, (unsigned long long)st.accepted,
	   (unsigned long long)st.delivered);
	{
		struct sock_filter all[] = { { 0x06, 0, 0, 0xffff } };	/* ret #65535 */

		ok(bpfdev_capture__set_filter_classic(cap, all, 1) == 0, "capture: classic accept-all");
	}
	ok(bpfdev_capture__flush(cap) == 0 && bpfdev_capture__stats(cap, &st) == 0 &&
	   st.seen == 0, "capture: flush zeroes the counters");
	ok(bpfdev_capture__clear_filter(cap) == 0, "capture: filter cleared");
	bpfdev_capture__close(cap);
	bpfdev_object__close(obj);
}

int main(void)
{
	struct bpfdev_version v;

	tap_plan(0);
	bpfdev_set_print(capture_print);
	ok(bpfdev_get_version(&v) == 0 && (v.features & BPFDEV_FEAT_BPF),
	   "device: version and the bpf() feature");
	test_maps();
	test_progs();
	test_syn_filter();
	test_ip_count();
	test_events();
	test_capture();
	return tap_done();
}
