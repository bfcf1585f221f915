// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl [-4|-6] <iptables options>, iptables, ip6tables: parse the
 * command line, carry it out through the backend, report as iptables-nft
 * 1.8.9 does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "divert.h"
#include "emit.h"
#include "layout.h"
#include "parse.h"
#include "plugins.h"
#include "queue.h"
#include "help.h"
#include "msg.h"
#include "util.h"

struct run {
	const struct markctl_ctx *ctx;
	const struct rule_cmd *cmd;
	const struct backend_ops *ops;
	struct backend *b;
	struct rule_chain *chains;
	unsigned int nchains;
	struct rule_chain one;		/* find_chain()'s, read alone */
	const struct rule_pairs *pairs;	/* rules of further address pairs */
};

/* "iptables: <msg>." goes out without the version prefix, rc 1.  Like
 * every message on stderr, it does not flush stdout first: output to a
 * pipe or file comes out at exit, after it, as iptables' does. */
static void __attribute__((noreturn)) die_plain(const char *msg, bool dmesg)
{
	fprintf(stderr, "%s: %s.%s\n", msg_progname(), msg,
		dmesg ? " Run `dmesg' for more information." : "");
	exit(OTHER_PROBLEM);
}

static bool libiptc(const struct run *r)
{
	return r->ops->flags & BACKEND_LIBIPTC;
}

static void __attribute__((noreturn)) die_errno(struct run *r, int err)
{
	const char *kernel = r->b && r->ops->strerror ?
			     r->ops->strerror(r->b) : NULL;
	enum backend_failure kind = kernel && r->ops->failure ?
				    r->ops->failure(r->b) : BACKEND_FAIL_NONE;

	if (err == EBADMSG)
		emit_die_unparsable(kernel);
	if (kind == BACKEND_FAIL_TABLE)
		msg_die(VERSION_PROBLEM, "can't initialize %s table `%s': %s",
			msg_progname(), r->cmd->table, kernel);
	if (kind != BACKEND_FAIL_NONE)
		msg_die_failure(kind, kernel, err);
	if (kernel)
		msg_die(RESOURCE_PROBLEM, " %s", kernel);
	die_plain(msg_errno_text(r->cmd->command, err, false), err == EINVAL);
}

static void load_chains(struct run *r)
{
	bool table_exists;

	if (r->chains)
		return;
	if (r->ops->chains(r->b, r->cmd->table, &r->chains, &r->nchains,
			   &table_exists) < 0)
		die_errno(r, errno);
}

/* The chain @name, NULL if there is none.  Read alone where the backend
 * can (backend_ops.chain): valid until the next call then. */
static const struct rule_chain *find_chain(struct run *r, const char *name)
{
	if (!r->chains && r->ops->chain) {
		if (r->ops->chain(r->b, r->cmd->table, name, &r->one) == 0)
			return &r->one;
		if (errno != ENOENT)
			die_errno(r, errno);
		return NULL;
	}
	load_chains(r);
	for (unsigned int i = 0; i < r->nchains; i++)
		if (!strcmp(r->chains[i].name, name))
			return &r->chains[i];
	return NULL;
}

/* ---- version and help ---- */

/* markctl's own face says who it is; the drop-in names are iptables. */
static int run_version(struct run *r)
{
	if (r->ctx->dropin)
		msg_print_version(msg_progname());
	else
		help_markctl_version(r->ctx);
	return 0;
}

static int run_help(struct run *r)
{
	if (!r->ctx->dropin)
		help_markctl();
	help_iptables(r->cmd->rule);
	return 0;
}

/* ---- listing ---- */

struct list_walk {
	const char *chain;
	unsigned int num;		/* rules seen */
	unsigned int only;		/* rule number wanted, 0 all */
	unsigned int flags;
	bool save;
	bool count_all;			/* count on past a rule that stops */
	bool stopped;
	const char **why;		/* set when a rule stops the walk */
};

static int list_one(const struct rule *rule, void *data)
{
	struct list_walk *w = data;

	w->num++;
	if (w->stopped || (w->only && w->num != w->only))
		return 0;	/* -S C N: iptables skips the others unparsed */
	if (rule->unsupported) {
		*w->why = rule->unsupported_msg;	/* static text */
		w->stopped = true;
		return w->count_all ? 0 : 1;
	}
	if (w->save)
		emit_rule_save(w->chain, rule, w->flags);
	else
		emit_rule_list(rule, w->num, w->flags);
	return 0;
}

/* Returns 1 if a rule iptables cannot list stopped the walk; *@nrules
 * (if not NULL) gets the chain's rules, counted to the end. */
static int list_rules_of(struct run *r, const struct rule_chain *c,
			 bool save, unsigned int flags, const char **why,
			 unsigned int *nrules)
{
	struct list_walk w = {
		.chain = c->name, .only = r->cmd->rulenum,
		.flags = flags, .save = save, .why = why,
		.count_all = nrules != NULL,
	};
	int ret;

	if (!c->exists && c->builtin)
		return 0;	/* absent built-in: no rules */
	ret = r->ops->rules(r->b, r->cmd->table, c->name, list_one, &w);
	if (ret < 0)
		die_errno(r, errno);
	if (nrules)
		*nrules = w.num;
	return w.stopped ? 1 : ret;
}

static bool chain_selected(const struct run *r, const struct rule_chain *c)
{
	return !r->cmd->chain[0] || !strcmp(r->cmd->chain, c->name);
}

static int list_save(struct run *r, const char **why)
{
	unsigned int flags = r->cmd->list_flags;

	if (flags & RULE_LIST_VERBOSE)
		flags |= RULE_LIST_COUNTERS;
	if (!r->cmd->rulenum)
		for (unsigned int i = 0; i < r->nchains; i++)
			if (chain_selected(r, &r->chains[i]))
				emit_chain_save(&r->chains[i], flags);
	for (unsigned int i = 0; i < r->nchains; i++)
		if (chain_selected(r, &r->chains[i]) &&
		    list_rules_of(r, &r->chains[i], true, flags, why, NULL))
			return 1;
	return 0;
}

/*
 * A chain whose header counts its rules (rule_chain.refs_with_rules): the
 * rules are listed into @held first, the header then goes out before
 * them, so that the kernel's rules are read once.
 */
static int list_counted(struct run *r, const struct rule_chain *c,
			struct divert *held, const char **why)
{
	unsigned int n = 0;
	int ret;

	if (divert_hold(held) < 0)
		die_errno(r, errno);
	ret = list_rules_of(r, c, false, r->cmd->list_flags, why, &n);
	if (divert_unhold(held) < 0)
		die_errno(r, errno);
	emit_chain_list_header(c, n, r->cmd->list_flags);
	if (divert_put(held) < 0)
		die_errno(r, errno);
	return ret;
}

static int list_table(struct run *r, const char **why)
{
	struct divert held = { 0 };
	bool first = true;
	int ret = 0;

	for (unsigned int i = 0; i < r->nchains && !ret; i++) {
		const struct rule_chain *c = &r->chains[i];

		if (!chain_selected(r, c))
			continue;
		if (!r->cmd->rulenum && !first)
			putchar('\n');
		first = false;
		if (r->cmd->rulenum) {
			ret = list_rules_of(r, c, false, r->cmd->list_flags,
					    why, NULL);
		} else if (c->refs_with_rules) {
			ret = list_counted(r, c, &held, why);
		} else {
			emit_chain_list_header(c, 0, r->cmd->list_flags);
			ret = list_rules_of(r, c, false, r->cmd->list_flags,
					    why, NULL);
		}
	}
	divert_close(&held);
	return ret;
}

/* iptables-nft lists nothing of a chain or table it cannot express;
 * a missing chain is reported the same way. */
static void __attribute__((noreturn)) die_incompatible(const struct run *r)
{
	const struct rule_cmd *cmd = r->cmd;

	if (cmd->chain[0] || cmd->chain_empty)
		msg_die(OTHER_PROBLEM,
			 "chain `%s' in table `%s' is incompatible, use 'nft' tool.",
			 cmd->chain, cmd->table);
	msg_die(OTHER_PROBLEM,
		 "table `%s' is incompatible, use 'nft' tool.", cmd->table);
}

/*
 * A rule that stopped the listing: an expression iptables cannot express
 * anywhere in the chain (or table) means nothing of it is listed; else
 * the rule only does not parse back, and the lines before it stand.
 */
static void __attribute__((noreturn))
die_unlistable(struct run *r, struct divert *d, const char *why)
{
	const struct rule_cmd *cmd = r->cmd;

	if (r->ops->check &&
	    r->ops->check(r->b, cmd->table,
			  cmd->chain[0] ? cmd->chain : NULL) < 0) {
		if (errno != EPROTONOSUPPORT)
			die_errno(r, errno);
		divert_discard(d);
		die_incompatible(r);
	}
	divert_end(d);
	emit_die_unparsable(why);
}

static int run_zero(struct run *r);

/* The listing goes to a divert: rules stream from the kernel once, and
 * whether iptables could list them at all is known only at the end. */
static int run_list(struct run *r)
{
	const struct rule_cmd *cmd = r->cmd;
	const char *why = NULL;
	struct divert d;
	int stopped;

	/* first, as iptables-nft: also before "incompatible" or "Error:" */
	if (r->ops->flags & BACKEND_WARNS_LEGACY)
		msg_warn_legacy(cmd->family, "");
	layout_set_names(cmd->list_flags & RULE_LIST_NAMES);
	if (cmd->chain[0] || cmd->chain_empty) {
		const struct rule_chain *c = find_chain(r, cmd->chain);

		if (!c && libiptc(r))
			die_plain(msg_errno_text(cmd->command, ENOENT, false),
				  false);
		if (!c)
			die_incompatible(r);
		/* the listing walks r->chains: that chain alone */
		if (!r->chains) {
			r->chains = malloc(sizeof(*r->chains));
			if (!r->chains)
				die_errno(r, errno);
			r->chains[0] = *c;
			r->nchains = 1;
		}
	} else {
		load_chains(r);
	}
	emit_foreign_base_chains(r->ops, r->b, cmd->table,
				 cmd->chain[0] ? cmd->chain : NULL);
	/* -S C N passes over rules that do not parse back, but not over
	 * incompatible ones: only check() tells them apart up front. */
	if (cmd->rulenum && r->ops->check &&
	    r->ops->check(r->b, cmd->table, cmd->chain) < 0) {
		if (errno == EPROTONOSUPPORT)
			die_incompatible(r);
		die_errno(r, errno);
	}
	if (divert_begin(&d) < 0)
		die_errno(r, errno);
	if (cmd->command & RULE_CMD_LIST_RULES)
		stopped = list_save(r, &why);
	else
		stopped = list_table(r, &why);
	if (stopped)
		die_unlistable(r, &d, why);
	if (divert_end(&d) < 0)
		die_errno(r, errno);
	if (cmd->command & (RULE_CMD_ZERO | RULE_CMD_ZERO_NUM))
		return run_zero(r);
	return 0;
}

int cmd_iptables_list(struct markctl_ctx *ctx, const struct rule_cmd *cmd)
{
	struct run r = { .cmd = cmd, .ops = ctx->backend_ops,
			 .b = ctx_backend(ctx) };
	const char *why = NULL;
	int ret = 0;

	load_chains(&r);
	if (cmd->chain[0] && !find_chain(&r, cmd->chain))
		ret = -1;
	else if (cmd->command & RULE_CMD_LIST_RULES)
		list_save(&r, &why);
	else
		list_table(&r, &why);
	free(r.chains);
	return ret;
}

/* ---- changes ---- */

static void exec_one(struct run *r, const struct rule_cmd *cmd)
{
	if (r->ops->exec(r->b, cmd) < 0) {
		int err = errno;

		r->ops->abort(r->b);
		die_errno(r, err);
	}
}

static void queue_one(const struct rule_cmd *cmd, void *data)
{
	exec_one(data, cmd);
}

/* Queues @r's command, once per address pair (-s a,b): one transaction. */
static void exec_all(struct run *r)
{
	enum queue_echo echo = QUEUE_QUIET;

	if (r->cmd->list_flags & RULE_LIST_VERBOSE)
		echo = libiptc(r) ? QUEUE_ECHO_FIRST : QUEUE_ECHO_FOUND;
	queue_pairs(r->cmd, r->pairs, echo, queue_one, r);
}

/* -F/-X/-Z CHAIN -v name the chain once the backend has taken it
 * (iptables-legacy: before its call). */
static void say_chain(const struct run *r, const char *verb, bool first)
{
	if (verb && r->cmd->chain[0] && first == libiptc(r) &&
	    (r->cmd->list_flags & RULE_LIST_VERBOSE))
		printf("%s chain `%s'\n", verb, r->cmd->chain);
}

static void exec_commit(struct run *r, const char *verb)
{
	say_chain(r, verb, true);
	exec_all(r);
	say_chain(r, verb, false);
	if (r->ops->commit(r->b) < 0)
		die_errno(r, errno);
}

/* -X/-Z -v without a chain name each chain they touch, as iptables does. */
static void say_chains(struct run *r, const char *verb, bool user_only,
		       bool existing_only)
{
	if (!(r->cmd->list_flags & RULE_LIST_VERBOSE) || r->cmd->chain[0])
		return;
	load_chains(r);
	for (unsigned int i = 0; i < r->nchains; i++) {
		const struct rule_chain *c = &r->chains[i];

		if ((user_only && c->builtin) ||
		    (existing_only && c->builtin && !c->exists))
			continue;
		printf("%s chain `%s'\n", verb, c->name);
	}
}

/* -Z, also after -L/-S (-L -Z): the backend zeroes the built-ins just
 * listed even if absent, and -v names them all then. */
static int run_zero(struct run *r)
{
	struct rule_cmd zero = *r->cmd;
	bool listed = zero.command & (RULE_CMD_LIST | RULE_CMD_LIST_RULES);

	zero.rule = NULL;
	if (zero.command & RULE_CMD_ZERO) {
		say_chains(r, "Zeroing", false, !listed);
		say_chain(r, "Zeroing", true);
	}
	if (r->ops->exec(r->b, &zero) < 0) {
		int err = errno;

		r->ops->abort(r->b);
		/* -Z C N past the end: iptables says nothing */
		if (err == E2BIG && (zero.command & RULE_CMD_ZERO_NUM) &&
		    !(r->ops->strerror && r->ops->strerror(r->b)))
			return 0;
		die_errno(r, err);
	}
	if (zero.command & RULE_CMD_ZERO)
		say_chain(r, "Zeroing", false);
	if (r->ops->commit(r->b) < 0)
		die_errno(r, errno);
	return 0;
}

/* -j/-g to a chain: it must exist (iptables-nft checks before anything;
 * to iptables-legacy, a -j that names no chain is a target to load). */
static void check_jump(struct run *r)
{
	const struct rule *rule = r->cmd->rule;

	if (!rule || (rule->verdict != RULE_VERDICT_JUMP &&
		      rule->verdict != RULE_VERDICT_GOTO))
		return;
	if (!find_chain(r, rule->jump))
		msg_die_no_chain(rule, libiptc(r));
}

static void check_policy(struct run *r)
{
	const struct rule_chain *c;

	if (r->cmd->policy != RULE_VERDICT_ACCEPT &&
	    r->cmd->policy != RULE_VERDICT_DROP)
		die_plain("Bad policy name", true);
	c = find_chain(r, r->cmd->chain);
	if (!c || !c->builtin)
		die_plain("Bad built-in chain name", false);
}

/* -v -F flushes chain by chain, naming each: as -F CHAIN, that creates
 * the absent built-ins (and the table), as iptables-nft 1.8.9 does. */
static int flush_each(struct run *r)
{
	struct rule_cmd each = *r->cmd;

	load_chains(r);
	for (unsigned int i = 0; i < r->nchains; i++) {
		snprintf(each.chain, sizeof(each.chain), "%s",
			 r->chains[i].name);
		printf("Flushing chain `%s'\n", each.chain);
		exec_one(r, &each);
	}
	if (r->ops->commit(r->b) < 0)
		die_errno(r, errno);
	return 0;
}

/* -X CHAIN -v names a user chain, not a built-in (iptables-legacy: any
 * name it is given). */
static const char *delete_verb(struct run *r)
{
	const struct rule_chain *c;

	if (!r->cmd->chain[0] || !(r->cmd->list_flags & RULE_LIST_VERBOSE))
		return NULL;
	if (libiptc(r))
		return "Deleting";
	c = find_chain(r, r->cmd->chain);
	return c && c->builtin ? NULL : "Deleting";
}

/* Commands that act on every chain when given none. */
#define CMDS_ALL_CHAINS (RULE_CMD_FLUSH | RULE_CMD_DELETE_CHAIN | RULE_CMD_ZERO | \
			 RULE_CMD_ZERO_NUM)

static int run_change(struct run *r)
{
	const char *verb = NULL;

	/* -F "", -X "", -Z "": a chain by that name, which cannot exist */
	if (r->cmd->chain_empty && (r->cmd->command & CMDS_ALL_CHAINS))
		die_errno(r, ENOENT);

	switch (r->cmd->command) {
	case RULE_CMD_SET_POLICY:
		if (!libiptc(r))	/* else the call's own words */
			check_policy(r);
		break;
	case RULE_CMD_FLUSH:
		if (!r->cmd->chain[0] &&
		    (r->cmd->list_flags & RULE_LIST_VERBOSE))
			return flush_each(r);
		verb = "Flushing";
		break;
	case RULE_CMD_DELETE_CHAIN:
		say_chains(r, "Deleting", true, false);
		verb = delete_verb(r);
		break;
	case RULE_CMD_ZERO:
	case RULE_CMD_ZERO_NUM:
		return run_zero(r);
	default:
		check_jump(r);
		break;
	}
	exec_commit(r, verb);
	return 0;
}

static int run_check(struct run *r)
{
	check_jump(r);
	exec_all(r);
	r->ops->abort(r->b);
	return 0;
}

/* ---- dispatch ---- */

static const struct {
	unsigned int cmds;
	bool backend;
	int (*run)(struct run *r);
} runners[] = {
	{ RULE_CMD_VERSION, false, run_version },
	{ RULE_CMD_HELP, false, run_help },
	{ RULE_CMD_LIST | RULE_CMD_LIST_RULES, true, run_list },
	{ RULE_CMD_CHECK, true, run_check },
	{ ~0u, true, run_change },
};

static int run_cmd(struct markctl_ctx *ctx, const struct rule_cmd *cmd,
		   const struct rule_pairs *pairs)
{
	struct run r = { .ctx = ctx, .cmd = cmd, .ops = ctx->backend_ops,
			 .pairs = pairs };
	int ret = 0;

	for (size_t i = 0; i < sizeof(runners) / sizeof(runners[0]); i++) {
		if (!(runners[i].cmds & cmd->command))
			continue;
		if (runners[i].backend)
			r.b = ctx_backend(ctx);
		ret = runners[i].run(&r);
		break;
	}
	free(r.chains);
	return ret;
}

int cmd_iptables(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct rule_cmd cmd;
	struct rule_pairs pairs;
	int ret;

	ctx->family = parse_family(ctx, argc, argv);
	msg_set_progname(ctx->family == NFPROTO_IPV6 ? "ip6tables" :
						       "iptables");
	plugins_init(ctx, ctx->family, parse_getopt_options());
	rule_cmd_init(&cmd, ctx->family);
	parse_argv_pairs(ctx, argc, argv, &cmd, &pairs);
	ctx->wait = cmd.wait;
	ret = run_cmd(ctx, &cmd, &pairs);
	rule_pairs_release(&pairs);
	rule_cmd_release(&cmd);
	plugins_release();
	return ret;
}
