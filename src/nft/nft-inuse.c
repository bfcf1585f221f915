// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether iptables-nft's tables exist in this network namespace, for the
 * automatic choice of backend: one dump of the family's tables, nothing
 * created.
 */
#include "nft-core.h"
#include "nft-msg.h"

#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

static int table_cb(const struct nlattr *a, void *data)
{
	const char **name = data;

	if (mnl_attr_get_type(a) == NFTA_TABLE_NAME &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		*name = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* Counts the tables of a dump that iptables would call its own. */
static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const char *name = NULL;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), table_cb, &name);
	if (name && backend_table_find(name))
		(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

int nft_in_use(uint8_t family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	unsigned int found = 0;
	struct nlmsghdr *nlh;
	uint32_t portid;
	ssize_t n;
	int ret = -1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(nl);
	nlh = nft_header_build(buf, NFT_MSG_GETTABLE, family, NLM_F_DUMP, 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			goto out;
		ret = mnl_cb_run(buf, n, 1, portid, dump_cb, &found);
	} while (ret > 0);
	if (ret == 0)
		ret = found > 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return ret;
}
