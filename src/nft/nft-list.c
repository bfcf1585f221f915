// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What listings and save read (nft-core.h): the chains of a table in
 * listing order, a chain's rules decoded one by one as they stream from
 * the kernel, whether iptables-nft 1.8.9 would list them at all, and
 * whether a table holds base chains it does not know.
 */
#include "nft-core.h"
#include "nft-expr.h"
#include "nft-view.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

static void chain_fill(struct rule_chain *rc, const struct nft_chain *c)
{
	util_strlcpy(rc->name, c->name, sizeof(rc->name));
	rc->exists = c->exists;
	rc->policy = c->policy == NF_DROP ? RULE_VERDICT_DROP :
					     RULE_VERDICT_ACCEPT;
	rc->counters.pcnt = c->packets;
	rc->counters.bcnt = c->bytes;
}

static int cmp_chain_name(const void *a, const void *b)
{
	return strcmp(((const struct rule_chain *)a)->name,
		      ((const struct rule_chain *)b)->name);
}

/* Chain @c (NULL: absent built-in @bi) as chains() reports it. */
static int chain_report(const struct nft_chain *c,
			const struct backend_builtin *bi, struct rule_chain *out)
{
	memset(out, 0, sizeof(*out));
	if (bi) {
		util_strlcpy(out->name, bi->name, sizeof(out->name));
		if (c)
			chain_fill(out, c);
		else
			out->policy = RULE_VERDICT_ACCEPT;
		out->builtin = true;
		out->hooknum = bi->hooknum;
		return 0;
	}
	chain_fill(out, c);
	out->hooknum = -1;
	out->policy = RULE_VERDICT_NONE;
	/* the use count: the listing takes the rules away (rule.h) */
	out->references = c->in_kernel ? c->use : 0;
	out->refs_with_rules = true;
	return 0;
}

int nft_list_chains(struct nft_backend *b, const char *table,
		    struct rule_chain **chains, unsigned int *count,
		    bool *table_exists)
{
	struct nft_table *t = nft_table_get(&b->cache, table);
	struct rule_chain *out;
	struct nft_chain *c;
	unsigned int n = 0, nb, max;

	if (!t || nft_cache_table(&b->cache, t) < 0 ||
	    nft_cache_all_chains(&b->cache, t) < 0)
		return -1;
	max = t->def->nbuiltins + t->nchains;
	out = calloc(max ? max : 1, sizeof(*out));
	if (!out)
		return -1;
	for (unsigned int i = 0; i < t->def->nbuiltins; i++, n++) {
		const struct backend_builtin *bi = &t->def->builtins[i];

		chain_report(nft_chain_find(t, bi->name), bi, &out[n]);
	}
	nb = n;
	for (c = t->chains; c; c = c->next) {
		if (c->builtin || !c->exists)
			continue;
		if (chain_report(c, NULL, &out[n++]) < 0) {
			free(out);
			return -1;
		}
	}
	qsort(out + nb, n - nb, sizeof(*out), cmp_chain_name);
	*chains = out;
	*count = n;
	*table_exists = t->exists;
	return 0;
}

int nft_list_chain(struct nft_backend *b, const char *table,
		   const char *name, struct rule_chain *out)
{
	struct nft_table *t = nft_table_get(&b->cache, table);
	struct nft_chain *c = t && name[0] ?
			      nft_cache_chain(&b->cache, t, name) : NULL;

	if (!c) {
		if (t && !name[0])
			errno = ENOENT;
		return -1;
	}
	if (c->builtin)
		return chain_report(c->exists ? c : NULL, c->builtin,
				    out);
	if (!c->exists) {
		errno = ENOENT;
		return -1;
	}
	return chain_report(c, NULL, out);
}

struct rules_walk {
	uint8_t family;
	backend_rule_cb cb;
	void *data;
	int ret;
	/* A dump interrupted by a ruleset change restarts; the rules the
	 * caller has had already are skipped, not repeated. */
	unsigned int seen, emitted;
};

static int rules_walk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rules_walk *w = data;
	struct rule *r;
	int ret = MNL_CB_ERROR;

	if (w->seen++ < w->emitted)
		return MNL_CB_OK;
	r = rule_alloc(w->family);
	if (!r || nft_rule_decode(nlh, r) < 0)
		goto out;
	w->emitted++;
	w->ret = w->cb(r, w->data);
	ret = w->ret ? MNL_CB_STOP : MNL_CB_OK;
out:
	rule_free(r);
	return ret;
}

/* The rules of @c as the open transaction leaves them (a restore's -S
 * and -L lines list its own queued rules, as 1.8.9's do). */
static int list_view(struct nft_backend *b, struct nft_table *t,
		     struct nft_chain *c, backend_rule_cb cb, void *data)
{
	int ret = 0;

	if (nft_chain_materialise(&b->sock, &b->batch, t, c) < 0)
		return -1;
	for (size_t i = 0; i < c->nrules && !ret; i++) {
		const struct nft_rent *e = &c->rules[i];
		const struct nlmsghdr *nlh = e->op ? nft_op_msg(&b->batch, e->op) :
						     e->msg;
		struct rule *r = rule_alloc(b->base.family);

		if (!r || nft_rule_decode(nlh, r) < 0) {
			rule_free(r);
			return -1;
		}
		ret = cb(r, data);
		rule_free(r);
	}
	return ret;
}

int nft_list_rules(struct nft_backend *b, const char *table,
		   const char *chain, backend_rule_cb cb, void *data)
{
	struct rules_walk w = { b->base.family, cb, data, 0, 0, 0 };
	struct nft_table *t = nft_table_get(&b->cache, table);
	struct nft_chain *c;
	int ret, tries = 0;

	if (!t || nft_cache_table(&b->cache, t) < 0)
		return -1;
	c = nft_cache_chain(&b->cache, t, chain);
	if (!c)
		return -1;
	if (!c->exists) {
		errno = ENOENT;
		return -1;
	}
	if (c->materialised || c->npending)
		return list_view(b, t, c, cb, data);
	if (!c->in_kernel || !c->kernel_rules)
		return 0;
	do {
		w.seen = 0;
		ret = nft_sock_dump_rules(&b->sock, table, chain,
					  rules_walk_cb, &w);
	} while (ret < 0 && errno == EINTR && !w.ret &&
		 ++tries < NFT_DUMP_RETRIES);
	if (ret < 0)
		return w.ret ? w.ret : -1;
	return w.ret;
}


/* Stops the dump at the first rule iptables-nft would refuse to list. */
static int check_cb(const struct nlmsghdr *nlh, void *data)
{
	bool *incompatible = data;
	int ret = nft_rule_incompatible(nlh);

	if (ret < 0)
		return MNL_CB_ERROR;
	*incompatible = ret;
	return ret ? MNL_CB_STOP : MNL_CB_OK;
}

static int check_chain(struct nft_backend *b, const struct nft_table *t,
		       struct nft_chain *c)
{
	bool incompatible = false;
	int ret, tries = 0;

	if (!c->exists || !c->in_kernel || !c->kernel_rules)
		return 0;
	do {
		ret = nft_sock_dump_rules(&b->sock, t->def->name, c->name,
					  check_cb, &incompatible);
	} while (ret < 0 && errno == EINTR && ++tries < NFT_DUMP_RETRIES);
	if (ret < 0)
		return -1;
	if (incompatible) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return 0;
}

int nft_list_check(struct nft_backend *b, const char *table,
		   const char *chain)
{
	struct nft_table *t = nft_table_get(&b->cache, table);
	struct nft_chain *c;

	if (!t || nft_cache_table(&b->cache, t) < 0)
		return t ? -1 : 0;
	if (chain) {
		c = nft_cache_chain(&b->cache, t, chain);
		if (!c)
			return errno == ENOENT ? 0 : -1;
		return check_chain(b, t, c);
	}
	if (nft_cache_all_chains(&b->cache, t) < 0)
		return -1;
	for (c = t->chains; c; c = c->next)
		if (check_chain(b, t, c) < 0)
			return -1;
	return 0;
}

bool nft_list_foreign(struct nft_backend *b, const char *table,
		      const char *chain)
{
	struct nft_table *t = nft_table_get(&b->cache, table);

	if (!t)
		return false;
	if (!chain)
		return nft_table_foreign(t, NULL);
	/* 1.8.9 reads the built-ins along with a named chain; the cache
	 * may hold that chain alone (backend_ops.chain) */
	for (unsigned int i = 0; i < t->def->nbuiltins; i++) {
		const char *name = t->def->builtins[i].name;

		if (!t->chains_dumped)
			nft_cache_chain(&b->cache, t, name);
		if (nft_table_foreign(t, name))
			return true;
	}
	return nft_table_foreign(t, chain);
}
