// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding rules: the Nth of a chain, the first equal to a spec (-D/-C),
 * and zeroing counters (-Z).  A chain without queued changes is streamed
 * from the kernel and the dump abandoned as soon as the answer is known;
 * only the target chain is read, never the other built-ins as
 * iptables-nft does.  For a spec, each dumped rule's raw expressions are
 * first compared with the command's own encoding; only rules that could be
 * equal are decoded: iptables compares rules as it decodes them, counters
 * left out.
 */
#include "nft-core.h"
#include "nft-expr.h"
#include "nft-view.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#define SPEC_MAX_EXPRS	64
#define SPEC_BUFSIZ	(64 * 1024)
/* A dumped rule fits the 32 KiB dump buffer; a rewrite adds a little. */
#define NFT_ZERO_BUFSIZ	(64 * 1024)

static void rule_attrs(const struct nlmsghdr *nlh,
		       const struct nlattr *tb[NFTA_RULE_MAX + 1])
{
	nft_msg_attrs(nlh, tb, NFTA_RULE_MAX);
}

static uint64_t rule_handle(const struct nlattr *tb[NFTA_RULE_MAX + 1])
{
	uint64_t handle = 0;

	nft_attr_u64(tb[NFTA_RULE_HANDLE], &handle);
	return handle;
}

static int pos_from_materialised(struct nft_chain *c, unsigned int n,
				 struct nft_rpos *pos)
{
	const struct nft_rent *e;

	pos->count = c->nrules;
	if (!n || n > c->nrules)
		return 0;
	e = &c->rules[n - 1];
	pos->found = true;
	pos->handle = e->handle;
	pos->op = e->handle ? NULL : e->op;
	return 0;
}

struct nth_walk {
	unsigned int n;
	struct nft_rpos *pos;
};

static int nth_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct nth_walk *w = data;

	if (++w->pos->count < w->n)
		return MNL_CB_OK;
	rule_attrs(nlh, tb);
	w->pos->handle = rule_handle(tb);
	w->pos->found = true;
	return MNL_CB_STOP;
}

/* Streams or walks a chain; on EINTR (dump interrupted) starts over. */
static int dump_retry(struct nft_backend *b, struct nft_table *t,
		      struct nft_chain *c, mnl_cb_t cb, void *data,
		      struct nft_rpos *pos)
{
	int ret;

	int tries = 0;

	do {
		memset(pos, 0, sizeof(*pos));
		ret = nft_sock_dump_rules(&b->sock, t->def->name, c->name,
					  cb, data);
	} while (ret < 0 && errno == EINTR && ++tries < NFT_DUMP_RETRIES);
	return ret;
}

int nft_rule_nth(struct nft_backend *b, struct nft_table *t,
		 struct nft_chain *c, unsigned int n, struct nft_rpos *pos)
{
	struct nth_walk w = { n, pos };

	memset(pos, 0, sizeof(*pos));
	if (c->materialised || c->npending) {
		if (nft_chain_materialise(&b->sock, &b->batch, t, c) < 0)
			return -1;
		return pos_from_materialised(c, n, pos);
	}
	if (!c->in_kernel || !c->kernel_rules || !n)
		return 0;
	return dump_retry(b, t, c, nth_cb, &w, pos);
}

struct raw_expr {
	const char *name;
	const struct nlattr *data;
};

/* The expressions of a rule message, without allocating; -1 if too many. */
static int raw_exprs(const struct nlattr *list, struct raw_expr *out)
{
	const struct nlattr *elem, *a;
	int n = 0;

	mnl_attr_for_each_nested(elem, list) {
		if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM)
			continue;
		if (n == SPEC_MAX_EXPRS)
			return -1;
		out[n].name = "";
		out[n].data = NULL;
		mnl_attr_for_each_nested(a, elem) {
			if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
				out[n].name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
				out[n].data = a;
		}
		n++;
	}
	return n;
}

static const struct nlattr *nested_find(const struct nlattr *nest, int type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

enum { RAW_DIFFERENT = -1, RAW_SAME = 0, RAW_UNSURE = 1 };

/*
 * Byte equality of two attribute payloads, except that libmnl flags our
 * nests NLA_F_NESTED and the kernel's dumps do not: our side (@w) tells
 * where the nests are.
 */
static bool payload_equal(const void *w, const void *g, size_t len)
{
	size_t off = 0;

	if (!memcmp(w, g, len))
		return true;
	while (off + sizeof(struct nlattr) <= len) {
		const struct nlattr *wa = (const void *)((const char *)w + off);
		const struct nlattr *ga = (const void *)((const char *)g + off);

		if (wa->nla_len < sizeof(*wa) || wa->nla_len != ga->nla_len ||
		    off + wa->nla_len > len ||
		    (wa->nla_type & NLA_TYPE_MASK) !=
		    (ga->nla_type & NLA_TYPE_MASK))
			return false;
		if (wa->nla_type & NLA_F_NESTED) {
			if (!payload_equal(wa + 1, ga + 1,
					   wa->nla_len - sizeof(*wa)))
				return false;
		} else if (memcmp(wa + 1, ga + 1, wa->nla_len - sizeof(*wa))) {
			return false;
		}
		off += MNL_ALIGN(wa->nla_len);
	}
	return off >= len;
}

/* Expressions whose every attribute is meaning: a byte difference is a
 * real difference.  Compat INFO may hold kernel-private bytes; names and
 * revisions of match/target (types 1 and 2) still decide. */
static bool expr_native(const char *name)
{
	static const char *const native[] = {
		"payload", "meta", "cmp", "bitwise", "range", "immediate",
	};

	for (size_t i = 0; i < sizeof(native) / sizeof(native[0]); i++)
		if (strcmp(name, native[i]) == 0)
			return true;
	return false;
}

static int expr_cmp(const struct raw_expr *want, const struct raw_expr *got)
{
	bool native = expr_native(want->name);
	bool compat = !strcmp(want->name, "match") ||
		      !strcmp(want->name, "target");
	const struct nlattr *a;
	int res = RAW_SAME;

	if (!strcmp(want->name, "counter"))
		return RAW_SAME;
	if (!want->data || !got->data)
		return want->data == got->data ? RAW_SAME : RAW_UNSURE;
	/* The kernel dumps attributes in its own order and adds some
	 * (bitwise OP): compare what we send, type by type. */
	mnl_attr_for_each_nested(a, want->data) {
		const struct nlattr *g = nested_find(got->data,
						     mnl_attr_get_type(a));

		if (!g || mnl_attr_get_len(g) != mnl_attr_get_len(a)) {
			res = RAW_UNSURE;
			continue;
		}
		if (!(a->nla_type & NLA_F_NESTED) ?
		    !memcmp(mnl_attr_get_payload(a), mnl_attr_get_payload(g),
			    mnl_attr_get_payload_len(a)) :
		    payload_equal(mnl_attr_get_payload(a),
				  mnl_attr_get_payload(g),
				  mnl_attr_get_payload_len(a)))
			continue;
		if (native || (compat && mnl_attr_get_type(a) <= 2))
			return RAW_DIFFERENT;
		res = RAW_UNSURE;
	}
	return res;
}

struct spec_walk {
	struct nft_backend *b;
	const struct rule *want;	/* decoded own encoding */
	struct raw_expr exprs[SPEC_MAX_EXPRS];
	int nexprs;			/* -1: no prefilter */
	struct raw_expr got[SPEC_MAX_EXPRS];
	struct nft_rpos *pos;
	unsigned int decoded;
};

/* RAW_DIFFERENT only if the dumped rule cannot decode equal to ours. */
static int spec_prefilter(struct spec_walk *w,
			  const struct nlattr *tb[NFTA_RULE_MAX + 1])
{
	int n, res = RAW_SAME;

	if (w->nexprs < 0 || !tb[NFTA_RULE_EXPRESSIONS] ||
	    tb[NFTA_RULE_USERDATA])
		return RAW_UNSURE;
	n = raw_exprs(tb[NFTA_RULE_EXPRESSIONS], w->got);
	if (n != w->nexprs)
		return RAW_UNSURE;
	for (int i = 0; i < n; i++)
		if (strcmp(w->exprs[i].name, w->got[i].name))
			return RAW_UNSURE;
	for (int i = 0; i < n; i++) {
		int r = expr_cmp(&w->exprs[i], &w->got[i]);

		if (r == RAW_DIFFERENT)
			return r;
		if (r == RAW_UNSURE)
			res = r;
	}
	return res;
}

/*
 * iptables-nft parses every rule it passes on the way: one that does not
 * parse back ends the search (EBADMSG, the reason in b->err); unknown
 * expressions alone are skipped over, as its parser ignores them.
 */
static int msg_matches(struct nft_backend *b, const struct nlmsghdr *nlh,
		       const struct rule *want, bool *equal)
{
	struct rule *r = rule_alloc(want->family);
	int ret = -1;

	*equal = false;
	if (!r || nft_rule_decode(nlh, r) < 0)
		goto out;
	if (r->unsupported_msg) {
		nft_err_set(&b->err, "%s", r->unsupported_msg);
		errno = EBADMSG;
		goto out;
	}
	/* iptables-nft 1.8.9 compares IPv6 addresses without masks */
	*equal = rule_equal_flags(r, want, RULE_EQUAL_NO_IP6_MASKS);
	ret = 0;
out:
	rule_free(r);
	return ret;
}

static int spec_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct spec_walk *w = data;
	bool equal;

	rule_attrs(nlh, tb);
	if (spec_prefilter(w, tb) == RAW_DIFFERENT)
		return MNL_CB_OK;
	w->decoded++;
	if (msg_matches(w->b, nlh, w->want, &equal) < 0)
		return MNL_CB_ERROR;
	if (!equal)
		return MNL_CB_OK;
	w->pos->found = true;
	w->pos->handle = rule_handle(tb);
	return MNL_CB_STOP;
}

static bool ipv6_has_address(const struct rule *r)
{
	static const struct in6_addr any;
	const struct ip6t_ip6 *ip = &r->entry.v6.ipv6;

	return r->family == NFPROTO_IPV6 &&
	       (memcmp(&ip->smsk, &any, sizeof(any)) ||
		memcmp(&ip->dmsk, &any, sizeof(any)));
}

/* Our own encoding of @r: decoded (as iptables compares) and raw. */
static int spec_prepare(struct nft_backend *b, struct nft_table *t,
			struct nft_chain *c, const struct rule *r,
			struct spec_walk *w, struct rule **own, char *buf)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct nft_rule_attrs a = { .table = t->def->name, .chain = c->name };
	struct nlmsghdr *nlh;

	*own = NULL;
	w->want = r;
	w->nexprs = -1;
	nlh = nft_rule_build(buf, SPEC_BUFSIZ, b->base.family, 0, 0, &a, r);
	if (!nlh)
		return -1;
	*own = rule_alloc(r->family);
	if (*own && nft_rule_decode(nlh, *own) == 0 && !(*own)->unsupported)
		w->want = *own;
	rule_attrs(nlh, tb);
	/* IPv6 address masks are not compared, so differently sized
	 * address loads may still be equal: no raw shortcut then. */
	if (tb[NFTA_RULE_EXPRESSIONS] && !ipv6_has_address(r))
		w->nexprs = raw_exprs(tb[NFTA_RULE_EXPRESSIONS], w->exprs);
	return 0;
}

static int spec_materialised(struct nft_backend *b, struct nft_chain *c,
			     const struct rule *want, struct nft_rpos *pos)
{
	bool equal;

	for (size_t i = 0; i < c->nrules; i++) {
		const struct nft_rent *e = &c->rules[i];

		/* a rule of this batch is read from its queued message */
		if (msg_matches(b, e->op ? nft_op_msg(&b->batch, e->op) : e->msg,
				want, &equal) < 0)
			return -1;
		if (equal) {
			pos->found = true;
			pos->handle = e->handle;
			pos->op = e->handle ? NULL : e->op;
			return 0;
		}
	}
	return 0;
}

int nft_rule_spec(struct nft_backend *b, struct nft_table *t,
		  struct nft_chain *c, const struct rule *r,
		  struct nft_rpos *pos)
{
	struct spec_walk *w = calloc(1, sizeof(*w));
	char *buf = calloc(1, SPEC_BUFSIZ);
	struct rule *own = NULL;
	int ret = -1;

	memset(pos, 0, sizeof(*pos));
	if (!w || !buf)
		goto out;
	w->b = b;
	w->pos = pos;
	if (spec_prepare(b, t, c, r, w, &own, buf) < 0)
		goto out;
	if (c->materialised || c->npending) {
		if (nft_chain_materialise(&b->sock, &b->batch, t, c) < 0)
			goto out;
		ret = spec_materialised(b, c, w->want, pos);
	} else if (c->in_kernel && c->kernel_rules) {
		ret = dump_retry(b, t, c, spec_cb, w, pos);
	} else {
		ret = 0;
	}
out:
	rule_free(own);
	free(buf);
	free(w);
	return ret;
}

struct zero_walk {
	struct nft_backend *b;
	const struct rule_cmd *cmd;
	unsigned int n, idx;	/* -Z C N: only rule N */
	char buf[NFT_ZERO_BUFSIZ];
};

/* A rule with non-zero counters is replaced by itself, zeroed (a NEWRULE
 * with NLM_F_REPLACE and its handle), as iptables-nft zeroes rules. */
static int zero_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zero_walk *w = data;
	int ret;

	w->idx++;
	if (w->n && w->idx != w->n)
		return MNL_CB_OK;
	/* -Z C N replaces rule N whatever its counter (measured); the
	 * message carries the handle, no chain view needs the op */
	ret = nft_rule_zero_build(nlh, w->buf, sizeof(w->buf), w->n != 0);
	if (ret < 0 ||
	    (ret > 0 && !nft_op_add_msg(&w->b->batch, NFT_OP_RULE_REPLACE,
					w->cmd, (struct nlmsghdr *)w->buf)))
		return MNL_CB_ERROR;
	return w->n ? MNL_CB_STOP : MNL_CB_OK;
}

/* The chain as the kernel reported it, policy counters zeroed. */
static int chain_zero_op(struct nft_backend *b, const struct nft_table *t,
			 const struct nft_chain *c, const struct rule_cmd *cmd)
{
	const struct nft_chain_attrs a = {
		.table = t->def->name,
		.name = c->name,
		.has_hook = c->has_hook,
		.hooknum = c->hooknum,
		.prio = c->prio,
		.has_policy = c->has_policy,
		.policy = c->policy,
		.has_use = true,
		.use = c->use,
		.has_counters = true,
		.type = c->type[0] ? c->type : NULL,
		.has_flags = c->has_flags,
		.flags = c->flags,
	};

	return nft_op_add_chain(&b->batch, NFT_OP_CHAIN_ZERO, cmd, &a) ? 0 : -1;
}

static int zero_chain(struct nft_backend *b, struct nft_table *t,
		      struct nft_chain *c, const struct rule_cmd *cmd)
{
	struct zero_walk *w;
	int ret;

	if (cmd->command != RULE_CMD_ZERO_NUM && c->builtin && c->in_kernel &&
	    chain_zero_op(b, t, c, cmd) < 0)
		return -1;
	if (!c->in_kernel || !c->kernel_rules)
		return 0;
	w = malloc(sizeof(*w));
	if (!w)
		return -1;
	w->b = b;
	w->cmd = cmd;
	w->n = cmd->command == RULE_CMD_ZERO_NUM ? cmd->rulenum : 0;
	w->idx = 0;
	ret = nft_sock_dump_rules(&b->sock, t->def->name, c->name, zero_cb, w);
	free(w);
	return ret;
}

int nft_cmd_zero(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = nft_table_get(&b->cache, cmd->table);
	struct nft_chain *c;

	if (!t || nft_cache_table(&b->cache, t) < 0)
		return -1;
	if (cmd->chain[0]) {
		c = nft_cache_chain(&b->cache, t, cmd->chain);
		if (!c)
			return -1;
		if (!c->exists) {
			errno = ENOENT;
			return -1;
		}
		return zero_chain(b, t, c, cmd);
	}
	if (!t->exists)
		return 0;
	if (nft_cache_all_chains(&b->cache, t) < 0)
		return -1;
	for (c = t->chains; c; c = c->next)
		if (c->exists && zero_chain(b, t, c, cmd) < 0)
			return -1;
	return 0;
}
