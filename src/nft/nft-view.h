/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A chain's rules as a command sees them inside the open transaction
 * (nft-view.c): the kernel's rules with the queued rule ops replayed on
 * them, built only when a command needs positions there.  Uses
 * nft-cache.h, nft-batch.h and nft-sock.h.
 */
#ifndef MARKCTL_NFT_VIEW_H
#define MARKCTL_NFT_VIEW_H

#include "nft-batch.h"
#include "nft-cache.h"
#include "nft-sock.h"

/* Loads the kernel's rules of @c and replays the queued rule ops on
 * them; once done, nft_chain_note_op() keeps it up to date. */
int nft_chain_materialise(struct nft_sock *s, const struct nft_batch *bt,
			  struct nft_table *t, struct nft_chain *c);
/* Records queued rule op @op in @c's view of its rules. */
void nft_chain_note_op(struct nft_chain *c, struct nft_op *op);

#endif
