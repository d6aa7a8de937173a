// SPDX-License-Identifier: GPL-2.0
/*
 * What prog and map commands share: type names, PROG and MAP arguments,
 * key/value bytes, files, the disassembler with map references.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfctl.h"
#include "disasm.h"

static const char * const prog_type_names[] = {
	[BPF_PROG_TYPE_UNSPEC]			= "unspec",
	[BPF_PROG_TYPE_SOCKET_FILTER]		= "socket_filter",
	[BPF_PROG_TYPE_KPROBE]			= "kprobe",
	[BPF_PROG_TYPE_SCHED_CLS]		= "sched_cls",
	[BPF_PROG_TYPE_SCHED_ACT]		= "sched_act",
	[BPF_PROG_TYPE_TRACEPOINT]		= "tracepoint",
	[BPF_PROG_TYPE_XDP]			= "xdp",
	[BPF_PROG_TYPE_PERF_EVENT]		= "perf_event",
	[BPF_PROG_TYPE_CGROUP_SKB]		= "cgroup_skb",
	[BPF_PROG_TYPE_CGROUP_SOCK]		= "cgroup_sock",
	[BPF_PROG_TYPE_LWT_IN]			= "lwt_in",
	[BPF_PROG_TYPE_LWT_OUT]			= "lwt_out",
	[BPF_PROG_TYPE_LWT_XMIT]		= "lwt_xmit",
	[BPF_PROG_TYPE_SOCK_OPS]		= "sock_ops",
	[BPF_PROG_TYPE_SK_SKB]			= "sk_skb",
	[BPF_PROG_TYPE_CGROUP_DEVICE]		= "cgroup_device",
	[BPF_PROG_TYPE_SK_MSG]			= "sk_msg",
	[BPF_PROG_TYPE_RAW_TRACEPOINT]		= "raw_tracepoint",
	[BPF_PROG_TYPE_CGROUP_SOCK_ADDR]	= "cgroup_sock_addr",
	[BPF_PROG_TYPE_LWT_SEG6LOCAL]		= "lwt_seg6local",
	[BPF_PROG_TYPE_LIRC_MODE2]		= "lirc_mode2",
	[BPF_PROG_TYPE_SK_REUSEPORT]		= "sk_reuseport",
	[BPF_PROG_TYPE_FLOW_DISSECTOR]		= "flow_dissector",
	[BPF_PROG_TYPE_CGROUP_SYSCTL]		= "cgroup_sysctl",
	[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE]	= "raw_tracepoint_writable",
	[BPF_PROG_TYPE_CGROUP_SOCKOPT]		= "cgroup_sockopt",
	[BPF_PROG_TYPE_TRACING]			= "tracing",
	[BPF_PROG_TYPE_STRUCT_OPS]		= "struct_ops",
	[BPF_PROG_TYPE_EXT]			= "ext",
	[BPF_PROG_TYPE_LSM]			= "lsm",
	[BPF_PROG_TYPE_SK_LOOKUP]		= "sk_lookup",
	[BPF_PROG_TYPE_SYSCALL]			= "syscall",
};

static const char * const map_type_names[] = {
	[BPF_MAP_TYPE_UNSPEC]			= "unspec",
	[BPF_MAP_TYPE_HASH]			= "hash",
	[BPF_MAP_TYPE_ARRAY]			= "array",
	[BPF_MAP_TYPE_PROG_ARRAY]		= "prog_array",
	[BPF_MAP_TYPE_PERF_EVENT_ARRAY]		= "perf_event_array",
	[BPF_MAP_TYPE_PERCPU_HASH]		= "percpu_hash",
	[BPF_MAP_TYPE_PERCPU_ARRAY]		= "percpu_array",
	[BPF_MAP_TYPE_STACK_TRACE]		= "stack_trace",
	[BPF_MAP_TYPE_CGROUP_ARRAY]		= "cgroup_array",
	[BPF_MAP_TYPE_LRU_HASH]			= "lru_hash",
	[BPF_MAP_TYPE_LRU_PERCPU_HASH]		= "lru_percpu_hash",
	[BPF_MAP_TYPE_LPM_TRIE]			= "lpm_trie",
	[BPF_MAP_TYPE_ARRAY_OF_MAPS]		= "array_of_maps",
	[BPF_MAP_TYPE_HASH_OF_MAPS]		= "hash_of_maps",
	[BPF_MAP_TYPE_DEVMAP]			= "devmap",
	[BPF_MAP_TYPE_SOCKMAP]			= "sockmap",
	[BPF_MAP_TYPE_CPUMAP]			= "cpumap",
	[BPF_MAP_TYPE_XSKMAP]			= "xskmap",
	[BPF_MAP_TYPE_SOCKHASH]			= "sockhash",
	[BPF_MAP_TYPE_CGROUP_STORAGE]		= "cgroup_storage",
	[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY]	= "reuseport_sockarray",
	[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE]	= "percpu_cgroup_storage",
	[BPF_MAP_TYPE_QUEUE]			= "queue",
	[BPF_MAP_TYPE_STACK]			= "stack",
	[BPF_MAP_TYPE_SK_STORAGE]		= "sk_storage",
	[BPF_MAP_TYPE_DEVMAP_HASH]		= "devmap_hash",
	[BPF_MAP_TYPE_STRUCT_OPS]		= "struct_ops",
	[BPF_MAP_TYPE_RINGBUF]			= "ringbuf",
	[BPF_MAP_TYPE_INODE_STORAGE]		= "inode_storage",
	[BPF_MAP_TYPE_TASK_STORAGE]		= "task_storage",
	[BPF_MAP_TYPE_BLOOM_FILTER]		= "bloom_filter",
	[BPF_MAP_TYPE_USER_RINGBUF]		= "user_ringbuf",
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

const char *prog_type_str(unsigned int type)
{
	return type < ARRAY_LEN(prog_type_names) && prog_type_names[type] ?
	       prog_type_names[type] : NULL;
}

const char *map_type_str(unsigned int type)
{
	return type < ARRAY_LEN(map_type_names) && map_type_names[type] ?
	       map_type_names[type] : NULL;
}

static int type_parse(const char * const *names, unsigned int n, const char *s)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	/* libbpf's section names work too: "socket" for socket_filter. */
	if (names == prog_type_names && !strcmp(s, "socket"))
		return BPF_PROG_TYPE_SOCKET_FILTER;
	return -1;
}

int prog_type_parse(const char *s)
{
	return type_parse(prog_type_names, ARRAY_LEN(prog_type_names), s);
}

int map_type_parse(const char *s)
{
	return type_parse(map_type_names, ARRAY_LEN(map_type_names), s);
}

static int fd_by_id_arg(const char *what, const char *arg, bool prog)
{
	char *end;
	unsigned long id = strtoul(arg, &end, 0);
	int fd;

	if (*end || !*arg) {
		p_err("can't parse %s as ID", arg);
		return -1;
	}
	fd = prog ? bpfdev_prog_get_fd_by_id(id) : bpfdev_map_get_fd_by_id(id);
	if (fd < 0)
		p_err("get %s by id (%lu): %s", what, id, strerror(errno));
	return fd;
}

static int fd_by_pin(const char *what, const char *name, bool prog)
{
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	__u32 len;
	int fd, err;

	fd = bpfdev_obj_get(name);
	if (fd < 0) {
		p_err("bpf obj get (%s): %s", name, strerror(errno));
		return -1;
	}
	/* The same name could hold a map: say so instead of failing later. */
	memset(&pinfo, 0, sizeof(pinfo));
	memset(&minfo, 0, sizeof(minfo));
	len = prog ? sizeof(pinfo) : sizeof(minfo);
	err = prog ? bpfdev_prog_get_info_by_fd(fd, &pinfo, &len) :
		     bpfdev_map_get_info_by_fd(fd, &minfo, &len);
	if (err) {
		p_err("incorrect object type: %s '%s' is not a %s", name, name, what);
		close(fd);
		return -1;
	}
	return fd;
}

/* Every object of a kind whose name (or tag) matches, up to n fds. */
static int fds_by_name(bool prog, const char *name, bool tag, int *fds, int n)
{
	__u32 id = 0;
	int nb = 0, fd, err;

	for (;;) {
		struct bpf_prog_info pinfo;
		struct bpf_map_info minfo;
		__u32 len;
		bool match;

		err = prog ? bpfdev_prog_get_next_id(id, &id) : bpfdev_map_get_next_id(id, &id);
		if (err) {
			if (errno != ENOENT) {
				p_err("%s", strerror(errno));
				goto err_close;
			}
			return nb;
		}
		fd = prog ? bpfdev_prog_get_fd_by_id(id) : bpfdev_map_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* gone meanwhile */
		memset(&pinfo, 0, sizeof(pinfo));
		memset(&minfo, 0, sizeof(minfo));
		len = prog ? sizeof(pinfo) : sizeof(minfo);
		err = prog ? bpfdev_prog_get_info_by_fd(fd, &pinfo, &len) :
			     bpfdev_map_get_info_by_fd(fd, &minfo, &len);
		if (err) {
			close(fd);
			continue;
		}
		if (tag) {
			char t[2 * BPF_TAG_SIZE + 1];
			int i;

			for (i = 0; i < BPF_TAG_SIZE; i++)
				sprintf(t + 2 * i, "%02x", pinfo.tag[i]);
			match = !strcmp(t, name);
		} else {
			match = !strncmp(prog ? pinfo.name : minfo.name, name, BPF_OBJ_NAME_LEN);
		}
		if (!match || nb == n) {
			close(fd);
			if (match) {
				p_err("too many matches for '%s'", name);
				goto err_close;
			}
			continue;
		}
		fds[nb++] = fd;
	}
err_close:
	while (nb)
		close(fds[--nb]);
	return -1;
}

static int parse_fds(bool prog, int *argc, char ***argv, int *fds, int n)
{
	const char *what = prog ? "prog" : "map";
	const char *kw, *arg;
	int fd, nb;

	if (*argc < 2) {
		p_err("expected 'id', 'pinned', 'name'%s, got: '%s'?",
		      prog ? " or 'tag'" : "", *argc ? **argv : "");
		return -1;
	}
	kw = (*argv)[0];
	arg = (*argv)[1];
	*argc -= 2;
	*argv += 2;
	if (is_prefix(kw, "id")) {
		fd = fd_by_id_arg(what, arg, prog);
		if (fd < 0)
			return -1;
		fds[0] = fd;
		return 1;
	}
	if (is_prefix(kw, "pinned")) {
		fd = fd_by_pin(what, arg, prog);
		if (fd < 0)
			return -1;
		fds[0] = fd;
		return 1;
	}
	if (is_prefix(kw, "name") || (prog && is_prefix(kw, "tag"))) {
		bool tag = is_prefix(kw, "tag");

		if (!tag && strlen(arg) > BPF_OBJ_NAME_LEN - 1) {
			p_err("can't parse name: longer than %d characters", BPF_OBJ_NAME_LEN - 1);
			return -1;
		}
		nb = fds_by_name(prog, arg, tag, fds, n);
		if (nb == 0)
			p_err("%s not found: %s '%s'", what, kw, arg);
		return nb > 0 ? nb : -1;
	}
	p_err("expected 'id', 'pinned', 'name'%s, got: '%s'?", prog ? " or 'tag'" : "", kw);
	return -1;
}

int prog_parse_fds(int *argc, char ***argv, int *fds, int n)
{
	return parse_fds(true, argc, argv, fds, n);
}

int map_parse_fds(int *argc, char ***argv, int *fds, int n)
{
	return parse_fds(false, argc, argv, fds, n);
}

static int parse_one(bool prog, int *argc, char ***argv)
{
	int fds[2], nb;

	nb = parse_fds(prog, argc, argv, fds, 2);
	if (nb == 2) {
		close(fds[0]);
		close(fds[1]);
	}
	if (nb > 1)
		p_err("several %ss match this handle", prog ? "program" : "map");
	if (nb != 1)
		return -1;
	return fds[0];
}

int prog_parse_fd(int *argc, char ***argv)
{
	return parse_one(true, argc, argv);
}

int map_parse_fd(int *argc, char ***argv)
{
	return parse_one(false, argc, argv);
}

int map_parse_fd_and_info(int *argc, char ***argv, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);
	int fd = map_parse_fd(argc, argv);

	if (fd < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	if (bpfdev_map_get_info_by_fd(fd, info, &len)) {
		p_err("can't get map info: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int parse_bytes(int *argc, char ***argv, const char *what, unsigned char *buf,
		unsigned int n)
{
	unsigned int i = 0;
	int base = 0;
	char *end;

	if (*argc && !strcmp(**argv, "hex")) {
		base = 16;
		(*argc)--;
		(*argv)++;
	}
	while (i < n && *argc) {
		unsigned long v = strtoul(**argv, &end, base);

		if (*end || !***argv) {
			p_err("error parsing byte: %s", **argv);
			return -1;
		}
		if (v > 0xff) {
			p_err("byte out of range: %s", **argv);
			return -1;
		}
		buf[i++] = v;
		(*argc)--;
		(*argv)++;
	}
	if (i != n) {
		p_err("%s expected %u bytes got %u", what, n, i);
		return -1;
	}
	return 0;
}

void fprint_hex(FILE *f, const void *buf, unsigned int n, const char *sep)
{
	const unsigned char *p = buf;
	unsigned int i;

	for (i = 0; i < n; i++) {
		fprintf(f, "%02x", p[i]);
		if (i + 1 < n)
			fputs(sep, f);
	}
}

void print_hex_json(const void *buf, unsigned int n)
{
	const unsigned char *p = buf;
	unsigned int i;

	jsonw_start_array(json_wtr);
	for (i = 0; i < n; i++)
		jsonw_printf(json_wtr, "\"0x%02hhx\"", p[i]);
	jsonw_end_array(json_wtr);
}

int nr_cpus(void)
{
	static int n;
	char buf[128];
	int fd, len, a, b;
	char *p;

	if (n)
		return n;
	fd = open("/sys/devices/system/cpu/possible", O_RDONLY);
	len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (len <= 0) {
		n = sysconf(_SC_NPROCESSORS_CONF);
		return n > 0 ? n : 1;
	}
	buf[len] = '\0';
	/* "0-3,5": the highest number + 1, as libbpf counts. */
	for (p = buf; *p;) {
		a = strtol(p, &p, 10);
		b = a;
		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		if (b + 1 > n)
			n = b + 1;
		if (*p != ',')
			break;
		p++;
	}
	return n ? n : 1;
}

bool map_is_per_cpu(unsigned int type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

int read_file(const char *path, void **buf, size_t *size)
{
	size_t cap = 4096, len = 0;
	char *b = malloc(cap), *nb;
	ssize_t r;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;

	if (fd < 0 || !b) {
		p_err("can't open %s: %s", path, strerror(errno));
		free(b);
		return -1;
	}
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				if (fd)
					close(fd);
				return -1;
			}
			b = nb;
		}
		r = read(fd, b + len, cap - len - 1);
		if (r < 0) {
			p_err("can't read %s: %s", path, strerror(errno));
			free(b);
			if (fd)
				close(fd);
			return -1;
		}
		if (!r)
			break;
		len += r;
	}
	if (fd)
		close(fd);
	b[len] = '\0';
	*buf = b;
	*size = len;
	return 0;
}

unsigned int insn_to_str(const struct bpf_insn *insns, unsigned int left, char *buf,
			 size_t size)
{
	const struct bpf_insn *i = insns;

	/* The kernel's print_bpf_insn() with bpftool's map callbacks. */
	if (i->code == (BPF_LD | BPF_IMM | BPF_DW) && left >= 2 &&
	    i->src_reg == BPF_PSEUDO_MAP_FD) {
		snprintf(buf, size, "(%02x) r%d = map[id:%u]", i->code, i->dst_reg,
			 (unsigned int)i->imm);
		return 2;
	}
	if (i->code == (BPF_LD | BPF_IMM | BPF_DW) && left >= 2 &&
	    i->src_reg == BPF_PSEUDO_MAP_VALUE) {
		snprintf(buf, size, "(%02x) r%d = map[id:%u][0]+%u", i->code, i->dst_reg,
			 (unsigned int)i->imm, (unsigned int)i[1].imm);
		return 2;
	}
	return bpfdev_disasm_insn(insns, left, buf, size);
}

int show_all_ids(int (*get_next_id)(__u32 start, __u32 *next),
		 int (*get_fd_by_id)(__u32 id), const char *what,
		 int (*show_fd)(int fd))
{
	__u32 id = 0;
	int fd, err = 0;

	if (json_output)
		jsonw_start_array(json_wtr);
	for (;;) {
		if (get_next_id(id, &id)) {
			if (errno == ENOENT)
				break;
			p_err("can't get next %s: %s", what, strerror(errno));
			err = -1;
			break;
		}
		fd = get_fd_by_id(id);
		if (fd < 0) {
			/* gone between the two calls: not an error */
			if (errno == ENOENT)
				continue;
			p_err("can't get %s by id (%u): %s", what, id, strerror(errno));
			err = -1;
			break;
		}
		err = show_fd(fd);
		close(fd);
		if (err)
			break;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	return err;
}
