// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The transaction: queued objects, serialised at commit into one batch
 * (BEGIN with the generation id, objects, END) sent with one sendmsg, the
 * kernel's errors mapped back to the object by sequence number (doc 4.1,
 * 4.6).
 */
#include "nft-core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/batch.h>

#define NFT_BATCH_PAGE	(2 * 1024 * 1024)
#define NFT_MSG_MAXSIZE	(128 * 1024)
#define NFT_RESTART_MAX	64

struct nft_op_desc {
	const char *name;	/* in error messages */
	uint16_t msg;		/* NFT_MSG_* */
	uint16_t flags;		/* besides NLM_F_REQUEST */
};

static const struct nft_op_desc op_descs[] = {
	[NFT_OP_TABLE_ADD]	= { "TABLE_ADD",      NFT_MSG_NEWTABLE, NLM_F_CREATE },
	[NFT_OP_TABLE_FLUSH]	= { "TABLE_FLUSH",    NFT_MSG_DELTABLE, 0 },
	[NFT_OP_CHAIN_ADD]	= { "CHAIN_ADD",      NFT_MSG_NEWCHAIN, NLM_F_CREATE },
	[NFT_OP_CHAIN_USER_ADD]	= { "CHAIN_USER_ADD", NFT_MSG_NEWCHAIN, NLM_F_EXCL },
	[NFT_OP_CHAIN_DEL]	= { "CHAIN_DEL",      NFT_MSG_DELCHAIN, NLM_F_NONREC },
	[NFT_OP_CHAIN_UPDATE]	= { "CHAIN_UPDATE",   NFT_MSG_NEWCHAIN, 0 },
	[NFT_OP_CHAIN_UPDATE_CREATE] = { "CHAIN_UPDATE", NFT_MSG_NEWCHAIN,
					 NLM_F_CREATE },
	[NFT_OP_CHAIN_RENAME]	= { "CHAIN_RENAME",   NFT_MSG_NEWCHAIN, 0 },
	[NFT_OP_CHAIN_ZERO]	= { "CHAIN_ZERO",     NFT_MSG_NEWCHAIN, NLM_F_CREATE },
	[NFT_OP_RULE_APPEND]	= { "RULE_APPEND",    NFT_MSG_NEWRULE,
				    NLM_F_CREATE | NLM_F_APPEND },
	[NFT_OP_RULE_INSERT]	= { "RULE_INSERT",    NFT_MSG_NEWRULE, NLM_F_CREATE },
	[NFT_OP_RULE_REPLACE]	= { "RULE_REPLACE",   NFT_MSG_NEWRULE,
				    NLM_F_CREATE | NLM_F_REPLACE },
	[NFT_OP_RULE_DELETE]	= { "RULE_DELETE",    NFT_MSG_DELRULE, 0 },
	[NFT_OP_RULE_FLUSH]	= { "RULE_FLUSH",     NFT_MSG_DELRULE, 0 },
};

struct nft_op *nft_op_add(struct backend *b, enum nft_op_type type,
			  unsigned int lineno, void *obj)
{
	struct nft_op *op = calloc(1, sizeof(*op));

	if (!op)
		return NULL;
	op->type = type;
	op->lineno = lineno;
	op->rule = obj;		/* union: any of table, chain, rule */
	*b->ops_tail = op;
	b->ops_tail = &op->next;
	b->nops++;
	return op;
}

static void op_free(struct nft_op *op)
{
	switch (op->type) {
	case NFT_OP_TABLE_ADD:
	case NFT_OP_TABLE_FLUSH:
		nftnl_table_free(op->table);
		break;
	case NFT_OP_CHAIN_ADD:
	case NFT_OP_CHAIN_USER_ADD:
	case NFT_OP_CHAIN_DEL:
	case NFT_OP_CHAIN_UPDATE:
	case NFT_OP_CHAIN_UPDATE_CREATE:
	case NFT_OP_CHAIN_RENAME:
	case NFT_OP_CHAIN_ZERO:
		nftnl_chain_free(op->chain);
		break;
	default:
		nftnl_rule_free(op->rule);
		break;
	}
	free(op);
}

void nft_ops_free(struct backend *b)
{
	struct nft_op *op, *next;

	for (op = b->ops; op; op = next) {
		next = op->next;
		op_free(op);
	}
	b->ops = NULL;
	b->ops_tail = &b->ops;
	b->nops = 0;
	b->next_rule_id = 0;
}

static void put_batch_marker(struct nftnl_batch *batch, uint16_t type,
			     uint32_t seq, const uint32_t *genid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nftnl_batch_buffer(batch));
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	if (genid)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(*genid));
	nftnl_batch_update(batch);
}

/*
 * Messages are built in a zeroed scratch buffer and copied into the batch:
 * libmnl 1.0.4 leaves attribute padding unset, and the batch pages are
 * not zeroed (valgrind would rightly complain about what we send).
 */
static void put_op(struct backend *b, struct nftnl_batch *batch,
		   struct nft_op *op, char *buf)
{
	const struct nft_op_desc *d = &op_descs[op->type];
	struct nlmsghdr *nlh;

	op->seq = b->seq++;
	switch (op->type) {
	case NFT_OP_TABLE_ADD:
	case NFT_OP_TABLE_FLUSH:
		nlh = nftnl_table_nlmsg_build_hdr(buf, d->msg, b->family,
						  d->flags, op->seq);
		nftnl_table_nlmsg_build_payload(nlh, op->table);
		break;
	case NFT_OP_CHAIN_ADD:
	case NFT_OP_CHAIN_USER_ADD:
	case NFT_OP_CHAIN_DEL:
	case NFT_OP_CHAIN_UPDATE:
	case NFT_OP_CHAIN_UPDATE_CREATE:
	case NFT_OP_CHAIN_RENAME:
	case NFT_OP_CHAIN_ZERO:
		nlh = nftnl_chain_nlmsg_build_hdr(buf, d->msg, b->family,
						  d->flags, op->seq);
		nftnl_chain_nlmsg_build_payload(nlh, op->chain);
		break;
	default:
		nlh = nftnl_rule_nlmsg_build_hdr(buf, d->msg, b->family,
						 d->flags, op->seq);
		nftnl_rule_nlmsg_build_payload(nlh, op->rule);
		break;
	}
	memcpy(nftnl_batch_buffer(batch), buf, nlh->nlmsg_len);
	memset(buf, 0, nlh->nlmsg_len);
	nftnl_batch_update(batch);
}

static struct nftnl_batch *batch_build(struct backend *b)
{
	struct nftnl_batch *batch;
	char *scratch = calloc(1, NFT_MSG_MAXSIZE);

	batch = nftnl_batch_alloc(NFT_BATCH_PAGE, NFT_MSG_MAXSIZE);
	if (!batch || !scratch) {
		free(scratch);
		if (batch)
			nftnl_batch_free(batch);
		return NULL;
	}
	put_batch_marker(batch, NFNL_MSG_BATCH_BEGIN, b->seq++, &b->genid);
	for (struct nft_op *op = b->ops; op; op = op->next)
		put_op(b, batch, op, scratch);
	put_batch_marker(batch, NFNL_MSG_BATCH_END, b->seq++, NULL);
	free(scratch);
	return batch;
}

/* Buffers sized as iptables-nft sizes them (doc 4.1). */
static void set_buffers(struct backend *b, int pages, unsigned int nmsgs)
{
	int fd = mnl_socket_get_fd(b->nl);
	int snd = pages * NFT_BATCH_PAGE;
	int rcv = getpagesize() * (nmsgs + 2);

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

static int batch_send(struct backend *b, struct nftnl_batch *batch)
{
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	int n = nftnl_batch_iovec_len(batch);
	struct iovec *iov = calloc(n, sizeof(*iov));
	struct msghdr msg = {
		.msg_name = &snl,
		.msg_namelen = sizeof(snl),
	};
	ssize_t ret;

	if (!iov)
		return -1;
	nftnl_batch_iovec(batch, iov, n);
	msg.msg_iov = iov;
	msg.msg_iovlen = n;
	set_buffers(b, n, b->nops);
	ret = sendmsg(mnl_socket_get_fd(b->nl), &msg, 0);
	free(iov);
	return ret < 0 ? -1 : 0;
}

static struct nft_op *op_by_seq(struct backend *b, uint32_t seq)
{
	for (struct nft_op *op = b->ops; op; op = op->next)
		if (op->seq == seq)
			return op;
	return NULL;
}

static const char *op_object(const struct nft_op *op, char *buf, size_t len)
{
	switch (op->type) {
	case NFT_OP_TABLE_ADD:
	case NFT_OP_TABLE_FLUSH:
		snprintf(buf, len, "table %s",
			 nftnl_table_get_str(op->table, NFTNL_TABLE_NAME));
		break;
	case NFT_OP_CHAIN_ADD:
	case NFT_OP_CHAIN_USER_ADD:
	case NFT_OP_CHAIN_DEL:
	case NFT_OP_CHAIN_UPDATE:
	case NFT_OP_CHAIN_UPDATE_CREATE:
	case NFT_OP_CHAIN_RENAME:
	case NFT_OP_CHAIN_ZERO:
		snprintf(buf, len, "chain %s",
			 nftnl_chain_get_str(op->chain, NFTNL_CHAIN_NAME));
		break;
	default:
		snprintf(buf, len, "rule in chain %s",
			 nftnl_rule_is_set(op->rule, NFTNL_RULE_CHAIN) ?
			 nftnl_rule_get_str(op->rule, NFTNL_RULE_CHAIN) : "");
		break;
	}
	return buf;
}

/* Keeps the first refusal, worded as iptables-nft words it. */
static void note_error(struct backend *b, struct nft_op *op, int err)
{
	char obj[128], line[32] = "";

	if (b->have_err)
		return;
	if (op->lineno)
		snprintf(line, sizeof(line), "line %u: ", op->lineno);
	snprintf(b->errbuf, sizeof(b->errbuf), "%s%s failed (%s): %s", line,
		 op_descs[op->type].name, strerror(err),
		 op_object(op, obj, sizeof(obj)));
	b->have_err = true;
}

/*
 * Reads what the kernel queued while it processed the batch (it does so
 * inside sendmsg): nothing on success, one NLMSG_ERROR per refused
 * object.  Returns 0, the first errno, or ERESTART for a stale genid.
 */
static int batch_errors(struct backend *b, uint32_t begin_seq)
{
	char buf[NFT_REQ_BUFSIZ];
	int first = 0, n;

	for (;;) {
		n = recv(mnl_socket_get_fd(b->nl), buf, sizeof(buf),
			 MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ?
			       first : errno;
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			struct nft_op *op;

			if (nlh->nlmsg_type != NLMSG_ERROR || !e->error)
				continue;
			if (-e->error == ERESTART && nlh->nlmsg_seq == begin_seq)
				return ERESTART;
			op = op_by_seq(b, nlh->nlmsg_seq);
			if (op)
				note_error(b, op, -e->error);
			if (!first)
				first = -e->error;
		}
	}
}

int nft_batch_commit(struct backend *b)
{
	struct nftnl_batch *batch;
	uint32_t begin_seq;
	int err = 0;

	if (!b->ops)
		return 0;
	for (int tries = 0; tries < NFT_RESTART_MAX; tries++) {
		if (!b->have_genid && nft_cache_genid(b) < 0)
			return -1;
		begin_seq = b->seq;
		batch = batch_build(b);
		if (!batch)
			return -1;
		err = batch_send(b, batch) < 0 ? errno : 0;
		nftnl_batch_free(batch);
		if (!err)
			err = batch_errors(b, begin_seq);
		if (err != ERESTART)
			break;
		/* Raced: same objects, fresh generation id (doc 4.6). */
		b->have_genid = false;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
