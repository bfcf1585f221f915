// SPDX-License-Identifier: GPL-2.0-or-later
#include "emit.h"
#include "queue.h"

static void say_rule(const struct rule_cmd *cmd, bool verbose, bool found)
{
	bool append = cmd->command == RULE_CMD_APPEND;

	if (verbose && cmd->rule && (cmd->command & RULE_CMDS_SPEC) &&
	    append != found)
		emit_rule_print(cmd->rule);
}

void queue_pairs(const struct rule_cmd *cmd, const struct rule_pairs *pairs,
		 bool verbose, queue_fn queue, void *data)
{
	struct rule_cmd each = *cmd;

	for (unsigned int i = 0; i <= pairs->nmore; i++) {
		if (i)
			each.rule = pairs->more[i - 1];
		say_rule(&each, verbose, false);
		queue(&each, data);
		say_rule(&each, verbose, true);
	}
}
