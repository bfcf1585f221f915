/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers of markctl restore (src/cmd-restore.c). */
#ifndef MARKCTL_RESTORE_H
#define MARKCTL_RESTORE_H

#include <stdbool.h>
#include <stdio.h>

#include "rule.h"

/* A set of chain names; zero-initialised is empty. */
struct restore_chainset {
	struct restore_slot *slots;
	size_t cap;			/* power of two */
	size_t used;			/* live and deleted slots */
};

/* Returns 0, or -1 with errno = ENOMEM. */
int restore_chainset_add(struct restore_chainset *s, const char *name);
void restore_chainset_del(struct restore_chainset *s, const char *name);
bool restore_chainset_has(const struct restore_chainset *s, const char *name);
/* Frees the slots; the set is empty (and usable) afterwards. */
void restore_chainset_release(struct restore_chainset *s);

#endif
