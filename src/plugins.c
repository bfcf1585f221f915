// SPDX-License-Identifier: GPL-2.0-or-later
/* libxtables set-up: globals, our extensions first, the host's plugins after. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "extensions.h"
#include "plugins.h"
#include "msg.h"
#include "util.h"
#include "xtopts.h"

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
 * has.  If no other revision of one of markctl's own extensions is
 * pending there is nothing to choose: the probe is skipped, and a kernel
 * without that revision refuses the rule instead.  Saves a socket and a
 * round trip per extension, so a second for -j MARK -m mark.  The host's
 * plugins are always probed: a kernel without one (ipvs, LED) makes
 * libxtables warn "missing kernel module?" before any error, as 1.8.9.
 */
static bool only_revision(const char *name, uint8_t rev, bool target)
{
	if (!extensions_own(name))
		return false;
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

/*
 * As iptables 1.8.9 takes the kernel's answer: a revision it could not
 * ask about (EPERM: help as a user) counts as supported, and so does a
 * missing revision 0, after a warning, so that the kernel's refusal of
 * the rule is what fails.
 */
static int revision_answer(const char *name, uint8_t rev, int ret)
{
	if (ret > 0 || (ret < 0 && errno == EPERM))
		return 1;
	if (rev == 0) {
		fprintf(stderr, "Warning: Extension %s revision 0 not "
			"supported, missing kernel module?\n", name);
		return 1;
	}
	return 0;
}

/* libxtables asks with its getsockopt number; backends take 0 or 1. */
static int plugins_compat_rev(const char *name, uint8_t rev, int opt)
{
	struct markctl_ctx *ctx = rev_ctx;
	bool target = opt == IPT_SO_GET_REVISION_TARGET ||
		      opt == IP6T_SO_GET_REVISION_TARGET;

	if (!ctx || !ctx->backend_ops || !ctx->backend_ops->open ||
	    !ctx->backend_ops->compat_rev || only_revision(name, rev, target))
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
	return revision_answer(name, rev,
			       ctx->backend_ops->compat_rev(ctx->backend, name,
							    rev, target));
}

static char program_version[32];
static struct xtables_globals globals = {
	.program_version	= program_version,
	.exit_err		= msg_die,
	.compat_rev		= plugins_compat_rev,
};

/* translate works without a kernel: every revision counts as supported. */
static bool wants_kernel(const struct markctl_ctx *ctx)
{
	return ctx && !ctx->offline;
}

static void __attribute__((noreturn)) init_failed(void)
{
	msg_die(OTHER_PROBLEM, "%s/%s Failed to initialize xtables",
		 msg_progname(), IPTABLES_VERSION);
}

void plugins_init(struct markctl_ctx *ctx, uint8_t family,
		  struct option *orig_opts)
{
	rev_ctx = wants_kernel(ctx) ? ctx : NULL;
	snprintf(program_version, sizeof(program_version), "%s (%s)",
		 IPTABLES_VERSION, msg_variant());
	globals.program_name = msg_progname();
	globals.orig_opts = orig_opts;
	/* xtables_init() once per process: again, it drops (leaks) the
	 * cache of names that are no target; a descriptor registered twice
	 * loops its list. */
	if (registered) {
		xtables_set_nfproto(family);
		if (xtables_set_params(&globals) < 0)
			init_failed();
	} else {
		if (xtables_init_all(&globals, family) < 0)
			init_failed();
		extensions_register();
		registered = true;
	}
	xtopts_reset();
}

void plugins_adopt_clone(struct xtables_match *m)
{
	struct clone *c = malloc(sizeof(*c));

	if (!c)
		msg_die(RESOURCE_PROBLEM, "can't allocate memory");
	c->match = m;
	c->next = clones;
	clones = c;
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
	xtopts_release();
	rev_ctx = NULL;
}
