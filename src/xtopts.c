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
	struct opts_step *st = step_pos ? &steps[step_pos - 1] : NULL;

	if (!st || xt_params->opts != st->opts || !st->reused)
		return xt_params->opts;
	if (!st->lookup) {
		st->lookup = lookup_table(st->opts);
		if (!st->lookup)
			msg_die(RESOURCE_PROBLEM, "can't alloc memory!");
	}
	return st->lookup;
}

void xtopts_reset(void)
{
	xt_params->opts = xt_params->orig_opts;
	xt_params->option_offset = 0;
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
			msg_die(RESOURCE_PROBLEM, "can't alloc memory!");
		steps = p;
		steps_cap = cap;
	}
	steps[nsteps++] = (struct opts_step){ .ext = ext, .opts = opts,
					      .offset = offset };
}

void xtopts_merge(unsigned int *offset,
			   const struct xt_option_entry *x6,
			   const struct option *extra)
{
	const void *ext = x6 ? (const void *)x6 : (const void *)extra;
	struct option *merged;

	if (!ext)
		return;
	if (step_pos < nsteps && steps[step_pos].ext == ext) {
		xt_params->opts = steps[step_pos].opts;
		*offset = xt_params->option_offset = steps[step_pos].offset;
		steps[step_pos].reused = true;
		step_pos++;
		return;
	}
	steps_truncate(step_pos);
	if (xt_params->opts != xt_params->orig_opts) {
		xt_params->opts = opts_dup(xt_params->opts);
		if (!xt_params->opts)
			msg_die(OTHER_PROBLEM, "can't alloc memory!");
	}
	if (x6)
		merged = xtables_options_xfrm(xt_params->orig_opts, xt_params->opts,
					      x6, offset);
	else
		merged = xtables_merge_options(xt_params->orig_opts, xt_params->opts,
					       extra, offset);
	if (!merged)
		msg_die(OTHER_PROBLEM, "can't alloc memory!");
	xt_params->opts = merged;
	steps_push(ext, merged, *offset);
	step_pos = nsteps;
}

void xtopts_release(void)
{
	xtopts_reset();
	steps_truncate(0);
	free(steps);
	steps = NULL;
	steps_cap = 0;
}
