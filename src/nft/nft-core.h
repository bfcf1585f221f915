/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to the nf_tables backend core (nft.c, nft-cache.c, nft-batch.c,
 * nft-cmd.c): the cache of tables and chains, the queue of objects of the
 * open transaction and the socket.
 */
#ifndef MARKCTL_NFT_CORE_H
#define MARKCTL_NFT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "nft.h"
#include "nft-decode.h"
#include "nft-table.h"

/* Requests other than batches (get, dump, compat). */
#define NFT_REQ_BUFSIZ 8192
/* The answer to a get: one table, chain or generation (a chain with a
 * 256-byte comment stays under 512 bytes), or an error quoting our
 * request of at most NFT_REQ_MSGSIZ.  Small, as it is on the stack. */
#define NFT_GET_BUFSIZ 1024
/* Room for the refusals of one transaction, one a line. */
#define NFT_ERRBUF_SIZE 4096
/* One request message: a header and a table and chain name.  Zeroed at
 * each request (padding), so kept small. */
#define NFT_REQ_MSGSIZ 512
/* Dumps interrupted by ruleset changes restart; iptables-nft never gives up. */
#define NFT_DUMP_RETRIES 1000

/* Object types of a transaction, named as iptables names them in errors. */
enum nft_op_type {
	NFT_OP_TABLE_ADD,
	NFT_OP_TABLE_FLUSH,
	NFT_OP_CHAIN_ADD,
	NFT_OP_CHAIN_USER_ADD,
	NFT_OP_CHAIN_DEL,
	NFT_OP_CHAIN_UPDATE,
	NFT_OP_CHAIN_UPDATE_CREATE,	/* restore's policy lines */
	NFT_OP_CHAIN_RENAME,
	NFT_OP_CHAIN_ZERO,
	NFT_OP_RULE_APPEND,
	NFT_OP_RULE_INSERT,
	NFT_OP_RULE_REPLACE,
	NFT_OP_RULE_DELETE,
	NFT_OP_RULE_FLUSH,
};

/* What a queued rule op aims at (POSITION/HANDLE/ID): a kernel rule by
 * handle or a rule queued earlier in this transaction; and the
 * NFTA_RULE_ID the op itself got once another op referred to it. */
struct nft_op_ref {
	uint64_t handle;
	struct nft_op *op;
	uint32_t rule_id;
};

/*
 * A queued object.  Its message is in the batch already (page @page,
 * offset @off): this record is all that stays, for error reports,
 * positions and NFTA_RULE_ID.  Its sequence number is the batch's BEGIN
 * seq plus its index plus one.
 */
struct nft_op {
	uint32_t off;
	uint16_t page;
	uint8_t type;			/* enum nft_op_type */
	bool restore;			/* from a restore file: line @lineno */
	uint32_t lineno;
	uint32_t chain_id;		/* rule ops: nft_chain.id */
	struct nft_op_ref *ref;		/* NULL until needed */
};

/* One rule of a materialised chain: a kernel rule or a queued one. */
struct nft_rent {
	uint64_t handle;		/* kernel rule; 0 for queued ones */
	struct nlmsghdr *msg;		/* kernel rule as dumped, owned */
	struct nft_op *op;		/* queued rule (APPEND/INSERT/REPLACE) */
};

struct nft_chain {
	struct nft_chain *next;
	uint32_t id;			/* unique in the backend */
	char name[RULE_CHAIN_MAXLEN];
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

	/* Rule list, built only when a command needs positions with
	 * queued rule ops around; until then @npending ops of the batch
	 * (chain_id = @id, from op @ops_from on) wait to be replayed. */
	bool materialised;
	struct nft_rent *rules;
	size_t nrules, rules_cap;
	size_t npending;
	unsigned int ops_from;
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
};

/* Small: a single command's one op then takes a few heap bytes. */
#define NFT_OPS_BLOCK 64

struct nft_page {
	char *buf;
	size_t len, cap;
};

struct nft_compat_rev {
	struct nft_compat_rev *next;
	char name[32];
	uint8_t rev;
	int opt;
	int ok;
};

struct nft_backend {
	struct backend base;		/* what backend_ops get */
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	uint32_t genid;
	bool have_genid;
	struct mnl_socket *compat_nl;	/* own socket, as iptables */

	struct nft_table tables[BACKEND_NTABLES];

	/* The transaction: the batch in pages, one record per object in
	 * blocks of NFT_OPS_BLOCK (records never move). */
	struct nft_page *pages;
	unsigned int npages, pages_cap;
	struct nft_op **op_blocks;
	unsigned int nops, op_blocks_cap;
	uint32_t begin_seq;
	uint32_t next_rule_id;

	struct nft_compat_rev *compat;
	char *errbuf;		/* allocated at the first refusal */
	bool have_err;
};

/* nft.c */
/* The nf_tables backend that @b is the base of. */
static inline struct nft_backend *nft_backend_of(struct backend *b)
{
	return (struct nft_backend *)((char *)b -
				      offsetof(struct nft_backend, base));
}

struct nft_table *nft_table_get(struct nft_backend *b, const char *name);
/* The buffer of refusals (NFT_ERRBUF_SIZE), allocated on first use. */
char *nft_errbuf(struct nft_backend *b);
/* Sets the refusal to the formatted text. */
void nft_error_set(struct nft_backend *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* nft-cache.c: kernel state, fetched on demand */
int nft_sock_reopen(struct nft_backend *b);
int nft_cache_genid(struct nft_backend *b);
int nft_cache_table(struct nft_backend *b, struct nft_table *t);
struct nft_chain *nft_chain_find(struct nft_table *t, const char *name);
struct nft_chain *nft_chain_add(struct nft_table *t, const char *name);
/* Whether the kernel holds base chain @name (any, if NULL) of @t that
 * iptables does not know: not in the cache. */
bool nft_table_foreign(const struct nft_table *t, const char *name);
/* The cached chain @name of @t, fetched first; NULL (ENOENT) if absent. */
struct nft_chain *nft_cache_chain(struct nft_backend *b, struct nft_table *t,
				  const char *name);
int nft_cache_all_chains(struct nft_backend *b, struct nft_table *t);
void nft_cache_reset(struct nft_backend *b);

/*
 * Streams the kernel rules of @c (not the queued ones) to @cb, one
 * netlink message at a time.  @cb returns MNL_CB_OK to go on,
 * MNL_CB_STOP to stop early (the socket is then reopened), MNL_CB_ERROR
 * with errno to fail.
 */
int nft_dump_rules(struct nft_backend *b, const char *table, const char *chain,
		   mnl_cb_t cb, void *data);
int nft_chain_materialise(struct nft_backend *b, struct nft_table *t,
			  struct nft_chain *c);
void nft_chain_rules_clear(struct nft_chain *c);
void nft_chain_free(struct nft_chain *c);

/* nft-batch.c: the transaction */
/* Queue one message of @type (its op_descs entry gives the kernel message
 * and flags); NULL with errno. */
struct nft_op *nft_op_add_table(struct nft_backend *b, enum nft_op_type type,
				const struct rule_cmd *cmd, const char *name);
struct nft_op *nft_op_add_chain(struct nft_backend *b, enum nft_op_type type,
				const struct rule_cmd *cmd,
				const struct nft_chain_attrs *a);
struct nft_op *nft_op_add_rule_ref(struct nft_backend *b, enum nft_op_type type,
				   const struct rule_cmd *cmd, const char *table,
				   const char *chain, uint64_t handle,
				   uint32_t id);
/* A copy of @src, its header made that of @type. */
struct nft_op *nft_op_add_msg(struct nft_backend *b, enum nft_op_type type,
			      const struct rule_cmd *cmd, const struct nlmsghdr *src);
/* Writes a NEWRULE for @r straight into the batch. */
struct nft_op *nft_op_add_rule(struct nft_backend *b, enum nft_op_type type,
			       const struct rule_cmd *cmd,
			       const struct nft_rule_attrs *a,
			       const struct rule *r);
struct nft_op *nft_op_at(const struct nft_backend *b, unsigned int i);
/* The queued message of @op, as sent. */
const struct nlmsghdr *nft_op_msg(const struct nft_backend *b,
				  const struct nft_op *op);
/* Points rule op @op at kernel rule @handle or queued @ref. */
int nft_op_set_ref(struct nft_op *op, uint64_t handle, struct nft_op *ref);
/* The NFTA_RULE_ID of queued rule @op, given (and added to its message)
 * on first use; 0 on ENOMEM. */
uint32_t nft_op_rule_id(struct nft_backend *b, struct nft_op *op);
void nft_ops_free(struct nft_backend *b);
int nft_batch_commit(struct nft_backend *b);
int nft_chain_note_op(struct nft_chain *c, struct nft_op *op);
void nft_chain_apply_op(struct nft_chain *c, struct nft_op *op);

/* nft-cmd.c: one command into the transaction */
int nft_cmd_exec(struct nft_backend *b, const struct rule_cmd *cmd);
int nft_cmd_flush_table(struct nft_backend *b, const char *table);

/* nft-search.c: rules by number or by spec, counters */
struct nft_rpos {
	bool found;
	uint64_t handle;		/* kernel rule, or 0 and @op */
	struct nft_op *op;		/* rule queued in this batch */
	unsigned int count;		/* rules seen when not found */
};
int nft_rule_nth(struct nft_backend *b, struct nft_table *t, struct nft_chain *c,
		 unsigned int n, struct nft_rpos *pos);
int nft_rule_spec(struct nft_backend *b, struct nft_table *t, struct nft_chain *c,
		  const struct rule *r, struct nft_rpos *pos);
int nft_cmd_zero(struct nft_backend *b, const struct rule_cmd *cmd);

#endif
