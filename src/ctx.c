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
		enum xtables_exittype status = RESOURCE_PROBLEM;
		int err = errno;
		char msg[256];

		if (ctx->backend_ops->open_error)
			status = ctx->backend_ops->open_error(err, msg,
							      sizeof(msg));
		else
			util_strlcpy(msg, strerror(err), sizeof(msg));
		msg_die(status, "%s", msg);
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
