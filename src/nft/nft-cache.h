/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel state as far as a command needs it (nft-cache.c): the tables of
 * the family, the chains a command names (every chain only for listings
 * and -X/-Z/-F without one), with what the queued objects changed.  Base
 * chains iptables-nft 1.8.9 does not know are left out and noted.  Uses
 * nft-sock.h, nft-msg.h and nft-table.h.
 */
#ifndef MARKCTL_NFT_CACHE_H
#define MARKCTL_NFT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "nft-sock.h"

struct nft_op;

/* One rule of a materialised chain (nft-view.h): a kernel rule or a
 * queued one. */
struct nft_rent {
	uint64_t handle;		/* kernel rule; 0 for queued ones */
	struct nlmsghdr *msg;		/* kernel rule as dumped, owned */
	struct nft_op *op;		/* queued rule (APPEND/INSERT/REPLACE) */
};

struct nft_chain {
	struct nft_chain *next;		/* the table's chains, newest first */
	struct nft_chain *hnext;	/* same hash bucket */
	uint32_t hash;			/* of @name */
	uint32_t id;			/* unique in the backend */
	const struct backend_builtin *builtin;	/* by name, in this table */
	bool in_kernel;			/* present at cache fill */
	bool exists;			/* present, with queued ops applied */
	bool kernel_rules;		/* its kernel rules are still there */
	uint64_t handle;
	uint32_t use;
	uint32_t policy;		/* NF_ACCEPT / NF_DROP */
	bool has_counters;
	uint64_t packets, bytes;
	/* Base chain as the kernel reported it, for -Z to write back. */
	bool has_hook, has_policy, has_flags;
	uint32_t hooknum, flags;
	int32_t prio;
	char type[16];

	/* Rule list (nft-view.h), built only when a command needs
	 * positions with queued rule ops around; until then @npending ops
	 * of the batch (chain_id = @id, from op @ops_from on) wait to be
	 * replayed. */
	bool materialised;
	struct nft_rent *rules;
	size_t nrules, rules_cap;
	size_t npending;
	unsigned int ops_from;

	char name[];			/* allocated to its length */
};

struct nft_foreign {
	struct nft_foreign *next;
	char name[RULE_CHAIN_MAXLEN];
};

struct nft_table {
	const struct backend_table *def;
	bool known;			/* kernel state fetched */
	bool in_kernel;			/* table present at fill */
	bool exists;			/* present, with queued ops applied */
	bool flushed;			/* DELTABLE queued: all chains gone */
	bool rules_flushed;		/* DELRULE {TABLE} queued */
	bool chains_dumped;		/* every chain of it is cached */
	bool added;			/* NEWTABLE queued since the last
					 * DELTABLE of this transaction */
	struct nft_foreign *foreign;	/* base chains iptables does not
					 * know, left out of the cache */
	uint32_t nchain_ids;
	struct nft_chain *chains;
	/* The chains by name: a kube-proxy table has tens of thousands, and
	 * each rule of a restore looks its chain up. */
	struct nft_chain **buckets;
	uint32_t nbuckets;		/* a power of two, or 0 */
	uint32_t nchains;
};

struct nft_cache {
	struct nft_sock *sock;
	struct nft_table tables[BACKEND_NTABLES];
};

void nft_cache_init(struct nft_cache *c, struct nft_sock *s);
/* Forgets everything fetched, and the generation id it was read at: the
 * next command reads the kernel again. */
void nft_cache_reset(struct nft_cache *c);
/* The same, the generation id kept: for a second cache beside the
 * transaction's (nft-retry.c). */
void nft_cache_release(struct nft_cache *c);

/* The table @name; NULL (ENOENT) if iptables knows no such table. */
struct nft_table *nft_table_get(struct nft_cache *c, const char *name);
/* Which tables of the family exist: one GETTABLE dump for all of them. */
int nft_cache_table(struct nft_cache *c, struct nft_table *t);
/* The cached chain @name of @t, fetched first (a chain absent from the
 * kernel is added to the cache, not existing); NULL with errno. */
struct nft_chain *nft_cache_chain(struct nft_cache *c, struct nft_table *t,
				  const char *name);
/* Every chain of @t, fetched. */
int nft_cache_all_chains(struct nft_cache *c, struct nft_table *t);

struct nft_chain *nft_chain_find(struct nft_table *t, const char *name);
struct nft_chain *nft_chain_add(struct nft_table *t, const char *name);
/* Empties @c's rule list. */
void nft_chain_rules_clear(struct nft_chain *c);
/* Whether the kernel holds base chain @name (any, if NULL) of @t that
 * iptables does not know: not in the cache. */
bool nft_table_foreign(const struct nft_table *t, const char *name);

#endif
