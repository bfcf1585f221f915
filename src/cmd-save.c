// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl save: the ruleset in iptables-save format, as iptables-nft-save
 * 1.8.9 prints it (tables in save order, built-ins in hook order, user
 * chains by name, rules streamed from the backend one at a time).
 */
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "divert.h"
#include "emit.h"
#include "layout.h"
#include "plugins.h"
#include "msg.h"
#include "opts.h"
#include "parse.h"
#include "util.h"

enum save_flags {
	SAVE_COUNTERS	= 1 << 0,	/* -c */
	SAVE_DUMP	= 1 << 1,	/* -d: exit 0 whatever happened */
	SAVE_NAMES	= 1 << 2,	/* --names: marks by layout field */
};

struct save_opts {
	struct markctl_ctx *ctx;
	char **argv;
	const char *table;	/* -t, NULL: every existing table */
	unsigned int flags;
};

static bool libiptc(const struct markctl_ctx *ctx)
{
	return ctx->backend_ops->flags & BACKEND_LIBIPTC;
}

/* Drop-in names keep their own name; "markctl save" is iptables-nft-save.
 * iptables-legacy-save calls itself iptables-save under any name. */
static const char *save_progname(const struct markctl_ctx *ctx)
{
	if (libiptc(ctx))
		return ctx->family == NFPROTO_IPV6 ? "ip6tables-save" :
						     "iptables-save";
	if (ctx->dropin)
		return ctx->progname;
	return ctx->family == NFPROTO_IPV6 ? "ip6tables-nft-save" :
					     "iptables-nft-save";
}

static void save_redirect(void *state __attribute__((unused)),
			  const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "Failed to open file, error: %s\n",
			strerror(errno));
		exit(OTHER_PROBLEM);
	}
	if (dup2(fileno(f), STDOUT_FILENO) < 0) {
		fprintf(stderr, "Failed to redirect stdout, error: %s\n",
			strerror(errno));
		exit(OTHER_PROBLEM);
	}
	fclose(f);
}

static void save_binary(void *state __attribute__((unused)),
			const char *arg __attribute__((unused)))
{
	fprintf(stderr, "-b/--binary option is not implemented\n");
}

static void save_version(void *state, const char *arg __attribute__((unused)))
{
	struct save_opts *o = state;

	msg_print_version(save_progname(o->ctx));
	exit(0);
}

/* getopt's own messages name argv[0] as invoked, as in 1.8.9 */
static void save_family(struct save_opts *o, uint8_t family)
{
	o->ctx->family = family;
	o->argv[0] = (char *)save_progname(o->ctx);
}

static void save_ipv4(void *state, const char *arg __attribute__((unused)))
{
	save_family(state, NFPROTO_IPV4);
}

static void save_ipv6(void *state, const char *arg __attribute__((unused)))
{
	save_family(state, NFPROTO_IPV6);
}

static void save_unknown(void *state)
{
	struct save_opts *o = state;

	fprintf(stderr, "Look at manual page `%s.8' for more information.\n",
		save_progname(o->ctx));
	exit(OTHER_PROBLEM);
}

/* Options of iptables-nft-save 1.8.9; -4/-6 and --names are markctl's
 * own. */
static const struct opt save_options[] = {
	OPTS_CALL("binary", 'b', no_argument, OPT_BOTH, save_binary),
	OPTS_FLAG("counters", 'c', OPT_BOTH, struct save_opts, flags,
		  SAVE_COUNTERS),
	OPTS_FLAG("dump", 'd', OPT_BOTH, struct save_opts, flags, SAVE_DUMP),
	OPTS_STRING("table", 't', OPT_BOTH, struct save_opts, table),
	OPTS_IGNORE("modprobe", 'M', required_argument, OPT_BOTH),
	OPTS_CALL("file", 'f', required_argument, OPT_BOTH, save_redirect),
	OPTS_CALL("version", 'V', no_argument, OPT_BOTH, save_version),
	OPTS_CALL("ipv4", '4', no_argument, OPT_OWN, save_ipv4),
	OPTS_CALL("ipv6", '6', no_argument, OPT_OWN, save_ipv6),
	OPTS_FLAG("names", OPTS_LONG_ONLY, OPT_OWN, struct save_opts, flags,
		  SAVE_NAMES),
	OPTS_END,
};

static void save_parse_opts(struct markctl_ctx *ctx, int argc, char **argv,
			    struct save_opts *o)
{
	o->ctx = ctx;
	o->argv = argv;
	if (!ctx->dropin)
		argv[0] = (char *)save_progname(ctx);
	opts_parse(save_options, ctx->dropin, argc, argv, o, save_unknown);
	if (optind < argc) {
		fprintf(stderr, "Unknown arguments found on commandline\n");
		exit(OTHER_PROBLEM);
	}
}

struct save_walk {
	const char *chain;
	bool counters;
	/* The first rule that does not fit the model, and why */
	bool unsupported;
	const char *why;
};

/* Stops at a rule iptables could not print: whether the table becomes a
 * comment or the save ends with an error is decided by save_table(). */
static int save_rule_cb(const struct rule *r, void *data)
{
	struct save_walk *w = data;

	if (r->unsupported) {
		w->unsupported = true;
		w->why = r->unsupported_msg;	/* static text */
		return 1;
	}
	if (w->counters)
		emit_rule_save_counters(w->chain, r);
	else
		emit_rule_save(w->chain, r, 0);
	return 0;
}

/* ctime() text, newline included, as the comment lines carry it. */
static const char *save_now(void)
{
	time_t now = time(NULL);

	return ctime(&now);
}

/*
 * The save is printed into a divert (src/divert.h) and copied out at the
 * end: a rule iptables cannot express, anywhere in a table, turns the
 * table's text already printed into one comment line.
 */
static int save_table_text(struct markctl_ctx *ctx, const char *progname,
			   const char *table, const struct rule_chain *chains,
			   unsigned int count, struct save_walk *w)
{
	const struct backend_ops *ops = ctx->backend_ops;
	struct backend *b = ctx_backend(ctx);
	unsigned int i;
	int ret;

	emit_foreign_base_chains(ops, b, table, NULL);
	if (libiptc(ctx))	/* iptables-legacy-save names no variant */
		printf("# Generated by %s v%s on %s", progname,
		       IPTABLES_VERSION, save_now());
	else
		printf("# Generated by %s v%s (%s) on %s", progname,
		       IPTABLES_VERSION, msg_variant(), save_now());
	printf("*%s\n", table);
	for (i = 0; i < count; i++) {
		const struct rule_chain *c = &chains[i];

		if (c->builtin)
			printf(":%s %s [%llu:%llu]\n", c->name,
			       rule_verdict_name(c->policy),
			       (unsigned long long)c->counters.pcnt,
			       (unsigned long long)c->counters.bcnt);
		else
			printf(":%s - [0:0]\n", c->name);
	}
	for (i = 0; i < count; i++) {
		if (chains[i].builtin && !chains[i].exists)
			continue;
		w->chain = chains[i].name;
		ret = ops->rules(b, table, chains[i].name, save_rule_cb, w);
		if (ret < 0 || w->unsupported)
			return ret < 0 ? -1 : 0;
	}
	printf("COMMIT\n");
	printf("# Completed on %s", save_now());
	return 0;
}

/* One table; @chains as backend_ops.chains reports them.  As
 * iptables-nft-save, an expression iptables cannot express makes the
 * table one comment line, while a rule that only does not parse back
 * ends the save after the lines before it. */
static int save_table(struct markctl_ctx *ctx, struct divert *d,
		      const char *progname, const char *table,
		      const struct rule_chain *chains, unsigned int count,
		      bool counters)
{
	const struct backend_ops *ops = ctx->backend_ops;
	struct save_walk w = { .counters = counters };
	off_t start;
	int ret;

	fflush(stdout);
	start = lseek(STDOUT_FILENO, 0, SEEK_CUR);
	if (start < 0)
		return -1;
	ret = save_table_text(ctx, progname, table, chains, count, &w);
	if (ret < 0 || !w.unsupported)
		return ret;
	/* The rule's table may hold an incompatible one further on. */
	if (ops->check && ops->check(ctx_backend(ctx), table, NULL) < 0) {
		if (errno != EPROTONOSUPPORT)
			return -1;
		fflush(stdout);
		if (ftruncate(STDOUT_FILENO, start) < 0 ||
		    lseek(STDOUT_FILENO, start, SEEK_SET) < 0)
			return -1;
		printf("# Table `%s' is incompatible, use 'nft' tool.\n",
		       table);
		return 0;
	}
	divert_end(d);
	emit_die_unparsable(w.why);
}

static int save_one(struct markctl_ctx *ctx, struct divert *d,
		    const char *progname,
		    const char *table, bool always, bool counters)
{
	const struct backend_ops *ops = ctx->backend_ops;
	struct rule_chain *chains = NULL;
	unsigned int count = 0;
	bool exists = false;
	int ret = 0;

	if (ops->chains(ctx_backend(ctx), table, &chains, &count,
			&exists) < 0)
		return -1;
	if (exists || always)
		ret = save_table(ctx, d, progname, table, chains, count,
				 counters);
	free(chains);
	return ret;
}

/* The tables to save, in order: those the backend lists (-t: that one,
 * whether or not it exists yet), else every table iptables knows. */
static const char *const *save_tables(struct markctl_ctx *ctx,
				      const struct save_opts *o,
				      const char *all[BACKEND_NTABLES + 1])
{
	const char *const *names;

	if (o->table && ctx->backend_ops->tables) {
		all[0] = o->table;
		all[1] = NULL;
		return all;
	}
	if (!ctx->backend_ops->tables) {
		for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
			all[i] = backend_tables[i].name;
		all[BACKEND_NTABLES] = NULL;
		return all;
	}
	names = ctx->backend_ops->tables(ctx_backend(ctx));
	if (!names) {
		fprintf(stderr, "Failed to list table names in %s: %s\n",
			ctx->family == NFPROTO_IPV6 ?
			"/proc/net/ip6_tables_names" :
			"/proc/net/ip_tables_names", strerror(errno));
		exit(OTHER_PROBLEM);
	}
	return names;
}

static void __attribute__((noreturn)) save_failed(struct markctl_ctx *ctx,
						  struct divert *d)
{
	const char *why = ctx->backend_ops->strerror ?
			  ctx->backend_ops->strerror(ctx_backend(ctx)) : NULL;
	int err = errno;

	divert_end(d);
	fflush(stdout);
	if (why && ctx->backend_ops->failure &&
	    ctx->backend_ops->failure(ctx_backend(ctx)) == BACKEND_FAIL_TABLE)
		msg_die(OTHER_PROBLEM, "Cannot initialize: %s", why);
	msg_die(OTHER_PROBLEM, "%s", why ? why : strerror(err));
}

int cmd_save(struct markctl_ctx *ctx, int argc, char **argv)
{
	struct save_opts o = { 0 };
	const char *const *tables, *all[BACKEND_NTABLES + 1];
	struct divert d;
	const char *progname;
	int ret = 0;

	save_parse_opts(ctx, argc, argv, &o);
	layout_set_names(o.flags & SAVE_NAMES);
	progname = save_progname(ctx);
	msg_set_progname(progname);
	plugins_init(ctx, ctx->family, parse_getopt_options());
	ctx->nolock = true;	/* iptables-legacy-save reads unlocked */

	if (o.table && !ctx->backend_ops->tables &&
	    !backend_table_find(o.table)) {
		fprintf(stderr, "Table `%s' does not exist\n", o.table);
		ret = OTHER_PROBLEM;
		goto out;
	}
	tables = save_tables(ctx, &o, all);
	if (divert_begin(&d) < 0)
		msg_die(OTHER_PROBLEM, "%s", strerror(errno));
	for (const char *const *t = tables; *t; t++) {
		if (o.table && strcmp(*t, o.table) != 0)
			continue;
		if (save_one(ctx, &d, progname, *t, o.table != NULL,
			     o.flags & SAVE_COUNTERS) < 0)
			save_failed(ctx, &d);
	}
	if (divert_end(&d) < 0)
		msg_die(OTHER_PROBLEM, "%s", strerror(errno));
	if (ctx->backend_ops->flags & BACKEND_WARNS_LEGACY)
		msg_warn_legacy(ctx->family, "-save");
out:
	fflush(stdout);
	plugins_release();
	return (o.flags & SAVE_DUMP) ? 0 : ret;
}
