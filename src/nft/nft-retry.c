// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A transaction raced by another process (the kernel refused its batch
 * with ERESTART: the generation id moved since it was read) decided
 * again, as iptables-nft 1.8.9 refreshes its batch before it sends it
 * again.  With the new generation id read first, the tables that the
 * batch's redo ops (nft-batch.h) name are read again, with their
 * chains, and each such op is sent or skipped by what the kernel holds
 * now and by what the ops before it in the batch do to it.  Every other
 * op goes as it was queued: the kernel itself refuses a rule or a chain
 * that is gone, as it does for iptables-nft.
 */
#include "nft-core.h"
#include "nft-msg.h"

#include <linux/netfilter/nf_tables.h>

/* The table and (for chain and rule ops) chain that @op names. */
static void op_names(const struct nft_batch *bt, const struct nft_op *op,
		     const char **table, const char **chain)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1];
	const struct nlmsghdr *nlh = nft_op_msg(bt, op);

	_Static_assert(NFTA_CHAIN_MAX >= NFTA_TABLE_MAX &&
		       NFTA_CHAIN_MAX >= NFTA_RULE_CHAIN,
		       "one attribute table for the three kinds");
	*chain = NULL;
	if (op->type <= NFT_OP_TABLE_FLUSH) {
		nft_msg_attrs(nlh, tb, NFTA_TABLE_MAX);
		*table = nft_attr_str(tb[NFTA_TABLE_NAME]);
	} else if (op->type <= NFT_OP_CHAIN_ZERO) {
		nft_msg_attrs(nlh, tb, NFTA_CHAIN_MAX);
		*table = nft_attr_str(tb[NFTA_CHAIN_TABLE]);
		*chain = nft_attr_str(tb[NFTA_CHAIN_NAME]);
	} else {
		nft_msg_attrs(nlh, tb, NFTA_RULE_CHAIN);
		*table = nft_attr_str(tb[NFTA_RULE_TABLE]);
		*chain = nft_attr_str(tb[NFTA_RULE_CHAIN]);
	}
}

/* Ops that make, remove or empty tables and chains: the others (rules
 * added, replaced, deleted) change nothing a redo op asks about. */
static bool op_shapes(const struct nft_op *op)
{
	return op->type != NFT_OP_RULE_APPEND &&
	       op->type != NFT_OP_RULE_INSERT &&
	       op->type != NFT_OP_RULE_REPLACE &&
	       op->type != NFT_OP_RULE_DELETE &&
	       op->type != NFT_OP_CHAIN_UPDATE;
}

/* The table of @now that @op names (NULL if none such), and its chain. */
static struct nft_table *op_table(struct nft_cache *now,
				  const struct nft_batch *bt,
				  const struct nft_op *op, const char **chain)
{
	const char *name;

	op_names(bt, op, &name, chain);
	return name ? nft_table_get(now, name) : NULL;
}

/* The tables the redo ops name, read again with all their chains. */
static int reread_tables(struct nft_cache *now, const struct nft_batch *bt,
			 bool *reread)
{
	const char *chain;

	for (unsigned int i = 0; i < bt->nops; i++) {
		const struct nft_op *op = nft_op_at(bt, i);
		struct nft_table *t;

		if (op->redo == NFT_REDO_NONE)
			continue;
		t = op_table(now, bt, op, &chain);
		if (!t || reread[t->def - backend_tables])
			continue;
		if (nft_cache_all_chains(now, t) < 0)
			return -1;
		reread[t->def - backend_tables] = true;
	}
	return 0;
}

/* Table @t as a DELTABLE earlier in the batch leaves it: no chains. */
static void table_gone(struct nft_table *t)
{
	t->exists = false;
	t->flushed = true;
	for (struct nft_chain *c = t->chains; c; c = c->next)
		c->exists = false;
}

/* Decides @op again if it has a redo kind, and applies what it does if
 * it is sent. */
static int redo_op(struct nft_cache *now, struct nft_batch *bt,
		   struct nft_op *op, const bool *reread)
{
	const char *name;
	struct nft_table *t = op_table(now, bt, op, &name);
	struct nft_chain *c = NULL;

	if (!t || !reread[t->def - backend_tables])
		return 0;
	if (name) {
		c = nft_cache_chain(now, t, name);
		if (!c)
			return -1;
	}
	switch (op->redo) {
	case NFT_REDO_TABLE_FLUSH:
		nft_op_skip(bt, op, !t->exists);
		break;
	case NFT_REDO_DECL_FLUSH:
	case NFT_REDO_FLUSH:
		nft_op_skip(bt, op, !c || !c->exists);
		break;
	case NFT_REDO_DECL_ADD:
		nft_op_skip(bt, op, c && c->exists);
		break;
	default:
		break;
	}
	if (op->skip)
		return 0;
	switch (op->type) {
	case NFT_OP_TABLE_ADD:
		t->exists = true;
		break;
	case NFT_OP_TABLE_FLUSH:
		table_gone(t);
		break;
	case NFT_OP_CHAIN_DEL:
		if (c)
			c->exists = false;
		break;
	default:
		/* chain adds, a rename's new name, zeroed built-ins */
		if (c && op->type != NFT_OP_RULE_FLUSH)
			c->exists = true;
		break;
	}
	return 0;
}

int nft_retry(struct nft_backend *b)
{
	bool reread[BACKEND_NTABLES] = { false };
	struct nft_batch *bt = &b->batch;
	struct nft_cache now;
	int ret = 0;

	/* first the generation id, then what it stands for */
	if (nft_sock_genid(&b->sock) < 0)
		return -1;
	if (!bt->redo)
		return 0;
	nft_cache_init(&now, &b->sock);
	ret = reread_tables(&now, bt, reread);
	for (unsigned int i = 0; ret == 0 && i < bt->nops; i++) {
		struct nft_op *op = nft_op_at(bt, i);

		if (op_shapes(op))
			ret = redo_op(&now, bt, op, reread);
	}
	nft_cache_release(&now);
	return ret;
}
