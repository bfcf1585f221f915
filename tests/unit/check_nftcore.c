// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The nf_tables backend's ops (src/nft/: cache, batch, commands, search,
 * listings) against the kernel, in a network namespace of its own.  The expected rule sets and messages are what iptables-nft
 * 1.8.9 produced for the same commands (tried in throwaway namespaces);
 * kernel state is read back with the installed iptables-nft -S.
 * Skips (77) unless it may unshare the network namespace.
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "rule.h"

static const struct backend_ops *ops = &nft_backend_ops;

/* iptables-nft -S of @table, as one string. */
static char *ref_list(const char *table)
{
	static char out[4096];
	char cmd[128];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "iptables-nft -t %s -S 2>&1", table);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	return out;
}

static void reset_ruleset(void)
{
	ck_assert_int_eq(system("nft flush ruleset"), 0);
}

/* A command on filter with a verdict rule (no extensions needed). */
static void cmd_set(struct rule_cmd *c, enum rule_command command,
		    const char *chain, enum rule_verdict v, const char *jump)
{
	rule_cmd_init(c, NFPROTO_IPV4);
	c->command = command;
	snprintf(c->chain, sizeof(c->chain), "%s", chain);
	if (v != RULE_VERDICT_NONE) {
		c->rule = rule_alloc(NFPROTO_IPV4);
		ck_assert_ptr_nonnull(c->rule);
		rule_set_verdict(c->rule, v, jump);
	}
}

static int run(struct backend *b, enum rule_command command,
	       const char *chain, unsigned int num, enum rule_verdict v,
	       const char *jump, unsigned int lineno)
{
	struct rule_cmd c;
	int ret, err;

	cmd_set(&c, command, chain, v, jump);
	c.rulenum = num;
	c.from_restore = lineno != 0;
	c.lineno = lineno;
	if (command == RULE_CMD_SET_POLICY)
		c.policy = v;
	if (command == RULE_CMD_SET_POLICY || command == RULE_CMD_NEW_CHAIN ||
	    command == RULE_CMD_DELETE_CHAIN) {
		rule_free(c.rule);
		c.rule = NULL;
	}
	ret = ops->exec(b, &c);
	err = errno;
	rule_cmd_release(&c);
	errno = err;
	return ret;
}

static struct backend *open_fresh(void)
{
	struct backend *b;

	reset_ruleset();
	b = ops->open(NULL, NFPROTO_IPV4);
	ck_assert_ptr_nonnull(b);
	return b;
}

START_TEST(test_chains_absent_table)
{
	struct backend *b = open_fresh();
	struct rule_chain *chains = NULL;
	unsigned int n = 0;
	bool exists = true;

	ck_assert_int_eq(ops->chains(b, "filter", &chains, &n, &exists), 0);
	ck_assert(!exists);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(chains[0].name, "INPUT");
	ck_assert_str_eq(chains[2].name, "OUTPUT");
	ck_assert(chains[1].builtin && !chains[1].exists);
	free(chains);
	ck_assert_int_eq(ops->chains(b, "nosuch", &chains, &n, &exists), -1);
	ck_assert_int_eq(errno, ENOENT);
	ops->close(b);
}
END_TEST

START_TEST(test_positions)
{
	struct backend *b = open_fresh();

	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "INPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	/* -I INPUT 3 with one rule: "Index of insertion too big" */
	ck_assert_int_eq(run(b, RULE_CMD_INSERT, "INPUT", 3, RULE_VERDICT_DROP, NULL, 0), -1);
	ck_assert_int_eq(errno, E2BIG);
	ops->abort(b);
	ck_assert_int_eq(run(b, RULE_CMD_INSERT, "INPUT", 2, RULE_VERDICT_RETURN, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_int_eq(run(b, RULE_CMD_INSERT, "INPUT", 2, RULE_VERDICT_DROP, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_str_eq(ref_list("filter"),
			 "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
			 "-A INPUT -j ACCEPT\n-A INPUT -j DROP\n-A INPUT -j RETURN\n");
	ck_assert_int_eq(run(b, RULE_CMD_REPLACE, "INPUT", 4, RULE_VERDICT_DROP, NULL, 0), -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_int_eq(run(b, RULE_CMD_REPLACE, "INPUT", 1, RULE_VERDICT_DROP, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_DELETE_NUM, "INPUT", 3, RULE_VERDICT_NONE, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_str_eq(ref_list("filter"),
			 "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
			 "-A INPUT -j DROP\n-A INPUT -j DROP\n");
	ops->close(b);
}
END_TEST

START_TEST(test_spec)
{
	struct backend *b = open_fresh();

	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "OUTPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "OUTPUT", 0, RULE_VERDICT_DROP, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "OUTPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_int_eq(run(b, RULE_CMD_CHECK, "OUTPUT", 0, RULE_VERDICT_RETURN, NULL, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(run(b, RULE_CMD_CHECK, "OUTPUT", 0, RULE_VERDICT_DROP, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_CHECK, "FORWARD", 0, RULE_VERDICT_DROP, NULL, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(run(b, RULE_CMD_DELETE, "OUTPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_str_eq(ref_list("filter"),
			 "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
			 "-A OUTPUT -j DROP\n-A OUTPUT -j ACCEPT\n");
	ops->close(b);
}
END_TEST

START_TEST(test_user_chains)
{
	struct backend *b = open_fresh();
	struct rule_chain *chains;
	unsigned int n;
	bool exists;

	ck_assert_int_eq(run(b, RULE_CMD_NEW_CHAIN, "U", 0, RULE_VERDICT_NONE, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_NEW_CHAIN, "U", 0, RULE_VERDICT_NONE, NULL, 0), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "U", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "INPUT", 0, RULE_VERDICT_JUMP, "U", 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_int_eq(ops->chains(b, "filter", &chains, &n, &exists), 0);
	ck_assert(exists);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(chains[3].name, "U");
	/* the kernel's use count: one jump, one rule of its own */
	ck_assert(chains[3].refs_with_rules);
	ck_assert_uint_eq(chains[3].references, 2);
	ck_assert(chains[0].exists && !chains[1].exists);
	free(chains);
	/* -X INPUT with a rule: the kernel refuses, as for iptables-nft */
	ck_assert_int_eq(run(b, RULE_CMD_DELETE_CHAIN, "INPUT", 0, RULE_VERDICT_NONE, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_str_eq(ops->strerror(b),
			 "CHAIN_DEL failed (Device or resource busy): chain INPUT");
	/* -X FORWARD: absent, "No chain/target/match by that name." */
	ck_assert_int_eq(run(b, RULE_CMD_DELETE_CHAIN, "FORWARD", 0, RULE_VERDICT_NONE, NULL, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(run(b, RULE_CMD_DELETE_CHAIN, "U", 0, RULE_VERDICT_NONE, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_str_eq(ops->strerror(b),
			 "CHAIN_DEL failed (Device or resource busy): chain U");
	ops->close(b);
}
END_TEST

START_TEST(test_restore_batch)
{
	struct backend *b = open_fresh();

	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "OUTPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	/* *filter :INPUT DROP :X - -A X ACCEPT -I X 1 DROP -D X 2 -A FORWARD -j X */
	ck_assert_int_eq(ops->flush_table(b, "filter"), 0);
	ck_assert_int_eq(run(b, RULE_CMD_SET_POLICY, "INPUT", 0, RULE_VERDICT_DROP, NULL, 2), 0);
	ck_assert_int_eq(run(b, RULE_CMD_NEW_CHAIN, "X", 0, RULE_VERDICT_NONE, NULL, 3), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "X", 0, RULE_VERDICT_ACCEPT, NULL, 4), 0);
	ck_assert_int_eq(run(b, RULE_CMD_INSERT, "X", 1, RULE_VERDICT_DROP, NULL, 5), 0);
	ck_assert_int_eq(run(b, RULE_CMD_DELETE_NUM, "X", 2, RULE_VERDICT_NONE, NULL, 6), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "FORWARD", 0, RULE_VERDICT_JUMP, "X", 7), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	ck_assert_str_eq(ref_list("filter"),
			 "-P INPUT DROP\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
			 "-N X\n-A FORWARD -j X\n-A X -j DROP\n");
	ops->close(b);
}
END_TEST

START_TEST(test_kernel_refusal)
{
	struct backend *b = open_fresh();

	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "INPUT", 0, RULE_VERDICT_ACCEPT, NULL, 0), 0);
	ck_assert_int_eq(ops->commit(b), 0);
	/* restore --noflush "-A FORWARD -j X" "-A FORWARD -j INPUT" */
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "FORWARD", 0, RULE_VERDICT_ACCEPT, NULL, 2), 0);
	ck_assert_int_eq(run(b, RULE_CMD_APPEND, "FORWARD", 0, RULE_VERDICT_JUMP, "INPUT", 3), 0);
	ck_assert_int_eq(ops->commit(b), -1);
	ck_assert_str_eq(ops->strerror(b),
			 "line 3: RULE_APPEND failed (Operation not supported): rule in chain FORWARD");
	/* nothing of the batch applied */
	ck_assert_str_eq(ref_list("filter"),
			 "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n"
			 "-A INPUT -j ACCEPT\n");
	ops->close(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nftcore");
	TCase *tc = tcase_create("kernel");
	SRunner *sr;
	int failed;

	if (unshare(CLONE_NEWNET) < 0 || system("nft list ruleset >/dev/null 2>&1"))
		return 77;
	tcase_add_test(tc, test_chains_absent_table);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_spec);
	tcase_add_test(tc, test_user_chains);
	tcase_add_test(tc, test_restore_batch);
	tcase_add_test(tc, test_kernel_refusal);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* One namespace for all: no fork per test. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
