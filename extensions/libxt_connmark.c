// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connmark match, revision 1: (ctmark & mask) == value, optionally
 * inverted.  Sent to the kernel as an nft_compat match.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_connmark.h>

#include "extensions.h"

enum {
	O_MARK = 0,
};

static const struct xt_option_entry connmark_mt_opts[] = {
	{.name = "mark", .id = O_MARK, .type = XTTYPE_MARKMASK32,
	 .flags = XTOPT_MAND | XTOPT_INVERT},
	XTOPT_TABLEEND,
};

static void connmark_mt_help(void)
{
	printf(
"connmark match options:\n"
"[!] --mark value[/mask]    connections whose ctmark, ANDed with mask\n"
"                           (default 0xffffffff), equals value\n");
}

static void connmark_mt_parse(struct xt_option_call *cb)
{
	struct xt_connmark_mtinfo1 *info = cb->data;

	xtables_option_parse(cb);
	switch (cb->entry->id) {
	case O_MARK:
		info->mark = cb->val.mark;
		info->mask = cb->val.mask;
		info->invert = cb->invert;
		break;
	}
}

/* One form for -L and -S: " 0xV[/0xM]". */
static void connmark_mt_print_value(const struct xt_connmark_mtinfo1 *info)
{
	xtables_print_mark_mask(info->mark, info->mask);
}

/* "connmark match " then "!" or nothing: two spaces when not inverted. */
static void connmark_mt_print(const void *ip __attribute__((unused)),
			      const struct xt_entry_match *match,
			      int numeric __attribute__((unused)))
{
	const struct xt_connmark_mtinfo1 *info = (const void *)match->data;

	printf(" connmark match %s", info->invert ? "!" : "");
	connmark_mt_print_value(info);
}

static void connmark_mt_save(const void *ip __attribute__((unused)),
			     const struct xt_entry_match *match)
{
	const struct xt_connmark_mtinfo1 *info = (const void *)match->data;

	printf("%s --mark", info->invert ? " !" : "");
	connmark_mt_print_value(info);
}

static int connmark_mt_xlate(struct xt_xlate *xl,
			     const struct xt_xlate_mt_params *params)
{
	const struct xt_connmark_mtinfo1 *info =
		(const void *)params->match->data;
	const char *op = info->invert ? "!=" : "==";

	if (info->mask != UINT32_MAX)
		xt_xlate_add(xl, "ct mark and 0x%x %s 0x%x", info->mask, op,
			     info->mark);
	else	/* nft's implicit comparison is equality */
		xt_xlate_add(xl, "ct mark %s0x%x", info->invert ? "!= " : "",
			     info->mark);
	return 1;
}

static struct xtables_match connmark_mt_reg = {
	.version	= XTABLES_VERSION,
	.name		= "connmark",
	.revision	= 1,
	.family		= NFPROTO_UNSPEC,
	.size		= XT_ALIGN(sizeof(struct xt_connmark_mtinfo1)),
	.userspacesize	= XT_ALIGN(sizeof(struct xt_connmark_mtinfo1)),
	.help		= connmark_mt_help,
	.print		= connmark_mt_print,
	.save		= connmark_mt_save,
	.x6_parse	= connmark_mt_parse,
	.x6_options	= connmark_mt_opts,
	.xlate		= connmark_mt_xlate,
};

void libxt_connmark_init(void)
{
	xtables_register_match(&connmark_mt_reg);
}
