// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by MARK, CONNMARK, mark and connmark (see markmask.h). */
#include <stddef.h>
#include <stdio.h>
#include <linux/netfilter/xt_connmark.h>
#include <linux/netfilter/xt_mark.h>

#include "markmask.h"

/* The match helpers read either struct as xt_mark_mtinfo1. */
_Static_assert(sizeof(struct xt_mark_mtinfo1) ==
	       sizeof(struct xt_connmark_mtinfo1) &&
	       offsetof(struct xt_mark_mtinfo1, mask) ==
	       offsetof(struct xt_connmark_mtinfo1, mask) &&
	       offsetof(struct xt_mark_mtinfo1, invert) ==
	       offsetof(struct xt_connmark_mtinfo1, invert),
	       "mark and connmark matches disagree on layout");

bool markmask_tg_fold(const struct xt_option_call *cb, uint32_t *mark,
		      uint32_t *mask)
{
	switch (cb->entry->id) {
	case O_SET_XMARK:
		*mark = cb->val.mark;
		*mask = cb->val.mask;
		return true;
	case O_SET_MARK:	/* bits of value outside mask are set too */
		*mark = cb->val.mark;
		*mask = cb->val.mark | cb->val.mask;
		return true;
	case O_AND_MARK:
		*mark = 0;
		*mask = ~cb->val.u32;
		return true;
	case O_OR_MARK:
		*mark = cb->val.u32;
		*mask = cb->val.u32;
		return true;
	case O_XOR_MARK:
		*mark = cb->val.u32;
		*mask = 0;
		return true;
	}
	return false;
}

void markmask_tg_print(const char *name, uint32_t mark, uint32_t mask)
{
	if (mark == 0)
		printf(" %s and 0x%x", name, ~mask);
	else if (mark == mask)
		printf(" %s or 0x%x", name, mark);
	else if (mask == 0)
		printf(" %s xor 0x%x", name, mark);
	else if (mask == UINT32_MAX)
		printf(" %s set 0x%x", name, mark);
	else
		printf(" %s xset 0x%x/0x%x", name, mark, mask);
}

const struct xt_option_entry markmask_mt_opts[] = {
	{.name = "mark", .id = 0, .type = XTTYPE_MARKMASK32,
	 .flags = XTOPT_MAND | XTOPT_INVERT},
	XTOPT_TABLEEND,
};

void markmask_mt_parse(struct xt_option_call *cb)
{
	struct xt_mark_mtinfo1 *info = cb->data;

	xtables_option_parse(cb);
	info->mark = cb->val.mark;
	info->mask = cb->val.mask;
	info->invert = cb->invert;
}

void markmask_mt_save(const void *ip __attribute__((unused)),
		      const struct xt_entry_match *match)
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;

	printf("%s --mark", info->invert ? " !" : "");
	xtables_print_mark_mask(info->mark, info->mask);
}

int markmask_mt_xlate(struct xt_xlate *xl, const char *key,
		      const struct xt_entry_match *match)
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;

	if (info->mask != UINT32_MAX)
		xt_xlate_add(xl, "%s and 0x%x %s 0x%x", key, info->mask,
			     info->invert ? "!=" : "==", info->mark);
	else	/* nft's implicit comparison is equality */
		xt_xlate_add(xl, "%s %s0x%x", key, info->invert ? "!= " : "",
			     info->mark);
	return 1;
}
