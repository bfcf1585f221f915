// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "util.h"

struct backend *ctx_backend_open(struct markctl_ctx *ctx)
{
	if (!ctx->backend)
		ctx->backend = ctx->backend_ops->open(ctx, ctx->family);
	return ctx->backend;
}

static void __attribute__((noreturn)) die_start(int err)
{
	/* iptables' nft_strerror words EPERM/EACCES so */
	if (err == EPERM || err == EACCES)
		util_die(RESOURCE_PROBLEM,
			 "Could not fetch rule set generation id: Permission denied (you must be root)");
	util_die(RESOURCE_PROBLEM,
		 "Could not fetch rule set generation id: %s", strerror(err));
}

struct backend *ctx_backend(struct markctl_ctx *ctx)
{
	const struct backend_ops *ops = ctx->backend_ops;

	if (!ctx_backend_open(ctx))
		die_start(errno);
	if (!ctx->backend_probed && ops->probe && ops->probe(ctx->backend) < 0)
		die_start(errno);
	ctx->backend_probed = true;
	return ctx->backend;
}

void ctx_release(struct markctl_ctx *ctx)
{
	if (ctx->backend) {
		ctx->backend_ops->close(ctx->backend);
		ctx->backend = NULL;
		ctx->backend_probed = false;
	}
}
