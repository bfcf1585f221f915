/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The open transaction (nft-batch.c): each object is written into the
 * batch when it is queued, a small record kept beside it; commit() sends
 * BEGIN (with the generation id), the objects and END with one sendmsg
 * and maps the kernel's refusals back to the objects by sequence number.
 * Uses nft-msg.h, nft-expr.h (rule messages), nft-sock.h and nft-err.h.
 */
#ifndef MARKCTL_NFT_BATCH_H
#define MARKCTL_NFT_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nft-err.h"
#include "nft-expr.h"
#include "nft-msg.h"
#include "nft-sock.h"

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

/*
 * What the kernel's state decides again when a raced transaction is
 * retried (nft-retry.c), as iptables-nft 1.8.9 refreshes its batch: a
 * restore's table flush, a restore's chain line (a chain that exists is
 * emptied, one that does not is created: both ops are queued, one
 * skipped), a flush of a named chain (skipped once the chain is gone).
 */
enum nft_redo {
	NFT_REDO_NONE,
	NFT_REDO_TABLE_FLUSH,	/* sent if the table exists */
	NFT_REDO_DECL_FLUSH,	/* sent if the chain exists */
	NFT_REDO_DECL_ADD,	/* sent if it does not */
	NFT_REDO_FLUSH,		/* sent if the chain exists */
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
	uint8_t restore : 1;		/* from a restore file: line @lineno */
	uint8_t skip : 1;		/* queued but not sent (nft_op_skip) */
	uint8_t redo : 3;		/* enum nft_redo */
	uint32_t lineno;
	uint32_t chain_id;		/* rule ops: nft_chain.id */
	struct nft_op_ref *ref;		/* NULL until needed */
};

/* Small: a single command's one op then takes a few heap bytes. */
#define NFT_OPS_BLOCK 64

struct nft_page {
	char *buf;
	size_t len, cap;
};

/* The batch in pages, one record per object in blocks of NFT_OPS_BLOCK
 * (records never move). */
struct nft_batch {
	struct nft_sock *sock;		/* family, sequence, generation id */
	struct nft_err *err;		/* where refusals are worded */
	struct nft_page *pages;
	unsigned int npages, pages_cap;
	struct nft_op **op_blocks;
	unsigned int nops, op_blocks_cap;
	uint32_t begin_seq;
	uint32_t next_rule_id;
	unsigned int nskip;		/* ops not to send */
	bool redo;			/* an op has a redo kind */
};

void nft_batch_init(struct nft_batch *bt, struct nft_sock *s,
		    struct nft_err *e);
/* Drops everything queued. */
void nft_batch_reset(struct nft_batch *bt);
/* Sends the transaction once, without its skipped ops, with the
 * generation id read last: 0, or -1 with the first refusal's errno (each
 * refusal worded in bt->err); ERESTART: raced, nothing applied, the
 * generation id to be read again (nft-retry.c). */
int nft_batch_commit(struct nft_batch *bt);
/* Whether @op is sent; and what decides that again on a retry. */
void nft_op_skip(struct nft_batch *bt, struct nft_op *op, bool skip);
void nft_op_redo(struct nft_batch *bt, struct nft_op *op, enum nft_redo r);

/* Queue one message of @type (its op_descs entry gives the kernel message
 * and flags), from @cmd (NULL: none, for error reports); NULL with errno. */
struct nft_op *nft_op_add_table(struct nft_batch *bt, enum nft_op_type type,
				const struct rule_cmd *cmd, const char *name);
struct nft_op *nft_op_add_chain(struct nft_batch *bt, enum nft_op_type type,
				const struct rule_cmd *cmd,
				const struct nft_chain_attrs *a);
struct nft_op *nft_op_add_rule_ref(struct nft_batch *bt,
				   enum nft_op_type type,
				   const struct rule_cmd *cmd,
				   const char *table, const char *chain,
				   uint64_t handle, uint32_t id);
/* A copy of @src, its header made that of @type. */
struct nft_op *nft_op_add_msg(struct nft_batch *bt, enum nft_op_type type,
			      const struct rule_cmd *cmd,
			      const struct nlmsghdr *src);
/* Writes a NEWRULE for @r straight into the batch. */
struct nft_op *nft_op_add_rule(struct nft_batch *bt, enum nft_op_type type,
			       const struct rule_cmd *cmd,
			       const struct nft_rule_attrs *a,
			       const struct rule *r);

struct nft_op *nft_op_at(const struct nft_batch *bt, unsigned int i);
/* The queued message of @op, as sent. */
const struct nlmsghdr *nft_op_msg(const struct nft_batch *bt,
				  const struct nft_op *op);
/* Points rule op @op at kernel rule @handle or queued @ref. */
int nft_op_set_ref(struct nft_op *op, uint64_t handle, struct nft_op *ref);
/* The NFTA_RULE_ID of queued rule @op, given (and added to its message)
 * on first use; 0 on ENOMEM. */
uint32_t nft_op_rule_id(struct nft_batch *bt, struct nft_op *op);

#endif
