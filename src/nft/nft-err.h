/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The backend's words for the last refusal, as backend_ops.strerror gives
 * them (nft-err.c): one text, or for a restore transaction every refusal,
 * one a line.  The buffer is allocated at the first refusal.
 */
#ifndef MARKCTL_NFT_ERR_H
#define MARKCTL_NFT_ERR_H

#include <stdbool.h>

/* Room for the refusals of one transaction. */
#define NFT_ERR_SIZE 4096

struct nft_err {
	char *buf;		/* NFT_ERR_SIZE bytes once used */
	bool set;		/* @buf holds the last refusal */
};

/* Makes the formatted text the refusal (left unset without memory). */
void nft_err_set(struct nft_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Adds @line as a line of its own, unless it no longer fits whole. */
void nft_err_append(struct nft_err *e, const char *line);
/* The refusal, or NULL if none is set. */
const char *nft_err_text(const struct nft_err *e);
void nft_err_clear(struct nft_err *e);
void nft_err_release(struct nft_err *e);

#endif
