// SPDX-License-Identifier: GPL-2.0-or-later
/* libxtables set-up: globals, our extensions first, the host's plugins after. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cli-private.h"
#include "cmd.h"
#include "extensions.h"
#include "plugins.h"
#include "util.h"

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

/*
 * libxtables' compat_rev callback gets no context argument: the context
 * it must ask is kept here, NULL when revisions are not to be probed.
 */
static struct markctl_ctx *rev_ctx;
static bool registered;

struct clone {
	struct clone *next;
	struct xtables_match *match;
};
static struct clone *clones;

/* Exported by libxtables, though not declared in xtables.h: the
 * extensions it has not settled on a revision for yet. */
extern struct xtables_match *xtables_pending_matches;
extern struct xtables_target *xtables_pending_targets;

static bool same_name(const char *name, const char *n, const char *real)
{
	return strcmp(name, n) == 0 || (real && strcmp(name, real) == 0);
}

/*
 * libxtables probes the revisions of an extension highest first, each
 * taken off its pending list while asked, and keeps the first the kernel
 * has.  If no other revision of @name is pending there is nothing to
 * choose: the probe is skipped, and a kernel without that revision
 * refuses the rule instead, reported as any refusal.  Saves a socket and
 * a round trip per extension, so a second for -j MARK -m mark.
 */
static bool only_revision(const char *name, uint8_t rev, int opt)
{
	bool target = opt == IPT_SO_GET_REVISION_TARGET ||
		      opt == IP6T_SO_GET_REVISION_TARGET;

	if (target) {
		for (struct xtables_target *t = xtables_pending_targets; t;
		     t = t->next)
			if (t->revision != rev &&
			    same_name(name, t->name, t->real_name))
				return false;
		return true;
	}
	for (struct xtables_match *m = xtables_pending_matches; m; m = m->next)
		if (m->revision != rev && same_name(name, m->name, m->real_name))
			return false;
	return true;
}

static int plugins_compat_rev(const char *name, uint8_t rev, int opt)
{
	struct markctl_ctx *ctx = rev_ctx;

	if (!ctx || !ctx->backend_ops || !ctx->backend_ops->open ||
	    !ctx->backend_ops->compat_rev || only_revision(name, rev, opt))
		return 1;
	if (!ctx->backend) {
		/* Not ctx_backend(): failing to open must not be fatal here
		 * (non-root translate, listing as user asks later anyway). */
		ctx->backend = ctx->backend_ops->open(ctx, ctx->family);
		if (!ctx->backend) {
			rev_ctx = NULL;
			return 1;
		}
	}
	return ctx->backend_ops->compat_rev(ctx->backend, name, rev, opt);
}

static struct xtables_globals globals = {
	.program_version	= IPTABLES_VERSION " (" IPTABLES_VARIANT ")",
	.exit_err		= util_die,
	.compat_rev		= plugins_compat_rev,
};

/* translate works without a kernel: every revision counts as supported. */
static bool wants_kernel(const struct markctl_ctx *ctx)
{
	return ctx && !ctx->offline;
}

static void __attribute__((noreturn)) init_failed(void)
{
	util_die(OTHER_PROBLEM, "%s/%s Failed to initialize xtables",
		 util_progname(), IPTABLES_VERSION);
}

void plugins_init(struct markctl_ctx *ctx, uint8_t family)
{
	rev_ctx = wants_kernel(ctx) ? ctx : NULL;
	globals.program_name = util_progname();
	globals.orig_opts = parse_getopt_options();
	plugins_reset_options();
	/* xtables_init() once per process: again, it drops (leaks) the
	 * cache of names that are no target; a descriptor registered twice
	 * loops its list. */
	if (registered) {
		xtables_set_nfproto(family);
		if (xtables_set_params(&globals) < 0)
			init_failed();
		return;
	}
	if (xtables_init_all(&globals, family) < 0)
		init_failed();
	extensions_register();
	registered = true;
}

struct xtables_globals *plugins_globals(void)
{
	return &globals;
}

void plugins_adopt_clone(struct xtables_match *m)
{
	struct clone *c = malloc(sizeof(*c));

	if (!c)
		util_die(RESOURCE_PROBLEM, "can't allocate memory");
	c->match = m;
	c->next = clones;
	clones = c;
}

/*
 * libxtables merges an extension's options into a new copy of the getopt
 * table for every rule.  A restore parses the same few sequences of
 * extensions again and again, so the tables along the last sequence are
 * kept: step i holds the table after merging ext (an x6_options or
 * extra_opts array) into the table of step i - 1.  libxtables frees the
 * table it merges into unless it is orig_opts, so it only ever gets copies.
 */
struct opts_step {
	const void *ext;
	struct option *opts;
	struct option *lookup;	/* the same options, for getopt_long */
	unsigned int offset;
	bool reused;
};
static struct opts_step *steps;
static unsigned int nsteps, steps_cap, step_pos;

static void steps_truncate(unsigned int n)
{
	while (nsteps > n) {
		nsteps--;
		free(steps[nsteps].opts);
		free(steps[nsteps].lookup);
	}
}

static bool opts_have(const struct option *opts, const char *name)
{
	for (; opts->name; opts++)
		if (strcmp(opts->name, name) == 0)
			return true;
	return false;
}

/*
 * getopt_long looks for an exact name from the start of the table, where
 * libxtables puts the 40-odd base options, so every extension option
 * costs a scan past them.  This copy lists the extensions' options first
 * and the base options after them, except those an extension option
 * shares a name with: they stay in front, as the base option wins.
 * Prefix matches and ambiguity do not depend on the order.
 */
static struct option *lookup_table(const struct option *merged)
{
	const struct option *orig = globals.orig_opts;
	size_t norig = 0, n = 0, k = 0;
	struct option *t;

	while (orig[norig].name)
		norig++;
	while (merged[n].name)
		n++;
	t = malloc((n + 1) * sizeof(*t));
	if (!t)
		return NULL;
	for (size_t i = 0; i < norig; i++)
		if (opts_have(merged + norig, orig[i].name))
			t[k++] = orig[i];
	for (size_t i = norig; i < n; i++)
		t[k++] = merged[i];
	for (size_t i = 0; i < norig; i++)
		if (!opts_have(merged + norig, orig[i].name))
			t[k++] = orig[i];
	t[k] = merged[n];
	return t;
}

/* Built on the first reuse of a step: a single command never needs it. */
struct option *plugins_getopt_table(void)
{
	struct opts_step *st = step_pos ? &steps[step_pos - 1] : NULL;

	if (!st || globals.opts != st->opts || !st->reused)
		return globals.opts;
	if (!st->lookup) {
		st->lookup = lookup_table(st->opts);
		if (!st->lookup)
			util_die(RESOURCE_PROBLEM, "can't alloc memory!");
	}
	return st->lookup;
}

void plugins_reset_options(void)
{
	globals.opts = globals.orig_opts;
	globals.option_offset = 0;
	step_pos = 0;
}

static struct option *opts_dup(const struct option *opts)
{
	size_t n = 0;
	struct option *copy;

	while (opts[n].name)
		n++;
	copy = malloc((n + 1) * sizeof(*copy));
	if (copy)
		memcpy(copy, opts, (n + 1) * sizeof(*copy));
	return copy;
}

static void steps_push(const void *ext, struct option *opts,
		       unsigned int offset)
{
	if (nsteps == steps_cap) {
		unsigned int cap = steps_cap ? 2 * steps_cap : 8;
		struct opts_step *p = realloc(steps, cap * sizeof(*p));

		if (!p)
			util_die(RESOURCE_PROBLEM, "can't alloc memory!");
		steps = p;
		steps_cap = cap;
	}
	steps[nsteps++] = (struct opts_step){ .ext = ext, .opts = opts,
					      .offset = offset };
}

void plugins_merge_options(unsigned int *offset,
			   const struct xt_option_entry *x6,
			   const struct option *extra)
{
	const void *ext = x6 ? (const void *)x6 : (const void *)extra;
	struct option *merged;

	if (!ext)
		return;
	if (step_pos < nsteps && steps[step_pos].ext == ext) {
		globals.opts = steps[step_pos].opts;
		*offset = globals.option_offset = steps[step_pos].offset;
		steps[step_pos].reused = true;
		step_pos++;
		return;
	}
	steps_truncate(step_pos);
	if (globals.opts != globals.orig_opts) {
		globals.opts = opts_dup(globals.opts);
		if (!globals.opts)
			util_die(OTHER_PROBLEM, "can't alloc memory!");
	}
	if (x6)
		merged = xtables_options_xfrm(globals.orig_opts, globals.opts,
					      x6, offset);
	else
		merged = xtables_merge_options(globals.orig_opts, globals.opts,
					       extra, offset);
	if (!merged)
		util_die(OTHER_PROBLEM, "can't alloc memory!");
	globals.opts = merged;
	steps_push(ext, merged, *offset);
	step_pos = nsteps;
}

static void free_match_state(struct xtables_match *m)
{
	free(m->m);
	m->m = NULL;
	free(m->udata);
	m->udata = NULL;
}

void plugins_release(void)
{
	struct xtables_match *m;
	struct xtables_target *t;

	while (clones) {
		struct clone *next = clones->next;

		free_match_state(clones->match);
		free(clones->match);
		free(clones);
		clones = next;
	}
	for (m = xtables_matches; m; m = m->next)
		free_match_state(m);
	for (t = xtables_targets; t; t = t->next) {
		free(t->t);
		t->t = NULL;
		free(t->udata);
		t->udata = NULL;
	}
	plugins_reset_options();
	steps_truncate(0);
	free(steps);
	steps = NULL;
	steps_cap = 0;
	rev_ctx = NULL;
}
