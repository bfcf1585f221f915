// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output tests: translate.cases (iptables-translate 1.8.9) through
 * cmd_translate, emit.cases (iptables-nft 1.8.9 -S, -L, save -c) through
 * parse_argv and the emitters, plus hand-built rules.  Every case runs in
 * a child with stdout and stderr in temporary files, since libxtables
 * keeps global state and errors exit.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "backend.h"
#include "capture.h"
#include "cmd.h"
#include "emit.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"
#include "msg.h"
#include "util.h"

/* One "$ ..." or "@ ..." block of a cases file. */
struct tcase_data {
	char kind;		/* '$' or '@' */
	int lineno;
	char *cmd;		/* after the "$ " */
	char *out;		/* expected stdout */
	char *err;		/* expected stderr (translate) */
	char **keys;		/* emit: one key per expectation line */
	unsigned int nkeys;
	int rc;
};

struct cases {
	struct tcase_data *v;
	unsigned int n;
};

static struct cases translate_cases, emit_cases;

/* ---------- reading the case files (before Check runs: no ck_*) ---------- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("realloc");
		exit(EXIT_FAILURE);
	}
	return p;
}

static void append(char **buf, const char *s, size_t len, bool newline)
{
	size_t old = *buf ? strlen(*buf) : 0;

	*buf = xrealloc(*buf, old + len + 2);
	memcpy(*buf + old, s, len);
	if (newline)
		(*buf)[old + len++] = '\n';
	(*buf)[old + len] = '\0';
}

static struct tcase_data *case_new(struct cases *c, char kind, int lineno,
				   const char *cmd)
{
	struct tcase_data *t;

	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	t = &c->v[c->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->lineno = lineno;
	t->cmd = strdup(cmd);
	t->out = strdup("");
	t->err = strdup("");
	return t;
}

/* translate.cases: "> out", "% out without newline", "! err", "? rc" */
static void translate_line(struct tcase_data *t, const char *line, size_t len)
{
	const char *text = len > 2 ? line + 2 : "";
	size_t tlen = len > 2 ? len - 2 : 0;

	switch (line[0]) {
	case '>': append(&t->out, text, tlen, true); break;
	case '%': append(&t->out, text, tlen, false); break;
	case '!': append(&t->err, text, tlen, true); break;
	case '?': t->rc = atoi(text); break;
	}
}

/* emit.cases: "KEY text"; the text lines concatenate to the output. */
static void emit_line(struct tcase_data *t, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);

	if (!sp) {
		fprintf(stderr, "emit.cases line without key: %s\n", line);
		exit(EXIT_FAILURE);
	}
	t->keys = xrealloc(t->keys, (t->nkeys + 1) * sizeof(*t->keys));
	t->keys[t->nkeys++] = strndup(line, sp - line);
	append(&t->out, sp + 1, len - (sp + 1 - line), true);
}

static void cases_load(struct cases *c, const char *name)
{
	const char *dir = getenv("top_srcdir");
	char path[4096], *line = NULL;
	struct tcase_data *cur = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/%s", dir ? dir : ".", name);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(EXIT_FAILURE);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if ((line[0] == '$' || line[0] == '@') && line[1] == ' ')
			cur = case_new(c, line[0], lineno, line + 2);
		else if (cur && c == &translate_cases)
			translate_line(cur, line, len);
		else if (cur)
			emit_line(cur, line, len);
	}
	free(line);
	fclose(f);
}

static void cases_free(struct cases *c)
{
	for (unsigned int i = 0; i < c->n; i++) {
		struct tcase_data *t = &c->v[i];

		for (unsigned int k = 0; k < t->nkeys; k++)
			free(t->keys[k]);
		free(t->keys);
		free(t->cmd);
		free(t->out);
		free(t->err);
	}
	free(c->v);
}

/* ---------- running a child with captured output ---------- */

static char **split_words(const char *cmd, wordexp_t *we)
{
	ck_assert_msg(wordexp(cmd, we, WRDE_NOCMD | WRDE_SHOWERR) == 0,
		      "cannot split: %s", cmd);
	return we->we_wordv;
}

/* ---------- translate.cases ---------- */

static int translate_child(const void *arg)
{
	const struct tcase_data *t = arg;
	struct markctl_ctx ctx = {
		.backend_ops	= &nft_backend_ops,
	};
	wordexp_t we;
	char **argv = split_words(t->cmd, &we);
	int ret;

	ctx.progname = argv[0];
	ctx.family = strncmp(argv[0], "ip6", 3) == 0 ? NFPROTO_IPV6 :
		     NFPROTO_IPV4;
	ret = cmd_translate(&ctx, we.we_wordc, argv);
	ctx_release(&ctx);
	wordfree(&we);
	return ret;
}

START_TEST(test_translate_case)
{
	const struct tcase_data *t = &translate_cases.v[_i];
	struct captured res;

	run_captured(translate_child, t, &res);
	ck_assert_msg(strcmp(res.out, t->out) == 0,
		      "translate.cases:%d %s\nstdout: [%s]\nwanted: [%s]",
		      t->lineno, t->cmd, res.out, t->out);
	ck_assert_msg(strcmp(res.err, t->err) == 0,
		      "translate.cases:%d %s\nstderr: [%s]\nwanted: [%s]",
		      t->lineno, t->cmd, res.err, t->err);
	ck_assert_msg(res.rc == t->rc, "translate.cases:%d %s: rc %d, wanted %d",
		      t->lineno, t->cmd, res.rc, t->rc);
	captured_release(&res);
}
END_TEST

/* markctl translate -6 picks ip6tables-translate's family and name. */
static int translate_dash6_child(const void *arg)
{
	struct markctl_ctx ctx = {
		.family = NFPROTO_IPV4, .progname = "iptables",
		.backend_ops = &nft_backend_ops,
	};
	char *argv[] = { (char *)arg, "-6", "-A", "INPUT", "-s", "2001:db8::1",
			 "--bogus", NULL };

	return cmd_translate(&ctx, 7, argv);
}

START_TEST(test_translate_dash6)
{
	struct captured res;

	run_captured(translate_dash6_child, "markctl", &res);
	ck_assert_int_eq(res.rc, 2);
	ck_assert_str_eq(res.out, "");
	ck_assert_str_eq(res.err,
		"ip6tables-translate v1.8.9 (nf_tables): unknown option \"--bogus\"\n"
		"Try `ip6tables-translate -h' or 'ip6tables-translate --help' for more information.\n");
	captured_release(&res);
}
END_TEST

/* An untranslated rule echoes the command line without markctl's -6. */
static int translate_echo6_child(const void *arg)
{
	struct markctl_ctx ctx = {
		.family = NFPROTO_IPV4, .progname = "iptables",
		.backend_ops = &nft_backend_ops,
	};
	char *argv[] = { (char *)arg, "-A", "INPUT", "-6", "-j", "CONNMARK",
			 "--save-mark", "--ctmask", "1", NULL };

	return cmd_translate(&ctx, 9, argv);
}

START_TEST(test_translate_echo6)
{
	struct captured res;

	run_captured(translate_echo6_child, "markctl", &res);
	ck_assert_int_eq(res.rc, 0);
	ck_assert_str_eq(res.out,
		"nft # -A INPUT -j CONNMARK --save-mark --ctmask 1 \n");
	ck_assert_str_eq(res.err, "");
	captured_release(&res);
}
END_TEST

/* ---------- emit.cases ---------- */

static unsigned int key_flags(const char *suffix)
{
	unsigned int flags = 0;

	for (; *suffix; suffix++) {
		switch (*suffix) {
		case 'n': flags |= RULE_LIST_NUMERIC; break;
		case 'v': flags |= RULE_LIST_VERBOSE; break;
		case 'x': flags |= RULE_LIST_EXACT; break;
		case '#': flags |= RULE_LIST_LINE_NUMBERS; break;
		default: ck_abort_msg("bad key suffix %s", suffix);
		}
	}
	return flags;
}

static void emit_rule_key(const char *key, const char *chain,
			  const struct rule *r)
{
	if (strcmp(key, "S") == 0)
		emit_rule_save(chain, r, 0);
	else if (strcmp(key, "Sv") == 0)
		emit_rule_save(chain, r, RULE_LIST_COUNTERS);
	else if (strcmp(key, "Sc") == 0)
		emit_rule_save_counters(chain, r);
	else if (key[0] == 'L')
		emit_rule_list(r, 1, key_flags(key + 1));
	else
		ck_abort_msg("bad key %s", key);
	fflush(stdout);
}

/* "FAMILY TABLE CHAIN P:B OPTIONS..." -> parse_argv of -t TABLE -A CHAIN */
static int emit_rule_child(const void *arg)
{
	const struct tcase_data *t = arg;
	/* no backend: revisions count as supported, the kernel is not asked */
	struct markctl_ctx ctx = { 0 };
	unsigned long long pcnt, bcnt;
	struct rule_cmd cmd;
	wordexp_t we;
	char **w = split_words(t->cmd, &we);
	char **argv = calloc(we.we_wordc + 2, sizeof(*argv));

	ck_assert_ptr_nonnull(argv);
	ctx.family = strcmp(w[0], "6") == 0 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	ctx.progname = ctx.family == NFPROTO_IPV6 ? "ip6tables" : "iptables";
	ck_assert_int_eq(sscanf(w[3], "%llu:%llu", &pcnt, &bcnt), 2);
	argv[0] = (char *)ctx.progname;
	argv[1] = "-t";
	argv[2] = w[1];
	argv[3] = "-A";
	argv[4] = w[2];
	for (size_t i = 4; i < we.we_wordc; i++)
		argv[i + 1] = w[i];

	msg_set_progname(ctx.progname);
	plugins_init(&ctx, ctx.family, parse_getopt_options());
	rule_cmd_init(&cmd, ctx.family);
	parse_argv(&ctx, we.we_wordc + 1, argv, &cmd);
	ck_assert_ptr_nonnull(cmd.rule);
	rule_counters(cmd.rule)->pcnt = pcnt;
	rule_counters(cmd.rule)->bcnt = bcnt;
	for (unsigned int k = 0; k < t->nkeys; k++)
		emit_rule_key(t->keys[k], cmd.chain, cmd.rule);
	rule_cmd_release(&cmd);
	plugins_release();
	ctx_release(&ctx);
	free(argv);
	wordfree(&we);
	return 0;
}

/* "FAMILY TABLE CHAIN POLICY P:B" or "FAMILY TABLE CHAIN REFS" */
static int emit_chain_child(const void *arg)
{
	const struct tcase_data *t = arg;
	struct rule_chain c = { .hooknum = -1 };
	unsigned long long pcnt = 0, bcnt = 0;
	wordexp_t we;
	char **w = split_words(t->cmd, &we);

	snprintf(c.name, sizeof(c.name), "%s", w[2]);
	c.policy = rule_verdict_from_name(w[3]);
	c.builtin = c.policy != RULE_VERDICT_NONE;
	c.exists = c.builtin;
	if (c.builtin)
		ck_assert_int_eq(sscanf(w[4], "%llu:%llu", &pcnt, &bcnt), 2);
	else
		c.references = atoi(w[3]);
	c.counters.pcnt = pcnt;
	c.counters.bcnt = bcnt;
	for (unsigned int k = 0; k < t->nkeys; k++) {
		const char *key = t->keys[k];

		if (strcmp(key, "P") == 0)
			emit_chain_save(&c, 0);
		else if (strcmp(key, "Pv") == 0)
			emit_chain_save(&c, RULE_LIST_COUNTERS);
		else if (key[0] == 'C')
			emit_chain_list_header(&c, 0, key_flags(key + 1));
		/* T lines: the second line of the C call */
	}
	fflush(stdout);
	wordfree(&we);
	return 0;
}

START_TEST(test_emit_case)
{
	const struct tcase_data *t = &emit_cases.v[_i];
	struct captured res;

	run_captured(t->kind == '$' ? emit_rule_child : emit_chain_child, t,
		     &res);
	ck_assert_msg(res.rc == 0, "emit.cases:%d %s: rc %d, stderr: %s",
		      t->lineno, t->cmd, res.rc, res.err);
	ck_assert_msg(strcmp(res.out, t->out) == 0,
		      "emit.cases:%d %s\ngot:\n%s\nwanted:\n%s",
		      t->lineno, t->cmd, res.out, t->out);
	captured_release(&res);
}
END_TEST

/* ---------- hand-built rules (no parser involved) ---------- */

static struct rule *rule_v4(const char *src, const char *smsk,
			    uint8_t proto, uint8_t invflags)
{
	struct rule *r = rule_alloc(NFPROTO_IPV4);

	ck_assert_ptr_nonnull(r);
	inet_pton(AF_INET, src, &r->entry.v4.ip.src);
	inet_pton(AF_INET, smsk, &r->entry.v4.ip.smsk);
	r->entry.v4.ip.proto = proto;
	r->entry.v4.ip.invflags = invflags;
	return r;
}

static int save_child(const void *arg)
{
	emit_rule_save("FORWARD", arg, 0);
	return 0;
}

static int list_child(const void *arg)
{
	emit_rule_list(arg, 7, RULE_LIST_VERBOSE | RULE_LIST_NUMERIC |
		       RULE_LIST_EXACT | RULE_LIST_LINE_NUMBERS);
	return 0;
}

static int xlate_child(const void *arg)
{
	struct rule_cmd cmd;

	rule_cmd_init(&cmd, NFPROTO_IPV4);
	snprintf(cmd.chain, sizeof(cmd.chain), "FORWARD");
	cmd.command = RULE_CMD_INSERT;
	return emit_rule_xlate(&cmd, arg) == 0 ? 0 : 9;
}

START_TEST(test_hand_built)
{
	struct rule *r = rule_v4("192.0.2.0", "255.255.255.0", 6,
				 IPT_INV_SRCIP | XT_INV_PROTO);
	struct captured res;

	snprintf(r->entry.v4.ip.outiface, IFNAMSIZ, "veth+");
	memset(r->entry.v4.ip.outiface_mask, 0xff, 4);
	r->entry.v4.ip.flags = IPT_F_FRAG;
	rule_set_verdict(r, RULE_VERDICT_GOTO, "USR");

	run_captured(save_child, r, &res);
	ck_assert_str_eq(res.out,
		"-A FORWARD ! -s 192.0.2.0/24 -o veth+ ! -p tcp -f -g USR\n");
	captured_release(&res);

	run_captured(list_child, r, &res);
	ck_assert_str_eq(res.out, "7           0        0 USR       !6    -f  *      veth+  !192.0.2.0/24         0.0.0.0/0           [goto] \n");
	captured_release(&res);

	run_captured(xlate_child, r, &res);
	ck_assert_int_eq(res.rc, 0);
	ck_assert_str_eq(res.out, "'insert rule ip filter FORWARD oifname \"veth*\" ip frag-off & 0x1fff != 0 ip protocol != tcp ip saddr != 192.0.2.0/24 counter goto USR'\n");
	captured_release(&res);
	rule_free(r);
}
END_TEST

/* A target without xlate: nothing printed, -1 for the caller's fallback. */
START_TEST(test_xlate_unsupported_target)
{
	struct rule *r = rule_v4("0.0.0.0", "0.0.0.0", 0, 0);
	struct xtables_target fake = { .name = "FAKE" };
	struct xt_entry_target *data = calloc(1, sizeof(*data));
	struct captured res;

	ck_assert_ptr_nonnull(data);
	data->u.target_size = sizeof(*data);
	rule_set_target(r, &fake, data);
	run_captured(xlate_child, r, &res);
	ck_assert_int_eq(res.rc, 9);
	ck_assert_str_eq(res.out, "");
	captured_release(&res);
	rule_free(r);
}
END_TEST

/* iptables-nft stops at a rule it cannot parse back, exit 3 (the reason
 * line it prints first comes from its own decoder, not from here). */
START_TEST(test_unsupported_rule)
{
	struct rule *r = rule_v4("0.0.0.0", "0.0.0.0", 0, 0);
	struct captured res;

	r->unsupported = true;
	msg_set_progname("iptables");
	run_captured(save_child, r, &res);
	ck_assert_int_eq(res.rc, 3);
	ck_assert_str_eq(res.out, "");
	ck_assert_str_eq(res.err,
		"iptables v1.8.9 (nf_tables): Parsing nftables rule failed\n"
		"Perhaps iptables or your kernel needs to be upgraded.\n");
	captured_release(&res);
	rule_free(r);
}
END_TEST

static Suite *translate_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("translate");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_translate_case, 0, translate_cases.n);
	tcase_add_test(tc, test_translate_dash6);
	tcase_add_test(tc, test_translate_echo6);
	suite_add_tcase(s, tc);

	tc = tcase_create("emit");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_emit_case, 0, emit_cases.n);
	tcase_add_test(tc, test_hand_built);
	tcase_add_test(tc, test_xlate_unsupported_target);
	tcase_add_test(tc, test_unsupported_rule);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	cases_load(&translate_cases, "translate.cases");
	cases_load(&emit_cases, "emit.cases");
	sr = srunner_create(translate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	cases_free(&translate_cases);
	cases_free(&emit_cases);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
