// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl prog: show, load, dump xlated|jited, run, attach (to a capture
 * socket; tracing kinds in trace.c), pin, unpin, tracelog.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpfctl.h"

#define MAX_FDS		64

struct prog_info {
	struct bpf_prog_info	info;
	__u32			*map_ids;
};

static int get_info(int fd, struct prog_info *pi)
{
	__u32 len = sizeof(pi->info), nr;

	memset(pi, 0, sizeof(*pi));
	if (bpfdev_prog_get_info_by_fd(fd, &pi->info, &len)) {
		p_err("can't get prog info: %s", strerror(errno));
		return -1;
	}
	nr = pi->info.nr_map_ids;
	if (!nr)
		return 0;
	pi->map_ids = calloc(nr, sizeof(__u32));
	if (!pi->map_ids)
		return -1;
	memset(&pi->info, 0, sizeof(pi->info));
	pi->info.nr_map_ids = nr;
	pi->info.map_ids = (__u64)(unsigned long)pi->map_ids;
	len = sizeof(pi->info);
	if (bpfdev_prog_get_info_by_fd(fd, &pi->info, &len)) {
		p_err("can't get prog info: %s", strerror(errno));
		free(pi->map_ids);
		return -1;
	}
	if (pi->info.nr_map_ids > nr)
		pi->info.nr_map_ids = nr;
	return 0;
}

/* load_time counts from boot: the wall clock it was, as bpftool shows it. */
static time_t load_wall_time(__u64 load_ns)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return rt.tv_sec - bt.tv_sec + (time_t)(load_ns / 1000000000ULL);
}

static void tag_str(const __u8 *tag, char *buf)
{
	int i;

	for (i = 0; i < BPF_TAG_SIZE; i++)
		sprintf(buf + 2 * i, "%02x", tag[i]);
}

static void show_prog_json(struct prog_info *pi)
{
	struct bpf_prog_info *info = &pi->info;
	const char *type = prog_type_str(info->type);
	char tag[2 * BPF_TAG_SIZE + 1];
	__u32 i;

	tag_str(info->tag, tag);
	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", info->id);
	if (type)
		jsonw_string_field(json_wtr, "type", type);
	else
		jsonw_uint_field(json_wtr, "type", info->type);
	if (*info->name)
		jsonw_string_field(json_wtr, "name", info->name);
	jsonw_string_field(json_wtr, "tag", tag);
	jsonw_bool_field(json_wtr, "gpl_compatible", info->gpl_compatible);
	/* As bpftool: run statistics when there are some (tracing programs). */
	if (info->run_time_ns) {
		jsonw_uint_field(json_wtr, "run_time_ns", info->run_time_ns);
		jsonw_uint_field(json_wtr, "run_cnt", info->run_cnt);
	}
	if (info->recursion_misses)
		jsonw_uint_field(json_wtr, "recursion_misses", info->recursion_misses);
	jsonw_int_field(json_wtr, "loaded_at", load_wall_time(info->load_time));
	jsonw_uint_field(json_wtr, "uid", info->created_by_uid);
	jsonw_uint_field(json_wtr, "bytes_xlated", info->xlated_prog_len);
	jsonw_bool_field(json_wtr, "jited", !!info->jited_prog_len);
	if (info->jited_prog_len)
		jsonw_uint_field(json_wtr, "bytes_jited", info->jited_prog_len);
	if (info->nr_map_ids) {
		jsonw_name(json_wtr, "map_ids");
		jsonw_start_array(json_wtr);
		for (i = 0; i < info->nr_map_ids; i++)
			jsonw_uint(json_wtr, pi->map_ids[i]);
		jsonw_end_array(json_wtr);
	}
	if (info->verified_insns)
		jsonw_uint_field(json_wtr, "verified_insns", info->verified_insns);
	jsonw_end_object(json_wtr);
}

static void show_prog_plain(struct prog_info *pi)
{
	struct bpf_prog_info *info = &pi->info;
	const char *type = prog_type_str(info->type);
	char tag[2 * BPF_TAG_SIZE + 1], when[64];
	time_t t = load_wall_time(info->load_time);
	struct tm tm;
	__u32 i;

	tag_str(info->tag, tag);
	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (*info->name)
		printf("name %s  ", info->name);
	printf("tag %s", tag);
	if (info->gpl_compatible)
		printf("  gpl");
	if (info->run_time_ns)
		printf(" run_time_ns %llu run_cnt %llu", (unsigned long long)info->run_time_ns,
		       (unsigned long long)info->run_cnt);
	if (info->recursion_misses)
		printf(" recursion_misses %llu", (unsigned long long)info->recursion_misses);
	printf("\n");
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%FT%T%z", &tm);
	printf("\tloaded_at %s  uid %u\n", when, info->created_by_uid);
	printf("\txlated %uB", info->xlated_prog_len);
	if (info->jited_prog_len)
		printf("  jited %uB", info->jited_prog_len);
	else
		printf("  not jited");
	if (info->nr_map_ids) {
		printf("  map_ids ");
		for (i = 0; i < info->nr_map_ids; i++)
			printf("%s%u", i ? "," : "", pi->map_ids[i]);
	}
	printf("\n");
	if (info->verified_insns)
		printf("\tverified_insns %u\n", info->verified_insns);
}

static int show_fd(int fd)
{
	struct prog_info pi;

	if (get_info(fd, &pi))
		return -1;
	if (json_output)
		show_prog_json(&pi);
	else
		show_prog_plain(&pi);
	free(pi.map_ids);
	return 0;
}

static int do_show(int argc, char **argv)
{
	int fds[MAX_FDS], nb, i, err = 0;

	if (argc == 2) {
		nb = prog_parse_fds(&argc, &argv, fds, MAX_FDS);
		if (nb <= 0)
			return -1;
		if (json_output && nb > 1)
			jsonw_start_array(json_wtr);
		for (i = 0; i < nb; i++) {
			err |= show_fd(fds[i]);
			close(fds[i]);
		}
		if (json_output && nb > 1)
			jsonw_end_array(json_wtr);
		return err;
	}
	if (argc) {
		p_err("expected no more arguments, 'id', 'pinned', 'name' or 'tag', got: '%s'?",
		      *argv);
		return -1;
	}
	return show_all_ids(bpfdev_prog_get_next_id, bpfdev_prog_get_fd_by_id, "prog", show_fd);
}

static int load(int argc, char **argv, bool all)
{
	const char *file, *pin, *pinmaps = NULL;
	struct bpfdev_object *obj;
	struct bpfdev_program *prog, *first = NULL;
	struct bpfdev_map *map;
	unsigned long timeout = 0;
	bool autoattach = false;
	int type = -1, err = -1;

	if (!REQ_ARGS(2))
		return -1;
	file = argv[0];
	pin = argv[1];
	NEXT_ARG();
	NEXT_ARG();
	while (argc) {
		if (is_prefix(*argv, "type")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			type = prog_type_parse(*argv);
			if (type < 0) {
				p_err("unknown program type '%s'", *argv);
				return -1;
			}
			NEXT_ARG();
		} else if (is_prefix(*argv, "pinmaps")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			pinmaps = *argv;
			NEXT_ARG();
		} else if (all && is_prefix(*argv, "autoattach")) {
			autoattach = true;
			NEXT_ARG();
		} else if (autoattach && is_prefix(*argv, "timeout")) {
			NEXT_ARG();
			if (!REQ_ARGS(1))
				return -1;
			timeout = strtoul(*argv, NULL, 0);
			NEXT_ARG();
		} else {
			p_err("expected no more arguments, 'type', 'pinmaps'%s, got: '%s'?",
			      all ? " or 'autoattach'" : "", *argv);
			return -1;
		}
	}
	obj = bpfdev_object__open(file, NULL);
	if (!obj) {
		p_err("failed to open object file %s: %s", file, strerror(errno));
		return -1;
	}
	/* `prog load` loads the first program only, `loadall` every one. */
	bpfdev_object__for_each_program(prog, obj) {
		if (!first || all) {
			first = first ? first : prog;
			if (type >= 0)
				bpfdev_program__set_type(prog, type);
		} else {
			bpfdev_program__set_autoload(prog, false);
		}
	}
	if (!first) {
		p_err("object file %s has no programs", file);
		goto out;
	}
	if (bpfdev_object__load(obj)) {
		p_err("failed to load object file %s: %s", file, strerror(errno));
		goto out;
	}
	if (all) {
		bpfdev_object__for_each_program(prog, obj) {
			char name[256];

			snprintf(name, sizeof(name), "%s/%s", pin, bpfdev_program__name(prog));
			if (bpfdev_obj_pin(bpfdev_program__fd(prog), name)) {
				p_err("failed to pin program as '%s': %s", name, strerror(errno));
				goto out;
			}
		}
	} else if (bpfdev_obj_pin(bpfdev_program__fd(first), pin)) {
		p_err("failed to pin program as '%s': %s", pin, strerror(errno));
		goto out;
	}
	if (pinmaps) {
		bpfdev_object__for_each_map(map, obj) {
			char name[256];

			snprintf(name, sizeof(name), "%s/%s", pinmaps, bpfdev_map__name(map));
			if (bpfdev_obj_pin(bpfdev_map__fd(map), name)) {
				p_err("failed to pin map '%s': %s", name, strerror(errno));
				bpfdev_obj_unpin(pin);
				goto out;
			}
		}
	}
	if (autoattach)
		err = trace_autoattach(obj, timeout);
	else if (json_output)
		jsonw_null(json_wtr);
	if (!autoattach)
		err = 0;
out:
	bpfdev_object__close(obj);
	return err;
}

static int do_load(int argc, char **argv)
{
	return load(argc, argv, false);
}

static int do_loadall(int argc, char **argv)
{
	return load(argc, argv, true);
}

static int get_code(int fd, bool jited, void **buf, __u32 *len, struct bpf_prog_info *out)
{
	struct bpf_prog_info info;
	__u32 ilen = sizeof(info), n;

	memset(&info, 0, sizeof(info));
	if (bpfdev_prog_get_info_by_fd(fd, &info, &ilen)) {
		p_err("can't get prog info: %s", strerror(errno));
		return -1;
	}
	n = jited ? info.jited_prog_len : info.xlated_prog_len;
	if (!n) {
		p_err(jited ? "no instructions returned (not JITed: the interpreter runs it)" :
			      "no instructions returned");
		return -1;
	}
	*buf = calloc(1, n);
	if (!*buf)
		return -1;
	memset(&info, 0, sizeof(info));
	if (jited) {
		info.jited_prog_len = n;
		info.jited_prog_insns = (__u64)(unsigned long)*buf;
	} else {
		info.xlated_prog_len = n;
		info.xlated_prog_insns = (__u64)(unsigned long)*buf;
	}
	ilen = sizeof(info);
	if (bpfdev_prog_get_info_by_fd(fd, &info, &ilen)) {
		p_err("can't get prog info: %s", strerror(errno));
		free(*buf);
		return -1;
	}
	*len = n;
	if (out)
		*out = info;
	return 0;
}

static void dump_xlated(const struct bpf_insn *insns, unsigned int cnt, bool opcodes)
{
	unsigned int i, n;
	char line[160];

	if (json_output)
		jsonw_start_array(json_wtr);
	for (i = 0; i < cnt; i += n) {
		n = insn_to_str(&insns[i], cnt - i, line, sizeof(line));
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_string_field(json_wtr, "disasm", line);
			if (opcodes) {
				const struct bpf_insn *in = &insns[i];

				jsonw_name(json_wtr, "opcodes");
				jsonw_start_object(json_wtr);
				jsonw_name(json_wtr, "code");
				jsonw_printf(json_wtr, "\"0x%02hhx\"", in->code);
				jsonw_name(json_wtr, "src_reg");
				jsonw_printf(json_wtr, "\"0x%hhx\"", in->src_reg);
				jsonw_name(json_wtr, "dst_reg");
				jsonw_printf(json_wtr, "\"0x%hhx\"", in->dst_reg);
				jsonw_name(json_wtr, "off");
				print_hex_json(&in->off, sizeof(in->off));
				jsonw_name(json_wtr, "imm");
				print_hex_json(&in->imm, sizeof(in->imm));
				jsonw_end_object(json_wtr);
			}
			jsonw_end_object(json_wtr);
			continue;
		}
		printf("%4u: %s\n", i, line);
		if (opcodes) {
			printf("       ");
			fprint_hex(stdout, &insns[i], n * sizeof(struct bpf_insn), " ");
			printf("\n");
		}
	}
	if (json_output)
		jsonw_end_array(json_wtr);
}

/* x86-64 through binutils' objdump if there is one; else hex, as bpftool without libbfd. */
static int dump_jited(const unsigned char *code, __u32 len, bool opcodes)
{
	char path[] = "/tmp/bpfctl-jit-XXXXXX";
	char cmd[512], line[512];
	FILE *p = NULL;
	int fd, lines = 0;
	__u32 i;

	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, code, len) != (ssize_t)len) {
			close(fd);
			unlink(path);
			fd = -1;
		} else {
			close(fd);
		}
	}
	if (fd >= 0) {
		snprintf(cmd, sizeof(cmd),
			 "objdump -D -b binary -mi386:x86-64 %s %s 2>/dev/null",
			 opcodes ? "" : "--no-show-raw-insn", path);
		p = popen(cmd, "r");
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	while (p && fgets(line, sizeof(line), p)) {
		char *s = line, *colon;

		/* Only the instruction lines: "   0:\tf3 0f 1e fa \tendbr64". */
		line[strcspn(line, "\n")] = '\0';
		colon = strchr(s, ':');
		if (!colon || colon[1] != '\t' || !strchr(" 0123456789abcdef", *s))
			continue;
		while (*s == ' ')
			s++;
		lines++;
		if (json_output) {
			jsonw_start_object(json_wtr);
			*colon = '\0';
			jsonw_uint_field(json_wtr, "pc", strtoul(s, NULL, 16));
			jsonw_string_field(json_wtr, "operation", colon + 2);
			jsonw_end_object(json_wtr);
		} else {
			printf("%s\n", line);
		}
	}
	if (p)
		pclose(p);
	if (fd >= 0)
		unlink(path);
	if (!lines) {
		/* No disassembler: the bytes, 16 a line. */
		for (i = 0; i < len; i++) {
			if (json_output) {
				jsonw_printf(json_wtr, "\"0x%02x\"", code[i]);
				continue;
			}
			if (i % 16 == 0)
				printf("%s%4x:", i ? "\n" : "", i);
			printf(" %02x", code[i]);
		}
		if (!json_output && len)
			printf("\n");
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	return 0;
}

static int do_dump(int argc, char **argv)
{
	bool jited, opcodes = false;
	const char *file = NULL;
	void *buf;
	__u32 len;
	int fd, err = 0;

	if (!REQ_ARGS(1))
		return -1;
	if (is_prefix(*argv, "jited")) {
		jited = true;
	} else if (is_prefix(*argv, "xlated")) {
		jited = false;
	} else {
		p_err("expected 'xlated' or 'jited', got: %s", *argv);
		return -1;
	}
	NEXT_ARG();
	fd = prog_parse_fd(&argc, &argv);
	if (fd < 0)
		return -1;
	while (argc) {
		if (is_prefix(*argv, "opcodes")) {
			opcodes = true;
			NEXT_ARG();
		} else if (is_prefix(*argv, "file") && argc > 1) {
			file = argv[1];
			NEXT_ARG();
			NEXT_ARG();
		} else {
			p_err("expected no more arguments, 'file' or 'opcodes', got: '%s'?", *argv);
			close(fd);
			return -1;
		}
	}
	if (get_code(fd, jited, &buf, &len, NULL)) {
		close(fd);
		return -1;
	}
	close(fd);
	if (file) {
		FILE *f = fopen(file, "w");

		if (!f || fwrite(buf, 1, len, f) != len) {
			p_err("can't write %s: %s", file, strerror(errno));
			err = -1;
		}
		if (f)
			fclose(f);
		if (!err && json_output)
			jsonw_null(json_wtr);
	} else if (jited) {
		err = dump_jited(buf, len, opcodes);
	} else {
		dump_xlated(buf, len / sizeof(struct bpf_insn), opcodes);
	}
	free(buf);
	return err;
}

static int do_run(int argc, char **argv)
{
	BPFDEV_OPTS(bpfdev_test_run_opts, opts);
	const char *data_in = NULL, *data_out = NULL, *ctx_in = NULL;
	void *din = NULL, *dout = NULL, *cin = NULL;
	size_t din_len = 0, cin_len = 0;
	unsigned long repeat = 1;
	int fd, err = -1;

	fd = prog_parse_fd(&argc, &argv);
	if (fd < 0)
		return -1;
	while (argc) {
		if (argc < 2) {
			p_err("'%s' needs an argument", *argv);
			goto out;
		}
		if (is_prefix(*argv, "data_in"))
			data_in = argv[1];
		else if (is_prefix(*argv, "data_out"))
			data_out = argv[1];
		else if (is_prefix(*argv, "ctx_in"))
			ctx_in = argv[1];
		else if (is_prefix(*argv, "repeat"))
			repeat = strtoul(argv[1], NULL, 0);
		else {
			p_err("expected 'data_in', 'data_out', 'ctx_in' or 'repeat', got: '%s'?",
			      *argv);
			goto out;
		}
		NEXT_ARG();
		NEXT_ARG();
	}
	if (data_in && read_file(data_in, &din, &din_len))
		goto out;
	if (ctx_in && read_file(ctx_in, &cin, &cin_len))
		goto out;
	opts.data_in = din;
	opts.data_size_in = din_len;
	opts.ctx_in = cin;
	opts.ctx_size_in = cin_len;
	opts.repeat = repeat;
	if (data_out) {
		dout = calloc(1, din_len + 65536);
		opts.data_out = dout;
		opts.data_size_out = din_len + 65536;
	}
	if (bpfdev_prog_test_run_opts(fd, &opts)) {
		p_err("failed to run program: %s", strerror(errno));
		goto out;
	}
	if (data_out) {
		FILE *f = strcmp(data_out, "-") ? fopen(data_out, "w") : stdout;

		if (!f || fwrite(dout, 1, opts.data_size_out, f) != opts.data_size_out) {
			p_err("can't write %s", data_out);
			goto out;
		}
		if (f != stdout)
			fclose(f);
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "retval", opts.retval);
		jsonw_uint_field(json_wtr, "duration", opts.duration);
		if (data_out)
			jsonw_uint_field(json_wtr, "data_size_out", opts.data_size_out);
		jsonw_end_object(json_wtr);
	} else {
		printf("Return value: %u, duration%s: %uns\n", opts.retval,
		       repeat > 1 ? " (average)" : "", opts.duration);
	}
	err = 0;
out:
	free(din);
	free(dout);
	free(cin);
	close(fd);
	return err;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

struct attach_ctx {
	unsigned long	count;
	unsigned long	max;
};

static int print_record(void *ctx, const struct bpfdev_capture_rec *rec)
{
	struct attach_ctx *ac = ctx;
	const struct bpfdev_cap_hdr *h = rec->hdr;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "tstamp_ns", h->tstamp_ns);
		jsonw_uint_field(json_wtr, "ifindex", h->ifindex);
		jsonw_uint_field(json_wtr, "len", h->wirelen);
		jsonw_uint_field(json_wtr, "caplen", h->caplen);
		jsonw_uint_field(json_wtr, "protocol", __builtin_bswap16(h->protocol));
		jsonw_string_field(json_wtr, "direction",
				   h->direction == BPFDEV_DIR_OUT ? "out" : "in");
		jsonw_end_object(json_wtr);
	} else {
		printf("%llu.%09llu %s ifindex %u proto 0x%04x len %u caplen %u\n",
		       (unsigned long long)(h->tstamp_ns / 1000000000ULL),
		       (unsigned long long)(h->tstamp_ns % 1000000000ULL),
		       h->direction == BPFDEV_DIR_OUT ? "out" : "in", h->ifindex,
		       __builtin_bswap16(h->protocol), h->wirelen, h->caplen);
		fflush(stdout);
	}
	ac->count++;
	/* Enough: stop consuming (poll hands this back). */
	return ac->max && ac->count >= ac->max ? -ECANCELED : 0;
}

/*
 * prog attach PROG capture IFACE [count N] [timeout SECS] [snaplen N]:
 * a capture socket on IFACE with PROG attached by BPF_PROG_ATTACH, read
 * until count packets, timeout seconds or a signal.  The attachment lives
 * as long as this command: capture sockets belong to their process.
 */
static int do_attach(int argc, char **argv)
{
	BPFDEV_OPTS(bpfdev_capture_opts, copts);
	struct attach_ctx ac = { 0 };
	struct bpfdev_capture *cap = NULL;
	struct bpfdev_cap_stats st;
	const char *ifname;
	unsigned long timeout = 0;
	struct timespec t0, now;
	int fd, err = -1, n;

	fd = prog_parse_fd(&argc, &argv);
	if (fd < 0)
		return -1;
	if (argc && strcmp(argv[0], "capture") && !is_prefix(argv[0], "capture")) {
		err = do_attach_trace(fd, argc, argv);
		close(fd);
		return err;
	}
	if (argc < 2) {
		p_err("expected an attach type and its target, got: '%s'?", argc ? *argv : "");
		goto out;
	}
	ifname = argv[1];
	NEXT_ARG();
	NEXT_ARG();
	while (argc) {
		if (argc < 2) {
			p_err("'%s' needs an argument", *argv);
			goto out;
		}
		if (is_prefix(*argv, "count"))
			ac.max = strtoul(argv[1], NULL, 0);
		else if (is_prefix(*argv, "timeout"))
			timeout = strtoul(argv[1], NULL, 0);
		else if (is_prefix(*argv, "snaplen"))
			copts.snaplen = strtoul(argv[1], NULL, 0);
		else {
			p_err("expected 'count', 'timeout' or 'snaplen', got: '%s'?", *argv);
			goto out;
		}
		NEXT_ARG();
		NEXT_ARG();
	}
	cap = bpfdev_capture__open(&copts);
	if (!cap) {
		p_err("can't open a capture socket: %s", strerror(errno));
		goto out;
	}
	if (bpfdev_prog_attach(fd, bpfdev_capture__fd(cap), 0, 0)) {
		p_err("can't attach the program: %s", strerror(errno));
		goto out;
	}
	if (bpfdev_capture__bind(cap, ifname)) {
		p_err("can't bind to %s: %s", ifname, strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Ready: scripts wait for this line (on stderr, so in JSON mode too). */
	fprintf(stderr, "attached to %s\n", ifname);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_name(json_wtr, "packets");
		jsonw_start_array(json_wtr);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && (!ac.max || ac.count < ac.max)) {
		n = bpfdev_capture__poll(cap, 100, print_record, &ac);
		if (n < 0 && n != -ECANCELED) {
			p_err("capture: %s", strerror(-n));
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout && (unsigned long)(now.tv_sec - t0.tv_sec) >= timeout)
			break;
	}
	memset(&st, 0, sizeof(st));
	bpfdev_capture__stats(cap, &st);
	if (json_output) {
		jsonw_end_array(json_wtr);
		jsonw_name(json_wtr, "stats");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "seen", st.seen);
		jsonw_uint_field(json_wtr, "accepted", st.accepted);
		jsonw_uint_field(json_wtr, "delivered", st.delivered);
		jsonw_uint_field(json_wtr, "dropped", st.dropped);
		jsonw_end_object(json_wtr);
		jsonw_end_object(json_wtr);
	} else {
		printf("%lu packets printed, seen %llu, accepted %llu, delivered %llu, dropped %llu\n",
		       ac.count, (unsigned long long)st.seen,
		       (unsigned long long)st.accepted, (unsigned long long)st.delivered,
		       (unsigned long long)st.dropped);
	}
	err = 0;
out:
	bpfdev_capture__close(cap);
	close(fd);
	return err;
}

static int do_pin(int argc, char **argv)
{
	int fd;

	fd = prog_parse_fd(&argc, &argv);
	if (fd < 0)
		return -1;
	if (argc != 1) {
		p_err("expected one pin name");
		close(fd);
		return -1;
	}
	if (bpfdev_obj_pin(fd, *argv)) {
		p_err("can't pin as '%s': %s", *argv, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

int do_unpin_name(int argc, char **argv)
{
	if (argc != 1) {
		p_err("expected one pin name");
		return -1;
	}
	if (bpfdev_obj_unpin(*argv)) {
		p_err("can't unpin '%s': %s", *argv, strerror(errno));
		return -1;
	}
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s %2$s { show | list } [PROG]\n"
		"       %1$s %2$s dump xlated PROG [{ file FILE | opcodes }]\n"
		"       %1$s %2$s dump jited  PROG [{ file FILE | opcodes }]\n"
		"       %1$s %2$s pin   PROG NAME\n"
		"       %1$s %2$s unpin NAME\n"
		"       %1$s %2$s { load | loadall } OBJ NAME [type TYPE] [pinmaps PREFIX]\n"
		"       %1$s %2$s loadall OBJ NAME [pinmaps PREFIX] autoattach [timeout SECS]\n"
		"       %1$s %2$s run   PROG [data_in FILE] [data_out FILE] [ctx_in FILE] [repeat N]\n"
		"       %1$s %2$s attach PROG capture DEVICE [count N] [timeout SECS] [snaplen N]\n"
		"       %1$s %2$s attach PROG TRACE [timeout SECS]\n"
		"       %1$s %2$s tracelog\n"
		"       %1$s %2$s help\n"
		"\n"
		"       PROG := { id PROG_ID | pinned NAME | tag PROG_TAG | name PROG_NAME }\n"
		"       TYPE := { socket_filter | sched_cls | xdp | kprobe | tracepoint | ... }\n"
		"       TRACE := { kprobe FUNC[+OFF] | kretprobe FUNC | tracepoint CAT:NAME |\n"
		"                  raw_tracepoint NAME | uprobe PATH:SYM[+OFF] [pid PID] |\n"
		"                  uretprobe PATH:SYM [pid PID] | perf { freq HZ | period N } [cpu N] }\n"
		"       NAME: a name in bpfdev's pin registry (no bpffs behind /dev/bpf);\n"
		"             loadall pins each program as NAME/PROG_NAME, pinmaps each\n"
		"             map as PREFIX/MAP_NAME\n"
		"       attach: a capture socket on DEVICE (\"any\" for all) runs PROG as its\n"
		"               filter and prints what it keeps, until count, timeout or ^C\n"
		"       attach TRACE, autoattach: the links live while the command runs (until\n"
		"               timeout or ^C), then it prints what each program ran\n"
		"       tracelog: bpf_trace_printk() lines from bpfdev's trace_pipe until ^C\n",
		bin_name, "prog");
	return 0;
}

static const struct cmd cmds[] = {
	{ "show",	do_show },
	{ "list",	do_show },
	{ "help",	do_help },
	{ "dump",	do_dump },
	{ "pin",	do_pin },
	{ "unpin",	do_unpin_name },
	{ "load",	do_load },
	{ "loadall",	do_loadall },
	{ "run",	do_run },
	{ "attach",	do_attach },
	{ "tracelog",	do_tracelog },
	{ 0 }
};

int do_prog(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
