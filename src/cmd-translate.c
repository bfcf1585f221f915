// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl translate / iptables-translate / ip6tables-translate: print the
 * nft command for an iptables command line, as iptables-translate 1.8.9.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "help.h"
#include "cmd.h"
#include "emit.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"
#include "msg.h"
#include "util.h"

struct xlate_cmd {
	enum rule_command command;
	int (*fn)(const struct rule_cmd *cmd, int argc, char **argv);
};

static const char *family_name(const struct rule_cmd *cmd)
{
	return cmd->family == NFPROTO_IPV6 ? "ip6" : "ip";
}

/* iptables-translate prints the name through printf("%s"), NULL shows so. */
static const char *chain_or_null(const struct rule_cmd *cmd)
{
	return cmd->chain[0] ? cmd->chain : "(null)";
}

/* markctl's own -4/-6 switches are not part of the iptables command line. */
static bool family_switches;

static bool is_family_switch(const char *arg)
{
	return !strcmp(arg, "-4") || !strcmp(arg, "-6") ||
	       !strcmp(arg, "--ipv4") || !strcmp(arg, "--ipv6");
}

/* Without a translation the command line comes back commented out. */
static int xlate_rule(const struct rule_cmd *cmd, int argc, char **argv)
{
	if (emit_rule_xlate(cmd) == 0)
		return 0;
	printf("nft # ");
	for (int i = 1; i < argc; i++)
		if (!family_switches || !is_family_switch(argv[i]))
			printf("%s ", argv[i]);
	putchar('\n');
	return 0;
}

static int xlate_new_chain(const struct rule_cmd *cmd,
			   int argc __attribute__((unused)),
			   char **argv __attribute__((unused)))
{
	printf("nft add chain %s %s %s\n", family_name(cmd), cmd->table,
	       cmd->chain);
	return 0;
}

static int xlate_delete_chain(const struct rule_cmd *cmd,
			      int argc __attribute__((unused)),
			      char **argv __attribute__((unused)))
{
	printf("nft delete chain %s %s %s\n", family_name(cmd), cmd->table,
	       chain_or_null(cmd));
	return 0;
}

static int xlate_flush(const struct rule_cmd *cmd,
		       int argc __attribute__((unused)),
		       char **argv __attribute__((unused)))
{
	if (cmd->chain[0])
		printf("nft flush chain %s %s %s\n", family_name(cmd),
		       cmd->table, cmd->chain);
	else
		printf("nft flush table %s %s\n", family_name(cmd), cmd->table);
	return 0;
}

static int xlate_list(const struct rule_cmd *cmd,
		      int argc __attribute__((unused)),
		      char **argv __attribute__((unused)))
{
	printf("nft list table %s %s\n", family_name(cmd), cmd->table);
	return 0;
}

static int xlate_help(const struct rule_cmd *cmd,
		      int argc __attribute__((unused)),
		      char **argv __attribute__((unused)))
{
	help_iptables(cmd->rule);
	return 0;
}

static const struct xlate_cmd xlate_cmds[] = {
	{ RULE_CMD_APPEND,		xlate_rule },
	{ RULE_CMD_INSERT,		xlate_rule },
	{ RULE_CMD_NEW_CHAIN,		xlate_new_chain },
	{ RULE_CMD_DELETE_CHAIN,	xlate_delete_chain },
	{ RULE_CMD_FLUSH,		xlate_flush },
	{ RULE_CMD_LIST,		xlate_list },
	{ RULE_CMD_HELP,		xlate_help },
};

static int xlate_dispatch(const struct rule_cmd *cmd, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(xlate_cmds) / sizeof(xlate_cmds[0]); i++)
		if (xlate_cmds[i].command == cmd->command)
			return xlate_cmds[i].fn(cmd, argc, argv);
	/* iptables-translate has printed "nft " before it finds out; left
	 * in the stdout buffer, it shows after the message, as there. */
	fputs("nft ", stdout);
	fputs("Translation not implemented\n", stderr);
	return 1;
}

/* "markctl translate [-4|-6] ..." speaks as ip(6)tables-translate. */
static void pick_family(struct markctl_ctx *ctx, int argc, char **argv)
{
	ctx->family = parse_family(ctx, argc, argv);
	family_switches = !ctx->dropin;
	if (family_switches)
		ctx->progname = ctx->family == NFPROTO_IPV6 ?
				"ip6tables-translate" : "iptables-translate";
}

static int xlate_version(void)
{
	msg_print_version(msg_progname());
	return 0;
}

int cmd_translate(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct rule_cmd cmd;
	int ret;

	ctx->offline = true;
	/* iptables-translate is the nf_tables tool whatever the backend */
	msg_set_variant("nf_tables");
	pick_family(ctx, argc, argv);
	msg_set_progname(ctx->progname);
	plugins_init(ctx, ctx->family, parse_getopt_options());
	rule_cmd_init(&cmd, ctx->family);
	parse_argv(ctx, argc, argv, &cmd);
	if (cmd.command == RULE_CMD_VERSION)
		ret = xlate_version();
	else
		ret = xlate_dispatch(&cmd, argc, argv);
	rule_cmd_release(&cmd);
	plugins_release();
	return ret;
}
