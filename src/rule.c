// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "util.h"

struct rule_ipview rule_ipview(struct rule *r)
{
	if (r->family == NFPROTO_IPV6) {
		struct ip6t_ip6 *ip = &r->entry.v6.ipv6;

		return (struct rule_ipview) {
			.src = ip->src.s6_addr, .dst = ip->dst.s6_addr,
			.smsk = ip->smsk.s6_addr, .dmsk = ip->dmsk.s6_addr,
			.addrlen = sizeof(ip->src),
			.iniface = ip->iniface, .outiface = ip->outiface,
			.iniface_mask = ip->iniface_mask,
			.outiface_mask = ip->outiface_mask,
			.proto = &ip->proto,
			.flags = &ip->flags, .invflags = &ip->invflags,
			.goto_flag = IP6T_F_GOTO, .proto_flag = IP6T_F_PROTO,
		};
	}
	struct ipt_ip *ip = &r->entry.v4.ip;

	return (struct rule_ipview) {
		.src = (uint8_t *)&ip->src, .dst = (uint8_t *)&ip->dst,
		.smsk = (uint8_t *)&ip->smsk, .dmsk = (uint8_t *)&ip->dmsk,
		.addrlen = sizeof(ip->src),
		.iniface = ip->iniface, .outiface = ip->outiface,
		.iniface_mask = ip->iniface_mask,
		.outiface_mask = ip->outiface_mask,
		.proto = &ip->proto,
		.flags = &ip->flags, .invflags = &ip->invflags,
		.goto_flag = IPT_F_GOTO,
	};
}

const void *rule_ip(const struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return &r->entry.v6.ipv6;
	return &r->entry.v4.ip;
}

void *rule_entry(struct rule *r)
{
	return &r->entry;
}

uint16_t rule_proto(const struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return r->entry.v6.ipv6.proto;
	return r->entry.v4.ip.proto;
}

uint8_t rule_invflags(const struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return r->entry.v6.ipv6.invflags;
	return r->entry.v4.ip.invflags;
}

struct xt_counters *rule_counters(struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return &r->entry.v6.counters;
	return &r->entry.v4.counters;
}

const char *rule_iniface(const struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return r->entry.v6.ipv6.iniface;
	return r->entry.v4.ip.iniface;
}

const char *rule_outiface(const struct rule *r)
{
	if (r->family == NFPROTO_IPV6)
		return r->entry.v6.ipv6.outiface;
	return r->entry.v4.ip.outiface;
}

struct rule *rule_alloc(uint8_t family)
{
	struct rule *r = calloc(1, sizeof(*r));

	if (r)
		r->family = family;
	return r;
}

void rule_free(struct rule *r)
{
	if (!r)
		return;
	for (unsigned int i = 0; i < r->nmatches; i++)
		free(r->matches[i].data);
	free(r->matches);
	free(r->target_data);
	free(r);
}

static void *memdup(const void *p, size_t len)
{
	void *q = malloc(len);

	if (q)
		memcpy(q, p, len);
	return q;
}

struct rule *rule_clone(const struct rule *r)
{
	struct rule *c = rule_alloc(r->family);

	if (!c)
		return NULL;
	*c = *r;
	c->matches = NULL;
	c->nmatches = 0;
	c->target_data = NULL;
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;
		struct xt_entry_match *copy = memdup(m, m->u.match_size);

		if (!copy || rule_add_match(c, r->matches[i].ext, copy) < 0) {
			free(copy);
			goto err;
		}
	}
	if (r->target_data) {
		c->target_data = memdup(r->target_data,
					r->target_data->u.target_size);
		if (!c->target_data)
			goto err;
	}
	return c;
err:
	rule_free(c);
	errno = ENOMEM;
	return NULL;
}

int rule_add_match(struct rule *r, struct xtables_match *ext,
		   struct xt_entry_match *data)
{
	struct rule_match *m;

	m = realloc(r->matches, (r->nmatches + 1) * sizeof(*m));
	if (!m)
		return -1;
	r->matches = m;
	m[r->nmatches].ext = ext;
	m[r->nmatches].data = data;
	r->nmatches++;
	return 0;
}

void rule_set_target(struct rule *r, struct xtables_target *ext,
		     struct xt_entry_target *data)
{
	free(r->target_data);
	r->target = ext;
	r->target_data = data;
	r->verdict = RULE_VERDICT_TARGET;
	r->jump[0] = '\0';
}

void rule_set_verdict(struct rule *r, enum rule_verdict v, const char *chain)
{
	free(r->target_data);
	r->target_data = NULL;
	r->target = NULL;
	r->verdict = v;
	r->jump[0] = '\0';
	if (chain)
		util_strlcpy(r->jump, chain, sizeof(r->jump));
}

/* Compares the part of a blob that userspace fills; the kernel's part
 * (pointers, per-rule state past userspacesize) differs between rules. */
static bool blob_equal(const void *a, const void *b, size_t hdr,
		       size_t usersize)
{
	return memcmp((const char *)a + hdr, (const char *)b + hdr,
		      usersize) == 0;
}

static bool match_equal(const struct rule_match *a, const struct rule_match *b)
{
	const struct xt_entry_match *ma = a->data, *mb = b->data;
	size_t usersize;

	if (strcmp(ma->u.user.name, mb->u.user.name) != 0 ||
	    ma->u.user.revision != mb->u.user.revision ||
	    ma->u.match_size != mb->u.match_size)
		return false;
	usersize = a->ext ? a->ext->userspacesize :
		   ma->u.match_size - sizeof(*ma);
	return blob_equal(ma, mb, sizeof(*ma), usersize);
}

static bool target_equal(const struct rule *a, const struct rule *b)
{
	const struct xt_entry_target *ta = a->target_data, *tb = b->target_data;
	size_t usersize;

	if (!ta || !tb)
		return ta == tb;
	if (strcmp(ta->u.user.name, tb->u.user.name) != 0 ||
	    ta->u.user.revision != tb->u.user.revision ||
	    ta->u.target_size != tb->u.target_size)
		return false;
	usersize = a->target ? a->target->userspacesize :
		   ta->u.target_size - sizeof(*ta);
	return blob_equal(ta, tb, sizeof(*ta), usersize);
}

static bool ip_equal(const struct rule *a, const struct rule *b,
		     unsigned int flags)
{
	if (a->family == NFPROTO_IPV6 && (flags & RULE_EQUAL_NO_IP6_MASKS)) {
		struct ip6t_ip6 x = a->entry.v6.ipv6, y = b->entry.v6.ipv6;

		memset(&x.smsk, 0, sizeof(x.smsk));
		memset(&x.dmsk, 0, sizeof(x.dmsk));
		memset(&y.smsk, 0, sizeof(y.smsk));
		memset(&y.dmsk, 0, sizeof(y.dmsk));
		return memcmp(&x, &y, sizeof(x)) == 0;
	}
	if (a->family == NFPROTO_IPV6)
		return memcmp(&a->entry.v6.ipv6, &b->entry.v6.ipv6,
			      sizeof(a->entry.v6.ipv6)) == 0;
	return memcmp(&a->entry.v4.ip, &b->entry.v4.ip,
		      sizeof(a->entry.v4.ip)) == 0;
}

bool rule_equal(const struct rule *a, const struct rule *b)
{
	return rule_equal_flags(a, b, 0);
}

bool rule_equal_flags(const struct rule *a, const struct rule *b,
		      unsigned int flags)
{
	if (a->family != b->family || !ip_equal(a, b, flags) ||
	    a->nmatches != b->nmatches || a->verdict != b->verdict)
		return false;
	for (unsigned int i = 0; i < a->nmatches; i++)
		if (!match_equal(&a->matches[i], &b->matches[i]))
			return false;
	switch (a->verdict) {
	case RULE_VERDICT_JUMP:
	case RULE_VERDICT_GOTO:
		return strcmp(a->jump, b->jump) == 0;
	case RULE_VERDICT_TARGET:
		return target_equal(a, b);
	default:
		return true;
	}
}

static const char *const verdict_names[] = {
	[RULE_VERDICT_ACCEPT]	= "ACCEPT",
	[RULE_VERDICT_DROP]	= "DROP",
	[RULE_VERDICT_RETURN]	= "RETURN",
};

enum rule_verdict rule_verdict_from_name(const char *name)
{
	for (unsigned int v = RULE_VERDICT_ACCEPT; v <= RULE_VERDICT_RETURN; v++)
		if (strcmp(name, verdict_names[v]) == 0)
			return v;
	return RULE_VERDICT_NONE;
}

const char *rule_verdict_name(enum rule_verdict v)
{
	if (v >= RULE_VERDICT_ACCEPT && v <= RULE_VERDICT_RETURN)
		return verdict_names[v];
	return NULL;
}

void rule_cmd_init(struct rule_cmd *c, uint8_t family)
{
	memset(c, 0, sizeof(*c));
	c->family = family;
	util_strlcpy(c->table, "filter", sizeof(c->table));
}

void rule_cmd_release(struct rule_cmd *c)
{
	rule_free(c->rule);
	c->rule = NULL;
}
