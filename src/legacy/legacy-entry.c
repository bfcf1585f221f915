// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One rule of the model as an ipt_entry / ip6t_entry and back.  The model
 * keeps the kernel's own structures (rule.h), so building an entry is a
 * few copies and decoding one points into the blob; what is left is the
 * target: standard verdicts, jumps (byte offsets in the kernel, chain ids
 * until the table is laid out) and extension targets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>

#include "legacy.h"
#include "util.h"

#define STD_TARGET_SIZE	XT_ALIGN(sizeof(struct xt_standard_target))

/* Standard verdicts as the kernel stores them (-NF_x - 1). */
static const struct {
	enum rule_verdict v;
	int32_t kernel;
} verdicts[] = {
	{ RULE_VERDICT_ACCEPT,	-NF_ACCEPT - 1 },
	{ RULE_VERDICT_DROP,	-NF_DROP - 1 },
	{ RULE_VERDICT_RETURN,	XT_RETURN },
};

static int32_t verdict_to_kernel(enum rule_verdict v)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (verdicts[i].v == v)
			return verdicts[i].kernel;
	return 0;
}

static enum rule_verdict verdict_from_kernel(int32_t k)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (verdicts[i].kernel == k)
			return verdicts[i].v;
	return RULE_VERDICT_NONE;
}

static bool has_module_target(const struct rule *r)
{
	return r->verdict == RULE_VERDICT_TARGET && r->target_data;
}

/* -j QUEUE: libxtables hands it over as a target of that name, libiptc
 * makes it the standard verdict (iptcc_map_target). */
static bool queue_label(const struct rule *r)
{
	return has_module_target(r) &&
	       strcmp(r->target_data->u.user.name, "QUEUE") == 0;
}

#define LG_VERDICT_QUEUE	(-NF_QUEUE - 1)

/* What -L and -S print for a QUEUE verdict read back. */
static const struct xt_entry_target queue_target = {
	.u.user = { .target_size = XT_ALIGN(sizeof(struct xt_standard_target)),
		    .name = "QUEUE" },
};

size_t lg_entry_size(const struct lg_family *f, const struct rule *r)
{
	size_t size = f->entry_size;

	for (unsigned int i = 0; i < r->nmatches; i++)
		size += r->matches[i].data->u.match_size;
	if (has_module_target(r) && !queue_label(r))
		return size + r->target_data->u.target_size;
	return size + STD_TARGET_SIZE;
}

void lg_entry_build(const struct lg_family *f, const struct rule *r,
		    int32_t jump_id, uint8_t *e)
{
	struct xt_standard_target *st;
	size_t off = f->entry_size;

	memcpy(e, &r->entry, f->entry_size);
	memset(e + f->off_comefrom, 0, sizeof(uint32_t));
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;

		memcpy(e + off, m, m->u.match_size);
		off += m->u.match_size;
	}
	*lg_e_target_offset(f, e) = off;
	if (has_module_target(r) && !queue_label(r)) {
		memcpy(e + off, r->target_data, r->target_data->u.target_size);
		((uint16_t *)(e + f->off_target))[1] =
			off + r->target_data->u.target_size;
		return;
	}
	((uint16_t *)(e + f->off_target))[1] = off + STD_TARGET_SIZE;
	st = (void *)(e + off);
	memset(st, 0, STD_TARGET_SIZE);
	st->target.u.target_size = STD_TARGET_SIZE;
	switch (r->verdict) {
	case RULE_VERDICT_JUMP:
	case RULE_VERDICT_GOTO:
		st->verdict = jump_id;
		break;
	case RULE_VERDICT_NONE:
		st->verdict = LG_VERDICT_FALLTHROUGH;
		break;
	case RULE_VERDICT_TARGET:	/* QUEUE */
		st->verdict = LG_VERDICT_QUEUE;
		break;
	default:
		st->verdict = verdict_to_kernel(r->verdict);
		break;
	}
}

void lg_view_init(struct lg_view *v, uint8_t family)
{
	memset(v, 0, sizeof(*v));
	v->rule.family = family;
}

void lg_view_release(struct lg_view *v)
{
	free(v->rule.matches);
	memset(v, 0, sizeof(*v));
}

/* libxtables' descriptor of @name at @rev, as iptables prints it: that
 * revision if userspace has it, else the extension at all. */
static void *ext_lookup(struct lg_view *v, const char *name, uint8_t rev,
			bool target)
{
	struct lg_extcache *c;
	void *ext;

	for (unsigned int i = 0; i < sizeof(v->cache) / sizeof(v->cache[0]);
	     i++) {
		c = &v->cache[i];
		if (c->ext && c->rev == rev && c->target == target &&
		    strcmp(c->name, name) == 0)
			return c->ext;
	}
	if (target) {
		ext = xtables_find_target_revision(name, XTF_TRY_LOAD, NULL,
						   rev);
		if (!ext)
			ext = xtables_find_target(name, XTF_TRY_LOAD);
	} else {
		ext = xtables_find_match_revision(name, XTF_TRY_LOAD, NULL,
						  rev);
		if (!ext)
			ext = xtables_find_match(name, XTF_TRY_LOAD, NULL);
	}
	if (!ext)
		return NULL;
	c = &v->cache[v->cache_next++ % (sizeof(v->cache) /
					 sizeof(v->cache[0]))];
	util_strlcpy(c->name, name, sizeof(c->name));
	c->rev = rev;
	c->target = target;
	c->ext = ext;
	return ext;
}

static int view_matches(const struct lg_family *f, const uint8_t *e,
			struct lg_view *v)
{
	uint16_t to = *lg_e_target_offset(f, e);
	struct rule *r = &v->rule;

	r->nmatches = 0;
	for (size_t off = f->entry_size; off < to;) {
		struct xt_entry_match *m = (void *)(e + off);

		if (r->nmatches == v->cap) {
			unsigned int cap = v->cap ? 2 * v->cap : 4;
			struct rule_match *p = realloc(r->matches,
						       cap * sizeof(*p));

			if (!p)
				return -1;
			r->matches = p;
			v->cap = cap;
		}
		r->matches[r->nmatches].data = m;
		r->matches[r->nmatches].ext =
			ext_lookup(v, m->u.user.name, m->u.user.revision,
				   false);
		r->nmatches++;
		off += m->u.match_size;
	}
	return 0;
}

int lg_entry_decode(const struct lg_family *f, const uint8_t *e,
		    const char *jump_name, bool fallthrough,
		    struct lg_view *v)
{
	struct rule *r = &v->rule;
	struct xt_entry_target *t = lg_e_target(f, e);
	const int32_t *verdict = lg_e_verdict(f, e);

	if (!lg_entry_matches_ok(f, e)) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&r->entry, e, f->entry_size);
	if (view_matches(f, e, v) < 0)
		return -1;
	r->target = NULL;
	r->target_data = NULL;
	r->jump[0] = '\0';
	r->unsupported = false;
	r->unsupported_msg = NULL;
	if (!verdict) {
		r->verdict = RULE_VERDICT_TARGET;
		r->target_data = t;
		r->target = ext_lookup(v, t->u.user.name, t->u.user.revision,
				       true);
		return 0;
	}
	if (*verdict == LG_VERDICT_QUEUE) {
		r->verdict = RULE_VERDICT_TARGET;
		r->target_data = (struct xt_entry_target *)&queue_target;
		return 0;
	}
	if (*verdict < 0) {
		r->verdict = verdict_from_kernel(*verdict);
		if (r->verdict == RULE_VERDICT_NONE) {
			errno = EBADMSG;
			return -1;
		}
		return 0;
	}
	if (fallthrough) {
		r->verdict = RULE_VERDICT_NONE;
		return 0;
	}
	r->verdict = e[f->off_ip_flags] & f->goto_flag ? RULE_VERDICT_GOTO :
							  RULE_VERDICT_JUMP;
	util_strlcpy(r->jump, jump_name, sizeof(r->jump));
	return 0;
}

/* libiptc's is_same(): the head compares whole, interfaces under their
 * masks (IPv6: tos too; both: masks of addresses compared). */
static bool head_same(const struct lg_family *f, const uint8_t *a,
		      const uint8_t *b)
{
	const char *ia, *ib, *oa, *ob;
	const unsigned char *ima, *imb, *oma, *omb;

	if (f->nfproto == NFPROTO_IPV6) {
		const struct ip6t_ip6 *x = (const void *)a, *y = (const void *)b;

		if (memcmp(&x->src, &y->src, 4 * sizeof(x->src)) ||
		    x->proto != y->proto || x->tos != y->tos ||
		    x->flags != y->flags || x->invflags != y->invflags)
			return false;
		ia = x->iniface; ib = y->iniface; oa = x->outiface;
		ob = y->outiface; ima = x->iniface_mask; imb = y->iniface_mask;
		oma = x->outiface_mask; omb = y->outiface_mask;
	} else {
		const struct ipt_ip *x = (const void *)a, *y = (const void *)b;

		if (memcmp(&x->src, &y->src, 4 * sizeof(x->src)) ||
		    x->proto != y->proto || x->flags != y->flags ||
		    x->invflags != y->invflags)
			return false;
		ia = x->iniface; ib = y->iniface; oa = x->outiface;
		ob = y->outiface; ima = x->iniface_mask; imb = y->iniface_mask;
		oma = x->outiface_mask; omb = y->outiface_mask;
	}
	for (int i = 0; i < IFNAMSIZ; i++)
		if (ima[i] != imb[i] || oma[i] != omb[i] ||
		    ((ia[i] ^ ib[i]) & ima[i]) || ((oa[i] ^ ob[i]) & oma[i]))
			return false;
	return *lg_e_target_offset(f, a) == *lg_e_target_offset(f, b) &&
	       lg_e_next(f, a) == lg_e_next(f, b);
}

/* make_delete_mask() of iptables 1.8.9: 0xff over the entry head, each
 * match's header and userspace part, the target's header and userspace
 * part, in the layout of the spec's entry; @head is the size it is given
 * for the head (ip6tables' -C gives the size of a pointer). */
uint8_t *lg_delete_mask(const struct lg_family *f, const struct rule *r,
			size_t head, size_t *len)
{
	size_t hdr = XT_ALIGN(sizeof(struct xt_entry_match)), off = head;
	size_t tsize = XT_ALIGN(sizeof(int)), tuser = sizeof(int);
	uint8_t *m;

	(void)f;
	*len = head + hdr + tsize;
	for (unsigned int i = 0; i < r->nmatches; i++)
		*len += r->matches[i].data->u.match_size;
	if (has_module_target(r) && !queue_label(r)) {
		tsize = r->target_data->u.target_size - hdr;
		tuser = r->target ? r->target->userspacesize : tsize;
		*len += tsize - XT_ALIGN(sizeof(int));
	}
	m = calloc(1, *len);
	if (!m)
		return NULL;
	memset(m, 0xff, head);
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct rule_match *rm = &r->matches[i];
		size_t size = rm->data->u.match_size - hdr;

		memset(m + off, 0xff, hdr + (rm->ext ?
			MIN(rm->ext->userspacesize, size) : size));
		off += hdr + size;
	}
	memset(m + off, 0xff, hdr + MIN(tuser, tsize));
	return m;
}

/* Data of @len bytes at entry offset @at, under the mask (0 past it). */
static bool data_same(const unsigned char *a, const unsigned char *b,
		      size_t len, size_t at, const uint8_t *mask,
		      size_t masklen)
{
	for (size_t i = 0; i < len && at + i < masklen; i++)
		if ((a[i] ^ b[i]) & mask[at + i])
			return false;
	return true;
}

/* match_different(): size and name, not the revision */
static bool matches_same(const struct lg_family *f, const uint8_t *spec,
			 const uint8_t *e, const uint8_t *mask, size_t masklen)
{
	uint16_t to = *lg_e_target_offset(f, spec);

	for (size_t off = f->entry_size; off < to;) {
		const struct xt_entry_match *a = (const void *)(spec + off);
		const struct xt_entry_match *b = (const void *)(e + off);

		if (a->u.match_size != b->u.match_size ||
		    strncmp(a->u.user.name, b->u.user.name,
			    sizeof(a->u.user.name)) != 0 ||
		    !data_same(a->data, b->data, a->u.match_size - sizeof(*a),
			       off + sizeof(*a), mask, masklen))
			return false;
		off += a->u.match_size;
	}
	return true;
}

bool lg_entry_same(const struct lg_family *f, const uint8_t *spec,
		   const uint8_t *e, const struct lg_tclass *spec_t,
		   const struct lg_tclass *e_t, const uint8_t *mask,
		   size_t masklen)
{
	const struct xt_entry_target *ta, *tb;
	uint16_t to = *lg_e_target_offset(f, spec);

	if (!head_same(f, spec, e) ||
	    !matches_same(f, spec, e, mask, masklen) ||
	    spec_t->kind != e_t->kind)
		return false;
	if (spec_t->kind != LG_T_MODULE)
		return spec_t->value == e_t->value;
	ta = lg_e_target(f, spec);
	tb = lg_e_target(f, e);
	return ta->u.target_size == tb->u.target_size &&
	       strncmp(ta->u.user.name, tb->u.user.name,
		       sizeof(ta->u.user.name)) == 0 &&
	       data_same(ta->data, tb->data, ta->u.target_size - sizeof(*ta),
			 to + sizeof(*ta), mask, masklen);
}
