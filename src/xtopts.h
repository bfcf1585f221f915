/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The getopt table libxtables extends with the options of the extensions
 * a command line loads, kept between the lines of a restore.  Works on
 * libxtables' globals (xt_params), whose orig_opts are the CLI's own.
 */
#ifndef MARKCTL_XTOPTS_H
#define MARKCTL_XTOPTS_H

#include <getopt.h>
#include <xtables.h>

/* The table to give getopt_long: the same options as xt_params->opts,
 * in a quicker order to look names up. */
struct option *xtopts_getopt_table(void);
/* Back to the base options, before parsing a command. */
void xtopts_reset(void);
/* Adds an extension's options (either kind) to the getopt table and sets
 * *@offset to their option_offset, as xtables_options_xfrm() does. */
void xtopts_merge(unsigned int *offset, const struct xt_option_entry *x6,
		  const struct option *extra);
/* Frees the kept tables. */
void xtopts_release(void);

#endif
