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

enum {
	O_SET_XMARK = 0,
	O_SET_MARK,
	O_AND_MARK,
	O_OR_MARK,
	O_XOR_MARK,
	F_ANY = (1 << O_SET_XMARK) | (1 << O_SET_MARK) | (1 << O_AND_MARK) |
		(1 << O_OR_MARK) | (1 << O_XOR_MARK),
};

/* Table order decides which name comes first in "cannot be used together". */
static const struct xt_option_entry mark_tg_opts[] = {
	{.name = "set-xmark", .id = O_SET_XMARK, .type = XTTYPE_MARKMASK32,
	 .excl = F_ANY},
	{.name = "set-mark", .id = O_SET_MARK, .type = XTTYPE_MARKMASK32,
	 .excl = F_ANY},
	{.name = "and-mark", .id = O_AND_MARK, .type = XTTYPE_UINT32,
	 .excl = F_ANY},
	{.name = "or-mark", .id = O_OR_MARK, .type = XTTYPE_UINT32,
	 .excl = F_ANY},
	{.name = "xor-mark", .id = O_XOR_MARK, .type = XTTYPE_UINT32,
	 .excl = F_ANY},
	XTOPT_TABLEEND,
};

static void mark_tg_help(void)
{
	printf(
"MARK target options (nfmark = (nfmark & ~mask) ^ value):\n"
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
	switch (cb->entry->id) {
	case O_SET_XMARK:
		info->mark = cb->val.mark;
		info->mask = cb->val.mask;
		break;
	case O_SET_MARK:	/* bits of value outside mask are set too */
		info->mark = cb->val.mark;
		info->mask = cb->val.mark | cb->val.mask;
		break;
	case O_AND_MARK:
		info->mark = 0;
		info->mask = ~cb->val.u32;
		break;
	case O_OR_MARK:
		info->mark = cb->val.u32;
		info->mask = cb->val.u32;
		break;
	case O_XOR_MARK:
		info->mark = cb->val.u32;
		info->mask = 0;
		break;
	}
}

/* Conflicts are left to libxtables' .excl check, which runs after this. */
static void mark_tg_check(struct xt_fcheck_call *cb)
{
	if (cb->xflags == 0)
		xtables_error(PARAMETER_PROBLEM,
			      "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
}

static void mark_tg_print_pair(const char *prefix, uint32_t mark, uint32_t mask)
{
	printf("%s0x%x/0x%x", prefix, mark, mask);
}

/* -L names the simplest operation with the same effect. */
static void mark_tg_print(const void *ip __attribute__((unused)),
			  const struct xt_entry_target *target,
			  int numeric __attribute__((unused)))
{
	const struct xt_mark_tginfo2 *info = (const void *)target->data;

	if (info->mark == 0)
		printf(" MARK and 0x%x", ~info->mask);
	else if (info->mark == info->mask)
		printf(" MARK or 0x%x", info->mark);
	else if (info->mask == 0)
		printf(" MARK xor 0x%x", info->mark);
	else if (info->mask == UINT32_MAX)
		printf(" MARK set 0x%x", info->mark);
	else
		mark_tg_print_pair(" MARK xset ", info->mark, info->mask);
}

static void mark_tg_save(const void *ip __attribute__((unused)),
			 const struct xt_entry_target *target)
{
	const struct xt_mark_tginfo2 *info = (const void *)target->data;

	mark_tg_print_pair(" --set-xmark ", info->mark, info->mask);
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
