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
#include "cli-private.h"
#include "cmd.h"
#include "divert.h"
#include "emit.h"
#include "parse.h"
#include "plugins.h"
#include "util.h"

struct run {
	struct markctl_ctx *ctx;
	const struct rule_cmd *cmd;
	const struct backend_ops *ops;
	struct backend *b;
	struct rule_chain *chains;
	unsigned int nchains;
	struct rule **more;		/* rules of further address pairs */
	unsigned int nmore;
};

#define BAD_RULE "Bad rule (does a matching rule exist in that chain?)"

/* errno -> iptables' words, per command (0: any command), first match */
static const struct {
	int err;
	unsigned int cmds;
	const char *msg;
} errmsgs[] = {
	{ E2BIG, RULE_CMD_DELETE_NUM, "Index of deletion too big" },
	{ E2BIG, RULE_CMD_REPLACE, "Index of replacement too big" },
	{ E2BIG, RULE_CMD_INSERT, "Index of insertion too big" },
	{ ENOENT, RULE_CMD_CHECK | RULE_CMD_DELETE | RULE_CMD_ZERO_NUM,
	  BAD_RULE },
	{ ESRCH, 0, BAD_RULE },
	{ ENOENT, RULE_CMD_SET_POLICY, "Bad built-in chain name" },
	{ EBUSY, RULE_CMD_SET_POLICY, "Bad built-in chain name" },
	{ EEXIST, RULE_CMD_NEW_CHAIN, "Chain already exists" },
	{ ENOTEMPTY, RULE_CMD_DELETE_CHAIN, "Directory not empty" },
	{ EBUSY, RULE_CMD_DELETE_CHAIN, "Directory not empty" },
	{ ENOENT, 0, "No chain/target/match by that name" },
	{ EPERM, 0, "Permission denied (you must be root)" },
	{ EACCES, 0, "Permission denied (you must be root)" },
};

/* "iptables: <msg>." goes out without the version prefix, rc 1.  Like
 * every message on stderr, it does not flush stdout first: output to a
 * pipe or file comes out at exit, after it, as iptables' does. */
static void __attribute__((noreturn)) die_plain(const char *msg, bool dmesg)
{
	fprintf(stderr, "%s: %s.%s\n", util_progname(), msg,
		dmesg ? " Run `dmesg' for more information." : "");
	exit(OTHER_PROBLEM);
}

static void __attribute__((noreturn)) die_errno(struct run *r, int err)
{
	const char *kernel = r->b && r->ops->strerror ?
			     r->ops->strerror(r->b) : NULL;

	if (err == EBADMSG)
		emit_die_unparsable(kernel);
	if (kernel)
		util_die(RESOURCE_PROBLEM, " %s", kernel);
	for (size_t i = 0; i < sizeof(errmsgs) / sizeof(errmsgs[0]); i++)
		if (errmsgs[i].err == err &&
		    (!errmsgs[i].cmds || (errmsgs[i].cmds & r->cmd->command)))
			die_plain(errmsgs[i].msg, false);
	die_plain(strerror(err), err == EINVAL);
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

static const struct rule_chain *find_chain(struct run *r, const char *name)
{
	load_chains(r);
	for (unsigned int i = 0; i < r->nchains; i++)
		if (!strcmp(r->chains[i].name, name))
			return &r->chains[i];
	return NULL;
}

/* ---- version and help ---- */

static int run_version(struct run *r)
{
	(void)r;
	printf("%s v%s (%s)\n", util_progname(), IPTABLES_VERSION,
	       IPTABLES_VARIANT);
	return 0;
}

static void print_usage(const char *p)
{
	printf("%s v%s (%s)\n\n", p, IPTABLES_VERSION, IPTABLES_VARIANT);
	printf("Usage: %s -[ACD] chain rule-specification [options]\n"
	       "       %s -I chain [rulenum] rule-specification [options]\n"
	       "       %s -R chain rulenum rule-specification [options]\n"
	       "       %s -D chain rulenum [options]\n"
	       "       %s -[LS] [chain [rulenum]] [options]\n"
	       "       %s -[FZ] [chain] [options]\n"
	       "       %s -[NX] chain\n"
	       "       %s -E old-chain-name new-chain-name\n"
	       "       %s -P chain target [options]\n"
	       "       %s -h (print this help information)\n\n",
	       p, p, p, p, p, p, p, p, p, p);
}

static const char help_text[] =
"Commands (long or short form):\n"
"  --append  -A chain\t\tAdd a rule at the end of chain\n"
"  --check   -C chain\t\tTell whether a matching rule exists\n"
"  --delete  -D chain\t\tRemove the first matching rule\n"
"  --delete  -D chain rulenum\n"
"\t\t\t\tRemove rule number rulenum (1 = first)\n"
"  --insert  -I chain [rulenum]\n"
"\t\t\t\tAdd a rule as number rulenum (default 1 = first)\n"
"  --replace -R chain rulenum\n"
"\t\t\t\tReplace rule number rulenum (1 = first)\n"
"  --list    -L [chain [rulenum]]\n"
"\t\t\t\tShow the rules of one chain or of all\n"
"  --list-rules -S [chain [rulenum]]\n"
"\t\t\t\tPrint the rules of one chain or of all as commands\n"
"  --flush   -F [chain]\t\tRemove every rule of one chain or of all\n"
"  --zero    -Z [chain [rulenum]]\n"
"\t\t\t\tReset packet and byte counters\n"
"  --new     -N chain\t\tCreate a user-defined chain\n"
"  --delete-chain\n"
"            -X [chain]\t\tRemove a user-defined chain\n"
"  --policy  -P chain target\n"
"\t\t\t\tSet the policy of a built-in chain\n"
"  --rename-chain\n"
"            -E old-chain new-chain\n"
"\t\t\t\tRename a chain, keeping the jumps to it\n"
"\n"
"Options:\n"
"    --ipv4\t-4\t\tIPv4 (markctl: select the family)\n"
"    --ipv6\t-6\t\tIPv6 (markctl: select the family)\n"
"[!] --protocol\t-p proto\tprotocol by name or number, e.g. `tcp'\n"
"[!] --source\t-s address[/mask]\n"
"\t\t\t\tsource address\n"
"[!] --destination -d address[/mask]\n"
"\t\t\t\tdestination address\n"
"[!] --in-interface -i input name[+]\n"
"\t\t\t\tinput interface ([+] as wildcard)\n"
" --jump\t-j target\n"
"\t\t\t\twhat to do with a match (may load a target extension)\n"
"  --goto      -g chain\n"
"\t\t\t       continue in chain without returning\n"
"  --match\t-m match\n"
"\t\t\t\tload a match extension\n"
"  --numeric\t-n\t\taddresses and ports as numbers\n"
"[!] --out-interface -o output name[+]\n"
"\t\t\t\toutput interface ([+] as wildcard)\n"
"  --table\t-t table\ttable to work on (default: `filter')\n"
"  --verbose\t-v\t\tmore detail\n"
"  --wait\t-w [seconds]\taccepted for compatibility (no lock is taken)\n"
"  --line-numbers\t\tnumber the rules when listing\n"
"  --exact\t-x\t\tshow exact counter values\n"
"[!] --fragment\t-f\t\tmatch second and later fragments only\n"
"  --modprobe=<command>\t\taccepted and ignored\n"
"  --set-counters -c PKTS BYTES\tinitial counters of the rule\n"
"[!] --version\t-V\t\tprint the version\n";

void cmd_iptables_help(const struct rule *rule)
{
	print_usage(util_progname());
	fputs(help_text, stdout);
	for (unsigned int i = 0; rule && i < rule->nmatches; i++) {
		const struct xtables_match *m = rule->matches[i].ext;

		putchar('\n');
		if (m->help)
			m->help();
		else
			printf("%s does not take any options\n", m->name);
	}
	if (rule && rule->target) {
		putchar('\n');
		if (rule->target->help)
			rule->target->help();
		else
			printf("%s does not take any options\n",
			       rule->target->name);
	}
}

static int run_help(struct run *r)
{
	cmd_iptables_help(r->cmd->rule);
	return 0;
}

/* ---- listing ---- */

struct list_walk {
	struct run *r;
	const char *chain;
	unsigned int num;		/* rules seen */
	unsigned int only;		/* rule number wanted, 0 all */
	unsigned int flags;
	bool save;
	const char **why;		/* set when a rule stops the walk */
};

static int list_one(const struct rule *rule, void *data)
{
	struct list_walk *w = data;

	w->num++;
	if (w->only && w->num != w->only)
		return 0;	/* -S C N: iptables skips the others unparsed */
	if (rule->unsupported) {
		*w->why = rule->unsupported_msg;	/* static text */
		return 1;
	}
	if (w->save)
		emit_rule_save(w->chain, rule, w->flags);
	else
		emit_rule_list(rule, w->num, w->flags);
	return 0;
}

/* Returns 1 if a rule iptables cannot list stopped the walk. */
static int list_rules_of(struct run *r, const struct rule_chain *c,
			 bool save, unsigned int flags, const char **why)
{
	struct list_walk w = {
		.r = r, .chain = c->name, .only = r->cmd->rulenum,
		.flags = flags, .save = save, .why = why,
	};
	int ret;

	if (!c->exists && c->builtin)
		return 0;	/* absent built-in: no rules */
	ret = r->ops->rules(r->b, r->cmd->table, c->name, list_one, &w);
	if (ret < 0)
		die_errno(r, errno);
	return ret;
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
		    list_rules_of(r, &r->chains[i], true, flags, why))
			return 1;
	return 0;
}

static int list_table(struct run *r, const char **why)
{
	bool first = true;

	for (unsigned int i = 0; i < r->nchains; i++) {
		const struct rule_chain *c = &r->chains[i];

		if (!chain_selected(r, c))
			continue;
		if (!r->cmd->rulenum) {
			if (!first)
				putchar('\n');
			emit_chain_list_header(c, r->cmd->list_flags);
		}
		first = false;
		if (list_rules_of(r, c, false, r->cmd->list_flags, why))
			return 1;
	}
	return 0;
}

/* iptables-nft lists nothing of a chain or table it cannot express;
 * a missing chain is reported the same way. */
static void __attribute__((noreturn)) die_incompatible(const struct run *r)
{
	const struct rule_cmd *cmd = r->cmd;

	if (cmd->chain[0])
		util_die(OTHER_PROBLEM,
			 "chain `%s' in table `%s' is incompatible, use 'nft' tool.",
			 cmd->chain, cmd->table);
	util_die(OTHER_PROBLEM,
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
	util_warn_legacy(cmd->family, "");
	load_chains(r);
	if (cmd->chain[0] && !find_chain(r, cmd->chain))
		die_incompatible(r);
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

/* ---- changes ---- */

#define RULE_CMDS_SPEC (RULE_CMD_APPEND | RULE_CMD_INSERT | RULE_CMD_REPLACE | \
			RULE_CMD_DELETE | RULE_CMD_CHECK)

/* -v: iptables shows each rule it applies, -A before queueing it, the
 * others once their position or match is found. */
static void say_rule(const struct rule_cmd *cmd, bool found)
{
	bool append = cmd->command == RULE_CMD_APPEND;

	if ((cmd->list_flags & RULE_LIST_VERBOSE) && cmd->rule &&
	    (cmd->command & RULE_CMDS_SPEC) && append != found)
		emit_rule_print(cmd->rule);
}

static void exec_one(struct run *r, const struct rule_cmd *cmd)
{
	if (r->ops->exec(r->b, cmd) < 0) {
		int err = errno;

		r->ops->abort(r->b);
		die_errno(r, err);
	}
}

/* Queues @r's command, once per address pair (-s a,b): one transaction. */
static void exec_all(struct run *r)
{
	struct rule_cmd each = *r->cmd;

	for (unsigned int i = 0; i <= r->nmore; i++) {
		if (i)
			each.rule = r->more[i - 1];
		say_rule(&each, false);
		exec_one(r, &each);
		say_rule(&each, true);
	}
}

/* -F/-X/-Z CHAIN -v name the chain once the backend has taken it. */
static void say_chain(const struct run *r, const char *verb)
{
	if (verb && r->cmd->chain[0] &&
	    (r->cmd->list_flags & RULE_LIST_VERBOSE))
		printf("%s chain `%s'\n", verb, r->cmd->chain);
}

static void exec_commit(struct run *r, const char *verb)
{
	exec_all(r);
	say_chain(r, verb);
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
	if (zero.command & RULE_CMD_ZERO)
		say_chains(r, "Zeroing", false, !listed);
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
		say_chain(r, "Zeroing");
	if (r->ops->commit(r->b) < 0)
		die_errno(r, errno);
	return 0;
}

/* -j/-g to a chain: it must exist (iptables-nft checks before anything). */
static void check_jump(struct run *r)
{
	const struct rule *rule = r->cmd->rule;

	if (!rule || (rule->verdict != RULE_VERDICT_JUMP &&
		      rule->verdict != RULE_VERDICT_GOTO))
		return;
	if (!find_chain(r, rule->jump))
		util_die(PARAMETER_PROBLEM, "Chain '%s' does not exist",
			 rule->jump);
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

/* -X CHAIN -v names a user chain, not a built-in. */
static const char *delete_verb(struct run *r)
{
	const struct rule_chain *c;

	if (!r->cmd->chain[0] || !(r->cmd->list_flags & RULE_LIST_VERBOSE))
		return NULL;
	c = find_chain(r, r->cmd->chain);
	return c && c->builtin ? NULL : "Deleting";
}

static int run_change(struct run *r)
{
	const char *verb = NULL;

	switch (r->cmd->command) {
	case RULE_CMD_SET_POLICY:
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
		   struct rule **more, unsigned int nmore)
{
	struct run r = { .ctx = ctx, .cmd = cmd, .ops = ctx->backend_ops,
			 .more = more, .nmore = nmore };
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
	struct rule **more;
	unsigned int nmore;
	int ret;

	ctx->family = parse_family(argc, argv, ctx->family);
	util_set_progname(ctx->family == NFPROTO_IPV6 ? "ip6tables" :
						       "iptables");
	plugins_init(ctx, ctx->family);
	rule_cmd_init(&cmd, ctx->family);
	parse_argv_multi(ctx, argc, argv, &cmd, &more, &nmore);
	ret = run_cmd(ctx, &cmd, more, nmore);
	for (unsigned int i = 0; i < nmore; i++)
		rule_free(more[i]);
	free(more);
	rule_cmd_release(&cmd);
	plugins_release();
	return ret;
}
