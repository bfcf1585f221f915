// SPDX-License-Identifier: GPL-2.0-or-later
/* The family-independent view of a rule's base selectors (nft-expr.h),
 * for the builder and the decoder alike. */
#include "nft-expr.h"

#include <string.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

void nft_ip_view_init(struct nft_ip_view *v, struct rule *r)
{
	memset(v, 0, sizeof(*v));
	if (r->family == NFPROTO_IPV6) {
		struct ip6t_ip6 *ip = &r->entry.v6.ipv6;

		v->iniface = ip->iniface;
		v->outiface = ip->outiface;
		v->iniface_mask = ip->iniface_mask;
		v->outiface_mask = ip->outiface_mask;
		v->src = ip->src.s6_addr;
		v->dst = ip->dst.s6_addr;
		v->smsk = ip->smsk.s6_addr;
		v->dmsk = ip->dmsk.s6_addr;
		v->proto = &ip->proto;
		v->flags = &ip->flags;
		v->invflags = &ip->invflags;
		v->addrlen = 16;
		v->src_off = 8;
		v->dst_off = 24;
		v->proto_off = 6;
		v->goto_flag = IP6T_F_GOTO;
		v->proto_flag = IP6T_F_PROTO;
		return;
	}
	struct ipt_ip *ip = &r->entry.v4.ip;

	v->iniface = ip->iniface;
	v->outiface = ip->outiface;
	v->iniface_mask = ip->iniface_mask;
	v->outiface_mask = ip->outiface_mask;
	v->src = (uint8_t *)&ip->src;
	v->dst = (uint8_t *)&ip->dst;
	v->smsk = (uint8_t *)&ip->smsk;
	v->dmsk = (uint8_t *)&ip->dmsk;
	v->proto = &ip->proto;
	v->flags = &ip->flags;
	v->invflags = &ip->invflags;
	v->addrlen = 4;
	v->src_off = 12;
	v->dst_off = 16;
	v->proto_off = 9;
	v->goto_flag = IPT_F_GOTO;
	v->ipv4 = true;
}
