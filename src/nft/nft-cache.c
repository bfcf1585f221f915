// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel state as far as a command needs it (doc 4.2, but narrower than
 * iptables-nft): generation id, tables of the family, the chains named by
 * the command, and rules only when positions or a rule spec are needed,
 * streamed message by message.
 */
#include "nft-core.h"
#include "util.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

/* The kernel sends at most ~32 KiB per dump chunk (doc 4.1). */
#define NFT_DUMP_BUFSIZ 32768

int nft_sock_reopen(struct nft_backend *b)
{
	if (b->nl)
		mnl_socket_close(b->nl);
	b->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!b->nl)
		return -1;
	if (mnl_socket_bind(b->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(b->nl);
		b->nl = NULL;
		errno = err;
		return -1;
	}
	b->portid = mnl_socket_get_portid(b->nl);
	return 0;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	bool stopped;		/* the callback asked to stop */
};

static int talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *tk = data;
	int ret = tk->cb(nlh, tk->data);

	if (ret == MNL_CB_STOP)
		tk->stopped = true;
	return ret;
}

/*
 * Sends one request (seq 0, as iptables' cache requests) and runs @cb on
 * each answer.  A dump stopped early or interrupted leaves messages
 * queued: the socket is replaced so the next request starts clean.
 */
static int nft_talk(struct nft_backend *b, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	size_t size = dump ? NFT_DUMP_BUFSIZ : NFT_GET_BUFSIZ;
	struct talk tk = { cb, data, false };
	char get_buf[NFT_GET_BUFSIZ];
	char *buf = get_buf;
	ssize_t n;
	int ret = -1, err;

	if (dump && !(buf = malloc(size)))
		return -1;
	if (mnl_socket_sendto(b->nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	/* A get is answered by one message, its reply or an error: it asks
	 * for no ACK, which would cost one more read. */
	do {
		n = mnl_socket_recvfrom(b->nl, buf, size);
		if (n < 0)
			goto out;
		ret = mnl_cb_run(buf, n, 0, b->portid, talk_cb, &tk);
	} while (ret > 0 && dump);
out:
	err = errno;
	if (dump)
		free(buf);
	if ((ret < 0 || tk.stopped) && dump) {
		if (nft_sock_reopen(b) < 0)
			return -1;
	}
	errno = err;
	return ret < 0 ? -1 : 0;
}

/* Dumps whose callback may run twice: restarted when the ruleset changed
 * under them (NLM_F_DUMP_INTR, EINTR); the batch's genid catches the rest. */
static int nft_talk_retry(struct nft_backend *b, struct nlmsghdr *nlh,
			  mnl_cb_t cb, void *data)
{
	int ret, tries = 0;

	do
		ret = nft_talk(b, nlh, cb, data);
	while (ret < 0 && errno == EINTR && ++tries < NFT_DUMP_RETRIES);
	return ret;
}

static int genid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(attr) == NFTA_GEN_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(attr));
	return MNL_CB_OK;
}

int nft_cache_genid(struct nft_backend *b)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nlmsghdr *nlh;

	nlh = nft_msg_header(buf, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0);
	if (nft_talk(b, nlh, genid_cb, &b->genid) < 0)
		return -1;
	b->have_genid = true;
	return 0;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	struct nft_backend *b = data;
	struct nft_table *t;
	const char *name;

	nft_msg_attrs(nlh, tb, NFTA_TABLE_MAX);
	name = nft_attr_str(tb[NFTA_TABLE_NAME]);
	t = name ? nft_table_get(b, name) : NULL;
	if (t)
		t->in_kernel = t->exists = true;
	return MNL_CB_OK;
}

/* Which tables of the family exist: one GETTABLE dump for all of them. */
int nft_cache_table(struct nft_backend *b, struct nft_table *t)
{
	char buf[NFT_REQ_MSGSIZ];
	struct nlmsghdr *nlh;

	if (t->known)
		return 0;
	memset(buf, 0, sizeof(buf));
	if (!b->have_genid && nft_cache_genid(b) < 0)
		return -1;
	nlh = nft_msg_header(buf, NFT_MSG_GETTABLE, b->base.family, NLM_F_DUMP, 0);
	if (nft_talk_retry(b, nlh, table_cb, b) < 0)
		return -1;
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		b->tables[i].known = true;
	return 0;
}

struct nft_chain *nft_chain_find(struct nft_table *t, const char *name)
{
	struct nft_chain *c;

	for (c = t->chains; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

struct nft_chain *nft_chain_add(struct nft_table *t, const char *name)
{
	struct nft_chain *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	util_strlcpy(c->name, name, sizeof(c->name));
	/* unique across the backend's tables: table index in the top bits */
	c->id = (uint32_t)(t->def - backend_tables + 1) << 24 |
		++t->nchain_ids;
	c->builtin = backend_builtin_find(t->def, name);
	c->policy = NF_ACCEPT;
	c->next = t->chains;
	t->chains = c;
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

static int chain_request(struct nft_backend *b, struct nft_table *t,
			 const char *name)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nft_chain_attrs a = { .table = t->def->name, .name = name };
	struct nlmsghdr *nlh;
	int ret;

	nlh = nft_chain_put(buf, NFT_MSG_GETCHAIN, b->base.family,
			    name ? 0 : NLM_F_DUMP, 0, &a);
	ret = nft_talk_retry(b, nlh, chain_cb, t);
	if (ret < 0 && name && errno == ENOENT)
		ret = 0;
	return ret;
}

struct nft_chain *nft_cache_chain(struct nft_backend *b, struct nft_table *t,
				  const char *name)
{
	struct nft_chain *c = nft_chain_find(t, name);
	bool asked = false;

	if (c)
		return c;
	/* A chain found tells that its table exists: the table dump is
	 * only needed when it is not (one request less for most -A). */
	if (!t->known) {
		if ((!b->have_genid && nft_cache_genid(b) < 0) ||
		    chain_request(b, t, name) < 0)
			return NULL;
		c = nft_chain_find(t, name);
		if (c) {
			t->known = t->in_kernel = t->exists = true;
			return c;
		}
		asked = true;
	}
	if (nft_cache_table(b, t) < 0)
		return NULL;
	if (t->in_kernel && !t->flushed && !t->chains_dumped && !asked &&
	    chain_request(b, t, name) < 0)
		return NULL;
	c = nft_chain_find(t, name);
	if (!c)
		c = nft_chain_add(t, name);
	return c;
}

int nft_cache_all_chains(struct nft_backend *b, struct nft_table *t)
{
	if (t->chains_dumped)
		return 0;
	if (nft_cache_table(b, t) < 0)
		return -1;
	if (t->in_kernel && !t->flushed && chain_request(b, t, NULL) < 0)
		return -1;
	t->chains_dumped = true;
	return 0;
}

int nft_dump_rules(struct nft_backend *b, const char *table, const char *chain,
		   mnl_cb_t cb, void *data)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nlmsghdr *nlh;

	nlh = nft_rule_ref_put(buf, NFT_MSG_GETRULE, b->base.family, NLM_F_DUMP, 0,
			       table, chain, 0, 0);
	return nft_talk(b, nlh, cb, data);
}

static int rent_reserve(struct nft_chain *c, size_t n)
{
	struct nft_rent *r;
	size_t cap;

	if (n <= c->rules_cap)
		return 0;
	cap = c->rules_cap ? c->rules_cap * 2 : 64;
	while (cap < n)
		cap *= 2;
	r = realloc(c->rules, cap * sizeof(*r));
	if (!r)
		return -1;
	c->rules = r;
	c->rules_cap = cap;
	return 0;
}

static int materialise_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_chain *c = data;
	struct nlmsghdr *msg;

	if (rent_reserve(c, c->nrules + 1) < 0)
		return MNL_CB_ERROR;
	msg = malloc(nlh->nlmsg_len);
	if (!msg)
		return MNL_CB_ERROR;
	memcpy(msg, nlh, nlh->nlmsg_len);
	c->rules[c->nrules++] = (struct nft_rent) {
		.handle = nft_msg_rule_handle(nlh),
		.msg = msg,
	};
	return MNL_CB_OK;
}

/* Loads the kernel's rules of @c and replays the queued rule ops on them. */
int nft_chain_materialise(struct nft_backend *b, struct nft_table *t,
			  struct nft_chain *c)
{
	if (c->materialised)
		return 0;
	if (c->in_kernel && c->kernel_rules) {
		int ret, tries = 0;

		do {
			for (size_t i = 0; i < c->nrules; i++)
				free(c->rules[i].msg);
			c->nrules = 0;
			ret = nft_dump_rules(b, t->def->name, c->name,
					     materialise_cb, c);
		} while (ret < 0 && errno == EINTR &&
			 ++tries < NFT_DUMP_RETRIES);
		if (ret < 0) {
			nft_chain_rules_clear(c);
			return -1;
		}
	}
	c->materialised = true;
	for (unsigned int i = c->ops_from; c->npending && i < b->nops; i++) {
		struct nft_op *op = nft_op_at(b, i);

		if (op->chain_id == c->id) {
			nft_chain_apply_op(c, op);
			c->npending--;
		}
	}
	c->npending = 0;
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

void nft_chain_free(struct nft_chain *c)
{
	nft_chain_rules_clear(c);
	free(c);
}

/* Forgets everything fetched: the next command reads the kernel again. */
void nft_cache_reset(struct nft_backend *b)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++) {
		struct nft_table *t = &b->tables[i];
		struct nft_chain *c, *next;

		struct nft_foreign *f, *fnext;

		for (c = t->chains; c; c = next) {
			next = c->next;
			nft_chain_free(c);
		}
		for (f = t->foreign; f; f = fnext) {
			fnext = f->next;
			free(f);
		}
		memset(t, 0, sizeof(*t));
		t->def = &backend_tables[i];
	}
	b->have_genid = false;
}

/* Inserts @e at @idx of @c's materialised list. */
static int rent_insert(struct nft_chain *c, size_t idx, struct nft_rent e)
{
	if (rent_reserve(c, c->nrules + 1) < 0)
		return -1;
	memmove(&c->rules[idx + 1], &c->rules[idx],
		(c->nrules - idx) * sizeof(*c->rules));
	c->rules[idx] = e;
	c->nrules++;
	return 0;
}

static size_t rent_find(const struct nft_chain *c, const struct nft_op *op)
{
	for (size_t i = 0; i < c->nrules; i++) {
		const struct nft_rent *e = &c->rules[i];

		if (op->ref->handle ? e->handle == op->ref->handle :
				      e->op == op->ref->op)
			return i;
	}
	return c->nrules;
}

/* Applies a queued rule op to the materialised list. */
void nft_chain_apply_op(struct nft_chain *c, struct nft_op *op)
{
	struct nft_rent e = { .op = op };
	size_t i;

	switch (op->type) {
	case NFT_OP_RULE_APPEND:
		rent_insert(c, c->nrules, e);
		break;
	case NFT_OP_RULE_INSERT:
		i = op->ref && (op->ref->op || op->ref->handle) ?
		    rent_find(c, op) : 0;
		rent_insert(c, i, e);
		break;
	case NFT_OP_RULE_REPLACE:
		if (!op->ref)
			break;
		i = rent_find(c, op);
		if (i < c->nrules) {
			free(c->rules[i].msg);
			c->rules[i].msg = NULL;
			c->rules[i].op = op;
		}
		break;
	case NFT_OP_RULE_DELETE:
		if (!op->ref)
			break;
		i = rent_find(c, op);
		if (i < c->nrules) {
			free(c->rules[i].msg);
			memmove(&c->rules[i], &c->rules[i + 1],
				(c->nrules - i - 1) * sizeof(*c->rules));
			c->nrules--;
		}
		break;
	default:
		break;
	}
}

/* Records a queued rule op in @c's view of its rules. */
int nft_chain_note_op(struct nft_chain *c, struct nft_op *op)
{
	op->chain_id = c->id;
	if (c->materialised)
		nft_chain_apply_op(c, op);
	else
		c->npending++;
	return 0;
}
