// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl map: show, dump, lookup, update, delete, getnext, create, pin,
 * unpin, freeze; keys and values as bytes, bpftool's way.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfctl.h"

#define MAX_FDS		64

/* Bytes a value takes in a lookup: one slot per possible CPU for per-CPU maps. */
static unsigned int value_bytes(const struct bpf_map_info *info)
{
	if (map_is_per_cpu(info->type))
		return ((info->value_size + 7) & ~7U) * nr_cpus();
	return info->value_size;
}

static void show_map_json(int fd, const struct bpf_map_info *info)
{
	const char *type = map_type_str(info->type);

	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", info->id);
	if (type)
		jsonw_string_field(json_wtr, "type", type);
	else
		jsonw_uint_field(json_wtr, "type", info->type);
	if (*info->name)
		jsonw_string_field(json_wtr, "name", info->name);
	jsonw_uint_field(json_wtr, "flags", info->map_flags);
	jsonw_uint_field(json_wtr, "bytes_key", info->key_size);
	jsonw_uint_field(json_wtr, "bytes_value", info->value_size);
	jsonw_uint_field(json_wtr, "max_entries", info->max_entries);
	jsonw_end_object(json_wtr);
}

static void show_map_plain(int fd, const struct bpf_map_info *info)
{
	const char *type = map_type_str(info->type);

	printf("%u: ", info->id);
	if (type)
		printf("%s  ", type);
	else
		printf("type %u  ", info->type);
	if (*info->name)
		printf("name %s  ", info->name);
	printf("flags 0x%x\n", info->map_flags);
	printf("\tkey %uB  value %uB  max_entries %u\n", info->key_size,
	       info->value_size, info->max_entries);
}

static int show_fd(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpfdev_map_get_info_by_fd(fd, &info, &len)) {
		p_err("can't get map info: %s", strerror(errno));
		return -1;
	}
	if (json_output)
		show_map_json(fd, &info);
	else
		show_map_plain(fd, &info);
	return 0;
}

static int do_show(int argc, char **argv)
{
	int fds[MAX_FDS], nb, i, err = 0;

	if (argc == 2) {
		nb = map_parse_fds(&argc, &argv, fds, MAX_FDS);
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
		p_err("expected no more arguments, 'id', 'pinned' or 'name', got: '%s'?", *argv);
		return -1;
	}
	return show_all_ids(bpfdev_map_get_next_id, bpfdev_map_get_fd_by_id, "map", show_fd);
}

/* bpftool's print_entry_plain(): one line when short, else key and value apart. */
static void print_entry_plain(const struct bpf_map_info *info, const unsigned char *key,
			      const unsigned char *value)
{
	unsigned int vsize = (info->value_size + 7) & ~7U, i, n = nr_cpus();

	if (!map_is_per_cpu(info->type)) {
		bool one_line = info->key_size + info->value_size <= 24 &&
				info->key_size <= 16 && info->value_size <= 16;

		printf("key:%c", one_line ? ' ' : '\n');
		fprint_hex(stdout, key, info->key_size, " ");
		printf(one_line ? "  " : "\n");
		printf("value:%c", one_line ? ' ' : '\n');
		if (value)
			fprint_hex(stdout, value, info->value_size, " ");
		else
			printf("<no entry>");
		printf("\n");
		return;
	}
	printf("key:\n");
	fprint_hex(stdout, key, info->key_size, " ");
	printf("\n");
	for (i = 0; i < n; i++) {
		printf("value (CPU %02u):%c", i, info->value_size > 16 ? '\n' : ' ');
		fprint_hex(stdout, value + i * vsize, info->value_size, " ");
		printf("\n");
	}
}

static void print_entry_json(const struct bpf_map_info *info, const unsigned char *key,
			     const unsigned char *value)
{
	unsigned int vsize = (info->value_size + 7) & ~7U, i, n = nr_cpus();

	jsonw_start_object(json_wtr);
	jsonw_name(json_wtr, "key");
	print_hex_json(key, info->key_size);
	if (!map_is_per_cpu(info->type)) {
		jsonw_name(json_wtr, "value");
		print_hex_json(value, info->value_size);
	} else {
		jsonw_name(json_wtr, "values");
		jsonw_start_array(json_wtr);
		for (i = 0; i < n; i++) {
			jsonw_start_object(json_wtr);
			jsonw_int_field(json_wtr, "cpu", i);
			jsonw_name(json_wtr, "value");
			print_hex_json(value + i * vsize, info->value_size);
			jsonw_end_object(json_wtr);
		}
		jsonw_end_array(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

static bool map_has_keys(unsigned int type)
{
	return type != BPF_MAP_TYPE_RINGBUF && type != BPF_MAP_TYPE_QUEUE &&
	       type != BPF_MAP_TYPE_STACK;
}

static int dump_fd(int fd, const struct bpf_map_info *info)
{
	unsigned char *key, *next, *value;
	unsigned int n = 0;
	bool first = true;
	int err = 0;

	if (!map_has_keys(info->type)) {
		p_err("a %s map has no elements to dump", map_type_str(info->type));
		return -1;
	}
	key = calloc(1, info->key_size + 1);
	next = calloc(1, info->key_size + 1);
	value = calloc(1, value_bytes(info) + 1);
	if (!key || !next || !value) {
		p_err("out of memory");
		err = -1;
		goto out;
	}
	if (json_output)
		jsonw_start_array(json_wtr);
	for (;;) {
		if (bpfdev_map_get_next_key(fd, first ? NULL : key, next)) {
			if (errno != ENOENT) {
				p_err("can't get next key: %s", strerror(errno));
				err = -1;
			}
			break;
		}
		first = false;
		memcpy(key, next, info->key_size);
		if (bpfdev_map_lookup_elem(fd, key, value)) {
			/* Deleted meanwhile, or a prog array slot: bpftool skips it too. */
			if (errno == ENOENT)
				continue;
			if (!json_output) {
				printf("key:\n");
				fprint_hex(stdout, key, info->key_size, " ");
				printf("\nvalue:\n<%s>\n", strerror(errno));
			}
			continue;
		}
		if (json_output)
			print_entry_json(info, key, value);
		else
			print_entry_plain(info, key, value);
		n++;
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	else
		printf("Found %u element%s\n", n, n == 1 ? "" : "s");
out:
	free(key);
	free(next);
	free(value);
	return err;
}

static int do_dump(int argc, char **argv)
{
	int fds[MAX_FDS], nb, i, err = 0;

	if (argc != 2) {
		p_err("expected MAP: 'id', 'pinned' or 'name' and its value");
		return -1;
	}
	nb = map_parse_fds(&argc, &argv, fds, MAX_FDS);
	if (nb <= 0)
		return -1;
	if (json_output && nb > 1)
		jsonw_start_array(json_wtr);
	for (i = 0; i < nb; i++) {
		struct bpf_map_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpfdev_map_get_info_by_fd(fds[i], &info, &len)) {
			p_err("can't get map info: %s", strerror(errno));
			err = -1;
		} else {
			err |= dump_fd(fds[i], &info);
		}
		close(fds[i]);
	}
	if (json_output && nb > 1)
		jsonw_end_array(json_wtr);
	return err;
}

/* "key DATA" into a new buffer of the map's key size. */
static int parse_key(int *argc, char ***argv, const char *word,
		     const struct bpf_map_info *info, unsigned int size, unsigned char **out)
{
	if (!*argc || !is_prefix(**argv, word)) {
		p_err("did not find %s", word);
		return -1;
	}
	(*argc)--;
	(*argv)++;
	*out = calloc(1, size + 1);
	if (!*out)
		return -1;
	return parse_bytes(argc, argv, word, *out, size);
}

/* "value DATA": value_size bytes, copied to every CPU's slot of a per-CPU map, as bpftool does. */
static int parse_value(int *argc, char ***argv, const struct bpf_map_info *info,
		       unsigned char **out)
{
	unsigned int vsize = (info->value_size + 7) & ~7U, i, n;
	unsigned char *v;

	if (parse_key(argc, argv, "value", info, info->value_size, out))
		return -1;
	if (!map_is_per_cpu(info->type))
		return 0;
	n = nr_cpus();
	v = calloc(n, vsize);
	if (!v)
		return -1;
	for (i = 0; i < n; i++)
		memcpy(v + i * vsize, *out, info->value_size);
	free(*out);
	*out = v;
	return 0;
}

static int do_lookup(int argc, char **argv)
{
	struct bpf_map_info info;
	unsigned char *key = NULL, *value = NULL;
	int fd, err = -1;

	fd = map_parse_fd_and_info(&argc, &argv, &info);
	if (fd < 0)
		return -1;
	if (parse_key(&argc, &argv, "key", &info, info.key_size, &key))
		goto out;
	if (argc) {
		p_err("too many arguments: '%s'", *argv);
		goto out;
	}
	value = calloc(1, value_bytes(&info) + 1);
	if (!value)
		goto out;
	if (bpfdev_map_lookup_elem(fd, key, value)) {
		if (errno == ENOENT) {
			if (json_output) {
				jsonw_null(json_wtr);
			} else {
				printf("key:\n");
				fprint_hex(stdout, key, info.key_size, " ");
				printf("\n\nNot found\n");
			}
			err = 0;
		} else {
			p_err("lookup failed: %s", strerror(errno));
		}
		goto out;
	}
	if (json_output)
		print_entry_json(&info, key, value);
	else
		print_entry_plain(&info, key, value);
	err = 0;
out:
	free(key);
	free(value);
	close(fd);
	return err;
}

static int do_update(int argc, char **argv)
{
	struct bpf_map_info info;
	unsigned char *key = NULL, *value = NULL;
	__u64 flags = BPF_ANY;
	int fd, err = -1;

	fd = map_parse_fd_and_info(&argc, &argv, &info);
	if (fd < 0)
		return -1;
	if (parse_key(&argc, &argv, "key", &info, info.key_size, &key) ||
	    parse_value(&argc, &argv, &info, &value))
		goto out;
	if (argc) {
		if (is_prefix(*argv, "any"))
			flags = BPF_ANY;
		else if (is_prefix(*argv, "noexist"))
			flags = BPF_NOEXIST;
		else if (is_prefix(*argv, "exist"))
			flags = BPF_EXIST;
		else {
			p_err("expected UPDATE_FLAGS (any, exist, noexist), got: '%s'", *argv);
			goto out;
		}
		NEXT_ARG();
	}
	if (argc) {
		p_err("too many arguments: '%s'", *argv);
		goto out;
	}
	if (bpfdev_map_update_elem(fd, key, value, flags)) {
		p_err("update failed: %s", strerror(errno));
		goto out;
	}
	if (json_output)
		jsonw_null(json_wtr);
	err = 0;
out:
	free(key);
	free(value);
	close(fd);
	return err;
}

static int do_delete(int argc, char **argv)
{
	struct bpf_map_info info;
	unsigned char *key = NULL;
	int fd, err = -1;

	fd = map_parse_fd_and_info(&argc, &argv, &info);
	if (fd < 0)
		return -1;
	if (parse_key(&argc, &argv, "key", &info, info.key_size, &key))
		goto out;
	if (argc) {
		p_err("too many arguments: '%s'", *argv);
		goto out;
	}
	if (bpfdev_map_delete_elem(fd, key)) {
		p_err("delete failed: %s", strerror(errno));
		goto out;
	}
	if (json_output)
		jsonw_null(json_wtr);
	err = 0;
out:
	free(key);
	close(fd);
	return err;
}

static int do_getnext(int argc, char **argv)
{
	struct bpf_map_info info;
	unsigned char *key = NULL, *next = NULL;
	int fd, err = -1;

	fd = map_parse_fd_and_info(&argc, &argv, &info);
	if (fd < 0)
		return -1;
	if (argc) {
		if (parse_key(&argc, &argv, "key", &info, info.key_size, &key))
			goto out;
	}
	if (argc) {
		p_err("too many arguments: '%s'", *argv);
		goto out;
	}
	next = calloc(1, info.key_size + 1);
	if (!next)
		goto out;
	if (bpfdev_map_get_next_key(fd, key, next)) {
		p_err("can't get next key: %s", strerror(errno));
		goto out;
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		if (key) {
			jsonw_name(json_wtr, "key");
			print_hex_json(key, info.key_size);
		} else {
			jsonw_name(json_wtr, "key");
			jsonw_null(json_wtr);
		}
		jsonw_name(json_wtr, "next_key");
		print_hex_json(next, info.key_size);
		jsonw_end_object(json_wtr);
	} else {
		if (key) {
			printf("key:\n");
			fprint_hex(stdout, key, info.key_size, " ");
			printf("\n");
		} else {
			printf("key: None\n");
		}
		printf("next key:\n");
		fprint_hex(stdout, next, info.key_size, " ");
		printf("\n");
	}
	err = 0;
out:
	free(key);
	free(next);
	close(fd);
	return err;
}

static int do_freeze(int argc, char **argv)
{
	int fd = map_parse_fd(&argc, &argv);

	if (fd < 0)
		return -1;
	if (argc) {
		p_err("too many arguments: '%s'", *argv);
		close(fd);
		return -1;
	}
	if (bpfdev_map_freeze(fd)) {
		p_err("can't freeze map: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

static int do_pin(int argc, char **argv)
{
	int fd = map_parse_fd(&argc, &argv);

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

/* map create NAME type TYPE key KEY_SIZE value VALUE_SIZE entries N name MAP_NAME [flags F] */
static int do_create(int argc, char **argv)
{
	BPFDEV_OPTS(bpfdev_map_create_opts, opts);
	const char *pin, *name = NULL;
	unsigned long key = 0, value = 0, entries = 0;
	int type = -1, fd;
	char *end;

	if (!REQ_ARGS(1))
		return -1;
	pin = *argv;
	NEXT_ARG();
	while (argc) {
		const char *w = *argv;

		if (argc < 2) {
			p_err("'%s' needs an argument", w);
			return -1;
		}
		if (is_prefix(w, "type")) {
			type = map_type_parse(argv[1]);
			if (type < 0) {
				p_err("unknown map type '%s'", argv[1]);
				return -1;
			}
		} else if (is_prefix(w, "name")) {
			name = argv[1];
		} else {
			unsigned long v = strtoul(argv[1], &end, 0);

			if (*end || !*argv[1]) {
				p_err("can't parse %s '%s'", w, argv[1]);
				return -1;
			}
			if (is_prefix(w, "key"))
				key = v;
			else if (is_prefix(w, "value"))
				value = v;
			else if (is_prefix(w, "entries"))
				entries = v;
			else if (is_prefix(w, "flags"))
				opts.map_flags = v;
			else {
				p_err("unknown arg %s", w);
				return -1;
			}
		}
		NEXT_ARG();
		NEXT_ARG();
	}
	if (type < 0 || !name) {
		p_err("map type and name are required");
		return -1;
	}
	fd = bpfdev_map_create(type, name, key, value, entries, &opts);
	if (fd < 0) {
		p_err("map create failed: %s", strerror(errno));
		return -1;
	}
	if (bpfdev_obj_pin(fd, pin)) {
		p_err("can't pin as '%s': %s", pin, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
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
		"Usage: %1$s %2$s { show | list }   [MAP]\n"
		"       %1$s %2$s create     NAME type TYPE key KEY_SIZE value VALUE_SIZE \\\n"
		"                                  entries MAX_ENTRIES name MAP_NAME [flags FLAGS]\n"
		"       %1$s %2$s dump       MAP\n"
		"       %1$s %2$s update     MAP key DATA value VALUE [UPDATE_FLAGS]\n"
		"       %1$s %2$s lookup     MAP key DATA\n"
		"       %1$s %2$s getnext    MAP [key DATA]\n"
		"       %1$s %2$s delete     MAP key DATA\n"
		"       %1$s %2$s pin        MAP NAME\n"
		"       %1$s %2$s unpin      NAME\n"
		"       %1$s %2$s freeze     MAP\n"
		"       %1$s %2$s stacks     MAP [pid PID]\n"
		"       %1$s %2$s help\n"
		"\n"
		"       MAP := { id MAP_ID | pinned NAME | name MAP_NAME }\n"
		"       DATA := { [hex] BYTES }\n"
		"       VALUE := { DATA }\n"
		"       UPDATE_FLAGS := { any | exist | noexist }\n"
		"       TYPE := { hash | array | percpu_hash | percpu_array | lru_hash |\n"
		"                 lru_percpu_hash | lpm_trie | prog_array | ringbuf | stack_trace }\n"
		"       stacks: each stack of a stack_trace map, frames as symbol+0xoff\n"
		"               (kernel ones from /proc/kallsyms, user ones from process PID)\n",
		bin_name, "map");
	return 0;
}

static const struct cmd cmds[] = {
	{ "show",	do_show },
	{ "list",	do_show },
	{ "help",	do_help },
	{ "dump",	do_dump },
	{ "update",	do_update },
	{ "lookup",	do_lookup },
	{ "getnext",	do_getnext },
	{ "delete",	do_delete },
	{ "pin",	do_pin },
	{ "unpin",	do_unpin_name },
	{ "create",	do_create },
	{ "freeze",	do_freeze },
	{ "stacks",	do_stacks },
	{ 0 }
};

int do_map(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
