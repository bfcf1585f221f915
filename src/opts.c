// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "msg.h"
#include "opts.h"

#define OPTS_MAX 32

static const struct opt *opt_by_letter(const struct opt *opts, int letter)
{
	for (; opts->name; opts++)
		if (opts->letter == letter)
			return opts;
	return NULL;
}

/* getopt's short option string and long table of the options @dropin
 * accepts.  Arguments of OPT_WORD options are looked at by hand. */
static void opts_tables(const struct opt *opts, bool dropin, char *shorts,
			struct option *longs)
{
	unsigned int face = dropin ? OPT_DROPIN : OPT_OWN;
	size_t n = 0;

	for (; opts->name; opts++) {
		bool long_only = dropin && (opts->faces & OPT_DROPIN_LONG);

		if (!(opts->faces & face) && !long_only)
			continue;
		if (n == OPTS_MAX)
			abort();	/* the table outgrew the parser */
		longs[n++] = (struct option){
			opts->name,
			opts->kind == OPT_WORD ? optional_argument :
						 opts->has_arg,
			NULL, opts->letter,
		};
		if (long_only || opts->letter > 0xff)
			continue;	/* long name only */
		*shorts++ = opts->letter;
		if (opts->has_arg == required_argument)
			*shorts++ = ':';
	}
	*shorts = '\0';
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
}

static void opt_apply(const struct opt *o, void *state, const char *arg,
		      int argc, char **argv)
{
	char *base = state;

	switch (o->kind) {
	case OPT_FLAG:
		*(unsigned int *)(base + o->offset) |= o->bit;
		break;
	case OPT_STRING:
		*(const char **)(base + o->offset) = arg;
		break;
	case OPT_WORD:
		if (!arg && optind < argc && argv[optind][0] != '-' &&
		    argv[optind][0] != '!')
			optind++;
		break;
	case OPT_CALL:
		o->call(state, arg);
		break;
	case OPT_IGNORE:
		break;
	}
}

void opts_parse(const struct opt *opts, bool dropin, int argc, char **argv,
		void *state, void (*unknown)(void *state))
{
	struct option longs[OPTS_MAX + 1];
	char shorts[2 * OPTS_MAX + 1];
	int c;

	opts_tables(opts, dropin, shorts, longs);
	optind = 1;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opt *o = c == '?' || c == ':' ? NULL :
				      opt_by_letter(opts, c);

		if (!o) {
			unknown(state);
			continue;
		}
		opt_apply(o, state, optarg, argc, argv);
	}
}
