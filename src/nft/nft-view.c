// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A chain's rules inside the open transaction (nft-view.h): the kernel's
 * rules, dumped once, with the queued rule ops replayed on them in order.
 * A queued op names its place by kernel handle or by the queued op it
 * goes before, replaces or deletes.
 */
#include "nft-view.h"
#include "nft-msg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
static void apply_op(struct nft_chain *c, struct nft_op *op)
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

int nft_chain_materialise(struct nft_sock *s, const struct nft_batch *bt,
			  struct nft_table *t, struct nft_chain *c)
{
	if (c->materialised)
		return 0;
	if (c->in_kernel && c->kernel_rules) {
		int ret, tries = 0;

		do {
			for (size_t i = 0; i < c->nrules; i++)
				free(c->rules[i].msg);
			c->nrules = 0;
			ret = nft_sock_dump_rules(s, t->def->name, c->name,
						  materialise_cb, c);
		} while (ret < 0 && errno == EINTR &&
			 ++tries < NFT_DUMP_RETRIES);
		if (ret < 0) {
			nft_chain_rules_clear(c);
			return -1;
		}
	}
	c->materialised = true;
	for (unsigned int i = c->ops_from; c->npending && i < bt->nops; i++) {
		struct nft_op *op = nft_op_at(bt, i);

		if (op->chain_id == c->id) {
			apply_op(c, op);
			c->npending--;
		}
	}
	c->npending = 0;
	return 0;
}

void nft_chain_note_op(struct nft_chain *c, struct nft_op *op)
{
	op->chain_id = c->id;
	if (c->materialised)
		apply_op(c, op);
	else
		c->npending++;
}
