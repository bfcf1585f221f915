// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule -> text.  Each rule element (addresses, interfaces, protocol,
 * fragment, matches, counters, target) has one emitter that knows the
 * three modes; a mode is an ordered list of those emitters.  Output bytes
 * follow iptables-nft 1.8.9 (-S, save, -L) and iptables-translate 1.8.9.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "emit.h"
#include "msg.h"
#include "util.h"

enum emit_mode {
	EMIT_SAVE,
	EMIT_LIST,
	EMIT_XLATE,
};

struct emit_ctx {
	const struct rule *r;
	enum emit_mode mode;
	unsigned int fmt;		/* libxtables FMT_* for list mode */
	unsigned int flags;		/* enum rule_list_flags */
	unsigned int num;		/* --line-numbers */
	struct xt_xlate *xl;		/* xlate mode */
	int ret;			/* xlate: 0 once something lacks xlate */
};

typedef void (*emit_fn)(struct emit_ctx *e);

/* Address and mask of one direction, as text in each family. */
struct emit_addr {
	char letter;			/* 's' or 'd' */
	const char *nft;		/* "saddr" / "daddr" */
	uint8_t invflag;
};

static const struct emit_addr addr_src = { 's', "saddr", IPT_INV_SRCIP };
static const struct emit_addr addr_dst = { 'd', "daddr", IPT_INV_DSTIP };

static bool is_v6(const struct rule *r)
{
	return r->family == NFPROTO_IPV6;
}

static bool inverted(const struct emit_ctx *e, uint8_t flag)
{
	return rule_invflags(e->r) & flag;
}

/* List mode's column format, or libxtables' FMT_NOTABLE variant that
 * iptables -v uses to show the rule it applies. */
static const char *col(const struct emit_ctx *e, const char *tab,
		       const char *notab)
{
	return (e->fmt & FMT_NOTABLE) ? notab : tab;
}

/*
 * Protocol names as iptables prints them: its own short table first, then
 * /etc/protocols unless @numeric.
 */
static const char *proto_name(uint16_t proto, bool numeric)
{
	for (unsigned int i = 0; xtables_chain_protos[i].name; i++)
		if (xtables_chain_protos[i].num == proto)
			return xtables_chain_protos[i].name;
	if (proto && !numeric) {
		const struct protoent *pent = getprotobynumber(proto);

		if (pent)
			return pent->p_name;
	}
	return NULL;
}

/* -------- addresses -------- */

struct addr_text {
	const void *addrp, *maskp;
	int af;
	char addr[INET6_ADDRSTRLEN];
	char mask[INET6_ADDRSTRLEN + 1];	/* "/24", "/255.0.255.0", "" */
	int cidr;				/* -1 if not contiguous */
	bool any;				/* mask all zero */
	bool zero;				/* mask and address zero */
};

/* What @t tells of one direction without text: most rules match any
 * address, and their save line says nothing of it. */
static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static void addr_fill(const struct emit_ctx *e, const struct emit_addr *a,
		      struct addr_text *t)
{
	struct rule_ipview v = rule_ipview((struct rule *)e->r);

	t->af = v.addrlen == 16 ? AF_INET6 : AF_INET;
	t->addrp = a->letter == 's' ? v.src : v.dst;
	t->maskp = a->letter == 's' ? v.smsk : v.dmsk;
	t->any = all_zero(t->maskp, v.addrlen);
	t->zero = t->any && all_zero(t->addrp, v.addrlen);
}

/* The address and "/prefix" (or "/mask") as iptables-save writes them. */
static void addr_format(struct addr_text *t)
{
	t->cidr = t->af == AF_INET6 ? xtables_ip6mask_to_cidr(t->maskp) :
				      xtables_ipmask_to_cidr(t->maskp);
	inet_ntop(t->af, t->addrp, t->addr, sizeof(t->addr));
	if (t->cidr == -1) {
		t->mask[0] = '/';
		inet_ntop(t->af, t->maskp, t->mask + 1, sizeof(t->mask) - 1);
	} else {
		snprintf(t->mask, sizeof(t->mask), "/%d", t->cidr);
	}
}

/* -L column: "anywhere", a host name or numbers, prefix hidden for hosts. */
static void addr_list(const struct emit_ctx *e, const struct emit_addr *a,
		      const struct addr_text *t)
{
	bool numeric = e->fmt & FMT_NUMERIC;
	const char *fmt = col(e, "%-19s ", a->letter == 's' ? "%s " : "-> %s");
	char buf[BUFSIZ];

	putchar(inverted(e, a->invflag) ? '!' : ' ');
	if (t->any && !numeric) {
		printf(fmt, "anywhere");
		return;
	}
	/* two steps: the mask's text may reuse the address's static buffer */
	if (t->af == AF_INET6) {
		snprintf(buf, sizeof(buf), "%s", numeric ?
			 xtables_ip6addr_to_numeric(t->addrp) :
			 xtables_ip6addr_to_anyname(t->addrp));
		strncat(buf, xtables_ip6mask_to_numeric(t->maskp),
			sizeof(buf) - strlen(buf) - 1);
	} else {
		snprintf(buf, sizeof(buf), "%s", numeric ?
			 xtables_ipaddr_to_numeric(t->addrp) :
			 xtables_ipaddr_to_anyname(t->addrp));
		strncat(buf, xtables_ipmask_to_numeric(t->maskp),
			sizeof(buf) - strlen(buf) - 1);
	}
	printf(fmt, buf);
}

static void emit_addr(struct emit_ctx *e, const struct emit_addr *a)
{
	bool inv = inverted(e, a->invflag);
	struct addr_text t;

	addr_fill(e, a, &t);
	switch (e->mode) {
	case EMIT_SAVE:
		if (t.zero && !inv)
			return;
		addr_format(&t);
		printf("%s -%c %s%s", inv ? " !" : "", a->letter, t.addr, t.mask);
		break;
	case EMIT_LIST:
		addr_list(e, a, &t);
		break;
	case EMIT_XLATE:
		if (t.any && !inv)
			return;
		addr_format(&t);
		if (t.cidr == -1)
			xt_xlate_add(e->xl, "%s %s & %s %s %s ",
				     is_v6(e->r) ? "ip6" : "ip", a->nft,
				     t.mask + 1, inv ? "!=" : "==", t.addr);
		else
			xt_xlate_add(e->xl, "%s %s %s%s%s ",
				     is_v6(e->r) ? "ip6" : "ip", a->nft,
				     inv ? "!= " : "", t.addr,
				     t.cidr == (is_v6(e->r) ? 128 : 32) ?
				     "" : t.mask);
		break;
	}
}

static void emit_src(struct emit_ctx *e)
{
	emit_addr(e, &addr_src);
}

static void emit_dst(struct emit_ctx *e)
{
	emit_addr(e, &addr_dst);
}

/* -------- interfaces -------- */

/* nft has no wildcard-only name: "+" matches always, "! +" never. */
static void iface_xlate(struct emit_ctx *e, const char *meta,
			const char *name, bool inv)
{
	char buf[IFNAMSIZ + 1];
	size_t len = strlen(name);

	if (len == 0 || len >= IFNAMSIZ)
		return;
	if (strcmp(name, "+") == 0) {
		if (!inv)
			return;
		snprintf(buf, sizeof(buf), "INVAL/D");
		inv = false;
	} else {
		memcpy(buf, name, len + 1);
		if (buf[len - 1] == '+')
			buf[len - 1] = '*';
	}
	xt_xlate_add(e->xl, "%s %s\"%s\" ", meta, inv ? "!= " : "", buf);
}

/* Rules come as the kernel's x_tables entries have them, and are shown
 * as iptables-legacy shows those (emit_set_libiptc()). */
static bool libiptc;

void emit_set_libiptc(bool on)
{
	libiptc = on;
}

/* iptables-legacy's -S: the name under its mask, "+" where the mask
 * ends before the name does; nothing for an all-zero mask ("-i +"). */
static void iface_save_masked(const char *name, const unsigned char *mask,
			      char letter, bool inv)
{
	if (mask[0] == 0)
		return;
	printf("%s -%c ", inv ? " !" : "", letter);
	for (int i = 0; i < IFNAMSIZ; i++) {
		if (mask[i] == 0) {
			if (name[i - 1] != '\0')
				putchar('+');
			break;
		}
		if (name[i] != '\0')
			putchar(name[i]);
	}
}

static const unsigned char *iface_mask(const struct rule *r, bool out)
{
	if (r->family == NFPROTO_IPV6)
		return out ? r->entry.v6.ipv6.outiface_mask :
			     r->entry.v6.ipv6.iniface_mask;
	return out ? r->entry.v4.ip.outiface_mask : r->entry.v4.ip.iniface_mask;
}

static void emit_iface(struct emit_ctx *e, bool out)
{
	const char *name = out ? rule_outiface(e->r) : rule_iniface(e->r);
	bool inv = inverted(e, out ? IPT_INV_VIA_OUT : IPT_INV_VIA_IN);
	char buf[IFNAMSIZ + 2];

	switch (e->mode) {
	case EMIT_SAVE:
		if (libiptc) {
			iface_save_masked(name, iface_mask(e->r, out),
					  out ? 'o' : 'i', inv);
			return;
		}
		/* iptables-nft encodes a plain "+" as nothing at all */
		if (name[0] == '\0' || (!inv && strcmp(name, "+") == 0))
			return;
		printf("%s -%c %s", inv ? " !" : "", out ? 'o' : 'i', name);
		break;
	case EMIT_LIST:
		if (!(e->fmt & FMT_VIA))
			return;
		if (!libiptc && !inv && strcmp(name, "+") == 0)
			name = "";
		snprintf(buf, sizeof(buf), "%s%s", inv ? "!" : "",
			 name[0] ? name : (e->fmt & FMT_NUMERIC) ? "*" : "any");
		printf(out ? col(e, "%-6s ", "out %s ") :
			     col(e, " %-6s ", "in %s "), buf);
		break;
	case EMIT_XLATE:
		iface_xlate(e, out ? "oifname" : "iifname", name, inv);
		break;
	}
}

static void emit_in(struct emit_ctx *e)
{
	emit_iface(e, false);
}

static void emit_out(struct emit_ctx *e)
{
	emit_iface(e, true);
}

/* -------- protocol -------- */

/* iptables-translate leaves the protocol to a match named after it in
 * /etc/protocols ("ip protocol tcp tcp dport" would be redundant). */
static bool proto_has_match(const struct rule *r, const char *pname)
{
	for (unsigned int i = 0; i < r->nmatches; i++)
		if (r->matches[i].ext &&
		    strcmp(r->matches[i].ext->name, pname) == 0)
			return true;
	return false;
}

static void proto_xlate(struct emit_ctx *e, uint16_t proto, bool inv)
{
	const struct protoent *pent = getprotobynumber(proto);
	char num[8];

	if (proto == 0 || (pent && proto_has_match(e->r, pent->p_name)))
		return;
	snprintf(num, sizeof(num), "%hu", proto);
	xt_xlate_add(e->xl, "%s %s%s ", is_v6(e->r) ? "meta l4proto" :
		     "ip protocol", inv ? "!= " : "", pent ? pent->p_name : num);
}

static void emit_proto(struct emit_ctx *e)
{
	uint16_t proto = rule_proto(e->r);
	bool inv = inverted(e, XT_INV_PROTO);
	const char *pname;

	switch (e->mode) {
	case EMIT_SAVE:
		if (proto == 0)
			return;
		pname = proto_name(proto, false);
		if (pname)
			printf("%s -p %s", inv ? " !" : "", pname);
		else
			printf("%s -p %u", inv ? " !" : "", proto);
		break;
	case EMIT_LIST:
		putchar(inv ? '!' : ' ');
		/* -L -n shows numbers, the -v rule line iptables' own names */
		if (e->fmt & FMT_NOTABLE)
			pname = proto_name(proto, true);
		else
			pname = (e->fmt & FMT_NUMERIC) ? NULL :
				proto_name(proto, false);
		if (pname)
			printf(col(e, "%-4s ", "%s "), pname);
		else
			printf(col(e, "%-4hu ", "%hu "), proto);
		break;
	case EMIT_XLATE:
		proto_xlate(e, proto, inv);
		break;
	}
}

/* -------- fragment (IPv4 only) -------- */

static void emit_frag(struct emit_ctx *e)
{
	bool frag = !is_v6(e->r) && (e->r->entry.v4.ip.flags & IPT_F_FRAG);
	bool inv = inverted(e, IPT_INV_FRAG);

	switch (e->mode) {
	case EMIT_SAVE:
		if (frag)
			printf("%s -f", inv ? " !" : "");
		break;
	case EMIT_LIST:
		printf("%s%c%c ", col(e, "", "opt "), inv ? '!' : '-',
		       frag ? 'f' : '-');
		break;
	case EMIT_XLATE:
		if (frag)
			xt_xlate_add(e->xl, "ip frag-off & 0x1fff %s%x ",
				     inv ? "" : "!= ", 0);
		break;
	}
}

/* -------- matches -------- */

static const char *match_name(const struct rule_match *m)
{
	if (!m->ext)
		return m->data->u.user.name;
	return m->ext->alias ? m->ext->alias(m->data) : m->ext->name;
}

/* What -L prints a parsed match with: an alias (state for conntrack)
 * prints as iptables-nft lists it back, through the real extension. */
static const struct xtables_match *list_match(const struct rule_match *m)
{
	const struct xtables_match *x = m->ext, *real;

	if (!x || !x->real_name || !(x->ext_flags & XTABLES_EXT_ALIAS))
		return x;
	real = xtables_find_match_revision(x->real_name, XTF_TRY_LOAD, NULL,
					   m->data->u.user.revision);
	return real ? real : x;
}

/* libxtables' xt_xlate_add spaces the words of consecutive matches. */
static void match_xlate(struct emit_ctx *e, const struct rule_match *m)
{
	struct xt_xlate_mt_params params = {
		.ip		= rule_entry((struct rule *)e->r),
		.match		= m->data,
	};

	if (!m->ext || !m->ext->xlate || !m->ext->xlate(e->xl, &params))
		e->ret = 0;
}

static void emit_matches(struct emit_ctx *e)
{
	const void *ip = rule_ip(e->r);

	for (unsigned int i = 0; i < e->r->nmatches && e->ret; i++) {
		const struct rule_match *m = &e->r->matches[i];

		switch (e->mode) {
		case EMIT_SAVE:
			printf(" -m %s", match_name(m));
			if (m->ext && m->ext->save)
				m->ext->save(ip, m->data);
			break;
		case EMIT_LIST:
			if (m->ext && list_match(m)->print)
				list_match(m)->print(ip, m->data,
						     e->fmt & FMT_NUMERIC);
			else if (libiptc)	/* iptables-legacy's print_match */
				printf(m->ext ? "%s " : "UNKNOWN match `%s' ",
				       m->ext ? m->ext->name :
				       m->data->u.user.name);
			break;
		case EMIT_XLATE:
			match_xlate(e, m);
			break;
		}
	}
}

/* -------- counters -------- */

static void emit_counters(struct emit_ctx *e)
{
	const struct xt_counters *c = rule_counters((struct rule *)e->r);

	switch (e->mode) {
	case EMIT_SAVE:
		if (e->flags & RULE_LIST_COUNTERS)
			printf(" -c %llu %llu", (unsigned long long)c->pcnt,
			       (unsigned long long)c->bcnt);
		break;
	case EMIT_LIST:
		if (e->fmt & FMT_NOCOUNTS)
			return;
		xtables_print_num(c->pcnt, e->fmt);
		xtables_print_num(c->bcnt, e->fmt);
		break;
	case EMIT_XLATE:
		/* iptables-nft counts every rule */
		xt_xlate_add(e->xl, "counter");
		break;
	}
}

/* -------- target / verdict -------- */

/*
 * What -L shows for a rule's target.  A parsed alias (NOTRACK for CT)
 * lists as iptables-nft lists it back from the kernel: as the real
 * extension, the revision the alias chose.
 */
static const struct xtables_target *list_target(const struct rule *r)
{
	const struct xtables_target *t = r->target, *real;

	if (!t || !t->real_name || !(t->ext_flags & XTABLES_EXT_ALIAS))
		return t;
	real = xtables_find_target_revision(t->real_name, XTF_TRY_LOAD, NULL,
					    r->target_data->u.user.revision);
	return real ? real : t;
}

/* The name in -j and in -L's target column; "" when the rule has none. */
static const char *target_name(const struct rule *r, bool save)
{
	switch (r->verdict) {
	case RULE_VERDICT_TARGET:
		if (!r->target)
			return r->target_data->u.user.name;
		if (save && r->target->alias)
			return r->target->alias(r->target_data);
		return save ? r->target->name : list_target(r)->name;
	case RULE_VERDICT_JUMP:
	case RULE_VERDICT_GOTO:
		return r->jump;
	case RULE_VERDICT_NONE:
		return "";
	default:
		return rule_verdict_name(r->verdict);
	}
}

static void target_xlate(struct emit_ctx *e)
{
	const struct rule *r = e->r;
	struct xt_xlate_tg_params params = {
		.ip		= rule_entry((struct rule *)r),
		.target		= r->target_data,
	};

	switch (r->verdict) {
	case RULE_VERDICT_NONE:
		break;
	case RULE_VERDICT_ACCEPT:
	case RULE_VERDICT_DROP:
	case RULE_VERDICT_RETURN:
		xt_xlate_add(e->xl, " %s", r->verdict == RULE_VERDICT_ACCEPT ?
			     "accept" : r->verdict == RULE_VERDICT_DROP ?
			     "drop" : "return");
		break;
	case RULE_VERDICT_JUMP:
	case RULE_VERDICT_GOTO:
		xt_xlate_add(e->xl, " %s %s", r->verdict == RULE_VERDICT_GOTO ?
			     "goto" : "jump", r->jump);
		break;
	case RULE_VERDICT_TARGET:
		if (!r->target || !r->target->xlate ||
		    !r->target->xlate(e->xl, &params))
			e->ret = 0;
		break;
	}
}

static void emit_target(struct emit_ctx *e)
{
	const struct rule *r = e->r;

	if (!e->ret)
		return;
	switch (e->mode) {
	case EMIT_SAVE:
		if (r->verdict == RULE_VERDICT_NONE)
			break;
		printf(" -%c %s", r->verdict == RULE_VERDICT_GOTO ? 'g' : 'j',
		       target_name(r, true));
		if (r->verdict == RULE_VERDICT_TARGET && r->target &&
		    r->target->save)
			r->target->save(rule_ip(r), r->target_data);
		break;
	case EMIT_LIST:
		if (r->verdict == RULE_VERDICT_TARGET && r->target &&
		    list_target(r)->print)
			list_target(r)->print(rule_ip(r), r->target_data,
					 e->fmt & FMT_NUMERIC);
		break;
	case EMIT_XLATE:
		target_xlate(e);
		break;
	}
}

/* -------- list-only columns -------- */

static void emit_linenum(struct emit_ctx *e)
{
	if (e->fmt & FMT_LINENUMBERS)
		printf("%-4u ", e->num);
}

static void emit_target_column(struct emit_ctx *e)
{
	printf(col(e, "%-9s ", "%s "), target_name(e->r, false));
}

static void emit_notable_gap(struct emit_ctx *e)
{
	fputs(col(e, "", "  "), stdout);
}

static void emit_goto(struct emit_ctx *e)
{
	if (e->r->verdict == RULE_VERDICT_GOTO)
		printf("[goto] ");
}

/* -------- xlate-only tail -------- */

static void emit_comment(struct emit_ctx *e)
{
	const char *comment = xt_xlate_get_comment(e->xl);

	/* libxt_comment hands it over quoted */
	if (e->ret && comment)
		xt_xlate_add(e->xl, " comment %s", comment);
}

/* -------- modes -------- */

static const emit_fn save_order[] = {
	emit_src, emit_dst, emit_in, emit_out, emit_proto, emit_frag,
	emit_matches, emit_counters, emit_target, NULL,
};

static const emit_fn list_order[] = {
	emit_linenum, emit_counters, emit_target_column, emit_proto,
	emit_frag, emit_in, emit_out, emit_src, emit_dst, emit_notable_gap,
	emit_goto, emit_matches, emit_target, NULL,
};

static const emit_fn xlate_order[] = {
	emit_in, emit_out, emit_frag, emit_proto, emit_src, emit_dst,
	emit_matches, emit_counters, emit_target, emit_comment, NULL,
};

static void emit_run(struct emit_ctx *e, const emit_fn *order)
{
	for (; *order; order++)
		(*order)(e);
}

void emit_die_unparsable(const char *why)
{
	if (why)
		fprintf(stderr, "Error: %s\n", why);
	msg_die(VERSION_PROBLEM, "Parsing nftables rule failed");
}

void emit_foreign_base_chains(const struct backend_ops *ops,
			      struct backend *b, const char *table,
			      const char *chain)
{
	if (ops->foreign_base_chains &&
	    ops->foreign_base_chains(b, table, chain))
		printf("# Table `%s' contains incompatible base-chains, use 'nft' tool to list them.\n",
		       table);
}

/* iptables-nft stops listing at a rule it cannot parse back. */
static void check_supported(const struct rule *r)
{
	if (r->unsupported)
		emit_die_unparsable(r->unsupported_msg);
}

void emit_rule_save(const char *chain, const struct rule *r,
		    unsigned int flags)
{
	struct emit_ctx e = { .r = r, .mode = EMIT_SAVE, .flags = flags,
			      .ret = 1 };

	check_supported(r);
	printf("-A %s", chain);
	emit_run(&e, save_order);
	putchar('\n');
}

void emit_rule_save_counters(const char *chain, const struct rule *r)
{
	const struct xt_counters *c = rule_counters((struct rule *)r);

	check_supported(r);
	printf("[%llu:%llu] ", (unsigned long long)c->pcnt,
	       (unsigned long long)c->bcnt);
	emit_rule_save(chain, r, 0);
}

void emit_chain_save(const struct rule_chain *c, unsigned int flags)
{
	if (!c->builtin) {
		printf("-N %s\n", c->name);
		return;
	}
	printf("-P %s %s", c->name, rule_verdict_name(c->policy));
	if (flags & RULE_LIST_COUNTERS)
		printf(" -c %llu %llu", (unsigned long long)c->counters.pcnt,
		       (unsigned long long)c->counters.bcnt);
	putchar('\n');
}

/* rule_list_flags -> libxtables' FMT_* as iptables -L computes them. */
static unsigned int list_format(unsigned int flags)
{
	unsigned int fmt = FMT_OPTIONS;

	fmt |= (flags & RULE_LIST_VERBOSE) ? FMT_VIA : FMT_NOCOUNTS;
	if (flags & RULE_LIST_NUMERIC)
		fmt |= FMT_NUMERIC;
	if (!(flags & RULE_LIST_EXACT))
		fmt |= FMT_KILOMEGAGIGA;
	if (flags & RULE_LIST_LINE_NUMBERS)
		fmt |= FMT_LINENUMBERS;
	return fmt;
}

static void list_policy(const struct rule_chain *c, unsigned int fmt)
{
	printf(" (policy %s", rule_verdict_name(c->policy));
	if (!(fmt & FMT_NOCOUNTS)) {
		putchar(' ');
		xtables_print_num(c->counters.pcnt, fmt | FMT_NOTABLE);
		fputs("packets, ", stdout);
		xtables_print_num(c->counters.bcnt, fmt | FMT_NOTABLE);
		fputs("bytes", stdout);
	}
	puts(")");
}

void emit_chain_list_header(const struct rule_chain *c, unsigned int nrules,
			    unsigned int flags)
{
	unsigned int fmt = list_format(flags);
	long long refs = c->references;

	if (c->refs_with_rules)
		refs -= nrules;
	printf("Chain %s", c->name);
	if (c->builtin)
		list_policy(c, fmt);
	else if (refs < 0)
		puts(" (ERROR obtaining refs)");
	else
		printf(" (%lld references)\n", refs);

	if (fmt & FMT_LINENUMBERS)
		printf("%-4s ", "num");
	if (!(fmt & FMT_NOCOUNTS)) {
		if (fmt & FMT_KILOMEGAGIGA)
			printf("%5s %5s ", "pkts", "bytes");
		else
			printf("%8s %10s ", "pkts", "bytes");
	}
	printf("%-9s  prot opt", "target");
	if (fmt & FMT_VIA)
		printf(" %-6s %-6s ", "in", "out");
	printf(" %-19s  %-19s \n", "source", "destination");
}

void emit_rule_list(const struct rule *r, unsigned int num, unsigned int flags)
{
	struct emit_ctx e = { .r = r, .mode = EMIT_LIST, .num = num,
			      .flags = flags, .fmt = list_format(flags),
			      .ret = 1 };

	check_supported(r);
	emit_run(&e, list_order);
	putchar('\n');
}

void emit_rule_print(const struct rule *r)
{
	struct emit_ctx e = { .r = r, .mode = EMIT_LIST, .fmt = FMT_PRINT_RULE,
			      .ret = 1 };

	emit_run(&e, list_order);
	putchar('\n');
}

int emit_rule_xlate(const struct rule_cmd *cmd, const struct rule *r)
{
	struct emit_ctx e = { .r = r, .mode = EMIT_XLATE, .ret = 1 };
	const char *family = is_v6(r) ? "ip6" : "ip";
	const char *set;

	e.xl = xt_xlate_alloc(10240);
	if (!e.xl)
		return -1;
	xl_xlate_set_family(e.xl, r->family);
	emit_run(&e, xlate_order);
	if (e.ret) {
		/* a match may declare a set first (connlimit) */
		set = xt_xlate_set_get(e.xl);
		if (set[0])
			printf("'add set %s %s %s'\nnft ", family, cmd->table,
			       set);
		printf("'%s rule %s %s %s %s'\n",
		       cmd->command == RULE_CMD_INSERT ? "insert" : "add",
		       family, cmd->table, cmd->chain, xt_xlate_get(e.xl));
	}
	xt_xlate_free(e.xl);
	if (!e.ret) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return 0;
}
