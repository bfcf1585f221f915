// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connmark match, revision 1: (ctmark & mask) == value, optionally
 * inverted.  Sent to the kernel as an nft_compat match.
 */
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_connmark.h>

#include "extensions.h"
#include "markmask.h"

static void connmark_mt_help(void)
{
	printf(
"connmark match options:\n"
"[!] --mark value[/mask]    connections whose ctmark, ANDed with mask\n"
"                           (default 0xffffffff), equals value; or a field\n"
"                           expression of the mark layout (route=isp2,vpn)\n");
}

/* "connmark match " then "!" or nothing: two spaces when not inverted. */
static void connmark_mt_print(const void *ip __attribute__((unused)),
			      const struct xt_entry_match *match,
			      int numeric __attribute__((unused)))
{
	const struct xt_connmark_mtinfo1 *info = (const void *)match->data;
	char buf[MARKMASK_TEXT];

	printf(" connmark match %s", info->invert ? "!" : "");
	printf(" %s", markmask_text_match(buf, LAYOUT_CONNTRACK, info->mark,
					  info->mask));
}

static int connmark_mt_xlate(struct xt_xlate *xl,
			     const struct xt_xlate_mt_params *params)
{
	return markmask_mt_xlate(xl, "ct mark", params->match);
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
	.save		= markmask_mt_save,
	.x6_parse	= markmask_mt_parse,
	.x6_options	= markmask_mt_opts,
	.xlate		= connmark_mt_xlate,
};

void libxt_connmark_init(void)
{
	xtables_register_match(&connmark_mt_reg);
}
