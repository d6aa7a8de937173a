/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfcap: a tcpdump-like capture tool on /dev/bpf.
 *
 * main.c parses tcpdump's options into struct bpfcap_opts; capture.c
 * (live, from the mmap'ed ring) and offline.c (-r, through libpcap) feed
 * packets to bpfcap_packet(), which filters (offline), prints (print*.c)
 * or writes (dump.c) them and counts (stats.c).
 */
#ifndef BPFCAP_H
#define BPFCAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/time.h>

#define BPFCAP_DEFAULT_SNAPLEN	262144
#define BPFCAP_MAXIMUM_SNAPLEN	262144

struct bpfcap_opts {
	const char	*iface;		/* -i */
	const char	*wfile;		/* -w */
	const char	*rfile;		/* -r */
	const char	*ffile;		/* -F */
	const char	*ebpf_obj;	/* --ebpf OBJ[:SECTION] */
	char		*expr;		/* filter expression, NULL: all */
	long		count;		/* -c, 0: unlimited */
	int		snaplen;	/* -s, 0: default */
	bool		promisc;	/* cleared by -p */
	int		direction;	/* -Q: BPFCAP_DIR_* */
	int		buffer_kib;	/* -B, 0: module default */
	bool		immediate;	/* --immediate-mode */
	bool		list_ifaces;	/* -D */
	bool		nano;		/* --time-stamp-precision=nano */
	bool		packet_buffered; /* -U */
	bool		jit;		/* userspace filters JIT-compiled (--no-jit: interpreted) */
	bool		print;		/* print summaries (no -w, or --print) */
	int		Sflag;		/* absolute TCP sequence numbers */
	int		nflag;
	int		eflag;
	int		vflag;
	int		qflag;
	int		tflag;		/* -t count; 0: default HH:MM:SS.frac */
	int		xflag;		/* -x count */
	int		Xflag;		/* -X count */
	int		dflag;		/* -d count */
	int		Aflag;
	long		rotate_secs;	/* -G */
	long long	rotate_bytes;	/* -C, in bytes */
	int		rotate_files;	/* -W */
	int		fanout;		/* --fanout readers, 0: one socket alone */
	unsigned int	fanout_mode;	/* BPFDEV_FANOUT_* */
	unsigned int	fanout_id;	/* the group (the parent's pid) */
	int		fanout_index;	/* this reader's number */
};

#define BPFCAP_DIR_INOUT	0
#define BPFCAP_DIR_IN		1
#define BPFCAP_DIR_OUT		2

extern const char *bpfcap_prog;

/* One packet, as either source delivers it. */
struct bpfcap_pkt {
	struct timespec	ts;		/* ns precision, whatever the source */
	uint32_t	caplen;
	uint32_t	len;		/* on the wire */
	const uint8_t	*data;
};

/* stats.c: what the three exit lines and the live line report. */
struct bpfcap_stats {
	uint64_t	captured;	/* handed to the printer or the dumper */
	uint64_t	bytes;
	uint64_t	received;	/* by the filter (kernel or offline) */
	uint64_t	dropped;	/* by the kernel: ring full */
};

extern struct bpfcap_stats bpfcap_stats;
extern volatile sig_atomic_t bpfcap_stop;	/* SIGINT, SIGTERM, -c */
extern volatile sig_atomic_t bpfcap_info;	/* SIGUSR1 */

void bpfcap_signals_init(void);
void bpfcap_stats_print(FILE *f);
void bpfcap_status_tick(bool writing, bool force);
void bpfcap_status_done(void);

/* compile.c: libpcap compiles the expression to classic BPF. */
struct bpf_program;
int bpfcap_filter_compile(struct bpf_program *prog, const char *expr,
			  int linktype, int snaplen, uint32_t netmask, void *pd);
uint32_t bpfcap_netmask(const char *dev);

/*
 * filter.c: classic programs validated, converted and run by our engine
 * (libpcap's struct bpf_insn has struct sock_filter's layout; the two
 * headers cannot meet in one file, hence the void pointers).
 */
struct bpfcap_filter;
struct bpfcap_filter *bpfcap_filter_load(const void *insns, unsigned int len,
					 bool jit);
uint32_t bpfcap_filter_run(const struct bpfcap_filter *f,
			   const struct bpfcap_pkt *pkt);
void bpfcap_filter_free(struct bpfcap_filter *f);
int bpfcap_filter_dump(const void *insns, unsigned int len, int option);
/*
 * The engine takes up to bpfcap_filter_max_insns() instructions (the
 * kernel's limit); bpfcap_filter_load() hands a longer program to
 * libpcap's bpf_filter(), and bpfcap_filter_by_libpcap() then says so.
 */
unsigned int bpfcap_filter_max_insns(void);
bool bpfcap_filter_by_libpcap(const struct bpfcap_filter *f);

/* filter_libpcap.c: libpcap's bpf_filter() for what the engine cannot take. */
struct bpfcap_libpcap_filter;
struct bpfcap_libpcap_filter *bpfcap_libpcap_filter_load(const void *insns,
							 unsigned int len);
uint32_t bpfcap_libpcap_filter_run(const struct bpfcap_libpcap_filter *f,
				   const struct bpfcap_pkt *pkt);
void bpfcap_libpcap_filter_free(struct bpfcap_libpcap_filter *f);

/* ebpf.c: --ebpf OBJ[:SECTION] loaded through libbpfdev; a program fd. */
int bpfcap_ebpf_load(const char *spec);
void bpfcap_ebpf_close(void);

/* print.c: one tcpdump-style summary per packet. */
struct bpfcap_printer;
void bpfcap_print_init(const struct bpfcap_opts *o, int linktype, bool nano);
void bpfcap_print(const struct bpfcap_pkt *pkt);

/* dump.c: the pcap writer, with -C/-G/-W rotation. */
int bpfcap_dump_open(const struct bpfcap_opts *o, int linktype, int snaplen);
int bpfcap_dump(const struct bpfcap_pkt *pkt);
void bpfcap_dump_close(void);

/* offline.c and capture.c: the two packet sources. */
int bpfcap_offline(const struct bpfcap_opts *o);
int bpfcap_live(const struct bpfcap_opts *o);
int bpfcap_list_ifaces(void);

/* fanout.c: --fanout=N[,MODE], N reader processes of one group. */
int bpfcap_fanout_parse(struct bpfcap_opts *o, const char *arg);
int bpfcap_fanout_run(struct bpfcap_opts *o);
int bpfcap_fanout_join(int fd, const struct bpfcap_opts *o);
/* -c over all readers: how many packets were taken, this one included. */
uint64_t bpfcap_fanout_take(void);
void bpfcap_fanout_report(void);

/* Deliver one accepted packet to printer or dumper; returns <0 to stop. */
int bpfcap_deliver(const struct bpfcap_opts *o, const struct bpfcap_pkt *pkt);

void bpfcap_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BPFCAP_H */
