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
#include "owners.h"
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
	bool mask_given;
	const struct layout *layout;
	struct owners *owners;
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

/* The names of a group's mark in @names (NULL on ENOMEM) and as text. */
static json_t *group_names(const struct count_ctx *c, uint32_t mark,
			   char *text, size_t len)
{
	json_t *names = ct_mark_names(c->layout, c->owners, mark, c->mask,
				      c->mask_given);

	ct_mark_names_text(names, text, len);
	return names;
}

static int print_text(const struct count_ctx *c)
{
	char key[32], name[512];

	if (!c->by_mark) {
		printf("%lu\n", c->flows);
		return 0;
	}
	for (size_t i = 0; i < c->used; i++) {
		const struct group *g = &c->slot[i];
		json_t *names = group_names(c, g->mark, name, sizeof(name));

		if (!names)
			return -1;
		json_decref(names);
		if (c->mask == UINT32_MAX)
			snprintf(key, sizeof(key), "0x%x", g->mark);
		else
			snprintf(key, sizeof(key), "0x%x/0x%x", g->mark, c->mask);
		printf("%-21s %10lu%s%s\n", key, g->n, *name ? "  " : "", name);
	}
	return 0;
}

/* A group: its mark, flows, and names where it has any. */
static json_t *group_json(const struct count_ctx *c, const struct group *g)
{
	char name[512];
	json_t *names = group_names(c, g->mark, name, sizeof(name));
	json_t *j = names ? json_pack("{s:I, s:I}", "mark", (json_int_t)g->mark,
				      "flows", (json_int_t)g->n) : NULL;

	if (j && *name &&
	    (json_object_set_new(j, "name", json_string(name)) < 0 ||
	     json_object_update(j, names) < 0)) {
		json_decref(j);
		j = NULL;
	}
	json_decref(names);
	return j;
}

static int print_json(const struct count_ctx *c)
{
	json_t *o = json_pack("{s:I}", "flows", (json_int_t)c->flows), *a, *g;
	int ret = -1;

	if (!o)
		return -1;
	if (c->by_mark) {
		a = json_array();
		if (!a || json_object_set_new(o, "mask", json_integer(c->mask)) < 0 ||
		    json_object_set_new(o, "groups", a) < 0)
			goto out;
		for (size_t i = 0; i < c->used; i++)
			if (!(g = group_json(c, &c->slot[i])) ||
			    json_array_append_new(a, g) < 0)
				goto out;
	}
	ret = json_dumpf(o, stdout, JSON_COMPACT);
	putchar('\n');
out:
	json_decref(o);
	return ret;
}

/* The known owners for the groups' names: a missing default file leaves
 * them out with a word, a bad one is a usage error (as in explain). */
static int load_owners(struct count_ctx *c)
{
	char err[512];

	c->owners = owners_load(NULL, err, sizeof(err));
	if (c->owners)
		return 0;
	if (errno == ENOENT && !getenv("MARKCTL_OWNERS")) {
		fprintf(stderr, "markctl ct: no known owners (%s)\n", err);
		return 0;
	}
	fflush(stdout);
	fprintf(stderr, "markctl ct: %s\n", err);
	return PARAMETER_PROBLEM;
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
		.mask_given = o->group_mask_given,
		.layout = o->layout,
	};
	int ret;

	if (o->by_mark && (ret = load_owners(&c)))
		return ret;

	if (!f->set && !f->family && !o->by_mark)
		ret = ct_nl_count(nl, &c.flows);
	else
		ret = ct_nl_dump(nl, f->family,
				 ct_filter_kernel_mark(f) ? mark : NULL,
				 false, count_flow, &c);
	if (ret < 0) {
		ret = ct_error_errno("count flows");
		goto out;
	}
	groups_sort(&c);
	ret = o->output & CT_OUT_JSON ? print_json(&c) : print_text(&c);
	if (ret < 0) {
		errno = ENOMEM;
		ret = ct_error_errno("write the groups");
	}
out:
	owners_free(c.owners);
	free(c.slot);
	return ret;
}
