// SPDX-License-Identifier: GPL-2.0-or-later
/* placeholder */
#include "cmd.h"

int cmd_restore(struct markctl_ctx *ctx, int argc, char **argv)
{
	return 1;
}
