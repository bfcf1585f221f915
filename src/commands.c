// SPDX-License-Identifier: GPL-2.0-or-later
/* The commands of "markctl COMMAND ...", for dispatch and for -h. */
#include <string.h>

#include "cmd.h"

/*
 * Commands that need libraries a rule command never maps (conntrack,
 * JSON) are programs of their own, markctl-NAME (fn NULL), installed
 * with the drop-in names and run as git runs its commands.
 */
const struct command commands[] = {
	{ "save",	cmd_save,
	  "print the ruleset in iptables-save format" },
	{ "restore",	cmd_restore,
	  "load a ruleset in iptables-save format" },
	{ "translate",	cmd_translate,
	  "print the nft command for an iptables command" },
	{ "layout",	cmd_layout,
	  "show the mark layout, or the value/mask of field names" },
	{ "explain",	NULL,
	  "tell whose bits a mark value uses" },
	{ "audit",	NULL,
	  "report who uses which mark bits here, and collisions" },
	{ "ct",		NULL,
	  "list, count, re-mark and delete conntrack flows by mark" },
	{ NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
