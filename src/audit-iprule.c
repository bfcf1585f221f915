// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit: "ip rule" and "ip -6 rule" selectors on the packet mark
 * (fwmark/mask), read with one rtnetlink dump of every family's rules.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "audit-read.h"

struct iprule_read {
	struct audit *a;
	unsigned long rules;
	/* the rule being added, for its text */
	const struct fib_rule_hdr *hdr;
	uint32_t mark, mask, table, pref;
	const char *iif, *oif;
};

/* As "ip rule" prints it, the parts that matter here. */
static char *iprule_text(const void *arg)
{
	const struct iprule_read *rd = arg;
	char *s = NULL;

	if (asprintf(&s, "ip%s rule pref %u %sfwmark 0x%x/0x%x%s%s%s%s lookup %u",
		     rd->hdr->family == AF_INET6 ? " -6" : "", rd->pref,
		     rd->hdr->flags & FIB_RULE_INVERT ? "not " : "", rd->mark,
		     rd->mask, rd->iif ? " iif " : "", rd->iif ? rd->iif : "",
		     rd->oif ? " oif " : "", rd->oif ? rd->oif : "",
		     rd->table) < 0)
		return NULL;
	return s;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= FRA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int iprule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct iprule_read *rd = data;
	const struct nlattr *tb[FRA_MAX + 1] = { NULL };
	const struct fib_rule_hdr *hdr = mnl_nlmsg_get_payload(nlh);
	struct audit_site site = { .source = AUDIT_SRC_IPRULE };
	struct audit_use use = { .word = AUDIT_PACKET, .how = AUDIT_ROUTE,
				 .value_known = true };

	mnl_attr_parse(nlh, sizeof(*hdr), attr_cb, tb);
	/* the kernel reports the mask whenever a mark selector is set */
	rd->mark = tb[FRA_FWMARK] ? mnl_attr_get_u32(tb[FRA_FWMARK]) : 0;
	rd->mask = tb[FRA_FWMASK] ? mnl_attr_get_u32(tb[FRA_FWMASK]) :
		   rd->mark ? UINT32_MAX : 0;
	if (!rd->mask)
		return MNL_CB_OK;
	rd->hdr = hdr;
	rd->table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : hdr->table;
	rd->pref = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	rd->iif = tb[FRA_IIFNAME] ? mnl_attr_get_str(tb[FRA_IIFNAME]) : NULL;
	rd->oif = tb[FRA_OIFNAME] ? mnl_attr_get_str(tb[FRA_OIFNAME]) : NULL;
	use.value = rd->mark & rd->mask;
	use.mask = rd->mask;
	use.invert = hdr->flags & FIB_RULE_INVERT;
	site.family = hdr->family == AF_INET6 ? "ip6" : "ip";
	site.rt_table = rd->table;
	site.pref = rd->pref;
	site.iniface = rd->iif;
	site.outiface = rd->oif;
	site.text = iprule_text;
	site.text_arg = rd;
	rd->rules++;
	return audit_add(rd->a, &site, &use, 1) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int audit_read_iprules(struct audit *a)
{
	struct iprule_read rd = { .a = a };
	struct mnl_socket *nl = audit_nl_open(NETLINK_ROUTE);
	char *buf = calloc(1, AUDIT_DUMP_SIZE);
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *hdr;
	int ret = -1, e;

	if (!nl || !buf)
		goto out;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	hdr = mnl_nlmsg_put_extra_header(nlh, sizeof(*hdr));
	hdr->family = AF_UNSPEC;	/* every family's rules */
	ret = audit_nl_talk(nl, nlh, buf, iprule_cb, &rd);
	if (ret == 0)
		audit_note_source(a, "ip rules", rd.rules, NULL);
out:
	e = errno;
	free(buf);
	if (nl)
		mnl_socket_close(nl);
	errno = e;
	return ret < 0 ? -1 : 0;
}
