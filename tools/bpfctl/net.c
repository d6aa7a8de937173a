// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl net: action programs at devices' netdev hooks, in bpftool net's
 * grammar (BPFDEV_IOC_ACT_* on /dev/bpf).
 *
 *   bpfctl net attach PROG { ingress | egress } dev DEV [prio N]
 *   bpfctl net detach { ingress | egress } dev DEV [prio N]
 *   bpfctl net show [dev DEV]
 *
 * Attachments made here outlive bpfctl (BPFDEV_ACT_F_PERSIST): they stay
 * until detached or the device goes.  detach without prio takes the only
 * program there.  show lists, per device and direction in prio order,
 * each program with its run and drop counts.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bpfctl.h"

#define NET_MAX_PROGS	256

static const char *const dir_names[] = { "ingress", "egress" };

static int net_ioctl(unsigned long req, void *arg)
{
	int fd = bpfdev_device_fd();

	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return ioctl(fd, req, arg);
}

static int parse_dir(int *argc, char ***argv, unsigned int *dir)
{
	unsigned int i;

	if (*argc < 1) {
		p_err("expected 'ingress' or 'egress'");
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (is_prefix(**argv, dir_names[i])) {
			*dir = i;
			(*argc)--;
			(*argv)++;
			return 0;
		}
	}
	p_err("expected 'ingress' or 'egress', got: '%s'?", **argv);
	return -1;
}

/* dev DEV [prio N]; prio stays as given when absent. */
static int parse_dev_prio(int argc, char **argv, unsigned int *ifindex, unsigned int *prio,
			  bool dev_required)
{
	while (argc) {
		if (is_prefix(*argv, "dev") && argc > 1) {
			*ifindex = if_nametoindex(argv[1]);
			if (!*ifindex) {
				p_err("invalid devname %s", argv[1]);
				return -1;
			}
		} else if (is_prefix(*argv, "prio") && argc > 1) {
			char *end;

			*prio = strtoul(argv[1], &end, 0);
			if (*end || !*prio || *prio > BPFDEV_ACT_PRIO_MAX) {
				p_err("prio must be 1 .. %u, got: '%s'", BPFDEV_ACT_PRIO_MAX, argv[1]);
				return -1;
			}
		} else {
			p_err("expected 'dev DEV' or 'prio N', got: '%s'?", *argv);
			return -1;
		}
		argc -= 2;
		argv += 2;
	}
	if (dev_required && !*ifindex) {
		p_err("expected 'dev DEV'");
		return -1;
	}
	return 0;
}

static int do_attach(int argc, char **argv)
{
	struct bpfdev_act_attach a = { .flags = BPFDEV_ACT_F_PERSIST };
	int fd, err;

	fd = prog_parse_fd(&argc, &argv);
	if (fd < 0)
		return -1;
	if (parse_dir(&argc, &argv, &a.dir) ||
	    parse_dev_prio(argc, argv, &a.ifindex, &a.prio, true)) {
		close(fd);
		return -1;
	}
	a.prog_fd = fd;
	err = net_ioctl(BPFDEV_IOC_ACT_ATTACH, &a);
	close(fd);
	if (err) {
		p_err("attach failed: %s", strerror(errno));
		return -1;
	}
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

static int query(unsigned int ifindex, unsigned int dir, struct bpfdev_act_info *infos,
		 unsigned int *n)
{
	struct bpfdev_act_query q = {
		.ifindex = ifindex, .dir = dir, .count = NET_MAX_PROGS,
		.infos = (unsigned long)infos,
	};

	if (net_ioctl(BPFDEV_IOC_ACT_QUERY, &q))
		return -1;
	*n = q.count;
	return 0;
}

static int do_detach(int argc, char **argv)
{
	struct bpfdev_act_target t = { 0 };
	struct bpfdev_act_info infos[NET_MAX_PROGS];
	unsigned int n;

	if (parse_dir(&argc, &argv, &t.dir) ||
	    parse_dev_prio(argc, argv, &t.ifindex, &t.prio, true))
		return -1;
	if (!t.prio) {
		if (query(t.ifindex, t.dir, infos, &n)) {
			p_err("query failed: %s", strerror(errno));
			return -1;
		}
		if (n != 1) {
			p_err(n ? "%u programs there: which prio?" : "no program there", n);
			return -1;
		}
		t.prio = infos[0].prio;
	}
	if (net_ioctl(BPFDEV_IOC_ACT_DETACH, &t)) {
		p_err("detach failed: %s", strerror(errno));
		return -1;
	}
	if (json_output)
		jsonw_null(json_wtr);
	return 0;
}

static void prog_name_of(__u32 id, char *name, size_t size)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpfdev_prog_get_fd_by_id(id);

	name[0] = 0;
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpfdev_prog_get_info_by_fd(fd, &info, &len))
		snprintf(name, size, "%s", info.name);
	close(fd);
}

static void show_one(const char *dev, unsigned int ifindex, unsigned int dir,
		     const struct bpfdev_act_info *p)
{
	char name[BPF_OBJ_NAME_LEN];

	prog_name_of(p->prog_id, name, sizeof(name));
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "devname", dev);
		jsonw_uint_field(json_wtr, "ifindex", ifindex);
		jsonw_string_field(json_wtr, "kind", dir_names[dir]);
		jsonw_uint_field(json_wtr, "prio", p->prio);
		jsonw_string_field(json_wtr, "name", name);
		jsonw_uint_field(json_wtr, "id", p->prog_id);
		jsonw_uint_field(json_wtr, "run_cnt", p->run_cnt);
		jsonw_uint_field(json_wtr, "drop_cnt", p->drop_cnt);
		jsonw_bool_field(json_wtr, "link", !(p->flags & BPFDEV_ACT_F_PERSIST));
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%s(%u) %s prio %u %s id %u run %llu drop %llu%s\n", dev, ifindex,
	       dir_names[dir], p->prio, name[0] ? name : "-", p->prog_id,
	       (unsigned long long)p->run_cnt, (unsigned long long)p->drop_cnt,
	       p->flags & BPFDEV_ACT_F_PERSIST ? "" : " link");
}

static int show_dev(const char *dev, unsigned int ifindex)
{
	static struct bpfdev_act_info infos[NET_MAX_PROGS];
	unsigned int dir, i, n;

	for (dir = 0; dir < 2; dir++) {
		if (query(ifindex, dir, infos, &n)) {
			p_err("query of %s failed: %s", dev, strerror(errno));
			return -1;
		}
		for (i = 0; i < n && i < NET_MAX_PROGS; i++)
			show_one(dev, ifindex, dir, &infos[i]);
	}
	return 0;
}

static int do_show(int argc, char **argv)
{
	unsigned int ifindex = 0, prio = 0;
	struct if_nameindex *ifs, *i;
	char dev[IF_NAMESIZE];
	int err = 0;

	if (parse_dev_prio(argc, argv, &ifindex, &prio, false))
		return -1;
	if (json_output)
		jsonw_start_array(json_wtr);
	if (ifindex) {
		err = show_dev(if_indextoname(ifindex, dev) ? dev : "?", ifindex);
	} else {
		ifs = if_nameindex();
		for (i = ifs; i && i->if_index && !err; i++)
			err = show_dev(i->if_name, i->if_index);
		if (ifs)
			if_freenameindex(ifs);
	}
	if (json_output)
		jsonw_end_array(json_wtr);
	return err;
}

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %1$s %2$s { show | list } [dev DEV]\n"
		"       %1$s %2$s attach PROG { ingress | egress } dev DEV [prio N]\n"
		"       %1$s %2$s detach { ingress | egress } dev DEV [prio N]\n"
		"       %1$s %2$s help\n"
		"\n"
		"       PROG := { id PROG_ID | pinned NAME | name PROG_NAME | tag TAG }\n"
		"       PROG is a tc program (SEC(\"tc\") or SEC(\"classifier\")); programs\n"
		"       run in ascending prio, tc's direct-action verdicts deciding.\n",
		bin_name, "net");
	return 0;
}

static const struct cmd cmds[] = {
	{ "show",	do_show },
	{ "list",	do_show },
	{ "attach",	do_attach },
	{ "detach",	do_detach },
	{ "help",	do_help },
	{ 0 }
};

int do_net(int argc, char **argv)
{
	return cmd_select(cmds, argc, argv, do_help);
}
