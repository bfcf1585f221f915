// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of markctl's own extensions (MARK, mark, CONNMARK, connmark):
 *  - every line of extensions/libxt_NAME.t through parse_argv and the -S and
 *    -L emitters, for IPv4 and IPv6;
 *  - every pair of extensions/libxt_NAME.txlate through cmd_translate;
 *  - the kernel struct some rules produce, byte for byte;
 *  - that each extension has its .t, .txlate and .man.
 * Each case runs in a child whose stdout and stderr go to temporary files:
 * errors exit, and libxtables keeps global state.
 *
 * .t format: iptables' own (rule;expected -S form;OK|FAIL), plus a fourth
 * field.  Lines:
 *   :CHAIN[,CHAIN...]    chains the rules below suit; they go to the first
 *   *TABLE               table of the rules below (default filter)
 *   #...                 comment
 *   RULE;SAVED;OK;ROW    "-A CHAIN RULE" is accepted; -S prints it as
 *                        "-A CHAIN SAVED" (SAVED "=": same as RULE), and
 *                        "-L -n" as ROW (IPv4 columns; IPv6 differs only in
 *                        the any-address)
 *   RULE;;FAIL;RC:ERR    "-A CHAIN RULE" exits RC with stderr ERR (each
 *                        newline written \n; the program name is iptables).
 *                        RC 4 is the kernel's refusal: the parser accepts.
 * .txlate format: an "iptables-translate ..." (or ip6tables-) line, the
 * line it prints, a blank line.
 * All expectations come from iptables 1.8.9: tests/unit/gen-expect.sh.
 */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend.h"
#include "capture.h"
#include "cmd.h"
#include "emit.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"
#include "msg.h"
#include "util.h"

#define MAX_WORDS	64

static const char *const ext_names[] = { "MARK", "mark", "CONNMARK", "connmark" };
#define N_EXT		(sizeof(ext_names) / sizeof(ext_names[0]))

struct t_case {
	char where[64];			/* "libxt_MARK.t:12" */
	char table[XT_TABLE_MAXNAMELEN];
	char chain[RULE_CHAIN_MAXLEN];
	char *rule;
	char *saved;			/* OK: -S form after "-A CHAIN " */
	char *row;			/* OK: -L -n row */
	char *err;			/* FAIL: stderr, unescaped */
	int rc;				/* 0 for OK */
};

struct x_case {
	char where[64];
	char *cmd;
	char *want;			/* stdout line with its newline */
};

static struct t_case *t_cases;
static unsigned int n_t_cases;
static struct x_case *x_cases;
static unsigned int n_x_cases;

/* Data loading runs before Check's runner, so it cannot use ck_assert. */
static void __attribute__((noreturn, format(printf, 1, 2)))
data_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("check_extensions: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(EXIT_FAILURE);
}

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : "..";
}

static char *ext_path(const char *name, const char *suffix)
{
	char *p;

	if (asprintf(&p, "%s/extensions/libxt_%s.%s", srcdir(), name,
		     suffix) < 0)
		data_error("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		data_error("out of memory");
	return d;
}

/* "\n" in a .t error field stands for a newline. */
static char *unescape(const char *s)
{
	char *d = xstrdup(s), *o = d;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return d;
}

/* Replaces the first @from in @s by @to, in a new string. */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	char *d;

	if (!p)
		return xstrdup(s);
	ck_assert_int_gt(asprintf(&d, "%.*s%s%s", (int)(p - s), s, to,
				  p + strlen(from)), 0);
	return d;
}

/* ---------- reading the data files ---------- */

static void t_case_add(const char *where, const char *table, const char *chain,
		       char *line)
{
	char *fields[4] = { NULL };
	struct t_case *c;
	unsigned int n = 0;

	/* strsep keeps empty fields ("RULE;;FAIL;..."), strtok would not */
	for (char *f; n < 4 && (f = strsep(&line, ";")) != NULL; )
		fields[n++] = f;
	if (n != 4)
		data_error("%s: want rule;saved;OK|FAIL;extra", where);
	t_cases = realloc(t_cases, (n_t_cases + 1) * sizeof(*t_cases));
	if (!t_cases)
		data_error("out of memory");
	c = &t_cases[n_t_cases++];
	memset(c, 0, sizeof(*c));
	snprintf(c->where, sizeof(c->where), "%s", where);
	snprintf(c->table, sizeof(c->table), "%s", table);
	snprintf(c->chain, sizeof(c->chain), "%s", chain);
	c->rule = xstrdup(fields[0]);
	if (strcmp(fields[2], "OK") == 0) {
		c->saved = xstrdup(strcmp(fields[1], "=") == 0 ? fields[0] :
				   fields[1]);
		c->row = xstrdup(fields[3]);
	} else {
		if (strcmp(fields[2], "FAIL") != 0)
			data_error("%s: %s is neither OK nor FAIL", where,
				   fields[2]);
		c->rc = atoi(fields[3]);
		if (c->rc <= 0 || !strchr(fields[3], ':'))
			data_error("%s: want RC:message", where);
		c->err = unescape(strchr(fields[3], ':') + 1);
	}
}

static void t_file_load(const char *name)
{
	char *path = ext_path(name, "t"), *line = NULL;
	char table[XT_TABLE_MAXNAMELEN] = "filter", chain[RULE_CHAIN_MAXLEN] = "";
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {	/* test_files_present reports it */
		free(path);
		return;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char where[64];

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (line[0] == ':')
			snprintf(chain, sizeof(chain), "%.*s",
				 (int)strcspn(line + 1, ","), line + 1);
		else if (line[0] == '*')
			snprintf(table, sizeof(table), "%s", line + 1);
		else {
			snprintf(where, sizeof(where), "libxt_%s.t:%d", name,
				 lineno);
			if (chain[0] == '\0')
				data_error("%s: no :CHAIN line", where);
			t_case_add(where, table, chain, line);
		}
	}
	free(line);
	fclose(f);
	free(path);
}

static void x_file_load(const char *name)
{
	char *path = ext_path(name, "txlate"), *line = NULL;
	struct x_case *c = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {	/* test_files_present reports it */
		free(path);
		return;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strncmp(line, "iptables-translate ", 19) == 0 ||
		    strncmp(line, "ip6tables-translate ", 20) == 0) {
			x_cases = realloc(x_cases,
					  (n_x_cases + 1) * sizeof(*x_cases));
			if (!x_cases)
				data_error("out of memory");
			c = &x_cases[n_x_cases++];
			snprintf(c->where, sizeof(c->where), "libxt_%s.txlate:%d",
				 name, lineno);
			line[strcspn(line, "\n")] = '\0';
			c->cmd = xstrdup(line);
			c->want = NULL;
		} else if (c && !c->want && len > 1) {
			c->want = xstrdup(line);
		}
	}
	if (c && !c->want)
		data_error("libxt_%s.txlate: command without result", name);
	free(line);
	fclose(f);
	free(path);
}

static void data_load(void)
{
	for (unsigned int i = 0; i < N_EXT; i++) {
		t_file_load(ext_names[i]);
		x_file_load(ext_names[i]);
	}
}

static void data_free(void)
{
	for (unsigned int i = 0; i < n_t_cases; i++) {
		free(t_cases[i].rule);
		free(t_cases[i].saved);
		free(t_cases[i].row);
		free(t_cases[i].err);
	}
	for (unsigned int i = 0; i < n_x_cases; i++) {
		free(x_cases[i].cmd);
		free(x_cases[i].want);
	}
	free(t_cases);
	free(x_cases);
}

/* ---------- running one case in a child ---------- */

/* Splits @s (a copy) on blanks into @argv after @argc words already there. */
static int split_words(char *s, char **argv, int argc)
{
	for (char *w = strtok(s, " "); w; w = strtok(NULL, " ")) {
		ck_assert_int_lt(argc, MAX_WORDS - 1);
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * Parsing gets no backend: every revision counts as supported, and the
 * kernel of the namespace the test runs in is never asked.
 */
static void ctx_setup(struct markctl_ctx *ctx, uint8_t family,
		      const char *progname, const struct backend_ops *ops)
{
	*ctx = (struct markctl_ctx){
		.family = family, .progname = progname,
		.backend_ops = ops,
	};
}

/* ---------- .t: parse, then -S and -L -n ---------- */

struct t_run {
	const struct t_case *c;
	uint8_t family;
};

/* Parses "-t TABLE -A CHAIN RULE" and leaves it in @cmd. */
static void parse_rule(struct markctl_ctx *ctx, const char *table,
		       const char *chain, const char *rule, struct rule_cmd *cmd)
{
	char *argv[MAX_WORDS] = { (char *)ctx->progname, "-t", (char *)table,
				  "-A", (char *)chain };
	char *words = xstrdup(rule);
	int argc = split_words(words, argv, 5);

	plugins_init(ctx, ctx->family, parse_getopt_options());
	rule_cmd_init(cmd, ctx->family);
	parse_argv(ctx, argc, argv, cmd);
	ck_assert_ptr_nonnull(cmd->rule);
	free(words);
}

static int t_child(const void *arg)
{
	const struct t_run *run = arg;
	struct markctl_ctx ctx;
	struct rule_cmd cmd;

	ctx_setup(&ctx, run->family,
		  run->family == NFPROTO_IPV6 ? "ip6tables" : "iptables", NULL);
	msg_set_progname(ctx.progname);
	parse_rule(&ctx, run->c->table, run->c->chain, run->c->rule, &cmd);
	emit_rule_save(cmd.chain, cmd.rule, 0);
	emit_rule_list(cmd.rule, 0, RULE_LIST_NUMERIC);
	fflush(stdout);
	rule_cmd_release(&cmd);
	plugins_release();
	ctx_release(&ctx);
	return 0;
}

/* IPv4 expectations as ip6tables prints them. */
static char *t_want_v6(const char *s, bool is_row)
{
	char *a, *b;

	if (is_row) {
		a = replace(s, "0.0.0.0/0       ", "::/0            ");
		b = replace(a, "0.0.0.0/0       ", "::/0            ");
		free(a);
		return b;
	}
	a = replace(s, "iptables v", "ip6tables v");
	b = replace(a, "`iptables -h' or 'iptables --help'",
		    "`ip6tables -h' or 'ip6tables --help'");
	free(a);
	return b;
}

static void t_check(const struct t_case *c, uint8_t family)
{
	bool v6 = family == NFPROTO_IPV6;
	struct t_run run = { c, family };
	struct captured res;
	char *want;

	run_captured(t_child, &run, &res);
	if (c->rc == 0) {
		char *row = v6 ? t_want_v6(c->row, true) : xstrdup(c->row);

		ck_assert_int_gt(asprintf(&want, "-A %s %s\n%s\n", c->chain,
					  c->saved, row), 0);
		free(row);
		ck_assert_msg(res.rc == 0, "%s (%s) %s: rc %d, stderr: %s",
			      c->where, v6 ? "ip6" : "ip", c->rule, res.rc,
			      res.err);
		ck_assert_msg(strcmp(res.out, want) == 0,
			      "%s (%s) %s\ngot:\n%s\nwanted:\n%s", c->where,
			      v6 ? "ip6" : "ip", c->rule, res.out, want);
	} else if (c->rc == RESOURCE_PROBLEM) {
		/* only the kernel refuses this one */
		want = NULL;
		ck_assert_msg(res.rc == 0, "%s %s: rc %d, stderr: %s", c->where,
			      c->rule, res.rc, res.err);
	} else {
		char *err = v6 ? t_want_v6(c->err, false) : xstrdup(c->err);

		ck_assert_int_gt(asprintf(&want, "%s\n", err), 0);
		free(err);
		ck_assert_msg(res.rc == c->rc, "%s (%s) %s: rc %d, wanted %d, stderr: %s",
			      c->where, v6 ? "ip6" : "ip", c->rule, res.rc,
			      c->rc, res.err);
		ck_assert_msg(strcmp(res.err, want) == 0,
			      "%s (%s) %s\nstderr:\n%s\nwanted:\n%s", c->where,
			      v6 ? "ip6" : "ip", c->rule, res.err, want);
		ck_assert_msg(res.out[0] == '\0', "%s: stdout: %s", c->where,
			      res.out);
	}
	free(want);
	captured_release(&res);
}

START_TEST(test_t_ipv4)
{
	t_check(&t_cases[_i], NFPROTO_IPV4);
}
END_TEST

START_TEST(test_t_ipv6)
{
	t_check(&t_cases[_i], NFPROTO_IPV6);
}
END_TEST

/* ---------- .txlate: cmd_translate ---------- */

static int x_child(const void *arg)
{
	const struct x_case *c = arg;
	char *argv[MAX_WORDS], *words = xstrdup(c->cmd);
	int argc = split_words(words, argv, 0), ret;
	struct markctl_ctx ctx;

	ctx_setup(&ctx, strncmp(argv[0], "ip6", 3) == 0 ? NFPROTO_IPV6 :
		  NFPROTO_IPV4, argv[0], &nft_backend_ops);
	ret = cmd_translate(&ctx, argc, argv);
	ctx_release(&ctx);
	free(words);
	return ret;
}

START_TEST(test_txlate)
{
	const struct x_case *c = &x_cases[_i];
	struct captured res;

	run_captured(x_child, c, &res);
	ck_assert_msg(res.rc == 0, "%s %s: rc %d, stderr: %s", c->where,
		      c->cmd, res.rc, res.err);
	ck_assert_msg(strcmp(res.out, c->want) == 0,
		      "%s %s\ngot:    %swanted: %s", c->where, c->cmd, res.out,
		      c->want);
	captured_release(&res);
}
END_TEST

/* ---------- kernel structs ---------- */

/* What the kernel gets (nft-wire-facts 2.5-2.7, 3.1), host order here. */
static const struct blob_case {
	const char *rule;		/* in mangle PREROUTING */
	const char *name;		/* extension whose blob is checked */
	uint8_t revision;
	const char *hex;		/* XT_ALIGN'ed data */
} blob_cases[] = {
	{ "-j MARK --set-mark 5", "MARK", 2, "05000000ffffffff" },
	{ "-j MARK --set-mark 0x100/0xff", "MARK", 2, "00010000ff010000" },
	{ "-j MARK --and-mark 0xf0", "MARK", 2, "000000000fffffff" },
	{ "-j MARK --or-mark 3", "MARK", 2, "0300000003000000" },
	{ "-j MARK --xor-mark 3", "MARK", 2, "0300000000000000" },
	{ "-j CONNMARK --set-mark 7/0xf", "CONNMARK", 2,
	  "070000000f000000ffffffff00000000" },
	{ "-j CONNMARK --save-mark --nfmask 0xff --ctmask 0xf0", "CONNMARK", 2,
	  "00000000f0000000ff00000000000100" },
	{ "-j CONNMARK --save-mark --right-shift-mark 8", "CONNMARK", 2,
	  "00000000ffffffffffffffff01080100" },
	{ "-j CONNMARK --restore-mark --left-shift-mark 4 --ctmask 0xff00 --nfmask 0xff0",
	  "CONNMARK", 2, "0000000000ff0000f00f000000040200" },
	{ "-j CONNMARK --set-xmark 0x100/0xff00 --left-shift-mark 8",
	  "CONNMARK", 2, "0001000000ff0000ffffffff00080000" },
	{ "-m mark ! --mark 0x5/0xff", "mark", 1,
	  "05000000ff0000000100000000000000" },
	{ "-m connmark --mark 0x5/0xff", "connmark", 1,
	  "05000000ff0000000000000000000000" },
	{ "-m connmark ! --mark 0x5", "connmark", 1,
	  "05000000ffffffff0100000000000000" },
};

static const void *blob_find(const struct rule *r, const char *name,
			     uint8_t *revision, size_t *len)
{
	if (r->target_data && strcmp(r->target_data->u.user.name, name) == 0) {
		*revision = r->target_data->u.user.revision;
		*len = r->target_data->u.target_size -
		       XT_ALIGN(sizeof(struct xt_entry_target));
		return r->target_data->data;
	}
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;

		if (strcmp(m->u.user.name, name) == 0) {
			*revision = m->u.user.revision;
			*len = m->u.match_size -
			       XT_ALIGN(sizeof(struct xt_entry_match));
			return m->data;
		}
	}
	return NULL;
}

static int blob_child(const void *arg)
{
	const struct blob_case *c = arg;
	struct markctl_ctx ctx;
	struct rule_cmd cmd;
	const unsigned char *data;
	uint8_t revision;
	size_t len;

	ctx_setup(&ctx, NFPROTO_IPV4, "iptables", NULL);
	msg_set_progname(ctx.progname);
	parse_rule(&ctx, "mangle", "PREROUTING", c->rule, &cmd);
	data = blob_find(cmd.rule, c->name, &revision, &len);
	if (!data)
		printf("no %s in the rule", c->name);
	else {
		printf("rev %u ", revision);
		for (size_t i = 0; i < len; i++)
			printf("%02x", data[i]);
	}
	fflush(stdout);
	rule_cmd_release(&cmd);
	plugins_release();
	ctx_release(&ctx);
	return 0;
}

START_TEST(test_blob)
{
	const struct blob_case *c = &blob_cases[_i];
	struct captured res;
	char *want;

	ck_assert_int_gt(asprintf(&want, "rev %u %s", c->revision, c->hex), 0);
	run_captured(blob_child, c, &res);
	ck_assert_msg(res.rc == 0, "%s: rc %d, stderr: %s", c->rule, res.rc,
		      res.err);
	ck_assert_msg(strcmp(res.out, want) == 0, "%s\ngot:    %s\nwanted: %s",
		      c->rule, res.out, want);
	free(want);
	captured_release(&res);
}
END_TEST

/* ---------- every extension has its test data and man section ---------- */

START_TEST(test_files_present)
{
	static const char *const suffixes[] = { "t", "txlate", "man" };

	for (unsigned int i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *path = ext_path(ext_names[_i], suffixes[i]);
		struct stat st;

		ck_assert_msg(stat(path, &st) == 0 && st.st_size > 0,
			      "%s is missing or empty", path);
		free(path);
	}
}
END_TEST

/* Each .t holds both outcomes, so neither half can silently vanish. */
START_TEST(test_t_has_ok_and_fail)
{
	char prefix[32];
	unsigned int ok = 0, fail = 0;

	snprintf(prefix, sizeof(prefix), "libxt_%s.t:", ext_names[_i]);
	for (unsigned int i = 0; i < n_t_cases; i++) {
		if (strncmp(t_cases[i].where, prefix, strlen(prefix)) != 0)
			continue;
		if (t_cases[i].rc == 0)
			ok++;
		else
			fail++;
	}
	ck_assert_msg(ok > 0 && fail > 0, "%s: %u OK, %u FAIL lines", prefix,
		      ok, fail);
}
END_TEST

static Suite *extensions_suite(void)
{
	Suite *s = suite_create("extensions");
	TCase *tc = tcase_create("files");

	tcase_add_loop_test(tc, test_files_present, 0, N_EXT);
	tcase_add_loop_test(tc, test_t_has_ok_and_fail, 0, N_EXT);
	suite_add_tcase(s, tc);

	tc = tcase_create("t");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_t_ipv4, 0, n_t_cases);
	tcase_add_loop_test(tc, test_t_ipv6, 0, n_t_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("txlate");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_txlate, 0, n_x_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("blob");
	tcase_add_loop_test(tc, test_blob, 0,
			    sizeof(blob_cases) / sizeof(blob_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	data_load();
	sr = srunner_create(extensions_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	data_free();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
