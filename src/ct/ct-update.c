// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl ct update: one dump (filtered in the kernel by mark where it
 * can) and, per flow whose mark changes, one masked CT_NEW, sent in
 * batches while the dump goes on.  The kernel applies the mask itself
 * (new = (old & ~mask) ^ value), so bits outside it that a rule changes
 * meanwhile are kept.  A flow that ended meanwhile is not an error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ct.h"
#include "util.h"

struct update_ctx {
	const struct ct_opts *o;
	struct ct_nl *nl;
	bool userspace;
};

static int update_flow(const struct ct_flow *f, void *data)
{
	struct update_ctx *u = data;
	const struct ct_opts *o = u->o;

	if (u->userspace && !ct_filter_match(&o->filter, f))
		return 0;
	/* As conntrack -U: no message for a mark that stays the same. */
	if (((f->mark & ~o->op_mask) ^ o->op_value) == f->mark)
		return 0;
	return ct_nl_queue_update(u->nl, f, o->op_value, o->op_mask);
}

int ct_report_changes(struct ct_nl *nl, const char *verb, int err)
{
	const struct ct_nl_result *r = ct_nl_result(nl);
	unsigned long done = r->sent - r->gone - r->failed;

	/* A count only if something was tried: not root, nothing was. */
	if (!err || r->sent)
		printf("%lu flow%s %s\n", done, done == 1 ? "" : "s", verb);
	if (err) {
		errno = err;
		return ct_error_errno(strcmp(verb, "deleted") ? "update flows" :
				      "delete flows");
	}
	if (r->failed) {
		fflush(stdout);
		fprintf(stderr, "markctl ct: %lu flow%s not %s: %s\n",
			r->failed, r->failed == 1 ? "" : "s", verb,
			strerror(r->first_errno));
		return OTHER_PROBLEM;
	}
	return 0;
}

int ct_cmd_update(const struct ct_opts *o, struct ct_nl *nl)
{
	const struct ct_filter *f = &o->filter;
	uint32_t mark[2] = { f->mark, f->mark_mask };
	struct update_ctx u = { o, nl, ct_filter_userspace(f) };
	int err = 0;

	if (ct_nl_dump(nl, f->family, ct_filter_kernel_mark(f) ? mark : NULL,
		       false, update_flow, &u) < 0)
		err = errno;
	/* What was queued before a failure still goes out, and counts. */
	if (ct_nl_flush(nl) < 0 && !err)
		err = errno;
	return ct_report_changes(nl, "updated", err);
}
