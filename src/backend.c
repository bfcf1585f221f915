// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every backend shares: the choice of backend, and the tables
 * iptables knows with their built-in chains and hooks (backend.h).
 */
#include "backend.h"

#include <string.h>
#include <linux/netfilter.h>

const struct backend_table backend_tables[BACKEND_NTABLES] = {
	{ "mangle", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
		{ "POSTROUTING",	NF_INET_POST_ROUTING },
	  }, 5 },
	{ "security", {
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 3 },
	{ "raw", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 2 },
	{ "filter", {
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "FORWARD",		NF_INET_FORWARD },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
	  }, 3 },
	{ "nat", {
		{ "PREROUTING",		NF_INET_PRE_ROUTING },
		{ "INPUT",		NF_INET_LOCAL_IN },
		{ "OUTPUT",		NF_INET_LOCAL_OUT },
		{ "POSTROUTING",	NF_INET_POST_ROUTING },
	  }, 4 },
};

const struct backend_ops *backend_choose(const struct markctl_ctx *ctx)
{
	(void)ctx;
	return &nft_backend_ops;
}

const struct backend_table *backend_table_find(const char *name)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		if (strcmp(backend_tables[i].name, name) == 0)
			return &backend_tables[i];
	return NULL;
}

const struct backend_builtin *
backend_builtin_find(const struct backend_table *t, const char *name)
{
	for (unsigned int i = 0; i < t->nbuiltins; i++)
		if (strcmp(t->builtins[i].name, name) == 0)
			return &t->builtins[i];
	return NULL;
}
