// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit's report: owners with their bits, then findings, most
 * severe first; as a JSON tree (jansson; schema in man 8 markctl-audit),
 * which the text form is printed from.
 */
#include <stdio.h>
#include <string.h>

#include "audit-report.h"
#include "explain.h"

static const char *const how_names[] = {
	[AUDIT_SET] = "masked", [AUDIT_SET_WHOLE] = "whole-word",
	[AUDIT_COPY] = "copy", [AUDIT_COPY_WHOLE] = "whole-word-copy",
	[AUDIT_MATCH] = "match", [AUDIT_ROUTE] = "ip-rule",
};

static json_t *strings(const char *const *v, unsigned int n)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; arr && i < n; i++)
		if (v[i] && json_array_append_new(arr, json_string(v[i])) < 0)
			return json_decref(arr), NULL;
	return arr;
}

static json_t *usage_json(const struct audit_usage *u)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:b, s:b, s:I, s:s?, s:o}",
			 "word", audit_word_name(u->use.word),
			 "how", how_names[u->use.how],
			 "value", (json_int_t)u->use.value,
			 "mask", (json_int_t)u->use.mask,
			 "bits", (json_int_t)audit_use_bits(&u->use),
			 "value_known", u->use.value_known,
			 "several_values", u->several_values,
			 "invert", u->use.invert,
			 "rules", (json_int_t)u->rules,
			 "backend", u->backend,
			 "examples", strings((const char *const *)u->examples,
					     AUDIT_EXAMPLES));
}

/* The ways @w writes @word, by name */
static json_t *hows(const struct audit_owner *w, enum audit_word word)
{
	json_t *arr = json_array();

	for (int h = AUDIT_SET; arr && h <= AUDIT_COPY_WHOLE; h++)
		for (unsigned int i = 0; i < w->nusages; i++)
			if (w->usages[i].use.word == word &&
			    (int)w->usages[i].use.how == h) {
				json_array_append_new(arr, json_string(how_names[h]));
				break;
			}
	return arr;
}

static json_t *words_json(const struct audit_owner *w)
{
	json_t *words = json_object();

	for (int word = 0; words && word < AUDIT_WORDS; word++) {
		uint32_t wr = audit_owner_writes(w, word);
		uint32_t rd = audit_owner_reads(w, word);

		if (!wr && !rd)
			continue;
		json_object_set_new(words, audit_word_name(word),
				    json_pack("{s:I, s:I, s:o}",
					      "writes", (json_int_t)wr,
					      "reads", (json_int_t)rd,
					      "how", hows(w, word)));
	}
	return words;
}

/* Layout fields the owner writes into (any word). */
static json_t *fields_json(const struct layout *l, const struct audit_owner *w)
{
	uint32_t wr = audit_owner_writes(w, AUDIT_PACKET) |
		      audit_owner_writes(w, AUDIT_CONNTRACK);
	json_t *arr = json_array();

	for (unsigned int i = 0; arr && l && i < layout_nfields(l); i++)
		if (layout_field(l, i)->mask & wr)
			json_array_append_new(arr,
				json_string(layout_field(l, i)->name));
	return arr;
}

static json_t *owner_json(const struct audit *a, const struct audit_owner *w)
{
	json_t *uses = json_array();

	for (unsigned int i = 0; uses && i < w->nusages; i++)
		if (json_array_append_new(uses, usage_json(&w->usages[i])) < 0)
			return json_decref(uses), NULL;
	return json_pack("{s:s, s:b, s:o, s:s, s:I, s:o, s:o, s:o}",
			 "name", w->name, "known", w->known != NULL,
			 "title", w->known ? json_string(w->known->title) :
					     json_null(),
			 "recognised_by", w->why,
			 "rules", (json_int_t)w->rules,
			 "words", words_json(w),
			 "fields", fields_json(audit_layout(a), w),
			 "uses", uses);
}

static json_t *finding_json(const struct audit_finding *f)
{
	json_t *owners = json_array(), *rules = json_array();

	for (unsigned int i = 0; owners && i < f->nowners; i++)
		json_array_append_new(owners, json_string(f->owners[i]->name));
	for (unsigned int i = 0; rules && i < f->nrules; i++)
		json_array_append_new(rules, json_pack("{s:s, s:s}",
				      "owner", f->rules[i].owner->name,
				      "rule", f->rules[i].text));
	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:s, s:o}",
			 "kind", audit_kind_name(f->kind),
			 "severity", audit_kind_severity(f->kind),
			 "word", audit_word_name(f->word),
			 "bits", (json_int_t)f->bits,
			 "bits_hex", explain_hex(f->bits),
			 "owners", owners, "message", f->message,
			 "rules", rules);
}

static json_t *sources_json(const struct audit *a)
{
	json_t *arr = json_array();

	for (unsigned int i = 0; arr && i < audit_source_count(a); i++) {
		const struct audit_source_note *s = audit_source(a, i);

		json_array_append_new(arr, json_pack("{s:s, s:o, s:o}",
			"source", s->what,
			"rules", s->count >= 0 ? json_integer(s->count) : json_null(),
			"note", s->why ? json_string(s->why) : json_null()));
	}
	return arr;
}

static json_t *summary_json(const struct audit *a,
			    const struct audit_findings *f)
{
	unsigned int sev[3] = { 0 };

	for (unsigned int i = 0; i < f->n; i++) {
		const char *s = audit_kind_severity(f->v[i].kind);

		sev[s[0] == 'h' ? 0 : s[0] == 'm' ? 1 : 2]++;
	}
	return json_pack("{s:i, s:i, s:i, s:i, s:i}",
			 "owners", audit_owner_count(a), "findings", f->n,
			 "high", sev[0], "medium", sev[1], "low", sev[2]);
}

json_t *audit_report(const struct audit *a, const struct audit_findings *f)
{
	const struct layout *l = audit_layout(a);
	const struct owners *o = audit_owners_data(a);
	json_t *owners = json_array(), *findings = json_array();

	for (unsigned int i = 0; owners && i < audit_owner_count(a); i++)
		json_array_append_new(owners, owner_json(a, audit_owner(a, i)));
	for (unsigned int i = 0; findings && i < f->n; i++)
		json_array_append_new(findings, finding_json(&f->v[i]));
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "version", 1,
			 "layout", l && !layout_empty(l) ?
				   json_string(layout_path(l)) : json_null(),
			 "owners_file", o ? json_string(owners_path(o)) :
					    json_null(),
			 "sources", sources_json(a),
			 "owners", owners, "findings", findings,
			 "summary", summary_json(a, f));
}

/* ---- text ---- */

static uint32_t jnum(const json_t *o, const char *key)
{
	return (uint32_t)json_integer_value(json_object_get(o, key));
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void print_sources(const json_t *sources)
{
	const json_t *s;
	size_t i;

	printf("read:");
	json_array_foreach(sources, i, s) {
		const json_t *n = json_object_get(s, "rules");

		printf("%s %s", i ? "," : "", jstr(s, "source"));
		if (json_is_integer(n))
			printf(" %lld", (long long)json_integer_value(n));
		if (jstr(s, "note"))
			printf(" (%s)", jstr(s, "note"));
	}
	putchar('\n');
}

static void print_hex_or_dash(uint32_t v)
{
	if (v)
		printf("  0x%08x", v);
	else
		printf("  %-10s", "-");
}

static void print_owner(const json_t *w, int width)
{
	const json_t *words = json_object_get(w, "words"), *x, *h;
	const char *word;
	bool first = true;
	size_t i;

	json_object_foreach((json_t *)words, word, x) {
		char how[64] = "";

		json_array_foreach(json_object_get(x, "how"), i, h)
			snprintf(how + strlen(how), sizeof(how) - strlen(how),
				 "%s%s", i ? "," : "", json_string_value(h));
		printf("%-*s %-9s", width, first ? jstr(w, "name") : "", word);
		print_hex_or_dash(jnum(x, "writes"));
		printf("  %-26s", how[0] ? how : "-");
		print_hex_or_dash(jnum(x, "reads"));
		if (first)
			printf("  %5u  %s", jnum(w, "rules"),
			       jstr(w, "recognised_by"));
		putchar('\n');
		first = false;
	}
	if (json_array_size(json_object_get(w, "fields"))) {
		printf("%-*s layout fields written: ", width, "");
		json_array_foreach(json_object_get(w, "fields"), i, h)
			printf("%s%s", i ? ", " : "", json_string_value(h));
		putchar('\n');
	}
}

static void print_finding(const json_t *f)
{
	const json_t *o, *r;
	size_t i;

	printf("%-7s %-15s %-9s 0x%08x  ", jstr(f, "severity"), jstr(f, "kind"),
	       jstr(f, "word"), jnum(f, "bits"));
	json_array_foreach(json_object_get(f, "owners"), i, o)
		printf("%s%s", i ? ", " : "", json_string_value(o));
	printf("\n        %s\n", jstr(f, "message"));
	json_array_foreach(json_object_get(f, "rules"), i, r)
		printf("        %s: %s\n", jstr(r, "owner"), jstr(r, "rule"));
}

void audit_report_text(const json_t *j)
{
	const json_t *sum = json_object_get(j, "summary"), *x;
	int width = 28;		/* the owner column: its longest name */
	size_t i;

	json_array_foreach(json_object_get(j, "owners"), i, x)
		if ((int)strlen(jstr(x, "name")) > width)
			width = strlen(jstr(x, "name"));

	print_sources(json_object_get(j, "sources"));
	if (jstr(j, "layout"))
		printf("layout: %s\n", jstr(j, "layout"));
	printf("\n%-*s %-9s  %-10s  %-26s  %-10s  %5s  %s\n", width, "OWNER", "WORD",
	       "WRITES", "HOW", "READS", "RULES", "RECOGNISED BY");
	json_array_foreach(json_object_get(j, "owners"), i, x)
		print_owner(x, width);
	if (!jnum(sum, "findings")) {
		printf("\nno findings\n");
		return;
	}
	printf("\n%u finding%s (%u high, %u medium, %u low):\n",
	       jnum(sum, "findings"), jnum(sum, "findings") == 1 ? "" : "s",
	       jnum(sum, "high"), jnum(sum, "medium"), jnum(sum, "low"));
	json_array_foreach(json_object_get(j, "findings"), i, x)
		print_finding(x);
}
