// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule -> nf_tables expressions, in the order and encoding of iptables-nft
 * 1.8.9: interfaces, protocol, addresses, fragment flag, each match (tcp,
 * udp, mark rev 1 and limit natively, everything else nft_compat), one
 * counter, then the verdict or target.  Every load goes to register 1.
 */
#include "nft.h"
#include "nft-expr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/xt_limit.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>


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

/* Takes @e (may be NULL after a failed allocation) into @nlr. */
static int add_expr(struct nftnl_rule *nlr, struct nftnl_expr *e)
{
	if (!e) {
		errno = ENOMEM;
		return -1;
	}
	nftnl_rule_add_expr(nlr, e);
	return 0;
}

static int add_meta_load(struct nftnl_rule *nlr, uint32_t key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	return add_expr(nlr, e);
}

static int add_payload(struct nftnl_rule *nlr, uint32_t base, uint32_t off,
		       uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	}
	return add_expr(nlr, e);
}

/* reg1 = (reg1 & mask) ^ 0 */
static int add_bitwise(struct nftnl_rule *nlr, const void *mask, uint32_t len)
{
	static const uint8_t zero[16];
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	}
	return add_expr(nlr, e);
}

static int add_cmp(struct nftnl_rule *nlr, uint32_t op, const void *data,
		   uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return add_expr(nlr, e);
}

static int add_range16(struct nftnl_rule *nlr, uint32_t op, uint16_t lo,
		       uint16_t hi)
{
	struct nftnl_expr *e = nftnl_expr_alloc("range");

	lo = htons(lo);
	hi = htons(hi);
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, &lo, sizeof(lo));
		nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, &hi, sizeof(hi));
	}
	return add_expr(nlr, e);
}

static uint32_t cmp_op(bool invert)
{
	return invert ? NFT_CMP_NEQ : NFT_CMP_EQ;
}

/* "eth0" compares name and NUL; "eth+" only the prefix; "+" nothing, and
 * "! +" (never true) an impossible name. */
static int build_iface(struct nftnl_rule *nlr, uint32_t key, const char *name,
		       bool invert)
{
	size_t len = strnlen(name, IFNAMSIZ);

	if (len == 0)
		return 0;
	if (add_meta_load(nlr, key) < 0)
		return -1;
	if (name[len - 1] != '+')
		return add_cmp(nlr, cmp_op(invert), name,
			       len < IFNAMSIZ ? len + 1 : len);
	if (len > 1)
		return add_cmp(nlr, cmp_op(invert), name, len - 1);
	if (invert)
		return add_cmp(nlr, NFT_CMP_EQ, "INVAL/D", sizeof("INVAL/D"));
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* A prefix on a byte boundary loads only the prefix bytes; any other mask
 * loads the whole address and masks it. */
static int build_addr(struct nftnl_rule *nlr, uint32_t off, const uint8_t *addr,
		      const uint8_t *mask, size_t len, bool invert)
{
	size_t i = 0;
	bool bitwise;

	if (all_zero(addr, len) && all_zero(mask, len) && !invert)
		return 0;
	while (i < len && mask[i] == 0xff)
		i++;
	bitwise = i < len && !all_zero(mask + i, len - i);
	if (!bitwise)
		len = i;
	if (add_payload(nlr, NFT_PAYLOAD_NETWORK_HEADER, off, len) < 0)
		return -1;
	if (bitwise && add_bitwise(nlr, mask, len) < 0)
		return -1;
	return add_cmp(nlr, cmp_op(invert), addr, len);
}

static int build_selectors(struct nftnl_rule *nlr, struct nft_ip_view *v)
{
	uint8_t inv = *v->invflags;

	if (build_iface(nlr, NFT_META_IIFNAME, v->iniface,
			inv & IPT_INV_VIA_IN) < 0 ||
	    build_iface(nlr, NFT_META_OIFNAME, v->outiface,
			inv & IPT_INV_VIA_OUT) < 0)
		return -1;
	if (*v->proto) {
		uint8_t proto = *v->proto;

		if (add_meta_load(nlr, NFT_META_L4PROTO) < 0 ||
		    add_cmp(nlr, cmp_op(inv & XT_INV_PROTO), &proto, 1) < 0)
			return -1;
	}
	if (build_addr(nlr, v->src_off, v->src, v->smsk, v->addrlen,
		       inv & IPT_INV_SRCIP) < 0 ||
	    build_addr(nlr, v->dst_off, v->dst, v->dmsk, v->addrlen,
		       inv & IPT_INV_DSTIP) < 0)
		return -1;
	if (v->ipv4 && (*v->flags & IPT_F_FRAG)) {
		static const uint8_t fmask[2] = { 0x1f, 0xff }, zero[2];

		if (add_payload(nlr, NFT_PAYLOAD_NETWORK_HEADER, NFT_FRAG_OFF,
				NFT_FRAG_LEN) < 0 ||
		    add_bitwise(nlr, fmask, sizeof(fmask)) < 0 ||
		    add_cmp(nlr, (inv & IPT_INV_FRAG) ? NFT_CMP_EQ : NFT_CMP_NEQ,
			    zero, sizeof(zero)) < 0)
			return -1;
	}
	return 0;
}

static int add_compat(struct nftnl_rule *nlr, const char *type,
		      const char *name, uint32_t rev, const void *info,
		      uint32_t len)
{
	bool match = strcmp(type, "match") == 0;
	struct nftnl_expr *e = nftnl_expr_alloc(type);
	/* libnftnl keeps (and frees) the INFO buffer it is given. */
	void *copy = malloc(len ? len : 1);

	if (!e || !copy) {
		nftnl_expr_free(e);
		free(copy);
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, info, len);
	nftnl_expr_set_str(e, match ? NFTNL_EXPR_MT_NAME : NFTNL_EXPR_TG_NAME,
			   name);
	nftnl_expr_set_u32(e, match ? NFTNL_EXPR_MT_REV : NFTNL_EXPR_TG_REV,
			   rev);
	nftnl_expr_set(e, match ? NFTNL_EXPR_MT_INFO : NFTNL_EXPR_TG_INFO,
		       copy, len);
	return add_expr(nlr, e);
}

static int build_compat_match(struct nftnl_rule *nlr,
			      const struct xt_entry_match *m)
{
	return add_compat(nlr, "match", m->u.user.name, m->u.user.revision,
			  m->data, m->u.match_size - sizeof(*m));
}

/* One port selector: a single port as cmp, 0..hi as cmp LTE (GT when
 * inverted), anything else as range; the full range is no test at all. */
static int build_ports(struct nftnl_rule *nlr, uint32_t off,
		       const uint16_t pts[2], bool invert)
{
	uint16_t be;

	if (pts[0] == 0 && pts[1] == 0xffff)
		return 0;	/* 1.8.9 drops even "! --sport 0:65535" */
	if (add_payload(nlr, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2) < 0)
		return -1;
	if (pts[0] == pts[1]) {
		be = htons(pts[0]);
		return add_cmp(nlr, cmp_op(invert), &be, sizeof(be));
	}
	if (pts[0] == 0) {
		be = htons(pts[1]);
		return add_cmp(nlr, invert ? NFT_CMP_GT : NFT_CMP_LTE, &be,
			       sizeof(be));
	}
	return add_range16(nlr, invert ? NFT_RANGE_NEQ : NFT_RANGE_EQ,
			   pts[0], pts[1]);
}

/* Two single ports with the same inversion share one 4-byte load. */
static int build_tcpudp(struct nftnl_rule *nlr, const uint16_t spts[2],
			bool sinv, const uint16_t dpts[2], bool dinv)
{
	if (spts[0] && spts[0] == spts[1] && dpts[0] && dpts[0] == dpts[1] &&
	    sinv == dinv) {
		uint32_t both = htonl((uint32_t)spts[0] << 16 | dpts[0]);

		if (add_payload(nlr, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4) < 0)
			return -1;
		return add_cmp(nlr, cmp_op(sinv), &both, sizeof(both));
	}
	if (build_ports(nlr, 0, spts, sinv) < 0)
		return -1;
	return build_ports(nlr, 2, dpts, dinv);
}

static bool ports_unset(const uint16_t spts[2], const uint16_t dpts[2])
{
	return spts[0] == 0 && spts[1] == 0xffff &&
	       dpts[0] == 0 && dpts[1] == 0xffff;
}

static int build_tcp(struct nftnl_rule *nlr, const struct rule *r,
		     const struct xt_entry_match *m)
{
	const struct xt_tcp *t = (const void *)m->data;
	const uint8_t native_inv = XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT |
				   XT_TCP_INV_FLAGS;

	if ((t->invflags & ~native_inv) || t->option ||
	    (ports_unset(t->spts, t->dpts) && !t->flg_mask && !t->flg_cmp &&
	     !t->invflags))
		return build_compat_match(nlr, m);
	if (rule_proto(r) != IPPROTO_TCP) {
		errno = EPROTOTYPE;
		return -1;
	}
	if (t->flg_mask) {
		if (add_payload(nlr, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1) < 0 ||
		    add_bitwise(nlr, &t->flg_mask, 1) < 0 ||
		    add_cmp(nlr, cmp_op(t->invflags & XT_TCP_INV_FLAGS),
			    &t->flg_cmp, 1) < 0)
			return -1;
	}
	return build_tcpudp(nlr, t->spts, t->invflags & XT_TCP_INV_SRCPT,
			    t->dpts, t->invflags & XT_TCP_INV_DSTPT);
}

static int build_udp(struct nftnl_rule *nlr, const struct rule *r,
		     const struct xt_entry_match *m)
{
	const struct xt_udp *u = (const void *)m->data;

	if (u->invflags > XT_UDP_INV_MASK ||
	    (ports_unset(u->spts, u->dpts) && !u->invflags))
		return build_compat_match(nlr, m);
	if (rule_proto(r) != IPPROTO_UDP) {
		errno = EPROTOTYPE;
		return -1;
	}
	return build_tcpudp(nlr, u->spts, u->invflags & XT_UDP_INV_SRCPT,
			    u->dpts, u->invflags & XT_UDP_INV_DSTPT);
}

/* Mark and mask in host order, as the kernel's meta register holds them. */
static int build_mark(struct nftnl_rule *nlr, const struct xt_entry_match *m)
{
	const struct xt_mark_mtinfo1 *info = (const void *)m->data;

	if (add_meta_load(nlr, NFT_META_MARK) < 0)
		return -1;
	if (info->mask != 0xffffffff &&
	    add_bitwise(nlr, &info->mask, sizeof(info->mask)) < 0)
		return -1;
	return add_cmp(nlr, cmp_op(info->invert), &info->mark,
		       sizeof(info->mark));
}

/* The largest unit (day, hour, minute, second) that still gives an exact
 * rate, as iptables-nft picks it. */
static int build_limit(struct nftnl_rule *nlr, const struct xt_entry_match *m)
{
	static const uint32_t mult[] = {
		XT_LIMIT_SCALE * 24 * 60 * 60, XT_LIMIT_SCALE * 60 * 60,
		XT_LIMIT_SCALE * 60, XT_LIMIT_SCALE,
	};
	const struct xt_rateinfo *ri = (const void *)m->data;
	struct nftnl_expr *e;
	unsigned int i;

	if (ri->avg == 0)
		return build_compat_match(nlr, m);
	for (i = 1; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (ri->avg > mult[i] || mult[i] / ri->avg < mult[i] % ri->avg)
			break;
	e = nftnl_expr_alloc("limit");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, 0);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE,
				   mult[i - 1] / ri->avg);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT,
				   mult[i - 1] / XT_LIMIT_SCALE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, ri->burst);
	}
	return add_expr(nlr, e);
}

struct native_match {
	const char *name;
	uint8_t revision;
	int (*build)(struct nftnl_rule *nlr, const struct rule *r,
		     const struct xt_entry_match *m);
};

static int build_mark_cb(struct nftnl_rule *nlr,
			 const struct rule *r __attribute__((unused)),
			 const struct xt_entry_match *m)
{
	return build_mark(nlr, m);
}

static int build_limit_cb(struct nftnl_rule *nlr,
			  const struct rule *r __attribute__((unused)),
			  const struct xt_entry_match *m)
{
	return build_limit(nlr, m);
}

/* The matches iptables-nft 1.8.9 turns into native expressions. */
static const struct native_match native_matches[] = {
	{ "tcp",	0, build_tcp },
	{ "udp",	0, build_udp },
	{ "mark",	1, build_mark_cb },
	{ "limit",	0, build_limit_cb },
};

static int build_match(struct nftnl_rule *nlr, const struct rule *r,
		       const struct xt_entry_match *m)
{
	for (size_t i = 0; i < sizeof(native_matches) / sizeof(native_matches[0]); i++) {
		const struct native_match *n = &native_matches[i];

		if (strcmp(m->u.user.name, n->name) == 0 &&
		    m->u.user.revision == n->revision)
			return n->build(nlr, r, m);
	}
	return build_compat_match(nlr, m);
}

static int add_verdict(struct nftnl_rule *nlr, int code, const char *chain)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, code);
		if (chain)
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	}
	return add_expr(nlr, e);
}

/* -j TRACE: meta nftrace set 1, through a 32-bit register. */
static int build_trace(struct nftnl_rule *nlr)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG32_01);
		nftnl_expr_set_u8(e, NFTNL_EXPR_IMM_DATA, 1);
	}
	if (add_expr(nlr, e) < 0)
		return -1;
	e = nftnl_expr_alloc("meta");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_NFTRACE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG32_01);
	}
	return add_expr(nlr, e);
}

/* -j NFLOG: the native log expression. */
static int build_nflog(struct nftnl_rule *nlr, const struct xt_entry_target *t)
{
	const struct xt_nflog_info *info = (const void *)t->data;
	struct nftnl_expr *e = nftnl_expr_alloc("log");

	if (e) {
		if (info->prefix[0])
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX,
					   info->prefix);
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, info->group);
		if (info->flags & XT_NFLOG_F_COPY_LEN)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN,
					   info->len);
		if (info->threshold)
			nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD,
					   info->threshold);
	}
	return add_expr(nlr, e);
}

static int build_target(struct nftnl_rule *nlr, const struct xt_entry_target *t)
{
	if (strcmp(t->u.user.name, "TRACE") == 0)
		return build_trace(nlr);
	if (strcmp(t->u.user.name, "NFLOG") == 0)
		return build_nflog(nlr, t);
	return add_compat(nlr, "target", t->u.user.name, t->u.user.revision,
			  t->data, t->u.target_size - sizeof(*t));
}

static int build_action(struct nftnl_rule *nlr, const struct rule *r)
{
	const struct xt_entry_target *t = r->target_data;

	switch (r->verdict) {
	case RULE_VERDICT_NONE:
		return 0;
	case RULE_VERDICT_ACCEPT:
		return add_verdict(nlr, NF_ACCEPT, NULL);
	case RULE_VERDICT_DROP:
		return add_verdict(nlr, NF_DROP, NULL);
	case RULE_VERDICT_RETURN:
		return add_verdict(nlr, NFT_RETURN, NULL);
	case RULE_VERDICT_JUMP:
		return add_verdict(nlr, NFT_JUMP, r->jump);
	case RULE_VERDICT_GOTO:
		return add_verdict(nlr, NFT_GOTO, r->jump);
	case RULE_VERDICT_TARGET:
		if (!t)
			break;
		return build_target(nlr, t);
	}
	errno = EINVAL;
	return -1;
}

static int build_counter(struct nftnl_rule *nlr, const struct rule *r)
{
	const struct xt_counters *c = r->family == NFPROTO_IPV6 ?
		&r->entry.v6.counters : &r->entry.v4.counters;
	struct nftnl_expr *e = nftnl_expr_alloc("counter");

	if (e) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, c->pcnt);
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, c->bcnt);
	}
	return add_expr(nlr, e);
}

int nft_rule_build(struct nftnl_rule *nlr, const struct rule *r)
{
	struct nft_ip_view v;

	/* The view is only read here. */
	nft_ip_view_init(&v, (struct rule *)r);
	if (build_selectors(nlr, &v) < 0)
		return -1;
	for (unsigned int i = 0; i < r->nmatches; i++)
		if (build_match(nlr, r, r->matches[i].data) < 0)
			return -1;
	if (build_counter(nlr, r) < 0 || build_action(nlr, r) < 0)
		return -1;
	/* Not stored by the kernel, but needed to bind protocol matches. */
	nftnl_rule_set_u32(nlr, NFTNL_RULE_COMPAT_PROTO, *v.proto);
	nftnl_rule_set_u32(nlr, NFTNL_RULE_COMPAT_FLAGS,
			   (*v.invflags & XT_INV_PROTO) ? NFT_RULE_COMPAT_F_INV : 0);
	return 0;
}

const char *nft_rule_check(const struct rule *r)
{
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;
		struct nftnl_rule *tmp = nftnl_rule_alloc();
		int ret;

		if (!tmp)
			return NULL;
		errno = 0;
		ret = build_match(tmp, r, m);
		nftnl_rule_free(tmp);
		if (ret < 0 && errno == EPROTOTYPE)
			return strcmp(m->u.user.name, "tcp") == 0 ?
			       "TCP match requires '-p tcp'" :
			       "UDP match requires '-p udp'";
	}
	return NULL;
}
