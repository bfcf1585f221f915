// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule -> nf_tables expressions, in the order and encoding of iptables-nft
 * 1.8.9: interfaces, protocol, addresses, fragment flag, each match (tcp,
 * udp, mark rev 1 and limit natively, everything else nft_compat), one
 * counter, then the verdict or target.  Every load goes to register 1.
 */
#include "nft-expr.h"
#include "nft-msg.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/xt_limit.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_tcpudp.h>

/*
 * Attributes go straight into the batch message, in the order and
 * encoding libnftnl 1.2 gives them (tests compare both byte for byte):
 * building libnftnl objects first cost more than a restore's parsing.
 */

/* Bounds for rule_size_bound(): selectors (two interfaces, protocol,
 * masked IPv6 addresses, fragment test), counter and verdict; and what a
 * match or target adds beyond its blob (a compat header, or the few
 * native expressions of tcp, udp, mark, limit, NFLOG, TRACE). */
#define NFT_RULE_FIXED_BOUND	2048
#define NFT_EXT_BOUND		512

/* NFTA_DATA_VALUE inside @type */
static void put_value(struct nft_out *o, uint16_t type, const void *data,
		      size_t len)
{
	struct nlattr *n = nft_out_nest(o, type);

	nft_out_put(o, NFTA_DATA_VALUE, data, len);
	nft_out_nest_end(o, n);
}

/* One list element: the expression's name, then its data nest, which
 * the caller fills and closes with expr_end(). */
struct nft_expr_nest {
	struct nlattr *elem, *data;
};

static struct nft_expr_nest expr_start(struct nft_out *o, const char *name)
{
	struct nft_expr_nest e;

	e.elem = nft_out_nest(o, NFTA_LIST_ELEM);
	nft_out_put_strz(o, NFTA_EXPR_NAME, name);
	e.data = nft_out_nest(o, NFTA_EXPR_DATA);
	return e;
}

static int expr_end(struct nft_out *o, struct nft_expr_nest e)
{
	nft_out_nest_end(o, e.data);
	nft_out_nest_end(o, e.elem);
	if (o->full) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

static int add_meta_load(struct nft_out *o, uint32_t key)
{
	struct nft_expr_nest e = expr_start(o, "meta");

	nft_out_put_be32(o, NFTA_META_KEY, key);
	nft_out_put_be32(o, NFTA_META_DREG, NFT_REG_1);
	return expr_end(o, e);
}

static int add_payload(struct nft_out *o, uint32_t base, uint32_t off,
		       uint32_t len)
{
	struct nft_expr_nest e = expr_start(o, "payload");

	nft_out_put_be32(o, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nft_out_put_be32(o, NFTA_PAYLOAD_BASE, base);
	nft_out_put_be32(o, NFTA_PAYLOAD_OFFSET, off);
	nft_out_put_be32(o, NFTA_PAYLOAD_LEN, len);
	return expr_end(o, e);
}

/* reg1 = (reg1 & mask) ^ 0 */
static int add_bitwise(struct nft_out *o, const void *mask, uint32_t len)
{
	static const uint8_t zero[16];
	struct nft_expr_nest e = expr_start(o, "bitwise");

	nft_out_put_be32(o, NFTA_BITWISE_SREG, NFT_REG_1);
	nft_out_put_be32(o, NFTA_BITWISE_DREG, NFT_REG_1);
	nft_out_put_be32(o, NFTA_BITWISE_LEN, len);
	put_value(o, NFTA_BITWISE_MASK, mask, len);
	put_value(o, NFTA_BITWISE_XOR, zero, len);
	return expr_end(o, e);
}

static int add_cmp(struct nft_out *o, uint32_t op, const void *data,
		   uint32_t len)
{
	struct nft_expr_nest e = expr_start(o, "cmp");

	nft_out_put_be32(o, NFTA_CMP_SREG, NFT_REG_1);
	nft_out_put_be32(o, NFTA_CMP_OP, op);
	put_value(o, NFTA_CMP_DATA, data, len);
	return expr_end(o, e);
}

static int add_range16(struct nft_out *o, uint32_t op, uint16_t lo,
		       uint16_t hi)
{
	struct nft_expr_nest e = expr_start(o, "range");

	lo = htons(lo);
	hi = htons(hi);
	nft_out_put_be32(o, NFTA_RANGE_SREG, NFT_REG_1);
	nft_out_put_be32(o, NFTA_RANGE_OP, op);
	put_value(o, NFTA_RANGE_FROM_DATA, &lo, sizeof(lo));
	put_value(o, NFTA_RANGE_TO_DATA, &hi, sizeof(hi));
	return expr_end(o, e);
}

static uint32_t cmp_op(bool invert)
{
	return invert ? NFT_CMP_NEQ : NFT_CMP_EQ;
}

/* "eth0" compares name and NUL; "eth+" only the prefix; "+" nothing, and
 * "! +" (never true) an impossible name. */
static int build_iface(struct nft_out *o, uint32_t key, const char *name,
		       bool invert)
{
	size_t len = strnlen(name, IFNAMSIZ);

	if (len == 0)
		return 0;
	if (add_meta_load(o, key) < 0)
		return -1;
	if (name[len - 1] != '+')
		return add_cmp(o, cmp_op(invert), name,
			       len < IFNAMSIZ ? len + 1 : len);
	if (len > 1)
		return add_cmp(o, cmp_op(invert), name, len - 1);
	if (invert)
		return add_cmp(o, NFT_CMP_EQ, "INVAL/D", sizeof("INVAL/D"));
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
static int build_addr(struct nft_out *o, uint32_t off, const uint8_t *addr,
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
	if (add_payload(o, NFT_PAYLOAD_NETWORK_HEADER, off, len) < 0)
		return -1;
	if (bitwise && add_bitwise(o, mask, len) < 0)
		return -1;
	return add_cmp(o, cmp_op(invert), addr, len);
}

static int build_selectors(struct nft_out *o, const struct rule_ipview *v,
			   uint8_t family)
{
	struct nft_ip_offsets off = nft_ip_offsets(family);
	uint8_t inv = *v->invflags;

	if (build_iface(o, NFT_META_IIFNAME, v->iniface,
			inv & IPT_INV_VIA_IN) < 0 ||
	    build_iface(o, NFT_META_OIFNAME, v->outiface,
			inv & IPT_INV_VIA_OUT) < 0)
		return -1;
	if (*v->proto) {
		uint8_t proto = *v->proto;

		if (add_meta_load(o, NFT_META_L4PROTO) < 0 ||
		    add_cmp(o, cmp_op(inv & XT_INV_PROTO), &proto, 1) < 0)
			return -1;
	}
	if (build_addr(o, off.src, v->src, v->smsk, v->addrlen,
		       inv & IPT_INV_SRCIP) < 0 ||
	    build_addr(o, off.dst, v->dst, v->dmsk, v->addrlen,
		       inv & IPT_INV_DSTIP) < 0)
		return -1;
	if (family == NFPROTO_IPV4 && (*v->flags & IPT_F_FRAG)) {
		static const uint8_t fmask[2] = { 0x1f, 0xff }, zero[2];

		if (add_payload(o, NFT_PAYLOAD_NETWORK_HEADER, NFT_FRAG_OFF,
				NFT_FRAG_LEN) < 0 ||
		    add_bitwise(o, fmask, sizeof(fmask)) < 0 ||
		    add_cmp(o, (inv & IPT_INV_FRAG) ? NFT_CMP_EQ : NFT_CMP_NEQ,
			    zero, sizeof(zero)) < 0)
			return -1;
	}
	return 0;
}

static int add_compat(struct nft_out *o, const char *type,
		      const char *name, uint32_t rev, const void *info,
		      uint32_t len)
{
	bool match = strcmp(type, "match") == 0;
	struct nft_expr_nest e = expr_start(o, type);

	nft_out_put_strz(o, match ? NFTA_MATCH_NAME : NFTA_TARGET_NAME, name);
	nft_out_put_be32(o, match ? NFTA_MATCH_REV : NFTA_TARGET_REV, rev);
	nft_out_put(o, match ? NFTA_MATCH_INFO : NFTA_TARGET_INFO, info, len);
	return expr_end(o, e);
}

static int build_compat_match(struct nft_out *o,
			      const struct xt_entry_match *m)
{
	return add_compat(o, "match", m->u.user.name, m->u.user.revision,
			  m->data, m->u.match_size - sizeof(*m));
}

/* One port selector: a single port as cmp, 0..hi as cmp LTE (GT when
 * inverted), anything else as range; the full range is no test at all. */
static int build_ports(struct nft_out *o, uint32_t off,
		       const uint16_t pts[2], bool invert)
{
	uint16_t be;

	if (pts[0] == 0 && pts[1] == 0xffff)
		return 0;	/* 1.8.9 drops even "! --sport 0:65535" */
	if (add_payload(o, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2) < 0)
		return -1;
	if (pts[0] == pts[1]) {
		be = htons(pts[0]);
		return add_cmp(o, cmp_op(invert), &be, sizeof(be));
	}
	if (pts[0] == 0) {
		be = htons(pts[1]);
		return add_cmp(o, invert ? NFT_CMP_GT : NFT_CMP_LTE, &be,
			       sizeof(be));
	}
	return add_range16(o, invert ? NFT_RANGE_NEQ : NFT_RANGE_EQ,
			   pts[0], pts[1]);
}

/* Two single ports with the same inversion share one 4-byte load. */
static int build_tcpudp(struct nft_out *o, const uint16_t spts[2],
			bool sinv, const uint16_t dpts[2], bool dinv)
{
	if (spts[0] && spts[0] == spts[1] && dpts[0] && dpts[0] == dpts[1] &&
	    sinv == dinv) {
		uint32_t both = htonl((uint32_t)spts[0] << 16 | dpts[0]);

		if (add_payload(o, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4) < 0)
			return -1;
		return add_cmp(o, cmp_op(sinv), &both, sizeof(both));
	}
	if (build_ports(o, 0, spts, sinv) < 0)
		return -1;
	return build_ports(o, 2, dpts, dinv);
}

static bool ports_unset(const uint16_t spts[2], const uint16_t dpts[2])
{
	return spts[0] == 0 && spts[1] == 0xffff &&
	       dpts[0] == 0 && dpts[1] == 0xffff;
}

static int build_tcp(struct nft_out *o, const struct rule *r,
		     const struct xt_entry_match *m)
{
	const struct xt_tcp *t = (const void *)m->data;
	const uint8_t native_inv = XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT |
				   XT_TCP_INV_FLAGS;

	if ((t->invflags & ~native_inv) || t->option ||
	    (ports_unset(t->spts, t->dpts) && !t->flg_mask && !t->flg_cmp &&
	     !t->invflags))
		return build_compat_match(o, m);
	if (rule_proto(r) != IPPROTO_TCP) {
		errno = EPROTOTYPE;
		return -1;
	}
	if (t->flg_mask) {
		if (add_payload(o, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1) < 0 ||
		    add_bitwise(o, &t->flg_mask, 1) < 0 ||
		    add_cmp(o, cmp_op(t->invflags & XT_TCP_INV_FLAGS),
			    &t->flg_cmp, 1) < 0)
			return -1;
	}
	return build_tcpudp(o, t->spts, t->invflags & XT_TCP_INV_SRCPT,
			    t->dpts, t->invflags & XT_TCP_INV_DSTPT);
}

static int build_udp(struct nft_out *o, const struct rule *r,
		     const struct xt_entry_match *m)
{
	const struct xt_udp *u = (const void *)m->data;

	if (u->invflags > XT_UDP_INV_MASK ||
	    (ports_unset(u->spts, u->dpts) && !u->invflags))
		return build_compat_match(o, m);
	if (rule_proto(r) != IPPROTO_UDP) {
		errno = EPROTOTYPE;
		return -1;
	}
	return build_tcpudp(o, u->spts, u->invflags & XT_UDP_INV_SRCPT,
			    u->dpts, u->invflags & XT_UDP_INV_DSTPT);
}

/* Mark and mask in host order, as the kernel's meta register holds them. */
static int build_mark(struct nft_out *o, const struct xt_entry_match *m)
{
	const struct xt_mark_mtinfo1 *info = (const void *)m->data;

	if (add_meta_load(o, NFT_META_MARK) < 0)
		return -1;
	if (info->mask != 0xffffffff &&
	    add_bitwise(o, &info->mask, sizeof(info->mask)) < 0)
		return -1;
	return add_cmp(o, cmp_op(info->invert), &info->mark,
		       sizeof(info->mark));
}

/* The largest unit (day, hour, minute, second) that still gives an exact
 * rate, as iptables-nft picks it. */
static int build_limit(struct nft_out *o, const struct xt_entry_match *m)
{
	static const uint32_t mult[] = {
		XT_LIMIT_SCALE * 24 * 60 * 60, XT_LIMIT_SCALE * 60 * 60,
		XT_LIMIT_SCALE * 60, XT_LIMIT_SCALE,
	};
	const struct xt_rateinfo *ri = (const void *)m->data;
	struct nft_expr_nest e;
	unsigned int i;

	if (ri->avg == 0)
		return build_compat_match(o, m);
	for (i = 1; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (ri->avg > mult[i] || mult[i] / ri->avg < mult[i] % ri->avg)
			break;
	e = expr_start(o, "limit");
	nft_out_put_be64(o, NFTA_LIMIT_RATE, mult[i - 1] / ri->avg);
	nft_out_put_be64(o, NFTA_LIMIT_UNIT, mult[i - 1] / XT_LIMIT_SCALE);
	nft_out_put_be32(o, NFTA_LIMIT_BURST, ri->burst);
	nft_out_put_be32(o, NFTA_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nft_out_put_be32(o, NFTA_LIMIT_FLAGS, 0);
	return expr_end(o, e);
}

/*
 * The forms of tcp and udp 1.8.9's parser takes as native (ports, or tcp
 * flags; not tcp options), and so refuses without their "-p" (with or
 * without "!").  The encoder's own test in build_tcp() and build_udp()
 * is the backstop for what slips through.
 */
static bool tcp_udp_native(const struct xt_entry_match *m, bool tcp)
{
	if (tcp) {
		const struct xt_tcp *t = (const void *)m->data;

		if (t->option || (t->invflags & XT_TCP_INV_OPTION))
			return false;
		return t->spts[0] != 0 || t->spts[1] != 0xffff ||
		       t->dpts[0] != 0 || t->dpts[1] != 0xffff || t->flg_mask;
	}
	const struct xt_udp *u = (const void *)m->data;

	return u->spts[0] != 0 || u->spts[1] != 0xffff ||
	       u->dpts[0] != 0 || u->dpts[1] != 0xffff;
}

/* Room a rule's message can take at most: each match or target its
 * blob and what its native form or nft_compat adds, the selectors,
 * counter and verdict. */
static size_t rule_size_bound(const struct rule *r)
{
	size_t n = NFT_RULE_FIXED_BOUND;

	for (unsigned int i = 0; i < r->nmatches; i++)
		n += r->matches[i].data->u.match_size + NFT_EXT_BOUND;
	if (r->target_data)
		n += r->target_data->u.target_size + NFT_EXT_BOUND +
		     NF_LOG_PREFIXLEN;
	return n;
}

/* Whether @r's expressions fit the 16-bit attribute length; built to
 * know only when the bound says they might not. */
static bool rule_fits(uint8_t family, const struct rule *r)
{
	const struct nft_rule_attrs a = { .table = "", .chain = "" };
	size_t size = rule_size_bound(r);
	bool fits = true;
	char *buf;

	if (size <= UINT16_MAX)
		return true;
	buf = malloc(size);
	if (buf && !nft_rule_build(buf, size, family, 0, 0, &a, r))
		fits = errno != E2BIG;
	free(buf);
	return fits;
}

const char *nft_rule_refusal(uint8_t family, const struct rule *r)
{
	if (!rule_fits(family, r))
		return "rule too large: nf_tables takes at most 65535 bytes "
		       "of expressions";
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;
		bool tcp = !strcmp(m->u.user.name, "tcp");

		if (!tcp && strcmp(m->u.user.name, "udp") != 0)
			continue;
		if (tcp_udp_native(m, tcp) &&
		    rule_proto(r) != (tcp ? IPPROTO_TCP : IPPROTO_UDP))
			return tcp ? "TCP match requires '-p tcp'" :
				     "UDP match requires '-p udp'";
	}
	return NULL;
}

struct native_match {
	const char *name;
	uint8_t revision;
	int (*build)(struct nft_out *o, const struct rule *r,
		     const struct xt_entry_match *m);
};

static int build_mark_cb(struct nft_out *o,
			 const struct rule *r __attribute__((unused)),
			 const struct xt_entry_match *m)
{
	return build_mark(o, m);
}

static int build_limit_cb(struct nft_out *o,
			  const struct rule *r __attribute__((unused)),
			  const struct xt_entry_match *m)
{
	return build_limit(o, m);
}

/* The matches iptables-nft 1.8.9 turns into native expressions. */
static const struct native_match native_matches[] = {
	{ "tcp",	0, build_tcp },
	{ "udp",	0, build_udp },
	{ "mark",	1, build_mark_cb },
	{ "limit",	0, build_limit_cb },
};

static int build_match(struct nft_out *o, const struct rule *r,
		       const struct xt_entry_match *m)
{
	for (size_t i = 0; i < sizeof(native_matches) / sizeof(native_matches[0]); i++) {
		const struct native_match *n = &native_matches[i];

		if (strcmp(m->u.user.name, n->name) == 0 &&
		    m->u.user.revision == n->revision)
			return n->build(o, r, m);
	}
	return build_compat_match(o, m);
}

static int add_verdict(struct nft_out *o, int code, const char *chain)
{
	struct nft_expr_nest e = expr_start(o, "immediate");
	struct nlattr *data, *verdict;

	nft_out_put_be32(o, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	data = nft_out_nest(o, NFTA_IMMEDIATE_DATA);
	verdict = nft_out_nest(o, NFTA_DATA_VERDICT);
	nft_out_put_be32(o, NFTA_VERDICT_CODE, code);
	if (chain)
		nft_out_put_strz(o, NFTA_VERDICT_CHAIN, chain);
	nft_out_nest_end(o, verdict);
	nft_out_nest_end(o, data);
	return expr_end(o, e);
}

/* -j TRACE: meta nftrace set 1, through a 32-bit register. */
static int build_trace(struct nft_out *o)
{
	static const uint8_t one = 1;
	struct nft_expr_nest e = expr_start(o, "immediate");

	nft_out_put_be32(o, NFTA_IMMEDIATE_DREG, NFT_REG32_01);
	put_value(o, NFTA_IMMEDIATE_DATA, &one, sizeof(one));
	if (expr_end(o, e) < 0)
		return -1;
	e = expr_start(o, "meta");
	nft_out_put_be32(o, NFTA_META_KEY, NFT_META_NFTRACE);
	nft_out_put_be32(o, NFTA_META_SREG, NFT_REG32_01);
	return expr_end(o, e);
}

/*
 * iptables-nft 1.8.9 sends the prefix the NFLOG extension's parser kept
 * in its udata (NF_LOG_PREFIXLEN bytes), not the 63 characters of
 * xt_nflog_info: a longer prefix reaches the kernel whole.  The udata is
 * the last parsed rule's; it is used only if it agrees with @info.
 */
static const char *nflog_prefix(const struct rule *r,
				const struct xt_nflog_info *info, size_t *len)
{
	const struct xtables_target *x = r->target;
	const char *u = x && x->udata_size >= NF_LOG_PREFIXLEN ?
			x->udata : NULL;

	if (u && strncmp(u, info->prefix, sizeof(info->prefix) - 1) == 0) {
		*len = strnlen(u, NF_LOG_PREFIXLEN - 1);
		return u;
	}
	*len = strnlen(info->prefix, sizeof(info->prefix) - 1);
	return info->prefix;
}

/* -j NFLOG: the native log expression. */
static int build_nflog(struct nft_out *o, const struct rule *r,
		       const struct xt_entry_target *t)
{
	const struct xt_nflog_info *info = (const void *)t->data;
	struct nft_expr_nest e = expr_start(o, "log");
	uint16_t be16;

	if (info->prefix[0]) {
		size_t len;
		const char *prefix = nflog_prefix(r, info, &len);
		char buf[NF_LOG_PREFIXLEN];

		memcpy(buf, prefix, len);
		buf[len] = '\0';
		nft_out_put(o, NFTA_LOG_PREFIX, buf, len + 1);
	}
	be16 = htons(info->group);
	nft_out_put(o, NFTA_LOG_GROUP, &be16, sizeof(be16));
	if (info->flags & XT_NFLOG_F_COPY_LEN)
		nft_out_put_be32(o, NFTA_LOG_SNAPLEN, info->len);
	if (info->threshold) {
		be16 = htons(info->threshold);
		nft_out_put(o, NFTA_LOG_QTHRESHOLD, &be16, sizeof(be16));
	}
	return expr_end(o, e);
}

static int build_target(struct nft_out *o, const struct rule *r,
			const struct xt_entry_target *t)
{
	if (strcmp(t->u.user.name, "TRACE") == 0)
		return build_trace(o);
	if (strcmp(t->u.user.name, "NFLOG") == 0)
		return build_nflog(o, r, t);
	return add_compat(o, "target", t->u.user.name, t->u.user.revision,
			  t->data, t->u.target_size - sizeof(*t));
}

static int build_action(struct nft_out *o, const struct rule *r)
{
	const struct xt_entry_target *t = r->target_data;

	switch (r->verdict) {
	case RULE_VERDICT_NONE:
		return 0;
	case RULE_VERDICT_ACCEPT:
		return add_verdict(o, NF_ACCEPT, NULL);
	case RULE_VERDICT_DROP:
		return add_verdict(o, NF_DROP, NULL);
	case RULE_VERDICT_RETURN:
		return add_verdict(o, NFT_RETURN, NULL);
	case RULE_VERDICT_JUMP:
		return add_verdict(o, NFT_JUMP, r->jump);
	case RULE_VERDICT_GOTO:
		return add_verdict(o, NFT_GOTO, r->jump);
	case RULE_VERDICT_TARGET:
		if (!t)
			break;
		return build_target(o, r, t);
	}
	errno = EINVAL;
	return -1;
}

static int build_counter(struct nft_out *o, const struct rule *r)
{
	const struct xt_counters *c = r->family == NFPROTO_IPV6 ?
		&r->entry.v6.counters : &r->entry.v4.counters;
	struct nft_expr_nest e = expr_start(o, "counter");

	nft_out_put_be64(o, NFTA_COUNTER_BYTES, c->bcnt);
	nft_out_put_be64(o, NFTA_COUNTER_PACKETS, c->pcnt);
	return expr_end(o, e);
}

struct nlmsghdr *nft_rule_build(char *buf, size_t buflen, uint16_t family,
				uint16_t flags, uint32_t seq,
				const struct nft_rule_attrs *a,
				const struct rule *r)
{
	struct nft_out out = { .cap = buflen }, *o = &out;
	/* the view is only read here */
	struct rule_ipview v = rule_ipview((struct rule *)r);
	struct nlattr *nest;

	o->nlh = nft_header_build(buf, NFT_MSG_NEWRULE, family, flags, seq);
	nft_out_put_strz(o, NFTA_RULE_TABLE, a->table);
	nft_out_put_strz(o, NFTA_RULE_CHAIN, a->chain);
	if (a->handle)
		nft_out_put_be64(o, NFTA_RULE_HANDLE, a->handle);
	if (a->position)
		nft_out_put_be64(o, NFTA_RULE_POSITION, a->position);
	nest = nft_out_nest(o, NFTA_RULE_EXPRESSIONS);
	if (build_selectors(o, &v, r->family) < 0)
		return NULL;
	for (unsigned int i = 0; i < r->nmatches; i++)
		if (build_match(o, r, r->matches[i].data) < 0)
			return NULL;
	if (build_counter(o, r) < 0 || build_action(o, r) < 0)
		return NULL;
	/* nla_len has 16 bits: iptables-nft 1.8.9 sends a longer list cut
	 * short (the rule silently loses its end); refused instead */
	if (nest && (size_t)((char *)mnl_nlmsg_get_payload_tail(o->nlh) -
			     (char *)nest) > UINT16_MAX) {
		errno = E2BIG;
		return NULL;
	}
	nft_out_nest_end(o, nest);
	/* Not stored by the kernel, but needed to bind protocol matches. */
	nest = nft_out_nest(o, NFTA_RULE_COMPAT);
	nft_out_put_be32(o, NFTA_RULE_COMPAT_PROTO, *v.proto);
	nft_out_put_be32(o, NFTA_RULE_COMPAT_FLAGS,
		 (*v.invflags & XT_INV_PROTO) ? NFT_RULE_COMPAT_F_INV : 0);
	nft_out_nest_end(o, nest);
	if (a->position_id)
		nft_out_put_be32(o, NFTA_RULE_POSITION_ID, a->position_id);
	if (o->full) {
		errno = EMSGSIZE;
		return NULL;
	}
	return o->nlh;
}
