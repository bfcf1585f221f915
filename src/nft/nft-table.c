// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Priorities and chain types of the built-in chains, by table and hook,
 * as iptables-nft 1.8.9 creates them (the NF_IP_PRI_* values of each
 * table; mangle OUTPUT is a "route" chain so that a changed mark reroutes
 * the packet).
 */
#include "nft-table.h"

#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

static const struct {
	const char *table;
	struct nft_base_kind hooks[NF_INET_NUMHOOKS];
} kinds[] = {
	{ "mangle", {
		[NF_INET_PRE_ROUTING]	= { -150, "filter" },
		[NF_INET_LOCAL_IN]	= { -150, "filter" },
		[NF_INET_FORWARD]	= { -150, "filter" },
		[NF_INET_LOCAL_OUT]	= { -150, "route" },
		[NF_INET_POST_ROUTING]	= { -150, "filter" },
	} },
	{ "security", {
		[NF_INET_LOCAL_IN]	= { 150, "filter" },
		[NF_INET_FORWARD]	= { 150, "filter" },
		[NF_INET_LOCAL_OUT]	= { 150, "filter" },
	} },
	{ "raw", {
		[NF_INET_PRE_ROUTING]	= { -300, "filter" },
		[NF_INET_LOCAL_OUT]	= { -300, "filter" },
	} },
	{ "filter", {
		[NF_INET_LOCAL_IN]	= { 0, "filter" },
		[NF_INET_FORWARD]	= { 0, "filter" },
		[NF_INET_LOCAL_OUT]	= { 0, "filter" },
	} },
	{ "nat", {
		[NF_INET_PRE_ROUTING]	= { -100, "nat" },
		[NF_INET_LOCAL_IN]	= { 100, "nat" },
		[NF_INET_LOCAL_OUT]	= { -100, "nat" },
		[NF_INET_POST_ROUTING]	= { 100, "nat" },
	} },
};

const struct nft_base_kind *nft_base_kind(const struct backend_table *t,
					  const struct backend_builtin *bi)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].table, t->name) == 0 &&
		    bi->hooknum >= 0 && bi->hooknum < NF_INET_NUMHOOKS &&
		    kinds[i].hooks[bi->hooknum].type)
			return &kinds[i].hooks[bi->hooknum];
	abort();	/* a built-in of backend.c without its kind here */
}
