// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netlink exchange every audit reader makes: a socket on a bus, one
 * request, its answers to a callback.
 */
#include <errno.h>
#include <time.h>
#include <libmnl/libmnl.h>

#include "audit-read.h"

struct mnl_socket *audit_nl_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open(bus);

	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}

int audit_nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, char *buf,
		  mnl_cb_t cb, void *data)
{
	unsigned int seq = nlh->nlmsg_seq = time(NULL);
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t n = mnl_socket_recvfrom(nl, buf, AUDIT_DUMP_SIZE);

		ret = n < 0 ? -1 : mnl_cb_run(buf, n, seq,
					      mnl_socket_get_portid(nl), cb,
					      data);
	} while (ret > 0);
	return ret;
}
