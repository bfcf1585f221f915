// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl: iptables-compatible command line for packet and connection marks.
 * One binary, many names: argv[0] or the first word picks the command.
 */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "layout.h"
#include "msg.h"
#include "paths.h"
#include "util.h"

struct dropin_name {
	const char *name;
	cmd_fn fn;
	uint8_t family;
};

/* Drop-in names: invoked under one of these, markctl is that command. */
static const struct dropin_name dropin_names[] = {
	{ "iptables",			cmd_iptables,	NFPROTO_IPV4 },
	{ "ip6tables",			cmd_iptables,	NFPROTO_IPV6 },
	{ "iptables-save",		cmd_save,	NFPROTO_IPV4 },
	{ "ip6tables-save",		cmd_save,	NFPROTO_IPV6 },
	{ "iptables-restore",		cmd_restore,	NFPROTO_IPV4 },
	{ "ip6tables-restore",		cmd_restore,	NFPROTO_IPV6 },
	{ "iptables-translate",		cmd_translate,	NFPROTO_IPV4 },
	{ "ip6tables-translate",	cmd_translate,	NFPROTO_IPV6 },
	{ "iptables-nft",		cmd_iptables,	NFPROTO_IPV4 },
	{ "ip6tables-nft",		cmd_iptables,	NFPROTO_IPV6 },
	{ "iptables-nft-save",		cmd_save,	NFPROTO_IPV4 },
	{ "ip6tables-nft-save",		cmd_save,	NFPROTO_IPV6 },
	{ "iptables-nft-restore",	cmd_restore,	NFPROTO_IPV4 },
	{ "ip6tables-nft-restore",	cmd_restore,	NFPROTO_IPV6 },
};

static const struct dropin_name *dropin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(dropin_names) / sizeof(dropin_names[0]); i++)
		if (strcmp(dropin_names[i].name, name) == 0)
			return &dropin_names[i];
	return NULL;
}

/* Runs markctl-@argv[1] with the arguments after it; returns only on
 * failure, with the exit status. */
static int run_external(char **argv)
{
	const char *name = argv[1];
	char file[64], path[PATH_MAX];

	snprintf(file, sizeof(file), "markctl-%s", name);
	if (paths_find(EXECDIR, ".", file, path, sizeof(path)) == 0) {
		argv[1] = file;
		execv(path, argv + 1);
	}
	fprintf(stderr, "markctl: cannot run '%s' (%s): %s\n", name, path,
		strerror(errno));
	return 1;
}

/*
 * markctl's global --layout FILE (or --layout=FILE), wherever it stands:
 * taken out of argv before any command parses, so that a rule's field
 * names find the layout whatever their order, and passed on through the
 * environment, which subcommand programs read too.
 */
static int take_layout_option(int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *file = NULL;

		if (!strcmp(argv[i], "--layout") && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(argv[i], "--layout=", 9))
			file = argv[i] + 9;
		if (file)
			setenv("MARKCTL_LAYOUT", file, 1);
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct markctl_ctx ctx = {
		.family		= NFPROTO_IPV4,
		.progname	= "iptables",
	};
	const struct dropin_name *dropin = dropin_find(util_basename(argv[0]));
	const struct command *cmd = NULL;
	cmd_fn fn = cmd_iptables;
	int ret;

	if (!dropin)
		argc = take_layout_option(argc, argv);
	if (dropin) {
		ctx.progname = dropin->name;
		ctx.family = dropin->family;
		ctx.dropin = true;
		fn = dropin->fn;
	} else if (argc > 1 && (cmd = command_find(argv[1]))) {
		if (!cmd->fn)
			return run_external(argv);
		/* "markctl save" parses as "iptables-save" would. */
		argv[1] = argv[0];
		argc--;
		argv++;
		fn = cmd->fn;
	}
	/* once the invoked name is known: it may pick the backend */
	ctx.backend_ops = backend_choose(&ctx);
	msg_set_variant(ctx.backend_ops->variant);
	ret = fn(&ctx, argc, argv);
	ctx_release(&ctx);
	layout_release();
	return ret;
}
