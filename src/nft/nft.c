// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The nf_tables backend's backend_ops: each sets up or hands over to the
 * file that does the work (nft-core.h lists them, bottom up).
 */
#include "nft-core.h"
#include "nft-expr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>

_Static_assert(NFT_CHAIN_MAXNAMELEN <= RULE_CHAIN_MAXLEN,
	       "rule.h holds the names nf_tables takes");

static struct backend *nft_open(const struct markctl_ctx *ctx
				__attribute__((unused)), uint8_t family)
{
	struct nft_backend *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->base.ops = &nft_backend_ops;
	b->base.family = family;
	if (nft_sock_open(&b->sock, family) < 0) {
		int err = errno;

		free(b);
		errno = err;
		return NULL;
	}
	nft_cache_init(&b->cache, &b->sock);
	nft_batch_init(&b->batch, &b->sock, &b->err);
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

	if (!base)
		return;
	b = nft_backend_of(base);
	nft_batch_reset(&b->batch);
	nft_cache_reset(&b->cache);
	nft_compat_release(&b->compat);
	nft_sock_close(&b->sock);
	nft_err_release(&b->err);
	free(b);
}

static int nft_exec(struct backend *base, const struct rule_cmd *cmd)
{
	struct nft_backend *b = nft_backend_of(base);

	nft_err_clear(&b->err);
	return nft_cmd_exec(b, cmd);
}

static int nft_flush_table(struct backend *base, const char *table)
{
	struct nft_backend *b = nft_backend_of(base);

	nft_err_clear(&b->err);
	return nft_cmd_flush_table(b, table);
}

static int nft_commit(struct backend *base)
{
	struct nft_backend *b = nft_backend_of(base);
	int ret;

	nft_err_clear(&b->err);
	/* raced: decided again and resent for as long as other writers
	 * keep committing, as iptables-nft 1.8.9 does (-w does not bound
	 * it there either) */
	while ((ret = nft_batch_commit(&b->batch)) < 0 && errno == ERESTART &&
	       (ret = nft_retry(b)) == 0)
		;
	nft_batch_reset(&b->batch);
	nft_cache_reset(&b->cache);
	return ret;
}

static void nft_abort(struct backend *base)
{
	struct nft_backend *b = nft_backend_of(base);

	nft_batch_reset(&b->batch);
	nft_cache_reset(&b->cache);
}

static int nft_chains(struct backend *base, const char *table,
		      struct rule_chain **chains, unsigned int *count,
		      bool *table_exists)
{
	return nft_list_chains(nft_backend_of(base), table, chains, count,
			       table_exists);
}

static int nft_chain(struct backend *base, const char *table,
		     const char *name, struct rule_chain *out)
{
	return nft_list_chain(nft_backend_of(base), table, name, out);
}

static int nft_rules(struct backend *base, const char *table,
		     const char *chain, backend_rule_cb cb, void *data)
{
	return nft_list_rules(nft_backend_of(base), table, chain, cb, data);
}

static int nft_check(struct backend *base, const char *table,
		     const char *chain)
{
	return nft_list_check(nft_backend_of(base), table, chain);
}

static bool nft_foreign_base_chains(struct backend *base, const char *table,
				    const char *chain)
{
	return nft_list_foreign(nft_backend_of(base), table, chain);
}

static int nft_compat_rev_op(struct backend *base, const char *name,
			     uint8_t rev, int opt)
{
	struct nft_backend *b = nft_backend_of(base);

	return nft_compat_rev(&b->compat, &b->sock, name, rev, opt);
}

static const char *nft_strerror(struct backend *base)
{
	return nft_err_text(&nft_backend_of(base)->err);
}

const struct backend_ops nft_backend_ops = {
	.name		= "nf_tables",
	.variant	= "nf_tables",
	.flags		= BACKEND_WARNS_LEGACY,
	.chain_maxlen	= NFT_CHAIN_MAXNAMELEN,
	.open		= nft_open,
	.open_error	= nft_open_error,
	.close		= nft_close,
	.in_use		= nft_in_use,
	.exec		= nft_exec,
	.flush_table	= nft_flush_table,
	.commit		= nft_commit,
	.abort		= nft_abort,
	.chains		= nft_chains,
	.chain		= nft_chain,
	.rules		= nft_rules,
	.check		= nft_check,
	.compat_rev	= nft_compat_rev_op,
	.foreign_base_chains = nft_foreign_base_chains,
	.rule_refusal	= nft_rule_refusal,
	.strerror	= nft_strerror,
};
