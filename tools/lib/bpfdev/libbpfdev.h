/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpfdev: userspace access to /dev/bpf (bpfdev.ko).
 *
 * Three layers, in libbpf's style:
 *   - bpf() wrappers named after the commands (bpfdev_map_lookup_elem ...
 *     BPF_MAP_LOOKUP_ELEM), talking to the device through BPFDEV_IOC_BPF;
 *   - an object loader for `clang -O2 -target bpf` ELF files
 *     (bpfdev_object__open / __load / __close);
 *   - capture sockets (bpfdev_capture__*) and BPF ring buffer readers
 *     (bpfdev_ringbuf__*).
 *
 * Every int-returning call returns a result >= 0 or a negative errno, with
 * errno set as well; pointer-returning calls return NULL with errno set.
 * Optional arguments come in opts structs whose first field is sz (declare
 * them with BPFDEV_OPTS()), so a caller built against an older header keeps
 * working with a newer library and the other way round.
 *
 * The library opens /dev/bpf once per process, on the first call ($BPFDEV_DEVICE
 * overrides the path).  Capture sockets each open a device fd of their own.
 */
#ifndef LIBBPFDEV_H
#define LIBBPFDEV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/bpfdev.h>
#include <linux/filter.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBBPFDEV_API __attribute__((visibility("default")))

/* Declares an opts struct with sz set and the padding zeroed (libbpf's LIBBPF_OPTS). */
#define BPFDEV_OPTS(TYPE, NAME, ...)					\
	struct TYPE NAME = ({						\
		memset(&NAME, 0, sizeof(struct TYPE));			\
		(struct TYPE) {						\
			.sz = sizeof(struct TYPE),			\
			__VA_ARGS__					\
		};							\
	})

/* ---- the device ---------------------------------------------------------- */

#define BPFDEV_DEFAULT_DEVICE	"/dev/bpf"

/* The process-wide device fd, opened on first use; or -errno. */
LIBBPFDEV_API int bpfdev_device_fd(void);
/* bpf(cmd, attr, size) through the device: a result or -errno. */
LIBBPFDEV_API int bpfdev_sys_bpf(int cmd, union bpf_attr *attr, unsigned int size);
LIBBPFDEV_API int bpfdev_get_version(struct bpfdev_version *ver);

enum bpfdev_print_level {
	BPFDEV_WARN,
	BPFDEV_INFO,
	BPFDEV_DEBUG,
};

typedef int (*bpfdev_print_fn_t)(enum bpfdev_print_level level,
				 const char *fmt, va_list ap);

/* Where the loader's messages go (default: warnings to stderr); returns the old one. */
LIBBPFDEV_API bpfdev_print_fn_t bpfdev_set_print(bpfdev_print_fn_t fn);

/* ---- maps ---------------------------------------------------------------- */

struct bpfdev_map_create_opts {
	size_t sz;
	__u32 map_flags;
	__u32 inner_map_fd;
	__u32 numa_node;
	__u32 map_ifindex;
	__u64 map_extra;
};

LIBBPFDEV_API int bpfdev_map_create(enum bpf_map_type map_type,
				    const char *map_name, __u32 key_size,
				    __u32 value_size, __u32 max_entries,
				    const struct bpfdev_map_create_opts *opts);
LIBBPFDEV_API int bpfdev_map_update_elem(int fd, const void *key,
					 const void *value, __u64 flags);
LIBBPFDEV_API int bpfdev_map_lookup_elem(int fd, const void *key, void *value);
LIBBPFDEV_API int bpfdev_map_lookup_elem_flags(int fd, const void *key,
					       void *value, __u64 flags);
LIBBPFDEV_API int bpfdev_map_lookup_and_delete_elem(int fd, const void *key,
						    void *value);
LIBBPFDEV_API int bpfdev_map_delete_elem(int fd, const void *key);
LIBBPFDEV_API int bpfdev_map_get_next_key(int fd, const void *key, void *next_key);
LIBBPFDEV_API int bpfdev_map_freeze(int fd);

struct bpfdev_map_batch_opts {
	size_t sz;
	__u64 elem_flags;
	__u64 flags;
};

/*
 * in_batch NULL starts from the beginning; out_batch receives the position
 * to continue from; *count is the room in keys/values on entry and the
 * number of elements done on return (also on -ENOENT at the end).
 */
LIBBPFDEV_API int bpfdev_map_lookup_batch(int fd, void *in_batch, void *out_batch,
					  void *keys, void *values, __u32 *count,
					  const struct bpfdev_map_batch_opts *opts);
LIBBPFDEV_API int bpfdev_map_lookup_and_delete_batch(int fd, void *in_batch,
						     void *out_batch, void *keys,
						     void *values, __u32 *count,
						     const struct bpfdev_map_batch_opts *opts);
LIBBPFDEV_API int bpfdev_map_update_batch(int fd, const void *keys,
					  const void *values, __u32 *count,
					  const struct bpfdev_map_batch_opts *opts);
LIBBPFDEV_API int bpfdev_map_delete_batch(int fd, const void *keys, __u32 *count,
					  const struct bpfdev_map_batch_opts *opts);

/* ---- programs ------------------------------------------------------------ */

struct bpfdev_prog_load_opts {
	size_t sz;
	__u32 prog_flags;
	__u32 expected_attach_type;
	__u32 kern_version;
	__u32 log_level;
	__u32 log_size;
	char *log_buf;
	/* out: bytes the whole log needed (0 if the module does not say) */
	__u32 log_true_size;
};

LIBBPFDEV_API int bpfdev_prog_load(enum bpf_prog_type prog_type,
				   const char *prog_name, const char *license,
				   const struct bpf_insn *insns, size_t insn_cnt,
				   struct bpfdev_prog_load_opts *opts);

struct bpfdev_test_run_opts {
	size_t sz;
	const void *data_in;
	void *data_out;
	__u32 data_size_in;
	__u32 data_size_out;		/* in: room at data_out; out: bytes */
	const void *ctx_in;
	void *ctx_out;
	__u32 ctx_size_in;
	__u32 ctx_size_out;
	__u32 retval;			/* out */
	int repeat;
	__u32 duration;			/* out: ns per run */
	__u32 flags;
	__u32 cpu;
};

LIBBPFDEV_API int bpfdev_prog_test_run_opts(int prog_fd,
					    struct bpfdev_test_run_opts *opts);

LIBBPFDEV_API int bpfdev_prog_attach(int prog_fd, int attachable_fd,
				     enum bpf_attach_type type, unsigned int flags);
LIBBPFDEV_API int bpfdev_prog_detach(int attachable_fd, enum bpf_attach_type type);
LIBBPFDEV_API int bpfdev_prog_detach2(int prog_fd, int attachable_fd,
				      enum bpf_attach_type type);

/* ---- objects: pins, ids, info -------------------------------------------- */

/* Pins live in the module's registry: a plain name, no bpffs path. */
LIBBPFDEV_API int bpfdev_obj_pin(int fd, const char *pathname);
LIBBPFDEV_API int bpfdev_obj_get(const char *pathname);
LIBBPFDEV_API int bpfdev_obj_unpin(const char *pathname);
LIBBPFDEV_API int bpfdev_obj_get_info_by_fd(int fd, void *info, __u32 *info_len);
LIBBPFDEV_API int bpfdev_prog_get_info_by_fd(int fd, struct bpf_prog_info *info,
					     __u32 *info_len);
LIBBPFDEV_API int bpfdev_map_get_info_by_fd(int fd, struct bpf_map_info *info,
					    __u32 *info_len);
LIBBPFDEV_API int bpfdev_prog_get_next_id(__u32 start_id, __u32 *next_id);
LIBBPFDEV_API int bpfdev_map_get_next_id(__u32 start_id, __u32 *next_id);
LIBBPFDEV_API int bpfdev_prog_get_fd_by_id(__u32 id);
LIBBPFDEV_API int bpfdev_map_get_fd_by_id(__u32 id);

/* ---- the object loader --------------------------------------------------- */

struct bpfdev_object;
struct bpfdev_program;
struct bpfdev_map;

struct bpfdev_object_open_opts {
	size_t sz;
	/* name of the object (default: the file name up to its first dot) */
	const char *object_name;
};

/*
 * Parses an ELF object: programs, maps, global data, relocations and
 * BPF-to-BPF calls are resolved here, without the device; __load then
 * creates the maps and loads the programs.  Errors are printed through
 * the print callback and returned as NULL with errno set.
 */
LIBBPFDEV_API struct bpfdev_object *
bpfdev_object__open(const char *path, const struct bpfdev_object_open_opts *opts);
LIBBPFDEV_API struct bpfdev_object *
bpfdev_object__open_mem(const void *buf, size_t size,
			const struct bpfdev_object_open_opts *opts);
LIBBPFDEV_API int bpfdev_object__load(struct bpfdev_object *obj);
LIBBPFDEV_API void bpfdev_object__close(struct bpfdev_object *obj);
LIBBPFDEV_API const char *bpfdev_object__name(const struct bpfdev_object *obj);
LIBBPFDEV_API const char *bpfdev_object__license(const struct bpfdev_object *obj);
LIBBPFDEV_API __u32 bpfdev_object__kversion(const struct bpfdev_object *obj);

LIBBPFDEV_API struct bpfdev_program *
bpfdev_object__find_program_by_name(const struct bpfdev_object *obj, const char *name);
LIBBPFDEV_API struct bpfdev_map *
bpfdev_object__find_map_by_name(const struct bpfdev_object *obj, const char *name);
/* Iteration: prev NULL gives the first; NULL after the last. */
LIBBPFDEV_API struct bpfdev_program *
bpfdev_object__next_program(const struct bpfdev_object *obj, struct bpfdev_program *prev);
LIBBPFDEV_API struct bpfdev_map *
bpfdev_object__next_map(const struct bpfdev_object *obj, struct bpfdev_map *prev);

#define bpfdev_object__for_each_program(pos, obj)			\
	for ((pos) = bpfdev_object__next_program((obj), NULL); (pos);	\
	     (pos) = bpfdev_object__next_program((obj), (pos)))
#define bpfdev_object__for_each_map(pos, obj)				\
	for ((pos) = bpfdev_object__next_map((obj), NULL); (pos);	\
	     (pos) = bpfdev_object__next_map((obj), (pos)))

LIBBPFDEV_API const char *bpfdev_program__name(const struct bpfdev_program *prog);
LIBBPFDEV_API const char *bpfdev_program__section_name(const struct bpfdev_program *prog);
LIBBPFDEV_API enum bpf_prog_type bpfdev_program__type(const struct bpfdev_program *prog);
LIBBPFDEV_API int bpfdev_program__set_type(struct bpfdev_program *prog,
					   enum bpf_prog_type type);
LIBBPFDEV_API enum bpf_attach_type
bpfdev_program__expected_attach_type(const struct bpfdev_program *prog);
/* false: __load skips it (default true). */
LIBBPFDEV_API int bpfdev_program__set_autoload(struct bpfdev_program *prog, bool autoload);
LIBBPFDEV_API int bpfdev_program__fd(const struct bpfdev_program *prog);
/* The instructions as they will be (or were) loaded, subprograms appended. */
LIBBPFDEV_API const struct bpf_insn *bpfdev_program__insns(const struct bpfdev_program *prog);
LIBBPFDEV_API size_t bpfdev_program__insn_cnt(const struct bpfdev_program *prog);
/* The verifier's log of the last load attempt ("" if none). */
LIBBPFDEV_API const char *bpfdev_program__log(const struct bpfdev_program *prog);
LIBBPFDEV_API int bpfdev_program__set_log_level(struct bpfdev_program *prog, __u32 level);

LIBBPFDEV_API const char *bpfdev_map__name(const struct bpfdev_map *map);
LIBBPFDEV_API int bpfdev_map__fd(const struct bpfdev_map *map);
LIBBPFDEV_API enum bpf_map_type bpfdev_map__type(const struct bpfdev_map *map);
LIBBPFDEV_API __u32 bpfdev_map__key_size(const struct bpfdev_map *map);
LIBBPFDEV_API __u32 bpfdev_map__value_size(const struct bpfdev_map *map);
LIBBPFDEV_API __u32 bpfdev_map__max_entries(const struct bpfdev_map *map);
LIBBPFDEV_API __u32 bpfdev_map__map_flags(const struct bpfdev_map *map);
/* .data/.rodata/.bss: the initial contents (NULL for other maps). */
LIBBPFDEV_API const void *bpfdev_map__initial_value(const struct bpfdev_map *map,
						    size_t *size);
LIBBPFDEV_API bool bpfdev_map__is_internal(const struct bpfdev_map *map);
/* Before load: use this existing map instead of creating one. */
LIBBPFDEV_API int bpfdev_map__reuse_fd(struct bpfdev_map *map, int fd);

/* ---- the assembler ------------------------------------------------------- */

/*
 * Assembles text in the verifier log's syntax (what `bpfctl disasm` and
 * kmod/core/disasm.c print: "r0 = *(u32 *)(r1 +4)", "if r1 > 0x5 goto
 * pc+2"), one instruction a line, with optional "N:" and "(xx)" prefixes
 * ("(xx)" must agree with the instruction), "#" or ";" comments, and
 * labels ("name:" on a line, "goto name"); a verifier log pastes as is
 * (its state lines are skipped).  Returns the instruction count
 * and a malloc()ed array at *insns, or -EINVAL with a message naming the
 * line in err.
 */
LIBBPFDEV_API int bpfdev_asm(const char *text, struct bpf_insn **insns,
			     char *err, size_t err_size);

/* ---- capture sockets ----------------------------------------------------- */

struct bpfdev_capture;

struct bpfdev_capture_opts {
	size_t sz;
	__u32 ring_size;		/* bytes of records (0: module default) */
	__u32 snaplen;			/* 0: module default */
	__u32 direction;		/* BPFDEV_DIR_* (0: both) */
	__u32 promisc;			/* 1: promiscuous while bound */
	__u32 tstamp;			/* BPFDEV_TSTAMP_* */
	__u32 wakeup_count;
	__u32 wakeup_timeout_ms;
};

/* A record as it sits in the ring: header, bytes at data. */
struct bpfdev_capture_rec {
	const struct bpfdev_cap_hdr *hdr;
	const unsigned char *data;
	__u32 caplen;
};

typedef int (*bpfdev_capture_fn)(void *ctx, const struct bpfdev_capture_rec *rec);

/* A new socket (a device fd of its own) with the options applied. */
LIBBPFDEV_API struct bpfdev_capture *
bpfdev_capture__open(const struct bpfdev_capture_opts *opts);
/* ifname NULL or "any": every device. */
LIBBPFDEV_API int bpfdev_capture__bind(struct bpfdev_capture *cap, const char *ifname);
/* A tcpdump expression, compiled by libpcap for the bound link type. */
LIBBPFDEV_API int bpfdev_capture__set_filter_expr(struct bpfdev_capture *cap,
						  const char *expr);
LIBBPFDEV_API int bpfdev_capture__set_filter_classic(struct bpfdev_capture *cap,
						     const struct sock_filter *insns,
						     unsigned int len);
LIBBPFDEV_API int bpfdev_capture__set_filter_prog(struct bpfdev_capture *cap, int prog_fd);
LIBBPFDEV_API int bpfdev_capture__clear_filter(struct bpfdev_capture *cap);
/* mmap()s the ring (done by the first __consume/__poll if not yet). */
LIBBPFDEV_API int bpfdev_capture__mmap(struct bpfdev_capture *cap);
/*
 * Calls fn for each complete record in the ring and releases them;
 * returns how many (or fn's negative return, which stops early).
 */
LIBBPFDEV_API int bpfdev_capture__consume(struct bpfdev_capture *cap,
					  bpfdev_capture_fn fn, void *ctx);
/* Waits up to timeout_ms (-1: forever) for records, then consumes them. */
LIBBPFDEV_API int bpfdev_capture__poll(struct bpfdev_capture *cap, int timeout_ms,
				       bpfdev_capture_fn fn, void *ctx);
LIBBPFDEV_API int bpfdev_capture__stats(struct bpfdev_capture *cap,
					struct bpfdev_cap_stats *stats);
LIBBPFDEV_API int bpfdev_capture__info(struct bpfdev_capture *cap,
				       struct bpfdev_cap_info *info);
LIBBPFDEV_API int bpfdev_capture__flush(struct bpfdev_capture *cap);
LIBBPFDEV_API int bpfdev_capture__fd(const struct bpfdev_capture *cap);
LIBBPFDEV_API void bpfdev_capture__close(struct bpfdev_capture *cap);

/* ---- BPF_MAP_TYPE_RINGBUF readers ----------------------------------------- */

struct bpfdev_ringbuf;

/* fn gets each committed sample (discarded ones are skipped); < 0 stops. */
typedef int (*bpfdev_ringbuf_fn)(void *ctx, void *data, size_t size);

LIBBPFDEV_API struct bpfdev_ringbuf *bpfdev_ringbuf__new(int map_fd, bpfdev_ringbuf_fn fn,
							 void *ctx);
LIBBPFDEV_API int bpfdev_ringbuf__consume(struct bpfdev_ringbuf *rb);
LIBBPFDEV_API int bpfdev_ringbuf__poll(struct bpfdev_ringbuf *rb, int timeout_ms);
LIBBPFDEV_API int bpfdev_ringbuf__fd(const struct bpfdev_ringbuf *rb);
LIBBPFDEV_API void bpfdev_ringbuf__free(struct bpfdev_ringbuf *rb);

/* ---- tracing: attach and symbols ----------------------------------------- */

/*
 * Each attach returns a link fd, or -errno: the program runs while the
 * link fd is open (closing it detaches), so the caller keeps it open as
 * long as it traces.  Programs are of type BPF_PROG_TYPE_KPROBE (kprobes
 * and uprobes), _TRACEPOINT, _RAW_TRACEPOINT or _PERF_EVENT; attaching
 * needs CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN (uapi: "Tracing").
 */
LIBBPFDEV_API int bpfdev_kprobe_attach(int prog_fd, const char *func, __u64 offset,
				       bool retprobe);
/* offset: a file offset (bpfdev_elf_symbol_offset()); pid -1: every process. */
LIBBPFDEV_API int bpfdev_uprobe_attach(int prog_fd, const char *path, __u64 offset,
				       int pid, bool retprobe);
/* tracefs events/CATEGORY/NAME: bpfdev_tracepoint_attach(fd, "sched", "sched_process_exec"). */
LIBBPFDEV_API int bpfdev_tracepoint_attach(int prog_fd, const char *category,
					   const char *name);
LIBBPFDEV_API int bpfdev_raw_tracepoint_open(int prog_fd, const char *name);
/*
 * One link samples on every online CPU (cpu -1) or on one: type and config
 * as perf_event_open()'s (PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK),
 * sample a frequency in Hz (freq) or a period in events.
 */
LIBBPFDEV_API int bpfdev_perf_attach(int prog_fd, __u32 type, __u32 config, __u64 sample,
				     bool freq, int cpu);
/*
 * The file offset of function sym in the ELF file at path (.symtab, else
 * .dynsym; "sym@VERSION" matches sym), as a uprobe takes it; or -errno
 * (-ENOENT: no such function).
 */
LIBBPFDEV_API long long bpfdev_elf_symbol_offset(const char *path, const char *sym);

struct bpfdev_program_attach_opts {
	size_t sz;
	/* perf_event: a frequency in Hz or a period in events (one of them) */
	__u64 perf_freq;
	__u64 perf_period;
	/* perf_event: perf_event_open()'s type and config (0 0: software cpu-clock) */
	__u32 perf_type;
	__u32 perf_config;
	/* perf_event: only on perf_cpu (default: every online CPU) */
	bool perf_one_cpu;
	__u32 perf_cpu;
	/* uprobe/uretprobe: only in this process (0: every process) */
	int uprobe_pid;
};

/*
 * Attaches a loaded program as its section name says, as libbpf's
 * bpf_program__attach(): kprobe/FUNC[+OFF], kretprobe/FUNC,
 * uprobe/PATH:SYM[+OFF] and uretprobe/PATH:SYM (PATH without a slash is
 * looked up in $PATH, or the library directories for NAME.so...),
 * tracepoint/CAT/NAME or tp/CAT/NAME, raw_tracepoint/NAME or raw_tp/NAME,
 * perf_event (with a frequency or period in opts).  Returns a link fd or
 * -errno (-EOPNOTSUPP: not a section this attaches).
 */
LIBBPFDEV_API int bpfdev_program_attach(struct bpfdev_program *prog);
LIBBPFDEV_API int bpfdev_program_attach_opts(struct bpfdev_program *prog,
					     const struct bpfdev_program_attach_opts *opts);

/*
 * Symbols for addresses: the kernel's from /proc/kallsyms, an ELF file's
 * (.symtab and .dynsym, at the file's own addresses), or every ELF file a
 * process maps (each at its load address, from /proc/PID/maps).
 */
struct bpfdev_syms;

/* path NULL: /proc/kallsyms (-EPERM when it shows no addresses: kptr_restrict). */
LIBBPFDEV_API struct bpfdev_syms *bpfdev_syms__kernel(const char *path);
LIBBPFDEV_API struct bpfdev_syms *bpfdev_syms__elf(const char *path);
LIBBPFDEV_API struct bpfdev_syms *bpfdev_syms__process(int pid);
/*
 * The symbol addr falls in: its name, with *offset the bytes past its
 * start and *file the kernel module ("" for the kernel itself) or the
 * ELF file's path (either may be NULL); NULL when none (errno ENOENT).
 */
LIBBPFDEV_API const char *bpfdev_syms__find(const struct bpfdev_syms *syms, __u64 addr,
					    __u64 *offset, const char **file);
/* "symbol+0xoff" into buf (truncated to size): its whole length, or -ENOENT. */
LIBBPFDEV_API int bpfdev_syms__resolve(const struct bpfdev_syms *syms, __u64 addr,
				       char *buf, size_t size);
LIBBPFDEV_API void bpfdev_syms__free(struct bpfdev_syms *syms);

#ifdef __cplusplus
}
#endif

#endif /* LIBBPFDEV_H */
