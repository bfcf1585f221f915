// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit: every nf_tables table that is not an iptables table
 * (kube-proxy's nftables mode, Tailscale, wg-quick, firewalld, ...), read
 * with libmnl, and the iptables tables the backend could not read whole.
 * A rule's expressions run through a small register model, so nft's native
 * mark statements come out as uses:
 *
 *   meta mark set 0x5                      immediate -> meta set: whole word
 *   meta mark set mark and 0xff00 or 0x1   meta load, bitwise, meta set: masked
 *   meta mark set ct mark [and 0xff]       ct load -> meta set: whole-word copy
 *   mark and 0x8000 == 0x8000, ct mark 1   load, [bitwise], cmp: a match
 *   meta mark { 1, 2 }, mark 1-5           lookup, range: a match of any value
 *
 * and nft_compat's xt matches and targets through audit_xt_uses().
 */
/* xtables.h (through backend.h) before the kernel's headers */
#include "backend.h"
#include "nfnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nfnetlink.h>

#include "audit-read.h"

/* ---- tables the backend left to us ---- */

struct native_table {
	uint8_t family;
	char *name;
	uint64_t *handles;	/* read already, sorted */
	unsigned int nhandles;
};

struct audit_native {
	struct native_table *v;
	unsigned int n;
};

struct audit_native *audit_native_alloc(void)
{
	return calloc(1, sizeof(struct audit_native));
}

void audit_native_free(struct audit_native *n)
{
	if (!n)
		return;
	for (unsigned int i = 0; i < n->n; i++) {
		free(n->v[i].name);
		free(n->v[i].handles);
	}
	free(n->v);
	free(n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int audit_native_add(struct audit_native *n, uint8_t family, const char *table,
		     const uint64_t *handles, unsigned int count)
{
	struct native_table *g = realloc(n->v, (n->n + 1) * sizeof(*g));
	struct native_table t = { .family = family, .nhandles = count };

	if (!g)
		return -1;
	n->v = g;
	t.name = strdup(table);
	t.handles = malloc((count ? count : 1) * sizeof(*handles));
	if (!t.name || !t.handles) {
		free(t.name);
		free(t.handles);
		return -1;
	}
	memcpy(t.handles, handles, count * sizeof(*handles));
	qsort(t.handles, count, sizeof(*handles), cmp_u64);
	n->v[n->n++] = t;
	return 0;
}

static const struct native_table *native_find(const struct audit_native *n,
					      uint8_t family, const char *name)
{
	for (unsigned int i = 0; n && i < n->n; i++)
		if (n->v[i].family == family && strcmp(n->v[i].name, name) == 0)
			return &n->v[i];
	return NULL;
}

/* ---- the register model ---- */

enum src { SRC_NONE, SRC_IMM, SRC_MARK, SRC_CTMARK, SRC_IIF, SRC_OIF,
	   SRC_OTHER };

struct reg {
	enum src src;
	uint32_t imm;
	uint32_t and, xor;	/* (src & and) ^ xor */
	bool shifted;
	char name[IFNAMSIZ + 1];
};

#define NREGS		24	/* NFT_REG32_15 + 1 */
#define MAX_USES	8

struct interp {
	struct reg r[NREGS];
	struct audit_use uses[MAX_USES];
	unsigned int n;
	char iif[IFNAMSIZ + 2], oif[IFNAMSIZ + 2];
	char comment[256];
};

static struct reg *reg_at(struct interp *in, const struct nlattr *a)
{
	uint32_t r = a ? ntohl(mnl_attr_get_u32(a)) : 0;

	return r < NREGS ? &in->r[r] : NULL;
}

static void reg_load(struct reg *r, enum src src)
{
	if (r)
		*r = (struct reg){ .src = src, .and = UINT32_MAX };
}

static void add_use(struct interp *in, struct audit_use u)
{
	if (in->n < MAX_USES)
		in->uses[in->n++] = u;
}

/* The nested attributes of one expression, by type (up to 15). */
#define EXPR_MAX	15
struct expr_attrs {
	const struct nlattr *a[EXPR_MAX + 1];
};

static int expr_attr_cb(const struct nlattr *attr, void *data)
{
	struct expr_attrs *ea = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= EXPR_MAX)
		ea->a[type] = attr;
	return MNL_CB_OK;
}

static uint32_t attr_u32(const struct nlattr *a)
{
	return a ? ntohl(mnl_attr_get_u32(a)) : 0;
}

/* The first four bytes of an nft_data attribute's value (host order, as
 * meta and ct load marks), and its length. */
static uint32_t data_u32(const struct nlattr *nest, const void **bytes,
			 size_t *len)
{
	const struct nlattr *a;
	uint32_t v = 0;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != NFTA_DATA_VALUE)
			continue;
		memcpy(&v, mnl_attr_get_payload(a),
		       mnl_attr_get_payload_len(a) < 4 ?
		       mnl_attr_get_payload_len(a) : 4);
		if (bytes) {
			*bytes = mnl_attr_get_payload(a);
			*len = mnl_attr_get_payload_len(a);
		}
	}
	return v;
}

/* meta/ct set: what the register holds says how the mark is written */
static void write_mark(struct interp *in, enum audit_word word,
		       const struct reg *r)
{
	enum src self = word == AUDIT_PACKET ? SRC_MARK : SRC_CTMARK;
	enum src other = word == AUDIT_PACKET ? SRC_CTMARK : SRC_MARK;
	struct audit_use u = { .word = word, .how = AUDIT_SET_WHOLE,
			       .mask = UINT32_MAX };

	if (!r)
		return;
	if (r->src == SRC_IMM && !r->shifted) {
		u.value = (r->imm & r->and) ^ r->xor;
		u.value_known = true;
	} else if (r->src == self && !r->shifted) {
		if (r->and == UINT32_MAX && r->xor == 0)
			return;		/* meta mark set mark */
		u.how = r->and == 0 ? AUDIT_SET_WHOLE : AUDIT_SET;
		u.mask = r->and == 0 ? UINT32_MAX : ~r->and;
		u.value = r->xor;
		u.value_known = true;
	} else if (r->src == other) {
		u.how = AUDIT_COPY_WHOLE;
	}
	add_use(in, u);
}

static void read_mark(struct interp *in, const struct reg *r, uint32_t op,
		      const struct nlattr *data, bool known)
{
	struct audit_use u = { .how = AUDIT_MATCH };

	if (!r || (r->src != SRC_MARK && r->src != SRC_CTMARK) || r->shifted)
		return;
	u.word = r->src == SRC_MARK ? AUDIT_PACKET : AUDIT_CONNTRACK;
	u.mask = r->and;
	u.value_known = known && (op == NFT_CMP_EQ || op == NFT_CMP_NEQ);
	u.invert = op == NFT_CMP_NEQ;
	if (u.value_known)
		u.value = data_u32(data, NULL, NULL) ^ r->xor;
	add_use(in, u);
}

/* iifname/oifname compared: the interface, "+" after a prefix */
static void read_iface(struct interp *in, const struct reg *r,
		       const struct nlattr *data)
{
	const void *bytes = NULL;
	size_t len = 0, n;
	char *dst;

	data_u32(data, &bytes, &len);
	if (!bytes)
		return;
	dst = r->src == SRC_IIF ? in->iif : in->oif;
	n = strnlen(bytes, len < IFNAMSIZ ? len : IFNAMSIZ);
	memcpy(dst, bytes, n);
	strcpy(dst + n, n == len ? "+" : "");
}

static void ex_meta(struct interp *in, const struct expr_attrs *e)
{
	uint32_t key = attr_u32(e->a[NFTA_META_KEY]);

	if (e->a[NFTA_META_SREG]) {
		if (key == NFT_META_MARK)
			write_mark(in, AUDIT_PACKET, reg_at(in, e->a[NFTA_META_SREG]));
		return;
	}
	reg_load(reg_at(in, e->a[NFTA_META_DREG]),
		 key == NFT_META_MARK ? SRC_MARK :
		 key == NFT_META_IIFNAME ? SRC_IIF :
		 key == NFT_META_OIFNAME ? SRC_OIF : SRC_OTHER);
}

static void ex_ct(struct interp *in, const struct expr_attrs *e)
{
	uint32_t key = attr_u32(e->a[NFTA_CT_KEY]);

	if (e->a[NFTA_CT_SREG]) {
		if (key == NFT_CT_MARK)
			write_mark(in, AUDIT_CONNTRACK, reg_at(in, e->a[NFTA_CT_SREG]));
		return;
	}
	reg_load(reg_at(in, e->a[NFTA_CT_DREG]),
		 key == NFT_CT_MARK ? SRC_CTMARK : SRC_OTHER);
}

static void ex_immediate(struct interp *in, const struct expr_attrs *e)
{
	struct reg *r = reg_at(in, e->a[NFTA_IMMEDIATE_DREG]);

	if (!r || r == &in->r[NFT_REG_VERDICT])
		return;
	reg_load(r, SRC_IMM);
	r->imm = data_u32(e->a[NFTA_IMMEDIATE_DATA], NULL, NULL);
}

/* (x & and1 ^ xor1) & M ^ X = x & (and1 & M) ^ ((xor1 & M) ^ X) */
static void ex_bitwise(struct interp *in, const struct expr_attrs *e)
{
	struct reg *s = reg_at(in, e->a[NFTA_BITWISE_SREG]);
	struct reg *d = reg_at(in, e->a[NFTA_BITWISE_DREG]);
	uint32_t m, x;

	if (!s || !d)
		return;
	*d = *s;
	if (attr_u32(e->a[NFTA_BITWISE_OP]) != NFT_BITWISE_BOOL) {
		d->shifted = true;
		return;
	}
	m = data_u32(e->a[NFTA_BITWISE_MASK], NULL, NULL);
	x = data_u32(e->a[NFTA_BITWISE_XOR], NULL, NULL);
	d->and &= m;
	d->xor = (d->xor & m) ^ x;
}

static void ex_cmp(struct interp *in, const struct expr_attrs *e)
{
	const struct reg *r = reg_at(in, e->a[NFTA_CMP_SREG]);
	uint32_t op = attr_u32(e->a[NFTA_CMP_OP]);

	if (!r)
		return;
	if ((r->src == SRC_IIF || r->src == SRC_OIF) && op == NFT_CMP_EQ)
		read_iface(in, r, e->a[NFTA_CMP_DATA]);
	else
		read_mark(in, r, op, e->a[NFTA_CMP_DATA], true);
}

static void ex_lookup(struct interp *in, const struct expr_attrs *e)
{
	struct audit_use *u;
	unsigned int before = in->n;

	read_mark(in, reg_at(in, e->a[NFTA_LOOKUP_SREG]), NFT_CMP_EQ, NULL,
		  false);
	if (in->n > before) {
		u = &in->uses[in->n - 1];
		u->invert = attr_u32(e->a[NFTA_LOOKUP_FLAGS]) & NFT_LOOKUP_F_INV;
	}
	reg_load(reg_at(in, e->a[NFTA_LOOKUP_DREG]), SRC_OTHER);
}

static void ex_range(struct interp *in, const struct expr_attrs *e)
{
	read_mark(in, reg_at(in, e->a[NFTA_RANGE_SREG]), NFT_CMP_EQ, NULL,
		  false);
}

/* nft_compat: the xt struct of a match or target (same attribute
 * numbers for both) */
static void ex_compat(struct interp *in, const struct expr_attrs *e)
{
	const char *name;
	const void *info;
	size_t len;

	if (!e->a[NFTA_MATCH_NAME] || !e->a[NFTA_MATCH_INFO])
		return;
	name = mnl_attr_get_str(e->a[NFTA_MATCH_NAME]);
	info = mnl_attr_get_payload(e->a[NFTA_MATCH_INFO]);
	len = mnl_attr_get_payload_len(e->a[NFTA_MATCH_INFO]);
	if (strcmp(name, "comment") == 0) {
		snprintf(in->comment, sizeof(in->comment), "%.*s",
			 (int)strnlen(info, len), (const char *)info);
		return;
	}
	if (in->n + 2 <= MAX_USES)
		in->n += audit_xt_uses(name, attr_u32(e->a[NFTA_MATCH_REV]),
				       info, len, in->uses + in->n);
}

static void ex_payload(struct interp *in, const struct expr_attrs *e)
{
	reg_load(reg_at(in, e->a[NFTA_PAYLOAD_DREG]), SRC_OTHER);
}

static const struct {
	const char *name;
	void (*run)(struct interp *in, const struct expr_attrs *e);
} exprs[] = {
	{ "meta", ex_meta }, { "ct", ex_ct }, { "immediate", ex_immediate },
	{ "bitwise", ex_bitwise }, { "cmp", ex_cmp }, { "lookup", ex_lookup },
	{ "range", ex_range }, { "match", ex_compat }, { "target", ex_compat },
	{ "payload", ex_payload },
	/* read registers or none: nothing to note */
	{ "counter", NULL }, { "log", NULL }, { "limit", NULL },
	{ "quota", NULL }, { "reject", NULL }, { "queue", NULL },
	{ "nat", NULL }, { "masq", NULL }, { "redir", NULL },
	{ "notrack", NULL }, { "dynset", NULL }, { "objref", NULL },
	{ "dup", NULL }, { "fwd", NULL }, { "tproxy", NULL },
	{ "connlimit", NULL }, { "last", NULL }, { "synproxy", NULL },
};

static void run_expr(struct interp *in, const struct nlattr *elem)
{
	const struct nlattr *name = NULL, *data = NULL, *a;
	struct expr_attrs e = { { NULL } };

	mnl_attr_for_each_nested(a, elem) {
		if (mnl_attr_get_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	if (!name)
		return;
	if (data)
		mnl_attr_parse_nested(data, expr_attr_cb, &e);
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		if (strcmp(exprs[i].name, mnl_attr_get_str(name)) == 0) {
			if (exprs[i].run)
				exprs[i].run(in, &e);
			return;
		}
	/* an expression we do not model may write any register */
	for (int r = 1; r < NREGS; r++)
		reg_load(&in->r[r], SRC_OTHER);
}

/* nft's comment: userdata TLV type 0 (NFTNL_UDATA_RULE_COMMENT) */
static void rule_comment(struct interp *in, const struct nlattr *ud)
{
	const uint8_t *p = mnl_attr_get_payload(ud);
	size_t len = mnl_attr_get_payload_len(ud);

	while (len >= 2 && (size_t)p[1] + 2 <= len) {
		if (p[0] == 0) {
			snprintf(in->comment, sizeof(in->comment), "%.*s",
				 (int)strnlen((const char *)p + 2, p[1]),
				 (const char *)p + 2);
			return;
		}
		len -= p[1] + 2;
		p += p[1] + 2;
	}
}

/* ---- the dumps ---- */

struct native_read {
	struct audit *a;
	struct mnl_socket *nl;
	uint8_t family;
	const char *family_name, *table;
	/* handles not to count (read by the backend, or already counted
	 * before an interrupted dump started again), sorted */
	uint64_t *skip;
	unsigned int nskip, cap;
	unsigned int nsorted;	/* looked up: the sorted start of skip */
	unsigned long rules;
	/* the rule being added, for its text */
	const char *chain;
	uint64_t handle;
	const struct interp *in;
};

static char *native_text(const void *arg)
{
	const struct native_read *rd = arg;
	char *text = NULL, *use;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (!mem)
		return NULL;
	fprintf(mem, "nft table %s %s chain %s handle %llu:", rd->family_name,
		rd->table, rd->chain, (unsigned long long)rd->handle);
	for (unsigned int i = 0; i < rd->in->n; i++) {
		use = audit_use_text(&rd->in->uses[i]);
		fprintf(mem, " %s", use ? use : "?");
		free(use);
	}
	if (rd->in->comment[0])
		fprintf(mem, " comment \"%s\"", rd->in->comment);
	fclose(mem);
	return text;
}

static bool skipped(const struct native_read *rd, uint64_t handle)
{
	return rd->nsorted &&
	       bsearch(&handle, rd->skip, rd->nsorted, sizeof(handle), cmp_u64);
}

static int remember(struct native_read *rd, uint64_t handle)
{
	if (rd->nskip == rd->cap) {
		unsigned int cap = rd->cap ? 2 * rd->cap : 64;
		uint64_t *g = realloc(rd->skip, cap * sizeof(*g));

		if (!g)
			return -1;
		rd->skip = g;
		rd->cap = cap;
	}
	rd->skip[rd->nskip++] = handle;
	return 0;
}

static int rule_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= NFTA_RULE_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct native_read *rd = data;
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { NULL }, *elem;
	struct audit_site site = { .source = AUDIT_SRC_NFT,
				   .backend = "nf_tables" };
	struct interp in;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rule_attr_cb, tb);
	if (!tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    !tb[NFTA_RULE_EXPRESSIONS])
		return MNL_CB_OK;
	rd->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	if (skipped(rd, rd->handle))
		return MNL_CB_OK;
	memset(&in, 0, sizeof(in));
	mnl_attr_for_each_nested(elem, tb[NFTA_RULE_EXPRESSIONS])
		run_expr(&in, elem);
	if (in.n == 0)
		return MNL_CB_OK;
	if (tb[NFTA_RULE_USERDATA])
		rule_comment(&in, tb[NFTA_RULE_USERDATA]);
	rd->chain = mnl_attr_get_str(tb[NFTA_RULE_CHAIN]);
	rd->in = &in;
	site.family = rd->family_name;
	site.table = rd->table;
	site.chain = rd->chain;
	site.comment = in.comment[0] ? in.comment : NULL;
	site.iniface = in.iif[0] ? in.iif : NULL;
	site.outiface = in.oif[0] ? in.oif : NULL;
	site.text = native_text;
	site.text_arg = rd;
	rd->rules++;
	if (audit_add(rd->a, &site, in.uses, in.n) < 0 ||
	    remember(rd, rd->handle) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* One dump request of nf_tables; @table limits it to one table. */
static int native_dump(struct mnl_socket *nl, uint8_t msg, uint8_t family,
		       const char *table, mnl_cb_t cb, void *data)
{
	char *buf = calloc(1, AUDIT_DUMP_SIZE);
	struct nlmsghdr *nlh;
	int ret;

	if (!buf)
		return -1;
	nlh = nfnl_request_build(buf, NFNL_SUBSYS_NFTABLES, msg, family,
				 NLM_F_DUMP, 0);
	if (table)
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	ret = audit_nl_talk(nl, nlh, buf, cb, data);
	free(buf);
	return ret;
}

/* A dump the ruleset changed under (EINTR) starts again, skipping the
 * rules already counted. */
static int native_read_table(struct native_read *rd, const struct native_table *t)
{
	int ret = -1;

	rd->nskip = 0;
	for (unsigned int i = 0; t && i < t->nhandles; i++)
		if (remember(rd, t->handles[i]) < 0)
			return -1;
	rd->nsorted = rd->nskip;	/* sorted by audit_native_add() */
	for (int tries = 0; tries < 8; tries++) {
		ret = native_dump(rd->nl, NFT_MSG_GETRULE, rd->family, rd->table,
			       rule_cb, rd);
		if (ret >= 0 || errno != EINTR)
			break;
		qsort(rd->skip, rd->nskip, sizeof(*rd->skip), cmp_u64);
		rd->nsorted = rd->nskip;
	}
	return ret;
}

static const char *family_name(uint8_t f)
{
	switch (f) {
	case NFPROTO_INET: return "inet";
	case NFPROTO_IPV4: return "ip";
	case NFPROTO_ARP: return "arp";
	case NFPROTO_NETDEV: return "netdev";
	case NFPROTO_BRIDGE: return "bridge";
	case NFPROTO_IPV6: return "ip6";
	}
	return "unknown";
}

/* The tables, as (family, name) */
struct table_list {
	struct { uint8_t family; char *name; } *v;
	unsigned int n;
};

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct table_list *tl = data;
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	void *g;

	mnl_attr_for_each(a, nlh, sizeof(*nfg)) {
		if (mnl_attr_get_type(a) != NFTA_TABLE_NAME)
			continue;
		g = realloc(tl->v, (tl->n + 1) * sizeof(*tl->v));
		if (!g)
			return MNL_CB_ERROR;
		tl->v = g;
		tl->v[tl->n].family = nfg->nfgen_family;
		if (!(tl->v[tl->n].name = strdup(mnl_attr_get_str(a))))
			return MNL_CB_ERROR;
		tl->n++;
	}
	return MNL_CB_OK;
}

static bool iptables_table(uint8_t family, const char *name)
{
	return (family == NFPROTO_IPV4 || family == NFPROTO_IPV6) &&
	       backend_table_find(name);
}

static int read_tables(struct native_read *rd, const struct table_list *tl,
		       const struct audit_native *native, unsigned int *count)
{
	for (unsigned int i = 0; i < tl->n; i++) {
		const struct native_table *t = native_find(native, tl->v[i].family,
							   tl->v[i].name);

		if (!t && iptables_table(tl->v[i].family, tl->v[i].name))
			continue;	/* the backend read it */
		rd->family = tl->v[i].family;
		rd->family_name = family_name(rd->family);
		rd->table = tl->v[i].name;
		if (native_read_table(rd, t) < 0)
			return -1;
		(*count)++;
	}
	return 0;
}

int audit_read_nft(struct audit *a, const struct audit_native *native)
{
	struct native_read rd = { .a = a };
	struct table_list tl = { NULL, 0 };
	unsigned int tables = 0;
	int ret = -1, e;
	char why[64];

	rd.nl = audit_nl_open(NETLINK_NETFILTER);
	if (!rd.nl)
		goto out;
	if (native_dump(rd.nl, NFT_MSG_GETTABLE, NFPROTO_UNSPEC, NULL, table_cb,
			&tl) < 0)
		goto out;
	ret = read_tables(&rd, &tl, native, &tables);
	snprintf(why, sizeof(why), "%u table%s", tables, tables == 1 ? "" : "s");
	if (ret == 0)
		audit_note_source(a, "nftables", rd.rules, why);
out:
	e = errno;
	for (unsigned int i = 0; i < tl.n; i++)
		free(tl.v[i].name);
	free(tl.v);
	free(rd.skip);
	if (rd.nl)
		mnl_socket_close(rd.nl);
	errno = e;
	return ret;
}
