// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The transaction (nft-batch.h): each object is written into the batch
 * when it is queued, so a restore holds the batch bytes and a small
 * record per object, nothing more.  commit() sends BEGIN (with the
 * generation id), the objects and END with one sendmsg and maps the
 * kernel's errors back to the object by sequence number.  A skipped
 * object keeps its message and its sequence number, unsent: the batch is
 * then sent as one buffer without it.  A batch raced by another process
 * (ERESTART: the generation id changed) is nft-retry.c's.
 */
#include "nft-batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#define NFT_BATCH_PAGE	(2 * 1024 * 1024)
/* The first page starts small and grows: a single command's batch then
 * stays on the heap, with no mmap() of its own. */
#define NFT_BATCH_FIRST	(2 * 1024)
/* nla_len is 16 bits: a rule's expressions stay under 64 KiB. */
#define NFT_MSG_MAXSIZE	(72 * 1024)
/* Room asked for before writing a message; a rule that does not fit is
 * written again after the page grew by NFT_MSG_MAXSIZE. */
#define NFT_MSG_GUESS	1024
#define NFT_BATCH_SMALL	16384
#define NFT_BATCH_SMALL_OPS 16

/* What an op's message carries, and how errors name it. */
enum nft_obj {
	NFT_OBJ_TABLE,
	NFT_OBJ_CHAIN,
	NFT_OBJ_RULE,
};

static const struct {
	const char *what;
	uint16_t name_attr;
} obj_names[] = {
	[NFT_OBJ_TABLE]	= { "table", NFTA_TABLE_NAME },
	[NFT_OBJ_CHAIN]	= { "chain", NFTA_CHAIN_NAME },
	[NFT_OBJ_RULE]	= { "rule in chain", NFTA_RULE_CHAIN },
};

struct nft_op_desc {
	const char *name;	/* in error messages */
	uint16_t msg;		/* NFT_MSG_* */
	uint16_t flags;		/* besides NLM_F_REQUEST */
	enum nft_obj obj;
};

static const struct nft_op_desc op_descs[] = {
	[NFT_OP_TABLE_ADD]	= { "TABLE_ADD", NFT_MSG_NEWTABLE, NLM_F_CREATE,
				    NFT_OBJ_TABLE },
	[NFT_OP_TABLE_FLUSH]	= { "TABLE_FLUSH", NFT_MSG_DELTABLE, 0,
				    NFT_OBJ_TABLE },
	[NFT_OP_CHAIN_ADD]	= { "CHAIN_ADD", NFT_MSG_NEWCHAIN, NLM_F_CREATE,
				    NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_USER_ADD]	= { "CHAIN_USER_ADD", NFT_MSG_NEWCHAIN,
				    NLM_F_EXCL, NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_DEL]	= { "CHAIN_DEL", NFT_MSG_DELCHAIN, NLM_F_NONREC,
				    NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_UPDATE]	= { "CHAIN_UPDATE", NFT_MSG_NEWCHAIN, 0,
				    NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_UPDATE_CREATE] = { "CHAIN_UPDATE", NFT_MSG_NEWCHAIN,
					 NLM_F_CREATE, NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_RENAME]	= { "CHAIN_RENAME", NFT_MSG_NEWCHAIN, 0,
				    NFT_OBJ_CHAIN },
	[NFT_OP_CHAIN_ZERO]	= { "CHAIN_ZERO", NFT_MSG_NEWCHAIN, NLM_F_CREATE,
				    NFT_OBJ_CHAIN },
	[NFT_OP_RULE_APPEND]	= { "RULE_APPEND", NFT_MSG_NEWRULE,
				    NLM_F_CREATE | NLM_F_APPEND, NFT_OBJ_RULE },
	[NFT_OP_RULE_INSERT]	= { "RULE_INSERT", NFT_MSG_NEWRULE, NLM_F_CREATE,
				    NFT_OBJ_RULE },
	[NFT_OP_RULE_REPLACE]	= { "RULE_REPLACE", NFT_MSG_NEWRULE,
				    NLM_F_CREATE | NLM_F_REPLACE, NFT_OBJ_RULE },
	[NFT_OP_RULE_DELETE]	= { "RULE_DELETE", NFT_MSG_DELRULE, 0,
				    NFT_OBJ_RULE },
	[NFT_OP_RULE_FLUSH]	= { "RULE_FLUSH", NFT_MSG_DELRULE, 0,
				    NFT_OBJ_RULE },
};

/* Room for @need more bytes in @p, which grows zeroed: attribute padding
 * we skip over is sent as zeros. */
static int page_reserve(struct nft_page *p, size_t need)
{
	size_t cap = p->cap;
	char *buf;

	if (p->len + need <= p->cap)
		return 0;
	while (cap < p->len + need)
		cap *= 2;
	buf = realloc(p->buf, cap);
	if (!buf)
		return -1;
	memset(buf + p->cap, 0, cap - p->cap);
	p->buf = buf;
	p->cap = cap;
	return 0;
}

/* A page after the first, zeroed, aligned so that its first 2 MiB can be
 * one huge page: a kube-proxy restore's batch of 70 MiB otherwise takes
 * 18,000 page faults to write, a fifth of markctl's own time. */
static void *page_alloc(size_t cap)
{
	void *buf;

	if (posix_memalign(&buf, NFT_BATCH_PAGE, cap))
		return NULL;
	madvise(buf, NFT_BATCH_PAGE, MADV_HUGEPAGE);
	memset(buf, 0, cap);
	return buf;
}

/* The page the next message of up to @need bytes goes to.  Ops address
 * messages by page and offset, so a page may move when it grows. */
static struct nft_page *batch_page(struct nft_batch *bt, size_t need)
{
	struct nft_page *p = bt->npages ? &bt->pages[bt->npages - 1] : NULL;

	if (p && p->len < NFT_BATCH_PAGE)
		return page_reserve(p, need) < 0 ? NULL : p;
	if (bt->npages == UINT16_MAX) {
		errno = E2BIG;
		return NULL;
	}
	if (bt->npages == bt->pages_cap) {
		unsigned int cap = bt->pages_cap ? bt->pages_cap * 2 : 4;

		p = realloc(bt->pages, cap * sizeof(*p));
		if (!p)
			return NULL;
		bt->pages = p;
		bt->pages_cap = cap;
	}
	p = &bt->pages[bt->npages];
	p->cap = bt->npages ? NFT_BATCH_PAGE + NFT_MSG_MAXSIZE : NFT_BATCH_FIRST;
	p->buf = bt->npages ? page_alloc(p->cap) : calloc(1, p->cap);
	if (!p->buf)
		return NULL;
	p->len = 0;
	bt->npages++;
	return page_reserve(p, need) < 0 ? NULL : p;
}

static void put_batch_marker(char *buf, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	/* BEGIN's generation id is written at each send */
	if (type == NFNL_MSG_BATCH_BEGIN)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, 0);
}

/* Page 0 starts with BEGIN, whose seq numbers the objects after it. */
static int batch_start(struct nft_batch *bt)
{
	struct nft_page *p;

	if (bt->npages)
		return 0;
	p = batch_page(bt, NFT_MSG_GUESS);
	if (!p)
		return -1;
	bt->begin_seq = bt->sock->seq++;
	put_batch_marker(p->buf, NFNL_MSG_BATCH_BEGIN, bt->begin_seq);
	p->len = ((struct nlmsghdr *)p->buf)->nlmsg_len;
	return 0;
}

struct nft_op *nft_op_at(const struct nft_batch *bt, unsigned int i)
{
	return &bt->op_blocks[i / NFT_OPS_BLOCK][i % NFT_OPS_BLOCK];
}

static struct nft_op *op_new(struct nft_batch *bt)
{
	unsigned int blk = bt->nops / NFT_OPS_BLOCK;

	if (bt->nops % NFT_OPS_BLOCK == 0) {
		if (blk == bt->op_blocks_cap) {
			unsigned int cap = blk ? blk * 2 : 1;
			struct nft_op **blocks;

			blocks = realloc(bt->op_blocks, cap * sizeof(*blocks));
			if (!blocks)
				return NULL;
			bt->op_blocks = blocks;
			bt->op_blocks_cap = cap;
		}
		bt->op_blocks[blk] = malloc(NFT_OPS_BLOCK *
					   sizeof(**bt->op_blocks));
		if (!bt->op_blocks[blk])
			return NULL;
	}
	return nft_op_at(bt, bt->nops);
}

/* A new op of @type at the end of the batch, not yet counted: its message
 * goes to @p->buf + @p->len. */
static struct nft_op *op_reserve(struct nft_batch *bt, enum nft_op_type type,
				 const struct rule_cmd *cmd, size_t need,
				 struct nft_page **pp)
{
	struct nft_page *p;
	struct nft_op *op;

	if (batch_start(bt) < 0)
		return NULL;
	p = batch_page(bt, need);
	op = p ? op_new(bt) : NULL;
	if (!op)
		return NULL;
	*op = (struct nft_op) {
		.off = p->len,
		.page = bt->npages - 1,
		.type = type,
		.lineno = cmd ? cmd->lineno : 0,
		.restore = cmd && cmd->from_restore,
	};
	*pp = p;
	return op;
}

static void op_commit(struct nft_batch *bt, struct nft_page *p,
		      const struct nlmsghdr *nlh)
{
	p->len += MNL_ALIGN(nlh->nlmsg_len);
	bt->nops++;
}

static uint32_t op_seq(const struct nft_batch *bt)
{
	return bt->begin_seq + 1 + bt->nops;
}

struct nft_op *nft_op_add_table(struct nft_batch *bt, enum nft_op_type type,
				const struct rule_cmd *cmd, const char *name)
{
	const struct nft_op_desc *d = &op_descs[type];
	struct nft_page *p;
	struct nft_op *op = op_reserve(bt, type, cmd, NFT_MSG_GUESS, &p);

	if (op)
		op_commit(bt, p, nft_table_build(p->buf + p->len, d->msg,
						 bt->sock->family, d->flags,
						 op_seq(bt), name));
	return op;
}

struct nft_op *nft_op_add_chain(struct nft_batch *bt, enum nft_op_type type,
				const struct rule_cmd *cmd,
				const struct nft_chain_attrs *a)
{
	const struct nft_op_desc *d = &op_descs[type];
	struct nft_page *p;
	struct nft_op *op = op_reserve(bt, type, cmd, NFT_MSG_GUESS, &p);

	if (op)
		op_commit(bt, p, nft_chain_build(p->buf + p->len, d->msg,
						 bt->sock->family, d->flags,
						 op_seq(bt), a));
	return op;
}

struct nft_op *nft_op_add_rule_ref(struct nft_batch *bt,
				   enum nft_op_type type,
				   const struct rule_cmd *cmd,
				   const char *table, const char *chain,
				   uint64_t handle, uint32_t id)
{
	const struct nft_op_desc *d = &op_descs[type];
	struct nft_page *p;
	struct nft_op *op = op_reserve(bt, type, cmd, NFT_MSG_GUESS, &p);

	if (op)
		op_commit(bt, p, nft_rule_ref_build(p->buf + p->len, d->msg,
						    bt->sock->family,
						    d->flags, op_seq(bt),
						    table, chain, handle,
						    id));
	return op;
}

struct nft_op *nft_op_add_msg(struct nft_batch *bt, enum nft_op_type type,
			      const struct rule_cmd *cmd,
			      const struct nlmsghdr *src)
{
	const struct nft_op_desc *d = &op_descs[type];
	struct nlmsghdr *nlh;
	struct nft_page *p;
	struct nft_op *op = op_reserve(bt, type, cmd, src->nlmsg_len, &p);

	if (!op)
		return NULL;
	nlh = memcpy(p->buf + p->len, src, src->nlmsg_len);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | d->msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | d->flags;
	nlh->nlmsg_seq = op_seq(bt);
	op_commit(bt, p, nlh);
	return op;
}

struct nft_op *nft_op_add_rule(struct nft_batch *bt, enum nft_op_type type,
			       const struct rule_cmd *cmd,
			       const struct nft_rule_attrs *a,
			       const struct rule *r)
{
	const struct nft_op_desc *d = &op_descs[type];
	struct nlmsghdr *nlh;
	struct nft_page *p;
	struct nft_op *op = op_reserve(bt, type, cmd, NFT_MSG_GUESS, &p);

	if (!op)
		return NULL;
	/* every rule op is a NEWRULE, its flags per type */
	nlh = nft_rule_build(p->buf + p->len, p->cap - p->len,
			     bt->sock->family, d->flags, op_seq(bt), a, r);
	if (!nlh && errno == EMSGSIZE &&
	    page_reserve(p, NFT_MSG_MAXSIZE) == 0)
		nlh = nft_rule_build(p->buf + p->len, p->cap - p->len,
				     bt->sock->family, d->flags, op_seq(bt),
				     a, r);
	if (!nlh)
		return NULL;
	op_commit(bt, p, nlh);
	return op;
}

const struct nlmsghdr *nft_op_msg(const struct nft_batch *bt,
				  const struct nft_op *op)
{
	return (const struct nlmsghdr *)(bt->pages[op->page].buf + op->off);
}

int nft_op_set_ref(struct nft_op *op, uint64_t handle, struct nft_op *ref)
{
	if (!op->ref) {
		op->ref = calloc(1, sizeof(*op->ref));
		if (!op->ref)
			return -1;
	}
	op->ref->handle = handle;
	op->ref->op = handle ? NULL : ref;
	return 0;
}

static unsigned int op_index(const struct nft_batch *bt,
			     const struct nft_op *op)
{
	for (unsigned int i = 0; i * NFT_OPS_BLOCK < bt->nops; i++)
		if (op >= bt->op_blocks[i] &&
		    op < bt->op_blocks[i] + NFT_OPS_BLOCK)
			return i * NFT_OPS_BLOCK + (op - bt->op_blocks[i]);
	abort();	/* not one of ours */
}

/*
 * iptables-nft numbers a queued rule only once another object refers to
 * it, so its message grows by the attribute then: libnftnl puts RULE_ID
 * after COMPAT and before POSITION_ID.  Later messages of the page move.
 */
static int msg_insert_id(struct nft_batch *bt, struct nft_op *op, uint32_t id)
{
	struct nft_page *p = &bt->pages[op->page];
	struct nlmsghdr *nlh = (struct nlmsghdr *)(p->buf + op->off);
	size_t at = op->off + nlh->nlmsg_len, len = MNL_ATTR_HDRLEN + 4;
	struct nlattr *last = NULL, *a;
	unsigned int i;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		last = a;
	if (last && mnl_attr_get_type(last) == NFTA_RULE_POSITION_ID)
		at = (char *)last - p->buf;
	if (page_reserve(p, len) < 0)
		return -1;
	nlh = (struct nlmsghdr *)(p->buf + op->off);
	memmove(p->buf + at + len, p->buf + at, p->len - at);
	a = (struct nlattr *)(p->buf + at);
	a->nla_len = len;
	a->nla_type = NFTA_RULE_ID;
	*(uint32_t *)(a + 1) = htonl(id);
	nlh->nlmsg_len += len;
	p->len += len;
	for (i = op_index(bt, op) + 1; i < bt->nops; i++) {
		struct nft_op *next = nft_op_at(bt, i);

		if (next->page != op->page)
			break;
		next->off += len;
	}
	return 0;
}

void nft_op_skip(struct nft_batch *bt, struct nft_op *op, bool skip)
{
	if (op->skip != skip)
		bt->nskip += skip ? 1 : -1;
	op->skip = skip;
}

void nft_op_redo(struct nft_batch *bt, struct nft_op *op, enum nft_redo r)
{
	op->redo = r;
	bt->redo = true;
}

uint32_t nft_op_rule_id(struct nft_batch *bt, struct nft_op *op)
{
	if (op->ref && op->ref->rule_id)
		return op->ref->rule_id;
	if (nft_op_set_ref(op, op->ref ? op->ref->handle : 0,
			   op->ref ? op->ref->op : NULL) < 0 ||
	    msg_insert_id(bt, op, bt->next_rule_id + 1) < 0)
		return 0;
	op->ref->rule_id = ++bt->next_rule_id;
	return op->ref->rule_id;
}

void nft_batch_init(struct nft_batch *bt, struct nft_sock *s,
		    struct nft_err *e)
{
	*bt = (struct nft_batch) { .sock = s, .err = e };
}

void nft_batch_reset(struct nft_batch *bt)
{
	for (unsigned int i = 0; i < bt->nops; i++)
		free(nft_op_at(bt, i)->ref);
	for (unsigned int i = 0; i * NFT_OPS_BLOCK < bt->nops; i++)
		free(bt->op_blocks[i]);
	free(bt->op_blocks);
	bt->op_blocks = NULL;
	bt->nops = bt->op_blocks_cap = 0;
	for (unsigned int i = 0; i < bt->npages; i++)
		free(bt->pages[i].buf);
	free(bt->pages);
	bt->pages = NULL;
	bt->npages = bt->pages_cap = 0;
	bt->next_rule_id = 0;
	bt->nskip = 0;
	bt->redo = false;
}

/* Buffers sized as iptables-nft sizes them: the send buffer takes the
 * batch, the receive buffer a page per object (an error quoting it) and
 * two more.  A small batch and its few possible errors fit the defaults,
 * which spares two syscalls. */
static bool batch_small(const struct nft_batch *bt, size_t bytes)
{
	return bytes <= NFT_BATCH_SMALL && bt->nops <= NFT_BATCH_SMALL_OPS;
}

static void set_buffers(struct nft_batch *bt, size_t bytes)
{
	int fd = mnl_socket_get_fd(bt->sock->nl);
	int snd = bt->npages * NFT_BATCH_PAGE;
	int rcv = getpagesize() * (bt->nops + 2);

	if (batch_small(bt, bytes))
		return;
	/* our pages may run into their overrun (libnftnl's never do) */
	if ((size_t)snd < bytes)
		snd = bytes;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &snd, sizeof(snd)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof(snd));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
}

/*
 * The messages not skipped, in one buffer: BEGIN, then each op's.  The
 * skipped ones keep their sequence numbers, unused: the kernel answers
 * by the numbers it is sent.
 */
static char *batch_flatten(const struct nft_batch *bt, size_t *len)
{
	const struct nlmsghdr *begin = (struct nlmsghdr *)bt->pages[0].buf;
	size_t bytes = 0, off = MNL_ALIGN(begin->nlmsg_len);
	char *buf;

	for (unsigned int i = 0; i < bt->npages; i++)
		bytes += bt->pages[i].len;
	buf = malloc(bytes);
	if (!buf)
		return NULL;
	memcpy(buf, begin, off);
	for (unsigned int i = 0; i < bt->nops; i++) {
		const struct nft_op *op = nft_op_at(bt, i);
		const struct nlmsghdr *nlh = nft_op_msg(bt, op);

		if (op->skip)
			continue;
		memcpy(buf + off, nlh, MNL_ALIGN(nlh->nlmsg_len));
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	*len = off;
	return buf;
}

/*
 * The generation id the batch goes with, read as late as can be: the
 * kernel refuses the batch if the ruleset changed after it, and copying
 * a large batch into the kernel takes a while that others commit in.  A
 * large batch stands on the id its cache was read at: it is read again
 * here, and one that moved is a race found before the copy (ERESTART,
 * nothing sent).
 */
static int batch_genid(struct nft_batch *bt, bool large)
{
	uint32_t stood_on = bt->sock->genid;
	bool had = bt->sock->have_genid;

	if (had && !large)
		return 0;
	if (nft_sock_genid(bt->sock) < 0)
		return -1;
	if (had && bt->sock->genid != stood_on) {
		errno = ERESTART;
		return -1;
	}
	return 0;
}

/* The pages as they are (or flattened, if an op is skipped), END from
 * @end; BEGIN gets the generation id. */
static int batch_send(struct nft_batch *bt, char *end)
{
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	struct nlmsghdr *begin = (struct nlmsghdr *)bt->pages[0].buf;
	unsigned int n = (bt->nskip ? 1 : bt->npages) + 1;
	struct iovec *iov = calloc(n, sizeof(*iov));
	struct msghdr msg = {
		.msg_name = &snl,
		.msg_namelen = sizeof(snl),
		.msg_iov = iov,
		.msg_iovlen = n,
	};
	char *flat = NULL;
	size_t bytes = 0;
	ssize_t ret = -1;

	if (!iov)
		return -1;
	if (bt->nskip) {
		flat = batch_flatten(bt, &bytes);
		if (!flat) {
			free(iov);
			return -1;
		}
		iov[0].iov_base = flat;
		iov[0].iov_len = bytes;
	}
	for (unsigned int i = 0; !flat && i < bt->npages; i++) {
		iov[i].iov_base = bt->pages[i].buf;
		iov[i].iov_len = bt->pages[i].len;
		bytes += bt->pages[i].len;
	}
	iov[n - 1].iov_base = end;
	iov[n - 1].iov_len = ((struct nlmsghdr *)end)->nlmsg_len;
	set_buffers(bt, bytes);
	if (batch_genid(bt, !batch_small(bt, bytes)) == 0) {
		begin = iov[0].iov_base;
		*(uint32_t *)mnl_attr_get_payload(
			mnl_nlmsg_get_payload_offset(begin,
						     sizeof(struct nfgenmsg))) =
			htonl(bt->sock->genid);
		ret = sendmsg(mnl_socket_get_fd(bt->sock->nl), &msg, 0);
	}
	free(flat);
	free(iov);
	return ret < 0 ? -1 : 0;
}

static struct nft_op *op_by_seq(struct nft_batch *bt, uint32_t seq)
{
	uint32_t i = seq - bt->begin_seq - 1;

	return seq > bt->begin_seq && i < bt->nops ? nft_op_at(bt, i) : NULL;
}

/* The name attribute @type of @op's message, "" if absent. */
static const char *msg_name(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == type &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	return "";
}

static const char *op_object(const struct nft_batch *bt, const struct nft_op *op,
			     char *buf, size_t len)
{
	enum nft_obj obj = op_descs[op->type].obj;

	snprintf(buf, len, "%s %s", obj_names[obj].what,
		 msg_name(nft_op_msg(bt, op), obj_names[obj].name_attr));
	return buf;
}

/* The refusal, worded as iptables-nft 1.8.9 words it: iptables keeps the
 * first, iptables-restore lists every one, one a line, with its line
 * number (a refusal that no longer fits is left out whole). */
static void note_error(struct nft_batch *bt, struct nft_op *op, int err)
{
	char obj[RULE_CHAIN_MAXLEN + 32], line[32] = "", msg[512];

	if (nft_err_text(bt->err) && !op->restore)
		return;
	if (op->restore)
		snprintf(line, sizeof(line), "line %u: ", op->lineno);
	snprintf(msg, sizeof(msg), "%s%s failed (%s): %s", line,
		 op_descs[op->type].name, strerror(err),
		 op_object(bt, op, obj, sizeof(obj)));
	nft_err_append(bt->err, msg);
}

/*
 * Reads what the kernel queued while it processed the batch (it does so
 * inside sendmsg): nothing on success, one NLMSG_ERROR per refused
 * object.  Returns 0, the first errno, or ERESTART for a stale genid.
 */
static int batch_errors(struct nft_batch *bt)
{
	int fd = mnl_socket_get_fd(bt->sock->nl);
	int first = 0, n;

	for (;;) {
		char *buf;

		/* The size first: a batch that went through reads nothing,
		 * and an error quoting a big rule still fits. */
		n = recv(fd, NULL, 0, MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ?
			       first : errno;
		buf = malloc(n ? n : 1);
		if (!buf)
			return errno;
		n = recv(fd, buf, n, MSG_DONTWAIT);
		if (n < 0) {
			free(buf);
			return errno;
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			struct nft_op *op;

			if (nlh->nlmsg_type != NLMSG_ERROR || !e->error)
				continue;
			if (-e->error == ERESTART &&
			    nlh->nlmsg_seq == bt->begin_seq) {
				free(buf);
				return ERESTART;
			}
			op = op_by_seq(bt, nlh->nlmsg_seq);
			if (op)
				note_error(bt, op, -e->error);
			if (!first)
				first = -e->error;
		}
		free(buf);
	}
}

int nft_batch_commit(struct nft_batch *bt)
{
	char end[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg))] = { 0 };
	int err;

	/* nothing queued; ops that are all skipped still go as BEGIN and
	 * END, for the kernel to check the generation id they stand on */
	if (!bt->nops)
		return 0;
	put_batch_marker(end, NFNL_MSG_BATCH_END, bt->begin_seq + 1 + bt->nops);
	bt->sock->seq = bt->begin_seq + 2 + bt->nops;
	err = batch_send(bt, end) < 0 ? errno : 0;
	if (!err)
		err = batch_errors(bt);
	if (err == ERESTART)
		bt->sock->have_genid = false;	/* it moved on */
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
