// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CONNMARK target, revisions 1 and 2.  Revision 2 is revision 1 plus a
 * shift of the result (--left-shift-mark, --right-shift-mark); the two
 * structs agree on ctmark/ctmask/nfmask but not on where mode sits.  Both
 * are read into one struct connmark_tg (by the revision in the blob),
 * which one set of callbacks works on for both revisions.
 *
 *   set:     ctmark = SH((ctmark & ~ctmask) ^ value)
 *   save:    ctmark = (ctmark & ~ctmask) ^ SH(nfmark & nfmask)
 *   restore: nfmark = (nfmark & ~nfmask) ^ SH(ctmark & ctmask)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter/xt_connmark.h>

#include "extensions.h"
#include "markmask.h"

enum {
	O_SAVE_MARK = O_MARKMASK_END,
	O_RESTORE_MARK,
	O_CTMASK,
	O_NFMASK,
	O_MASK,
	O_LEFT_SHIFT_MARK,
	O_RIGHT_SHIFT_MARK,
	F_CTMASK = 1 << O_CTMASK,
	F_NFMASK = 1 << O_NFMASK,
	F_MASK = 1 << O_MASK,
	F_OP_ANY = F_MARKMASK_SET | (1 << O_SAVE_MARK) | (1 << O_RESTORE_MARK),
};

/* Table order decides which name comes first in "cannot be used together". */
#define CONNMARK_TG_OPTS_V1 \
	MARKMASK_TG_OPTS(F_OP_ANY), \
	{.name = "save-mark", .id = O_SAVE_MARK, .type = XTTYPE_NONE, \
	 .excl = F_OP_ANY}, \
	{.name = "restore-mark", .id = O_RESTORE_MARK, .type = XTTYPE_NONE, \
	 .excl = F_OP_ANY}, \
	{.name = "ctmask", .id = O_CTMASK, .type = XTTYPE_STRING, \
	 .excl = F_MASK}, \
	{.name = "nfmask", .id = O_NFMASK, .type = XTTYPE_STRING, \
	 .excl = F_MASK}, \
	{.name = "mask", .id = O_MASK, .type = XTTYPE_STRING, \
	 .excl = F_CTMASK | F_NFMASK}

static const struct xt_option_entry connmark_tg_opts_v1[] = {
	CONNMARK_TG_OPTS_V1,
	XTOPT_TABLEEND,
};

/* The last shift option given wins; 32 passes here, the kernel refuses it. */
static const struct xt_option_entry connmark_tg_opts_v2[] = {
	CONNMARK_TG_OPTS_V1,
	{.name = "left-shift-mark", .id = O_LEFT_SHIFT_MARK,
	 .type = XTTYPE_UINT8, .min = 0, .max = 32},
	{.name = "right-shift-mark", .id = O_RIGHT_SHIFT_MARK,
	 .type = XTTYPE_UINT8, .min = 0, .max = 32},
	XTOPT_TABLEEND,
};

/* Both revisions as one value; revision 1 never shifts. */
struct connmark_tg {
	uint32_t ctmark, ctmask, nfmask;
	uint8_t mode, shift_dir, shift_bits;
};

/* Masks default to all bits for --save-mark/--restore-mark. */
static const struct connmark_tg connmark_tg_default = {
	.ctmask = UINT32_MAX,
	.nfmask = UINT32_MAX,
	.mode = XT_CONNMARK_SET,
	.shift_dir = D_SHIFT_LEFT,
};

/* The revision decides where mode sits and whether there is a shift. */
static struct connmark_tg connmark_tg_get(const struct xt_entry_target *t)
{
	if (t->u.user.revision == 1) {
		const struct xt_connmark_tginfo1 *info = (const void *)t->data;

		return (struct connmark_tg){
			.ctmark = info->ctmark, .ctmask = info->ctmask,
			.nfmask = info->nfmask, .mode = info->mode,
		};
	}
	const struct xt_connmark_tginfo2 *info = (const void *)t->data;

	return (struct connmark_tg){
		.ctmark = info->ctmark, .ctmask = info->ctmask,
		.nfmask = info->nfmask, .mode = info->mode,
		.shift_dir = info->shift_dir, .shift_bits = info->shift_bits,
	};
}

static void connmark_tg_put(struct xt_entry_target *t,
			    const struct connmark_tg *op)
{
	if (t->u.user.revision == 1) {
		struct xt_connmark_tginfo1 *info = (void *)t->data;

		info->ctmark = op->ctmark;
		info->ctmask = op->ctmask;
		info->nfmask = op->nfmask;
		info->mode = op->mode;
		return;
	}
	struct xt_connmark_tginfo2 *info = (void *)t->data;

	info->ctmark = op->ctmark;
	info->ctmask = op->ctmask;
	info->nfmask = op->nfmask;
	info->mode = op->mode;
	info->shift_dir = op->shift_dir;
	info->shift_bits = op->shift_bits;
}

static void connmark_tg_help_v1(void)
{
	printf(
"CONNMARK target options:\n"
"  --set-xmark value[/ctmask]   clear the bits of ctmask in the ctmark,\n"
"                               then XOR value in (ctmask defaults to all)\n"
"  --set-mark value[/mask]      clear the bits of mask, then set value\n"
"  --and-mark bits              AND the ctmark with bits\n"
"  --or-mark bits               OR bits into the ctmark\n"
"  --xor-mark bits              XOR bits into the ctmark\n"
"  --save-mark [--ctmask mask] [--nfmask mask]\n"
"                               copy the nfmark bits of nfmask to the\n"
"                               ctmark, replacing the bits of ctmask\n"
"  --restore-mark [--ctmask mask] [--nfmask mask]\n"
"                               copy the ctmark bits of ctmask to the\n"
"                               nfmark, replacing the bits of nfmask\n"
"  --mask mask                  same as --ctmask mask --nfmask mask\n");
}

static void connmark_tg_help_v2(void)
{
	connmark_tg_help_v1();
	printf(
"  --left-shift-mark bits       shift the copied or set value left\n"
"  --right-shift-mark bits      shift the copied or set value right\n");
}

/* Folds one option into @op. */
static void connmark_tg_apply(const struct xt_option_call *cb,
			      struct connmark_tg *op)
{
	if (markmask_tg_fold(cb, &op->ctmark, &op->ctmask)) {
		op->mode = XT_CONNMARK_SET;
		return;
	}
	switch (cb->entry->id) {
	case O_SAVE_MARK:
		op->mode = XT_CONNMARK_SAVE;
		break;
	case O_RESTORE_MARK:
		op->mode = XT_CONNMARK_RESTORE;
		break;
	case O_CTMASK:
		op->ctmask = markmask_parse_mask(cb);
		break;
	case O_NFMASK:
		op->nfmask = markmask_parse_mask(cb);
		break;
	case O_MASK:
		op->ctmask = op->nfmask = markmask_parse_mask(cb);
		break;
	case O_LEFT_SHIFT_MARK:
		op->shift_dir = D_SHIFT_LEFT;
		op->shift_bits = cb->val.u8;
		break;
	case O_RIGHT_SHIFT_MARK:
		op->shift_dir = D_SHIFT_RIGHT;
		op->shift_bits = cb->val.u8;
		break;
	}
}

static void connmark_tg_check(struct xt_fcheck_call *cb)
{
	if (!(cb->xflags & F_OP_ANY))
		xtables_error(PARAMETER_PROBLEM,
			      "CONNMARK target: No operation specified");
}

/*
 * The copy modes as -L shows them: source and destination mask, by name.
 * save copies nfmark bits (nfmask) over ctmark bits (ctmask); restore the
 * other way round.
 */
struct connmark_tg_copy {
	const char *name;
	const char *src_name, *dst_name;
};

static const struct connmark_tg_copy connmark_tg_copies[] = {
	[XT_CONNMARK_SAVE]	= { "save", "nfmask", "ctmask" },
	[XT_CONNMARK_RESTORE]	= { "restore", "ctmask", "nfmask" },
};

static const struct connmark_tg_copy *connmark_tg_copy(uint8_t mode)
{
	if (mode >= sizeof(connmark_tg_copies) / sizeof(connmark_tg_copies[0]))
		return NULL;
	return connmark_tg_copies[mode].name ? &connmark_tg_copies[mode] : NULL;
}

static const char *connmark_tg_shift_name(uint8_t dir)
{
	return dir == D_SHIFT_LEFT ? "left-shift-mark" : "right-shift-mark";
}

static void connmark_tg_print_copy(const struct connmark_tg *op,
				   const struct connmark_tg_copy *copy)
{
	bool save = op->mode == XT_CONNMARK_SAVE;
	uint32_t src = save ? op->nfmask : op->ctmask;
	uint32_t dst = save ? op->ctmask : op->nfmask;
	char b1[MARKMASK_TEXT], b2[MARKMASK_TEXT];

	printf(" CONNMARK %s", copy->name);
	if (src == UINT32_MAX && dst == UINT32_MAX)
		return;
	if (src == dst)
		printf(" mask %s", markmask_text_mask(b1, LAYOUT_BOTH, src));
	else
		printf(" %s %s %s ~%s", copy->src_name,
		       markmask_text_mask(b1, save ? LAYOUT_PACKET :
						     LAYOUT_CONNTRACK, src),
		       copy->dst_name,
		       markmask_text_mask(b2, save ? LAYOUT_CONNTRACK :
						     LAYOUT_PACKET, dst));
}

/* @save: iptables -S form, else iptables -L form. */
static void connmark_tg_print_op(const struct connmark_tg *op, bool save)
{
	const struct connmark_tg_copy *copy = connmark_tg_copy(op->mode);
	char b1[MARKMASK_TEXT], b2[MARKMASK_TEXT];

	if (op->mode == XT_CONNMARK_SET) {
		if (save)
			printf(" --set-xmark %s",
			       markmask_text_xmark(b1, LAYOUT_CONNTRACK,
						   op->ctmark, op->ctmask));
		else
			markmask_tg_print("CONNMARK", LAYOUT_CONNTRACK,
					  op->ctmark, op->ctmask);
	} else if (copy != NULL) {
		if (save)
			printf(" --%s-mark --nfmask %s --ctmask %s", copy->name,
			       markmask_text_mask(b1, LAYOUT_PACKET, op->nfmask),
			       markmask_text_mask(b2, LAYOUT_CONNTRACK,
						  op->ctmask));
		else
			connmark_tg_print_copy(op, copy);
	} else {
		printf(" ERROR: UNKNOWN CONNMARK MODE");
		return;
	}
	if (op->shift_bits != 0)
		printf(" %s%s %u", save ? "--" : "",
		       connmark_tg_shift_name(op->shift_dir), op->shift_bits);
}

/* The nft expression for the value, "( ... ) << N" when shifting. */
static int connmark_tg_xlate_op(struct xt_xlate *xl,
				const struct connmark_tg *op)
{
	const char *open = op->shift_bits ? "( " : "";
	const struct connmark_tg_copy *copy = connmark_tg_copy(op->mode);

	if (op->mode == XT_CONNMARK_SET) {
		if (op->ctmask == UINT32_MAX)
			xt_xlate_add(xl, "ct mark set %s0x%x ", open, op->ctmark);
		else if (op->ctmark == 0)
			xt_xlate_add(xl, "ct mark set %sct mark and 0x%x", open,
				     ~op->ctmask);
		else if (op->ctmark == op->ctmask)
			xt_xlate_add(xl, "ct mark set %sct mark or 0x%x", open,
				     op->ctmark);
		else if (op->ctmask == 0)
			xt_xlate_add(xl, "ct mark set %sct mark xor 0x%x", open,
				     op->ctmark);
		else
			xt_xlate_add(xl, "ct mark set %sct mark xor 0x%x and 0x%x",
				     open, op->ctmark, ~op->ctmask);
	} else if (copy != NULL) {
		/* nft has no form for two different masks */
		if (op->nfmask != op->ctmask)
			return 0;
		xt_xlate_add(xl, op->mode == XT_CONNMARK_SAVE ?
			     "ct mark set %smark" : "meta mark set %sct mark",
			     open);
		if (op->nfmask != UINT32_MAX)
			xt_xlate_add(xl, " and 0x%x", op->nfmask);
	} else {
		return 0;
	}
	if (op->shift_bits != 0)
		xt_xlate_add(xl, " ) %s %u",
			     op->shift_dir == D_SHIFT_LEFT ? "<<" : ">>",
			     op->shift_bits);
	return 1;
}

static void connmark_tg_init(struct xt_entry_target *target)
{
	connmark_tg_put(target, &connmark_tg_default);
}

static void connmark_tg_parse(struct xt_option_call *cb)
{
	struct connmark_tg op;

	xtables_option_parse(cb);
	op = connmark_tg_get(*cb->target);
	connmark_tg_apply(cb, &op);
	connmark_tg_put(*cb->target, &op);
}

static void connmark_tg_print(const void *ip __attribute__((unused)),
			      const struct xt_entry_target *target,
			      int numeric __attribute__((unused)))
{
	struct connmark_tg op = connmark_tg_get(target);

	connmark_tg_print_op(&op, false);
}

static void connmark_tg_save(const void *ip __attribute__((unused)),
			     const struct xt_entry_target *target)
{
	struct connmark_tg op = connmark_tg_get(target);

	connmark_tg_print_op(&op, true);
}

static int connmark_tg_xlate(struct xt_xlate *xl,
			     const struct xt_xlate_tg_params *params)
{
	struct connmark_tg op = connmark_tg_get(params->target);

	return connmark_tg_xlate_op(xl, &op);
}

static struct xtables_target connmark_tg_reg[] = {
	{
		.version	= XTABLES_VERSION,
		.name		= "CONNMARK",
		.revision	= 1,
		.family		= NFPROTO_UNSPEC,
		.size		= XT_ALIGN(sizeof(struct xt_connmark_tginfo1)),
		.userspacesize	= XT_ALIGN(sizeof(struct xt_connmark_tginfo1)),
		.help		= connmark_tg_help_v1,
		.init		= connmark_tg_init,
		.print		= connmark_tg_print,
		.save		= connmark_tg_save,
		.x6_parse	= connmark_tg_parse,
		.x6_fcheck	= connmark_tg_check,
		.x6_options	= connmark_tg_opts_v1,
		.xlate		= connmark_tg_xlate,
	},
	{
		.version	= XTABLES_VERSION,
		.name		= "CONNMARK",
		.revision	= 2,
		.family		= NFPROTO_UNSPEC,
		.size		= XT_ALIGN(sizeof(struct xt_connmark_tginfo2)),
		.userspacesize	= XT_ALIGN(sizeof(struct xt_connmark_tginfo2)),
		.help		= connmark_tg_help_v2,
		.init		= connmark_tg_init,
		.print		= connmark_tg_print,
		.save		= connmark_tg_save,
		.x6_parse	= connmark_tg_parse,
		.x6_fcheck	= connmark_tg_check,
		.x6_options	= connmark_tg_opts_v2,
		.xlate		= connmark_tg_xlate,
	},
};

void libxt_CONNMARK_init(void)
{
	xtables_register_targets(connmark_tg_reg,
				 sizeof(connmark_tg_reg) / sizeof(connmark_tg_reg[0]));
}
