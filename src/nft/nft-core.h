/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nf_tables backend as a whole, and the files that work on all of it:
 * nft-search.c (rules by number or spec, -Z), nft-cmd.c (a command into
 * the transaction), nft-retry.c (the transaction decided again after a
 * race), nft-list.c (what listings read).  nft.c, the
 * backend_ops, is the only file above them.  Below, each with its own
 * header: nft-view.h; nft-batch.h and nft-cache.h; nft-compat.h,
 * nft-sock.h and nft-err.h; nft-expr.h; nft-msg.h and nft-table.h.
 */
#ifndef MARKCTL_NFT_CORE_H
#define MARKCTL_NFT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "nft-batch.h"
#include "nft-cache.h"
#include "nft-compat.h"
#include "nft-err.h"
#include "nft-sock.h"

struct nft_backend {
	struct backend base;		/* what backend_ops get */
	struct nft_sock sock;
	struct nft_err err;		/* backend_ops.strerror */
	struct nft_cache cache;
	struct nft_batch batch;
	struct nft_compat compat;
};

/* The nf_tables backend that @b is the base of. */
static inline struct nft_backend *nft_backend_of(struct backend *b)
{
	return (struct nft_backend *)((char *)b -
				      offsetof(struct nft_backend, base));
}

/* ---- nft-search.c: rules by number or by spec, counters ---- */

struct nft_rpos {
	bool found;
	uint64_t handle;		/* kernel rule, or 0 and @op */
	struct nft_op *op;		/* rule queued in this batch */
	unsigned int count;		/* rules seen when not found */
};

/* Rule @n (1-based) of @c as the transaction leaves it. */
int nft_rule_nth(struct nft_backend *b, struct nft_table *t,
		 struct nft_chain *c, unsigned int n, struct nft_rpos *pos);
/* The first rule of @c equal to @r as iptables-nft compares them;
 * EBADMSG (the reason in b->err) for a rule passed that does not parse. */
int nft_rule_spec(struct nft_backend *b, struct nft_table *t,
		  struct nft_chain *c, const struct rule *r,
		  struct nft_rpos *pos);
/* -Z [chain [N]]: the rules with counters rewritten zeroed, built-in
 * chains' policy counters zeroed. */
int nft_cmd_zero(struct nft_backend *b, const struct rule_cmd *cmd);

/* ---- nft-cmd.c: one command into the transaction ---- */

int nft_cmd_exec(struct nft_backend *b, const struct rule_cmd *cmd);
/* restore without --noflush: DELTABLE if the table exists. */
int nft_cmd_flush_table(struct nft_backend *b, const char *table);

/* ---- nft-retry.c: a raced transaction decided again ---- */

/* After ERESTART: the generation id read again, and the batch's redo ops
 * sent or skipped by the kernel's ruleset as it is now; -1 with errno if
 * the kernel could not be read. */
int nft_retry(struct nft_backend *b);

/* ---- nft-list.c: what listings read (backend_ops.chains, chain,
 * rules, check, foreign_base_chains) ---- */

int nft_list_chains(struct nft_backend *b, const char *table,
		    struct rule_chain **chains, unsigned int *count,
		    bool *table_exists);
int nft_list_chain(struct nft_backend *b, const char *table,
		   const char *name, struct rule_chain *out);
int nft_list_rules(struct nft_backend *b, const char *table,
		   const char *chain, backend_rule_cb cb, void *data);
int nft_list_check(struct nft_backend *b, const char *table,
		   const char *chain);
bool nft_list_foreign(struct nft_backend *b, const char *table,
		      const char *chain);

/* nft-inuse.c, backend_ops.in_use: iptables' tables of @family exist in
 * nf_tables (one dump of the tables, nothing created). */
int nft_in_use(uint8_t family);

#endif
