// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables-restore as iptables-legacy-restore 1.8.9 reads its input, for
 * backends whose iptables works through libiptc (BACKEND_LIBIPTC): each
 * "*table" line takes the xtables lock and reads the table, each line is
 * one iptables command on it that says nothing when the table refuses it
 * ("line N failed" then), and each COMMIT replaces the table and lets the
 * lock go.  markctl restore (and --atomic) commits every table at the end
 * instead, all of them or none.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "emit.h"
#include "help.h"
#include "msg.h"
#include "opts.h"
#include "parse.h"
#include "plugins.h"
#include "queue.h"
#include "restore.h"
#include "util.h"

/* restore_legacy_alloc() takes restore.h's RS_* flags */
enum lrs_flags {
	LRS_NOFLUSH	= RS_NOFLUSH,
	LRS_TEST	= RS_TEST,
	LRS_COUNTERS	= RS_COUNTERS,
	LRS_VERBOSE	= RS_VERBOSE,
	LRS_ATOMIC	= RS_ATOMIC,
	LRS_INTERVAL	= 1 << 5,	/* -W given */
};

/* fgets() buffer of 1.8.9: longer lines are read as several */
#define LRS_LINE_MAX	10240

struct lrs {
	struct markctl_ctx *ctx;
	const struct backend_ops *ops;
	struct backend *b;
	const char *progname;		/* "iptables-restore", ... */
	char *argv0;			/* as invoked: rule lines' argv[0] */
	char **argv;
	unsigned int flags;
	const char *only_table;		/* -T */
	char table[RULE_TABLE_MAXLEN + 1];
	bool in_table;
	unsigned int line;
	unsigned int commit_line;	/* the last COMMIT (--atomic) */
	struct restore_argv av;
	/* the line's command, here so that an exit() in the middle of it
	 * leaves it reachable (restore_legacy_free()) */
	struct rule_cmd cmd;
	struct rule_pairs pairs;
	/* the table's chains as the lines so far leave them */
	char builtins[NF_INET_NUMHOOKS][RULE_CHAIN_MAXLEN];
	struct restore_chainset users;
};

/* iptables-legacy-restore calls itself so under any name. */
static const char *lrs_progname(const struct markctl_ctx *ctx)
{
	return ctx->family == NFPROTO_IPV6 ? "ip6tables-restore" :
					     "iptables-restore";
}

static void __attribute__((noreturn)) lrs_line_failed(const struct lrs *rs)
{
	fflush(stdout);		/* what the line printed comes first */
	fprintf(stderr, "%s: line %u failed\n", rs->progname, rs->line);
	exit(OTHER_PROBLEM);
}

/* The backend's own failures (the lock) exit as iptables does. */
static void lrs_backend_failed(const struct lrs *rs)
{
	const char *words = rs->ops->strerror(rs->b);

	if (words && rs->ops->failure(rs->b) == BACKEND_FAIL_LOCK)
		msg_die_failure(BACKEND_FAIL_LOCK, words, errno);
}

/* Reads the table (taking the lock first) and notes its chains. */
static int lrs_chains_load(struct lrs *rs)
{
	struct rule_chain *chains;
	unsigned int n, nb = 0;
	bool exists;

	restore_chainset_release(&rs->users);
	memset(rs->builtins, 0, sizeof(rs->builtins));
	if (rs->ops->chains(rs->b, rs->table, &chains, &n, &exists) < 0)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		if (chains[i].builtin && nb < NF_INET_NUMHOOKS)
			util_strlcpy(rs->builtins[nb++], chains[i].name,
				     sizeof(rs->builtins[0]));
		else if (!chains[i].builtin &&
			 restore_chainset_add(&rs->users, chains[i].name) < 0)
			msg_die(RESOURCE_PROBLEM, "%s", strerror(errno));
	}
	free(chains);
	return 0;
}

static bool lrs_builtin(const struct lrs *rs, const char *name)
{
	for (unsigned int i = 0; i < NF_INET_NUMHOOKS; i++)
		if (strcmp(rs->builtins[i], name) == 0)
			return true;
	return false;
}

static bool lrs_exists(const struct lrs *rs, const char *name)
{
	return lrs_builtin(rs, name) || restore_chainset_has(&rs->users, name);
}

static void lrs_user_add(struct lrs *rs, const char *name)
{
	if (restore_chainset_add(&rs->users, name) < 0)
		msg_die(RESOURCE_PROBLEM, "%s", strerror(errno));
}

/* Keeps the chains in step with a command the table took. */
static void lrs_track(struct lrs *rs, const struct rule_cmd *cmd)
{
	switch ((unsigned int)cmd->command) {
	case RULE_CMD_NEW_CHAIN:
		lrs_user_add(rs, cmd->chain);
		break;
	case RULE_CMD_DELETE_CHAIN:
		if (cmd->chain[0])
			restore_chainset_del(&rs->users, cmd->chain);
		else
			restore_chainset_release(&rs->users);
		break;
	case RULE_CMD_RENAME_CHAIN:
		restore_chainset_del(&rs->users, cmd->chain);
		lrs_user_add(rs, cmd->newname);
		break;
	}
}

/* for_each_chain(flush_entries/delete_chain) of 1.8.9, with -v's lines */
static void lrs_flush(struct lrs *rs)
{
	struct rule_chain *chains;
	unsigned int n;
	bool exists;

	if ((rs->flags & LRS_VERBOSE) &&
	    rs->ops->chains(rs->b, rs->table, &chains, &n, &exists) == 0) {
		for (unsigned int i = 0; i < n; i++)
			printf("Flushing chain `%s'\n", chains[i].name);
		for (unsigned int i = 0; i < n; i++)
			if (!chains[i].builtin)
				printf("Deleting chain `%s'\n", chains[i].name);
		free(chains);
	}
	if (rs->ops->flush_table(rs->b, rs->table) < 0)
		lrs_line_failed(rs);
	restore_chainset_release(&rs->users);
}

/* "*table": the lock and the table, emptied unless --noflush. */
static void lrs_table(struct lrs *rs, char *buf)
{
	const char *table = strtok(buf + 1, " \t\n");

	if (!table)
		msg_die(PARAMETER_PROBLEM, "%s: line %u table name invalid",
			rs->progname, rs->line);
	util_strlcpy(rs->table, table, sizeof(rs->table));
	if (rs->only_table && strcmp(rs->only_table, table) != 0)
		return;
	if (strlen(table) >= RULE_TABLE_MAXLEN || lrs_chains_load(rs) < 0) {
		lrs_backend_failed(rs);
		msg_die(PARAMETER_PROBLEM, "%s: unable to initialize table '%s'",
			rs->progname, table);
	}
	if (!(rs->flags & LRS_NOFLUSH))
		lrs_flush(rs);
	rs->in_table = true;
}

static void lrs_exec(struct lrs *rs, struct rule_cmd *cmd)
{
	if (rs->ops->exec(rs->b, cmd) < 0) {
		lrs_backend_failed(rs);
		lrs_line_failed(rs);
	}
	lrs_track(rs, cmd);
}

/* ":CHAIN POLICY [p:b]" */
static void lrs_policy(struct lrs *rs, struct rule_cmd *cmd,
		       const char *policy)
{
	const char *ctrs;

	if (rs->flags & LRS_COUNTERS) {
		ctrs = strtok(NULL, " \t\n");
		if (!ctrs || sscanf(ctrs, "[%llu:%llu]",
				    (unsigned long long *)&cmd->policy_counters.pcnt,
				    (unsigned long long *)&cmd->policy_counters.bcnt) != 2)
			msg_die(PARAMETER_PROBLEM,
				"invalid policy counters for chain '%s'",
				cmd->chain);
	}
	cmd->has_policy_counters = true;	/* [0:0] without -c */
	cmd->command = RULE_CMD_SET_POLICY;
	cmd->policy = rule_verdict_from_name(policy);
	if (rs->ops->exec(rs->b, cmd) < 0) {
		lrs_backend_failed(rs);
		msg_die(OTHER_PROBLEM, "Can't set policy `%s' on `%s' line %u: %s",
			policy, cmd->chain, rs->line, rs->ops->strerror(rs->b));
	}
}

static void lrs_chain_line(struct lrs *rs, char *buf)
{
	const char *chain, *policy;
	struct rule_cmd cmd;

	chain = strtok(buf + 1, " \t\n");
	if (!chain)
		msg_die(PARAMETER_PROBLEM, "%s: line %u chain name invalid",
			rs->progname, rs->line);
	if (strlen(chain) >= XT_EXTENSION_MAXNAMELEN)
		msg_die(PARAMETER_PROBLEM, "Invalid chain name `%s' (%u chars max)",
			chain, XT_EXTENSION_MAXNAMELEN - 1);
	rule_cmd_init(&cmd, rs->ctx->family);
	cmd.from_restore = true;
	cmd.lineno = rs->line;
	util_strlcpy(cmd.table, rs->table, sizeof(cmd.table));
	util_strlcpy(cmd.chain, chain, sizeof(cmd.chain));
	if (!lrs_builtin(rs, chain)) {
		cmd.command = (rs->flags & LRS_NOFLUSH) &&
			      lrs_exists(rs, chain) ?
			      RULE_CMD_FLUSH : RULE_CMD_NEW_CHAIN;
		if (rs->ops->exec(rs->b, &cmd) < 0) {
			lrs_backend_failed(rs);
			msg_die(PARAMETER_PROBLEM, "error %s chain '%s':%s",
				cmd.command == RULE_CMD_FLUSH ? "flushing" :
				"creating", chain, strerror(errno));
		}
		lrs_track(rs, &cmd);
	}
	policy = strtok(NULL, " \t\n");
	if (!policy)
		msg_die(PARAMETER_PROBLEM, "%s: line %u policy invalid",
			rs->progname, rs->line);
	if (strcmp(policy, "-") != 0)
		lrs_policy(rs, &cmd, policy);
	/* a jump to it needs no extension lookup now */
	xtables_announce_chain(chain);
}

static void lrs_queue(const struct rule_cmd *cmd, void *data)
{
	lrs_exec(data, (struct rule_cmd *)cmd);
}

/* One iptables command on the table, as 1.8.9's do_command4 runs it. */
static void lrs_command(struct lrs *rs, struct rule_cmd *cmd,
			const struct rule_pairs *pairs)
{
	bool verbose = cmd->list_flags & RULE_LIST_VERBOSE;
	const struct rule *r = cmd->rule;

	if (cmd->command & (RULE_CMD_LIST | RULE_CMD_LIST_RULES)) {
		if (cmd_iptables_list(rs->ctx, cmd) < 0)
			lrs_line_failed(rs);
		if (cmd->command & (RULE_CMD_ZERO | RULE_CMD_ZERO_NUM))
			lrs_exec(rs, cmd);
		return;
	}
	switch ((unsigned int)cmd->command) {
	case RULE_CMD_NONE:
		return;
	case RULE_CMD_HELP:
		help_iptables(cmd->rule);
		exit(0);
	case RULE_CMD_VERSION:
		msg_print_version(msg_progname());
		exit(0);
	}
	if (r && (r->verdict == RULE_VERDICT_JUMP ||
		  r->verdict == RULE_VERDICT_GOTO) && !lrs_exists(rs, r->jump))
		msg_die_no_chain(r, true);
	if (verbose && cmd->chain[0] &&
	    (cmd->command & (RULE_CMD_FLUSH | RULE_CMD_DELETE_CHAIN |
			     RULE_CMD_ZERO)))
		printf("%s chain `%s'\n",
		       cmd->command == RULE_CMD_FLUSH ? "Flushing" :
		       cmd->command == RULE_CMD_ZERO ? "Zeroing" : "Deleting",
		       cmd->chain);
	queue_pairs(cmd, pairs, verbose ? QUEUE_ECHO_FIRST : QUEUE_QUIET,
		    lrs_queue, rs);
}

/* "[p:b] -A CHAIN ...": iptables' argv, -t TABLE first, as 1.8.9. */
static void lrs_rule(struct lrs *rs, char *buf)
{
	char *start = buf, *pcnt = NULL, *bcnt = NULL;
	struct restore_argv *av = &rs->av;
	struct rule_pairs *pairs = &rs->pairs;
	struct rule_cmd *cmd = &rs->cmd;

	av->argc = 0;
	restore_argv_push(av, rs->argv0);
	restore_argv_push(av, "-t");
	restore_argv_push(av, rs->table);
	/* 1.8.9's -v reaches the lines only where it flushes */
	if ((rs->flags & LRS_VERBOSE) && !(rs->flags & LRS_NOFLUSH))
		restore_argv_push(av, "-v");
	restore_counters_prefix(&start, &pcnt, &bcnt, rs->line);
	if ((rs->flags & LRS_COUNTERS) && pcnt && bcnt) {
		restore_argv_push(av, "--set-counters");
		restore_argv_push(av, pcnt);
		restore_argv_push(av, bcnt);
	}
	restore_split(av, start);

	rule_cmd_init(cmd, rs->ctx->family);
	cmd->from_restore = true;
	cmd->lineno = rs->line;
	optind = 0;
	parse_argv_pairs(rs->ctx, av->argc, av->argv, cmd, pairs);
	lrs_command(rs, cmd, pairs);
	fflush(stdout);		/* as 1.8.9, after each command line */
	rule_pairs_release(pairs);
	rule_cmd_release(cmd);
}

static void lrs_commit(struct lrs *rs)
{
	rs->in_table = false;
	rs->commit_line = rs->line;
	if (rs->flags & LRS_ATOMIC)
		return;
	if (rs->flags & LRS_TEST) {
		rs->ops->abort(rs->b);
		return;
	}
	if (rs->ops->commit(rs->b) < 0)
		lrs_line_failed(rs);
}

static void lrs_line(struct lrs *rs, char *buf)
{
	bool skip = rs->only_table && strcmp(rs->only_table, rs->table) != 0;

	if (buf[0] == '\n')
		return;
	if (buf[0] == '#') {
		if (rs->flags & LRS_VERBOSE) {
			fputs(buf, stdout);
			fflush(stdout);
		}
		return;
	}
	if (strcmp(buf, "COMMIT\n") == 0 && rs->in_table) {
		lrs_commit(rs);
		return;
	}
	if (buf[0] == '*' && !rs->in_table) {
		lrs_table(rs, buf);
		return;
	}
	if (skip)
		return;
	if (!rs->in_table)
		lrs_line_failed(rs);
	if (buf[0] == ':')
		lrs_chain_line(rs, buf);
	else
		lrs_rule(rs, buf);
}

/* --atomic: every table at once, or none; the words of the refusal. */
static void lrs_commit_all(struct lrs *rs)
{
	const char *words;

	if (rs->flags & LRS_TEST) {
		rs->ops->abort(rs->b);
		return;
	}
	if (rs->ops->commit(rs->b) == 0)
		return;
	words = rs->ops->strerror(rs->b);
	fprintf(stderr, "%s: line %u failed%s%s%s\n", rs->progname,
		rs->commit_line, words ? ": " : "", words ? words : "",
		words ? "." : "");
	exit(OTHER_PROBLEM);
}

static void lrs_run(struct lrs *rs, FILE *in)
{
	char buf[LRS_LINE_MAX];

	while (fgets(buf, sizeof(buf), in)) {
		rs->line++;
		msg_set_lineno(rs->line);
		lrs_line(rs, buf);
	}
	msg_set_lineno(0);
	if (rs->in_table) {
		fprintf(stderr, "%s: COMMIT expected at line %u\n",
			rs->progname, rs->line + 1);
		exit(OTHER_PROBLEM);
	}
	if (rs->flags & LRS_ATOMIC)
		lrs_commit_all(rs);
}

/* ---- options ---- */

static void lrs_usage(const char *name)
{
	fprintf(stderr, "Usage: %s [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [file]\n"
		"\t   [ --counters ]\n"
		"\t   [ --verbose ]\n"
		"\t   [ --version]\n"
		"\t   [ --test ]\n"
		"\t   [ --help ]\n"
		"\t   [ --noflush ]\n"
		"\t   [ --wait=<seconds>\n"
		"\t   [ --table=<TABLE> ]\n"
		"\t   [ --modprobe=<command> ]\n", name);
}

static void lrs_unknown(void *state)
{
	struct lrs *rs = state;

	fprintf(stderr, "Try `%s -h' for more information.\n", rs->progname);
	exit(OTHER_PROBLEM);
}

static void lrs_binary(void *state __attribute__((unused)),
		       const char *arg __attribute__((unused)))
{
	fprintf(stderr, "-b/--binary option is not implemented\n");
}

static void lrs_version(void *state, const char *arg __attribute__((unused)))
{
	msg_print_version(((struct lrs *)state)->progname);
	exit(0);
}

static void lrs_help(void *state, const char *arg __attribute__((unused)))
{
	lrs_usage(((struct lrs *)state)->progname);
	exit(0);
}

/* iptables' optional argument: attached, or the next word unless it
 * starts with '-' or '!' (xs_has_arg) */
static const char *lrs_optarg(struct lrs *rs, const char *arg, int argc)
{
	if (arg)
		return arg;
	if (optind < argc && rs->argv[optind][0] != '-' &&
	    rs->argv[optind][0] != '!')
		return rs->argv[optind++];
	return NULL;
}

static int lrs_argc;

static void lrs_wait(void *state, const char *arg)
{
	struct lrs *rs = state;

	rs->ctx->wait = -1;
	arg = lrs_optarg(rs, arg, lrs_argc);
	if (arg && sscanf(arg, "%i", &rs->ctx->wait) != 1)
		msg_die(PARAMETER_PROBLEM, "wait seconds not numeric");
}

static void lrs_wait_interval(void *state, const char *arg)
{
	struct lrs *rs = state;
	unsigned int usec;

	arg = lrs_optarg(rs, arg, lrs_argc);
	if (!arg)
		msg_die(PARAMETER_PROBLEM, "wait interval value required");
	if (sscanf(arg, "%u", &usec) != 1)
		msg_die(PARAMETER_PROBLEM, "wait interval not numeric");
	if (usec > 999999)
		msg_die(PARAMETER_PROBLEM, "too long usec wait %u > 999999 usec",
			usec);
	fprintf(stderr, "Ignoring deprecated --wait-interval option.\n");
	rs->flags |= LRS_INTERVAL;
}

static void lrs_family(struct lrs *rs, uint8_t family)
{
	rs->ctx->family = family;
	rs->progname = lrs_progname(rs->ctx);
	msg_set_progname(rs->progname);
}

static void lrs_ipv4(void *state, const char *arg __attribute__((unused)))
{
	lrs_family(state, NFPROTO_IPV4);
}

static void lrs_ipv6(void *state, const char *arg __attribute__((unused)))
{
	lrs_family(state, NFPROTO_IPV6);
}

static void lrs_per_commit(void *state, const char *arg __attribute__((unused)))
{
	((struct lrs *)state)->flags &= ~LRS_ATOMIC;
}

#define LRS_FLAG(name, letter, bit) \
	OPTS_FLAG(name, letter, OPT_BOTH, struct lrs, flags, bit)

/* Options of iptables-legacy-restore 1.8.9 (-w and -W without an
 * attached argument), and markctl restore's -4/-6, --atomic and
 * --no-atomic. */
static const struct opt lrs_options[] = {
	OPTS_CALL("binary", 'b', no_argument, OPT_BOTH, lrs_binary),
	LRS_FLAG("counters", 'c', LRS_COUNTERS),
	LRS_FLAG("verbose", 'v', LRS_VERBOSE),
	OPTS_CALL("version", 'V', no_argument, OPT_BOTH, lrs_version),
	LRS_FLAG("test", 't', LRS_TEST),
	OPTS_CALL("help", 'h', no_argument, OPT_BOTH, lrs_help),
	LRS_FLAG("noflush", 'n', LRS_NOFLUSH),
	OPTS_IGNORE("modprobe", 'M', required_argument, OPT_BOTH),
	OPTS_STRING("table", 'T', OPT_BOTH, struct lrs, only_table),
	OPTS_CALL("wait", 'w', optional_argument, OPT_BOTH, lrs_wait),
	OPTS_CALL("wait-interval", 'W', optional_argument, OPT_BOTH,
		  lrs_wait_interval),
	OPTS_CALL("ipv4", '4', no_argument, OPT_OWN, lrs_ipv4),
	OPTS_CALL("ipv6", '6', no_argument, OPT_OWN, lrs_ipv6),
	LRS_FLAG("atomic", 0x100, LRS_ATOMIC),
	OPTS_CALL("no-atomic", 0x101, no_argument, OPT_BOTH, lrs_per_commit),
	OPTS_END,
};

struct lrs *restore_legacy_alloc(struct markctl_ctx *ctx, unsigned int flags,
				 const char *only_table)
{
	struct lrs *rs = calloc(1, sizeof(*rs));

	if (!rs)
		msg_die(RESOURCE_PROBLEM, "%s", strerror(ENOMEM));
	*rs = (struct lrs){ .ctx = ctx, .ops = ctx->backend_ops,
			    .argv0 = (char *)lrs_progname(ctx),
			    .flags = flags, .only_table = only_table,
			    .pairs = { .ndst = 1 } };
	lrs_family(rs, ctx->family);
	msg_set_restore(true);
	return rs;
}

void restore_legacy_file(struct lrs *rs, FILE *in)
{
	rs->b = ctx_backend(rs->ctx);
	lrs_run(rs, in);
}

void restore_legacy_free(struct lrs *rs)
{
	rule_pairs_release(&rs->pairs);
	rule_cmd_release(&rs->cmd);
	restore_chainset_release(&rs->users);
	restore_argv_release(&rs->av);
	free(rs);
}

int restore_legacy(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct lrs *rs = restore_legacy_alloc(ctx, ctx->dropin ? 0 : RS_ATOMIC,
					      NULL);
	struct restore_input input;

	rs->argv0 = argv[0];
	rs->argv = argv;
	lrs_argc = argc;
	opts_parse(lrs_options, ctx->dropin, argc, argv, rs, lrs_unknown);
	restore_input_open(&input, argc, argv);
	if ((rs->flags & LRS_INTERVAL) && !ctx->wait) {
		fprintf(stderr, "Option --wait-interval requires option --wait\n");
		exit(OTHER_PROBLEM);
	}
	plugins_init(ctx, ctx->family, parse_getopt_options());
	restore_legacy_file(rs, input.in);
	restore_input_close(&input);
	restore_legacy_free(rs);
	plugins_release();
	return 0;
}
