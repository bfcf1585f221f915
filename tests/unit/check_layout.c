// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The layout module: reading the file (good files, every refusal with its
 * file:line: reason), field expressions in all three kinds, and names
 * formatted back from numbers, which must parse to the same numbers.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"

static const char issue_example[] =
	"# comments and blank lines\n"
	"\n"
	"field route 0x00ff0000        # NAME MASK; the mask may be non-contiguous\n"
	"  value isp1 1                # named values, relative to the field\n"
	"  value isp2 2\n"
	"field vpn 0x80000000          # a one-bit field is a flag\n"
	"field wg 0x0000ffff conntrack # optional: packet (default), conntrack or both\n";

static char *tmpfile_with(const char *text)
{
	char *path = strdup("/tmp/check_layout.XXXXXX");
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static struct layout *load_text(const char *text, char **path, char *err,
				size_t errlen)
{
	*path = tmpfile_with(text);
	return layout_load(*path, err, errlen);
}

static struct layout *load_example(char **path)
{
	char err[256];
	struct layout *l = load_text(issue_example, path, err, sizeof(err));

	ck_assert_msg(l != NULL, "example refused: %s", err);
	return l;
}

static void drop(struct layout *l, char *path)
{
	layout_free(l);
	unlink(path);
	free(path);
}

START_TEST(test_example)
{
	char *path;
	struct layout *l = load_example(&path);
	const struct layout_field *f;

	ck_assert_uint_eq(layout_nfields(l), 3);
	ck_assert_str_eq(layout_path(l), path);
	f = layout_find(l, "route");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->mask, 0x00ff0000);
	ck_assert_int_eq(f->word, LAYOUT_PACKET);
	ck_assert_uint_eq(f->nvalues, 2);
	ck_assert_str_eq(f->values[1].name, "isp2");
	ck_assert_uint_eq(layout_place(f->mask, f->values[1].value), 0x20000);
	ck_assert_uint_eq(f->line, 3);
	f = layout_find(l, "wg");
	ck_assert_int_eq(f->word, LAYOUT_CONNTRACK);
	ck_assert_ptr_null(layout_find(l, "nosuch"));
	drop(l, path);
}
END_TEST

START_TEST(test_place_noncontiguous)
{
	ck_assert_uint_eq(layout_place(0x0f0f, 0x1f), 0x10f);
	ck_assert_uint_eq(layout_extract(0x0f0f, 0x10f), 0x1f);
	ck_assert_uint_eq(layout_place(0x00ff0000, 3), 0x30000);
	ck_assert_uint_eq(layout_place(UINT32_MAX, 0xdeadbeef), 0xdeadbeef);
	ck_assert_uint_eq(layout_field_max(0x0f0f), 255);
	ck_assert_uint_eq(layout_field_max(UINT32_MAX), UINT32_MAX);
	ck_assert_uint_eq(layout_field_max(0x80000000), 1);
}
END_TEST

START_TEST(test_ranges_and_words)
{
	char err[256], *path;
	struct layout *l = load_text("field a 16-23\nfield b 31-31 both\n"
				     "field c 0-3 conntrack\nfield d 0x3 packet\n"
				     "field e 0xf0 conntrack\nfield f 0xf0 packet\n",
				     &path, err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(layout_find(l, "a")->mask, 0x00ff0000);
	ck_assert_uint_eq(layout_find(l, "b")->mask, 0x80000000);
	ck_assert_uint_eq(layout_find(l, "c")->mask, 0xf);
	ck_assert_int_eq(layout_find(l, "b")->word, LAYOUT_BOTH);
	/* packet: d and f; a and b apply to both words */
	ck_assert_uint_eq(layout_word_mask(l, LAYOUT_PACKET), 0x80ff00f3);
	ck_assert_uint_eq(layout_word_mask(l, LAYOUT_CONNTRACK), 0x80ff00ff);
	drop(l, path);
}
END_TEST

static const struct bad_case {
	const char *text;
	const char *msg;	/* after "FILE:" */
} bad_cases[] = {
	{ "field a 0xff\nfield b 0x180\n",
	  "2: field \"b\" overlaps field \"a\" (bits 0x00000080)" },
	{ "field a 0xff both\nfield b 0x1 conntrack\n",
	  "2: field \"b\" overlaps field \"a\" (bits 0x00000001)" },
	{ "field a 0xf\n value big 16\n",
	  "2: value \"big\" (16) does not fit field \"a\" (0-15)" },
	{ "\nfield a 0xf\nfiled b 0xf0\n", "3: unknown word \"filed\"" },
	{ "field a 0xf\nfield a 0xf0\n",
	  "2: duplicate field \"a\" (first on line 1)" },
	{ "field a 0xf\n value x 1\n value x 2\n",
	  "3: duplicate value \"x\" in field \"a\"" },
	{ "value x 1\n", "1: value \"x\" before any field" },
	{ "field a 0xfg\n", "1: field \"a\": bad mask \"0xfg\"" },
	{ "field a 0x100000000\n", "1: field \"a\": bad mask \"0x100000000\"" },
	{ "field a 24-32\n", "1: field \"a\": bad mask \"24-32\"" },
	{ "field a 9-8\n", "1: field \"a\": bad mask \"9-8\"" },
	{ "field a -1\n", "1: field \"a\": bad mask \"-1\"" },
	{ "field a 0\n", "1: field \"a\": empty mask" },
	{ "field 1a 0xf\n", "1: bad field name \"1a\"" },
	{ "field a=b 0xf\n", "1: bad field name \"a=b\"" },
	{ "field a,b 0xf\n", "1: bad field name \"a,b\"" },
	{ "field a 0xf pakket\n",
	  "1: field \"a\": unknown word \"pakket\" (packet, conntrack or both)" },
	{ "field a 0xf packet extra\n",
	  "1: unexpected \"extra\" after field \"a\"" },
	{ "field a\n", "1: \"field\" needs a name and a mask" },
	{ "field a 0xf\n value x\n", "2: \"value\" needs a name and a number" },
	{ "field a 0xf\n value x 0x\n", "2: value \"x\": bad number \"0x\"" },
	{ "field a 0xf\n value x +1\n", "2: value \"x\": bad number \"+1\"" },
	{ "field a 0xf\n value 2x 1\n", "2: bad value name \"2x\"" },
	{ "field a 0xf\n value x 1 2\n", "2: unexpected \"2\" after value \"x\"" },
};

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char err[256], *path, *want;
	struct layout *l = load_text(c->text, &path, err, sizeof(err));

	ck_assert_msg(l == NULL, "accepted: %s", c->text);
	ck_assert_int_gt(asprintf(&want, "%s:%s", path, c->msg), 0);
	ck_assert_str_eq(err, want);
	free(want);
	drop(NULL, path);
}
END_TEST

START_TEST(test_missing)
{
	char err[256];
	struct layout *l;

	l = layout_load("/nonexistent/markctl-layout", err, sizeof(err));
	ck_assert_ptr_null(l);
	ck_assert_str_eq(err, "/nonexistent/markctl-layout: No such file or directory");
	/* the variable names a file explicitly */
	setenv("MARKCTL_LAYOUT", "/nonexistent/markctl-layout", 1);
	ck_assert_ptr_null(layout_load(NULL, err, sizeof(err)));
	unsetenv("MARKCTL_LAYOUT");
}
END_TEST

START_TEST(test_env)
{
	char *path = tmpfile_with(issue_example), err[256];
	struct layout *l;

	setenv("MARKCTL_LAYOUT", path, 1);
	l = layout_load(NULL, err, sizeof(err));
	unsetenv("MARKCTL_LAYOUT");
	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(layout_nfields(l), 3);
	drop(l, path);
}
END_TEST

START_TEST(test_comments_only)
{
	char err[256], *path;
	struct layout *l = load_text("# nothing\n\n   # here\n", &path, err,
				     sizeof(err));

	ck_assert_ptr_nonnull(l);
	ck_assert(layout_empty(l));
	drop(l, path);
}
END_TEST

static const struct expr_case {
	const char *expr;
	uint32_t value, mask;
	const char *err;		/* NULL: accepted */
} expr_cases[] = {
	{ "route=isp2", 0x20000, 0xff0000, NULL },
	{ "route=isp2,vpn", 0x80020000, 0x80ff0000, NULL },
	{ "vpn,route=isp2", 0x80020000, 0x80ff0000, NULL },
	{ "vpn", 0x80000000, 0x80000000, NULL },
	{ "vpn=0", 0, 0x80000000, NULL },
	{ "vpn=1", 0x80000000, 0x80000000, NULL },
	{ "route=3", 0x30000, 0xff0000, NULL },
	{ "route=0xff", 0xff0000, 0xff0000, NULL },
	{ "route=0", 0, 0xff0000, NULL },
	{ "wg=51820", 0xca6c, 0xffff, NULL },
	{ "route=256", 0, 0, "value 256 does not fit field \"route\" (0-255)" },
	{ "vpn=2", 0, 0, "value 2 does not fit field \"vpn\" (0-1)" },
	{ "route=isp9", 0, 0, "unknown value \"isp9\" for field \"route\"" },
	{ "route=-1", 0, 0, "unknown value \"-1\" for field \"route\"" },
	{ "route", 0, 0, "field \"route\" needs a value (route=VALUE)" },
	{ "route=isp1,route=isp2", 0, 0, "field \"route\" given twice" },
	{ "vpn,vpn", 0, 0, "field \"vpn\" given twice" },
	{ "route=isp1,", 0, 0, "a field name is missing" },
	{ "=1", 0, 0, "a field name is missing" },
};

START_TEST(test_expr)
{
	const struct expr_case *c = &expr_cases[_i];
	char err[256] = "", *path, *want;
	struct layout *l = load_example(&path);
	uint32_t v = 0, m = 0;
	int rc = layout_parse_expr(l, c->expr, &v, &m, err, sizeof(err));

	if (!c->err) {
		ck_assert_msg(rc == 0, "%s: %s", c->expr, err);
		ck_assert_uint_eq(v, c->value);
		ck_assert_uint_eq(m, c->mask);
	} else {
		ck_assert_msg(rc < 0, "%s accepted", c->expr);
		ck_assert_str_eq(err, c->err);
	}
	/* unknown fields name the layout */
	ck_assert_int_lt(layout_parse_expr(l, "nosuch=1", &v, &m, err,
					   sizeof(err)), 0);
	ck_assert_int_gt(asprintf(&want, "unknown field \"nosuch\" (layout %s)",
				  path), 0);
	ck_assert_str_eq(err, want);
	free(want);
	drop(l, path);
}
END_TEST

START_TEST(test_mask_and_bits)
{
	char err[256], *path;
	struct layout *l = load_example(&path);
	uint32_t m;

	ck_assert_int_eq(layout_parse_mask(l, "route", &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(m, 0xff0000);
	ck_assert_int_eq(layout_parse_mask(l, "route,vpn", &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(m, 0x80ff0000);
	ck_assert_int_lt(layout_parse_mask(l, "route=isp2", &m, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "a mask takes field names only, not \"route=isp2\"");
	ck_assert_int_eq(layout_parse_bits(l, "route", &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(m, 0xff0000);
	ck_assert_int_eq(layout_parse_bits(l, "route=isp2,vpn", &m, err,
					   sizeof(err)), 0);
	ck_assert_uint_eq(m, 0x80020000);
	ck_assert_int_lt(layout_parse_bits(l, "route=isp7", &m, err, sizeof(err)), 0);
	drop(l, path);
}
END_TEST

static const struct fmt_case {
	enum layout_word word;
	uint32_t value, mask;
	const char *expr, *maskname, *bits;	/* NULL: not expressible */
} fmt_cases[] = {
	{ LAYOUT_PACKET, 0x20000, 0xff0000, "route=isp2", "route", "route=isp2" },
	{ LAYOUT_PACKET, 0x80020000, 0x80ff0000, "route=isp2,vpn", "route,vpn",
	  "route=isp2,vpn" },
	{ LAYOUT_PACKET, 0x30000, 0xff0000, "route=3", "route", "route=3" },
	{ LAYOUT_PACKET, 0, 0x80000000, "vpn=0", "vpn", NULL },
	{ LAYOUT_PACKET, 0xff0000, 0xff0000, "route=255", "route", "route" },
	{ LAYOUT_PACKET, 0x20000, 0xf0000, NULL, NULL, "route=isp2" },
	{ LAYOUT_PACKET, 0x1, 0xff0001, NULL, NULL, "wg=1" },
	{ LAYOUT_PACKET, 0x1000000, 0xff0000, NULL, "route", NULL },
	/* wg is conntrack's only, but nothing of packet's claims its bits */
	{ LAYOUT_PACKET, 0xca6c, 0xffff, "wg=51820", "wg", "wg=51820" },
	{ LAYOUT_CONNTRACK, 0xca6c, 0xffff, "wg=51820", "wg", "wg=51820" },
	{ LAYOUT_CONNTRACK, 0x80000000, 0x80000000, "vpn", "vpn", "vpn" },
	{ LAYOUT_PACKET, 0, 0, NULL, NULL, NULL },
};

static void check_back(const struct layout *l, const char *name,
		       int (*parse)(const struct layout *, const char *,
				    uint32_t *, char *, size_t),
		       uint32_t want)
{
	char err[256];
	uint32_t got;

	ck_assert_msg(parse(l, name, &got, err, sizeof(err)) == 0, "%s: %s",
		      name, err);
	ck_assert_uint_eq(got, want);
}

START_TEST(test_format)
{
	const struct fmt_case *c = &fmt_cases[_i];
	char buf[128], err[256], *path;
	struct layout *l = load_example(&path);
	uint32_t v, m;

	if (c->expr) {
		ck_assert(layout_format_expr(l, c->word, c->value, c->mask, buf,
					     sizeof(buf)));
		ck_assert_str_eq(buf, c->expr);
		ck_assert_int_eq(layout_parse_expr(l, buf, &v, &m, err,
						   sizeof(err)), 0);
		ck_assert_uint_eq(v, c->value);
		ck_assert_uint_eq(m, c->mask);
	} else {
		ck_assert(!layout_format_expr(l, c->word, c->value, c->mask,
					      buf, sizeof(buf)));
	}
	if (c->maskname) {
		ck_assert(layout_format_mask(l, c->word, c->mask, buf,
					     sizeof(buf)));
		ck_assert_str_eq(buf, c->maskname);
		check_back(l, buf, layout_parse_mask, c->mask);
	} else {
		ck_assert(!layout_format_mask(l, c->word, c->mask, buf,
					      sizeof(buf)));
	}
	if (c->bits) {
		ck_assert(layout_format_bits(l, c->word, c->value, buf,
					     sizeof(buf)));
		ck_assert_str_eq(buf, c->bits);
		check_back(l, buf, layout_parse_bits, c->value);
	} else {
		ck_assert(!layout_format_bits(l, c->word, c->value, buf,
					      sizeof(buf)));
	}
	/* too small a buffer is "not expressible", never a cut name */
	ck_assert(!layout_format_expr(l, LAYOUT_PACKET, 0x80020000, 0x80ff0000,
				      buf, 8));
	drop(l, path);
}
END_TEST

/* A packet field and a conntrack field on the same bits: each word's
 * listing uses its own. */
START_TEST(test_format_by_word)
{
	char buf[64], err[256], *path;
	struct layout *l = load_text("field p 0xff packet\nfield c 0xff conntrack\n",
				     &path, err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert(layout_format_expr(l, LAYOUT_PACKET, 1, 0xff, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "p=1");
	ck_assert(layout_format_expr(l, LAYOUT_CONNTRACK, 1, 0xff, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "c=1");
	drop(l, path);
}
END_TEST

static Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("file");

	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_place_noncontiguous);
	tcase_add_test(tc, test_ranges_and_words);
	tcase_add_loop_test(tc, test_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_comments_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("expr");
	tcase_add_loop_test(tc, test_expr, 0,
			    sizeof(expr_cases) / sizeof(expr_cases[0]));
	tcase_add_test(tc, test_mask_and_bits);
	tcase_add_loop_test(tc, test_format, 0,
			    sizeof(fmt_cases) / sizeof(fmt_cases[0]));
	tcase_add_test(tc, test_format_by_word);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(layout_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
