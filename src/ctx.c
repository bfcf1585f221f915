// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "backend.h"
#include "cmd.h"
#include "msg.h"
#include "util.h"

struct backend *ctx_backend(struct markctl_ctx *ctx)
{
	if (ctx->backend)
		return ctx->backend;

	ctx->backend = ctx->backend_ops->open(ctx, ctx->family);
	if (!ctx->backend) {
		/* iptables' nft_strerror words EPERM/EACCES so */
		if (errno == EPERM || errno == EACCES)
			msg_die(RESOURCE_PROBLEM,
				 "Could not fetch rule set generation id: Permission denied (you must be root)");
		msg_die(RESOURCE_PROBLEM,
			 "Could not fetch rule set generation id: %s",
			 strerror(errno));
	}
	return ctx->backend;
}

void ctx_release(struct markctl_ctx *ctx)
{
	if (ctx->backend) {
		ctx->backend_ops->close(ctx->backend);
		ctx->backend = NULL;
	}
}
