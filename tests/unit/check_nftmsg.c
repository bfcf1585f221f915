// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/nft/nft-msg.c writes table, chain and rule-reference messages with
 * libmnl alone; iptables-nft writes them with libnftnl.  Each case builds
 * the same message both ways and compares the bytes.
 */
#include "nft/nft-msg.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#define BUFSIZE 4096
#define SEQ 17

static void assert_same(const struct nlmsghdr *ours,
			const struct nlmsghdr *theirs)
{
	ck_assert_uint_eq(ours->nlmsg_len, theirs->nlmsg_len);
	ck_assert_mem_eq(ours, theirs, theirs->nlmsg_len);
}

START_TEST(test_header)
{
	char a[BUFSIZE] = { 0 }, b[BUFSIZE] = { 0 };

	assert_same(nft_header_build(a, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0),
		    nftnl_nlmsg_build_hdr(b, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0));
	assert_same(nft_header_build(a, NFT_MSG_GETTABLE, NFPROTO_IPV6,
				   NLM_F_DUMP, SEQ),
		    nftnl_nlmsg_build_hdr(b, NFT_MSG_GETTABLE, NFPROTO_IPV6,
					  NLM_F_DUMP, SEQ));
}
END_TEST

static const struct {
	uint16_t type, flags;
} table_msgs[] = {
	{ NFT_MSG_NEWTABLE, NLM_F_CREATE },
	{ NFT_MSG_DELTABLE, 0 },
};

START_TEST(test_table)
{
	char a[BUFSIZE] = { 0 }, b[BUFSIZE] = { 0 };
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, "mangle");
	nlh = nftnl_table_nlmsg_build_hdr(b, table_msgs[_i].type, NFPROTO_IPV4,
					  table_msgs[_i].flags, SEQ);
	nftnl_table_nlmsg_build_payload(nlh, t);
	assert_same(nft_table_build(a, table_msgs[_i].type, NFPROTO_IPV4,
				  table_msgs[_i].flags, SEQ, "mangle"), nlh);
	nftnl_table_free(t);
}
END_TEST

/* Each chain message markctl sends, and the cache's requests. */
static const struct chain_case {
	const char *what;
	uint16_t type, flags;
	struct nft_chain_attrs a;
} chain_cases[] = {
	{ "built-in", NFT_MSG_NEWCHAIN, NLM_F_CREATE, {
		.table = "mangle", .name = "OUTPUT", .has_hook = true,
		.hooknum = NF_INET_LOCAL_OUT, .prio = -150,
		.has_policy = true, .policy = NF_ACCEPT, .type = "route" } },
	{ "policy", NFT_MSG_NEWCHAIN, 0, {
		.table = "filter", .name = "INPUT", .has_hook = true,
		.hooknum = NF_INET_LOCAL_IN, .prio = 0, .has_policy = true,
		.policy = NF_DROP, .has_counters = true, .packets = 12,
		.bytes = 3456, .type = "filter" } },
	{ "user", NFT_MSG_NEWCHAIN, NLM_F_EXCL, {
		.table = "filter", .name = "MARKS" } },
	{ "delete", NFT_MSG_DELCHAIN, NLM_F_NONREC, {
		.table = "filter", .name = "MARKS" } },
	{ "rename", NFT_MSG_NEWCHAIN, 0, {
		.table = "raw", .name = "NEW", .has_handle = true,
		.handle = 0x1234567890ULL } },
	{ "rename unknown", NFT_MSG_NEWCHAIN, 0, {
		.table = "raw", .name = "NEW", .has_handle = true } },
	{ "zero", NFT_MSG_NEWCHAIN, NLM_F_CREATE, {
		.table = "nat", .name = "POSTROUTING", .has_hook = true,
		.hooknum = NF_INET_POST_ROUTING, .prio = 100,
		.has_policy = true, .policy = NF_ACCEPT, .has_use = true,
		.use = 3, .has_counters = true, .type = "nat",
		.has_flags = true, .flags = 1 } },
	{ "get", NFT_MSG_GETCHAIN, 0, {
		.table = "security", .name = "FORWARD" } },
	{ "dump", NFT_MSG_GETCHAIN, NLM_F_DUMP, { .table = "security" } },
};

static struct nftnl_chain *chain_nftnl(const struct nft_chain_attrs *a)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, a->table);
	if (a->name)
		nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, a->name);
	if (a->has_hook) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, a->hooknum);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, a->prio);
	}
	if (a->has_policy)
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, a->policy);
	if (a->has_use)
		nftnl_chain_set_u32(c, NFTNL_CHAIN_USE, a->use);
	if (a->has_counters) {
		nftnl_chain_set_u64(c, NFTNL_CHAIN_PACKETS, a->packets);
		nftnl_chain_set_u64(c, NFTNL_CHAIN_BYTES, a->bytes);
	}
	if (a->has_handle)
		nftnl_chain_set_u64(c, NFTNL_CHAIN_HANDLE, a->handle);
	if (a->type)
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, a->type);
	if (a->has_flags)
		nftnl_chain_set_u32(c, NFTNL_CHAIN_FLAGS, a->flags);
	return c;
}

START_TEST(test_chain)
{
	const struct chain_case *cc = &chain_cases[_i];
	char a[BUFSIZE] = { 0 }, b[BUFSIZE] = { 0 };
	struct nftnl_chain *c = chain_nftnl(&cc->a);
	struct nlmsghdr *nlh;

	nlh = nftnl_chain_nlmsg_build_hdr(b, cc->type, NFPROTO_IPV4,
					  cc->flags, SEQ);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	assert_same(nft_chain_build(a, cc->type, NFPROTO_IPV4, cc->flags, SEQ,
				  &cc->a), nlh);
	nftnl_chain_free(c);
}
END_TEST

static const struct rule_ref_case {
	uint16_t type, flags;
	const char *chain;
	uint64_t handle;
	uint32_t id;
} rule_ref_cases[] = {
	{ NFT_MSG_DELRULE, 0, "PREROUTING", 42, 0 },	/* -D by handle */
	{ NFT_MSG_DELRULE, 0, "PREROUTING", 0, 7 },	/* queued rule */
	{ NFT_MSG_DELRULE, 0, "MARKS", 0, 0 },		/* -F chain */
	{ NFT_MSG_DELRULE, 0, NULL, 0, 0 },		/* -F */
	{ NFT_MSG_GETRULE, NLM_F_DUMP, "MARKS", 0, 0 },
};

START_TEST(test_rule_ref)
{
	const struct rule_ref_case *rc = &rule_ref_cases[_i];
	char a[BUFSIZE] = { 0 }, b[BUFSIZE] = { 0 };
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV6);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "mangle");
	if (rc->chain)
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, rc->chain);
	if (rc->handle)
		nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, rc->handle);
	if (rc->id)
		nftnl_rule_set_u32(r, NFTNL_RULE_ID, rc->id);
	nlh = nftnl_rule_nlmsg_build_hdr(b, rc->type, NFPROTO_IPV6, rc->flags,
					 SEQ);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	assert_same(nft_rule_ref_build(a, rc->type, NFPROTO_IPV6, rc->flags, SEQ,
				     "mangle", rc->chain, rc->handle, rc->id),
		    nlh);
	nftnl_rule_free(r);
}
END_TEST

#define NCASES(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *nftmsg_suite(void)
{
	Suite *s = suite_create("nftmsg");
	TCase *tc = tcase_create("libnftnl");

	tcase_add_test(tc, test_header);
	tcase_add_loop_test(tc, test_table, 0, NCASES(table_msgs));
	tcase_add_loop_test(tc, test_chain, 0, NCASES(chain_cases));
	tcase_add_loop_test(tc, test_rule_ref, 0, NCASES(rule_ref_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(nftmsg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
