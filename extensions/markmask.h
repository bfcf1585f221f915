/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the four mark extensions share: the five ways MARK and CONNMARK set
 * a mark, folded into one (mark, mask) pair (new = (old & ~mask) ^ mark),
 * and the "[!] --mark value[/mask]" of the mark and connmark matches, whose
 * revision-1 structs have one layout.  Not an extension itself.
 */
#ifndef MARKCTL_MARKMASK_H
#define MARKCTL_MARKMASK_H

#include <stdbool.h>
#include <stdint.h>
#include <xtables.h>

/* Option ids of the set operations; a target's own ids follow them. */
enum {
	O_SET_XMARK = 0,
	O_SET_MARK,
	O_AND_MARK,
	O_OR_MARK,
	O_XOR_MARK,
	O_MARKMASK_END,
	F_MARKMASK_SET = (1 << O_SET_XMARK) | (1 << O_SET_MARK) |
			 (1 << O_AND_MARK) | (1 << O_OR_MARK) |
			 (1 << O_XOR_MARK),
};

/* The set options' entries, each excluding @excluded.  Table order decides
 * which name comes first in "cannot be used together". */
#define MARKMASK_TG_OPTS(excluded) \
	{.name = "set-xmark", .id = O_SET_XMARK, .type = XTTYPE_MARKMASK32, \
	 .excl = (excluded)}, \
	{.name = "set-mark", .id = O_SET_MARK, .type = XTTYPE_MARKMASK32, \
	 .excl = (excluded)}, \
	{.name = "and-mark", .id = O_AND_MARK, .type = XTTYPE_UINT32, \
	 .excl = (excluded)}, \
	{.name = "or-mark", .id = O_OR_MARK, .type = XTTYPE_UINT32, \
	 .excl = (excluded)}, \
	{.name = "xor-mark", .id = O_XOR_MARK, .type = XTTYPE_UINT32, \
	 .excl = (excluded)}

/* Folds a parsed set option into *mark, *mask; false for other options. */
bool markmask_tg_fold(const struct xt_option_call *cb, uint32_t *mark,
		      uint32_t *mask);
/* -L form " NAME and|or|xor|set|xset ...": the simplest equal operation. */
void markmask_tg_print(const char *name, uint32_t mark, uint32_t mask);

extern const struct xt_option_entry markmask_mt_opts[];
void markmask_mt_parse(struct xt_option_call *cb);
void markmask_mt_save(const void *ip, const struct xt_entry_match *match);
/* @key: the nft expression compared ("mark", "ct mark"). */
int markmask_mt_xlate(struct xt_xlate *xl, const char *key,
		      const struct xt_entry_match *match);

#endif
