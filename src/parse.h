/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iptables command line -> struct rule_cmd (src/parse.c). */
#ifndef MARKCTL_PARSE_H
#define MARKCTL_PARSE_H

#include <getopt.h>

#include "cmd.h"
#include "rule.h"

/*
 * Parses iptables options (argv[0] is the program name) into @cmd, which
 * the caller has rule_cmd_init()ed.  A parameter problem exits through
 * msg_die(PARAMETER_PROBLEM, ...) with iptables' message; nothing has
 * reached the kernel by then.
 */
void parse_argv(struct markctl_ctx *ctx, int argc, char **argv,
		struct rule_cmd *cmd);

/* The rules of -s/-d a,b beyond the first (source, destination) pair,
 * source-major as iptables-nft orders them. */
struct rule_pairs {
	struct rule **more;		/* malloc()ed, NULL if none */
	unsigned int nmore;
	unsigned int ndst;		/* destinations per source */
};

/*
 * parse_argv, but -s/-d with several addresses are allowed: @cmd->rule
 * gets the first (source, destination) pair, @pairs the others; release
 * them with rule_pairs_release().
 */
void parse_argv_pairs(struct markctl_ctx *ctx, int argc, char **argv,
		      struct rule_cmd *cmd, struct rule_pairs *pairs);
void rule_pairs_release(struct rule_pairs *pairs);

/*
 * Frees what a parse that ended in exit() held: called from inside an
 * exit() that does not end the process (tests/fuzz), while the parse's
 * frames still exist.  The caller releases @cmd and @pairs as usual.
 */
void parse_abandon(void);

/* The CLI's getopt table, the orig_opts libxtables extends. */
struct option *parse_getopt_options(void);

/*
 * The family markctl's -4/-6 select (the last one wins); ctx->family
 * when none is given, or under an iptables name, where -6 is iptables'
 * error and not a switch.
 */
uint8_t parse_family(const struct markctl_ctx *ctx, int argc, char **argv);

#endif
