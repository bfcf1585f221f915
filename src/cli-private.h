/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by parse.c, plugins.c and the cmd-iptables/-translate/-restore
 * commands only. */
#ifndef MARKCTL_CLI_PRIVATE_H
#define MARKCTL_CLI_PRIVATE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <xtables.h>

/* The CLI's getopt table, the orig_opts libxtables extends. */
struct option *parse_getopt_options(void);

/*
 * The family markctl's -4/-6 select (the last one wins), @family when
 * none is given or when invoked under an iptables name (where -6 is an
 * error, as in iptables).
 */
uint8_t parse_family(int argc, char **argv, uint8_t family);

/*
 * parse_argv, but -s/-d with several addresses are allowed: @cmd->rule
 * gets the first (source, destination) pair, *@more (malloc()ed, NULL if
 * none) one rule per further pair, source-major as iptables-nft orders
 * them.  The caller frees each with rule_free() and the array.
 */
struct markctl_ctx;
struct rule_cmd;
struct rule;
void parse_argv_multi(struct markctl_ctx *ctx, int argc, char **argv,
		      struct rule_cmd *cmd, struct rule ***more,
		      unsigned int *nmore);

/* iptables -h (also iptables-translate -h): usage naming util_progname(),
 * the options, then the help of each extension @rule loaded (may be
 * NULL), on stdout. */
void cmd_iptables_help(const struct rule *rule);

/* Keeps a match libxtables cloned for a second use of one match in a
 * rule until plugins_release(): rules point at it. */
void plugins_adopt_clone(struct xtables_match *m);

#endif
