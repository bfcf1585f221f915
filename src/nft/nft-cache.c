// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel state as far as a command needs it (nft-cache.h), narrower than
 * iptables-nft's cache, which reads every table, chain and rule of the
 * family: the tables of the family, the chains named by the command;
 * rules are streamed by those who need them.
 */
#include "nft-cache.h"
#include "nft-msg.h"
#include "nft-table.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

void nft_cache_init(struct nft_cache *cache, struct nft_sock *s)
{
	*cache = (struct nft_cache) { .sock = s };
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		cache->tables[i].def = &backend_tables[i];
}

struct nft_table *nft_table_get(struct nft_cache *cache, const char *name)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		if (strcmp(cache->tables[i].def->name, name) == 0)
			return &cache->tables[i];
	errno = ENOENT;
	return NULL;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	struct nft_cache *cache = data;
	struct nft_table *t;
	const char *name;

	nft_msg_attrs(nlh, tb, NFTA_TABLE_MAX);
	name = nft_attr_str(tb[NFTA_TABLE_NAME]);
	t = name ? nft_table_get(cache, name) : NULL;
	if (t)
		t->in_kernel = t->exists = true;
	return MNL_CB_OK;
}

/* Which tables of the family exist: one GETTABLE dump for all of them. */
int nft_cache_table(struct nft_cache *cache, struct nft_table *t)
{
	char buf[NFT_REQ_MSGSIZ];
	struct nlmsghdr *nlh;

	if (t->known)
		return 0;
	memset(buf, 0, sizeof(buf));
	if (!cache->sock->have_genid && nft_sock_genid(cache->sock) < 0)
		return -1;
	nlh = nft_header_build(buf, NFT_MSG_GETTABLE, cache->sock->family,
			       NLM_F_DUMP, 0);
	if (nft_sock_talk_retry(cache->sock, nlh, table_cb, cache) < 0)
		return -1;
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		cache->tables[i].known = true;
	return 0;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct nft_chain *nft_chain_find(struct nft_table *t, const char *name)
{
	uint32_t h = name_hash(name);
	struct nft_chain *c;

	if (!t->nbuckets)
		return NULL;
	for (c = t->buckets[h & (t->nbuckets - 1)]; c; c = c->hnext)
		if (c->hash == h && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Twice the buckets once there are more chains than buckets. */
static int chains_rehash(struct nft_table *t)
{
	uint32_t n = t->nbuckets ? t->nbuckets * 2 : 64;
	struct nft_chain **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (struct nft_chain *c = t->chains; c; c = c->next) {
		c->hnext = b[c->hash & (n - 1)];
		b[c->hash & (n - 1)] = c;
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
	return 0;
}

struct nft_chain *nft_chain_add(struct nft_table *t, const char *name)
{
	size_t len = strlen(name);
	struct nft_chain *c;

	if (t->nchains >= t->nbuckets && chains_rehash(t) < 0)
		return NULL;
	c = calloc(1, sizeof(*c) + len + 1);
	if (!c)
		return NULL;
	memcpy(c->name, name, len + 1);
	c->hash = name_hash(name);
	/* unique across the backend's tables: table index in the top bits */
	c->id = (uint32_t)(t->def - backend_tables + 1) << 24 |
		++t->nchain_ids;
	c->builtin = backend_builtin_find(t->def, name);
	c->policy = NF_ACCEPT;
	c->next = t->chains;
	t->chains = c;
	c->hnext = t->buckets[c->hash & (t->nbuckets - 1)];
	t->buckets[c->hash & (t->nbuckets - 1)] = c;
	t->nchains++;
	return c;
}

/* The hook and counters of a base chain, as the kernel dumps them. */
static void chain_base_attrs(struct nft_chain *c,
			     const struct nlattr *tb[NFTA_CHAIN_MAX + 1])
{
	const struct nlattr *hook[NFTA_HOOK_MAX + 1];
	const struct nlattr *ctr[NFTA_COUNTER_MAX + 1];
	const char *type = nft_attr_str(tb[NFTA_CHAIN_TYPE]);
	uint32_t prio = 0;

	nft_nest_attrs(tb[NFTA_CHAIN_HOOK], hook, NFTA_HOOK_MAX);
	c->has_hook = nft_attr_u32(hook[NFTA_HOOK_HOOKNUM], &c->hooknum) &&
		      nft_attr_u32(hook[NFTA_HOOK_PRIORITY], &prio);
	c->prio = (int32_t)prio;
	c->has_flags = nft_attr_u32(tb[NFTA_CHAIN_FLAGS], &c->flags);
	util_strlcpy(c->type, type ? type : "", sizeof(c->type));
	c->has_policy = nft_attr_u32(tb[NFTA_CHAIN_POLICY], &c->policy);
	nft_nest_attrs(tb[NFTA_CHAIN_COUNTERS], ctr, NFTA_COUNTER_MAX);
	c->packets = c->bytes = 0;
	c->has_counters =
		nft_attr_u64(ctr[NFTA_COUNTER_PACKETS], &c->packets) &&
		nft_attr_u64(ctr[NFTA_COUNTER_BYTES], &c->bytes);
}

/*
 * Whether a chain with a hook is one of @t's built-ins as iptables-nft
 * 1.8.9 makes them: the built-in of its hook, with its name, priority
 * and type.  1.8.9 leaves any other base chain out of its view of the
 * table (and says so when it lists the table).
 */
static bool base_chain_known(const struct nft_table *t, const char *name,
			     const struct nlattr *tb[NFTA_CHAIN_MAX + 1])
{
	const struct nlattr *hook[NFTA_HOOK_MAX + 1];
	const char *type = nft_attr_str(tb[NFTA_CHAIN_TYPE]);
	uint32_t hooknum, prio;

	nft_nest_attrs(tb[NFTA_CHAIN_HOOK], hook, NFTA_HOOK_MAX);
	if (!nft_attr_u32(hook[NFTA_HOOK_HOOKNUM], &hooknum) ||
	    !nft_attr_u32(hook[NFTA_HOOK_PRIORITY], &prio))
		return false;
	for (unsigned int i = 0; i < t->def->nbuiltins; i++) {
		const struct backend_builtin *bi = &t->def->builtins[i];
		const struct nft_base_kind *k;

		if (bi->hooknum != (int)hooknum)
			continue;
		k = nft_base_kind(t->def, bi);
		return (int32_t)prio == k->prio &&
		       strcmp(name, bi->name) == 0 &&
		       type && strcmp(type, k->type) == 0;
	}
	return false;
}

static int foreign_note(struct nft_table *t, const char *name)
{
	struct nft_foreign *f;

	for (f = t->foreign; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	util_strlcpy(f->name, name, sizeof(f->name));
	f->next = t->foreign;
	t->foreign = f;
	return 0;
}

bool nft_table_foreign(const struct nft_table *t, const char *name)
{
	for (const struct nft_foreign *f = t->foreign; f; f = f->next)
		if (!name || strcmp(f->name, name) == 0)
			return true;
	return false;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1];
	struct nft_table *t = data;
	const char *table, *name;
	struct nft_chain *c;

	nft_msg_attrs(nlh, tb, NFTA_CHAIN_MAX);
	table = nft_attr_str(tb[NFTA_CHAIN_TABLE]);
	name = nft_attr_str(tb[NFTA_CHAIN_NAME]);
	if (!table || strcmp(table, t->def->name) || !name ||
	    strlen(name) >= RULE_CHAIN_MAXLEN)
		return MNL_CB_OK;
	if (tb[NFTA_CHAIN_HOOK] && !base_chain_known(t, name, tb))
		return foreign_note(t, name) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
	c = nft_chain_find(t, name);
	if (!c)
		c = nft_chain_add(t, name);
	if (!c)
		return MNL_CB_ERROR;
	c->in_kernel = c->exists = true;
	c->kernel_rules = !t->rules_flushed;
	c->handle = 0;
	nft_attr_u64(tb[NFTA_CHAIN_HANDLE], &c->handle);
	c->use = 0;
	nft_attr_u32(tb[NFTA_CHAIN_USE], &c->use);
	chain_base_attrs(c, tb);
	return MNL_CB_OK;
}

static int chain_request(struct nft_cache *cache, struct nft_table *t,
			 const char *name)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nft_chain_attrs a = { .table = t->def->name, .name = name };
	struct nlmsghdr *nlh;
	int ret;

	nlh = nft_chain_build(buf, NFT_MSG_GETCHAIN, cache->sock->family,
			    name ? 0 : NLM_F_DUMP, 0, &a);
	ret = nft_sock_talk_retry(cache->sock, nlh, chain_cb, t);
	if (ret < 0 && name && errno == ENOENT)
		ret = 0;
	return ret;
}

struct nft_chain *nft_cache_chain(struct nft_cache *cache, struct nft_table *t,
				  const char *name)
{
	struct nft_chain *c = nft_chain_find(t, name);
	bool asked = false;

	if (c)
		return c;
	/* A chain found tells that its table exists: the table dump is
	 * only needed when it is not (one request less for most -A). */
	if (!t->known) {
		if ((!cache->sock->have_genid &&
		     nft_sock_genid(cache->sock) < 0) ||
		    chain_request(cache, t, name) < 0)
			return NULL;
		c = nft_chain_find(t, name);
		if (c) {
			t->known = t->in_kernel = t->exists = true;
			return c;
		}
		asked = true;
	}
	if (nft_cache_table(cache, t) < 0)
		return NULL;
	if (t->in_kernel && !t->flushed && !t->chains_dumped && !asked &&
	    chain_request(cache, t, name) < 0)
		return NULL;
	c = nft_chain_find(t, name);
	if (!c)
		c = nft_chain_add(t, name);
	return c;
}

int nft_cache_all_chains(struct nft_cache *cache, struct nft_table *t)
{
	if (t->chains_dumped)
		return 0;
	if (nft_cache_table(cache, t) < 0)
		return -1;
	if (t->in_kernel && !t->flushed && chain_request(cache, t, NULL) < 0)
		return -1;
	t->chains_dumped = true;
	return 0;
}

void nft_chain_rules_clear(struct nft_chain *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		free(c->rules[i].msg);
	free(c->rules);
	c->rules = NULL;
	c->nrules = c->rules_cap = 0;
	c->npending = 0;
}

static void chain_free(struct nft_chain *c)
{
	nft_chain_rules_clear(c);
	free(c);
}

void nft_cache_release(struct nft_cache *cache)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++) {
		struct nft_table *t = &cache->tables[i];
		struct nft_chain *c, *next;
		struct nft_foreign *f, *fnext;

		for (c = t->chains; c; c = next) {
			next = c->next;
			chain_free(c);
		}
		for (f = t->foreign; f; f = fnext) {
			fnext = f->next;
			free(f);
		}
		free(t->buckets);
		memset(t, 0, sizeof(*t));
		t->def = &backend_tables[i];
	}
}

void nft_cache_reset(struct nft_cache *cache)
{
	nft_cache_release(cache);
	/* the generation the cache was read at goes with it */
	cache->sock->have_genid = false;
}
