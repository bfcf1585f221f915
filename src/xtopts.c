// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The getopt table of a parse: the command line's options, and those of
 * each extension merged in as the parse loads it (libxtables' merge
 * functions), kept from one parse to the next.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "xtopts.h"

/*
 * libxtables merges an extension's options into a new copy of the getopt
 * table for every rule.  A restore parses a few sequences of extensions
 * again and again (kube-proxy's rules alternate between half a dozen), so
 * every table made is kept, in a tree: a step holds the table after
 * merging ext (an x6_options or extra_opts array) into its parent's.
 * libxtables frees the table it merges into unless it is orig_opts, so it
 * only ever gets copies.
 */
struct opts_step {
	const void *ext;
	struct option *opts;
	struct option *lookup;	/* the same options, for getopt_long */
	unsigned int offset;
	bool reused;
	struct opts_step *child, *sibling;
};
static struct opts_step *root_steps;	/* merged into orig_opts */
static struct opts_step *cur;		/* NULL: orig_opts */

static void steps_free(struct opts_step *st)
{
	while (st) {
		struct opts_step *next = st->sibling;

		steps_free(st->child);
		free(st->opts);
		free(st->lookup);
		free(st);
		st = next;
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
	const struct option *orig = xt_params->orig_opts;
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
struct option *xtopts_getopt_table(void)
{
	if (!cur || xt_params->opts != cur->opts || !cur->reused)
		return xt_params->opts;
	if (!cur->lookup) {
		cur->lookup = lookup_table(cur->opts);
		if (!cur->lookup)
			msg_die(RESOURCE_PROBLEM, "can't alloc memory!");
	}
	return cur->lookup;
}

void xtopts_reset(void)
{
	xt_params->opts = xt_params->orig_opts;
	xt_params->option_offset = 0;
	cur = NULL;
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

/* A new step below @cur: @ext merged into a copy of the current table. */
static struct opts_step *step_new(const void *ext,
				  const struct xt_option_entry *x6,
				  const struct option *extra,
				  unsigned int *offset)
{
	struct opts_step *st = calloc(1, sizeof(*st));

	if (!st)
		msg_die(RESOURCE_PROBLEM, "can't alloc memory!");
	/* the merge frees xt_params->opts: a copy of the kept table */
	if (xt_params->opts != xt_params->orig_opts) {
		xt_params->opts = opts_dup(xt_params->opts);
		if (!xt_params->opts)
			msg_die(OTHER_PROBLEM, "can't alloc memory!");
	}
	if (x6)
		st->opts = xtables_options_xfrm(xt_params->orig_opts,
						xt_params->opts, x6, offset);
	else
		st->opts = xtables_merge_options(xt_params->orig_opts,
						 xt_params->opts, extra,
						 offset);
	if (!st->opts)
		msg_die(OTHER_PROBLEM, "can't alloc memory!");
	st->ext = ext;
	st->offset = *offset;
	st->sibling = cur ? cur->child : root_steps;
	if (cur)
		cur->child = st;
	else
		root_steps = st;
	return st;
}

void xtopts_merge(unsigned int *offset,
			   const struct xt_option_entry *x6,
			   const struct option *extra)
{
	const void *ext = x6 ? (const void *)x6 : (const void *)extra;
	struct opts_step *st;

	if (!ext)
		return;
	for (st = cur ? cur->child : root_steps; st; st = st->sibling)
		if (st->ext == ext)
			break;
	if (st) {
		*offset = st->offset;
		st->reused = true;
	} else {
		st = step_new(ext, x6, extra, offset);
	}
	xt_params->opts = st->opts;
	xt_params->option_offset = st->offset;
	cur = st;
}

void xtopts_release(void)
{
	xtopts_reset();
	steps_free(root_steps);
	root_steps = NULL;
}
