/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mark layout: names for fields of the 32-bit mark word, read from a small
 * text file (man 5 markctl-layout).  Shared by the mark extensions (field
 * expressions in place of numbers), markctl layout/explain/audit and
 * markctl ct.  Loaded lazily: a plain numeric rule never reads the file.
 *
 *   field route 0x00ff0000        # NAME MASK [packet|conntrack|both]
 *     value isp2 2                # named value within the field
 *   field vpn 0x80000000          # one bit: a flag
 *
 * A field value is placed into the mask's bits from the lowest one up, so
 * route=2 is 0x20000 under the mask 0xff0000.
 */
#ifndef MARKCTL_LAYOUT_H
#define MARKCTL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAYOUT_DEFAULT_PATH	"/etc/markctl/layout"

struct layout;				/* opaque */
enum layout_word { LAYOUT_PACKET = 1, LAYOUT_CONNTRACK = 2, LAYOUT_BOTH = 3 };

struct layout_value {
	char *name;
	uint32_t value;			/* within the field, not yet placed */
};

struct layout_field {
	char *name;
	uint32_t mask;
	enum layout_word word;
	struct layout_value *values;
	unsigned int nvalues;
	unsigned int line;		/* where it was defined */
};

/**
 * layout_load - read a layout file
 * @path: the file; NULL for the default lookup ($MARKCTL_LAYOUT, else
 *	LAYOUT_DEFAULT_PATH, whose absence is an empty layout)
 *
 * Returns the layout, or NULL with "FILE:LINE: reason" (or "FILE: reason")
 * in @err.  A missing file named explicitly is an error.
 */
struct layout *layout_load(const char *path, char *err, size_t errlen);
void layout_free(struct layout *l);

/* The file it came from (the default path when that was absent). */
const char *layout_path(const struct layout *l);
/* No field at all: no file, or a file of comments only. */
bool layout_empty(const struct layout *l);
unsigned int layout_nfields(const struct layout *l);
const struct layout_field *layout_field(const struct layout *l,
					unsigned int i);
const struct layout_field *layout_find(const struct layout *l,
				       const char *name);

/* A field value placed into the field's bits, and taken back out. */
uint32_t layout_place(uint32_t mask, uint32_t v);
uint32_t layout_extract(uint32_t mask, uint32_t word);
/* Largest value a field of @mask holds. */
uint32_t layout_field_max(uint32_t mask);
/* The name of @v in @f, or NULL. */
const char *layout_value_name(const struct layout_field *f, uint32_t v);
/* "packet", "conntrack" or "both", and back (0 or -1). */
const char *layout_word_name(enum layout_word w);
int layout_parse_word(const char *s, enum layout_word *w);

/*
 * The process-wide layout, loaded on first use from the path set by
 * layout_set_path() (the --layout option) or the default lookup; a bad
 * file exits 2 with "markctl: FILE:LINE: reason".  layout_release()
 * frees it (at exit, for leak checkers).
 */
void layout_set_path(const char *path);
const struct layout *layout_get(void);
void layout_release(void);

/*
 * Listings with field names (--names): while set, layout_names() returns
 * the process-wide layout, else NULL.  Setting it loads the layout.
 */
void layout_set_names(bool on);
const struct layout *layout_names(void);

/*
 * Field expressions.  "route=isp2,vpn": fields by name, values by name or
 * number, a one-bit field by its name alone.  Plain numbers are not
 * handled here: callers try their numeric parser first, so numbers keep
 * their exact messages.  Each returns 0, or -1 with a message in @err
 * naming the unknown field or value.
 */
/* A plain "VALUE[/MASK]" (mask defaults to ~0), strictly: decimal, 0x hex
 * or 0 octal, no sign, blank or trailing junk, 32 bits.  0 or -1. */
int layout_parse_number(const char *s, uint32_t *value, uint32_t *mask);
/* Value and mask: route=isp2,vpn is 0x80020000/0x80ff0000. */
int layout_parse_expr(const struct layout *l, const char *expr,
		      uint32_t *value, uint32_t *mask, char *err,
		      size_t errlen);
/* A mask by field names only: "route,vpn" (--mask, --nfmask, --ctmask). */
int layout_parse_mask(const struct layout *l, const char *expr,
		      uint32_t *mask, char *err, size_t errlen);
/* Bits (--and-mark, --or-mark, --xor-mark): a bare field name stands for
 * all its bits, FIELD=VALUE for that value's bits. */
int layout_parse_bits(const struct layout *l, const char *expr,
		      uint32_t *bits, char *err, size_t errlen);

/*
 * Back to names, for listings: each returns false (leaving @buf unset)
 * unless the numbers are exactly expressible by the fields that apply to
 * @word.  What they write parses back to the same numbers.
 */
bool layout_format_expr(const struct layout *l, enum layout_word word,
			uint32_t value, uint32_t mask, char *buf, size_t size);
bool layout_format_mask(const struct layout *l, enum layout_word word,
			uint32_t mask, char *buf, size_t size);
bool layout_format_bits(const struct layout *l, enum layout_word word,
			uint32_t bits, char *buf, size_t size);

/* Whether @f names bits of @word's mark: its own word, or another word's
 * when no field of @word claims its bits (the word tells overlapping
 * fields apart). */
bool layout_field_applies(const struct layout *l, const struct layout_field *f,
			  enum layout_word word);
/* Union of the masks of the fields that apply to @word. */
uint32_t layout_word_mask(const struct layout *l, enum layout_word word);

#endif
