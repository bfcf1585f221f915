// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Table, chain and rule-reference messages, written with libmnl in the
 * order and encoding libnftnl 1.2 gives them (check_nftmsg compares both
 * byte for byte), and attributes read back.
 */
#include "nft-msg.h"
#include "nfnl.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

struct nlmsghdr *nft_header_build(char *buf, uint16_t type, uint16_t family,
				  uint16_t flags, uint32_t seq)
{
	return nfnl_request_build(buf, NFNL_SUBSYS_NFTABLES, type, family,
				  flags, seq);
}

struct nlmsghdr *nft_table_build(char *buf, uint16_t type, uint16_t family,
				 uint16_t flags, uint32_t seq,
				 const char *name)
{
	struct nlmsghdr *nlh = nft_header_build(buf, type, family, flags, seq);

	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, name);
	return nlh;
}

static void put_counters(struct nlmsghdr *nlh, uint16_t type,
			 uint64_t packets, uint64_t bytes)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, NFTA_COUNTER_PACKETS, htobe64(packets));
	mnl_attr_put_u64(nlh, NFTA_COUNTER_BYTES, htobe64(bytes));
	mnl_attr_nest_end(nlh, nest);
}

struct nlmsghdr *nft_chain_build(char *buf, uint16_t type, uint16_t family,
				 uint16_t flags, uint32_t seq,
				 const struct nft_chain_attrs *a)
{
	struct nlmsghdr *nlh = nft_header_build(buf, type, family, flags, seq);

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, a->table);
	if (a->name)
		mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, a->name);
	if (a->has_hook) {
		struct nlattr *nest = mnl_attr_nest_start(nlh,
							  NFTA_CHAIN_HOOK);

		mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(a->hooknum));
		mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY,
				 htonl((uint32_t)a->prio));
		mnl_attr_nest_end(nlh, nest);
	}
	if (a->has_policy)
		mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(a->policy));
	if (a->has_use)
		mnl_attr_put_u32(nlh, NFTA_CHAIN_USE, htonl(a->use));
	if (a->has_counters)
		put_counters(nlh, NFTA_CHAIN_COUNTERS, a->packets, a->bytes);
	if (a->has_handle)
		mnl_attr_put_u64(nlh, NFTA_CHAIN_HANDLE, htobe64(a->handle));
	if (a->type)
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, a->type);
	if (a->has_flags)
		mnl_attr_put_u32(nlh, NFTA_CHAIN_FLAGS, htonl(a->flags));
	return nlh;
}

struct nlmsghdr *nft_rule_ref_build(char *buf, uint16_t type,
				    uint16_t family, uint16_t flags,
				    uint32_t seq, const char *table,
				    const char *chain, uint64_t handle,
				    uint32_t id)
{
	struct nlmsghdr *nlh = nft_header_build(buf, type, family, flags,
						seq);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	if (chain)
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	if (id)
		mnl_attr_put_u32(nlh, NFTA_RULE_ID, htonl(id));
	return nlh;
}

struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int attr_tb_cb(const struct nlattr *attr, void *data)
{
	struct attr_tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

void nft_msg_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   unsigned int max)
{
	struct attr_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_tb_cb, &t);
}

void nft_nest_attrs(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max)
{
	struct attr_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nest)
		mnl_attr_parse_nested(nest, attr_tb_cb, &t);
}

const char *nft_attr_str(const struct nlattr *a)
{
	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ?
	       mnl_attr_get_str(a) : NULL;
}

bool nft_attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return false;
	*v = ntohl(mnl_attr_get_u32(a));
	return true;
}

bool nft_attr_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return false;
	*v = be64toh(mnl_attr_get_u64(a));
	return true;
}

uint64_t nft_msg_rule_handle(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	uint64_t handle = 0;

	nft_msg_attrs(nlh, tb, NFTA_RULE_MAX);
	nft_attr_u64(tb[NFTA_RULE_HANDLE], &handle);
	return handle;
}
