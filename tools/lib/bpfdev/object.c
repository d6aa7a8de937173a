// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object API, with libbpf as the loader: bpfdev_object__open() is
 * bpf_object__open_mem() after the ELF header check (object_elf.c), and
 * bpfdev_object__load() is bpf_object__load(), whose bpf() calls reach
 * /dev/bpf through redirect.c's syscall().  libbpf reads the ELF and BTF,
 * the .maps and legacy maps, global data, relocations and subprograms,
 * and CO-RE against /sys/kernel/btf/vmlinux; it probes what the device
 * supports (BTF, global data, mmapable arrays, ...) by asking it.
 */

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "object.h"

#define LOG_BUF_SIZE	(1U << 20)

/* Named so that redirect.o, which defines it, joins every static link. */
long syscall(long nr, ...);
static long (*const bpfdev_obj_syscall)(long nr, ...) __attribute__((used)) = syscall;

static int bpfdev_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	bpfdev_vpr(level == LIBBPF_WARN ? BPFDEV_WARN :
		   level == LIBBPF_INFO ? BPFDEV_INFO : BPFDEV_DEBUG, fmt, ap);
	return 0;
}

/* libbpf's messages go where the library's go (bpfdev_set_print()). */
static void bpfdev_libbpf_init(void)
{
	libbpf_set_print(bpfdev_libbpf_print);
}

/* libbpf's own codes (LIBBPF_ERRNO__FORMAT, __RELOC, ...) are EINVAL here. */
static int bpfdev_libbpf_err(int err)
{
	if (err <= -__LIBBPF_ERRNO__START && err > -__LIBBPF_ERRNO__START - 100)
		return -EINVAL;
	return err ? err : -EINVAL;
}

static const char *prog_type_name(enum bpf_prog_type type)
{
	return libbpf_bpf_prog_type_str(type) ?: "unknown";
}

/* ---- open and close ----------------------------------------------------- */

static void obj_name(char *name, size_t size, const char *path,
		     const struct bpfdev_object_open_opts *opts)
{
	const char *n = OPTS_GET(opts, object_name, NULL);
	const char *base;
	char *dot;

	if (!n) {
		base = path ? strrchr(path, '/') : NULL;
		n = base ? base + 1 : path ? path : "object";
	}
	snprintf(name, size, "%s", n);
	/* libbpf's rule: the name ends at the first dot ("x.bpf.o" is "x"). */
	dot = strchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
}

static int wrap_object(struct bpfdev_object *obj)
{
	struct bpf_program *p;
	struct bpf_map *m;
	size_t i = 0;

	bpf_object__for_each_program(p, obj->obj)
		obj->nr_progs++;
	bpf_object__for_each_map(m, obj->obj)
		obj->nr_maps++;
	obj->progs = calloc(obj->nr_progs ?: 1, sizeof(*obj->progs));
	obj->maps = calloc(obj->nr_maps ?: 1, sizeof(*obj->maps));
	if (!obj->progs || !obj->maps)
		return -ENOMEM;
	bpf_object__for_each_program(p, obj->obj) {
		obj->progs[i].obj = obj;
		obj->progs[i++].prog = p;
	}
	i = 0;
	bpf_object__for_each_map(m, obj->obj) {
		obj->maps[i].obj = obj;
		obj->maps[i++].map = m;
	}
	bpfdev_obj_guess_types(obj);
	return 0;
}

static struct bpfdev_object *open_buf(const void *buf, size_t size, const char *path,
				      const struct bpfdev_object_open_opts *opts)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct bpfdev_object *obj;
	char name[64];
	int err;

	if (!OPTS_VALID(opts, bpfdev_object_open_opts))
		return bpfdev_err_ptr(-EINVAL);
	pthread_once(&once, bpfdev_libbpf_init);
	obj_name(name, sizeof(name), path, opts);
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return bpfdev_err_ptr(-ENOMEM);
	err = bpfdev_obj_check_elf(buf, size, name, obj->license, sizeof(obj->license));
	if (err)
		goto fail;
	{
		LIBBPF_OPTS(bpf_object_open_opts, lopts, .object_name = name);

		obj->obj = bpf_object__open_mem(buf, size, &lopts);
	}
	if (!obj->obj) {
		err = bpfdev_libbpf_err(-errno);
		pr_warn("%s: libbpf cannot open it: %s\n", name, strerror(-err));
		goto fail;
	}
	err = wrap_object(obj);
	if (err)
		goto fail;
	return obj;
fail:
	bpfdev_object__close(obj);
	return bpfdev_err_ptr(err);
}

struct bpfdev_object *bpfdev_object__open_mem(const void *buf, size_t size,
					      const struct bpfdev_object_open_opts *opts)
{
	if (!buf || !size)
		return bpfdev_err_ptr(-EINVAL);
	return open_buf(buf, size, NULL, opts);
}

struct bpfdev_object *bpfdev_object__open(const char *path,
					  const struct bpfdev_object_open_opts *opts)
{
	struct bpfdev_object *obj;
	struct stat st;
	void *buf;
	ssize_t n;
	size_t got = 0;
	int fd, err;

	if (!path)
		return bpfdev_err_ptr(-EINVAL);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		pr_warn("%s: %s\n", path, strerror(-err));
		if (fd >= 0)
			close(fd);
		return bpfdev_err_ptr(err);
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		close(fd);
		pr_warn("%s: not a regular non-empty file\n", path);
		return bpfdev_err_ptr(-EINVAL);
	}
	buf = malloc(st.st_size);
	if (!buf) {
		close(fd);
		return bpfdev_err_ptr(-ENOMEM);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, (char *)buf + got, st.st_size - got);
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			close(fd);
			free(buf);
			pr_warn("%s: read: %s\n", path, strerror(-err));
			return bpfdev_err_ptr(err);
		}
		got += n;
	}
	close(fd);
	/* libbpf copies what it keeps: the buffer is ours to free. */
	obj = open_buf(buf, got, path, opts);
	err = errno;
	free(buf);
	errno = err;
	return obj;
}

void bpfdev_object__close(struct bpfdev_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_progs; i++)
		free(obj->progs[i].log);
	free(obj->progs);
	free(obj->maps);
	bpf_object__close(obj->obj);
	free(obj);
}

/* ---- load ----------------------------------------------------------------- */

/* What needs no device is checked before libbpf creates anything. */
static int check_types(struct bpfdev_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++) {
		struct bpf_program *p = obj->progs[i].prog;

		if (bpf_program__autoload(p) && bpf_program__type(p) == BPF_PROG_TYPE_UNSPEC) {
			pr_warn("%s: prog '%s': section '%s' gives no program type (name it SEC(\"socket\") ..., or set a type)\n",
				bpf_object__name(obj->obj), bpf_program__name(p),
				bpf_program__section_name(p));
			return -EINVAL;
		}
	}
	return 0;
}

int bpfdev_object__load(struct bpfdev_object *obj)
{
	size_t i;
	int err;

	if (!obj)
		return bpfdev_err(-EINVAL);
	if (obj->loaded) {
		pr_warn("%s: already loaded\n", bpf_object__name(obj->obj));
		return bpfdev_err(-EINVAL);
	}
	err = check_types(obj);
	if (err)
		return bpfdev_err(err);
	/* The real cause first: libbpf would only say its probe failed. */
	err = bpfdev_device_fd();
	if (err < 0) {
		pr_warn("%s: cannot open the device (%s): %s\n", bpf_object__name(obj->obj),
			getenv("BPFDEV_DEVICE") ?: BPFDEV_DEFAULT_DEVICE, strerror(-err));
		return bpfdev_err(err);
	}
	/*
	 * Each program gets a log buffer: libbpf fills it at log_level, or
	 * at level 1 on a second try after a failure, so the log says why.
	 */
	for (i = 0; i < obj->nr_progs; i++) {
		struct bpfdev_program *p = &obj->progs[i];

		free(p->log);
		p->log = calloc(1, LOG_BUF_SIZE);
		if (!p->log)
			return bpfdev_err(-ENOMEM);
		bpf_program__set_log_buf(p->prog, p->log, LOG_BUF_SIZE);
		bpf_program__set_log_level(p->prog, p->log_level);
	}
	err = bpf_object__load(obj->obj);
	if (err) {
		err = bpfdev_libbpf_err(err);
		for (i = 0; i < obj->nr_progs; i++) {
			struct bpfdev_program *p = &obj->progs[i];
			size_t n = strlen(p->log);

			if (!bpf_program__autoload(p->prog) || bpf_program__fd(p->prog) >= 0 || !n)
				continue;
			pr_warn("%s: prog '%s' (program type %s): load failed: %s\n-- BEGIN PROG LOAD LOG --\n%s%s-- END PROG LOAD LOG --\n",
				bpf_object__name(obj->obj), bpf_program__name(p->prog),
				prog_type_name(bpf_program__type(p->prog)), strerror(-err),
				p->log, p->log[n - 1] == '\n' ? "" : "\n");
		}
		return bpfdev_err(err);
	}
	obj->loaded = true;
	return 0;
}

/* ---- accessors ---------------------------------------------------------- */

const char *bpfdev_object__name(const struct bpfdev_object *obj)
{
	return bpf_object__name(obj->obj);
}

const char *bpfdev_object__license(const struct bpfdev_object *obj)
{
	return obj->license;
}

__u32 bpfdev_object__kversion(const struct bpfdev_object *obj)
{
	return bpf_object__kversion(obj->obj);
}

struct bpfdev_program *bpfdev_object__find_program_by_name(const struct bpfdev_object *obj,
							   const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++)
		if (!strcmp(bpf_program__name(obj->progs[i].prog), name))
			return &obj->progs[i];
	return bpfdev_err_ptr(-ENOENT);
}

/* By its name or, for global data, its section's (".rodata"), as libbpf. */
struct bpfdev_map *bpfdev_object__find_map_by_name(const struct bpfdev_object *obj,
						   const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj->obj, name);
	size_t i;

	for (i = 0; m && i < obj->nr_maps; i++)
		if (obj->maps[i].map == m)
			return &obj->maps[i];
	return bpfdev_err_ptr(-ENOENT);
}

struct bpfdev_program *bpfdev_object__next_program(const struct bpfdev_object *obj,
						   struct bpfdev_program *prev)
{
	size_t i = prev ? (size_t)(prev - obj->progs) + 1 : 0;

	return i < obj->nr_progs ? &obj->progs[i] : NULL;
}

struct bpfdev_map *bpfdev_object__next_map(const struct bpfdev_object *obj,
					   struct bpfdev_map *prev)
{
	size_t i = prev ? (size_t)(prev - obj->maps) + 1 : 0;

	return i < obj->nr_maps ? &obj->maps[i] : NULL;
}

const char *bpfdev_program__name(const struct bpfdev_program *prog)
{
	return bpf_program__name(prog->prog);
}

const char *bpfdev_program__section_name(const struct bpfdev_program *prog)
{
	return bpf_program__section_name(prog->prog);
}

enum bpf_prog_type bpfdev_program__type(const struct bpfdev_program *prog)
{
	return bpf_program__type(prog->prog);
}

int bpfdev_program__set_type(struct bpfdev_program *prog, enum bpf_prog_type type)
{
	if (prog->obj->loaded)
		return bpfdev_err(-EBUSY);
	return bpfdev_err(bpf_program__set_type(prog->prog, type));
}

enum bpf_attach_type bpfdev_program__expected_attach_type(const struct bpfdev_program *prog)
{
	return bpf_program__expected_attach_type(prog->prog);
}

int bpfdev_program__set_autoload(struct bpfdev_program *prog, bool autoload)
{
	if (prog->obj->loaded)
		return bpfdev_err(-EBUSY);
	return bpfdev_err(bpf_program__set_autoload(prog->prog, autoload));
}

int bpfdev_program__fd(const struct bpfdev_program *prog)
{
	int fd = bpf_program__fd(prog->prog);

	return fd >= 0 ? fd : bpfdev_err(-EINVAL);
}

const struct bpf_insn *bpfdev_program__insns(const struct bpfdev_program *prog)
{
	return bpf_program__insns(prog->prog);
}

size_t bpfdev_program__insn_cnt(const struct bpfdev_program *prog)
{
	return bpf_program__insn_cnt(prog->prog);
}

const char *bpfdev_program__log(const struct bpfdev_program *prog)
{
	return prog->log ? prog->log : "";
}

int bpfdev_program__set_log_level(struct bpfdev_program *prog, __u32 level)
{
	prog->log_level = level;
	return 0;
}

const char *bpfdev_map__name(const struct bpfdev_map *map)
{
	return bpf_map__name(map->map);
}

int bpfdev_map__fd(const struct bpfdev_map *map)
{
	int fd = bpf_map__fd(map->map);

	return fd >= 0 ? fd : bpfdev_err(-EINVAL);
}

enum bpf_map_type bpfdev_map__type(const struct bpfdev_map *map)
{
	return bpf_map__type(map->map);
}

__u32 bpfdev_map__key_size(const struct bpfdev_map *map)
{
	return bpf_map__key_size(map->map);
}

__u32 bpfdev_map__value_size(const struct bpfdev_map *map)
{
	return bpf_map__value_size(map->map);
}

__u32 bpfdev_map__max_entries(const struct bpfdev_map *map)
{
	return bpf_map__max_entries(map->map);
}

__u32 bpfdev_map__map_flags(const struct bpfdev_map *map)
{
	return bpf_map__map_flags(map->map);
}

const void *bpfdev_map__initial_value(const struct bpfdev_map *map, size_t *size)
{
	size_t n;
	const void *v;

	if (!bpf_map__is_internal(map->map))
		return NULL;
	v = bpf_map__initial_value(map->map, &n);
	if (size)
		*size = n;
	return v;
}

bool bpfdev_map__is_internal(const struct bpfdev_map *map)
{
	return bpf_map__is_internal(map->map);
}

int bpfdev_map__reuse_fd(struct bpfdev_map *map, int fd)
{
	if (map->obj->loaded)
		return bpfdev_err(-EBUSY);
	return bpfdev_err(bpf_map__reuse_fd(map->map, fd));
}
