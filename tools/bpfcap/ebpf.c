// SPDX-License-Identifier: GPL-2.0
/*
 * --ebpf OBJ[:SECTION]: a clang-compiled socket filter instead of an
 * expression.  libbpfdev's ELF loader opens the object (maps, global
 * data, BPF-to-BPF calls) and loads the chosen program through /dev/bpf;
 * the capture socket then runs it by fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "libbpfdev.h"

static struct bpfdev_object *ebpf_obj;

/* SECTION names a program's section or the program itself. */
static bool prog_matches(struct bpfdev_program *p, const char *sec)
{
	if (sec)
		return !strcmp(bpfdev_program__section_name(p), sec) ||
		       !strcmp(bpfdev_program__name(p), sec);
	return bpfdev_program__type(p) == BPF_PROG_TYPE_SOCKET_FILTER;
}

int bpfcap_ebpf_load(const char *spec)
{
	struct bpfdev_program *p, *prog = NULL;
	char *path, *sec;
	int fd = -1;

	path = strdup(spec);
	if (!path) {
		bpfcap_err("out of memory");
		return -1;
	}
	sec = strrchr(path, ':');
	if (sec)
		*sec++ = '\0';
	ebpf_obj = bpfdev_object__open(path, NULL);
	if (!ebpf_obj) {
		bpfcap_err("--ebpf %s: %s", path, strerror(errno));
		goto out;
	}
	bpfdev_object__for_each_program(p, ebpf_obj) {
		if (!prog && prog_matches(p, sec))
			prog = p;
		else
			bpfdev_program__set_autoload(p, false);
	}
	if (!prog) {
		bpfcap_err("--ebpf %s: no %s%s", path, sec ? "program or section " : "socket filter",
			   sec ? sec : " (SEC(\"socket\")) in it");
		goto out;
	}
	if (bpfdev_program__type(prog) != BPF_PROG_TYPE_SOCKET_FILTER)
		bpfdev_program__set_type(prog, BPF_PROG_TYPE_SOCKET_FILTER);
	bpfdev_program__set_log_level(prog, 1);
	if (bpfdev_object__load(ebpf_obj)) {
		int err = errno;

		bpfcap_err("--ebpf %s: %s refused: %s\n%s", path, bpfdev_program__name(prog),
			   strerror(err), bpfdev_program__log(prog));
		goto out;
	}
	fd = bpfdev_program__fd(prog);
out:
	free(path);
	return fd;
}

void bpfcap_ebpf_close(void)
{
	if (ebpf_obj)
		bpfdev_object__close(ebpf_obj);
	ebpf_obj = NULL;
}
