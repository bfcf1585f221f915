// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctnetlink through libmnl: dumps (filtered in the kernel by family and
 * mark), the flow count, masked mark updates and deletes sent in batches,
 * and events.  libnetfilter_conntrack has no CTA_MARK_MASK and sends one
 * message per request, so changes are built here; see
 * shared/design/conntrack-facts.md for the kernel's behaviour.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_compat.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct.h"
#include "nfnl.h"

/* The kernel fills dump messages up to 32 KiB when the reader's buffer
 * is that large, fewer recvmsg() calls than with libmnl's 8 KiB. */
#define CT_NL_RECV_SIZE		32768
/* Changes go out in batches of about this many bytes. */
#define CT_NL_BATCH_SIZE	32768
/* Worst-case receive-buffer cost of one error answer (an skb's truesize)
 * and the buffer asked for: every answer of a batch must fit, or the
 * kernel drops some and the counts would be wrong. */
#define CT_NL_ANSWER_COST	1024
#define CT_NL_RCVBUF		(1 << 20)
/* Events come in bursts; conntrack -E keeps the default 208 KiB. */
#define CT_NL_EVENT_RCVBUF	(4 << 20)

struct ct_nl {
	struct mnl_socket *sock;	/* requests, dumps, events */
	struct mnl_socket *bsock;	/* batched changes, opened on use */
	unsigned int seq;
	char *buf;			/* CT_NL_RECV_SIZE */
	char *bbuf;			/* 2 * CT_NL_BATCH_SIZE */
	struct mnl_nlmsg_batch *batch;
	unsigned int queued, max_queued;
	struct ct_nl_result result;
};

/* ---- decoding ---- */

/* Attributes of a nest by type; later duplicates win, unknown types are
 * left out (newer kernels add some). */
static void nest_table(const struct nlattr *nest, const struct nlattr **tb,
		       unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest) {
		unsigned int type = mnl_attr_get_type(a);

		if (type <= max)
			tb[type] = a;
	}
}

static bool get_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < 1)
		return false;
	*v = mnl_attr_get_u8(a);
	return true;
}

static bool get_be16(const struct nlattr *a, uint16_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < 2)
		return false;
	*v = ntohs(mnl_attr_get_u16(a));
	return true;
}

static bool get_be32(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < 4)
		return false;
	*v = ntohl(mnl_attr_get_u32(a));
	return true;
}

static bool get_be64(const struct nlattr *a, uint64_t *v)
{
	uint64_t raw;

	if (!a || mnl_attr_get_payload_len(a) < 8)
		return false;
	memcpy(&raw, mnl_attr_get_payload(a), 8);
	*v = be64toh(raw);
	return true;
}

static void addr_get(const struct nlattr *a, union ct_inaddr *addr,
		     size_t len)
{
	if (a && mnl_attr_get_payload_len(a) >= len)
		memcpy(addr, mnl_attr_get_payload(a), len);
}

static void tuple_proto_decode(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_PROTO_MAX + 1];
	unsigned int k;

	nest_table(nest, tb, CTA_PROTO_MAX);
	get_u8(tb[CTA_PROTO_NUM], &t->proto);
	if (get_be16(tb[CTA_PROTO_SRC_PORT], &t->sport) &&
	    get_be16(tb[CTA_PROTO_DST_PORT], &t->dport))
		t->has |= CT_TUPLE_PORTS;
	/* ICMPv6 has the same three attributes, numbered 3 higher. */
	k = tb[CTA_PROTO_ICMPV6_TYPE] ? CTA_PROTO_ICMPV6_ID - CTA_PROTO_ICMP_ID : 0;
	if (get_u8(tb[CTA_PROTO_ICMP_TYPE + k], &t->icmp_type)) {
		t->has |= CT_TUPLE_ICMP;
		get_u8(tb[CTA_PROTO_ICMP_CODE + k], &t->icmp_code);
		get_be16(tb[CTA_PROTO_ICMP_ID + k], &t->icmp_id);
	}
}

static int tuple_decode(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1], *ip[CTA_IP_MAX + 1];

	memset(t, 0, sizeof(*t));
	nest_table(nest, tb, CTA_TUPLE_MAX);
	if (!tb[CTA_TUPLE_IP] || !tb[CTA_TUPLE_PROTO])
		return -1;
	nest_table(tb[CTA_TUPLE_IP], ip, CTA_IP_MAX);
	if (ip[CTA_IP_V4_SRC]) {
		addr_get(ip[CTA_IP_V4_SRC], &t->src, 4);
		addr_get(ip[CTA_IP_V4_DST], &t->dst, 4);
	} else {
		addr_get(ip[CTA_IP_V6_SRC], &t->src, 16);
		addr_get(ip[CTA_IP_V6_DST], &t->dst, 16);
	}
	tuple_proto_decode(tb[CTA_TUPLE_PROTO], t);
	return 0;
}

static void counters_decode(const struct nlattr *nest, struct ct_flow *f,
			    int dir)
{
	const struct nlattr *tb[CTA_COUNTERS_MAX + 1];

	nest_table(nest, tb, CTA_COUNTERS_MAX);
	if (get_be64(tb[CTA_COUNTERS_PACKETS], &f->packets[dir]) &&
	    get_be64(tb[CTA_COUNTERS_BYTES], &f->bytes[dir]))
		f->has |= CT_HAS_COUNTERS;
}

static void tcp_decode(const struct nlattr *nest, struct ct_flow *f)
{
	const struct nlattr *tb[CTA_PROTOINFO_MAX + 1];
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1];

	nest_table(nest, tb, CTA_PROTOINFO_MAX);
	if (!tb[CTA_PROTOINFO_TCP])
		return;
	nest_table(tb[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX);
	if (get_u8(tcp[CTA_PROTOINFO_TCP_STATE], &f->tcp_state))
		f->has |= CT_HAS_TCP;
}

/* Plain 32-bit attributes: where each goes and which bit says so. */
static const struct {
	uint16_t type;
	uint16_t has;
	size_t offset;
} u32_attrs[] = {
	{ CTA_STATUS,	CT_HAS_STATUS,	offsetof(struct ct_flow, status) },
	{ CTA_TIMEOUT,	CT_HAS_TIMEOUT,	offsetof(struct ct_flow, timeout) },
	{ CTA_MARK,	CT_HAS_MARK,	offsetof(struct ct_flow, mark) },
	{ CTA_USE,	CT_HAS_USE,	offsetof(struct ct_flow, use) },
	{ CTA_ID,	CT_HAS_ID,	offsetof(struct ct_flow, id) },
};

int ct_flow_decode(const struct nlmsghdr *nlh, struct ct_flow *f)
{
	const struct nlattr *tb[CTA_MAX + 1];
	const struct nfgenmsg *nfg;
	const struct nlattr *a;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nfg)))
		goto bad;
	nfg = mnl_nlmsg_get_payload(nlh);
	f->nlh = nlh;
	f->family = nfg->nfgen_family;
	memset(tb, 0, sizeof(tb));
	mnl_attr_for_each(a, nlh, sizeof(*nfg)) {
		unsigned int type = mnl_attr_get_type(a);

		if (type <= CTA_MAX)
			tb[type] = a;
	}
	f->orig_attr = tb[CTA_TUPLE_ORIG];
	if (!f->orig_attr || tuple_decode(f->orig_attr, &f->orig) < 0)
		goto bad;
	if (tb[CTA_TUPLE_REPLY] && tuple_decode(tb[CTA_TUPLE_REPLY],
						&f->reply) == 0)
		f->has |= CT_HAS_REPLY;
	for (i = 0; i < sizeof(u32_attrs) / sizeof(u32_attrs[0]); i++)
		if (get_be32(tb[u32_attrs[i].type],
			     (uint32_t *)((char *)f + u32_attrs[i].offset)))
			f->has |= u32_attrs[i].has;
	if (get_be16(tb[CTA_ZONE], &f->zone))
		f->zone_attr = tb[CTA_ZONE];
	if (tb[CTA_PROTOINFO])
		tcp_decode(tb[CTA_PROTOINFO], f);
	if (tb[CTA_COUNTERS_ORIG])
		counters_decode(tb[CTA_COUNTERS_ORIG], f, 0);
	if (tb[CTA_COUNTERS_REPLY])
		counters_decode(tb[CTA_COUNTERS_REPLY], f, 1);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* ---- sockets and requests ---- */

struct ct_nl *ct_nl_open(bool events)
{
	unsigned int groups = events ? NF_NETLINK_CONNTRACK_NEW |
				       NF_NETLINK_CONNTRACK_UPDATE |
				       NF_NETLINK_CONNTRACK_DESTROY : 0;
	struct ct_nl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return NULL;
	nl->buf = malloc(CT_NL_RECV_SIZE);
	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->buf || !nl->sock ||
	    mnl_socket_bind(nl->sock, groups, MNL_SOCKET_AUTOPID) < 0) {
		ct_nl_close(nl);
		return NULL;
	}
	if (groups) {
		int fd = mnl_socket_get_fd(nl->sock), size = CT_NL_EVENT_RCVBUF;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			       sizeof(size)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size,
				   sizeof(size));
	}
	nl->seq = time(NULL);
	return nl;
}

void ct_nl_close(struct ct_nl *nl)
{
	int saved = errno;

	if (!nl)
		return;
	if (nl->batch)
		mnl_nlmsg_batch_stop(nl->batch);
	if (nl->sock)
		mnl_socket_close(nl->sock);
	if (nl->bsock)
		mnl_socket_close(nl->bsock);
	free(nl->bbuf);
	free(nl->buf);
	free(nl);
	errno = saved;
}

/* A ctnetlink request header with its nfgenmsg. */
static struct nlmsghdr *ct_nl_put(void *buf, uint8_t msg, uint16_t flags,
				  uint8_t family, unsigned int seq)
{
	return nfnl_request_build(buf, NFNL_SUBSYS_CTNETLINK, msg, family,
				  flags, seq);
}

struct dump_ctx {
	ct_flow_fn fn;
	void *data;
	bool raw;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct ct_flow f;

	if ((nlh->nlmsg_type & 0xff) != IPCTNL_MSG_CT_NEW)
		return MNL_CB_OK;
	if (d->raw) {
		/* The message alone: a listing prints it, nothing else. */
		f = (struct ct_flow){ .nlh = nlh };
	} else if (ct_flow_decode(nlh, &f) < 0) {
		return MNL_CB_ERROR;
	}
	return d->fn(&f, d->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Sends @nlh and runs @cb over the answers until the dump ends or, for a
 * plain request, its one answer has been read. */
static int ct_nl_talk(struct ct_nl *nl, const struct nlmsghdr *nlh,
		      mnl_cb_t cb, void *data)
{
	unsigned int portid = mnl_socket_get_portid(nl->sock);
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, CT_NL_RECV_SIZE);
		if (n < 0)
			return -1;
		ret = mnl_cb_run(nl->buf, n, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP && dump);
	return ret < 0 ? -1 : 0;
}

int ct_nl_dump(struct ct_nl *nl, uint8_t family, const uint32_t *mark,
	       bool raw, ct_flow_fn fn, void *data)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx d = { fn, data, raw };
	struct nlmsghdr *nlh;

	nlh = ct_nl_put(req, IPCTNL_MSG_CT_GET, NLM_F_DUMP, family, ++nl->seq);
	if (mark) {
		/* The kernel compares (ct->mark & mask) == value. */
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(mark[0]));
		mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(mark[1]));
	}
	return ct_nl_talk(nl, nlh, dump_cb, &d);
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	uint32_t n;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == CTA_STATS_GLOBAL_ENTRIES &&
		    get_be32(a, &n))
			*(unsigned long *)data = n;
	return MNL_CB_OK;
}

int ct_nl_count(struct ct_nl *nl, unsigned long *count)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	*count = ULONG_MAX;
	nlh = ct_nl_put(req, IPCTNL_MSG_CT_GET_STATS, 0, AF_UNSPEC, ++nl->seq);
	if (ct_nl_talk(nl, nlh, stats_cb, count) < 0)
		return -1;
	if (*count == ULONG_MAX) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* ---- batched changes ---- */

static int batch_open(struct ct_nl *nl)
{
	int size = CT_NL_RCVBUF, one = 1, fd;
	socklen_t len = sizeof(size);

	nl->bsock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->bsock || mnl_socket_bind(nl->bsock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	fd = mnl_socket_get_fd(nl->bsock);
	/* Error answers without a copy of the request: smaller. */
	mnl_socket_setsockopt(nl->bsock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) < 0)
		return -1;
	nl->max_queued = size / CT_NL_ANSWER_COST;
	if (nl->max_queued < 1)
		nl->max_queued = 1;
	nl->bbuf = malloc(2 * CT_NL_BATCH_SIZE);
	if (!nl->bbuf)
		return -1;
	nl->batch = mnl_nlmsg_batch_start(nl->bbuf, CT_NL_BATCH_SIZE);
	return nl->batch ? 0 : -1;
}

/* Reads the answers of a sent batch: the kernel handles the messages of
 * one send before returning from it, and without NLM_F_ACK it answers
 * failures only, so what is queued now is all there is. */
static int batch_drain(struct ct_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int fd = mnl_socket_get_fd(nl->bsock);
	const struct nlmsghdr *nlh;
	const struct nlmsgerr *e;
	ssize_t n;
	int len;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		len = n;
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error == 0)
				continue;
			if (e->error == -ENOENT) {
				nl->result.gone++;
			} else {
				if (!nl->result.failed++)
					nl->result.first_errno = -e->error;
			}
		}
	}
}

/* Sends the @msgs messages at the head of the batch. */
static int batch_send(struct ct_nl *nl, unsigned int msgs)
{
	struct mnl_nlmsg_batch *b = nl->batch;

	if (mnl_nlmsg_batch_size(b) == 0)
		return 0;
	if (mnl_socket_sendto(nl->bsock, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0)
		return -1;
	nl->result.sent += msgs;
	return batch_drain(nl);
}

static struct nlmsghdr *batch_put(struct ct_nl *nl, uint8_t msg,
				  const struct ct_flow *f)
{
	const struct nlattr *t = f->orig_attr;
	struct nlmsghdr *nlh;

	if (!nl->bsock && batch_open(nl) < 0)
		return NULL;
	nlh = ct_nl_put(mnl_nlmsg_batch_current(nl->batch), msg, 0,
			f->family, ++nl->seq);
	/* The tuple as the kernel gave it; a zone is part of the key. */
	mnl_attr_put(nlh, t->nla_type, mnl_attr_get_payload_len(t),
		     mnl_attr_get_payload(t));
	if (f->zone_attr)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(f->zone));
	return nlh;
}

/* The message just written is queued; send when the batch is full or its
 * answers could overrun the receive buffer. */
static int batch_next(struct ct_nl *nl)
{
	int ret;

	if (!mnl_nlmsg_batch_next(nl->batch)) {
		/* It did not fit: it moves to the head of the next batch. */
		ret = batch_send(nl, nl->queued);
		mnl_nlmsg_batch_reset(nl->batch);
		nl->queued = 1;
		return ret;
	}
	if (++nl->queued < nl->max_queued)
		return 0;
	ret = batch_send(nl, nl->queued);
	mnl_nlmsg_batch_reset(nl->batch);
	nl->queued = 0;
	return ret;
}

int ct_nl_queue_update(struct ct_nl *nl, const struct ct_flow *f,
		       uint32_t value, uint32_t mask)
{
	struct nlmsghdr *nlh = batch_put(nl, IPCTNL_MSG_CT_NEW, f);

	if (!nlh)
		return -1;
	/* Without NLM_F_CREATE an existing flow is changed, never made:
	 * new mark = (old & ~CTA_MARK_MASK) ^ CTA_MARK. */
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(value));
	mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(mask));
	return batch_next(nl);
}

int ct_nl_queue_delete(struct ct_nl *nl, const struct ct_flow *f)
{
	struct nlmsghdr *nlh = batch_put(nl, IPCTNL_MSG_CT_DELETE, f);

	if (!nlh)
		return -1;
	/* With the id, a new flow that took the tuple meanwhile stays. */
	if (f->has & CT_HAS_ID)
		mnl_attr_put_u32(nlh, CTA_ID, htonl(f->id));
	return batch_next(nl);
}

int ct_nl_flush(struct ct_nl *nl)
{
	int ret;

	if (!nl->batch)
		return 0;
	ret = batch_send(nl, nl->queued);
	mnl_nlmsg_batch_reset(nl->batch);
	nl->queued = 0;
	return ret;
}

const struct ct_nl_result *ct_nl_result(const struct ct_nl *nl)
{
	return &nl->result;
}

/* ---- events ---- */

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	struct ct_flow f;
	int ret;

	if (ct_flow_decode(nlh, &f) < 0)
		return MNL_CB_OK;	/* not a flow: nothing to show */
	switch (nlh->nlmsg_type & 0xff) {
	case IPCTNL_MSG_CT_NEW:
		f.event = nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL) ?
			  CT_EV_NEW : CT_EV_UPDATE;
		break;
	case IPCTNL_MSG_CT_DELETE:
		f.event = CT_EV_DESTROY;
		break;
	default:
		return MNL_CB_OK;
	}
	ret = d->fn(&f, d->data);
	if (ret < 0)
		return MNL_CB_ERROR;
	return ret > 0 ? MNL_CB_STOP : MNL_CB_OK;
}

int ct_nl_events(struct ct_nl *nl, ct_flow_fn fn, void *data,
		 volatile sig_atomic_t *stop)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock),
			      .events = POLLIN };
	struct dump_ctx d = { fn, data, false };
	int ret = MNL_CB_OK, err = 0;
	sigset_t block, old;
	ssize_t n;

	/* Signals only while waiting in ppoll(), so none is missed between
	 * the test of *stop and the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!*stop && ret == MNL_CB_OK) {
		if (ppoll(&pfd, 1, NULL, &old) < 0) {
			if (errno != EINTR)
				ret = MNL_CB_ERROR;
			continue;
		}
		n = recv(pfd.fd, nl->buf, CT_NL_RECV_SIZE, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				ret = MNL_CB_ERROR;
			continue;
		}
		ret = mnl_cb_run(nl->buf, n, 0, 0, event_cb, &d);
	}
	if (ret == MNL_CB_ERROR)
		err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return err ? -1 : 0;
}
