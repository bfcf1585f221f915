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
	bool incompatible;	/* a rule iptables cannot express was met */
};

static int save_rule_cb(const struct rule *r, void *data)
{
	struct save_walk *w = data;

	if (r->unsupported) {
		w->incompatible = true;
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
 * A table prints into a temporary file first: one with a rule iptables
 * cannot express becomes a single comment line, as in iptables-nft-save.
 * The emitters (and libxtables' callbacks) print to stdout, so stdout is
 * pointed at the file meanwhile (glibc's stdout is assignable); the real
 * stream is not flushed, so output interleaves with stderr as 1.8.9's.
 */
struct save_capture {
	FILE *tmp;		/* NULL: printing straight to stdout */
	FILE *out;
};

static void save_capture_begin(struct save_capture *c)
{
	c->out = stdout;
	c->tmp = tmpfile();	/* none: stream as is */
	if (c->tmp)
		stdout = c->tmp;
}

/* Restores stdout and copies the captured text to it if @keep. */
static void save_capture_end(struct save_capture *c, bool keep)
{
	char buf[65536];
	size_t n;

	if (!c->tmp)
		return;
	stdout = c->out;
	rewind(c->tmp);
	while (keep && (n = fread(buf, 1, sizeof(buf), c->tmp)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(c->tmp);
}

/* One table; @chains as backend_ops.chains reports them.  Returns 1 if
 * the table holds a rule iptables cannot express (nothing printed). */
static int save_table_body(struct markctl_ctx *ctx, const char *progname,
			   const char *table, const struct rule_chain *chains,
			   unsigned int count, bool counters)
{
	const struct backend_ops *ops = ctx->backend_ops;
	struct backend *b = ctx_backend(ctx);
	unsigned int i;

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
		struct save_walk w = { chains[i].name, counters, false };

		if (chains[i].builtin && !chains[i].exists)
			continue;
		if (ops->rules(b, table, chains[i].name, save_rule_cb, &w) < 0)
			return -1;
		if (w.incompatible)
			return 1;
	}
	printf("COMMIT\n");
	printf("# Completed on %s", save_now());
	return 0;
}

static int save_table(struct markctl_ctx *ctx, const char *progname,
		      const char *table, const struct rule_chain *chains,
		      unsigned int count, bool counters)
{
	struct save_capture cap;
	int ret;

	save_capture_begin(&cap);
	ret = save_table_body(ctx, progname, table, chains, count, counters);
	save_capture_end(&cap, ret == 0);
	if (ret == 1) {
		printf("# Table `%s' is incompatible, use 'nft' tool.\n",
		       table);
		ret = 0;
	}
	return ret;
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

static int save_one(struct markctl_ctx *ctx, const char *progname,
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
		ret = save_table(ctx, progname, table, chains, count, counters);
	free(chains);
	return ret;
}

int cmd_save(struct markctl_ctx *ctx, int argc, char **argv)
{
	bool dropin = strstr(ctx->progname, "-save") != NULL;
	struct save_opts o = { 0 };
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
	for (const char *const *t = backend_table_names; *t; t++) {
		if (o.table && strcmp(*t, o.table) != 0)
			continue;
		if (save_one(ctx, progname, *t, o.table != NULL,
			     o.counters) < 0) {
			fflush(stdout);
			util_die(OTHER_PROBLEM, "%s", strerror(errno));
		}
	}
	save_warn_legacy(ctx->family);
out:
	fflush(stdout);
	plugins_release();
	return o.dump ? 0 : ret;
}
