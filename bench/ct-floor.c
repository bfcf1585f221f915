// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/ct-floor VALUE MASK: the least work a masked update of every flow
 * takes, the floor markctl ct update is measured against: one dump of
 * all flows and, per flow, one CT_NEW with its original tuple, zone,
 * CTA_MARK and CTA_MARK_MASK, in batches of 32 KiB without acks, the
 * answers (failures only) read after each batch.  No filters, no checks
 * beyond what keeps it correct; prints the number of messages sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#define BATCH 32768

static struct mnl_socket *bsock;
static struct mnl_nlmsg_batch *batch;
static unsigned long sent, failed, queued;
static uint32_t value, mask;
static unsigned int seq;

static void drain(void)
{
	char buf[8192];
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(bsock), buf, sizeof(buf),
			 MSG_DONTWAIT)) > 0)
		failed++;
}

static void flush(void)
{
	if (mnl_socket_sendto(bsock, mnl_nlmsg_batch_head(batch),
			      mnl_nlmsg_batch_size(batch)) < 0) {
		perror("sendto");
		exit(1);
	}
	sent += queued;
	drain();
}

static int flow_cb(const struct nlmsghdr *dump, void *data)
{
	const struct nfgenmsg *dfg = mnl_nlmsg_get_payload(dump);
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	const struct nlattr *a;

	(void)data;
	nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(batch));
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = dfg->nfgen_family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_for_each(a, dump, sizeof(*dfg)) {
		uint16_t type = mnl_attr_get_type(a);

		if (type == CTA_TUPLE_ORIG || type == CTA_ZONE)
			mnl_attr_put(nlh, a->nla_type,
				     mnl_attr_get_payload_len(a),
				     mnl_attr_get_payload(a));
	}
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(value));
	mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(mask));
	if (!mnl_nlmsg_batch_next(batch)) {
		flush();
		mnl_nlmsg_batch_reset(batch);
		queued = 1;
	} else if (++queued == 256) {
		flush();
		mnl_nlmsg_batch_reset(batch);
		queued = 0;
	}
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	static char buf[32768], bbuf[2 * BATCH];
	struct mnl_socket *sock;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	int size = 1 << 20, ret;
	ssize_t n;

	if (argc != 3)
		return 2;
	value = strtoul(argv[1], NULL, 0);
	mask = strtoul(argv[2], NULL, 0);
	sock = mnl_socket_open(NETLINK_NETFILTER);
	bsock = mnl_socket_open(NETLINK_NETFILTER);
	if (!sock || !bsock || mnl_socket_bind(sock, 0, 0) < 0 ||
	    mnl_socket_bind(bsock, 0, 0) < 0)
		return 1;
	setsockopt(mnl_socket_get_fd(bsock), SOL_SOCKET, SO_RCVBUFFORCE,
		   &size, sizeof(size));
	batch = mnl_nlmsg_batch_start(bbuf, BATCH);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq = time(NULL);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	memset(nfg, 0, sizeof(*nfg));
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return 1;
	do {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		if (n < 0)
			return 1;
		ret = mnl_cb_run(buf, n, 0, 0, flow_cb, NULL);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return 1;
	if (mnl_nlmsg_batch_size(batch))
		flush();
	printf("%lu sent, %lu failed\n", sent, failed);
	return 0;
}
