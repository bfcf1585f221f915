// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Field names in the mark options (MARK, CONNMARK, mark, connmark): every
 * option given a field expression builds the same kernel struct, byte for
 * byte, as its numeric form; --names listings print field expressions
 * that parse back to the same struct; bad names exit 2 naming option and
 * value; and a numeric rule never reads the layout.  Each case runs in a
 * child (capture.h).  The layout is the example of issue 15, in a
 * temporary file named by $MARKCTL_LAYOUT.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "capture.h"
#include "cmd.h"
#include "emit.h"
#include "layout.h"
#include "msg.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"
#include "util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PFX "iptables v1.8.9 (nf_tables): "
#define TRY "Try `iptables -h' or 'iptables --help' for more information.\n"

static const char layout_text[] =
	"field route 0x00ff0000\n"
	"  value isp1 1\n"
	"  value isp2 2\n"
	"field vpn 0x80000000\n"
	"field wg 0x0000ffff conntrack\n";

static char layout_file[] = "/tmp/check_names.XXXXXX";

/* One rule in mangle PREROUTING by names, the same by numbers, and how
 * -S --names prints it (NULL: as written by names). */
static const struct pair {
	const char *names, *numbers, *listed;
} pairs[] = {
	{ "-j MARK --set-xmark route=isp2", "-j MARK --set-xmark 0x20000/0xff0000", NULL },
	{ "-j MARK --set-xmark route=isp2,vpn",
	  "-j MARK --set-xmark 0x80020000/0x80ff0000", NULL },
	{ "-j MARK --set-mark route=isp2", "-j MARK --set-mark 0x20000/0xff0000",
	  "-j MARK --set-xmark route=isp2" },
	{ "-j MARK --set-mark vpn", "-j MARK --set-mark 0x80000000/0x80000000",
	  "-j MARK --set-xmark vpn" },
	{ "-j MARK --set-mark route=3", "-j MARK --set-mark 0x30000/0xff0000",
	  "-j MARK --set-xmark route=3" },
	{ "-j MARK --and-mark route", "-j MARK --and-mark 0xff0000",
	  "-j MARK --set-xmark 0x0/0xff00ffff" },
	{ "-j MARK --or-mark vpn", "-j MARK --or-mark 0x80000000",
	  "-j MARK --set-xmark vpn" },
	{ "-j MARK --or-mark route=isp1,vpn", "-j MARK --or-mark 0x80010000",
	  "-j MARK --set-xmark 0x80010000/0x80010000" },
	{ "-j MARK --xor-mark vpn", "-j MARK --xor-mark 0x80000000",
	  "-j MARK --set-xmark 0x80000000/0x0" },
	{ "-m mark --mark route=isp2", "-m mark --mark 0x20000/0xff0000", NULL },
	{ "-m mark ! --mark vpn", "-m mark ! --mark 0x80000000/0x80000000", NULL },
	{ "-m mark --mark vpn=0", "-m mark --mark 0/0x80000000", NULL },
	{ "-m connmark --mark wg=51820", "-m connmark --mark 0xca6c/0xffff", NULL },
	{ "-m connmark ! --mark route=isp1,vpn",
	  "-m connmark ! --mark 0x80010000/0x80ff0000", NULL },
	{ "-j CONNMARK --set-xmark wg=51820", "-j CONNMARK --set-xmark 0xca6c/0xffff",
	  NULL },
	{ "-j CONNMARK --set-mark route=isp1", "-j CONNMARK --set-mark 0x10000/0xff0000",
	  "-j CONNMARK --set-xmark route=isp1" },
	{ "-j CONNMARK --and-mark wg", "-j CONNMARK --and-mark 0xffff",
	  "-j CONNMARK --set-xmark 0x0/0xffff0000" },
	{ "-j CONNMARK --or-mark vpn", "-j CONNMARK --or-mark 0x80000000",
	  "-j CONNMARK --set-xmark vpn" },
	{ "-j CONNMARK --xor-mark route=isp2", "-j CONNMARK --xor-mark 0x20000",
	  "-j CONNMARK --set-xmark 0x20000/0x0" },
	{ "-j CONNMARK --save-mark --mask route",
	  "-j CONNMARK --save-mark --mask 0xff0000",
	  "-j CONNMARK --save-mark --nfmask route --ctmask route" },
	{ "-j CONNMARK --save-mark --nfmask route --ctmask wg",
	  "-j CONNMARK --save-mark --nfmask 0xff0000 --ctmask 0xffff", NULL },
	{ "-j CONNMARK --restore-mark --ctmask route,vpn --nfmask route,vpn",
	  "-j CONNMARK --restore-mark --ctmask 0x80ff0000 --nfmask 0x80ff0000",
	  "-j CONNMARK --restore-mark --nfmask route,vpn --ctmask route,vpn" },
	{ "-j CONNMARK --restore-mark --mask wg --right-shift-mark 8",
	  "-j CONNMARK --restore-mark --mask 0xffff --right-shift-mark 8",
	  "-j CONNMARK --restore-mark --nfmask wg --ctmask wg --right-shift-mark 8" },
	{ "-j CONNMARK --set-mark vpn --ctmask route",
	  "-j CONNMARK --set-mark 0x80000000 --ctmask 0xff0000",
	  "-j CONNMARK --set-xmark 0x80000000/0xff0000" },
};

/* Bad values: stderr after PFX, before TRY. */
static const struct bad {
	const char *rule, *err;
} bads[] = {
	{ "-j MARK --set-mark route=isp9",
	  "MARK: bad value \"route=isp9\" for option \"--set-mark\": unknown value \"isp9\" for field \"route\"\n" },
	{ "-j MARK --set-xmark route=256",
	  "MARK: bad value \"route=256\" for option \"--set-xmark\": value 256 does not fit field \"route\" (0-255)\n" },
	{ "-j MARK --set-mark route",
	  "MARK: bad value \"route\" for option \"--set-mark\": field \"route\" needs a value (route=VALUE)\n" },
	{ "-j MARK --or-mark vpn,vpn",
	  "MARK: bad value \"vpn,vpn\" for option \"--or-mark\": field \"vpn\" given twice\n" },
	{ "-m mark --mark rout=isp2",
	  "mark: bad value \"rout=isp2\" for option \"--mark\": unknown field \"rout\" (layout %s)\n" },
	{ "-m connmark ! --mark vpn=2",
	  "connmark: bad value \"vpn=2\" for option \"--mark\": value 2 does not fit field \"vpn\" (0-1)\n" },
	{ "-j CONNMARK --save-mark --mask route=isp1",
	  "CONNMARK: bad value \"route=isp1\" for option \"--mask\": a mask takes field names only, not \"route=isp1\"\n" },
	{ "-j CONNMARK --save-mark --ctmask nosuch",
	  "CONNMARK: bad value \"nosuch\" for option \"--ctmask\": unknown field \"nosuch\" (layout %s)\n" },
	/* numbers keep libxtables' messages */
	{ "-j MARK --set-mark 1x",
	  "MARK: trailing garbage after value for option \"--set-mark\".\n\n" },
	{ "-j MARK --and-mark -1",
	  "MARK: bad value for option \"--and-mark\", or out of range (0-4294967295).\n\n" },
	{ "-j CONNMARK --save-mark --nfmask 0x1ffffffff",
	  "CONNMARK: bad value for option \"--nfmask\", or out of range (0-4294967295).\n\n" },
};

struct child_arg {
	const char *rule;
	bool names;
};

static int parse_child(const void *p)
{
	const struct child_arg *a = p;
	struct markctl_ctx ctx = { .family = NFPROTO_IPV4,
				   .progname = "iptables" };
	char *argv[64] = { "iptables", "-t", "mangle", "-A", "PREROUTING" };
	char *words = strdup(a->rule);
	int argc = 5;
	struct rule_cmd cmd;

	for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	msg_set_progname("iptables");
	plugins_init(&ctx, NFPROTO_IPV4, parse_getopt_options());
	rule_cmd_init(&cmd, NFPROTO_IPV4);
	parse_argv(&ctx, argc, argv, &cmd);
	layout_set_names(a->names);
	emit_rule_save(cmd.chain, cmd.rule, 0);
	if (cmd.rule->target_data) {
		const unsigned char *d = cmd.rule->target_data->data;
		size_t n = cmd.rule->target_data->u.target_size -
			   XT_ALIGN(sizeof(struct xt_entry_target));

		for (size_t i = 0; i < n; i++)
			printf("%02x", d[i]);
	}
	for (unsigned int i = 0; i < cmd.rule->nmatches; i++) {
		const struct xt_entry_match *m = cmd.rule->matches[i].data;
		size_t n = m->u.match_size - XT_ALIGN(sizeof(*m));

		printf(" %s:", m->u.user.name);
		for (size_t j = 0; j < n; j++)
			printf("%02x", m->data[j]);
	}
	putchar('\n');
	fflush(stdout);
	rule_cmd_release(&cmd);
	plugins_release();
	layout_release();
	free(words);
	return 0;
}

static void run_rule(const char *rule, bool names, struct captured *res)
{
	struct child_arg a = { rule, names };

	run_captured(parse_child, &a, res);
	ck_assert_msg(res->rc == 0, "%s: rc %d: %s", rule, res->rc, res->err);
}

/* The blob part of a child's output: its second line. */
static const char *blobs(const struct captured *res)
{
	return strchr(res->out, '\n') + 1;
}

START_TEST(test_same_blob)
{
	const struct pair *p = &pairs[_i];
	struct captured byname, bynum;

	run_rule(p->names, false, &byname);
	run_rule(p->numbers, false, &bynum);
	ck_assert_msg(strcmp(byname.out, bynum.out) == 0,
		      "%s\n%s\nvs %s\n%s", p->names, byname.out, p->numbers,
		      bynum.out);
	captured_release(&byname);
	captured_release(&bynum);
}
END_TEST

/* -S --names, and what it prints parses back to the same struct. */
START_TEST(test_listed_names)
{
	const struct pair *p = &pairs[_i];
	const char *want = p->listed ? p->listed : p->names;
	struct captured listed, again;
	char *line;

	run_rule(p->numbers, true, &listed);
	ck_assert_int_gt(asprintf(&line, "-A PREROUTING %s\n", want), 0);
	ck_assert_msg(strncmp(listed.out, line, strlen(line)) == 0,
		      "%s: listed\n%s\nwanted\n%s", p->numbers, listed.out, line);
	run_rule(want, false, &again);
	ck_assert_str_eq(blobs(&again), blobs(&listed));
	free(line);
	captured_release(&listed);
	captured_release(&again);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad *b = &bads[_i];
	struct child_arg a = { b->rule, false };
	struct captured res;
	char *msg, *want;

	run_captured(parse_child, &a, &res);
	ck_assert_int_gt(asprintf(&msg, b->err, layout_file), 0);
	ck_assert_int_gt(asprintf(&want, PFX "%s" TRY, msg), 0);
	ck_assert_msg(res.rc == 2, "%s: rc %d", b->rule, res.rc);
	ck_assert_str_eq(res.err, want);
	ck_assert_str_eq(res.out, "");
	free(msg);
	free(want);
	captured_release(&res);
}
END_TEST

/* A numeric rule does not read the layout: a missing explicit one, an
 * error for any name, goes unnoticed. */
START_TEST(test_numbers_read_no_layout)
{
	struct child_arg a = {
		"-m mark --mark 0x5/0xff -j CONNMARK --save-mark --mask 0xff", false
	};
	struct captured res;

	setenv("MARKCTL_LAYOUT", "/nonexistent/layout", 1);
	run_captured(parse_child, &a, &res);
	ck_assert_msg(res.rc == 0, "rc %d: %s", res.rc, res.err);
	captured_release(&res);
	a.rule = "-j MARK --set-mark vpn";
	run_captured(parse_child, &a, &res);
	ck_assert_int_eq(res.rc, 2);
	ck_assert_str_eq(res.err, "markctl: /nonexistent/layout: No such file or directory\n");
	captured_release(&res);
	setenv("MARKCTL_LAYOUT", layout_file, 1);
}
END_TEST

/* Without a layout, a word keeps libxtables' message; an expression
 * says why it was not read. */
START_TEST(test_no_layout)
{
	struct child_arg a = { "-j MARK --set-mark vpn", false };
	char *empty = strdup("/tmp/check_names_empty.XXXXXX");
	struct captured res;
	char *want;
	int fd = mkstemp(empty);

	ck_assert_int_ge(fd, 0);
	close(fd);
	setenv("MARKCTL_LAYOUT", empty, 1);
	run_captured(parse_child, &a, &res);
	ck_assert_str_eq(res.err, PFX "MARK: bad integer value for option \"--set-mark\", or out of range.\n\n" TRY);
	captured_release(&res);
	a.rule = "-j MARK --set-mark route=isp1";
	run_captured(parse_child, &a, &res);
	ck_assert_int_gt(asprintf(&want, PFX "MARK: bad value \"route=isp1\" for option \"--set-mark\": not a number, and no layout names fields (%s)\n" TRY,
				  empty), 0);
	ck_assert_str_eq(res.err, want);
	ck_assert_int_eq(res.rc, 2);
	captured_release(&res);
	free(want);
	unlink(empty);
	free(empty);
	setenv("MARKCTL_LAYOUT", layout_file, 1);
}
END_TEST

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("options");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_same_blob, 0, ARRAY_SIZE(pairs));
	tcase_add_loop_test(tc, test_listed_names, 0, ARRAY_SIZE(pairs));
	tcase_add_loop_test(tc, test_bad, 0, ARRAY_SIZE(bads));
	tcase_add_test(tc, test_numbers_read_no_layout);
	tcase_add_test(tc, test_no_layout);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed, fd = mkstemp(layout_file);

	if (fd < 0 || write(fd, layout_text, strlen(layout_text)) < 0)
		return EXIT_FAILURE;
	close(fd);
	setenv("MARKCTL_LAYOUT", layout_file, 1);
	sr = srunner_create(names_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(layout_file);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
