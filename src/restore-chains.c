// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user chains a restore file may jump to at each line: a small hash
 * set of names, open addressing with tombstones for -X and -E.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "restore.h"

enum { SLOT_FREE, SLOT_USED, SLOT_GONE };

/* Names are allocated: chain names run to RULE_CHAIN_MAXLEN, and a
 * kube-proxy table declares tens of thousands. */
struct restore_slot {
	unsigned char state;
	uint32_t hash;		/* of @name: most probes end here */
	char *name;		/* SLOT_USED only */
};

static uint32_t chainset_hash(const char *s)
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Slot of @name, or the first reusable slot on its probe path. */
static struct restore_slot *chainset_find(const struct restore_chainset *s,
					  const char *name, bool *found)
{
	uint32_t h = chainset_hash(name);
	size_t mask = s->cap - 1, i = h & mask;
	struct restore_slot *reuse = NULL;

	*found = false;
	for (;; i = (i + 1) & mask) {
		struct restore_slot *slot = &s->slots[i];

		if (slot->state == SLOT_FREE)
			return reuse ? reuse : slot;
		if (slot->state == SLOT_GONE) {
			if (!reuse)
				reuse = slot;
		} else if (slot->hash == h && strcmp(slot->name, name) == 0) {
			*found = true;
			return slot;
		}
	}
}

static int chainset_grow(struct restore_chainset *s)
{
	struct restore_chainset n = { .cap = s->cap ? s->cap * 2 : 64 };

	n.slots = calloc(n.cap, sizeof(*n.slots));
	if (!n.slots)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		bool found;

		if (s->slots[i].state != SLOT_USED)
			continue;
		*chainset_find(&n, s->slots[i].name, &found) = s->slots[i];
		n.used++;
	}
	free(s->slots);
	*s = n;
	return 0;
}

int restore_chainset_add(struct restore_chainset *s, const char *name)
{
	struct restore_slot *slot;
	bool found;

	if ((s->used + 1) * 2 > s->cap && chainset_grow(s) < 0)
		return -1;
	slot = chainset_find(s, name, &found);
	if (found)
		return 0;
	slot->name = strdup(name);
	if (!slot->name)
		return -1;
	slot->hash = chainset_hash(name);
	if (slot->state == SLOT_FREE)
		s->used++;
	slot->state = SLOT_USED;
	return 0;
}

void restore_chainset_del(struct restore_chainset *s, const char *name)
{
	struct restore_slot *slot;
	bool found;

	if (!s->cap)
		return;
	slot = chainset_find(s, name, &found);
	if (found) {
		free(slot->name);
		slot->name = NULL;
		slot->state = SLOT_GONE;	/* still counts in used: probes */
	}
}

bool restore_chainset_has(const struct restore_chainset *s, const char *name)
{
	bool found = false;

	if (s->cap)
		chainset_find(s, name, &found);
	return found;
}

void restore_chainset_release(struct restore_chainset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i].name);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
