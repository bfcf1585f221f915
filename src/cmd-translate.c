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

/* One translation: the parsed command, its other address pairs, and the
 * command line to print back when there is no translation. */
struct xlate {
	const struct rule_cmd *cmd;
	const struct rule_pairs *pairs;
	int argc;
	char **argv;
	/* markctl's own -4/-6 switches are not part of the iptables line */
	bool family_switches;
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

static bool is_family_switch(const char *arg)
{
	return !strcmp(arg, "-4") || !strcmp(arg, "-6") ||
	       !strcmp(arg, "--ipv4") || !strcmp(arg, "--ipv6");
}

/*
 * -A/-I, one rule per address pair: as iptables-translate 1.8.9, a new
 * "nft " starts each source address only.  Without a translation the
 * command line comes back commented out.
 */
static int xlate_rule(const struct xlate *x)
{
	const struct rule_pairs *p = x->pairs;
	int ret = 0;

	for (unsigned int i = 0; i <= p->nmore; i++) {
		ret = emit_rule_xlate(x->cmd, i ? p->more[i - 1] : x->cmd->rule);
		if ((i + 1) % p->ndst == 0 && i < p->nmore)
			fputs("nft ", stdout);
	}
	if (ret == 0)
		return 0;
	fputs("# ", stdout);
	for (int i = 1; i < x->argc; i++)
		if (!x->family_switches || !is_family_switch(x->argv[i]))
			printf("%s ", x->argv[i]);
	putchar('\n');
	return 0;
}

static int xlate_new_chain(const struct xlate *x)
{
	printf("add chain %s %s %s\n", family_name(x->cmd), x->cmd->table,
	       x->cmd->chain);
	return 0;
}

static int xlate_delete_chain(const struct xlate *x)
{
	printf("delete chain %s %s %s\n", family_name(x->cmd), x->cmd->table,
	       chain_or_null(x->cmd));
	return 0;
}

static int xlate_flush(const struct xlate *x)
{
	if (x->cmd->chain[0])
		printf("flush chain %s %s %s\n", family_name(x->cmd),
		       x->cmd->table, x->cmd->chain);
	else
		printf("flush table %s %s\n", family_name(x->cmd),
		       x->cmd->table);
	return 0;
}

static int xlate_list(const struct xlate *x)
{
	printf("list table %s %s\n", family_name(x->cmd), x->cmd->table);
	return 0;
}

#define ZEROS (RULE_CMD_ZERO | RULE_CMD_ZERO_NUM)

/* What iptables-translate 1.8.9 translates; it prints "nft " first. */
static const struct {
	unsigned int command;
	unsigned int also;		/* commands that may come along */
	int (*fn)(const struct xlate *x);
} xlate_cmds[] = {
	{ RULE_CMD_APPEND,		0,	xlate_rule },
	{ RULE_CMD_INSERT,		0,	xlate_rule },
	{ RULE_CMD_NEW_CHAIN,		0,	xlate_new_chain },
	{ RULE_CMD_DELETE_CHAIN,	0,	xlate_delete_chain },
	{ RULE_CMD_FLUSH,		0,	xlate_flush },
	{ RULE_CMD_LIST,		ZEROS,	xlate_list },
};

static int xlate_dispatch(const struct xlate *x)
{
	unsigned int command = x->cmd->command;

	fputs("nft ", stdout);
	for (size_t i = 0; i < sizeof(xlate_cmds) / sizeof(xlate_cmds[0]); i++)
		if ((command & xlate_cmds[i].command) &&
		    !(command & ~(xlate_cmds[i].command | xlate_cmds[i].also)))
			return xlate_cmds[i].fn(x);
	/* "nft " stays in the stdout buffer: it shows after the message,
	 * as with iptables-translate */
	fputs("Translation not implemented\n", stderr);
	return 1;
}

/* "markctl translate [-4|-6] ..." speaks as ip(6)tables-translate. */
static void pick_family(struct markctl_ctx *ctx, int argc, char **argv)
{
	ctx->family = parse_family(ctx, argc, argv);
	if (!ctx->dropin)
		ctx->progname = ctx->family == NFPROTO_IPV6 ?
				"ip6tables-translate" : "iptables-translate";
}

static int xlate_help(const struct rule_cmd *cmd)
{
	help_iptables(cmd->rule);
	return 0;
}

static int xlate_version(void)
{
	msg_print_version(msg_progname());
	return 0;
}

int cmd_translate(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct rule_pairs pairs;
	struct rule_cmd cmd;
	struct xlate x = {
		.cmd = &cmd, .pairs = &pairs, .argc = argc, .argv = argv,
		.family_switches = !ctx->dropin,
	};
	int ret;

	ctx->offline = true;
	/* iptables-translate is the nf_tables tool whatever the backend */
	msg_set_variant("nf_tables");
	pick_family(ctx, argc, argv);
	msg_set_progname(ctx->progname);
	plugins_init(ctx, ctx->family, parse_getopt_options());
	rule_cmd_init(&cmd, ctx->family);
	parse_argv_pairs(ctx, argc, argv, &cmd, &pairs);
	if (cmd.command == RULE_CMD_VERSION)
		ret = xlate_version();
	else if (cmd.command == RULE_CMD_HELP)
		ret = xlate_help(&cmd);
	else
		ret = xlate_dispatch(&x);
	rule_pairs_release(&pairs);
	rule_cmd_release(&cmd);
	plugins_release();
	return ret;
}
