// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl restore: iptables-restore format, streamed line by line into the
 * backend's transaction and committed once at the end, so an error on any
 * line leaves the kernel as it was.  Under the drop-in names each COMMIT
 * takes effect when it is read, as in iptables-nft-restore 1.8.9, whose
 * line handling, messages and exit codes are followed throughout.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "emit.h"
#include "help.h"
#include "parse.h"
#include "plugins.h"
#include "queue.h"
#include "restore.h"
#include "msg.h"
#include "opts.h"
#include "util.h"

struct restore {
	struct markctl_ctx *ctx;
	const struct backend_ops *ops;
	struct backend *b;
	const char *progname;
	unsigned int flags;
	const char *only_table;		/* -T */
	char table[RULE_TABLE_MAXLEN];
	bool in_table;
	bool skip_table;		/* in a table -T leaves out */
	unsigned int line;
	struct restore_argv av;
	char *linebuf;
	/* the rule line being carried out: here, so that what it holds is
	 * freed with the restore after an exit that returns (tests/fuzz) */
	struct rule_cmd cmd;
	struct rule_pairs pairs;
	char **argv;			/* the command line, for getopt */
	/* User chains per table (index in backend_tables), as the lines so
	 * far leave them: a jump elsewhere is refused at the next COMMIT. */
	struct restore_chainset chains[BACKEND_NTABLES];
	bool chains_known[BACKEND_NTABLES];
	/* Every chain line's name so far, for the parser (ctx->announced) */
	struct restore_chainset announced;
	char missing_jump[RULE_CHAIN_MAXLEN];
	/* the first refused command: 1.8.9 finds it in its batch at COMMIT */
	unsigned int failed_line;
	char failed_msg[256];
};

/* The table's index in backend_tables; -1 if iptables knows none such. */
static int restore_table_index(const char *table)
{
	const struct backend_table *t = backend_table_find(table);

	return t ? t - backend_tables : -1;
}

static bool restore_is_builtin(const char *table, const char *chain)
{
	const struct backend_table *t = backend_table_find(table);

	return t && backend_builtin_find(t, chain);
}

static const char *restore_errmsg(unsigned int command, int err)
{
	return msg_errno_text(command, err, true);
}

/* "<prog>: ..." messages of iptables-restore: no version prefix, rc 1. */
static void __attribute__((noreturn, format(printf, 2, 3)))
restore_fail(const struct restore *rs, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", rs->progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(OTHER_PROBLEM);
}

static void __attribute__((noreturn))
restore_line_failed(const struct restore *rs, const char *msg)
{
	/* iptables-nft-restore 1.8.9 finds a bad policy in its batch, before
	 * any later refusal */
	if (rs->failed_line && rs->failed_msg[0])
		restore_fail(rs, "line %u failed: %s.", rs->failed_line,
			     rs->failed_msg);
	if (rs->failed_line)
		restore_fail(rs, "line %u failed", rs->failed_line);
	if (msg)
		restore_fail(rs, "line %u failed: %s.", rs->line, msg);
	restore_fail(rs, "line %u failed", rs->line);
}

static struct restore_chainset *restore_chainset(struct restore *rs)
{
	int i = restore_table_index(rs->table);

	if (i < 0)
		abort();	/* "*table" lines are checked */
	return &rs->chains[i];
}

static void restore_chainset_must_add(struct restore *rs, const char *name)
{
	if (restore_chainset_add(restore_chainset(rs), name) < 0)
		msg_die(RESOURCE_PROBLEM, "%s", strerror(errno));
}

/* The table's user chains as the kernel has them (for --noflush). */
static void restore_chains_load(struct restore *rs)
{
	struct rule_chain *chains = NULL;
	unsigned int count = 0;
	bool exists;

	if (rs->ops->chains(rs->b, rs->table, &chains, &count, &exists) < 0)
		return;		/* no such table: no user chains */
	for (unsigned int i = 0; i < count; i++)
		if (!chains[i].builtin)
			restore_chainset_must_add(rs, chains[i].name);
	free(chains);
}

/*
 * Keeps the chain set in step with @cmd.  Returns false for a rule
 * jumping to a chain that does not exist at this line: iptables-nft-restore
 * 1.8.9 reports that at the table's COMMIT line, so it is remembered.
 */
static bool restore_track_chains(struct restore *rs,
				 const struct rule_cmd *cmd)
{
	struct restore_chainset *set = restore_chainset(rs);
	const struct rule *r = cmd->rule;

	switch (cmd->command) {
	case RULE_CMD_NEW_CHAIN:
		restore_chainset_must_add(rs, cmd->chain);
		return true;
	case RULE_CMD_DELETE_CHAIN:
		if (cmd->chain[0] || cmd->chain_empty)
			restore_chainset_del(set, cmd->chain);
		else
			restore_chainset_release(set);
		return true;
	case RULE_CMD_RENAME_CHAIN:
		restore_chainset_del(set, cmd->chain);
		restore_chainset_must_add(rs, cmd->newname);
		return true;
	case RULE_CMD_APPEND:
	case RULE_CMD_INSERT:
	case RULE_CMD_REPLACE:
		break;
	default:
		return true;
	}
	if (!r || (r->verdict != RULE_VERDICT_JUMP &&
		   r->verdict != RULE_VERDICT_GOTO) ||
	    restore_is_builtin(rs->table, r->jump) ||
	    restore_chainset_has(set, r->jump))
		return true;
	if (!rs->missing_jump[0])
		snprintf(rs->missing_jump, sizeof(rs->missing_jump), "%s",
			 r->jump);
	return false;
}

/* Remembers the first refusal for COMMIT; later lines are still parsed
 * (their errors come first).  --test never reports it, as 1.8.9.  An
 * empty @msg: the line is named without a reason. */
static void restore_defer(struct restore *rs, const char *msg)
{
	if (rs->failed_line || (rs->flags & RS_TEST))
		return;
	rs->failed_line = rs->line;
	snprintf(rs->failed_msg, sizeof(rs->failed_msg), "%s", msg);
}

static int restore_any_rule(const struct rule *r __attribute__((unused)),
			    void *data __attribute__((unused)))
{
	return 1;
}

/* Whether the kernel holds a rule in the current table. */
static bool restore_table_has_rules(struct restore *rs)
{
	struct rule_chain *chains = NULL;
	unsigned int count = 0;
	bool exists, found = false;

	if (rs->ops->chains(rs->b, rs->table, &chains, &count, &exists) < 0)
		return false;
	for (unsigned int i = 0; i < count && !found; i++)
		found = chains[i].exists &&
			rs->ops->rules(rs->b, rs->table, chains[i].name,
				       restore_any_rule, NULL) == 1;
	free(chains);
	return found;
}

/*
 * -Z C N finding no rule N (or no chain C): 1.8.9 words it from an errno
 * that its later reads of the table reset, so the reason ("Bad rule")
 * shows only with --noflush in a table without rules.
 */
static const char *restore_zero_num_error(struct restore *rs)
{
	if (!(rs->flags & RS_NOFLUSH) || restore_table_has_rules(rs))
		return "";
	return msg_errno_text(RULE_CMD_ZERO_NUM, ENOENT, false);
}

/* -L/-S (and -L -Z): the table as the lines so far leave it, queued
 * chains and rules too, as 1.8.9 lists its cache; a chain it does not
 * find ends the restore there.  1.8.9 runs a table's lines at COMMIT,
 * in order: after a refused line it lists nothing. */
static void restore_list(struct restore *rs, const struct rule_cmd *cmd)
{
	if (rs->failed_line && !cmd->chain_empty)
		return;
	if (cmd->chain_empty || cmd_iptables_list(rs->ctx, cmd) < 0)
		msg_die(OTHER_PROBLEM, "chain `%s' in table `%s' is "
			"incompatible, use 'nft' tool.", cmd->chain,
			cmd->table);
}

static void restore_exec(struct restore *rs, struct rule_cmd *cmd)
{
	if (cmd->command & (RULE_CMD_LIST | RULE_CMD_LIST_RULES)) {
		restore_list(rs, cmd);
		if (!(cmd->command & (RULE_CMD_ZERO | RULE_CMD_ZERO_NUM)))
			return;
	}
	switch (cmd->command) {
	case RULE_CMD_NONE:
		return;		/* nothing to queue */
	case RULE_CMD_FLUSH:
	case RULE_CMD_DELETE_CHAIN:
	case RULE_CMD_ZERO:
		/* "" is a chain that cannot exist, not every chain */
		if (cmd->chain_empty) {
			restore_defer(rs, restore_errmsg(cmd->command, ENOENT));
			return;
		}
		break;
	case RULE_CMD_ZERO_NUM:
		if (cmd->chain_empty) {
			restore_defer(rs, restore_zero_num_error(rs));
			return;
		}
		break;
	case RULE_CMD_HELP:	/* 1.8.9 stops there, nothing applied */
		help_iptables(cmd->rule);
		exit(0);
	case RULE_CMD_VERSION:
		msg_print_version(rs->progname);
		exit(0);
	case RULE_CMD_SET_POLICY:
		if (cmd->policy != RULE_VERDICT_ACCEPT &&
		    cmd->policy != RULE_VERDICT_DROP) {
			restore_defer(rs, "Bad policy name");
			return;
		}
		break;
	default:
		break;
	}
	if (rs->ops->exec(rs->b, cmd) < 0) {
		/* -C/-D walked past a kernel rule that does not parse back */
		if (errno == EBADMSG)
			emit_die_unparsable(rs->ops->strerror(rs->b));
		restore_defer(rs, cmd->command == RULE_CMD_ZERO_NUM ?
			      restore_zero_num_error(rs) :
			      restore_errmsg(cmd->command, errno));
	}
}

static int chain_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rule_chain *)a)->name,
		      ((const struct rule_chain *)b)->name);
}

/* -v flush: built-ins flushed, then the user chains (by name) flushed and
 * deleted, as iptables-nft-restore 1.8.9 says. */
static void restore_say_flush(struct restore *rs, const char *table)
{
	static const char *const verbs[] = { "Flushing", "Deleting" };
	const struct backend_table *t = backend_table_find(table);
	struct rule_chain *chains = NULL;
	unsigned int count = 0, n = 0;
	bool exists;

	for (unsigned int i = 0; t && i < t->nbuiltins; i++)
		printf("Flushing chain `%s'\n", t->builtins[i].name);
	if (rs->ops->chains(rs->b, table, &chains, &count, &exists) < 0)
		return;		/* no such table: no user chains */
	for (unsigned int i = 0; i < count; i++)
		if (!chains[i].builtin)
			chains[n++] = chains[i];
	qsort(chains, n, sizeof(*chains), chain_name_cmp);
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		for (unsigned int i = 0; i < n; i++)
			printf("%s chain `%s'\n", verbs[v], chains[i].name);
	free(chains);
}

/* "*table": starts a table; without --noflush its old contents go. */
static void restore_table(struct restore *rs, char *buf)
{
	const char *table = strtok(buf + 1, " \t\n");

	if (!table)
		msg_die(PARAMETER_PROBLEM, "%s: line %u table name invalid",
			 rs->progname, rs->line);
	if (restore_table_index(table) < 0)
		msg_die(PARAMETER_PROBLEM,
			 "%s: line %u table name '%s' invalid",
			 rs->progname, rs->line, table);
	snprintf(rs->table, sizeof(rs->table), "%s", table);
	/* 1.8.9 does not enter a table -T leaves out: its lines, COMMIT
	 * or not, are passed over up to the next table line */
	rs->skip_table = rs->only_table && strcmp(rs->only_table, table);
	if (rs->skip_table)
		return;
	rs->in_table = true;
	if (rs->flags & RS_NOFLUSH) {
		int i = restore_table_index(table);

		if (!rs->chains_known[i])
			restore_chains_load(rs);
		rs->chains_known[i] = true;
		return;
	}
	restore_chainset_release(restore_chainset(rs));
	rs->chains_known[restore_table_index(table)] = true;
	if (rs->flags & RS_VERBOSE)
		restore_say_flush(rs, table);
	if (rs->ops->flush_table(rs->b, table) < 0)
		restore_line_failed(rs, restore_errmsg(0, errno));
}

/* ":CHAIN POLICY [p:b]": a built-in's policy, or a user chain. */
static void restore_chain(struct restore *rs, char *buf)
{
	struct rule_cmd cmd;
	const char *chain, *policy;
	unsigned long long p, b;

	chain = strtok(buf + 1, " \t\n");
	if (!chain)
		msg_die(PARAMETER_PROBLEM, "%s: line %u chain name invalid",
			 rs->progname, rs->line);
	if (strlen(chain) >= RULE_CHAIN_ARGLEN)
		msg_die(PARAMETER_PROBLEM,
			 "chain name `%s' too long (must be under %u chars)",
			 chain, RULE_CHAIN_ARGLEN);
	if (chain[0] == '-' || chain[0] == '!')
		msg_die(PARAMETER_PROBLEM,
			 "chain name not allowed to start with `%c'", chain[0]);
	/* only the standard verdicts: 1.8.9 looks without loading targets */
	if (rule_verdict_from_name(chain) != RULE_VERDICT_NONE)
		msg_die(PARAMETER_PROBLEM,
			 "chain name may not clash with target name");
	for (const char *p = chain; *p; p++)
		if (isspace((unsigned char)*p))
			msg_die(PARAMETER_PROBLEM, "Invalid chain name `%s'",
				chain);
	/* a jump to it is no target to look for among the plugins */
	if (restore_chainset_add(&rs->announced, chain) < 0)
		msg_die(RESOURCE_PROBLEM, "%s", strerror(errno));
	policy = strtok(NULL, " \t\n");
	if (!policy)
		msg_die(PARAMETER_PROBLEM, "%s: line %u policy invalid",
			 rs->progname, rs->line);

	rule_cmd_init(&cmd, rs->ctx->family);
	cmd.from_restore = true;
	cmd.lineno = rs->line;
	snprintf(cmd.table, sizeof(cmd.table), "%s", rs->table);
	snprintf(cmd.chain, sizeof(cmd.chain), "%s", chain);

	if (!restore_is_builtin(rs->table, chain)) {
		restore_chainset_must_add(rs, chain);
		/* a chain named again starts empty */
		cmd.command = RULE_CMD_NEW_CHAIN;
		cmd.or_flush = true;
		if (rs->ops->exec(rs->b, &cmd) < 0)
			restore_line_failed(rs,
					    restore_errmsg(cmd.command, errno));
		return;
	}
	if (rs->flags & RS_COUNTERS) {
		const char *ctrs = strtok(NULL, " \t\n");

		if (!ctrs || sscanf(ctrs, "[%llu:%llu]", &p, &b) != 2)
			msg_die(PARAMETER_PROBLEM,
				 "invalid policy counters for chain '%s'",
				 chain);
		cmd.policy_counters.pcnt = p;
		cmd.policy_counters.bcnt = b;
		cmd.has_policy_counters = true;
	}
	if (strcmp(policy, "-") == 0) {
		/* the built-in exists from here on, its policy unchanged */
		cmd.command = RULE_CMD_NEW_CHAIN;
		cmd.or_flush = true;
		if (rs->ops->exec(rs->b, &cmd) < 0)
			restore_line_failed(rs,
					    restore_errmsg(cmd.command, errno));
		return;
	}
	cmd.command = RULE_CMD_SET_POLICY;
	cmd.policy = rule_verdict_from_name(policy);
	restore_exec(rs, &cmd);
}

/* 1.8.9 shows what -v shows only where it flushes: --noflush -v is
 * silent but for lines with their own -v. */
static bool restore_verbose(const struct restore *rs)
{
	return (rs->flags & RS_VERBOSE) && !(rs->flags & RS_NOFLUSH);
}

static void restore_queue(const struct rule_cmd *cmd, void *data)
{
	restore_exec(data, (struct rule_cmd *)cmd);
}

/* One command line, once per address pair (-s a,b), as iptables. */
static void restore_pairs(struct restore *rs, struct rule_cmd *cmd,
			  const struct rule_pairs *pairs)
{
	/* ip6tables-nft-restore 1.8.9 checks rule counters, then drops them */
	for (unsigned int i = 0; rs->ctx->family == NFPROTO_IPV6 &&
	     i <= pairs->nmore; i++) {
		struct rule *r = i ? pairs->more[i - 1] : cmd->rule;

		if (r)
			memset(rule_counters(r), 0, sizeof(struct xt_counters));
	}
	if (!restore_track_chains(rs, cmd))
		return;
	/* -v (the line's or restore's), as iptables -v -X CHAIN says it */
	if (cmd->command == RULE_CMD_DELETE_CHAIN && cmd->chain[0] &&
	    ((cmd->list_flags & RULE_LIST_VERBOSE) || restore_verbose(rs)))
		printf("Deleting chain `%s'\n", cmd->chain);
	queue_pairs(cmd, pairs,
		    restore_verbose(rs) ? QUEUE_ECHO_FOUND : QUEUE_QUIET,
		    restore_queue, rs);
}

/* "[p:b] -A CHAIN ...": any iptables command, run as iptables -t TABLE. */
static void restore_rule(struct restore *rs, char *buf)
{
	char *start = buf, *pcnt = NULL, *bcnt = NULL;
	struct restore_argv *av = &rs->av;
	struct rule_pairs *pairs = &rs->pairs;
	struct rule_cmd *cmd = &rs->cmd;

	restore_counters_prefix(&start, &pcnt, &bcnt, rs->line);
	av->argc = 0;
	restore_argv_push(av, (char *)rs->progname);
	restore_argv_push(av, "-t");
	restore_argv_push(av, rs->table);
	if ((rs->flags & RS_COUNTERS) && pcnt) {
		restore_argv_push(av, "--set-counters");
		restore_argv_push(av, pcnt);
		restore_argv_push(av, bcnt);
	}
	restore_split(av, start);

	rule_cmd_init(cmd, rs->ctx->family);
	cmd->from_restore = true;
	cmd->lineno = rs->line;
	optind = 0;		/* parse_argv runs getopt once per line */
	parse_argv_pairs(rs->ctx, av->argc, av->argv, cmd, pairs);
	restore_pairs(rs, cmd, pairs);
	rule_pairs_release(pairs);
	rule_cmd_release(cmd);
}

static void restore_commit(struct restore *rs);

static bool restore_is_commit(const char *buf)
{
	return strcmp(buf, "COMMIT\n") == 0 || strcmp(buf, "COMMIT") == 0;
}

static void restore_line(struct restore *rs, char *buf)
{
	/* a line starting with a NUL byte is a line without words */
	if (buf[0] == '\n')
		return;
	if (buf[0] == '#') {
		if (rs->flags & RS_VERBOSE)
			fputs(buf, stdout);
		return;
	}
	if (rs->in_table && restore_is_commit(buf)) {
		rs->in_table = false;
		if (rs->failed_line)
			restore_line_failed(rs, NULL);
		if (rs->missing_jump[0] && !(rs->flags & RS_TEST))
			msg_die(PARAMETER_PROBLEM, "Chain '%s' does not exist",
				 rs->missing_jump);
		if (!(rs->flags & RS_ATOMIC))
			restore_commit(rs);
		return;
	}
	if (!rs->in_table && buf[0] == '*') {
		restore_table(rs, buf);
		return;
	}
	if (rs->skip_table)
		return;
	if (!rs->in_table)
		restore_line_failed(rs, NULL);
	if (buf[0] == ':')
		restore_chain(rs, buf);
	else
		restore_rule(rs, buf);
}

/*
 * 1.8.9 reads lines of at most this many bytes, newline included: the
 * rest of a longer line comes as the next line, and is numbered so.
 */
#define RESTORE_LINE_MAX 10240

static void restore_run(struct restore *rs, FILE *in)
{
	while (fgets(rs->linebuf, RESTORE_LINE_MAX, in)) {
		rs->line++;
		msg_set_lineno(rs->line);
		restore_line(rs, rs->linebuf);
	}
	msg_set_lineno(0);
	if (rs->in_table)
		restore_fail(rs, "COMMIT expected at line %u", rs->line + 1);
}

static void restore_commit(struct restore *rs)
{
	const char *msg;

	if (rs->flags & RS_TEST) {
		rs->ops->abort(rs->b);
		return;
	}
	if (rs->ops->commit(rs->b) == 0)
		return;
	msg = rs->ops->strerror(rs->b);
	if (msg)
		msg_die(RESOURCE_PROBLEM, "\n%s", msg);
	msg_die(RESOURCE_PROBLEM, "%s", strerror(errno));
}

/* on stderr, as iptables-nft-restore 1.8.9 */
static void restore_usage(const char *name)
{
	fprintf(stderr, "Usage: %s [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]\n"
	       "\t   [ --counters ]\n"
	       "\t   [ --verbose ]\n"
	       "\t   [ --version]\n"
	       "\t   [ --test ]\n"
	       "\t   [ --help ]\n"
	       "\t   [ --noflush ]\n"
	       "\t   [ --table=<TABLE> ]\n"
	       "\t   [ --modprobe=<command> ]\n"
	       "\t   [ --ipv4 ]\n"
	       "\t   [ --ipv6 ]\n", name);
}

const char *restore_progname(const struct markctl_ctx *ctx)
{
	if (ctx->dropin)
		return ctx->progname;
	return ctx->family == NFPROTO_IPV6 ? "ip6tables-nft-restore" :
					     "iptables-nft-restore";
}

static void restore_unknown(void *state)
{
	struct restore *rs = state;

	fprintf(stderr, "Try `%s -h' for more information.\n",
		restore_progname(rs->ctx));
	exit(OTHER_PROBLEM);
}

static void restore_binary(void *state __attribute__((unused)),
			   const char *arg __attribute__((unused)))
{
	fprintf(stderr, "-b/--binary option is not implemented\n");
}

static void restore_version(void *state,
			    const char *arg __attribute__((unused)))
{
	struct restore *rs = state;

	msg_print_version(restore_progname(rs->ctx));
	exit(0);
}

static void restore_help(void *state, const char *arg __attribute__((unused)))
{
	struct restore *rs = state;

	restore_usage(restore_progname(rs->ctx));
	exit(0);
}

/* 1.8.9 lists --ipv4/--ipv6 in its usage but refuses them; markctl
 * restore takes them.  getopt's own messages name argv[0] as invoked. */
static void restore_family(struct restore *rs, uint8_t family)
{
	if (rs->ctx->dropin)
		restore_unknown(rs);
	rs->ctx->family = family;
	rs->argv[0] = (char *)restore_progname(rs->ctx);
}

static void restore_per_commit(void *state,
			       const char *arg __attribute__((unused)))
{
	struct restore *rs = state;

	rs->flags &= ~RS_ATOMIC;
}

static void restore_ipv4(void *state, const char *arg __attribute__((unused)))
{
	restore_family(state, NFPROTO_IPV4);
}

static void restore_ipv6(void *state, const char *arg __attribute__((unused)))
{
	restore_family(state, NFPROTO_IPV6);
}

#define RS_FLAG(name, letter, bit) \
	OPTS_FLAG(name, letter, OPT_BOTH, struct restore, flags, bit)

/* Options of iptables-nft-restore 1.8.9 (-w and -W are accepted and
 * ignored: nf_tables takes no lock), and --atomic/--no-atomic. */
static const struct opt restore_options[] = {
	OPTS_CALL("binary", 'b', no_argument, OPT_BOTH, restore_binary),
	RS_FLAG("counters", 'c', RS_COUNTERS),
	RS_FLAG("verbose", 'v', RS_VERBOSE),
	OPTS_CALL("version", 'V', no_argument, OPT_BOTH, restore_version),
	RS_FLAG("test", 't', RS_TEST),
	OPTS_CALL("help", 'h', no_argument, OPT_BOTH, restore_help),
	RS_FLAG("noflush", 'n', RS_NOFLUSH),
	OPTS_IGNORE("modprobe", 'M', required_argument, OPT_BOTH),
	OPTS_STRING("table", 'T', OPT_BOTH, struct restore, only_table),
	OPTS_CALL("ipv4", '4', no_argument, OPT_OWN | OPT_DROPIN_LONG,
		  restore_ipv4),
	OPTS_CALL("ipv6", '6', no_argument, OPT_OWN | OPT_DROPIN_LONG,
		  restore_ipv6),
	OPTS_WORD("wait", 'w', OPT_BOTH),
	OPTS_WORD("wait-interval", 'W', OPT_BOTH),
	/* markctl's own: one transaction for the whole input, or one per
	 * COMMIT (the defaults of markctl restore and iptables-restore) */
	RS_FLAG("atomic", 0x100, RS_ATOMIC),
	OPTS_CALL("no-atomic", 0x101, no_argument, OPT_BOTH,
		  restore_per_commit),
	OPTS_END,
};

static void restore_parse_opts(struct restore *rs, int argc, char **argv)
{
	rs->argv = argv;
	if (!rs->ctx->dropin)
		rs->flags |= RS_ATOMIC;
	if (!rs->ctx->dropin)
		argv[0] = (char *)restore_progname(rs->ctx);
	opts_parse(restore_options, rs->ctx->dropin, argc, argv, rs,
		   restore_unknown);
}

struct restore *restore_alloc(struct markctl_ctx *ctx, unsigned int flags,
			      const char *only_table)
{
	struct restore *rs = calloc(1, sizeof(*rs));

	if (!rs || !(rs->linebuf = malloc(RESTORE_LINE_MAX)))
		msg_die(RESOURCE_PROBLEM, "%s", strerror(ENOMEM));
	rs->ctx = ctx;
	rs->ops = ctx->backend_ops;
	rs->flags = flags;
	rs->only_table = only_table;
	rule_cmd_init(&rs->cmd, ctx->family);
	rs->pairs = (struct rule_pairs){ .ndst = 1 };
	return rs;
}

void restore_file(struct restore *rs, FILE *in)
{
	rs->progname = restore_progname(rs->ctx);
	rs->b = ctx_backend(rs->ctx);
	rs->ctx->announced = &rs->announced;
	restore_run(rs, in);
	if (rs->flags & RS_ATOMIC)
		restore_commit(rs);
}

void restore_free(struct restore *rs)
{
	if (!rs)
		return;
	free(rs->linebuf);
	restore_argv_release(&rs->av);
	rule_pairs_release(&rs->pairs);
	rule_cmd_release(&rs->cmd);
	for (size_t i = 0; i < BACKEND_NTABLES; i++)
		restore_chainset_release(&rs->chains[i]);
	if (rs->ctx->announced == &rs->announced)
		rs->ctx->announced = NULL;
	restore_chainset_release(&rs->announced);
	free(rs);
}

int cmd_restore(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct restore_input input;
	struct restore *rs;

	if (ctx->backend_ops->flags & BACKEND_LIBIPTC)
		return restore_legacy(ctx, argc, argv);
	rs = restore_alloc(ctx, 0, NULL);
	restore_parse_opts(rs, argc, argv);
	restore_input_open(&input, argc, argv);
	ctx->progname = restore_progname(ctx);
	msg_set_progname(ctx->progname);
	plugins_init(ctx, ctx->family, parse_getopt_options());

	restore_file(rs, input.in);
	restore_input_close(&input);
	restore_free(rs);
	plugins_release();
	return 0;
}
