/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What nf_tables adds to the tables of backend.h: each built-in chain is a
 * base chain with a priority and a chain type, as iptables-nft 1.8.9
 * creates it.  The bottom of the nf_tables backend: data only.
 */
#ifndef MARKCTL_NFT_TABLE_H
#define MARKCTL_NFT_TABLE_H

#include <stdint.h>

#include "backend.h"

struct nft_base_kind {
	int32_t prio;
	const char *type;		/* "filter", "route", "nat" */
};

/* The priority and type of built-in @bi of table @t. */
const struct nft_base_kind *nft_base_kind(const struct backend_table *t,
					  const struct backend_builtin *bi);

#endif
