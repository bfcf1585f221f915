// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit: marks set or matched outside netfilter, where they are
 * cheap to read.  A WireGuard interface's fwmark is written over the whole
 * packet mark of every packet the tunnel sends; xfrm states select
 * packets by mark (XFRMA_MARK) and may set one (XFRMA_SET_MARK), xfrm
 * policies select by mark.  A kernel without WireGuard is noted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/wireguard.h>
#include <linux/xfrm.h>

#include "audit-read.h"

/* ---- WireGuard ---- */

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* The generic netlink family of WireGuard, 0 if the kernel has none. */
static int wg_family(struct mnl_socket *nl, char *buf, uint16_t *id)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	*id = 0;
	if (audit_nl_talk(nl, nlh, buf, family_cb, id) < 0)
		return errno == ENOENT ? 0 : -1;
	return 0;
}

struct wg_dev {
	unsigned int ifindex;
	char name[IFNAMSIZ];
	uint32_t fwmark;
};

struct wg_devs {
	struct wg_dev *v;
	unsigned int n;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct wg_devs *devs = data;
	const struct nlattr *a, *k;
	const char *name = NULL;
	bool wg = false;
	void *g;

	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		if (mnl_attr_get_type(a) == IFLA_IFNAME)
			name = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(k, a)
			if (mnl_attr_get_type(k) == IFLA_INFO_KIND &&
			    strcmp(mnl_attr_get_str(k), "wireguard") == 0)
				wg = true;
	}
	if (!wg || !name)
		return MNL_CB_OK;
	g = realloc(devs->v, (devs->n + 1) * sizeof(*devs->v));
	if (!g)
		return MNL_CB_ERROR;
	devs->v = g;
	devs->v[devs->n] = (struct wg_dev){ .ifindex = ifi->ifi_index };
	snprintf(devs->v[devs->n].name, IFNAMSIZ, "%s", name);
	devs->n++;
	return MNL_CB_OK;
}

static int wg_links(char *buf, struct wg_devs *devs)
{
	struct mnl_socket *nl = audit_nl_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int ret, e;

	if (!nl)
		return -1;
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ret = audit_nl_talk(nl, nlh, buf, link_cb, devs);
	e = errno;
	mnl_socket_close(nl);
	errno = e;
	return ret;
}

static int device_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == WGDEVICE_A_FWMARK)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static char *wg_text(const void *arg)
{
	const struct wg_dev *d = arg;
	char *s = NULL;

	return asprintf(&s, "wg set %s fwmark 0x%x", d->name, d->fwmark) < 0 ?
	       NULL : s;
}

static int wg_device(struct audit *a, struct mnl_socket *nl, char *buf,
		     uint16_t id, struct wg_dev *d)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct audit_site site = { .source = AUDIT_SRC_WIREGUARD,
				   .iniface = d->name, .text = wg_text,
				   .text_arg = d };
	struct audit_use use = { .word = AUDIT_PACKET, .how = AUDIT_SET_WHOLE,
				 .mask = UINT32_MAX, .value_known = true };

	nlh->nlmsg_type = id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = WG_CMD_GET_DEVICE;
	g->version = WG_GENL_VERSION;
	mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, d->ifindex);
	if (audit_nl_talk(nl, nlh, buf, device_cb, &d->fwmark) < 0)
		return errno == ENODEV ? 0 : -1;
	use.value = d->fwmark;
	return d->fwmark ? audit_add(a, &site, &use, 1) : 0;
}

int audit_read_wireguard(struct audit *a)
{
	struct mnl_socket *nl = audit_nl_open(NETLINK_GENERIC);
	char *buf = calloc(1, AUDIT_DUMP_SIZE);
	struct wg_devs devs = { NULL, 0 };
	uint16_t id = 0;
	int ret = -1, e;

	if (!nl || !buf || wg_family(nl, buf, &id) < 0)
		goto out;
	if (!id) {
		audit_note_source(a, "wireguard", -1, "not in this kernel");
		ret = 0;
		goto out;
	}
	ret = wg_links(buf, &devs);
	for (unsigned int i = 0; ret == 0 && i < devs.n; i++)
		ret = wg_device(a, nl, buf, id, &devs.v[i]);
	if (ret == 0)
		audit_note_source(a, "wireguard", devs.n, NULL);
out:
	e = errno;
	free(devs.v);
	free(buf);
	if (nl)
		mnl_socket_close(nl);
	errno = e;
	return ret < 0 ? -1 : 0;
}

/* ---- xfrm ---- */

struct xfrm_read {
	struct audit *a;
	bool policies;
	unsigned long count;
	char what[128];		/* the state or policy, for the text */
	struct audit_use uses[2];
};

static char *xfrm_text(const void *arg)
{
	const struct xfrm_read *rd = arg;
	char *s = NULL, *u0 = audit_use_text(&rd->uses[0]);
	int n = asprintf(&s, "ip xfrm %s: %s", rd->what, u0 ? u0 : "?");

	free(u0);
	return n < 0 ? NULL : s;
}

static int xfrm_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_read *rd = data;
	struct audit_site site = { .source = AUDIT_SRC_XFRM, .text = xfrm_text,
				   .text_arg = rd };
	size_t hdr = rd->policies ? sizeof(struct xfrm_userpolicy_info) :
				    sizeof(struct xfrm_usersa_info);
	const struct xfrm_usersa_info *sa = mnl_nlmsg_get_payload(nlh);
	const struct xfrm_userpolicy_info *pol = mnl_nlmsg_get_payload(nlh);
	uint32_t set = 0, set_mask = UINT32_MAX;
	const struct nlattr *a;
	unsigned int n = 0;

	mnl_attr_for_each(a, nlh, hdr) {
		const struct xfrm_mark *m = mnl_attr_get_payload(a);

		if (mnl_attr_get_type(a) == XFRMA_MARK && m->m)
			rd->uses[n++] = (struct audit_use){
				.word = AUDIT_PACKET, .how = AUDIT_MATCH,
				.value = m->v & m->m, .mask = m->m,
				.value_known = true };
		else if (mnl_attr_get_type(a) == XFRMA_SET_MARK)
			set = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == XFRMA_SET_MARK_MASK)
			set_mask = mnl_attr_get_u32(a);
	}
	if (set && n < 2)
		rd->uses[n++] = (struct audit_use){
			.word = AUDIT_PACKET, .value = set & set_mask,
			.mask = set_mask, .value_known = true,
			.how = set_mask == UINT32_MAX ? AUDIT_SET_WHOLE : AUDIT_SET };
	if (rd->policies)
		snprintf(rd->what, sizeof(rd->what), "policy dir %u index %u",
			 pol->dir, pol->index);
	else
		snprintf(rd->what, sizeof(rd->what), "state proto %u spi 0x%x",
			 sa->id.proto, ntohl(sa->id.spi));
	rd->count += n > 0;
	return audit_add(rd->a, &site, rd->uses, n) < 0 ? MNL_CB_ERROR :
							   MNL_CB_OK;
}

int audit_read_xfrm(struct audit *a)
{
	struct mnl_socket *nl = audit_nl_open(NETLINK_XFRM);
	char *buf = calloc(1, AUDIT_DUMP_SIZE);
	struct xfrm_read rd = { .a = a };
	int ret = -1, e;

	for (int i = 0; nl && buf && i < 2; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

		rd.policies = i == 1;
		nlh->nlmsg_type = rd.policies ? XFRM_MSG_GETPOLICY :
						XFRM_MSG_GETSA;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		ret = audit_nl_talk(nl, nlh, buf, xfrm_cb, &rd);
		if (ret < 0)
			break;
	}
	if (ret == 0)
		audit_note_source(a, "xfrm", rd.count, NULL);
	else if (!nl && errno == EPROTONOSUPPORT) {
		audit_note_source(a, "xfrm", -1, "not in this kernel");
		ret = 0;
	}
	e = errno;
	free(buf);
	if (nl)
		mnl_socket_close(nl);
	errno = e;
	return ret < 0 ? -1 : 0;
}
