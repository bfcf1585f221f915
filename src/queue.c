// SPDX-License-Identifier: GPL-2.0-or-later
#include "emit.h"
#include "queue.h"

static void say_rule(const struct rule_cmd *cmd, enum queue_echo echo,
		     bool found)
{
	bool first = echo == QUEUE_ECHO_FIRST ||
		     cmd->command == RULE_CMD_APPEND;

	if (echo != QUEUE_QUIET && cmd->rule &&
	    (cmd->command & RULE_CMDS_SPEC) && first != found)
		emit_rule_print(cmd->rule);
}

void queue_pairs(const struct rule_cmd *cmd, const struct rule_pairs *pairs,
		 enum queue_echo echo, queue_fn queue, void *data)
{
	struct rule_cmd each = *cmd;

	for (unsigned int i = 0; i <= pairs->nmore; i++) {
		if (i)
			each.rule = pairs->more[i - 1];
		say_rule(&each, echo, false);
		queue(&each, data);
		say_rule(&each, echo, true);
	}
}
