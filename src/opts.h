/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Options of subcommands as a table (save, restore): long name, letter,
 * argument, which face of markctl accepts it (its drop-in names, its own
 * name), and what it does.  One parser reads argv with getopt_long.
 */
#ifndef MARKCTL_OPTS_H
#define MARKCTL_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <getopt.h>

enum opt_kind {
	OPT_FLAG,	/* sets @bit in the unsigned int at @offset */
	OPT_STRING,	/* stores the argument at @offset (const char *) */
	OPT_IGNORE,	/* accepted, does nothing */
	OPT_WORD,	/* accepted with an optional argument, given attached
			 * or as the next word unless it starts with '-' or
			 * '!' (iptables' -w [secs]); ignored */
	OPT_CALL,	/* @call(state, argument) */
};

/* Which invocations accept an option. */
enum opt_face {
	OPT_DROPIN	= 1 << 0,	/* iptables-save, iptables-restore, ... */
	OPT_OWN		= 1 << 1,	/* markctl save, markctl restore */
	OPT_BOTH	= OPT_DROPIN | OPT_OWN,
	/* under drop-in names, getopt knows the long name only (1.8.9's
	 * restore lists --ipv4 in its table, not -4 in its letters) */
	OPT_DROPIN_LONG	= 1 << 2,
};

/* Letters from here up stand for options without a short form, each
 * its own value. */
#define OPTS_LONG_ONLY	256

struct opt {
	const char *name;
	int letter;
	int has_arg;		/* no_argument, required_argument, ... */
	unsigned int faces;	/* enum opt_face */
	enum opt_kind kind;
	size_t offset;
	unsigned int bit;
	void (*call)(void *state, const char *arg);
};

#define OPTS_FLAG(n, l, f, type, field, b) \
	{ .name = n, .letter = l, .has_arg = no_argument, .faces = f, \
	  .kind = OPT_FLAG, .offset = offsetof(type, field), .bit = b }
#define OPTS_STRING(n, l, f, type, field) \
	{ .name = n, .letter = l, .has_arg = required_argument, .faces = f, \
	  .kind = OPT_STRING, .offset = offsetof(type, field) }
#define OPTS_CALL(n, l, a, f, fn) \
	{ .name = n, .letter = l, .has_arg = a, .faces = f, .kind = OPT_CALL, \
	  .call = fn }
#define OPTS_IGNORE(n, l, a, f) \
	{ .name = n, .letter = l, .has_arg = a, .faces = f, .kind = OPT_IGNORE }
#define OPTS_WORD(n, l, f) \
	{ .name = n, .letter = l, .has_arg = optional_argument, .faces = f, \
	  .kind = OPT_WORD }
#define OPTS_END { .name = NULL }

/**
 * opts_parse - read the options of argv
 * @opts: the table, ended by OPTS_END
 * @dropin: invoked under a drop-in name (else as markctl's own command)
 * @state: what OPT_FLAG, OPT_STRING and OPT_CALL write to
 * @unknown: called for an option of neither kind (getopt has printed its
 *	     message); it does not return
 *
 * Leaves optind at the first argument that is not an option.
 */
void opts_parse(const struct opt *opts, bool dropin, int argc, char **argv,
		void *state, void (*unknown)(void *state));

#endif
