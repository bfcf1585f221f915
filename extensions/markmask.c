// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by MARK, CONNMARK, mark and connmark (see markmask.h). */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
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

/* ---- values: libxtables' numbers, else field expressions ---- */

/* libxtables 1.8.9's messages for XTTYPE_MARKMASK32 and XTTYPE_UINT32,
 * byte for byte (the trailing newline makes iptables' blank line). */
static void __attribute__((noreturn))
bad_markmask(const struct xt_option_call *cb)
{
	xtables_error(PARAMETER_PROBLEM,
		      "%s: bad integer value for option \"--%s\", or out of range.\n",
		      cb->ext_name, cb->entry->name);
	__builtin_unreachable();
}

static void __attribute__((noreturn))
bad_u32(const struct xt_option_call *cb)
{
	xtables_error(PARAMETER_PROBLEM,
		      "%s: bad value for option \"--%s\", or out of range (%llu-%llu).\n",
		      cb->ext_name, cb->entry->name, 0ULL,
		      (unsigned long long)UINT32_MAX);
	__builtin_unreachable();
}

/*
 * The layout for a value that is no number: only words that start like a
 * name get that far, so "-1", "1x" and "" keep the numeric message; so
 * does any word while the layout names no field, except an expression
 * (with "="), which says why it was not understood.
 */
static const struct layout *names_for(const struct xt_option_call *cb,
				      void (*numeric_fail)(const struct xt_option_call *))
{
	const struct layout *l;

	if (!isalpha((unsigned char)cb->arg[0]) && cb->arg[0] != '_')
		numeric_fail(cb);
	l = layout_get();
	if (!layout_empty(l))
		return l;
	if (strchr(cb->arg, '='))
		xtables_error(PARAMETER_PROBLEM,
			      "%s: bad value \"%s\" for option \"--%s\": not a number, and no layout names fields (%s)",
			      cb->ext_name, cb->arg, cb->entry->name,
			      layout_path(l));
	numeric_fail(cb);
	return NULL;
}

static void __attribute__((noreturn))
bad_expr(const struct xt_option_call *cb, const char *why)
{
	xtables_error(PARAMETER_PROBLEM,
		      "%s: bad value \"%s\" for option \"--%s\": %s",
		      cb->ext_name, cb->arg, cb->entry->name, why);
	__builtin_unreachable();
}

/* "value[/mask]" (mask defaults to ~0), or a field expression. */
static void parse_markmask(const struct xt_option_call *cb, uint32_t *mark,
			   uint32_t *mask)
{
	unsigned int v, m = UINT32_MAX;
	const struct layout *l;
	char *end, err[256];

	if (xtables_strtoui(cb->arg, &end, &v, 0, UINT32_MAX)) {
		if (*end == '/' &&
		    !xtables_strtoui(end + 1, &end, &m, 0, UINT32_MAX))
			bad_markmask(cb);
		if (*end != '\0')
			xtables_error(PARAMETER_PROBLEM,
				      "%s: trailing garbage after value for option \"--%s\".\n",
				      cb->ext_name, cb->entry->name);
		*mark = v;
		*mask = m;
		return;
	}
	l = names_for(cb, bad_markmask);
	if (layout_parse_expr(l, cb->arg, mark, mask, err, sizeof(err)) < 0)
		bad_expr(cb, err);
}

/* A plain u32, or field bits (@mask_only: field names only). */
static uint32_t parse_u32(const struct xt_option_call *cb, bool mask_only)
{
	const struct layout *l;
	unsigned int v;
	uint32_t bits;
	char err[256];
	int ret;

	if (xtables_strtoui(cb->arg, NULL, &v, 0, UINT32_MAX))
		return v;
	l = names_for(cb, bad_u32);
	ret = mask_only ? layout_parse_mask(l, cb->arg, &bits, err, sizeof(err)) :
			  layout_parse_bits(l, cb->arg, &bits, err, sizeof(err));
	if (ret < 0)
		bad_expr(cb, err);
	return bits;
}

uint32_t markmask_parse_mask(const struct xt_option_call *cb)
{
	return parse_u32(cb, true);
}

bool markmask_tg_fold(const struct xt_option_call *cb, uint32_t *mark,
		      uint32_t *mask)
{
	uint32_t v, m;

	switch (cb->entry->id) {
	case O_SET_XMARK:
		parse_markmask(cb, mark, mask);
		return true;
	case O_SET_MARK:	/* bits of value outside mask are set too */
		parse_markmask(cb, &v, &m);
		*mark = v;
		*mask = v | m;
		return true;
	case O_AND_MARK:
		*mark = 0;
		*mask = ~parse_u32(cb, false);
		return true;
	case O_OR_MARK:
		*mark = *mask = parse_u32(cb, false);
		return true;
	case O_XOR_MARK:
		*mark = parse_u32(cb, false);
		*mask = 0;
		return true;
	}
	return false;
}

/* ---- numbers for listings, by name with --names ---- */

const char *markmask_text_xmark(char *buf, enum layout_word word,
				uint32_t mark, uint32_t mask)
{
	const struct layout *l = layout_names();

	if (!l || !layout_format_expr(l, word, mark, mask, buf, MARKMASK_TEXT))
		snprintf(buf, MARKMASK_TEXT, "0x%x/0x%x", mark, mask);
	return buf;
}

const char *markmask_text_match(char *buf, enum layout_word word,
				uint32_t mark, uint32_t mask)
{
	const struct layout *l = layout_names();

	if (l && layout_format_expr(l, word, mark, mask, buf, MARKMASK_TEXT))
		return buf;
	if (mask == UINT32_MAX)
		snprintf(buf, MARKMASK_TEXT, "0x%x", mark);
	else
		snprintf(buf, MARKMASK_TEXT, "0x%x/0x%x", mark, mask);
	return buf;
}

const char *markmask_text_mask(char *buf, enum layout_word word, uint32_t mask)
{
	const struct layout *l = layout_names();

	if (!l || !layout_format_mask(l, word, mask, buf, MARKMASK_TEXT))
		snprintf(buf, MARKMASK_TEXT, "0x%x", mask);
	return buf;
}

const char *markmask_text_bits(char *buf, enum layout_word word, uint32_t bits)
{
	const struct layout *l = layout_names();

	if (!l || !layout_format_bits(l, word, bits, buf, MARKMASK_TEXT))
		snprintf(buf, MARKMASK_TEXT, "0x%x", bits);
	return buf;
}

void markmask_tg_print(const char *name, enum layout_word word, uint32_t mark,
		       uint32_t mask)
{
	char buf[MARKMASK_TEXT];

	if (mark == 0)
		printf(" %s and %s", name, markmask_text_bits(buf, word, ~mask));
	else if (mark == mask)
		printf(" %s or %s", name, markmask_text_bits(buf, word, mark));
	else if (mask == 0)
		printf(" %s xor %s", name, markmask_text_bits(buf, word, mark));
	else if (mask == UINT32_MAX)
		printf(" %s set %s", name,
		       markmask_text_match(buf, word, mark, mask));
	else
		printf(" %s xset %s", name,
		       markmask_text_xmark(buf, word, mark, mask));
}

/* ---- the matches ---- */

const struct xt_option_entry markmask_mt_opts[] = {
	{.name = "mark", .id = 0, .type = XTTYPE_STRING,
	 .flags = XTOPT_MAND | XTOPT_INVERT},
	XTOPT_TABLEEND,
};

void markmask_mt_parse(struct xt_option_call *cb)
{
	struct xt_mark_mtinfo1 *info = cb->data;
	uint32_t mark, mask;

	xtables_option_parse(cb);
	parse_markmask(cb, &mark, &mask);
	info->mark = mark;
	info->mask = mask;
	info->invert = cb->invert;
}

/* The mark a match reads: connmark's is the conntrack entry's. */
enum layout_word markmask_mt_word(const struct xt_entry_match *match)
{
	return strcmp(match->u.user.name, "connmark") == 0 ?
	       LAYOUT_CONNTRACK : LAYOUT_PACKET;
}

void markmask_mt_save(const void *ip __attribute__((unused)),
		      const struct xt_entry_match *match)
{
	const struct xt_mark_mtinfo1 *info = (const void *)match->data;
	char buf[MARKMASK_TEXT];

	printf("%s --mark %s", info->invert ? " !" : "",
	       markmask_text_match(buf, markmask_mt_word(match), info->mark,
				   info->mask));
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
