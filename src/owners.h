/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The known mark owners: which tools use which bits of the packet and
 * connection marks, and how their chains, tables, ip rules, comments and
 * interfaces are recognised.  Read from the data file installed as
 * $(pkgdatadir)/owners (format: man 5 markctl-layout, OWNERS FILE).
 */
#ifndef MARKCTL_OWNERS_H
#define MARKCTL_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

struct owner_strings {
	char **v;
	unsigned int n;
};

struct owner_bits {
	enum layout_word word;
	uint32_t mask;
	char *text;
};

struct owner_value {
	enum layout_word word;
	uint32_t value, mask;		/* value & ~mask == 0 */
	char *name, *text;
};

/* "table N", "pref N", "pref N-M" */
struct owner_iprule {
	bool by_table;
	uint32_t lo, hi;
};

struct owner {
	char *name, *title;
	struct owner_strings sources, configs, notes;
	struct owner_bits *bits;
	unsigned int nbits;
	struct owner_value *values;
	unsigned int nvalues;
	struct owner_strings chains, tables, comments, ifaces;
	struct owner_iprule *iprules;
	unsigned int niprules;
	unsigned int line;
};

struct owners;

/*
 * owners_load - read the known-owners file
 * @path: the file, or NULL for $MARKCTL_OWNERS, else the installed one
 *	(found from the binary, see paths.h)
 *
 * Returns NULL with "FILE:LINE: reason" (or "FILE: reason") in @err and
 * errno set: the file's open error (ENOENT...), EINVAL for its contents.
 */
struct owners *owners_load(const char *path, char *err, size_t errlen);
void owners_free(struct owners *o);
const char *owners_path(const struct owners *o);
unsigned int owners_count(const struct owners *o);
const struct owner *owners_get(const struct owners *o, unsigned int i);
const struct owner *owners_find(const struct owners *o, const char *name);

/* Recognition: fnmatch(3) patterns of the entry, and its ip rules. */
bool owner_has_chain(const struct owner *w, const char *chain);
/* @family: "ip", "ip6", "inet", "arp", "bridge", "netdev" */
bool owner_has_table(const struct owner *w, const char *family,
		     const char *table);
bool owner_has_comment(const struct owner *w, const char *comment);
bool owner_has_iface(const struct owner *w, const char *iface);
bool owner_has_iprule(const struct owner *w, uint32_t table, uint32_t pref);

/* The bits an owner uses in @word (both counts for either). */
uint32_t owner_bits_of(const struct owner *w, enum layout_word word);

#endif
