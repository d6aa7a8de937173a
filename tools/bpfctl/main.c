// SPDX-License-Identifier: GPL-2.0
/*
 * bpfctl: bpftool for /dev/bpf.
 *
 *	bpfctl [OPTIONS] OBJECT { COMMAND | help }
 *	OBJECT := { prog | map | net | asm | disasm | version }
 *	OPTIONS := { -j|--json [-p|--pretty] | -d|--debug | -V|--version }
 */

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bpfctl.h"

const char *bin_name;
bool json_output;
bool pretty_output;
struct json_writer *json_wtr;
static bool debug;

bool is_prefix(const char *pfx, const char *str)
{
	return *pfx && !strncmp(str, pfx, strlen(pfx));
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (json_output) {
		char buf[1024];

		vsnprintf(buf, sizeof(buf), fmt, ap);
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "error", buf);
		jsonw_end_object(json_wtr);
	} else {
		fprintf(stderr, "Error: ");
		vfprintf(stderr, fmt, ap);
		fprintf(stderr, "\n");
	}
	va_end(ap);
}

/* bpftool's cmd_select: the first command the word is a prefix of. */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv))
{
	unsigned int i;

	if (argc < 1 && cmds[0].func)
		return cmds[0].func(argc, argv);
	for (i = 0; cmds[i].name; i++)
		if (is_prefix(*argv, cmds[i].name) && cmds[i].func)
			return cmds[i].func(argc - 1, argv + 1);
	help(argc - 1, argv + 1);
	return -1;
}

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fprintf(stderr,
		"Usage: %s [OPTIONS] OBJECT { COMMAND | help }\n"
		"       %s version\n"
		"\n"
		"       OBJECT := { prog | map | net | asm | disasm }\n"
		"       OPTIONS := { {-j|--json} [{-p|--pretty}] | {-d|--debug} |\n"
		"                    {-V|--version} }\n"
		"\n"
		"       The device is /dev/bpf, or $BPFDEV_DEVICE.\n",
		bin_name, bin_name);
	return 0;
}

static int do_version(int argc, char **argv)
{
	struct bpfdev_version v;
	bool have = !bpfdev_get_version(&v);

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "version", BPFCTL_VERSION);
		if (have) {
			jsonw_name(json_wtr, "module");
			jsonw_start_object(json_wtr);
			jsonw_string_field(json_wtr, "release", v.release);
			jsonw_uint_field(json_wtr, "abi_major", v.abi_major);
			jsonw_uint_field(json_wtr, "abi_minor", v.abi_minor);
			jsonw_uint_field(json_wtr, "features", v.features);
			jsonw_end_object(json_wtr);
		}
		jsonw_end_object(json_wtr);
	} else {
		printf("%s v%s\n", bin_name, BPFCTL_VERSION);
		if (have)
			printf("module %s, ABI %u.%u, features 0x%llx\n", v.release,
			       v.abi_major, v.abi_minor, (unsigned long long)v.features);
		else
			printf("module: not available (%s)\n", strerror(errno));
	}
	return 0;
}

static const struct cmd main_cmds[] = {
	{ "help",	do_help },
	{ "prog",	do_prog },
	{ "map",	do_map },
	{ "net",	do_net },
	{ "asm",	do_asm },
	{ "disasm",	do_disasm },
	{ "version",	do_version },
	{ 0 }
};

static int print_debug(enum bpfdev_print_level level, const char *fmt, va_list ap)
{
	if (level == BPFDEV_DEBUG && !debug)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ "help",	no_argument,	NULL,	'h' },
		{ "pretty",	no_argument,	NULL,	'p' },
		{ "version",	no_argument,	NULL,	'V' },
		{ "debug",	no_argument,	NULL,	'd' },
		{ 0 }
	};
	bool version_requested = false;
	int opt, ret;

	bin_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	while ((opt = getopt_long(argc, argv, "+Vhpjd", options, NULL)) >= 0) {
		switch (opt) {
		case 'V':
			version_requested = true;
			break;
		case 'h':
			return do_help(argc, argv);
		case 'p':
			pretty_output = true;
			/* fall through */
		case 'j':
			json_output = true;
			break;
		case 'd':
			debug = true;
			break;
		default:
			p_err("unrecognized option '%s'", argv[optind - 1]);
			return 255;
		}
	}
	argc -= optind;
	argv += optind;
	if (json_output) {
		json_wtr = jsonw_new(stdout, pretty_output);
		if (!json_wtr) {
			fprintf(stderr, "Error: failed to create JSON writer\n");
			return 255;
		}
	}
	bpfdev_set_print(print_debug);
	if (version_requested)
		ret = do_version(argc, argv);
	else if (argc < 1)
		ret = (do_help(argc, argv), -1);
	else
		ret = cmd_select(main_cmds, argc, argv, do_help);
	if (json_output)
		jsonw_destroy(&json_wtr);
	return ret ? 255 : 0;
}
