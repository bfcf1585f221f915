// SPDX-License-Identifier: GPL-2.0-or-later
/* nft_compat revision queries (nft-compat.h). */
#include "nft-compat.h"
#include "nft-msg.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables_compat.h>

struct nft_compat_rev {
	struct nft_compat_rev *next;
	char name[32];
	uint8_t rev;
	int target;
	int ok;				/* 1, 0, or -1: not asked (@err) */
	int err;
};

static int compat_reply_cb(const struct nlmsghdr *nlh __attribute__((unused)),
			   void *data __attribute__((unused)))
{
	return MNL_CB_OK;
}

/* One NFNL_MSG_COMPAT_GET, acknowledged if the kernel has the revision. */
static int compat_query(struct nft_compat *c, struct nft_sock *s,
			const char *name, uint8_t rev, int target)
{
	char buf[NFT_REQ_BUFSIZ] = { 0 };
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	uint32_t portid;
	int ret;

	if (!c->nl) {
		c->nl = mnl_socket_open(NETLINK_NETFILTER);
		if (!c->nl)
			return -1;
		if (mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0)
			return -1;
	}
	portid = mnl_socket_get_portid(c->nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFT_COMPAT << 8) | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = s->seq++;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = s->family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_COMPAT_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_COMPAT_REV, htonl(rev));
	mnl_attr_put_u32(nlh, NFTA_COMPAT_TYPE, htonl(target));
	if (mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t n = mnl_socket_recvfrom(c->nl, buf, sizeof(buf));

		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid,
				 compat_reply_cb, NULL);
	} while (ret > 0);
	return ret;
}

int nft_compat_rev(struct nft_compat *c, struct nft_sock *s,
		   const char *name, uint8_t rev, int target)
{
	struct nft_compat_rev *cr;

	for (cr = c->answers; cr; cr = cr->next)
		if (cr->rev == rev && cr->target == target &&
		    strcmp(cr->name, name) == 0)
			break;
	if (!cr) {
		cr = calloc(1, sizeof(*cr));
		if (!cr)
			return -1;
		util_strlcpy(cr->name, name, sizeof(cr->name));
		cr->rev = rev;
		cr->target = target;
		/* ENOENT, EPROTONOSUPPORT: the kernel lacks this revision;
		 * any other error: it could not be asked */
		cr->ok = compat_query(c, s, name, rev, target) == 0 ? 1 :
			 errno == ENOENT || errno == EPROTONOSUPPORT ? 0 : -1;
		cr->err = errno;
		cr->next = c->answers;
		c->answers = cr;
	}
	errno = cr->err;
	return cr->ok;
}

void nft_compat_release(struct nft_compat *c)
{
	struct nft_compat_rev *cr, *next;

	for (cr = c->answers; cr; cr = next) {
		next = cr->next;
		free(cr);
	}
	c->answers = NULL;
	if (c->nl)
		mnl_socket_close(c->nl);
	c->nl = NULL;
}
