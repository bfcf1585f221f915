// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark match, revision 1: (nfmark & mask) == value, optionally inverted.
 * iptables-nft turns it into native meta/bitwise/cmp expressions; the
 * struct here is what those decode back to.
 */
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_mark.h>

#include "extensions.h"
#include "markmask.h"

static void mark_mt_help(void)
{
	printf(
"mark match options:\n"
"[!] --mark value[/mask]    packets whose nfmark, ANDed with mask\n"
"                           (default 0xffffffff), equals value; or a field\n"
"                           expression of the mark layout (route=isp2,vpn)\n");
}

static void mark_mt_print(const void *ip __attribute__((unused)),
			  const struct xt_entry_match *match,
			  int numeric __attribute__((unused)))
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;
	char buf[MARKMASK_TEXT];

	printf(" mark match%s", info->invert ? " !" : "");
	printf(" %s", markmask_text_match(buf, LAYOUT_PACKET, info->mark,
					  info->mask));
}

static int mark_mt_xlate(struct xt_xlate *xl,
			 const struct xt_xlate_mt_params *params)
{
	return markmask_mt_xlate(xl, "mark", params->match);
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
	.save		= markmask_mt_save,
	.x6_parse	= markmask_mt_parse,
	.x6_options	= markmask_mt_opts,
	.xlate		= mark_mt_xlate,
};

void libxt_mark_init(void)
{
	xtables_register_match(&mark_mt_reg);
}
