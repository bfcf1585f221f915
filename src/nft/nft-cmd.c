// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One command of rule.h into the transaction, with the objects
 * iptables-nft 1.8.9 sends for it: the same messages, flags and order, as
 * its batches show.  Rule positions and rule specs are resolved here;
 * nft-search.c finds rules in the kernel.
 */
#include "nft-core.h"
#include "nft-table.h"
#include "nft-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

/*
 * A table that was absent at cache fill (or deleted by restore) gets a
 * NEWTABLE before the first command that adds to it; an existing one gets
 * none (measured).  iptables-nft repeats it before every later
 * command of the transaction too: the kernel ignores those, so do we.
 */
static int table_touch(struct nft_backend *b, struct nft_table *t,
		       const struct rule_cmd *cmd)
{
	if ((t->in_kernel && !t->flushed) || t->added)
		return 0;
	if (!nft_op_add_table(&b->batch, NFT_OP_TABLE_ADD, cmd, t->def->name))
		return -1;
	t->exists = t->added = true;
	return 0;
}

static struct nft_chain_attrs builtin_attrs(const struct nft_table *t,
					    const struct backend_builtin *bi,
					    uint32_t policy)
{
	const struct nft_base_kind *k = nft_base_kind(t->def, bi);

	return (struct nft_chain_attrs) {
		.table = t->def->name,
		.name = bi->name,
		.has_hook = true,
		.hooknum = bi->hooknum,
		.prio = k->prio,
		.has_policy = true,
		.policy = policy,
		.type = k->type,
	};
}

static int chain_op(struct nft_backend *b, enum nft_op_type type,
		    const struct rule_cmd *cmd, const struct nft_chain_attrs *a)
{
	return nft_op_add_chain(&b->batch, type, cmd, a) ? 0 : -1;
}

/* A chain created (or emptied) in this transaction has no kernel rules;
 * what is queued for it from here on is replayed if positions are needed. */
static void chain_reset_rules(struct nft_backend *b, struct nft_chain *c)
{
	nft_chain_rules_clear(c);
	c->kernel_rules = false;
	c->materialised = false;
	c->ops_from = b->batch.nops;
}

/* Creates the built-in chain @c lazily, as iptables-nft does; the caller
 * has touched the table already (one NEWTABLE per command). */
static int builtin_ensure(struct nft_backend *b, struct nft_table *t,
			  struct nft_chain *c, const struct rule_cmd *cmd)
{
	struct nft_chain_attrs a;

	if (c->exists)
		return 0;
	if (!c->builtin) {
		errno = ENOENT;
		return -1;
	}
	a = builtin_attrs(t, c->builtin, NF_ACCEPT);
	if (chain_op(b, NFT_OP_CHAIN_ADD, cmd, &a) < 0)
		return -1;
	c->exists = true;
	c->policy = NF_ACCEPT;
	chain_reset_rules(b, c);
	return 0;
}

/* The table of @cmd; whether it exists is fetched with its chain
 * (nft_cache_chain) or, where no chain is named, by nft_cache_table. */
static struct nft_table *cmd_table(struct nft_backend *b,
				   const struct rule_cmd *cmd)
{
	return nft_table_get(&b->cache, cmd->table);
}

/* The chain of @cmd; ENOENT unless it exists or is a built-in. */
static struct nft_chain *cmd_chain(struct nft_backend *b, struct nft_table *t,
				   const char *name, bool builtin_ok)
{
	struct nft_chain *c = nft_cache_chain(&b->cache, t, name);

	if (!c)
		return NULL;
	if (!c->exists && !(builtin_ok && c->builtin)) {
		errno = ENOENT;
		return NULL;
	}
	return c;
}

/* Rules queued in this batch have no handle yet: the kernel finds them by
 * NFTA_RULE_ID, which the rule's queued message gets on first reference. */
static int rule_id(struct nft_backend *b, struct nft_op *op, uint32_t *id)
{
	*id = nft_op_rule_id(&b->batch, op);
	return *id ? 0 : -1;
}

/* Notes queued @op, aimed at @pos (NULL: none), in @c. */
static struct nft_op *note_op(struct nft_chain *c, struct nft_op *op,
			      const struct nft_rpos *pos)
{
	if (!op)
		return NULL;
	if (pos && nft_op_set_ref(op, pos->handle, pos->op) < 0)
		return NULL;
	nft_chain_note_op(c, op);
	return op;
}

/* Queues a NEWRULE of @cmd's rule as @type in @t/@c. */
static struct nft_op *new_rule_op(struct nft_backend *b, struct nft_table *t,
				  struct nft_chain *c, enum nft_op_type type,
				  const struct rule_cmd *cmd,
				  struct nft_rule_attrs *a,
				  const struct nft_rpos *pos)
{
	a->table = t->def->name;
	a->chain = c->name;
	return note_op(c, nft_op_add_rule(&b->batch, type, cmd, a, cmd->rule),
		       pos);
}

static int queue_delete(struct nft_backend *b, struct nft_table *t,
			struct nft_chain *c, const struct nft_rpos *pos,
			const struct rule_cmd *cmd)
{
	uint32_t id = 0;

	if (!pos->handle && rule_id(b, pos->op, &id) < 0)
		return -1;
	return note_op(c, nft_op_add_rule_ref(&b->batch, NFT_OP_RULE_DELETE,
					      cmd, t->def->name, c->name,
					      pos->handle, id),
		       pos) ? 0 : -1;
}

static int cmd_append(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? cmd_chain(b, t, cmd->chain, true) : NULL;

	struct nft_rule_attrs a = { 0 };

	if (!c || table_touch(b, t, cmd) < 0 ||
	    builtin_ensure(b, t, c, cmd) < 0)
		return -1;
	return new_rule_op(b, t, c, NFT_OP_RULE_APPEND, cmd, &a, NULL) ?
	       0 : -1;
}

static int cmd_insert(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? cmd_chain(b, t, cmd->chain, true) : NULL;
	struct nft_rpos pos = { 0 };
	enum nft_op_type type = NFT_OP_RULE_INSERT;
	struct nft_rule_attrs a = { 0 };

	if (!c)
		return -1;
	if (cmd->rulenum > 1) {
		if (nft_rule_nth(b, t, c, cmd->rulenum, &pos) < 0)
			return -1;
		if (!pos.found) {
			/* N = count + 1 appends; beyond is an error. */
			if (pos.count + 1 != cmd->rulenum) {
				errno = E2BIG;
				return -1;
			}
			type = NFT_OP_RULE_APPEND;
		}
	}
	if (table_touch(b, t, cmd) < 0 ||
	    builtin_ensure(b, t, c, cmd) < 0)
		return -1;
	if (pos.found && !pos.handle && rule_id(b, pos.op, &a.position_id) < 0)
		return -1;
	a.position = pos.found ? pos.handle : 0;
	return new_rule_op(b, t, c, type, cmd, &a, pos.found ? &pos : NULL) ?
	       0 : -1;
}

static int cmd_replace(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? cmd_chain(b, t, cmd->chain, false) : NULL;
	struct nft_rule_attrs a = { 0 };
	struct nft_rpos pos = { 0 };

	if (!c || nft_rule_nth(b, t, c, cmd->rulenum, &pos) < 0)
		return -1;
	if (!pos.found) {
		errno = E2BIG;
		return -1;
	}
	if (!pos.handle) {
		/* A rule of this batch: insert before it, then drop it. */
		if (rule_id(b, pos.op, &a.position_id) < 0 ||
		    !new_rule_op(b, t, c, NFT_OP_RULE_INSERT, cmd, &a, &pos))
			return -1;
		return queue_delete(b, t, c, &pos, cmd);
	}
	a.handle = pos.handle;
	return new_rule_op(b, t, c, NFT_OP_RULE_REPLACE, cmd, &a, &pos) ?
	       0 : -1;
}

static int cmd_delete(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? cmd_chain(b, t, cmd->chain, false) : NULL;
	struct nft_rpos pos = { 0 };
	int ret;

	if (!c)
		return -1;
	if (cmd->command == RULE_CMD_DELETE_NUM)
		ret = nft_rule_nth(b, t, c, cmd->rulenum, &pos);
	else
		ret = nft_rule_spec(b, t, c, cmd->rule, &pos);
	if (ret < 0)
		return -1;
	if (!pos.found) {
		errno = cmd->command == RULE_CMD_DELETE_NUM ? E2BIG : ESRCH;
		return -1;
	}
	if (cmd->command == RULE_CMD_CHECK)
		return 0;
	return queue_delete(b, t, c, &pos, cmd);
}

/* DELRULE of every rule of @chain (of @t if NULL); a chain's flush is
 * skipped on a retry that finds the chain gone (nft-retry.c). */
static struct nft_op *rule_flush_op(struct nft_backend *b,
				    struct nft_table *t, const char *chain,
				    const struct rule_cmd *cmd)
{
	struct nft_op *op = nft_op_add_rule_ref(&b->batch, NFT_OP_RULE_FLUSH,
						cmd, t->def->name, chain, 0,
						0);

	if (op && chain)
		nft_op_redo(&b->batch, op, NFT_REDO_FLUSH);
	return op;
}

static int cmd_flush(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c;

	if (!t)
		return -1;
	if (!cmd->chain[0]) {
		/* after a restore's implicit flush iptables-nft 1.8.9 finds
		 * no chain to flush: the rules the file added before stay */
		if (t->flushed)
			return 0;
		if (nft_cache_table(&b->cache, t) < 0)
			return -1;
		if (!t->exists)
			return 0;
		if (!rule_flush_op(b, t, NULL, cmd))
			return -1;
		t->rules_flushed = true;
		for (c = t->chains; c; c = c->next)
			chain_reset_rules(b, c);
		return 0;
	}
	c = cmd_chain(b, t, cmd->chain, true);
	if (!c || table_touch(b, t, cmd) < 0 ||
	    builtin_ensure(b, t, c, cmd) < 0 ||
	    !rule_flush_op(b, t, c->name, cmd))
		return -1;
	chain_reset_rules(b, c);
	return 0;
}

/*
 * restore's ":CHAIN -" of a user chain: emptied if it exists, made if
 * not.  Both ops are queued, the one that does not apply skipped, as
 * iptables-nft 1.8.9 queues them: a retry after a race decides again
 * which one goes (nft-retry.c).
 */
static int declare_chain(struct nft_backend *b, struct nft_table *t,
			 struct nft_chain *c, const struct rule_cmd *cmd)
{
	struct nft_chain_attrs a = { .table = t->def->name, .name = c->name };
	struct nft_op *flush, *add;

	if (table_touch(b, t, cmd) < 0)
		return -1;
	flush = nft_op_add_rule_ref(&b->batch, NFT_OP_RULE_FLUSH, cmd,
				    t->def->name, c->name, 0, 0);
	add = flush ? nft_op_add_chain(&b->batch, NFT_OP_CHAIN_USER_ADD, cmd,
				       &a) : NULL;
	if (!add)
		return -1;
	nft_op_redo(&b->batch, flush, NFT_REDO_DECL_FLUSH);
	nft_op_redo(&b->batch, add, NFT_REDO_DECL_ADD);
	nft_op_skip(&b->batch, c->exists ? add : flush, true);
	c->exists = true;
	chain_reset_rules(b, c);
	return 0;
}

static int cmd_new_chain(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? nft_cache_chain(&b->cache, t, cmd->chain) :
				 NULL;
	struct nft_chain_attrs a = { 0 };

	if (!c)
		return -1;
	/* a built-in is created all the same (restore's ":INPUT -"); the
	 * caller of a plain -N drops the batch on the error */
	if (c->builtin && (table_touch(b, t, cmd) < 0 ||
			   builtin_ensure(b, t, c, cmd) < 0))
		return -1;
	if (cmd->or_flush)
		return c->builtin ? 0 : declare_chain(b, t, c, cmd);
	if (c->exists || c->builtin) {
		errno = EEXIST;
		return -1;
	}
	if (table_touch(b, t, cmd) < 0)
		return -1;
	a.table = t->def->name;
	a.name = c->name;
	if (chain_op(b, NFT_OP_CHAIN_USER_ADD, cmd, &a) < 0)
		return -1;
	c->exists = true;
	chain_reset_rules(b, c);
	return 0;
}

static int chain_del_op(struct nft_backend *b, struct nft_table *t,
			struct nft_chain *c, const struct rule_cmd *cmd)
{
	struct nft_chain_attrs a = { .table = t->def->name, .name = c->name };

	if (chain_op(b, NFT_OP_CHAIN_DEL, cmd, &a) < 0)
		return -1;
	c->exists = false;
	chain_reset_rules(b, c);
	return 0;
}

/* -X alone: user chains, and built-ins that are empty with policy ACCEPT. */
static int chain_deletable(struct nft_backend *b, struct nft_table *t,
			   struct nft_chain *c)
{
	if (!c->exists)
		return 0;
	if (!c->builtin)
		return 1;
	if (c->policy != NF_ACCEPT)
		return 0;
	if (c->materialised || c->npending)
		return nft_chain_materialise(&b->sock, &b->batch, t, c) < 0 ?
		       -1 : !c->nrules;
	return !c->kernel_rules || !c->use;
}

static int chain_name_cmp(const void *a, const void *b)
{
	const struct nft_chain *const *x = a, *const *y = b;

	/* sorted backwards: the loop below takes them from the end */
	return strcmp((*y)->name, (*x)->name);
}

/*
 * -X without a chain: in the kernel's order, as iptables-nft, so that of
 * several busy chains the first created is the one the error names; with
 * -v in the order of the names it prints (measured).  The cache lists
 * chains newest first.
 */
static int delete_all_chains(struct nft_backend *b, struct nft_table *t,
			     const struct rule_cmd *cmd, bool by_name)
{
	struct nft_chain *c, **v;
	size_t n = 0;
	int ret = 0;

	for (c = t->chains; c; c = c->next)
		n++;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -1;
	n = 0;
	for (c = t->chains; c; c = c->next)
		v[n++] = c;
	if (by_name)
		qsort(v, n, sizeof(*v), chain_name_cmp);
	while (n-- > 0 && ret == 0) {
		int del = chain_deletable(b, t, v[n]);

		if (del < 0 || (del && chain_del_op(b, t, v[n], cmd) < 0))
			ret = -1;
	}
	free(v);
	return ret;
}

static int cmd_delete_chain(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);

	if (!t)
		return -1;
	if (cmd->chain[0]) {
		struct nft_chain *c = cmd_chain(b, t, cmd->chain, false);

		if (!c)
			return -1;
		/* a built-in goes too if its policy is ACCEPT; with rules,
		 * the kernel refuses (EBUSY), as for iptables-nft 1.8.9 */
		if (c->builtin && c->policy != NF_ACCEPT) {
			errno = ENOTEMPTY;
			return -1;
		}
		return chain_del_op(b, t, c, cmd);
	}
	if (nft_cache_all_chains(&b->cache, t) < 0)
		return -1;
	return delete_all_chains(b, t, cmd,
				 cmd->list_flags & RULE_LIST_VERBOSE);
}

/*
 * The kernel renames at commit: later commands of the transaction still
 * find the chain under its old name, not under the new one, so the cache
 * keeps both as they are, as iptables-nft's does.  A chain added in this
 * transaction has no handle yet: the kernel refuses its rename (ENOENT),
 * as it does for iptables-nft-restore 1.8.9.
 */
static int cmd_rename_chain(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *n = t ? nft_cache_chain(&b->cache, t, cmd->newname) :
				 NULL;
	struct nft_chain_attrs a = {
		.table = t ? t->def->name : NULL,
		.name = cmd->newname,
		.has_handle = true,
	};
	struct nft_chain *c;

	if (!n)
		return -1;
	if (n->exists || n->builtin) {
		errno = EEXIST;
		return -1;
	}
	/* A built-in the kernel has is renamed too, as by iptables-nft
	 * 1.8.9: it then lists the table as holding an unknown base chain. */
	c = cmd_chain(b, t, cmd->chain, false);
	if (!c)
		return -1;
	a.handle = c->in_kernel ? c->handle : 0;
	return chain_op(b, NFT_OP_CHAIN_RENAME, cmd, &a);
}

static int cmd_set_policy(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c = t ? nft_cache_chain(&b->cache, t, cmd->chain) :
				 NULL;
	uint32_t policy = cmd->policy == RULE_VERDICT_DROP ? NF_DROP : NF_ACCEPT;
	struct nft_chain_attrs a;

	if (!c)
		return -1;
	if (!c->builtin) {
		errno = ENOENT;	/* "Bad built-in chain name." */
		return -1;
	}
	if (table_touch(b, t, cmd) < 0 ||
	    builtin_ensure(b, t, c, cmd) < 0)
		return -1;
	a = builtin_attrs(t, c->builtin, policy);
	a.has_counters = true;
	if (cmd->has_policy_counters && cmd->from_restore) {	/* not -P -c */
		a.packets = cmd->policy_counters.pcnt;
		a.bytes = cmd->policy_counters.bcnt;
	}
	/* restore sends the update with NLM_F_CREATE (measured) */
	if (chain_op(b, cmd->from_restore ? NFT_OP_CHAIN_UPDATE_CREATE :
				      NFT_OP_CHAIN_UPDATE,
		     cmd, &a) < 0)
		return -1;
	c->policy = policy;
	return 0;
}

#define LIST_CMDS (RULE_CMD_LIST | RULE_CMD_LIST_RULES)

/*
 * -L -Z: iptables-nft zeroes the built-ins it has just listed, absent ones
 * too, which creates them, or fails in the kernel without the table
 * (CHAIN_ZERO, ENOENT), as measured.
 */
static int list_zero_builtins(struct nft_backend *b, const struct rule_cmd *cmd)
{
	struct nft_table *t = cmd_table(b, cmd);
	struct nft_chain *c;

	if (!t)
		return -1;
	for (unsigned int i = 0; i < t->def->nbuiltins; i++) {
		const struct backend_builtin *bi = &t->def->builtins[i];
		struct nft_chain_attrs a;

		if (cmd->chain[0] && strcmp(cmd->chain, bi->name))
			continue;
		c = nft_cache_chain(&b->cache, t, bi->name);
		if (!c)
			return -1;
		if (c->exists)
			continue;
		a = builtin_attrs(t, bi, NF_ACCEPT);
		a.has_counters = true;
		if (chain_op(b, NFT_OP_CHAIN_ZERO, cmd, &a) < 0)
			return -1;
		c->exists = true;
		chain_reset_rules(b, c);
	}
	return 0;
}

static int cmd_zero(struct nft_backend *b, const struct rule_cmd *cmd)
{
	if ((cmd->command & LIST_CMDS) && (cmd->command & RULE_CMD_ZERO) &&
	    list_zero_builtins(b, cmd) < 0)
		return -1;
	return nft_cmd_zero(b, cmd);
}

typedef int (*nft_cmd_fn)(struct nft_backend *b, const struct rule_cmd *cmd);

static const struct {
	unsigned int command;
	nft_cmd_fn fn;
	bool needs_rule;
} cmd_table_fns[] = {
	{ RULE_CMD_APPEND,		cmd_append,		true },
	{ RULE_CMD_INSERT,		cmd_insert,		true },
	{ RULE_CMD_REPLACE,		cmd_replace,		true },
	{ RULE_CMD_DELETE,		cmd_delete,		true },
	{ RULE_CMD_CHECK,		cmd_delete,		true },
	{ RULE_CMD_DELETE_NUM,		cmd_delete,		false },
	{ RULE_CMD_FLUSH,		cmd_flush,		false },
	{ RULE_CMD_ZERO,		cmd_zero,		false },
	{ RULE_CMD_ZERO_NUM,		cmd_zero,		false },
	{ RULE_CMD_NEW_CHAIN,		cmd_new_chain,		false },
	{ RULE_CMD_DELETE_CHAIN,	cmd_delete_chain,	false },
	{ RULE_CMD_RENAME_CHAIN,	cmd_rename_chain,	false },
	{ RULE_CMD_SET_POLICY,		cmd_set_policy,		false },
};

int nft_cmd_exec(struct nft_backend *b, const struct rule_cmd *cmd)
{
	for (size_t i = 0; i < sizeof(cmd_table_fns) / sizeof(cmd_table_fns[0]);
	     i++) {
		/* -L/-S come along only with -Z (-L -Z) */
		if (cmd_table_fns[i].command != (cmd->command & ~LIST_CMDS))
			continue;
		if (cmd_table_fns[i].needs_rule && !cmd->rule) {
			errno = EINVAL;
			return -1;
		}
		return cmd_table_fns[i].fn(b, cmd);
	}
	errno = EOPNOTSUPP;
	return -1;
}

/* restore without --noflush: the table goes, chains and all (DELTABLE),
 * if it exists, as iptables-nft-restore does. */
int nft_cmd_flush_table(struct nft_backend *b, const char *table)
{
	struct nft_table *t = nft_table_get(&b->cache, table);
	struct nft_chain *c;
	struct nft_op *op;

	if (!t || nft_cache_table(&b->cache, t) < 0)
		return -1;
	/* queued all the same, as by iptables-nft 1.8.9: a retry after a
	 * race sends it if the table has come meanwhile (nft-retry.c) */
	op = nft_op_add_table(&b->batch, NFT_OP_TABLE_FLUSH, NULL, table);
	if (!op)
		return -1;
	nft_op_redo(&b->batch, op, NFT_REDO_TABLE_FLUSH);
	nft_op_skip(&b->batch, op, !t->exists);
	t->flushed = true;
	t->exists = t->added = false;
	t->chains_dumped = true;
	for (c = t->chains; c; c = c->next) {
		c->exists = false;
		chain_reset_rules(b, c);
	}
	return 0;
}
