/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a mark value means: its fields in the layout, the known owners of
 * its bits and values, bit by bit.  Built as a JSON tree (jansson) that
 * markctl explain prints as JSON or as text, and markctl audit reuses to
 * name bits.  Only the subcommand programs link this (and jansson).
 */
#ifndef MARKCTL_EXPLAIN_H
#define MARKCTL_EXPLAIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "owners.h"

/**
 * explain_mark - the meaning of @value under @mask in @word's mark
 * @l: the layout (may be empty); @o: known owners, or NULL
 * @mask_given: the mask was written (else ~0 is implied): owners' zero
 *	values then count only for an all-zero mark
 *
 * Returns a new object (schema in man 8 markctl-explain), NULL on ENOMEM.
 */
json_t *explain_mark(const struct layout *l, const struct owners *o,
		     uint32_t value, uint32_t mask, enum layout_word word,
		     bool mask_given);

/* Whether owner value @v/@vm describes @value/@mask (see explain_mark). */
bool explain_value_matches(uint32_t v, uint32_t vm, uint32_t value,
			   uint32_t mask, bool mask_given);

/* "0x%08x" as a JSON string. */
json_t *explain_hex(uint32_t v);

#endif
