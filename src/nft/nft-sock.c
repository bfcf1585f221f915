// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The backend's netlink socket (nft-sock.h): gets and dumps answered at
 * once, as iptables-nft's cache requests are, and the generation id.
 */
#include "nft-sock.h"
#include "nft-msg.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

/* The kernel sends at most ~32 KiB per dump chunk (NLMSG_GOODSIZE). */
#define NFT_DUMP_BUFSIZ 32768

int nft_sock_reopen(struct nft_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!s->nl)
		return -1;
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(s->nl);
		s->nl = NULL;
		errno = err;
		return -1;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	return 0;
}

int nft_sock_open(struct nft_sock *s, uint8_t family)
{
	*s = (struct nft_sock) { .family = family, .seq = 1 };
	if (nft_sock_reopen(s) < 0 || nft_sock_genid(s) < 0) {
		int err = errno;

		nft_sock_close(s);
		errno = err;
		return -1;
	}
	return 0;
}

void nft_sock_close(struct nft_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	bool stopped;		/* the callback asked to stop */
};

static int talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *tk = data;
	int ret = tk->cb(nlh, tk->data);

	if (ret == MNL_CB_STOP)
		tk->stopped = true;
	return ret;
}

/* A dump stopped early or interrupted leaves messages queued: the socket
 * is replaced so the next request starts clean. */
int nft_sock_talk(struct nft_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data)
{
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	size_t size = dump ? NFT_DUMP_BUFSIZ : NFT_GET_BUFSIZ;
	struct talk tk = { cb, data, false };
	char get_buf[NFT_GET_BUFSIZ];
	char *buf = dump ? malloc(size) : get_buf;
	int ret = -1, err;

	if (!buf)
		return -1;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	/* A get is answered by one message, its reply or an error: it asks
	 * for no ACK, which would cost one more read. */
	do {
		ssize_t n = mnl_socket_recvfrom(s->nl, buf, size);

		if (n < 0)
			goto out;
		ret = mnl_cb_run(buf, n, 0, s->portid, talk_cb, &tk);
	} while (ret > 0 && dump);
out:
	err = errno;
	if (dump)
		free(buf);
	if ((ret < 0 || tk.stopped) && dump) {
		if (nft_sock_reopen(s) < 0)
			return -1;
	}
	errno = err;
	return ret < 0 ? -1 : 0;
}

/* Restarted when the ruleset changed under the dump (NLM_F_DUMP_INTR,
 * EINTR); the batch's generation id catches the rest. */
int nft_sock_talk_retry(struct nft_sock *s, struct nlmsghdr *nlh,
			mnl_cb_t cb, void *data)
{
	int ret, tries = 0;

	do
		ret = nft_sock_talk(s, nlh, cb, data);
	while (ret < 0 && errno == EINTR && ++tries < NFT_DUMP_RETRIES);
	return ret;
}

static int genid_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(attr) == NFTA_GEN_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(attr));
	return MNL_CB_OK;
}

int nft_sock_genid(struct nft_sock *s)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nlmsghdr *nlh;

	nlh = nft_header_build(buf, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0);
	if (nft_sock_talk(s, nlh, genid_cb, &s->genid) < 0)
		return -1;
	s->have_genid = true;
	return 0;
}

int nft_sock_dump_rules(struct nft_sock *s, const char *table,
			const char *chain, mnl_cb_t cb, void *data)
{
	char buf[NFT_REQ_MSGSIZ] = { 0 };
	struct nlmsghdr *nlh;

	nlh = nft_rule_ref_build(buf, NFT_MSG_GETRULE, s->family, NLM_F_DUMP,
				 0, table, chain, 0, 0);
	return nft_sock_talk(s, nlh, cb, data);
}
