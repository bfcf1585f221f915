/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MARKCTL_PARSE_H
#define MARKCTL_PARSE_H

#include "cmd.h"
#include "rule.h"

/*
 * Parses iptables options (argv[0] is the program name) into @cmd, which
 * the caller has rule_cmd_init()ed.  A parameter problem exits through
 * util_die(PARAMETER_PROBLEM, ...) with iptables' message; nothing has
 * reached the kernel by then.
 */
void parse_argv(struct markctl_ctx *ctx, int argc, char **argv,
		struct rule_cmd *cmd);

#endif
