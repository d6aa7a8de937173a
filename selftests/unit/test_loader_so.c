// SPDX-License-Identifier: GPL-2.0
/*
 * libbpfdev.so: every public function is exported at version
 * LIBBPFDEV_0.1, nothing internal is, and the shared object works (an
 * object opened and parsed through it).
 */

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libbpfdev.h"
#include "tap.h"

#define SO	BPFDEV_TOP "/tools/lib/bpfdev/libbpfdev.so"

static const char * const public_fns[] = {
	"bpfdev_map_create", "bpfdev_map_update_elem", "bpfdev_map_lookup_elem",
	"bpfdev_map_delete_elem", "bpfdev_map_get_next_key",
	"bpfdev_map_lookup_and_delete_elem", "bpfdev_map_freeze",
	"bpfdev_map_lookup_batch", "bpfdev_map_update_batch", "bpfdev_map_delete_batch",
	"bpfdev_map_lookup_and_delete_batch", "bpfdev_prog_load",
	"bpfdev_prog_test_run_opts", "bpfdev_obj_pin", "bpfdev_obj_get",
	"bpfdev_obj_get_info_by_fd", "bpfdev_prog_get_next_id", "bpfdev_map_get_next_id",
	"bpfdev_prog_get_fd_by_id", "bpfdev_map_get_fd_by_id", "bpfdev_prog_attach",
	"bpfdev_prog_detach", "bpfdev_object__open", "bpfdev_object__load",
	"bpfdev_object__find_program_by_name", "bpfdev_object__find_map_by_name",
	"bpfdev_program__fd", "bpfdev_map__fd", "bpfdev_object__close", "bpfdev_asm",
	"bpfdev_capture__open", "bpfdev_capture__set_filter_expr", "bpfdev_capture__poll",
	"bpfdev_ringbuf__new",
};

static const char * const internal_fns[] = {
	"bpfdev_redirect_bpf", "bpfdev_obj_check_elf", "bpfdev_pr", "bpfdev_pcap_compile",
	"bpfdev_opts_valid", "bpfdev_obj_guess_types",
};

int main(void)
{
	struct bpfdev_object *(*open_fn)(const char *, const struct bpfdev_object_open_opts *);
	void (*close_fn)(struct bpfdev_object *);
	unsigned int i, missing = 0, leaked = 0;
	void *h;

	tap_plan(0);
	h = dlopen(SO, RTLD_NOW | RTLD_LOCAL);
	if (!ok(h != NULL, "dlopen libbpfdev.so (%s)", h ? "" : dlerror())) {
		tap_skip("no library", "symbols");
		return tap_done();
	}
	for (i = 0; i < sizeof(public_fns) / sizeof(public_fns[0]); i++) {
		if (!dlvsym(h, public_fns[i], "LIBBPFDEV_0.1")) {
			tap_diag("missing: %s@LIBBPFDEV_0.1", public_fns[i]);
			missing++;
		}
	}
	ok(!missing, "%zu public functions at LIBBPFDEV_0.1 (%u missing)",
	   sizeof(public_fns) / sizeof(public_fns[0]), missing);
	for (i = 0; i < sizeof(internal_fns) / sizeof(internal_fns[0]); i++) {
		if (dlsym(h, internal_fns[i])) {
			tap_diag("exported: %s", internal_fns[i]);
			leaked++;
		}
	}
	ok(!leaked, "internal functions stay hidden (%u exported)", leaked);
	/*
	 * redirect.c's syscall() stays inside: a program using the shared
	 * library keeps libc's (dlsym() on the handle finds libc's, through
	 * the library's dependencies).
	 */
	{
		void *sym = dlsym(h, "syscall");
		Dl_info di;

		ok(!sym || (dladdr(sym, &di) && di.dli_fname && !strstr(di.dli_fname, "libbpfdev")),
		   "syscall() is not exported (found in %s)",
		   sym && dladdr(sym, &di) && di.dli_fname ? di.dli_fname : "none");
	}
	open_fn = dlvsym(h, "bpfdev_object__open", "LIBBPFDEV_0.1");
	close_fn = dlvsym(h, "bpfdev_object__close", "LIBBPFDEV_0.1");
	if (open_fn && close_fn) {
		struct bpfdev_object *obj = open_fn(BPFDEV_TOP "/build/examples/ip_count.bpf.o",
						    NULL);

		ok(obj != NULL, "the shared object parses ip_count.bpf.o");
		close_fn(obj);
		obj = open_fn("/nonexistent", NULL);
		ok(!obj && errno == ENOENT, "and sets errno on failure");
	}
	dlclose(h);
	return tap_done();
}
