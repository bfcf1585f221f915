// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nf_tables backend: backend_ops, table layout, listing and nft_compat
 * revision queries.  The cache is in nft-cache.c, the transaction in
 * nft-batch.c, the commands in nft-cmd.c.
 */
#include "nft-core.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>

struct nft_table *nft_table_get(struct nft_backend *b, const char *name)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		if (strcmp(b->tables[i].def->name, name) == 0)
			return &b->tables[i];
	errno = ENOENT;
	return NULL;
}

static struct backend *nft_open(const struct markctl_ctx *ctx
				__attribute__((unused)), uint8_t family)
{
	struct nft_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->base.ops = &nft_backend_ops;
	b->base.family = family;
	b->seq = 1;
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		b->tables[i].def = &backend_tables[i];

	/* As iptables-nft: the generation id is read at once, so a missing
	 * permission shows up here (EPERM). */
	if (nft_sock_reopen(b) < 0 || nft_cache_genid(b) < 0) {
		int err = errno;

		if (b->nl)
			mnl_socket_close(b->nl);
		free(b);
		errno = err;
		return NULL;
	}
	return &b->base;
}

/* iptables-nft reads the generation id first, and words EPERM and
 * EACCES in its own way (nft_strerror). */
static enum xtables_exittype nft_open_error(int err, char *buf, size_t size)
{
	snprintf(buf, size, "Could not fetch rule set generation id: %s",
		 err == EPERM || err == EACCES ?
		 "Permission denied (you must be root)" : strerror(err));
	return RESOURCE_PROBLEM;
}

static void nft_close(struct backend *base)
{
	struct nft_backend *b;
	struct nft_compat_rev *cr, *next;

	if (!base)
		return;
	b = nft_backend_of(base);
	nft_ops_free(b);
	nft_cache_reset(b);
	for (cr = b->compat; cr; cr = next) {
		next = cr->next;
		free(cr);
	}
	if (b->nl)
		mnl_socket_close(b->nl);
	if (b->compat_nl)
		mnl_socket_close(b->compat_nl);
	free(b->errbuf);
	free(b);
}

char *nft_errbuf(struct nft_backend *b)
{
	if (!b->errbuf)
		b->errbuf = calloc(1, NFT_ERRBUF_SIZE);
	return b->errbuf;
}

void nft_error_set(struct nft_backend *b, const char *fmt, ...)
{
	char *buf = nft_errbuf(b);
	va_list ap;

	if (!buf)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, NFT_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
	b->have_err = true;
}

static int nft_exec(struct backend *base, const struct rule_cmd *cmd)
{
	struct nft_backend *b = nft_backend_of(base);

	b->have_err = false;
	return nft_cmd_exec(b, cmd);
}

static int nft_flush_table(struct backend *base, const char *table)
{
	struct nft_backend *b = nft_backend_of(base);

	b->have_err = false;
	return nft_cmd_flush_table(b, table);
}

static int nft_commit(struct backend *base)
{
	struct nft_backend *b = nft_backend_of(base);
	int ret;

	b->have_err = false;
	ret = nft_batch_commit(b);
	nft_ops_free(b);
	nft_cache_reset(b);
	return ret;
}

static void nft_abort(struct backend *base)
{
	struct nft_backend *b = nft_backend_of(base);

	nft_ops_free(b);
	nft_cache_reset(b);
}

static int count_cb(const struct nlmsghdr *nlh __attribute__((unused)),
		    void *data)
{
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

static void chain_fill(struct rule_chain *rc, const struct nft_chain *c)
{
	util_strlcpy(rc->name, c->name, sizeof(rc->name));
	rc->exists = c->exists;
	rc->policy = c->policy == NF_DROP ? RULE_VERDICT_DROP :
					     RULE_VERDICT_ACCEPT;
	rc->counters.pcnt = c->packets;
	rc->counters.bcnt = c->bytes;
}

/* References of a user chain: the kernel's use count less its rules. */
static int chain_references(struct nft_backend *b, const struct nft_table *t,
			    const struct nft_chain *c, unsigned int *refs)
{
	unsigned int n = 0;

	*refs = 0;
	if (!c->in_kernel)
		return 0;
	if (nft_dump_rules(b, t->def->name, c->name, count_cb, &n) < 0)
		return -1;
	*refs = c->use > n ? c->use - n : 0;
	return 0;
}

static int cmp_chain_name(const void *a, const void *b)
{
	return strcmp(((const struct rule_chain *)a)->name,
		      ((const struct rule_chain *)b)->name);
}

static int nft_chains(struct backend *base, const char *table,
		      struct rule_chain **chains, unsigned int *count,
		      bool *table_exists)
{
	struct nft_backend *b = nft_backend_of(base);
	struct nft_table *t = nft_table_get(b, table);
	struct rule_chain *out;
	struct nft_chain *c;
	unsigned int n = 0, nb, max;

	if (!t || nft_cache_table(b, t) < 0 || nft_cache_all_chains(b, t) < 0)
		return -1;
	max = t->def->nbuiltins;
	for (c = t->chains; c; c = c->next)
		max++;
	out = calloc(max ? max : 1, sizeof(*out));
	if (!out)
		return -1;
	for (unsigned int i = 0; i < t->def->nbuiltins; i++, n++) {
		const struct backend_builtin *bi = &t->def->builtins[i];

		c = nft_chain_find(t, bi->name);
		util_strlcpy(out[n].name, bi->name, sizeof(out[n].name));
		if (c)
			chain_fill(&out[n], c);
		else
			out[n].policy = RULE_VERDICT_ACCEPT;
		out[n].builtin = true;
		out[n].hooknum = bi->hooknum;
	}
	nb = n;
	for (c = t->chains; c; c = c->next) {
		if (c->builtin || !c->exists)
			continue;
		chain_fill(&out[n], c);
		out[n].hooknum = -1;
		out[n].policy = RULE_VERDICT_NONE;
		if (chain_references(b, t, c, &out[n].references) < 0) {
			free(out);
			return -1;
		}
		n++;
	}
	qsort(out + nb, n - nb, sizeof(*out), cmp_chain_name);
	*chains = out;
	*count = n;
	*table_exists = t->exists;
	return 0;
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

static int nft_rules(struct backend *base, const char *table, const char *chain,
		     backend_rule_cb cb, void *data)
{
	struct nft_backend *b = nft_backend_of(base);
	struct rules_walk w = { b->base.family, cb, data, 0, 0, 0 };
	struct nft_table *t = nft_table_get(b, table);
	struct nft_chain *c;
	int ret, tries = 0;

	if (!t || nft_cache_table(b, t) < 0)
		return -1;
	c = nft_cache_chain(b, t, chain);
	if (!c)
		return -1;
	if (!c->exists) {
		errno = ENOENT;
		return -1;
	}
	if (!c->in_kernel || !c->kernel_rules)
		return 0;
	do {
		w.seen = 0;
		ret = nft_dump_rules(b, table, chain, rules_walk_cb, &w);
	} while (ret < 0 && errno == EINTR && !w.ret && ++tries < NFT_DUMP_RETRIES);
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
		ret = nft_dump_rules(b, t->def->name, c->name, check_cb,
				     &incompatible);
	} while (ret < 0 && errno == EINTR && ++tries < NFT_DUMP_RETRIES);
	if (ret < 0)
		return -1;
	if (incompatible) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return 0;
}

static int nft_check(struct backend *base, const char *table, const char *chain)
{
	struct nft_backend *b = nft_backend_of(base);
	struct nft_table *t = nft_table_get(b, table);
	struct nft_chain *c;

	if (!t || nft_cache_table(b, t) < 0)
		return t ? -1 : 0;
	if (chain) {
		c = nft_cache_chain(b, t, chain);
		if (!c)
			return errno == ENOENT ? 0 : -1;
		return check_chain(b, t, c);
	}
	if (nft_cache_all_chains(b, t) < 0)
		return -1;
	for (c = t->chains; c; c = c->next)
		if (check_chain(b, t, c) < 0)
			return -1;
	return 0;
}

static int compat_reply_cb(const struct nlmsghdr *nlh __attribute__((unused)),
			   void *data __attribute__((unused)))
{
	return MNL_CB_OK;
}

/* One NFNL_MSG_COMPAT_GET on its own socket, as iptables asks. */
static int compat_query(struct nft_backend *b, const char *name, uint8_t rev,
			int opt)
{
	char buf[NFT_REQ_BUFSIZ] = { 0 };
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	uint32_t portid;
	ssize_t n;
	int ret;

	if (!b->compat_nl) {
		b->compat_nl = mnl_socket_open(NETLINK_NETFILTER);
		if (!b->compat_nl)
			return -1;
		if (mnl_socket_bind(b->compat_nl, 0, MNL_SOCKET_AUTOPID) < 0)
			return -1;
	}
	portid = mnl_socket_get_portid(b->compat_nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFT_COMPAT << 8) | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = b->seq++;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = b->base.family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_COMPAT_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_COMPAT_REV, htonl(rev));
	mnl_attr_put_u32(nlh, NFTA_COMPAT_TYPE, htonl(opt));
	if (mnl_socket_sendto(b->compat_nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(b->compat_nl, buf, sizeof(buf));
		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid,
				 compat_reply_cb, NULL);
	} while (ret > 0);
	return ret;
}

static int nft_compat_rev(struct backend *base, const char *name, uint8_t rev,
			  int opt)
{
	struct nft_backend *b = nft_backend_of(base);
	struct nft_compat_rev *cr;

	for (cr = b->compat; cr; cr = cr->next)
		if (cr->rev == rev && cr->opt == opt &&
		    strcmp(cr->name, name) == 0)
			return cr->ok;
	cr = calloc(1, sizeof(*cr));
	if (!cr)
		return 0;
	util_strlcpy(cr->name, name, sizeof(cr->name));
	cr->rev = rev;
	cr->opt = opt;
	cr->ok = compat_query(b, name, rev, opt) < 0 ? 0 : 1;
	cr->next = b->compat;
	b->compat = cr;
	return cr->ok;
}

static bool nft_foreign_base_chains(struct backend *base, const char *table,
				    const char *chain)
{
	struct nft_backend *b = nft_backend_of(base);
	const struct nft_table *t = nft_table_get(b, table);

	if (!t)
		return false;
	if (!chain)
		return nft_table_foreign(t, NULL);
	/* 1.8.9 reads the built-ins along with a named chain */
	for (unsigned int i = 0; i < t->def->nbuiltins; i++)
		if (nft_table_foreign(t, t->def->builtins[i].name))
			return true;
	return nft_table_foreign(t, chain);
}

static const char *nft_strerror(struct backend *base)
{
	struct nft_backend *b = nft_backend_of(base);

	return b->have_err ? b->errbuf : NULL;
}

const struct backend_ops nft_backend_ops = {
	.name		= "nf_tables",
	.variant	= "nf_tables",
	.open		= nft_open,
	.open_error	= nft_open_error,
	.close		= nft_close,
	.exec		= nft_exec,
	.flush_table	= nft_flush_table,
	.commit		= nft_commit,
	.abort		= nft_abort,
	.chains		= nft_chains,
	.rules		= nft_rules,
	.check		= nft_check,
	.compat_rev	= nft_compat_rev,
	.foreign_base_chains = nft_foreign_base_chains,
	.rule_refusal	= nft_rule_refusal,
	.strerror	= nft_strerror,
};
