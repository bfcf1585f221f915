// SPDX-License-Identifier: GPL-2.0-or-later
/* The refusal buffer (nft-err.h). */
#include "nft-err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *err_buf(struct nft_err *e)
{
	if (!e->buf)
		e->buf = calloc(1, NFT_ERR_SIZE);
	return e->buf;
}

void nft_err_set(struct nft_err *e, const char *fmt, ...)
{
	char *buf = err_buf(e);
	va_list ap;

	if (!buf)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, NFT_ERR_SIZE, fmt, ap);
	va_end(ap);
	e->set = true;
}

void nft_err_append(struct nft_err *e, const char *line)
{
	size_t used = e->set ? strlen(e->buf) : 0, len = strlen(line);
	char *buf = err_buf(e);

	if (!buf || used + (e->set ? 1 : 0) + len >= NFT_ERR_SIZE)
		return;
	if (e->set)
		buf[used++] = '\n';
	memcpy(buf + used, line, len + 1);
	e->set = true;
}

const char *nft_err_text(const struct nft_err *e)
{
	return e->set ? e->buf : NULL;
}

void nft_err_clear(struct nft_err *e)
{
	e->set = false;
}

void nft_err_release(struct nft_err *e)
{
	free(e->buf);
	e->buf = NULL;
	e->set = false;
}
