// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl ct count: how many flows pass the filters, optionally grouped by
 * their (masked) mark, each group named by the layout and known owners.
 * Without filters and grouping the kernel's own count answers at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ct.h"
#include "util.h"

/* Masked mark -> flows, open addressing; a slot with n == 0 is free. */
struct group {
	uint32_t mark;
	unsigned long n;
};

struct count_ctx {
	const struct ct_filter *filter;
	bool userspace;
	uint32_t mask;
	bool by_mark;
	unsigned long flows;
	struct group *slot;
	size_t size, used;		/* size: a power of two */
};

static size_t slot_of(uint32_t mark, size_t size)
{
	return (mark * 2654435761u) & (size - 1);
}

static int groups_grow(struct count_ctx *c)
{
	size_t size = c->size ? c->size * 2 : 64;
	struct group *slot = calloc(size, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < c->size; i++) {
		size_t j = slot_of(c->slot[i].mark, size);

		if (!c->slot[i].n)
			continue;
		while (slot[j].n)
			j = (j + 1) & (size - 1);
		slot[j] = c->slot[i];
	}
	free(c->slot);
	c->slot = slot;
	c->size = size;
	return 0;
}

static int groups_add(struct count_ctx *c, uint32_t mark)
{
	size_t i;

	if (2 * (c->used + 1) > c->size && groups_grow(c) < 0)
		return -1;
	for (i = slot_of(mark, c->size); c->slot[i].n;
	     i = (i + 1) & (c->size - 1)) {
		if (c->slot[i].mark == mark) {
			c->slot[i].n++;
			return 0;
		}
	}
	c->slot[i].mark = mark;
	c->slot[i].n = 1;
	c->used++;
	return 0;
}

static int count_flow(const struct ct_flow *f, void *data)
{
	struct count_ctx *c = data;

	if (c->userspace && !ct_filter_match(c->filter, f))
		return 0;
	c->flows++;
	return c->by_mark ? groups_add(c, f->mark & c->mask) : 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return (x->mark > y->mark) - (x->mark < y->mark);
}

/* Moves the used slots to the front, by mark. */
static void groups_sort(struct count_ctx *c)
{
	size_t n = 0;

	if (!c->used)
		return;
	for (size_t i = 0; i < c->size; i++)
		if (c->slot[i].n)
			c->slot[n++] = c->slot[i];
	qsort(c->slot, n, sizeof(*c->slot), group_cmp);
}

static void print_text(const struct count_ctx *c)
{
	char key[32], name[256];

	if (!c->by_mark) {
		printf("%lu\n", c->flows);
		return;
	}
	for (size_t i = 0; i < c->used; i++) {
		const struct group *g = &c->slot[i];

		if (c->mask == UINT32_MAX)
			snprintf(key, sizeof(key), "0x%x", g->mark);
		else
			snprintf(key, sizeof(key), "0x%x/0x%x", g->mark, c->mask);
		ct_mark_name(g->mark, c->mask, name, sizeof(name));
		printf("%-21s %10lu%s%s\n", key, g->n, *name ? "  " : "", name);
	}
}

static int print_json(const struct count_ctx *c)
{
	json_t *o = json_object(), *a;
	char name[256];
	int ret;

	if (!o)
		return -1;
	json_object_set_new(o, "flows", json_integer(c->flows));
	if (c->by_mark) {
		json_object_set_new(o, "mask", json_integer(c->mask));
		a = json_array();
		for (size_t i = 0; a && i < c->used; i++) {
			json_t *g = json_object();

			json_object_set_new(g, "mark", json_integer(c->slot[i].mark));
			json_object_set_new(g, "flows", json_integer(c->slot[i].n));
			ct_mark_name(c->slot[i].mark, c->mask, name, sizeof(name));
			if (*name)
				json_object_set_new(g, "name", json_string(name));
			json_array_append_new(a, g);
		}
		json_object_set_new(o, "groups", a);
	}
	ret = json_dumpf(o, stdout, JSON_COMPACT);
	json_decref(o);
	putchar('\n');
	return ret;
}

int ct_cmd_count(const struct ct_opts *o, struct ct_nl *nl)
{
	const struct ct_filter *f = &o->filter;
	uint32_t mark[2] = { f->mark, f->mark_mask };
	struct count_ctx c = {
		.filter = f,
		.userspace = ct_filter_userspace(f),
		.mask = o->group_mask,
		.by_mark = o->by_mark,
	};
	int ret;

	if (!f->set && !f->family && !o->by_mark)
		ret = ct_nl_count(nl, &c.flows);
	else
		ret = ct_nl_dump(nl, f->family,
				 ct_filter_kernel_mark(f) ? mark : NULL,
				 false, count_flow, &c);
	if (ret < 0) {
		free(c.slot);
		return ct_error_errno("count flows");
	}
	groups_sort(&c);
	if (o->output & CT_OUT_JSON)
		ret = print_json(&c);
	else
		print_text(&c);
	free(c.slot);
	if (ret < 0) {
		errno = ENOMEM;
		return ct_error_errno("write JSON");
	}
	return 0;
}
