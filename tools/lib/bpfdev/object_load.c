// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading a parsed object: create its maps (fill and freeze global data),
 * put their fds into the programs' ld_imm64 instructions, load each
 * program.  On failure everything created so far is closed again.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "object.h"

#define LOG_BUF_SIZE	(1U << 20)

static int create_map(struct bpfdev_object *obj, struct bpfdev_map *map)
{
	BPFDEV_OPTS(bpfdev_map_create_opts, opts, .map_flags = map->map_flags);
	__u32 zero = 0;
	int fd, err;

	fd = bpfdev_map_create(map->type, map->name, map->key_size, map->value_size,
			       map->max_entries, &opts);
	if (fd < 0) {
		pr_warn("%s: map '%s': cannot create (type %u, key %u, value %u, max_entries %u): %s\n",
			obj->name, map->real_name, map->type, map->key_size,
			map->value_size, map->max_entries, strerror(-fd));
		return fd;
	}
	map->fd = fd;
	if (!map->internal)
		return 0;
	err = bpfdev_map_update_elem(fd, &zero, map->init, 0);
	if (err) {
		pr_warn("%s: map '%s': cannot set its initial value: %s\n", obj->name,
			map->real_name, strerror(-err));
		return err;
	}
	if (map->rdonly) {
		err = bpfdev_map_freeze(fd);
		if (err) {
			pr_warn("%s: map '%s': cannot freeze: %s\n", obj->name,
				map->real_name, strerror(-err));
			return err;
		}
	}
	return 0;
}

static int load_prog(struct bpfdev_object *obj, struct bpfdev_program *prog)
{
	BPFDEV_OPTS(bpfdev_prog_load_opts, opts,
		    .expected_attach_type = prog->expected_attach_type,
		    .kern_version = obj->kversion);
	struct bpf_insn *insns;
	size_t i;
	int fd;

	insns = malloc(prog->insn_cnt * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, prog->insns, prog->insn_cnt * sizeof(*insns));
	for (i = 0; i < prog->nr_relos; i++) {
		struct prog_relo *r = &prog->relos[i];

		insns[r->insn_idx].src_reg = r->src_reg;
		insns[r->insn_idx].imm = obj->maps[r->map_idx].fd;
		if (r->src_reg == BPF_PSEUDO_MAP_VALUE)
			insns[r->insn_idx + 1].imm = r->off;
	}
	free(prog->log);
	prog->log = NULL;
	if (prog->log_level) {
		prog->log = calloc(1, LOG_BUF_SIZE);
		opts.log_buf = prog->log;
		opts.log_size = prog->log ? LOG_BUF_SIZE : 0;
		opts.log_level = prog->log ? prog->log_level : 0;
	}
	fd = bpfdev_prog_load(prog->type, prog->name, obj->license, insns,
			      prog->insn_cnt, &opts);
	if (fd < 0 && !prog->log) {
		/* Once more with a log, to say why. */
		prog->log = calloc(1, LOG_BUF_SIZE);
		if (prog->log) {
			opts.log_buf = prog->log;
			opts.log_size = LOG_BUF_SIZE;
			opts.log_level = 1;
			fd = bpfdev_prog_load(prog->type, prog->name, obj->license,
					      insns, prog->insn_cnt, &opts);
		}
	}
	free(insns);
	if (fd < 0) {
		pr_warn("%s: prog '%s': load failed: %s\n", obj->name, prog->name,
			strerror(-fd));
		if (prog->log && prog->log[0])
			pr_warn("-- BEGIN PROG LOAD LOG --\n%s%s-- END PROG LOAD LOG --\n",
				prog->log,
				prog->log[strlen(prog->log) - 1] == '\n' ? "" : "\n");
		return fd;
	}
	prog->fd = fd;
	return 0;
}

static void unload(struct bpfdev_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		if (obj->progs[i].fd >= 0)
			close(obj->progs[i].fd);
		obj->progs[i].fd = -1;
	}
	for (i = 0; i < obj->nr_maps; i++) {
		if (obj->maps[i].fd >= 0 && !obj->maps[i].reused) {
			close(obj->maps[i].fd);
			obj->maps[i].fd = -1;
		}
	}
}

int bpfdev_object__load(struct bpfdev_object *obj)
{
	size_t i;
	int err = 0;

	if (!obj)
		return bpfdev_err(-EINVAL);
	if (obj->loaded) {
		pr_warn("%s: already loaded\n", obj->name);
		return bpfdev_err(-EINVAL);
	}
	/* What needs no device is checked before anything is created. */
	for (i = 0; i < obj->nr_progs; i++) {
		struct bpfdev_program *prog = &obj->progs[i];

		if (prog->autoload && prog->type == BPF_PROG_TYPE_UNSPEC) {
			pr_warn("%s: prog '%s': section '%s' gives no program type (name it SEC(\"socket\") ..., or set a type)\n",
				obj->name, prog->name, prog->sec_name);
			return bpfdev_err(-EINVAL);
		}
	}
	for (i = 0; !err && i < obj->nr_maps; i++)
		if (!obj->maps[i].reused)
			err = create_map(obj, &obj->maps[i]);
	for (i = 0; !err && i < obj->nr_progs; i++)
		if (obj->progs[i].autoload)
			err = load_prog(obj, &obj->progs[i]);
	if (err) {
		unload(obj);
		return bpfdev_err(err);
	}
	obj->loaded = true;
	return 0;
}
