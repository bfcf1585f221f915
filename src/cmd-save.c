// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl save: the ruleset in iptables-save format, as iptables-nft-save
 * 1.8.9 prints it (tables in save order, built-ins in hook order, user
 * chains by name, rules streamed from the backend one at a time).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "emit.h"
#include "plugins.h"
#include "util.h"

struct save_opts {
	const char *table;	/* -t, NULL: every existing table */
	bool counters;		/* -c */
	bool dump;		/* -d: exit 0 whatever happened */
};

/* Long options of iptables-nft-save 1.8.9; -4/-6 are markctl's own. */
static const struct option save_longopts[] = {
	{ "counters",	no_argument,		NULL, 'c' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "dump",	no_argument,		NULL, 'd' },
	{ "table",	required_argument,	NULL, 't' },
	{ "modprobe",	required_argument,	NULL, 'M' },
	{ "file",	required_argument,	NULL, 'f' },
	{ NULL,		0,			NULL, 0 },
};

/* Drop-in names keep their own name; "markctl save" is iptables-nft-save. */
static const char *save_progname(const struct markctl_ctx *ctx, bool dropin)
{
	if (dropin)
		return ctx->progname;
	return ctx->family == NFPROTO_IPV6 ? "ip6tables-nft-save" :
					     "iptables-nft-save";
}

static void save_redirect(const char *path)
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

static void save_parse_opts(struct markctl_ctx *ctx, int argc, char **argv,
			    struct save_opts *o, bool dropin)
{
	const char *optstring = dropin ? "bcdt:M:f:V" : "bcdt:M:f:V46";
	const char *name = save_progname(ctx, dropin);
	int c;

	/* getopt's own messages name argv[0] as invoked, as in 1.8.9 */
	if (!dropin)
		argv[0] = (char *)name;
	optind = 1;
	while ((c = getopt_long(argc, argv, optstring, save_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			fprintf(stderr, "-b/--binary option is not implemented\n");
			break;
		case 'c':
			o->counters = true;
			break;
		case 't':
			o->table = optarg;
			break;
		case 'M':	/* modules load on demand */
			break;
		case 'f':
			save_redirect(optarg);
			break;
		case 'd':
			o->dump = true;
			break;
		case '4':
		case '6':
			ctx->family = c == '6' ? NFPROTO_IPV6 : NFPROTO_IPV4;
			name = save_progname(ctx, dropin);
			argv[0] = (char *)name;
			break;
		case 'V':
			printf("%s v%s (%s)\n", name, IPTABLES_VERSION,
			       IPTABLES_VARIANT);
			exit(0);
		default:
			fprintf(stderr,
				"Look at manual page `%s.8' for more information.\n",
				name);
			exit(OTHER_PROBLEM);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Unknown arguments found on commandline\n");
		exit(OTHER_PROBLEM);
	}
}

static bool save_table_known(const char *name)
{
	for (const char *const *t = backend_table_names; *t; t++)
		if (strcmp(*t, name) == 0)
			return true;
	return false;
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
 * The save is printed into an anonymous temporary file (stdout itself is
 * redirected, as libxtables' print callbacks write there) and copied out
 * at the end: a rule iptables cannot express, anywhere in a table, turns
 * the table's text already printed into one comment line.  Rules stream
 * from the kernel's dump to the file, so memory stays flat.
 */
struct save_divert {
	FILE *tmp;
	int saved;	/* the real stdout */
};

static int divert_begin(struct save_divert *d)
{
	fflush(stdout);
	d->tmp = tmpfile();
	if (!d->tmp)
		return -1;
	d->saved = dup(STDOUT_FILENO);
	if (d->saved < 0 || dup2(fileno(d->tmp), STDOUT_FILENO) < 0) {
		int err = errno;

		if (d->saved >= 0)
			close(d->saved);
		fclose(d->tmp);
		errno = err;
		return -1;
	}
	return 0;
}

/* Through stdio, not write(2): what reaches the real stdout and when
 * (as against stderr) stays as iptables-nft-save's buffered output. */
static int copy_out(FILE *from)
{
	static char buf[65536];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

/* Back to the real stdout, with what was printed meanwhile. */
static int divert_end(struct save_divert *d)
{
	int ret = 0, err = 0;

	fflush(stdout);
	if (dup2(d->saved, STDOUT_FILENO) < 0 || copy_out(d->tmp) < 0) {
		ret = -1;
		err = errno;
	}
	close(d->saved);
	fclose(d->tmp);
	errno = err;
	return ret;
}

static int save_table_text(struct markctl_ctx *ctx, const char *progname,
			   const char *table, const struct rule_chain *chains,
			   unsigned int count, struct save_walk *w)
{
	const struct backend_ops *ops = ctx->backend_ops;
	struct backend *b = ctx_backend(ctx);
	unsigned int i;
	int ret;

	printf("# Generated by %s v%s (%s) on %s", progname, IPTABLES_VERSION,
	       IPTABLES_VARIANT, save_now());
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
static int save_table(struct markctl_ctx *ctx, struct save_divert *d,
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

/* iptables-nft-save's hint that legacy x_tables rules exist too. */
static void save_warn_legacy(uint8_t family)
{
	const char *path = family == NFPROTO_IPV6 ?
		"/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names";
	const char *prefix = family == NFPROTO_IPV6 ? "ip6" : "ip";
	FILE *f = fopen(path, "re");
	int c;

	if (!f)
		return;
	c = fgetc(f);
	fclose(f);
	if (c != EOF)
		fprintf(stderr,
			"# Warning: %stables-legacy tables present, use %stables-legacy-save to see them\n",
			prefix, prefix);
}

static int save_one(struct markctl_ctx *ctx, struct save_divert *d,
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

int cmd_save(struct markctl_ctx *ctx, int argc, char **argv)
{
	bool dropin = strstr(ctx->progname, "-save") != NULL;
	struct save_opts o = { 0 };
	struct save_divert d;
	const char *progname;
	int ret = 0;

	save_parse_opts(ctx, argc, argv, &o, dropin);
	progname = save_progname(ctx, dropin);
	util_set_progname(progname);
	plugins_init(ctx, ctx->family);

	if (o.table && !save_table_known(o.table)) {
		fprintf(stderr, "Table `%s' does not exist\n", o.table);
		ret = OTHER_PROBLEM;
		goto out;
	}
	if (divert_begin(&d) < 0)
		util_die(OTHER_PROBLEM, "%s", strerror(errno));
	for (const char *const *t = backend_table_names; *t; t++) {
		if (o.table && strcmp(*t, o.table) != 0)
			continue;
		if (save_one(ctx, &d, progname, *t, o.table != NULL,
			     o.counters) < 0) {
			int err = errno;

			divert_end(&d);
			fflush(stdout);
			util_die(OTHER_PROBLEM, "%s", strerror(err));
		}
	}
	if (divert_end(&d) < 0)
		util_die(OTHER_PROBLEM, "%s", strerror(errno));
	save_warn_legacy(ctx->family);
out:
	fflush(stdout);
	plugins_release();
	return o.dump ? 0 : ret;
}
