/* ground-truth capture: dump all rules of a family, print libnftnl view + hex of the whole message */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter.h>

static int cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	char buf[8192];
	(void)data;
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0) { perror("parse"); return MNL_CB_ERROR; }
	nftnl_rule_snprintf(buf, sizeof(buf), r, NFTNL_OUTPUT_DEFAULT, 0);
	printf("%s\n", buf);
	printf("HEX ");
	for (unsigned i = 0; i < nlh->nlmsg_len; i++) printf("%02x", ((unsigned char *)nlh)[i]);
	printf("\n");
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	int family = argc > 1 ? atoi(argv[1]) : NFPROTO_IPV4;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	uint32_t seq = time(NULL), portid;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, family, NLM_F_DUMP, seq);
	int ret;
	mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID);
	portid = mnl_socket_get_portid(nl);
	mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, cb, NULL);
		if (ret <= 0) break;
	}
	mnl_socket_close(nl);
	return 0;
}
