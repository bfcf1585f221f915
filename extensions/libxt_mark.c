// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark match, revision 1: (nfmark & mask) == value, optionally inverted.
 * iptables-nft turns it into native meta/bitwise/cmp expressions; the
 * struct here is what those decode back to.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_mark.h>

#include "extensions.h"

enum {
	O_MARK = 0,
};

static const struct xt_option_entry mark_mt_opts[] = {
	{.name = "mark", .id = O_MARK, .type = XTTYPE_MARKMASK32,
	 .flags = XTOPT_MAND | XTOPT_INVERT},
	XTOPT_TABLEEND,
};

static void mark_mt_help(void)
{
	printf(
"mark match options:\n"
"[!] --mark value[/mask]    packets whose nfmark, ANDed with mask\n"
"                           (default 0xffffffff), equals value\n");
}

static void mark_mt_parse(struct xt_option_call *cb)
{
	struct xt_mark_mtinfo1 *info = cb->data;

	xtables_option_parse(cb);
	switch (cb->entry->id) {
	case O_MARK:
		info->mark = cb->val.mark;
		info->mask = cb->val.mask;
		info->invert = cb->invert;
		break;
	}
}

/* One form for -L and -S: " [!]" is the caller's, then " 0xV[/0xM]". */
static void mark_mt_print_value(const struct xt_mark_mtinfo1 *info)
{
	xtables_print_mark_mask(info->mark, info->mask);
}

static void mark_mt_print(const void *ip __attribute__((unused)),
			  const struct xt_entry_match *match,
			  int numeric __attribute__((unused)))
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;

	printf(" mark match%s", info->invert ? " !" : "");
	mark_mt_print_value(info);
}

static void mark_mt_save(const void *ip __attribute__((unused)),
			 const struct xt_entry_match *match)
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;

	printf("%s --mark", info->invert ? " !" : "");
	mark_mt_print_value(info);
}

static int mark_mt_xlate(struct xt_xlate *xl,
			 const struct xt_xlate_mt_params *params)
{
	const struct xt_mark_mtinfo1 *info = (const void *)params->match->data;
	const char *op = info->invert ? "!=" : "==";

	if (info->mask != UINT32_MAX)
		xt_xlate_add(xl, "mark and 0x%x %s 0x%x", info->mask, op,
			     info->mark);
	else	/* nft's implicit comparison is equality */
		xt_xlate_add(xl, "mark %s0x%x", info->invert ? "!= " : "",
			     info->mark);
	return 1;
}

static struct xtables_match mark_mt_reg = {
	.version	= XTABLES_VERSION,
	.name		= "mark",
	.revision	= 1,
	.family		= NFPROTO_UNSPEC,
	.size		= XT_ALIGN(sizeof(struct xt_mark_mtinfo1)),
	.userspacesize	= XT_ALIGN(sizeof(struct xt_mark_mtinfo1)),
	.help		= mark_mt_help,
	.print		= mark_mt_print,
	.save		= mark_mt_save,
	.x6_parse	= mark_mt_parse,
	.x6_options	= mark_mt_opts,
	.xlate		= mark_mt_xlate,
};

void libxt_mark_init(void)
{
	xtables_register_match(&mark_mt_reg);
}
