// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl layout [show]: the mark layout in its own file syntax, with the
 * bits of each field and what no field claims;
 * markctl layout value EXPR...: "0xVALUE/0xMASK" of field expressions, for
 * other tools (ip rule add fwmark $(markctl layout value route=isp2) ...).
 */
#include <stdio.h>
#include <string.h>
#include <xtables.h>

#include "cmd.h"
#include "layout.h"

static const char layout_usage[] =
"Usage: markctl [--layout FILE] layout [show]\n"
"       markctl [--layout FILE] layout value EXPR...\n"
"       markctl [--layout FILE] layout mask FIELD[,FIELD...]...\n"
"\n"
"  show    print the layout (default $MARKCTL_LAYOUT, else "
LAYOUT_DEFAULT_PATH ")\n"
"  value   print each field expression (route=isp2,vpn) as 0xVALUE/0xMASK\n"
"  mask    print the mask of fields (route,vpn) as 0xMASK\n";

/* "bit 31", "bits 16-23", "bits 0-3,8-11" */
static void print_bits(uint32_t mask)
{
	const char *sep = "";

	printf(__builtin_popcount(mask) == 1 ? "bit " : "bits ");
	for (int lo = 0; lo < 32; lo++) {
		int hi = lo;

		if (!(mask & (1u << lo)))
			continue;
		while (hi < 31 && (mask & (1u << (hi + 1))))
			hi++;
		if (hi == lo)
			printf("%s%d", sep, lo);
		else
			printf("%s%d-%d", sep, lo, hi);
		sep = ",";
		lo = hi;
	}
}

/* Bits no field of exactly this word claims. */
static uint32_t unassigned(const struct layout *l, enum layout_word w)
{
	uint32_t m = 0;

	for (unsigned int i = 0; i < layout_nfields(l); i++)
		if (layout_field(l, i)->word & w)
			m |= layout_field(l, i)->mask;
	return ~m;
}

static int layout_show(const struct layout *l)
{
	unsigned int n = layout_nfields(l);

	printf("# layout %s: %u field%s\n", layout_path(l), n,
	       n == 1 ? "" : "s");
	for (unsigned int i = 0; i < n; i++) {
		const struct layout_field *f = layout_field(l, i);

		printf("field %s 0x%08x %s\t# ", f->name, f->mask,
		       layout_word_name(f->word));
		print_bits(f->mask);
		if (__builtin_popcount(f->mask) == 1)
			printf(", a flag\n");
		else
			printf(", values 0-%u\n", layout_field_max(f->mask));
		for (unsigned int j = 0; j < f->nvalues; j++)
			printf("  value %s %u\t# 0x%08x\n", f->values[j].name,
			       f->values[j].value,
			       layout_place(f->mask, f->values[j].value));
	}
	if (n)
		printf("# unassigned: packet 0x%08x, conntrack 0x%08x\n",
		       unassigned(l, LAYOUT_PACKET),
		       unassigned(l, LAYOUT_CONNTRACK));
	return 0;
}

/* Numbers pass through (normalised), as they do in mark options. */
static int layout_values(const struct layout *l, int argc, char **argv,
			 bool mask_only)
{
	char err[256];

	if (argc == 0) {
		fprintf(stderr, "markctl layout: %s needs an expression\n%s",
			mask_only ? "mask" : "value", layout_usage);
		return PARAMETER_PROBLEM;
	}
	for (int i = 0; i < argc; i++) {
		uint32_t v, m;
		int ret;

		if (mask_only) {
			ret = layout_parse_number(argv[i], &m, &v) == 0 &&
			      v == UINT32_MAX ? 0 :
			      layout_parse_mask(l, argv[i], &m, err,
						sizeof(err));
			if (ret == 0)
				printf("0x%x\n", m);
		} else {
			ret = layout_parse_number(argv[i], &v, &m) == 0 ? 0 :
			      layout_parse_expr(l, argv[i], &v, &m, err,
						sizeof(err));
			if (ret == 0)
				printf("0x%x/0x%x\n", v, m);
		}
		if (ret < 0 && layout_empty(l))
			snprintf(err, sizeof(err), "no layout names fields (%s)",
				 layout_path(l));
		if (ret < 0) {
			fflush(stdout);
			fprintf(stderr, "markctl layout: bad %s \"%s\": %s\n",
				mask_only ? "mask" : "expression", argv[i], err);
			return PARAMETER_PROBLEM;
		}
	}
	return 0;
}

int cmd_layout(struct markctl_ctx *ctx, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "show";

	(void)ctx;
	if (!strcmp(what, "-h") || !strcmp(what, "--help")) {
		fputs(layout_usage, stdout);
		return 0;
	}
	if (!strcmp(what, "show") && argc <= 2)
		return layout_show(layout_get());
	if (!strcmp(what, "value"))
		return layout_values(layout_get(), argc - 2, argv + 2, false);
	if (!strcmp(what, "mask"))
		return layout_values(layout_get(), argc - 2, argv + 2, true);
	fprintf(stderr, "markctl layout: unknown command \"%s\"\n%s", what,
		layout_usage);
	return PARAMETER_PROBLEM;
}
