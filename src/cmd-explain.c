// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl-explain (markctl explain VALUE[/MASK]): what a mark means, by the
 * layout's fields and named values, by the known owners of its bits and
 * values, and bit by bit; text for people, -o json for scripts.  A program
 * of its own so that markctl never maps jansson.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "layout.h"
#include "opts.h"
#include "owners.h"
#include "subcmd.h"

enum { EXPLAIN_CONNTRACK = 1 << 0 };

struct explain_opts {
	const char *output, *layout, *owners;
	unsigned int flags;
};

static const char explain_usage[] =
"Usage: markctl explain [-c|--conntrack] [-o text|json] [--layout FILE]\n"
"                       [--owners FILE] VALUE[/MASK]|EXPRESSION\n"
"\n"
"Decodes a mark (packet mark, or with -c the connection mark): by the\n"
"layout's fields and named values, by the known owners of its bits and\n"
"values, bit by bit.  VALUE and MASK are numbers (decimal, 0x hex, 0\n"
"octal); EXPRESSION is a field expression of the layout (route=isp2,vpn).\n";

static void explain_help(void *state, const char *arg)
{
	(void)state;
	(void)arg;
	fputs(explain_usage, stdout);
	exit(0);
}

static void explain_unknown(void *state)
{
	(void)state;
	fputs(explain_usage, stderr);
	exit(SUBCMD_USAGE);
}

static const struct opt explain_options[] = {
	OPTS_STRING("output", 'o', OPT_OWN, struct explain_opts, output),
	OPTS_FLAG("conntrack", 'c', OPT_OWN, struct explain_opts, flags,
		  EXPLAIN_CONNTRACK),
	OPTS_STRING("layout", OPTS_LONG_ONLY, OPT_OWN, struct explain_opts,
		    layout),
	OPTS_STRING("owners", OPTS_LONG_ONLY + 1, OPT_OWN, struct explain_opts,
		    owners),
	OPTS_CALL("help", 'h', no_argument, OPT_OWN, explain_help),
	OPTS_END,
};

/* ---- text ---- */

static uint32_t jnum(const json_t *obj, const char *key)
{
	return (uint32_t)json_integer_value(json_object_get(obj, key));
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* "a, b" of a JSON array of strings */
static void print_names(const json_t *arr)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		printf("%s%s", i ? ", " : "", json_string_value(v));
}

static void print_layout(const json_t *lay)
{
	const json_t *f;
	size_t i;

	if (!json_is_object(lay))
		return;
	printf("layout %s:\n", jstr(lay, "file"));
	json_array_foreach(json_object_get(lay, "fields"), i, f) {
		const char *name = jstr(f, "name");

		printf("  %s=", jstr(f, "field"));
		if (name)
			printf("%s (%u)", name, jnum(f, "value"));
		else
			printf("%u", jnum(f, "value"));
		printf("\tfield 0x%08x, %s%s%s\n", jnum(f, "mask"),
		       jstr(f, "word"), json_is_true(json_object_get(f, "flag")) ?
		       ", a flag" : "",
		       json_is_true(json_object_get(f, "whole")) ? "" :
		       ", only partly under the mask");
	}
	if (jnum(lay, "outside"))
		printf("  outside the layout: 0x%08x\n", jnum(lay, "outside"));
}

static void print_owner(const json_t *w)
{
	const json_t *e;
	size_t i;

	printf("  %s: %s\n", jstr(w, "owner"), jstr(w, "title"));
	json_array_foreach(json_object_get(w, "values"), i, e)
		printf("    value %s 0x%x/0x%x (%s): %s\n", jstr(e, "name"),
		       jnum(e, "value"), jnum(e, "mask"), jstr(e, "word"),
		       jstr(e, "text"));
	json_array_foreach(json_object_get(w, "bits"), i, e)
		printf("    uses 0x%08x of its bits 0x%08x (%s): %s\n",
		       jnum(e, "bits"), jnum(e, "mask"), jstr(e, "word"),
		       jstr(e, "text"));
	json_array_foreach(json_object_get(w, "sources"), i, e)
		printf("    source %s\n", json_string_value(e));
}

static void print_bits(const json_t *bits)
{
	const json_t *b;
	size_t i;

	if (!json_array_size(bits))
		return;
	printf("bits:\n");
	json_array_foreach(bits, i, b) {
		const json_t *fields = json_object_get(b, "fields");
		const json_t *owners = json_object_get(b, "owners");

		printf("  bit %-2u 0x%08x %s", jnum(b, "bit"), jnum(b, "mask"),
		       json_is_true(json_object_get(b, "set")) ? "1" : "0");
		if (json_array_size(fields)) {
			printf("  field ");
			print_names(fields);
		}
		if (json_array_size(owners)) {
			printf("  used by ");
			print_names(owners);
		}
		putchar('\n');
	}
}

static void print_text(const json_t *j)
{
	const json_t *owners = json_object_get(j, "owners"), *w;
	size_t i;

	printf("0x%08x/0x%08x, %s mark\n", jnum(j, "value"), jnum(j, "mask"),
	       jstr(j, "word"));
	print_layout(json_object_get(j, "layout"));
	if (json_array_size(owners)) {
		printf("known owners:\n");
		json_array_foreach(owners, i, w)
			print_owner(w);
	}
	print_bits(json_object_get(j, "bits"));
}

/* ---- the command ---- */

/* A number, else a field expression; exits 2 naming the value. */
static void read_mark(const struct layout *l, const char *arg, uint32_t *v,
		      uint32_t *m, bool *mask_given)
{
	char err[256];

	*mask_given = strchr(arg, '/') != NULL;
	if (layout_parse_number(arg, v, m) == 0)
		return;
	*mask_given = true;
	if (layout_empty(l))
		subcmd_die(SUBCMD_USAGE, "bad value \"%s\": not a number, and no layout names fields (%s)",
			   arg, layout_path(l));
	if (layout_parse_expr(l, arg, v, m, err, sizeof(err)) < 0)
		subcmd_die(SUBCMD_USAGE, "bad value \"%s\": %s", arg, err);
}

int main(int argc, char **argv)
{
	struct explain_opts o = { .output = "text" };
	const struct layout *l;
	struct owners *owners;
	bool json, mask_given;
	uint32_t v, m;
	json_t *j;

	subcmd_init("explain");
	opts_parse(explain_options, false, argc, argv, &o, explain_unknown);
	json = subcmd_output_json(o.output);
	if (optind != argc - 1) {
		fputs(explain_usage, stderr);
		return SUBCMD_USAGE;
	}
	if (o.layout)
		layout_set_path(o.layout);
	l = layout_get();
	read_mark(l, argv[optind], &v, &m, &mask_given);
	owners = subcmd_owners(o.owners);
	j = explain_mark(l, owners, v, m, o.flags & EXPLAIN_CONNTRACK ?
			 LAYOUT_CONNTRACK : LAYOUT_PACKET, mask_given);
	if (!j)
		subcmd_die(SUBCMD_RESOURCE, "%s", strerror(ENOMEM));
	if (json)
		subcmd_print_json(j);
	else
		print_text(j);
	json_decref(j);
	owners_free(owners);
	layout_release();
	return 0;
}
