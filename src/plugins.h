/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libxtables set-up: globals, our extensions first, the host's plugins after. */
#ifndef MARKCTL_PLUGINS_H
#define MARKCTL_PLUGINS_H

#include <stdint.h>
#include <getopt.h>
#include <xtables.h>

struct markctl_ctx;

/*
 * Initialises libxtables for @family (NFPROTO_IPV4/IPV6) with util_die as
 * exit_err, registers markctl's extensions, and routes revision queries
 * to the context's backend (opened lazily; without a kernel connection, as
 * for translate, every revision counts as supported).
 */
void plugins_init(struct markctl_ctx *ctx, uint8_t family);
void plugins_release(void);

/* The getopt table libxtables extends with extension options. */
struct xtables_globals *plugins_globals(void);

/* The table to give getopt_long: the same options as
 * plugins_globals()->opts, in a quicker order to look names up. */
struct option *plugins_getopt_table(void);
/* Back to the base options, before parsing a command. */
void plugins_reset_options(void);
/* Adds an extension's options (either kind) to the getopt table and sets
 * *@offset to their option_offset, as xtables_options_xfrm() does. */
void plugins_merge_options(unsigned int *offset,
			   const struct xt_option_entry *x6,
			   const struct option *extra);

#endif
