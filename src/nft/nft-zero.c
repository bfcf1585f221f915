// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -Z: a dumped rule written back as the NEWRULE that replaces it, its
 * counters zeroed.  iptables-nft has libnftnl parse the dump and write it
 * again; this copies the dump's attributes with libmnl into the order and
 * encoding libnftnl 1.2 gives them (nests flagged NLA_F_NESTED, each
 * expression's attributes in the order its builder writes them, the ones
 * it does not know left out), so the bytes sent are the same (check_nft
 * compares both).  An expression outside the table below is copied as
 * dumped: the kernel reads it the same.
 */
#include "nft-expr.h"
#include "nft-msg.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libmnl/libmnl.h>

#define ZERO_MAX_ATTRS	8
/* What a rewrite may add to the dump: the COMPAT nest, and a counter
 * value the dump left out. */
#define ZERO_SLACK	256

#define NEST(type)	(1u << (type))

/* Each expression's attributes in the order libnftnl writes them; those
 * in @nests are data nests (NFTA_DATA_VALUE, or immediate's verdict). */
static const struct zexpr {
	const char *name;
	uint16_t attrs[ZERO_MAX_ATTRS];
	uint32_t nests;
} zexprs[] = {
	{ "counter", { NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS }, 0 },
	{ "payload", { NFTA_PAYLOAD_SREG, NFTA_PAYLOAD_DREG, NFTA_PAYLOAD_BASE,
		       NFTA_PAYLOAD_OFFSET, NFTA_PAYLOAD_LEN,
		       NFTA_PAYLOAD_CSUM_TYPE, NFTA_PAYLOAD_CSUM_OFFSET,
		       NFTA_PAYLOAD_CSUM_FLAGS }, 0 },
	{ "meta", { NFTA_META_KEY, NFTA_META_DREG, NFTA_META_SREG }, 0 },
	{ "bitwise", { NFTA_BITWISE_SREG, NFTA_BITWISE_DREG, NFTA_BITWISE_OP,
		       NFTA_BITWISE_LEN, NFTA_BITWISE_MASK, NFTA_BITWISE_XOR,
		       NFTA_BITWISE_DATA },
	  NEST(NFTA_BITWISE_MASK) | NEST(NFTA_BITWISE_XOR) |
	  NEST(NFTA_BITWISE_DATA) },
	{ "cmp", { NFTA_CMP_SREG, NFTA_CMP_OP, NFTA_CMP_DATA },
	  NEST(NFTA_CMP_DATA) },
	{ "immediate", { NFTA_IMMEDIATE_DREG, NFTA_IMMEDIATE_DATA },
	  NEST(NFTA_IMMEDIATE_DATA) },
	{ "match", { NFTA_MATCH_NAME, NFTA_MATCH_REV, NFTA_MATCH_INFO }, 0 },
	{ "target", { NFTA_TARGET_NAME, NFTA_TARGET_REV, NFTA_TARGET_INFO },
	  0 },
	{ "limit", { NFTA_LIMIT_RATE, NFTA_LIMIT_UNIT, NFTA_LIMIT_BURST,
		     NFTA_LIMIT_TYPE, NFTA_LIMIT_FLAGS }, 0 },
	{ "lookup", { NFTA_LOOKUP_SREG, NFTA_LOOKUP_DREG, NFTA_LOOKUP_SET,
		      NFTA_LOOKUP_SET_ID, NFTA_LOOKUP_FLAGS }, 0 },
	{ "log", { NFTA_LOG_PREFIX, NFTA_LOG_GROUP, NFTA_LOG_SNAPLEN,
		   NFTA_LOG_QTHRESHOLD, NFTA_LOG_LEVEL, NFTA_LOG_FLAGS }, 0 },
	{ "range", { NFTA_RANGE_SREG, NFTA_RANGE_OP, NFTA_RANGE_FROM_DATA,
		     NFTA_RANGE_TO_DATA },
	  NEST(NFTA_RANGE_FROM_DATA) | NEST(NFTA_RANGE_TO_DATA) },
	{ "ct", { NFTA_CT_KEY, NFTA_CT_DREG, NFTA_CT_DIRECTION, NFTA_CT_SREG },
	  0 },
};

/* The nested attribute of @type in @nest, NULL if absent. */
static const struct nlattr *nest_get(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	if (!nest)
		return NULL;
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void copy_attr(struct nft_out *o, const struct nlattr *a)
{
	nft_out_put(o, mnl_attr_get_type(a), mnl_attr_get_payload(a),
		    mnl_attr_get_payload_len(a));
}

/* A verdict: its code, and its chain for a jump or goto. */
static void copy_verdict(struct nft_out *o, const struct nlattr *v)
{
	const struct nlattr *code = nest_get(v, NFTA_VERDICT_CODE);
	const struct nlattr *chain = nest_get(v, NFTA_VERDICT_CHAIN);
	struct nlattr *n = nft_out_nest(o, NFTA_DATA_VERDICT);
	uint32_t c;

	if (code) {
		copy_attr(o, code);
		if (chain && nft_attr_u32(code, &c) &&
		    ((int32_t)c == NFT_JUMP || (int32_t)c == NFT_GOTO))
			copy_attr(o, chain);
	}
	nft_out_nest_end(o, n);
}

/* A data nest: the value, else the verdict (immediate only). */
static void copy_data(struct nft_out *o, const struct nlattr *a,
		      bool verdict_ok)
{
	const struct nlattr *value = nest_get(a, NFTA_DATA_VALUE);
	const struct nlattr *verdict = nest_get(a, NFTA_DATA_VERDICT);
	struct nlattr *n = nft_out_nest(o, mnl_attr_get_type(a));

	if (value)
		copy_attr(o, value);
	else if (verdict && verdict_ok)
		copy_verdict(o, verdict);
	nft_out_nest_end(o, n);
}

/* A counter's values, zeroed if @zero. */
static void copy_counter(struct nft_out *o, const struct nlattr *data,
			 bool zero)
{
	static const uint16_t types[] = {
		NFTA_COUNTER_BYTES, NFTA_COUNTER_PACKETS,
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct nlattr *a = nest_get(data, types[i]);

		if (zero)
			nft_out_put_be64(o, types[i], 0);
		else if (a)
			copy_attr(o, a);
	}
}

static const struct zexpr *zexpr_find(const char *name)
{
	for (size_t i = 0; i < sizeof(zexprs) / sizeof(zexprs[0]); i++)
		if (strcmp(zexprs[i].name, name) == 0)
			return &zexprs[i];
	return NULL;
}

/* Whether counter data @data holds a non-zero value. */
static bool counter_set(const struct nlattr *data)
{
	const struct nlattr *a;
	uint64_t v;

	mnl_attr_for_each_nested(a, data)
		if ((mnl_attr_get_type(a) == NFTA_COUNTER_BYTES ||
		     mnl_attr_get_type(a) == NFTA_COUNTER_PACKETS) &&
		    nft_attr_u64(a, &v) && v)
			return true;
	return false;
}

static void copy_expr_data(struct nft_out *o, const struct zexpr *z,
			   const struct nlattr *data)
{
	const struct nlattr *a;

	if (!z) {
		if (!data)
			return;
		mnl_attr_for_each_nested(a, data) {
			copy_attr(o, a);
		}
		return;
	}
	if (!strcmp(z->name, "counter")) {
		copy_counter(o, data, data && counter_set(data));
		return;
	}
	for (size_t i = 0; i < ZERO_MAX_ATTRS && z->attrs[i]; i++) {
		a = nest_get(data, z->attrs[i]);
		if (!a)
			continue;
		if (z->nests & NEST(z->attrs[i]))
			copy_data(o, a, !strcmp(z->name, "immediate"));
		else
			copy_attr(o, a);
	}
}

/* One element of the expression list; -1 (EINVAL) if it has no name. */
static int copy_expr(struct nft_out *o, const struct nlattr *elem)
{
	const struct nlattr *name = nest_get(elem, NFTA_EXPR_NAME);
	const struct nlattr *data = nest_get(elem, NFTA_EXPR_DATA);
	struct nlattr *e, *d;

	if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM || !name ||
	    mnl_attr_validate(name, MNL_TYPE_NUL_STRING) < 0 ||
	    (data && mnl_attr_validate(data, MNL_TYPE_NESTED) < 0)) {
		errno = EINVAL;
		return -1;
	}
	e = nft_out_nest(o, NFTA_LIST_ELEM);
	nft_out_put_strz(o, NFTA_EXPR_NAME, mnl_attr_get_str(name));
	d = nft_out_nest(o, NFTA_EXPR_DATA);
	copy_expr_data(o, zexpr_find(mnl_attr_get_str(name)), data);
	nft_out_nest_end(o, d);
	nft_out_nest_end(o, e);
	return 0;
}

static int copy_exprs(struct nft_out *o, const struct nlattr *list)
{
	const struct nlattr *elem;
	struct nlattr *n;

	if (!list || !mnl_attr_get_payload_len(list))
		return 0;
	n = nft_out_nest(o, NFTA_RULE_EXPRESSIONS);
	mnl_attr_for_each_nested(elem, list)
		if (copy_expr(o, elem) < 0)
			return -1;
	nft_out_nest_end(o, n);
	return 0;
}

/* Whether any counter expression of @list holds a non-zero value. */
static bool counters_set(const struct nlattr *list)
{
	const struct nlattr *elem;

	if (!list)
		return false;
	mnl_attr_for_each_nested(elem, list) {
		const struct nlattr *name = nest_get(elem, NFTA_EXPR_NAME);

		if (name && !mnl_attr_validate(name, MNL_TYPE_NUL_STRING) &&
		    !strcmp(mnl_attr_get_str(name), "counter") &&
		    counter_set(nest_get(elem, NFTA_EXPR_DATA)))
			return true;
	}
	return false;
}

/*
 * The kernel keeps no NFTA_RULE_COMPAT: sent back without it, a rule with
 * a protocol-bound match (-p tcp -m multiport) is refused (EINVAL).
 * iptables-nft rebuilds it from the decoded rule; so does this.
 */
static int put_compat(struct nft_out *o, const struct nlmsghdr *nlh,
		      uint8_t family)
{
	struct rule *r = rule_alloc(family);
	int ret = -1;

	if (r && nft_rule_decode(nlh, r) == 0) {
		struct nlattr *n = nft_out_nest(o, NFTA_RULE_COMPAT);

		nft_out_put_be32(o, NFTA_RULE_COMPAT_PROTO, rule_proto(r));
		nft_out_put_be32(o, NFTA_RULE_COMPAT_FLAGS,
				 (rule_invflags(r) & XT_INV_PROTO) ?
				 NFT_RULE_COMPAT_F_INV : 0);
		nft_out_nest_end(o, n);
		ret = 0;
	}
	rule_free(r);
	return ret;
}

int nft_rule_zero_build(const struct nlmsghdr *nlh, char *buf, size_t size,
			bool force)
{
	static const uint16_t head[] = {
		NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_HANDLE,
		NFTA_RULE_USERDATA,
	};
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct nft_out o = { .cap = size };

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*nfg)) {
		errno = EINVAL;
		return -1;
	}
	nft_msg_attrs(nlh, tb, NFTA_RULE_MAX);
	if (!counters_set(tb[NFTA_RULE_EXPRESSIONS]) && !force)
		return 0;
	/* attribute padding goes out as zeros */
	if (o.cap > nlh->nlmsg_len + ZERO_SLACK)
		o.cap = nlh->nlmsg_len + ZERO_SLACK;
	memset(buf, 0, o.cap);
	o.nlh = nft_header_build(buf, NFT_MSG_NEWRULE, nfg->nfgen_family, 0, 0);
	/* the dump's POSITION is left out: replaced in place */
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		if (tb[head[i]])
			copy_attr(&o, tb[head[i]]);
	if (copy_exprs(&o, tb[NFTA_RULE_EXPRESSIONS]) < 0 ||
	    put_compat(&o, nlh, nfg->nfgen_family) < 0)
		return -1;
	if (o.full) {
		errno = EMSGSIZE;
		return -1;
	}
	return 1;
}
