// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The names of a connection mark for markctl ct count --by-mark: what
 * markctl explain -c says of it (explain.c), cut to what names it: the
 * layout's fields and the known owners' values, not every owner whose
 * bits it touches.
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "ct.h"
#include "explain.h"

/* "route=isp2", "route=7", "vpn"; NULL when the field says nothing:
 * zero and unnamed, unless the mask was written and holds it whole. */
static json_t *field_name(const json_t *f, bool mask_given)
{
	const char *field = json_string_value(json_object_get(f, "field"));
	const char *name = json_string_value(json_object_get(f, "name"));
	json_int_t v = json_integer_value(json_object_get(f, "value"));
	bool flag = json_is_true(json_object_get(f, "flag"));
	bool whole = json_is_true(json_object_get(f, "whole"));
	char buf[256];

	if (name)
		snprintf(buf, sizeof(buf), "%s=%s", field, name);
	else if (v == 0 && !(mask_given && whole))
		return NULL;
	else if (flag && v == 1)
		snprintf(buf, sizeof(buf), "%s", field);
	else
		snprintf(buf, sizeof(buf), "%s=%lld", field, (long long)v);
	return json_string(buf);
}

static int add_fields(json_t *out, const json_t *layout, bool mask_given)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(layout, "fields"), i, f) {
		json_t *n = field_name(f, mask_given);

		if (n && json_array_append_new(out, n) < 0)
			return -1;
	}
	return 0;
}

/* Each documented value of an owner that this mark is or holds. */
static int add_owners(json_t *out, const json_t *owners)
{
	const json_t *w, *v;
	size_t i, k;

	json_array_foreach(owners, i, w) {
		json_array_foreach(json_object_get(w, "values"), k, v) {
			json_t *e = json_pack("{s:O, s:O}",
					      "owner", json_object_get(w, "owner"),
					      "value", json_object_get(v, "name"));

			if (!e || json_array_append_new(out, e) < 0)
				return -1;
		}
	}
	return 0;
}

json_t *ct_mark_names(const struct layout *l, const struct owners *o,
		      uint32_t value, uint32_t mask, bool mask_given)
{
	json_t *ex = explain_mark(l, o, value, mask, LAYOUT_CONNTRACK,
				  mask_given);
	json_t *fields = json_array(), *owners = json_array(), *out = NULL;

	if (ex && fields && owners &&
	    add_fields(fields, json_object_get(ex, "layout"), mask_given) == 0 &&
	    add_owners(owners, json_object_get(ex, "owners")) == 0)
		out = json_pack("{s:O, s:O}", "fields", fields, "owners", owners);
	json_decref(fields);
	json_decref(owners);
	json_decref(ex);
	return out;
}

void ct_mark_names_text(const json_t *names, char *buf, size_t len)
{
	const json_t *e;
	size_t i, n = 0;
	int w;

	if (!len)
		return;
	buf[0] = '\0';
	json_array_foreach(json_object_get(names, "fields"), i, e) {
		w = snprintf(buf + n, len - n, "%s%s", i ? "," : "",
			     json_string_value(e));
		if (w < 0 || (size_t)w >= len - n)
			return;		/* cut short */
		n += w;
	}
	json_array_foreach(json_object_get(names, "owners"), i, e) {
		w = snprintf(buf + n, len - n, "%s%s:%s", n ? " " : "",
			     json_string_value(json_object_get(e, "owner")),
			     json_string_value(json_object_get(e, "value")));
		if (w < 0 || (size_t)w >= len - n)
			return;
		n += w;
	}
}
