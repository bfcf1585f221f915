// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nf_tables expressions -> rule, as iptables-nft 1.8.9 reads them back:
 * register loads are remembered, the cmp/range that tests a register turns
 * them into selectors or native matches (tcp, udp, mark, limit), compat
 * expressions become extension blobs again, and a comment in the rule's
 * userdata (written by nft) becomes a trailing comment match.  The result
 * is the rule the equivalent command line parses to.
 */
#include "nft-expr.h"
#include "util.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/xt_limit.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_pkttype.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv6/ip6t_hl.h>
#include <libmnl/libmnl.h>

#define NREGS		(NFT_REG32_15 + 1)
#define DEC_MAX_ERRS	8
#define REG_BYTES	16

enum reg_type { REG_UNDEF, REG_META, REG_PAYLOAD, REG_IMMEDIATE };

struct dec_reg {
	enum reg_type type;
	uint32_t key;			/* meta key */
	uint32_t base, off, len;	/* payload */
	bool bitwise;
	uint8_t mask[REG_BYTES], xor[REG_BYTES];
	uint8_t imm[REG_BYTES];
	uint32_t immlen;
};

struct dec {
	struct rule *r;
	struct rule_ipview v;		/* d->r's selectors */
	struct nft_ip_offsets off;	/* where they are tested */
	bool ipv4;
	struct dec_reg regs[NREGS];
	struct xt_tcp *tcp;		/* native tcp/udp selectors merge here */
	struct xt_udp *udp;
	const char *expr_err;		/* the expression's first problem */
	const char *errs[DEC_MAX_ERRS];	/* one per failing expression */
	unsigned int nerrs;
	const char *errmsg;		/* all of them, as printed */
	bool incompatible;		/* expression iptables-nft refuses */
	bool nomem;
};

static void dec_fail(struct dec *d, const char *msg)
{
	if (!d->expr_err)
		d->expr_err = msg;
}

/*
 * One expression as the kernel sent it: its name and the attributes of
 * its NFTA_EXPR_DATA by type (every expression decoded here has fewer
 * than EXPR_ATTRS).  Read in place with libmnl: no allocation per rule.
 */
#define EXPR_ATTRS	16
#define DATA_MAXLEN	64	/* NFT_DATA_VALUE_MAXLEN */

struct dexpr {
	const char *name;
	const struct nlattr *tb[EXPR_ATTRS];
};

static int attr_store_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < EXPR_ATTRS)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int expr_parse(const struct nlattr *elem, struct dexpr *e)
{
	const struct nlattr *top[EXPR_ATTRS] = { NULL };

	memset(e, 0, sizeof(*e));
	if (mnl_attr_parse_nested(elem, attr_store_cb, top) < 0 ||
	    !top[NFTA_EXPR_NAME] ||
	    mnl_attr_validate(top[NFTA_EXPR_NAME], MNL_TYPE_NUL_STRING) < 0)
		return -1;
	e->name = mnl_attr_get_str(top[NFTA_EXPR_NAME]);
	if (top[NFTA_EXPR_DATA] &&
	    mnl_attr_parse_nested(top[NFTA_EXPR_DATA], attr_store_cb,
				  e->tb) < 0)
		return -1;
	return 0;
}

/* Integers are big endian on the wire; absent or short reads as 0. */
static uint32_t ex_u32(const struct dexpr *e, int type)
{
	const struct nlattr *a = e->tb[type];

	return a && mnl_attr_get_payload_len(a) >= sizeof(uint32_t) ?
	       ntohl(mnl_attr_get_u32(a)) : 0;
}

static uint16_t ex_u16(const struct dexpr *e, int type)
{
	const struct nlattr *a = e->tb[type];

	return a && mnl_attr_get_payload_len(a) >= sizeof(uint16_t) ?
	       ntohs(mnl_attr_get_u16(a)) : 0;
}

static uint64_t ex_u64(const struct dexpr *e, int type)
{
	const struct nlattr *a = e->tb[type];

	return a && mnl_attr_get_payload_len(a) >= sizeof(uint64_t) ?
	       be64toh(mnl_attr_get_u64(a)) : 0;
}

static bool ex_is_set(const struct dexpr *e, int type)
{
	return e->tb[type] != NULL;
}

static const char *ex_str(const struct dexpr *e, int type)
{
	const struct nlattr *a = e->tb[type];

	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ?
	       mnl_attr_get_str(a) : NULL;
}

static const void *ex_bin(const struct dexpr *e, int type, uint32_t *len)
{
	const struct nlattr *a = e->tb[type];

	*len = a ? mnl_attr_get_payload_len(a) : 0;
	return a ? mnl_attr_get_payload(a) : NULL;
}

/* The NFTA_DATA_VALUE or NFTA_DATA_VERDICT inside a data attribute. */
static const struct nlattr *ex_data(const struct dexpr *e, int type,
				    uint16_t kind)
{
	const struct nlattr *a = e->tb[type], *in;

	if (!a)
		return NULL;
	mnl_attr_for_each_nested(in, a)
		if (mnl_attr_get_type(in) == kind)
			return in;
	return NULL;
}

static const void *ex_value(const struct dexpr *e, int type, uint32_t *len)
{
	const struct nlattr *v = ex_data(e, type, NFTA_DATA_VALUE);

	*len = v ? mnl_attr_get_payload_len(v) : 0;
	if (*len > DATA_MAXLEN)
		*len = DATA_MAXLEN;
	return v ? mnl_attr_get_payload(v) : NULL;
}

/* A value of exactly 1 or 4 bytes, in host order as the register holds
 * it; 0 otherwise (libnftnl's getters). */
static uint8_t ex_value_u8(const struct dexpr *e, int type)
{
	uint32_t len;
	const uint8_t *v = ex_value(e, type, &len);

	return v && len == 1 ? v[0] : 0;
}

/* The first byte of a value, 0 if there is none: how 1.8.9 reads a
 * protocol from a compare of any length. */
static uint8_t ex_value_first(const struct dexpr *e, int type)
{
	uint32_t len;
	const uint8_t *v = ex_value(e, type, &len);

	return v && len ? v[0] : 0;
}

static uint32_t ex_value_u32(const struct dexpr *e, int type)
{
	uint32_t len, val = 0;
	const void *v = ex_value(e, type, &len);

	if (v && len == sizeof(val))
		memcpy(&val, v, sizeof(val));
	return val;
}

/* The verdict code of a data attribute, and its chain (NULL if none). */
static bool ex_verdict(const struct dexpr *e, int type, int *code,
		       const char **chain)
{
	const struct nlattr *v = ex_data(e, type, NFTA_DATA_VERDICT), *in;

	*code = 0;
	*chain = NULL;
	if (!v)
		return false;
	mnl_attr_for_each_nested(in, v) {
		switch (mnl_attr_get_type(in)) {
		case NFTA_VERDICT_CODE:
			if (mnl_attr_validate(in, MNL_TYPE_U32) == 0)
				*code = (int)ntohl(mnl_attr_get_u32(in));
			break;
		case NFTA_VERDICT_CHAIN:
			if (mnl_attr_validate(in, MNL_TYPE_NUL_STRING) == 0)
				*chain = mnl_attr_get_str(in);
			break;
		}
	}
	return true;
}

/* A load target: cleared, as a new load replaces what the register held. */
static struct dec_reg *dreg_get(struct dec *d, uint32_t reg)
{
	if (reg >= NREGS)
		return NULL;
	memset(&d->regs[reg], 0, sizeof(d->regs[reg]));
	return &d->regs[reg];
}

static struct dec_reg *sreg_get(struct dec *d, uint32_t reg)
{
	return reg < NREGS ? &d->regs[reg] : NULL;
}

static struct xtables_match *find_match(const char *name, int rev)
{
	struct xtables_match *m;

	m = xtables_find_match_revision(name, XTF_TRY_LOAD, NULL, rev);
	return m ? m : xtables_find_match(name, XTF_TRY_LOAD, NULL);
}

static struct xtables_target *find_target(const char *name, int rev)
{
	struct xtables_target *t;

	t = xtables_find_target_revision(name, XTF_TRY_LOAD, NULL, rev);
	return t ? t : xtables_find_target(name, XTF_TRY_LOAD);
}

/* Appends a match blob with @len bytes of data; NULL (and nothing added)
 * if the extension is unknown or memory runs out. */
static void *add_match_blob(struct dec *d, struct xtables_match *ext,
			    uint8_t rev, size_t len)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + len;
	struct xt_entry_match *m;

	if (!ext)
		return NULL;
	m = calloc(1, size);
	if (!m || rule_add_match(d->r, ext, m) < 0) {
		free(m);
		d->nomem = true;
		return NULL;
	}
	m->u.match_size = size;
	m->u.user.revision = rev;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "%s", ext->name);
	return m->data;
}

/* A native match as the parser would start it: defaults from init(). */
static void *new_native_match(struct dec *d, const char *name, int rev)
{
	struct xtables_match *ext = find_match(name, rev);
	void *data;

	if (!ext)
		return NULL;
	data = add_match_blob(d, ext, ext->revision, ext->size);
	if (data && ext->init)
		ext->init((struct xt_entry_match *)
			  ((char *)data - offsetof(struct xt_entry_match, data)));
	return data;
}

static void set_target_blob(struct dec *d, struct xtables_target *ext,
			    uint8_t rev, const void *info, size_t len)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_target)) + len;
	struct xt_entry_target *t;

	if (!ext)
		return;
	t = calloc(1, size);
	if (!t) {
		d->nomem = true;
		return;
	}
	t->u.target_size = size;
	t->u.user.revision = rev;
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", ext->name);
	if (info)
		memcpy(t->data, info, len);
	rule_set_target(d->r, ext, t);
}

static bool cmp_inverted(const struct dexpr *e)
{
	return ex_u32(e, NFTA_CMP_OP) == NFT_CMP_NEQ;
}

/* Exact names carry their NUL; a wildcard is the bare prefix; "INVAL/D"
 * is how "! -i +" is written.  Masks as the command-line parser sets them. */
static void dec_iface(struct dec *d, const struct dexpr *e, char *name,
		      unsigned char *mask, uint8_t invbit)
{
	uint32_t len;
	const char *data = ex_value(e, NFTA_CMP_DATA, &len);

	if (cmp_inverted(e))
		*d->v.invflags |= invbit;
	if (!data || len == 0)
		return;
	if (len > IFNAMSIZ)
		len = IFNAMSIZ;
	memcpy(name, data, len);
	if (data[len - 1] == '\0') {
		if (strcmp(name, "INVAL/D") == 0 && !(*d->v.invflags & invbit)) {
			*d->v.invflags |= invbit;
			memset(name, 0, IFNAMSIZ);
			name[0] = '+';
			return;
		}
		memset(mask, 0xff, strlen(name) + 1);
		return;
	}
	if (len >= IFNAMSIZ)
		return;
	name[len] = '+';
	if (len + 1 >= IFNAMSIZ)
		return;
	name[len + 1] = '\0';
	memset(mask, 0xff, len);
}

static void dec_meta_mark(struct dec *d, const struct dec_reg *reg,
			  const struct dexpr *e)
{
	struct xt_mark_mtinfo1 *info = new_native_match(d, "mark", 1);

	if (!info)
		return;
	info->mark = ex_value_u32(e, NFTA_CMP_DATA);
	info->mask = 0xffffffff;
	if (reg->bitwise)
		memcpy(&info->mask, reg->mask, sizeof(info->mask));
	info->invert = cmp_inverted(e);
}

static void dec_pkttype(struct dec *d, const struct dexpr *e)
{
	struct xt_pkttype_info *info = new_native_match(d, "pkttype", 0);

	if (!info)
		return;
	info->pkttype = ex_value_first(e, NFTA_CMP_DATA);
	info->invert = cmp_inverted(e);
}

/* nft's "meta iif lo" compares the index: 1.8.9 lists the name it has
 * now, as -i. */
static void dec_ifindex(struct dec *d, const struct dexpr *e, char *name,
			unsigned char *mask, uint8_t invbit)
{
	char buf[IF_NAMESIZE];

	if (cmp_inverted(e))
		*d->v.invflags |= invbit;
	if (!if_indextoname(ex_value_u32(e, NFTA_CMP_DATA), buf))
		return;
	util_strlcpy(name, buf, IFNAMSIZ);
	memset(mask, 0xff, strlen(name) + 1);
}

static void dec_cmp_meta(struct dec *d, const struct dec_reg *reg,
			 const struct dexpr *e)
{
	switch (reg->key) {
	case NFT_META_L4PROTO:
		*d->v.proto = ex_value_u8(e, NFTA_CMP_DATA);
		*d->v.flags |= d->v.proto_flag;
		if (cmp_inverted(e))
			*d->v.invflags |= XT_INV_PROTO;
		break;
	case NFT_META_IIFNAME:
		dec_iface(d, e, d->v.iniface, d->v.iniface_mask, IPT_INV_VIA_IN);
		break;
	case NFT_META_OIFNAME:
		dec_iface(d, e, d->v.outiface, d->v.outiface_mask,
			  IPT_INV_VIA_OUT);
		break;
	case NFT_META_MARK:
		dec_meta_mark(d, reg, e);
		break;
	case NFT_META_PKTTYPE:
		dec_pkttype(d, e);
		break;
	case NFT_META_IIF:
		dec_ifindex(d, e, d->v.iniface, d->v.iniface_mask,
			    IPT_INV_VIA_IN);
		break;
	case NFT_META_OIF:
		dec_ifindex(d, e, d->v.outiface, d->v.outiface_mask,
			    IPT_INV_VIA_OUT);
		break;
	default:
		dec_fail(d, d->ipv4 ? "unknown ipv4 meta key" :
					"unknown ipv6 meta key");
		break;
	}
}

/* Address bytes as compared (a prefix load compares only its bytes); the
 * mask from the bitwise, else the loaded bytes. */
static void dec_addr(struct dec *d, const struct dec_reg *reg,
		     const struct dexpr *e, uint8_t *addr, uint8_t *mask,
		     uint8_t invbit)
{
	size_t alen = d->v.addrlen;
	uint32_t len;
	const void *data = ex_value(e, NFTA_CMP_DATA, &len);

	memset(addr, 0, alen);
	memset(mask, 0, alen);
	if (data)
		memcpy(addr, data, len < alen ? len : alen);
	if (reg->bitwise)
		memcpy(mask, reg->mask, alen);
	else
		memset(mask, 0xff, reg->len < alen ? reg->len : alen);
	if (cmp_inverted(e))
		*d->v.invflags |= invbit;
}

/* "ip ttl" and "ip6 hoplimit" as iptables-nft 1.8.9 reads them: a ttl or
 * hl match (the two share a layout and mode values), <= and >= turned
 * into < and > of the next value. */
static void dec_hl(struct dec *d, const struct dexpr *e)
{
	struct ip6t_hl_info *info;
	uint8_t hl = ex_value_u8(e, NFTA_CMP_DATA), mode;
	uint32_t op = ex_u32(e, NFTA_CMP_OP);

	switch (op) {
	case NFT_CMP_EQ:	mode = IP6T_HL_EQ; break;
	case NFT_CMP_NEQ:	mode = IP6T_HL_NE; break;
	case NFT_CMP_LT:	mode = IP6T_HL_LT; break;
	case NFT_CMP_GT:	mode = IP6T_HL_GT; break;
	case NFT_CMP_LTE:	mode = IP6T_HL_LT; break;
	case NFT_CMP_GTE:	mode = IP6T_HL_GT; break;
	default:
		dec_fail(d, "invalid ttl field match");
		return;
	}
	/* "<= 255" and ">= 0" have no strict form */
	if ((op == NFT_CMP_LTE && hl == 0xff) ||
	    (op == NFT_CMP_GTE && hl == 0)) {
		dec_fail(d, "invalid ttl field match");
		return;
	}
	if (op == NFT_CMP_LTE)
		hl++;
	else if (op == NFT_CMP_GTE)
		hl--;
	info = new_native_match(d, d->ipv4 ? "ttl" : "hl", 0);
	if (!info) {
		if (!d->nomem)
			dec_fail(d, "invalid ttl field match");
		return;
	}
	info->mode = mode;
	info->hop_limit = hl;
}

static void dec_cmp_network(struct dec *d, const struct dec_reg *reg,
			    const struct dexpr *e)
{
	if (reg->off == d->off.src) {
		dec_addr(d, reg, e, d->v.src, d->v.smsk, IPT_INV_SRCIP);
	} else if (reg->off == d->off.dst) {
		dec_addr(d, reg, e, d->v.dst, d->v.dmsk, IPT_INV_DSTIP);
	} else if (reg->off == d->off.proto) {
		*d->v.proto = ex_value_first(e, NFTA_CMP_DATA);
		*d->v.flags |= d->v.proto_flag;
		if (cmp_inverted(e))
			*d->v.invflags |= XT_INV_PROTO;
		/* 1.8.9 reads an IPv6 next header test as a hop limit
		 * test too (its parser falls through): nft's "ip6
		 * nexthdr tcp" lists as "-p tcp -m hl --hl-eq 6". */
		if (!d->ipv4)
			dec_hl(d, e);
	} else if (reg->off == (d->ipv4 ? NFT_TTL_OFF : NFT_HOPLIMIT_OFF)) {
		dec_hl(d, e);
	} else if (d->ipv4 && reg->off == NFT_FRAG_OFF) {
		*d->v.flags |= IPT_F_FRAG;
		if (reg->bitwise && !cmp_inverted(e))
			*d->v.invflags |= IPT_INV_FRAG;
	} else {
		dec_fail(d, "unknown payload offset");
	}
}

/* The tcp or udp match the transport selectors of this rule go into,
 * created (with init()'s 0:65535 ranges) on first use. */
static uint16_t *ports_of(struct dec *d, bool src, uint8_t **invflags,
			  uint8_t *invbit)
{
	uint16_t proto = *d->v.proto;

	if (proto == IPPROTO_TCP) {
		if (!d->tcp)
			d->tcp = new_native_match(d, "tcp", 0);
		if (!d->tcp)
			return NULL;
		*invflags = &d->tcp->invflags;
		*invbit = src ? XT_TCP_INV_SRCPT : XT_TCP_INV_DSTPT;
		return src ? d->tcp->spts : d->tcp->dpts;
	}
	if (proto == IPPROTO_UDP) {
		if (!d->udp)
			d->udp = new_native_match(d, "udp", 0);
		if (!d->udp)
			return NULL;
		*invflags = &d->udp->invflags;
		*invbit = src ? XT_UDP_INV_SRCPT : XT_UDP_INV_DSTPT;
		return src ? d->udp->spts : d->udp->dpts;
	}
	return NULL;
}

static void dec_port(struct dec *d, bool src, uint32_t op, uint16_t port)
{
	uint8_t *invflags, invbit;
	uint16_t *pts = ports_of(d, src, &invflags, &invbit);

	if (!pts)
		return;
	switch (op) {
	case NFT_CMP_NEQ:
		*invflags |= invbit;
		/* fall through */
	case NFT_CMP_EQ:
		pts[0] = pts[1] = port;
		break;
	case NFT_CMP_LT:	/* as 1.8.9, including its odd lower bound */
		pts[1] = port > 2 ? port - 1 : 1;
		break;
	case NFT_CMP_LTE:
		pts[1] = port;
		break;
	case NFT_CMP_GT:
		pts[0] = port < 0xffff ? port + 1 : 0xffff;
		break;
	case NFT_CMP_GTE:
		pts[0] = port;
		break;
	}
}

/* Transport selectors 1.8.9 reads: tcp and udp ports (and tcp flags),
 * icmp; other protocols' fail the rule. */
static bool transport_known(struct dec *d)
{
	if (*d->v.proto == IPPROTO_TCP || *d->v.proto == IPPROTO_UDP)
		return true;
	dec_fail(d, "unsupported layer 4 protocol value");
	return false;
}

/*
 * 1.8.9 reads each ICMP compare as an icmp (icmp6) match of its own, the
 * comparison operator ignored: the type at offset 0 (and the code, when
 * two bytes are compared), the code alone at offset 1 (type "any", which
 * icmp6 refuses).
 */
static void dec_icmp(struct dec *d, const struct dec_reg *reg,
		     const uint8_t *data, uint32_t len)
{
	struct ipt_icmp *icmp;	/* ip6t_icmp has the same layout */

	if (reg->off > 1) {
		dec_fail(d, "unexpected payload offset");
		return;
	}
	if (reg->off == 1 && !d->ipv4) {
		dec_fail(d, "icmp6 code with any type match not supported");
		return;
	}
	icmp = new_native_match(d, d->ipv4 ? "icmp" : "icmp6", 0);
	if (!icmp)
		return;
	icmp->type = 0xff;
	icmp->code[0] = 0;
	icmp->code[1] = 0xff;
	if (reg->off == 0) {
		icmp->type = data[0];
		if (len > 1)
			icmp->code[0] = icmp->code[1] = data[1];
	} else {
		icmp->code[0] = icmp->code[1] = data[0];
	}
}

static void dec_cmp_transport(struct dec *d, const struct dec_reg *reg,
			      const struct dexpr *e)
{
	uint32_t op = ex_u32(e, NFTA_CMP_OP), len;
	const uint8_t *data = ex_value(e, NFTA_CMP_DATA, &len);

	if (!data || !len)
		return;
	/* either protocol number; the family picks icmp or icmp6 */
	if (*d->v.proto == IPPROTO_ICMP || *d->v.proto == IPPROTO_ICMPV6) {
		dec_icmp(d, reg, data, len);
		return;
	}
	if (!transport_known(d))
		return;
	if (reg->off == 0 && len == 2) {
		dec_port(d, true, op, data[0] << 8 | data[1]);
	} else if (reg->off == 0 && len == 4) {
		dec_port(d, true, op, data[0] << 8 | data[1]);
		dec_port(d, false, op, data[2] << 8 | data[3]);
	} else if (reg->off == 2 && len == 2) {
		dec_port(d, false, op, data[0] << 8 | data[1]);
	} else if (reg->off == 13 && len == 1 && *d->v.proto == IPPROTO_TCP) {
		if (!d->tcp)
			d->tcp = new_native_match(d, "tcp", 0);
		if (!d->tcp)
			return;
		if (op == NFT_CMP_NEQ)
			d->tcp->invflags |= XT_TCP_INV_FLAGS;
		d->tcp->flg_cmp = data[0];
		d->tcp->flg_mask = reg->bitwise ? reg->mask[0] : 0xff;
	}
}

static void dec_cmp(struct dec *d, const struct dexpr *e)
{
	const struct dec_reg *reg;

	reg = sreg_get(d, ex_u32(e, NFTA_CMP_SREG));
	if (!reg)
		return;
	switch (reg->type) {
	case REG_UNDEF:
		dec_fail(d, "cmp sreg undef");
		break;
	case REG_META:
		dec_cmp_meta(d, reg, e);
		break;
	case REG_PAYLOAD:
		if (reg->base == NFT_PAYLOAD_NETWORK_HEADER)
			dec_cmp_network(d, reg, e);
		else if (reg->base == NFT_PAYLOAD_TRANSPORT_HEADER)
			dec_cmp_transport(d, reg, e);
		break;
	default:
		dec_fail(d, "cmp sreg has unknown type");
		break;
	}
}

static void dec_range(struct dec *d, const struct dexpr *e)
{
	const struct dec_reg *reg;
	uint32_t flen, tlen;
	const uint8_t *from, *to;
	uint16_t *pts;
	uint8_t *invflags, invbit;

	reg = sreg_get(d, ex_u32(e, NFTA_RANGE_SREG));
	if (!reg || reg->type == REG_UNDEF) {
		dec_fail(d, "range sreg undef");
		return;
	}
	if (reg->type != REG_PAYLOAD) {
		dec_fail(d, "range sreg type unsupported");
		return;
	}
	if (reg->base != NFT_PAYLOAD_TRANSPORT_HEADER) {
		dec_fail(d, "range with unknown payload base");
		return;
	}
	from = ex_value(e, NFTA_RANGE_FROM_DATA, &flen);
	to = ex_value(e, NFTA_RANGE_TO_DATA, &tlen);
	if (!from || !to || flen != 2 || tlen != 2 ||
	    (reg->off != 0 && reg->off != 2))
		return;
	if (!transport_known(d))
		return;
	pts = ports_of(d, reg->off == 0, &invflags, &invbit);
	if (!pts)
		return;
	pts[0] = from[0] << 8 | from[1];
	pts[1] = to[0] << 8 | to[1];
	if (ex_u32(e, NFTA_RANGE_OP) == NFT_RANGE_NEQ)
		*invflags |= invbit;
}

static void dec_meta(struct dec *d, const struct dexpr *e)
{
	struct dec_reg *reg;

	if (ex_is_set(e, NFTA_META_SREG)) {
		/* Only "-j TRACE" sets meta from a rule iptables made. */
		const struct dec_reg *s;

		s = sreg_get(d, ex_u32(e, NFTA_META_SREG));
		if (!s || ex_u32(e, NFTA_META_KEY) !=
			  NFT_META_NFTRACE) {
			dec_fail(d, "meta sreg key not supported");
			return;
		}
		if (s->type != REG_IMMEDIATE) {
			dec_fail(d, "meta nftrace but reg not immediate");
			return;
		}
		if (s->imm[0] == 0) {
			dec_fail(d, "trace is cleared");
			return;
		}
		struct xtables_target *ext = find_target("TRACE", 0);

		if (!ext) {
			dec_fail(d, "target TRACE not found");
			return;
		}
		set_target_blob(d, ext, ext->revision, NULL, ext->size);
		return;
	}
	reg = dreg_get(d, ex_u32(e, NFTA_META_DREG));
	if (!reg)
		return;
	reg->type = REG_META;
	reg->key = ex_u32(e, NFTA_META_KEY);
}

static void dec_payload(struct dec *d, const struct dexpr *e)
{
	struct dec_reg *reg;

	reg = dreg_get(d, ex_u32(e, NFTA_PAYLOAD_DREG));
	if (!reg)
		return;
	reg->type = REG_PAYLOAD;
	reg->base = ex_u32(e, NFTA_PAYLOAD_BASE);
	reg->off = ex_u32(e, NFTA_PAYLOAD_OFFSET);
	reg->len = ex_u32(e, NFTA_PAYLOAD_LEN);
}

static void dec_bitwise(struct dec *d, const struct dexpr *e)
{
	uint32_t sreg = ex_u32(e, NFTA_BITWISE_SREG);
	uint32_t dreg = ex_u32(e, NFTA_BITWISE_DREG);
	struct dec_reg *s = sreg_get(d, sreg), *t = sreg_get(d, dreg);
	const void *data;
	uint32_t len;

	if (!s || !t)
		return;
	if (s != t)
		*t = *s;
	data = ex_value(e, NFTA_BITWISE_XOR, &len);
	if (len > REG_BYTES) {
		dec_fail(d, "bitwise xor too large");
		return;
	}
	if (data)
		memcpy(t->xor, data, len);
	data = ex_value(e, NFTA_BITWISE_MASK, &len);
	if (len > REG_BYTES) {
		dec_fail(d, "bitwise mask too large");
		return;
	}
	if (data)
		memcpy(t->mask, data, len);
	t->bitwise = true;
}

static void dec_immediate(struct dec *d, const struct dexpr *e)
{
	const char *chain;
	uint32_t len;
	const void *data = ex_value(e, NFTA_IMMEDIATE_DATA, &len);
	int code;

	if (data) {
		struct dec_reg *reg;

		reg = dreg_get(d, ex_u32(e, NFTA_IMMEDIATE_DREG));
		if (!reg || len > REG_BYTES)
			return;
		memcpy(reg->imm, data, len);
		reg->immlen = len;
		reg->type = REG_IMMEDIATE;
		return;
	}
	ex_verdict(e, NFTA_IMMEDIATE_DATA, &code, &chain);
	switch (code) {
	case NF_ACCEPT:
		rule_set_verdict(d->r, RULE_VERDICT_ACCEPT, NULL);
		break;
	case NF_DROP:
		rule_set_verdict(d->r, RULE_VERDICT_DROP, NULL);
		break;
	case NFT_RETURN:
		rule_set_verdict(d->r, RULE_VERDICT_RETURN, NULL);
		break;
	case NFT_GOTO:
		*d->v.flags |= d->v.goto_flag;
		rule_set_verdict(d->r, RULE_VERDICT_GOTO, chain);
		break;
	case NFT_JUMP:
		rule_set_verdict(d->r, RULE_VERDICT_JUMP, chain);
		break;
	}
}

static void dec_match(struct dec *d, const struct dexpr *e)
{
	const char *name = ex_str(e, NFTA_MATCH_NAME);
	uint32_t rev = ex_u32(e, NFTA_MATCH_REV), len;
	const void *info = ex_bin(e, NFTA_MATCH_INFO, &len);
	void *data;

	if (!name)
		return;
	data = add_match_blob(d, find_match(name, rev), rev, len);
	if (data && info)
		memcpy(data, info, len);
}

static void dec_target(struct dec *d, const struct dexpr *e)
{
	const char *name = ex_str(e, NFTA_TARGET_NAME);
	uint32_t rev = ex_u32(e, NFTA_TARGET_REV), len;
	const void *info = ex_bin(e, NFTA_TARGET_INFO, &len);

	if (name)
		set_target_blob(d, find_target(name, rev), rev, info, len);
}

static void dec_limit(struct dec *d, const struct dexpr *e)
{
	uint64_t rate = ex_u64(e, NFTA_LIMIT_RATE);
	uint64_t unit = ex_u64(e, NFTA_LIMIT_UNIT);
	struct xt_rateinfo *ri;

	ri = new_native_match(d, "limit", 0);
	if (!ri)
		return;
	ri->avg = rate ? XT_LIMIT_SCALE * unit / rate : 0;
	ri->burst = ex_u32(e, NFTA_LIMIT_BURST);
}

/* nft's log with a group is -j NFLOG.  Its prefix may be longer than
 * xt_nflog_info's: as iptables-nft 1.8.9, the blob is that struct with a
 * prefix of NF_LOG_PREFIXLEN bytes, which the extension prints whole. */
struct nflog_info_nft {
	uint32_t len;
	uint16_t group;
	uint16_t threshold;
	uint16_t flags;
	uint16_t pad;
	char prefix[NF_LOG_PREFIXLEN];
};

static void dec_log(struct dec *d, const struct dexpr *e)
{
	struct xtables_target *ext;
	struct nflog_info_nft info = { 0 };
	const char *prefix;

	info.group = ex_u16(e, NFTA_LOG_GROUP);
	info.threshold = ex_u16(e, NFTA_LOG_QTHRESHOLD);
	if (ex_is_set(e, NFTA_LOG_SNAPLEN)) {
		info.len = ex_u32(e, NFTA_LOG_SNAPLEN);
		info.flags = XT_NFLOG_F_COPY_LEN;
	}
	prefix = ex_str(e, NFTA_LOG_PREFIX);
	if (prefix)
		snprintf(info.prefix, sizeof(info.prefix), "%s", prefix);
	ext = find_target("NFLOG", 0);
	if (ext) {
		uint8_t blob[XT_ALIGN(sizeof(info))] = { 0 };

		memcpy(blob, &info, sizeof(info));
		set_target_blob(d, ext, ext->revision, blob, sizeof(blob));
	}
}

static void dec_ignore(struct dec *d __attribute__((unused)),
		       const struct dexpr *e __attribute__((unused)))
{
	/* lookup: iptables-nft 1.8.9 drops set lookups from IP rules. */
}

static void dec_counter(struct dec *d, const struct dexpr *e)
{
	struct xt_counters *c = rule_counters(d->r);

	c->pcnt = ex_u64(e, NFTA_COUNTER_PACKETS);
	c->bcnt = ex_u64(e, NFTA_COUNTER_BYTES);
}

/* The expressions iptables-nft 1.8.9 accepts in its tables. */
static const struct dec_ops {
	const char *name;
	void (*decode)(struct dec *d, const struct dexpr *e);
} decoders[] = {
	{ "counter",	dec_counter },
	{ "payload",	dec_payload },
	{ "meta",	dec_meta },
	{ "bitwise",	dec_bitwise },
	{ "cmp",	dec_cmp },
	{ "immediate",	dec_immediate },
	{ "match",	dec_match },
	{ "target",	dec_target },
	{ "limit",	dec_limit },
	{ "lookup",	dec_ignore },
	{ "log",	dec_log },
	{ "range",	dec_range },
};

/* The decoder of @e by name, NULL if there is none. */
static const struct dec_ops *dec_find(const struct dexpr *e)
{
	for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++)
		if (strcmp(e->name, decoders[i].name) == 0)
			return &decoders[i];
	return NULL;
}

/* Whether iptables-nft 1.8.9 lists a rule with @e: not if it has no
 * decoder, nor a limit other than packets without flags, nor a log
 * without group.  Its parser still reads those limits and logs. */
static bool dec_compatible(const struct dexpr *e, const struct dec_ops *ops)
{
	if (!ops)
		return false;
	if (ops->decode == dec_limit)
		return ex_u32(e, NFTA_LIMIT_TYPE) == NFT_LIMIT_PKTS &&
		       ex_u32(e, NFTA_LIMIT_FLAGS) == 0;
	if (ops->decode == dec_log)
		return ex_is_set(e, NFTA_LOG_GROUP);
	return true;
}

/*
 * The rule's userdata as nft writes it: TLVs of a type byte, a length byte
 * and the value.  Type 0 is a NUL-terminated comment (the last one wins);
 * a bad one, or a TLV running past the end, voids them all.
 */
#define UDATA_COMMENT	0

static const char *udata_comment(const struct nlattr *udata)
{
	const uint8_t *p = mnl_attr_get_payload(udata);
	const uint8_t *end = p + mnl_attr_get_payload_len(udata);
	const char *comment = NULL;

	while (p < end) {
		uint8_t type, len;

		if (end - p < 2 || end - p - 2 < p[1])
			return NULL;
		type = p[0];
		len = p[1];
		if (type == UDATA_COMMENT) {
			if (len == 0 || p[2 + len - 1] != '\0')
				return NULL;
			comment = (const char *)p + 2;
		}
		p += 2 + len;
	}
	return comment;
}

static void dec_userdata(struct dec *d, const struct nlattr *udata)
{
	const char *comment = udata ? udata_comment(udata) : NULL;
	struct xtables_match *ext;
	char *info;

	if (!comment)
		return;
	ext = find_match("comment", 0);
	if (!ext)
		return;
	info = add_match_blob(d, ext, 0, ext->size);
	if (info)
		strncpy(info, comment, ext->size - 1);
}

/* A rule message's attributes by type, and its family. */
struct drule {
	uint8_t family;
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
};

static int rule_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > NFTA_RULE_MAX)
		return MNL_CB_OK;
	if ((type == NFTA_RULE_HANDLE &&
	     mnl_attr_validate(attr, MNL_TYPE_U64) < 0) ||
	    (type == NFTA_RULE_EXPRESSIONS &&
	     mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0))
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int rule_parse(const struct nlmsghdr *nlh, struct drule *dr)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	memset(dr, 0, sizeof(*dr));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*nfg) ||
	    mnl_attr_parse(nlh, sizeof(*nfg), rule_attr_cb, dr->tb) < 0) {
		errno = EINVAL;
		return -1;
	}
	dr->family = nfg->nfgen_family;
	return 0;
}

/*
 * Calls @cb for each expression of @dr in order until it returns non-zero
 * (returned).  -1 with EINVAL for an expression that does not parse.
 */
static int expr_walk(const struct drule *dr,
		     int (*cb)(const struct dexpr *e, void *data), void *data)
{
	const struct nlattr *list = dr->tb[NFTA_RULE_EXPRESSIONS], *elem;
	struct dexpr e;
	int ret;

	if (!list)
		return 0;
	mnl_attr_for_each_nested(elem, list) {
		if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM)
			continue;
		if (expr_parse(elem, &e) < 0) {
			errno = EINVAL;
			return -1;
		}
		ret = cb(&e, data);
		if (ret)
			return ret;
	}
	return 0;
}

static int dec_expr_cb(const struct dexpr *e, void *data)
{
	struct dec *d = data;
	const struct dec_ops *ops = dec_find(e);

	if (!dec_compatible(e, ops))
		d->incompatible = true;
	d->expr_err = NULL;
	if (ops)
		ops->decode(d, e);
	if (d->expr_err && d->nerrs < DEC_MAX_ERRS)
		d->errs[d->nerrs++] = d->expr_err;
	return 0;
}

/* Texts joining several problems, kept until exit: listings hold on to
 * a rule's text after the rule is gone. */
static char *joined_errs[16];

__attribute__((destructor)) static void joined_errs_free(void)
{
	for (size_t i = 0; i < sizeof(joined_errs) / sizeof(joined_errs[0]); i++)
		free(joined_errs[i]);
}

/* The problems of a rule as 1.8.9 prints them: one "Error: " line per
 * failing expression, the first "Error: " being the caller's. */
static const char *errs_text(const struct dec *d)
{
	const size_t n = sizeof(joined_errs) / sizeof(joined_errs[0]);
	char buf[1024];
	size_t off = 0, i;

	if (d->nerrs <= 1)
		return d->nerrs ? d->errs[0] : NULL;
	for (i = 0; i < d->nerrs && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				i ? "\nError: " : "", d->errs[i]);
	for (i = 0; i < n && joined_errs[i]; i++)
		if (strcmp(joined_errs[i], buf) == 0)
			return joined_errs[i];
	if (i == n || !(joined_errs[i] = strdup(buf)))
		return d->errs[0];
	return joined_errs[i];
}

static int dec_run(const struct drule *dr, struct dec *d)
{
	d->v = rule_ipview(d->r);
	d->off = nft_ip_offsets(d->r->family);
	d->ipv4 = d->r->family == NFPROTO_IPV4;
	if (dr->tb[NFTA_RULE_HANDLE])
		d->r->handle = be64toh(mnl_attr_get_u64(dr->tb[NFTA_RULE_HANDLE]));
	if (expr_walk(dr, dec_expr_cb, d) < 0)
		return -1;
	dec_userdata(d, dr->tb[NFTA_RULE_USERDATA]);
	d->errmsg = errs_text(d);
	if (d->errmsg || d->incompatible)
		d->r->unsupported = true;
	d->r->unsupported_msg = d->errmsg;
	if (d->nomem) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int nft_rule_decode(const struct nlmsghdr *nlh, struct rule *r)
{
	struct dec d = { .r = r };
	struct drule dr;

	if (rule_parse(nlh, &dr) < 0)
		return -1;
	return dec_run(&dr, &d);
}

static int incompatible_cb(const struct dexpr *e, void *data)
{
	(void)data;
	return dec_compatible(e, dec_find(e)) ? 0 : 1;
}

int nft_rule_incompatible(const struct nlmsghdr *nlh)
{
	struct drule dr;

	if (rule_parse(nlh, &dr) < 0)
		return -1;
	return expr_walk(&dr, incompatible_cb, NULL);
}

enum nft_rule_compat nft_rule_compat(const struct nlmsghdr *nlh,
				     const char **errmsg)
{
	struct dec d = { 0 };
	struct drule dr;

	if (rule_parse(nlh, &dr) < 0)
		return NFT_RULE_OK;
	d.r = rule_alloc(dr.family ? dr.family : NFPROTO_IPV4);
	if (!d.r)
		return NFT_RULE_OK;
	dec_run(&dr, &d);
	rule_free(d.r);
	if (d.incompatible)
		return NFT_RULE_INCOMPATIBLE;
	if (d.errmsg) {
		if (errmsg)
			*errmsg = d.errmsg;
		return NFT_RULE_UNPARSABLE;
	}
	return NFT_RULE_OK;
}
