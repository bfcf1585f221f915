/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the four mark extensions share: the five ways MARK and CONNMARK set
 * a mark, folded into one (mark, mask) pair (new = (old & ~mask) ^ mark),
 * and the "[!] --mark value[/mask]" of the mark and connmark matches, whose
 * revision-1 structs have one layout.  Not an extension itself.
 *
 * Every mark option takes a number, read exactly as libxtables reads
 * XTTYPE_MARKMASK32 / XTTYPE_UINT32 (same messages), or else a field
 * expression of the mark layout (layout.h), which is only then loaded.
 * With --names, listings show field expressions where they fit.
 */
#ifndef MARKCTL_MARKMASK_H
#define MARKCTL_MARKMASK_H

#include <stdbool.h>
#include <stdint.h>
#include <xtables.h>

#include "layout.h"

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
 * which name comes first in "cannot be used together".  Strings: the
 * values are read by markmask_tg_fold(). */
#define MARKMASK_TG_OPTS(excluded) \
	{.name = "set-xmark", .id = O_SET_XMARK, .type = XTTYPE_STRING, \
	 .excl = (excluded)}, \
	{.name = "set-mark", .id = O_SET_MARK, .type = XTTYPE_STRING, \
	 .excl = (excluded)}, \
	{.name = "and-mark", .id = O_AND_MARK, .type = XTTYPE_STRING, \
	 .excl = (excluded)}, \
	{.name = "or-mark", .id = O_OR_MARK, .type = XTTYPE_STRING, \
	 .excl = (excluded)}, \
	{.name = "xor-mark", .id = O_XOR_MARK, .type = XTTYPE_STRING, \
	 .excl = (excluded)}

/* Reads a set option's value and folds it into *mark, *mask; false for
 * other options.  Exits with the option's message on a bad value. */
bool markmask_tg_fold(const struct xt_option_call *cb, uint32_t *mark,
		      uint32_t *mask);
/* A mask option's value (--mask, --nfmask, --ctmask): a number as
 * XTTYPE_UINT32 reads it, or field names. */
uint32_t markmask_parse_mask(const struct xt_option_call *cb);
/* -L form " NAME and|or|xor|set|xset ...": the simplest equal operation;
 * @word is the mark it changes. */
void markmask_tg_print(const char *name, enum layout_word word, uint32_t mark,
		       uint32_t mask);

/*
 * Text of a number for listings: "0x%x", or with --names its field
 * names where they fit.  @buf holds MARKMASK_TEXT bytes.
 */
#define MARKMASK_TEXT	256
/* "0xV/0xM" (-S of the targets) */
const char *markmask_text_xmark(char *buf, enum layout_word word,
				uint32_t mark, uint32_t mask);
/* "0xV" or "0xV/0xM" when mask is not ~0 (matches) */
const char *markmask_text_match(char *buf, enum layout_word word,
				uint32_t mark, uint32_t mask);
const char *markmask_text_mask(char *buf, enum layout_word word, uint32_t mask);
const char *markmask_text_bits(char *buf, enum layout_word word, uint32_t bits);

extern const struct xt_option_entry markmask_mt_opts[];
void markmask_mt_parse(struct xt_option_call *cb);
void markmask_mt_save(const void *ip, const struct xt_entry_match *match);
/* The mark @match reads: packet (mark) or conntrack (connmark). */
enum layout_word markmask_mt_word(const struct xt_entry_match *match);
/* @key: the nft expression compared ("mark", "ct mark"). */
int markmask_mt_xlate(struct xt_xlate *xl, const char *key,
		      const struct xt_entry_match *match);

#endif
