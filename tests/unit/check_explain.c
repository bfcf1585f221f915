// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl explain's decoding (explain_mark): every documented value of
 * every known owner (the test fixture, and data/owners when the tree has
 * it) is named with its owner, whether asked as VALUE/MASK or as the bare
 * value; the layout's fields and named values; bit by bit.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain.h"

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : "..";
}

static struct owners *load(const char *rel)
{
	char *path, err[512];
	struct owners *o;

	ck_assert_int_gt(asprintf(&path, "%s/%s", srcdir(), rel), 0);
	if (access(path, R_OK) != 0) {
		free(path);
		return NULL;
	}
	o = owners_load(path, err, sizeof(err));
	ck_assert_msg(o != NULL, "%s", err);
	free(path);
	return o;
}

static struct layout *empty_layout(void)
{
	char err[256];
	struct layout *l;

	setenv("MARKCTL_LAYOUT", "/dev/null", 1);
	l = layout_load(NULL, err, sizeof(err));
	unsetenv("MARKCTL_LAYOUT");
	ck_assert_ptr_nonnull(l);
	return l;
}

/* Whether @j names @owner with its value @name. */
static bool names_value(const json_t *j, const char *owner, const char *name)
{
	const json_t *w, *v;
	size_t i, k;

	json_array_foreach(json_object_get(j, "owners"), i, w) {
		if (strcmp(json_string_value(json_object_get(w, "owner")), owner))
			continue;
		json_array_foreach(json_object_get(w, "values"), k, v)
			if (!strcmp(json_string_value(json_object_get(v, "name")),
				    name))
				return true;
	}
	return false;
}

static void check_all_values(const struct owners *o)
{
	struct layout *l = empty_layout();

	for (unsigned int i = 0; o && i < owners_count(o); i++) {
		const struct owner *w = owners_get(o, i);

		for (unsigned int k = 0; k < w->nvalues; k++) {
			const struct owner_value *v = &w->values[k];
			enum layout_word word = v->word == LAYOUT_CONNTRACK ?
						LAYOUT_CONNTRACK : LAYOUT_PACKET;
			json_t *j;

			/* as VALUE/MASK */
			j = explain_mark(l, o, v->value, v->mask, word, true);
			ck_assert_msg(names_value(j, w->name, v->name),
				      "0x%x/0x%x does not name %s %s", v->value,
				      v->mask, w->name, v->name);
			json_decref(j);
			if (!v->value)
				continue;
			/* as the bare value */
			j = explain_mark(l, o, v->value, UINT32_MAX, word, false);
			ck_assert_msg(names_value(j, w->name, v->name),
				      "0x%x does not name %s %s", v->value,
				      w->name, v->name);
			json_decref(j);
		}
	}
	layout_free(l);
}

START_TEST(test_fixture_values)
{
	struct owners *o = load("tests/fixtures/owners");

	ck_assert_ptr_nonnull(o);
	check_all_values(o);
	owners_free(o);
}
END_TEST

START_TEST(test_shipped_values)
{
	struct owners *o = load("data/owners");

	check_all_values(o);
	owners_free(o);
}
END_TEST

/* 51820 is wg-quick's value first; kube's bits it contains come later. */
START_TEST(test_order)
{
	struct owners *o = load("tests/fixtures/owners");
	struct layout *l = empty_layout();
	json_t *j = explain_mark(l, o, 51820, UINT32_MAX, LAYOUT_PACKET, false);
	json_t *first = json_array_get(json_object_get(j, "owners"), 0);

	ck_assert_str_eq(json_string_value(json_object_get(first, "owner")),
			 "wg-quick");
	ck_assert(names_value(j, "kube-proxy", "masq"));
	ck_assert(names_value(j, "kubelet", "drop"));
	ck_assert(!names_value(j, "calico", "accept"));
	ck_assert_str_eq(json_string_value(json_object_get(j, "value_hex")),
			 "0x0000ca6c");
	/* the set bits, each with its users */
	ck_assert_uint_eq(json_array_size(json_object_get(j, "bits")), 8);
	json_decref(j);
	layout_free(l);
	owners_free(o);
}
END_TEST

START_TEST(test_layout_fields)
{
	char path[] = "/tmp/check_explain.XXXXXX", err[256];
	static const char text[] = "field route 0x00ff0000\n value isp2 2\n"
				   "field vpn 0x80000000\n";
	int fd = mkstemp(path);
	struct layout *l;
	json_t *j, *lay, *f;

	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	l = layout_load(path, err, sizeof(err));
	ck_assert_ptr_nonnull(l);
	j = explain_mark(l, NULL, 0x80024000, UINT32_MAX, LAYOUT_PACKET, false);
	lay = json_object_get(j, "layout");
	ck_assert_str_eq(json_string_value(json_object_get(lay, "file")), path);
	f = json_array_get(json_object_get(lay, "fields"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(f, "field")), "route");
	ck_assert_int_eq(json_integer_value(json_object_get(f, "value")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(f, "name")), "isp2");
	f = json_array_get(json_object_get(lay, "fields"), 1);
	ck_assert(json_is_true(json_object_get(f, "flag")));
	ck_assert_int_eq(json_integer_value(json_object_get(lay, "outside")),
			 0x4000);
	json_decref(j);
	/* with a mask: only the fields under it, every bit of it listed */
	j = explain_mark(l, NULL, 0, 0x80000000, LAYOUT_PACKET, true);
	lay = json_object_get(j, "layout");
	ck_assert_uint_eq(json_array_size(json_object_get(lay, "fields")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "bits")), 1);
	f = json_array_get(json_object_get(j, "bits"), 0);
	ck_assert(json_is_false(json_object_get(f, "set")));
	ck_assert_int_eq(json_integer_value(json_object_get(f, "bit")), 31);
	json_decref(j);
	layout_free(l);
	unlink(path);
}
END_TEST

START_TEST(test_value_matches)
{
	/* a zero value counts when asked about its bits or for 0 */
	ck_assert(explain_value_matches(0, 0xff, 0, 0xff, true));
	ck_assert(explain_value_matches(0, 0xff, 0, UINT32_MAX, false));
	ck_assert(!explain_value_matches(0, 0xff, 0x100, UINT32_MAX, false));
	/* a value under a mask not entirely known does not */
	ck_assert(!explain_value_matches(0x4000, 0x4000, 0x4000, 0x3fff, true));
	ck_assert(explain_value_matches(0x4000, 0x4000, 0xc000, 0xffff, true));
}
END_TEST

static Suite *explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_add_test(tc, test_fixture_values);
	tcase_add_test(tc, test_shipped_values);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_layout_fields);
	tcase_add_test(tc, test_value_matches);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(explain_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
