/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The header of every nfnetlink request markctl sends (nf_tables and
 * ctnetlink alike): a netlink header and its nfgenmsg.
 */
#ifndef MARKCTL_NFNL_H
#define MARKCTL_NFNL_H

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdint.h>

static inline struct nlmsghdr *nfnl_request_build(void *buf, uint8_t subsys,
						  uint8_t msg, uint8_t family,
						  uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (subsys << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

#endif
