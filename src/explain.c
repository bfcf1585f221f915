// SPDX-License-Identifier: GPL-2.0-or-later
/* A mark value decoded by layout, known owners and bits (see explain.h). */
#include <stdio.h>

#include "explain.h"

json_t *explain_hex(uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%08x", v);
	return json_string(buf);
}

/* json_array_append_new / json_object_set_new that tolerate a NULL
 * value: the ENOMEM shows as a missing member, reported by the caller
 * through the NULL it gets at the top. */
static bool add(json_t *arr, json_t *v)
{
	return v && json_array_append_new(arr, v) == 0;
}

static bool set(json_t *obj, const char *key, json_t *v)
{
	return v && json_object_set_new(obj, key, v) == 0;
}

bool explain_value_matches(uint32_t v, uint32_t vm, uint32_t value,
			   uint32_t mask, bool mask_given)
{
	if ((vm & mask) != vm || (value & vm) != v)
		return false;
	/* a zero value "matches" every mark without those bits: only
	 * when asked about them, or about an all-zero mark */
	return v != 0 || mask_given || (value & mask) == 0;
}

static json_t *layout_fields(const struct layout *l, uint32_t value,
			     uint32_t mask, enum layout_word word)
{
	json_t *fields = json_array();

	for (unsigned int i = 0; fields && i < layout_nfields(l); i++) {
		const struct layout_field *f = layout_field(l, i);
		uint32_t v = layout_extract(f->mask, value & mask);
		const char *name = layout_value_name(f, v);
		json_t *j;

		if (!(f->mask & mask) || !layout_field_applies(l, f, word))
			continue;
		j = json_pack("{s:s, s:I, s:s, s:I, s:o, s:b, s:b}",
			      "field", f->name, "mask", (json_int_t)f->mask,
			      "word", layout_word_name(f->word),
			      "value", (json_int_t)v,
			      "name", name ? json_string(name) : json_null(),
			      "flag", __builtin_popcount(f->mask) == 1,
			      "whole", (f->mask & mask) == f->mask);
		if (!add(fields, j))
			return json_decref(fields), NULL;
	}
	return fields;
}

static json_t *explain_layout(const struct layout *l, uint32_t value,
			      uint32_t mask, enum layout_word word)
{
	uint32_t outside = mask & ~layout_word_mask(l, word);

	if (layout_empty(l))
		return json_null();
	return json_pack("{s:s, s:o, s:I, s:I}", "file", layout_path(l),
			 "fields", layout_fields(l, value, mask, word),
			 "outside_mask", (json_int_t)outside,
			 "outside", (json_int_t)(value & outside));
}

/* The owner's entries about this mark: matching values, overlapping bits. */
static json_t *owner_entry(const struct owner *w, uint32_t value,
			   uint32_t mask, enum layout_word word,
			   bool mask_given)
{
	json_t *values = json_array(), *bits = json_array(), *sources;
	uint32_t on = value & mask;

	for (unsigned int i = 0; values && i < w->nvalues; i++) {
		const struct owner_value *v = &w->values[i];

		if ((v->word & word) &&
		    explain_value_matches(v->value, v->mask, value, mask,
					  mask_given) &&
		    !add(values, json_pack("{s:s, s:I, s:I, s:s, s:s}",
					   "name", v->name,
					   "value", (json_int_t)v->value,
					   "mask", (json_int_t)v->mask,
					   "word", layout_word_name(v->word),
					   "text", v->text)))
			goto fail;
	}
	for (unsigned int i = 0; bits && i < w->nbits; i++) {
		const struct owner_bits *b = &w->bits[i];
		uint32_t hit = b->mask & (on ? on : mask);

		if ((b->word & word) && hit &&
		    !add(bits, json_pack("{s:I, s:I, s:s, s:s}",
					 "mask", (json_int_t)b->mask,
					 "bits", (json_int_t)hit,
					 "word", layout_word_name(b->word),
					 "text", b->text)))
			goto fail;
	}
	if (!values || !bits)
		goto fail;
	if (!json_array_size(values) && !json_array_size(bits)) {
		json_decref(values);
		json_decref(bits);
		return json_null();
	}
	sources = json_array();
	for (unsigned int i = 0; sources && i < w->sources.n; i++)
		if (!add(sources, json_string(w->sources.v[i])))
			goto fail_sources;
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "owner", w->name,
			 "title", w->title, "values", values, "bits", bits,
			 "sources", sources);
fail_sources:
	json_decref(sources);
fail:
	json_decref(values);
	json_decref(bits);
	return NULL;
}

/* 0: a value of the owner is exactly this mark; 1: the mark contains
 * one of its values; 2: it only uses some of the bits. */
static int owner_rank(const json_t *e, uint32_t value, uint32_t mask)
{
	const json_t *v;
	size_t i;
	int rank = 2;

	json_array_foreach(json_object_get(e, "values"), i, v) {
		uint32_t vm = json_integer_value(json_object_get(v, "mask"));
		uint32_t vv = json_integer_value(json_object_get(v, "value"));

		if (vm == mask && vv == (value & mask))
			return 0;
		rank = 1;
	}
	return rank;
}

/* Owners whose value this is first, then those with a value in it, then
 * those whose bits it uses; file order within each. */
static json_t *explain_owners(const struct owners *o, uint32_t value,
			      uint32_t mask, enum layout_word word,
			      bool mask_given)
{
	json_t *out = json_array();

	for (int pass = 0; o && out && pass < 3; pass++) {
		for (unsigned int i = 0; i < owners_count(o); i++) {
			json_t *e = owner_entry(owners_get(o, i), value, mask,
						word, mask_given);

			if (!e)
				return json_decref(out), NULL;
			if (json_is_object(e) &&
			    owner_rank(e, value, mask) == pass)
				add(out, json_incref(e));
			json_decref(e);
		}
	}
	return out;
}

/* Names of the fields and owners using @bit. */
static json_t *bit_users(const struct layout *l, const struct owners *o,
			 uint32_t bit, enum layout_word word)
{
	json_t *fields = json_array(), *owners = json_array();

	for (unsigned int i = 0; fields && i < layout_nfields(l); i++) {
		const struct layout_field *f = layout_field(l, i);

		if ((f->mask & bit) && layout_field_applies(l, f, word))
			add(fields, json_string(f->name));
	}
	for (unsigned int i = 0; o && owners && i < owners_count(o); i++) {
		const struct owner *w = owners_get(o, i);

		if (owner_bits_of(w, word) & bit)
			add(owners, json_string(w->name));
	}
	if (!fields || !owners) {
		json_decref(fields);
		json_decref(owners);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "fields", fields, "owners", owners);
}

/* Every bit of the mask when one was given, else the set ones. */
static json_t *explain_bits(const struct layout *l, const struct owners *o,
			    uint32_t value, uint32_t mask, enum layout_word word,
			    bool mask_given)
{
	json_t *bits = json_array();

	for (int n = 0; bits && n < 32; n++) {
		uint32_t bit = 1u << n;
		json_t *users, *j;

		if (!(mask & bit) || (!mask_given && !(value & bit)))
			continue;
		users = bit_users(l, o, bit, word);
		j = users ? json_pack("{s:i, s:I, s:b}", "bit", n,
				      "mask", (json_int_t)bit, "set",
				      (value & bit) != 0) : NULL;
		if (!j || json_object_update(j, users) < 0 || !add(bits, j)) {
			json_decref(users);
			json_decref(bits);
			return NULL;
		}
		json_decref(users);
	}
	return bits;
}

json_t *explain_mark(const struct layout *l, const struct owners *o,
		     uint32_t value, uint32_t mask, enum layout_word word,
		     bool mask_given)
{
	json_t *j = json_pack("{s:I, s:I, s:o, s:o, s:s, s:b}",
			      "value", (json_int_t)value,
			      "mask", (json_int_t)mask,
			      "value_hex", explain_hex(value),
			      "mask_hex", explain_hex(mask),
			      "word", layout_word_name(word),
			      "mask_given", mask_given);

	if (!j || !set(j, "layout", explain_layout(l, value, mask, word)) ||
	    !set(j, "owners", explain_owners(o, value, mask, word, mask_given)) ||
	    !set(j, "bits", explain_bits(l, o, value, mask, word, mask_given))) {
		json_decref(j);
		return NULL;
	}
	return j;
}
