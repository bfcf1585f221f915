// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl ct delete: one dump (filtered in the kernel by mark where it
 * can), then one CT_DELETE per flow, by tuple, zone and id, sent in
 * batches: a flow that ended meanwhile is not an error, and a new flow
 * that took its tuple has another id and stays.
 */
#include <errno.h>

#include "ct.h"

struct delete_ctx {
	const struct ct_filter *filter;
	struct ct_nl *nl;
	bool userspace;
};

static int delete_flow(const struct ct_flow *f, void *data)
{
	struct delete_ctx *d = data;

	if (d->userspace && !ct_filter_match(d->filter, f))
		return 0;
	return ct_nl_queue_delete(d->nl, f);
}

int ct_cmd_delete(const struct ct_opts *o, struct ct_nl *nl)
{
	const struct ct_filter *f = &o->filter;
	uint32_t mark[2] = { f->mark, f->mark_mask };
	struct delete_ctx d = { f, nl, ct_filter_userspace(f) };
	int err = 0;

	if (ct_nl_dump(nl, f->family, ct_filter_kernel_mark(f) ? mark : NULL,
		       false, delete_flow, &d) < 0)
		err = errno;
	if (ct_nl_flush(nl) < 0 && !err)
		err = errno;
	return ct_report_changes(nl, "deleted", err);
}
