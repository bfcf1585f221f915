/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libxtables set-up: globals, our extensions first, the host's plugins after. */
#ifndef MARKCTL_PLUGINS_H
#define MARKCTL_PLUGINS_H

#include <stdint.h>
#include <getopt.h>
#include <xtables.h>

struct markctl_ctx;

/*
 * Initialises libxtables for @family (NFPROTO_IPV4/IPV6) with msg_die as
 * exit_err and @orig_opts as the command line's own options, registers
 * markctl's extensions, and routes revision queries to the context's
 * backend (opened lazily; without a kernel connection, as for translate,
 * every revision counts as supported).
 */
void plugins_init(struct markctl_ctx *ctx, uint8_t family,
		  struct option *orig_opts);
void plugins_release(void);

/* Keeps a match libxtables cloned for a second use of one match in a
 * rule until plugins_release(): rules point at it. */
void plugins_adopt_clone(struct xtables_match *m);

#endif
