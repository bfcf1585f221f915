// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The known-owners parser: the test fixture (tests/fixtures/owners), the
 * shipped data/owners when the tree has it, every refusal with its
 * file:line: reason, and recognition by chain, table, comment, interface
 * and ip rule.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owners.h"

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : "..";
}

static struct owners *load_fixture(void)
{
	char *path, err[512];
	struct owners *o;

	ck_assert_int_gt(asprintf(&path, "%s/tests/fixtures/owners", srcdir()), 0);
	o = owners_load(path, err, sizeof(err));
	ck_assert_msg(o != NULL, "%s", err);
	free(path);
	return o;
}

START_TEST(test_fixture)
{
	struct owners *o = load_fixture();
	const struct owner *w = owners_find(o, "wg-quick");

	ck_assert_uint_eq(owners_count(o), 7);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->title, "WireGuard quick setup script");
	ck_assert_uint_eq(w->nvalues, 1);
	ck_assert_uint_eq(w->values[0].value, 0xca6c);
	ck_assert_uint_eq(w->values[0].mask, 0xffffffff);
	ck_assert_str_eq(w->values[0].name, "fwmark");
	ck_assert_str_eq(w->values[0].text, "packets the tunnel itself sends (51820)");
	ck_assert_str_eq(w->comments.v[0], "wg-quick(8) rule for *");
	ck_assert_uint_eq(owner_bits_of(w, LAYOUT_PACKET), 0xffffffff);
	ck_assert_uint_eq(owner_bits_of(w, LAYOUT_CONNTRACK), 0);
	w = owners_find(o, "kube-proxy");
	ck_assert_uint_eq(w->sources.n, 2);
	ck_assert_str_eq(w->configs.v[0], "--iptables-masquerade-bit (default 14)");
	ck_assert_uint_eq(w->line, 6);
	ck_assert_ptr_null(owners_find(o, "nosuch"));
	owners_free(o);
}
END_TEST

START_TEST(test_recognition)
{
	struct owners *o = load_fixture();
	const struct owner *kube = owners_find(o, "kube-proxy");
	const struct owner *wg = owners_find(o, "wg-quick");
	const struct owner *ts = owners_find(o, "tailscale");
	const struct owner *cali = owners_find(o, "calico");

	ck_assert(owner_has_chain(kube, "KUBE-MARK-MASQ"));
	ck_assert(!owner_has_chain(kube, "kube-mark"));
	ck_assert(owner_has_table(kube, "ip", "kube-proxy"));
	ck_assert(!owner_has_table(kube, "inet", "kube-proxy"));
	ck_assert(owner_has_table(cali, "inet", "calico"));
	ck_assert(owner_has_table(wg, "ip6", "wg-quick-wg0"));
	ck_assert(owner_has_comment(wg, "wg-quick(8) rule for wg0"));
	ck_assert(!owner_has_comment(wg, "something else"));
	ck_assert(owner_has_iface(wg, "wg0"));
	ck_assert(owner_has_iprule(wg, 51820, 32765));
	ck_assert(!owner_has_iprule(wg, 100, 32765));
	ck_assert(owner_has_iprule(ts, 254, 5210));
	ck_assert(owner_has_iprule(ts, 254, 5270));
	ck_assert(!owner_has_iprule(ts, 254, 5271));
	ck_assert(owner_has_iprule(ts, 52, 1));
	owners_free(o);
}
END_TEST

/* The shipped file, once it is in the tree. */
START_TEST(test_shipped)
{
	char *path, err[512];
	struct owners *o;

	ck_assert_int_gt(asprintf(&path, "%s/data/owners", srcdir()), 0);
	if (access(path, R_OK) != 0) {
		free(path);
		return;
	}
	o = owners_load(path, err, sizeof(err));
	ck_assert_msg(o != NULL, "%s", err);
	for (unsigned int i = 0; i < owners_count(o); i++) {
		const struct owner *w = owners_get(o, i);

		ck_assert_msg(w->title && w->sources.n && (w->nbits || w->nvalues),
			      "%s incomplete", w->name);
	}
	owners_free(o);
	free(path);
}
END_TEST

#define HEAD "owner t\n title T\n source a/b:c.go\n"

static const struct bad_case {
	const char *text, *msg;		/* msg after "FILE:" */
} bad_cases[] = {
	{ HEAD " bits packet 0xff x\n frob 1\n", "5: unknown directive \"frob\"" },
	{ " title T\n", "1: \"title\" before any owner" },
	{ HEAD " bits packet 0xfg x\n", "4: bad mask \"0xfg\"" },
	{ HEAD " bits packet 0x100000000 x\n", "4: bad mask \"0x100000000\"" },
	{ HEAD " bits pkt 0xff x\n", "4: bad word \"pkt\" (packet, conntrack or both)" },
	{ HEAD " value packet 0x100/0xff n text\n", "4: value 0x100 outside its mask 0xff" },
	{ HEAD " value packet zz n text\n", "4: bad value \"zz\" (want VALUE/MASK)" },
	{ HEAD " value packet 0x1/0x1 Bad text\n", "4: bad value name \"Bad\"" },
	{ HEAD " value packet 0x1/0x1\n", "4: bad value name \"\"" },
	{ HEAD " bits packet 0xff x\n iprule fwmark 1\n",
	  "5: bad iprule (want \"table N\", \"pref N\" or \"pref N-M\")" },
	{ HEAD " bits packet 0xff x\n iprule pref 9-3\n",
	  "5: bad iprule (want \"table N\", \"pref N\" or \"pref N-M\")" },
	{ HEAD " bits packet 0xff x\n source nowhere\n",
	  "5: bad source \"nowhere\" (want owner/repo:path)" },
	{ HEAD " bits packet 0xff x\n chain A B\n",
	  "5: \"chain\" takes one pattern, not \"A B\"" },
	{ HEAD " bits packet 0xff x\n title again\n",
	  "5: owner \"t\" has a second title" },
	{ HEAD " bits packet 0xff x\nowner t\n",
	  "5: duplicate owner \"t\" (first on line 1)" },
	{ "owner Big\n", "1: bad owner name \"Big\"" },
	{ "owner a b\n", "1: unexpected \"b\" after owner \"a\"" },
	{ HEAD, "1: owner \"t\" has no bits or value line" },
	{ "owner t\n source a/b:c\n bits packet 1 x\n", "1: owner \"t\" has no title" },
	{ "owner t\n title T\n bits packet 1 x\nowner u\n",
	  "1: owner \"t\" has no source" },
};

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char path[] = "/tmp/check_owners.XXXXXX", err[512], *want;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, c->text, strlen(c->text)),
			 (ssize_t)strlen(c->text));
	close(fd);
	ck_assert_msg(owners_load(path, err, sizeof(err)) == NULL, "accepted: %s",
		      c->text);
	ck_assert_int_gt(asprintf(&want, "%s:%s", path, c->msg), 0);
	ck_assert_str_eq(err, want);
	free(want);
	unlink(path);
}
END_TEST

START_TEST(test_missing_and_env)
{
	char err[512], *path;
	struct owners *o;

	ck_assert_ptr_null(owners_load("/nonexistent/owners", err, sizeof(err)));
	ck_assert_str_eq(err, "/nonexistent/owners: No such file or directory");
	ck_assert_int_gt(asprintf(&path, "%s/tests/fixtures/owners", srcdir()), 0);
	setenv("MARKCTL_OWNERS", path, 1);
	o = owners_load(NULL, err, sizeof(err));
	unsetenv("MARKCTL_OWNERS");
	ck_assert_msg(o != NULL, "%s", err);
	ck_assert_str_eq(owners_path(o), path);
	owners_free(o);
	free(path);
}
END_TEST

static Suite *owners_suite(void)
{
	Suite *s = suite_create("owners");
	TCase *tc = tcase_create("file");

	tcase_add_test(tc, test_fixture);
	tcase_add_test(tc, test_recognition);
	tcase_add_test(tc, test_shipped);
	tcase_add_loop_test(tc, test_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_missing_and_env);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(owners_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
