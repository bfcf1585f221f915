// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl: iptables-compatible command line for packet and connection marks.
 * One binary, many names: argv[0] or the first word picks the command.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "paths.h"
#include "util.h"

typedef int (*cmd_fn)(struct markctl_ctx *ctx, int argc, char **argv);

struct cmd_name {
	const char *name;
	cmd_fn fn;
	uint8_t family;
};

/* Drop-in names: invoked under one of these, markctl is that command. */
static const struct cmd_name dropin_names[] = {
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

/* Subcommands of "markctl <word>"; any other first word is iptables syntax. */
static const struct cmd_name subcommands[] = {
	{ "save",	cmd_save,	NFPROTO_IPV4 },
	{ "restore",	cmd_restore,	NFPROTO_IPV4 },
	{ "translate",	cmd_translate,	NFPROTO_IPV4 },
};

/*
 * Subcommands that need libraries a rule command never maps (conntrack,
 * JSON) are programs of their own, markctl-NAME, installed with the
 * drop-in names; "markctl NAME ..." runs them as git runs its commands.
 */
static const char *const external_names[] = {
	"ct", "explain", "audit",
};

static bool is_external(const char *name)
{
	for (size_t i = 0; i < sizeof(external_names) / sizeof(external_names[0]); i++)
		if (strcmp(external_names[i], name) == 0)
			return true;
	return false;
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

static const struct cmd_name *cmd_lookup(const struct cmd_name *table,
					 size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int main(int argc, char **argv)
{
	struct markctl_ctx ctx = {
		.family		= NFPROTO_IPV4,
		.progname	= "iptables",
		.backend_ops	= &nft_backend_ops,
	};
	const struct cmd_name *cmd;
	const char *base = util_basename(argv[0]);
	int ret;

	cmd = cmd_lookup(dropin_names, ARRAY_SIZE(dropin_names), base);
	if (cmd) {
		ctx.progname = cmd->name;
		ctx.dropin = true;
	} else if (argc > 1 && is_external(argv[1])) {
		return run_external(argv);
	} else {
		cmd = argc > 1 ? cmd_lookup(subcommands, ARRAY_SIZE(subcommands),
					    argv[1]) : NULL;
		if (cmd) {
			/* "markctl save" parses as "iptables-save" would. */
			argv[1] = argv[0];
			argc--;
			argv++;
		} else {
			static const struct cmd_name plain = {
				"iptables", cmd_iptables, NFPROTO_IPV4
			};
			cmd = &plain;
		}
	}
	ctx.family = cmd->family;
	ret = cmd->fn(&ctx, argc, argv);
	ctx_release(&ctx);
	return ret;
}
