// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MARK target, revision 2 (the only one kernels since 2.6.36 offer):
 * nfmark = (nfmark & ~mask) ^ mark.  Every option is folded into that
 * (mark, mask) pair, so -S always shows --set-xmark.
 */
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_mark.h>

#include "extensions.h"
#include "markmask.h"

static const struct xt_option_entry mark_tg_opts[] = {
	MARKMASK_TG_OPTS(F_MARKMASK_SET),
	XTOPT_TABLEEND,
};

static void mark_tg_help(void)
{
	printf(
"MARK target options (nfmark = (nfmark & ~mask) ^ value; a value or mask\n"
"may also be a field expression of the mark layout, e.g. route=isp2,vpn):\n"
"  --set-xmark value[/mask]  clear the bits of mask, then XOR value in\n"
"                            (mask defaults to 0xffffffff)\n"
"  --set-mark value[/mask]   clear the bits of mask, then set value\n"
"  --and-mark bits           AND the nfmark with bits\n"
"  --or-mark bits            OR bits into the nfmark\n"
"  --xor-mark bits           XOR bits into the nfmark\n");
}

static void mark_tg_parse(struct xt_option_call *cb)
{
	struct xt_mark_tginfo2 *info = cb->data;

	xtables_option_parse(cb);
	markmask_tg_fold(cb, &info->mark, &info->mask);
}

/* Conflicts are left to libxtables' .excl check, which runs after this. */
static void mark_tg_check(struct xt_fcheck_call *cb)
{
	if (cb->xflags == 0)
		xtables_error(PARAMETER_PROBLEM,
			      "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
}

/* -L names the simplest operation with the same effect. */
static void mark_tg_print(const void *ip __attribute__((unused)),
			  const struct xt_entry_target *target,
			  int numeric __attribute__((unused)))
{
	const struct xt_mark_tginfo2 *info = (const void *)target->data;

	markmask_tg_print("MARK", LAYOUT_PACKET, info->mark, info->mask);
}

static void mark_tg_save(const void *ip __attribute__((unused)),
			 const struct xt_entry_target *target)
{
	const struct xt_mark_tginfo2 *info = (const void *)target->data;
	char buf[MARKMASK_TEXT];

	printf(" --set-xmark %s", markmask_text_xmark(buf, LAYOUT_PACKET,
						      info->mark, info->mask));
}

/* iptables-translate checks a full mask first, unlike -L; each form ends
 * in a space, which shows as two before a trailing comment. */
static int mark_tg_xlate(struct xt_xlate *xl,
			 const struct xt_xlate_tg_params *params)
{
	const struct xt_mark_tginfo2 *info = (const void *)params->target->data;

	if (info->mask == UINT32_MAX)
		xt_xlate_add(xl, "meta mark set 0x%x ", info->mark);
	else if (info->mark == 0)
		xt_xlate_add(xl, "meta mark set mark and 0x%x ", ~info->mask);
	else if (info->mark == info->mask)
		xt_xlate_add(xl, "meta mark set mark or 0x%x ", info->mark);
	else if (info->mask == 0)
		xt_xlate_add(xl, "meta mark set mark xor 0x%x ", info->mark);
	else
		xt_xlate_add(xl, "meta mark set mark and 0x%x xor 0x%x ",
			     ~info->mask, info->mark);
	return 1;
}

static struct xtables_target mark_tg_reg = {
	.version	= XTABLES_VERSION,
	.name		= "MARK",
	.revision	= 2,
	.family		= NFPROTO_UNSPEC,
	.size		= XT_ALIGN(sizeof(struct xt_mark_tginfo2)),
	.userspacesize	= XT_ALIGN(sizeof(struct xt_mark_tginfo2)),
	.help		= mark_tg_help,
	.print		= mark_tg_print,
	.save		= mark_tg_save,
	.x6_parse	= mark_tg_parse,
	.x6_fcheck	= mark_tg_check,
	.x6_options	= mark_tg_opts,
	.xlate		= mark_tg_xlate,
};

void libxt_MARK_init(void)
{
	xtables_register_target(&mark_tg_reg);
}
