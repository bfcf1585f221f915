// SPDX-License-Identifier: GPL-2.0-or-later
/* markctl audit's collector: rules into owners and uses (see audit.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

/* Known owners a rule's chain, comment... names (see recognise()). */
#define MAX_CANDIDATES	8

struct candidates {
	const struct owner *v[MAX_CANDIDATES];
	unsigned int n;
	char why[300];
};

struct audit {
	const struct owners *known;
	const struct layout *layout;
	struct audit_owner *owners;
	unsigned int nowners;
	struct audit_source_note *sources;
	unsigned int nsources;
	unsigned int backends;
	/* the last chain's candidate owners: rules come chain by chain */
	char last_key[300];
	struct candidates last;
};

const char *audit_word_name(enum audit_word w)
{
	return w == AUDIT_CONNTRACK ? "conntrack" : "packet";
}

bool audit_use_writes(const struct audit_use *u)
{
	return u->how <= AUDIT_COPY_WHOLE;
}

uint32_t audit_use_bits(const struct audit_use *u)
{
	switch (u->how) {
	case AUDIT_SET_WHOLE:
	case AUDIT_COPY_WHOLE:
		return UINT32_MAX;
	case AUDIT_SET:
		return u->mask | u->value;
	default:
		return u->mask;
	}
}

uint32_t audit_use_sets(const struct audit_use *u)
{
	if (!audit_use_writes(u))
		return 0;
	if (!u->value_known)
		return audit_use_bits(u);
	return u->how == AUDIT_COPY || u->how == AUDIT_COPY_WHOLE ?
	       audit_use_bits(u) : u->value;
}

struct audit *audit_alloc(const struct owners *o, const struct layout *l)
{
	struct audit *a = calloc(1, sizeof(*a));

	if (a) {
		a->known = o;
		a->layout = l;
	}
	return a;
}

static void owner_release(struct audit_owner *w)
{
	for (unsigned int i = 0; i < w->nusages; i++)
		for (int k = 0; k < AUDIT_EXAMPLES; k++)
			free(w->usages[i].examples[k]);
	free(w->usages);
	free(w->name);
	free(w->why);
}

void audit_free(struct audit *a)
{
	if (!a)
		return;
	for (unsigned int i = 0; i < a->nowners; i++)
		owner_release(&a->owners[i]);
	for (unsigned int i = 0; i < a->nsources; i++) {
		free(a->sources[i].what);
		free(a->sources[i].why);
	}
	free(a->sources);
	free(a->owners);
	free(a);
}

void audit_note_source(struct audit *a, const char *what, long count,
		       const char *why)
{
	struct audit_source_note *g;

	g = realloc(a->sources, (a->nsources + 1) * sizeof(*g));
	if (!g)
		return;
	a->sources = g;
	g[a->nsources].what = strdup(what);
	g[a->nsources].why = why ? strdup(why) : NULL;
	g[a->nsources].count = count;
	a->nsources++;
}

/* ---- owners ---- */

/*
 * Recognition: the known owners whose patterns name the rule's comment,
 * chain, nft table, interface or ip rule are candidates; the first (in
 * the file's order) whose documented bits hold every bit the rule uses
 * is the owner, else the first candidate.  So KUBE-MARK-DROP, a chain of
 * both kube-proxy (KUBE-*) and kubelet, goes to kubelet, whose bit 0x8000
 * it sets.
 */
enum recognise { BY_COMMENT, BY_CHAIN, BY_IFACE, BY_TABLE, BY_IPRULE };

static bool names(const struct owner *w, enum recognise by,
		  const struct audit_site *s, const char *what)
{
	switch (by) {
	case BY_COMMENT:
		return owner_has_comment(w, what);
	case BY_CHAIN:
		return owner_has_chain(w, what);
	case BY_IFACE:
		return owner_has_iface(w, what);
	case BY_TABLE:
		return owner_has_table(w, s->family, s->table);
	case BY_IPRULE:
		break;
	}
	return owner_has_iprule(w, s->rt_table, s->pref);
}

static void find_candidates(const struct owners *o, enum recognise by,
			    const struct audit_site *s, const char *what,
			    struct candidates *c)
{
	static const char *const words[] = {
		"comment", "chain", "interface", "table", "ip rule",
	};

	c->n = 0;
	if (!o || (by != BY_IPRULE && !what))
		return;
	for (unsigned int i = 0; i < owners_count(o) && c->n < MAX_CANDIDATES; i++)
		if (names(owners_get(o, i), by, s, what))
			c->v[c->n++] = owners_get(o, i);
	if (by == BY_IPRULE)
		snprintf(c->why, sizeof(c->why), "ip rule pref %u table %u",
			 s->pref, s->rt_table);
	else if (by == BY_TABLE)
		snprintf(c->why, sizeof(c->why), "table %s %s", s->family, what);
	else
		snprintf(c->why, sizeof(c->why), "%s %s", words[by], what);
}

static bool documents(const struct owner *w, const struct audit_use *uses,
		      unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint32_t mine = owner_bits_of(w, uses[i].word == AUDIT_PACKET ?
					      LAYOUT_PACKET : LAYOUT_CONNTRACK);

		if (audit_use_bits(&uses[i]) & ~mine)
			return false;
	}
	return true;
}

static const struct owner *choose(const struct candidates *c,
				  const struct audit_use *uses, unsigned int n)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (documents(c->v[i], uses, n))
			return c->v[i];
	return c->n ? c->v[0] : NULL;
}

/*
 * An ip rule's table or preference is weak evidence (the kernel hands
 * out preferences 32765, 32764... to rules added without one): the owner
 * must also document the bits the rule selects on.
 */
static const struct owner *recognise_iprule(const struct owners *o,
					    const struct audit_site *s,
					    const struct audit_use *uses,
					    unsigned int n, char *why,
					    size_t size)
{
	struct candidates c;

	find_candidates(o, BY_IPRULE, s, NULL, &c);
	for (unsigned int i = 0; i < c.n; i++)
		if (documents(c.v[i], uses, n)) {
			snprintf(why, size, "%s", c.why);
			return c.v[i];
		}
	return NULL;
}

/* The owner @by names, with the reason in @why. */
static const struct owner *recognise(const struct owners *o,
				     enum recognise by,
				     const struct audit_site *s,
				     const char *what,
				     const struct audit_use *uses,
				     unsigned int n, char *why, size_t size)
{
	struct candidates c;
	const struct owner *w;

	find_candidates(o, by, s, what, &c);
	w = choose(&c, uses, n);
	if (w)
		snprintf(why, size, "%s", c.why);
	return w;
}

/*
 * A whole-word value few would pick by chance (wg-quick's 0xca6c,
 * 51820), claimed by exactly one known owner: its owner.  Single bits
 * (0x4000) are everybody's, and are not taken as a sign.
 */
static const struct owner *recognise_value(const struct owners *o,
					   const struct audit_use *uses,
					   unsigned int n, char *why,
					   size_t size)
{
	const struct owner *found = NULL;

	for (unsigned int u = 0; o && u < n; u++) {
		const struct audit_use *x = &uses[u];

		if (x->mask != UINT32_MAX || !x->value_known ||
		    __builtin_popcount(x->value) < 3)
			continue;
		for (unsigned int i = 0; i < owners_count(o); i++) {
			const struct owner *w = owners_get(o, i);

			for (unsigned int k = 0; k < w->nvalues; k++) {
				const struct owner_value *v = &w->values[k];

				if (v->mask != UINT32_MAX || v->value != x->value)
					continue;
				if (found && found != w)
					return NULL;
				found = w;
				snprintf(why, size, "value 0x%x", x->value);
			}
		}
	}
	return found;
}

/* What the rule itself says: its interfaces, a telling value; ip
 * rules by their table or preference. */
static const struct owner *recognise_rule(const struct audit *a,
					  const struct audit_site *s,
					  const struct audit_use *uses,
					  unsigned int n, char *why,
					  size_t size)
{
	const struct owners *o = a->known;
	const struct owner *w;

	if (s->source == AUDIT_SRC_IPRULE)
		return recognise_iprule(o, s, uses, n, why, size) ?:
		       recognise_value(o, uses, n, why, size);
	if ((w = recognise(o, BY_IFACE, s, s->iniface, uses, n, why, size)) ||
	    (w = recognise(o, BY_IFACE, s, s->outiface, uses, n, why, size)))
		return w;
	return s->source == AUDIT_SRC_NFT ? NULL :
	       recognise_value(o, uses, n, why, size);
}

/*
 * Unknown rules: an nf_tables table is one tool's; iptables user chains
 * go by the prefix before their first '-' or '_' (FOO-PRE and FOO-POST
 * are one tool's); rules in built-in chains are the host's own, one owner
 * per backend.
 */
static void fallback_name(const struct audit_site *s, char *name, size_t size)
{
	size_t cut;

	switch (s->source) {
	case AUDIT_SRC_NFT:
		snprintf(name, size, "table %s", s->table);
		return;
	case AUDIT_SRC_IPRULE:
		snprintf(name, size, "ip rules");
		return;
	case AUDIT_SRC_WIREGUARD:
		snprintf(name, size, "wireguard %s", s->iniface);
		return;
	case AUDIT_SRC_XFRM:
		snprintf(name, size, "xfrm");
		return;
	case AUDIT_SRC_IPTABLES:
		break;
	}
	if (s->builtin) {
		snprintf(name, size, "%s built-in chains",
			 strcmp(s->backend, "legacy") ? "iptables" :
							"iptables-legacy");
		return;
	}
	cut = strcspn(s->chain + 1, "-_") + 1;
	if (s->chain[cut])
		snprintf(name, size, "chains %.*s*", (int)cut + 1, s->chain);
	else
		snprintf(name, size, "chain %s", s->chain);
}

static int owner_index(struct audit *a, const char *name,
		       const struct owner *known, const char *why)
{
	struct audit_owner *g;

	for (unsigned int i = 0; i < a->nowners; i++)
		if (strcmp(a->owners[i].name, name) == 0)
			return i;
	g = realloc(a->owners, (a->nowners + 1) * sizeof(*g));
	if (!g)
		return -1;
	a->owners = g;
	g = &a->owners[a->nowners];
	*g = (struct audit_owner){ .name = strdup(name), .known = known,
				   .why = strdup(why) };
	if (!g->name || !g->why) {
		owner_release(g);
		return -1;
	}
	return a->nowners++;
}

/* The known owners naming a chain or nft table, cached: rules arrive
 * chain by chain. */
static const struct candidates *chain_candidates(struct audit *a,
						 const struct audit_site *s)
{
	char key[300];

	snprintf(key, sizeof(key), "%d %s %s %s %s", s->source,
		 s->backend ?: "", s->family ?: "", s->table ?: "",
		 s->chain ?: "");
	if (strcmp(key, a->last_key) == 0)
		return &a->last;
	find_candidates(a->known, BY_CHAIN, s, s->chain, &a->last);
	if (!a->last.n && s->source == AUDIT_SRC_NFT)
		find_candidates(a->known, BY_TABLE, s, s->table, &a->last);
	snprintf(a->last_key, sizeof(a->last_key), "%s", key);
	return &a->last;
}

/* Known owners by comment, then by chain or table, then by what the rule
 * says; else the chain's or table's group.  -1 on ENOMEM. */
static int site_owner(struct audit *a, const struct audit_site *s,
		      const struct audit_use *uses, unsigned int n)
{
	char why[300], name[300];
	const struct owner *w;

	w = recognise(a->known, BY_COMMENT, s, s->comment, uses, n, why,
		      sizeof(why));
	if (!w && (s->source == AUDIT_SRC_IPTABLES ||
		   s->source == AUDIT_SRC_NFT)) {
		const struct candidates *c = chain_candidates(a, s);

		if ((w = choose(c, uses, n)))
			snprintf(why, sizeof(why), "%s", c->why);
	}
	if (!w)
		w = recognise_rule(a, s, uses, n, why, sizeof(why));
	if (w)
		return owner_index(a, w->name, w, why);
	fallback_name(s, name, sizeof(name));
	return owner_index(a, name, NULL, "not a known owner");
}

/* ---- uses ---- */

static bool same_kind(const struct audit_use *x, const struct audit_use *y)
{
	return x->word == y->word && x->how == y->how && x->mask == y->mask &&
	       x->invert == y->invert && x->value_known == y->value_known;
}

static bool same_backend(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

/* A kind of use per backend too: an owner with rules in both backends
 * shows examples of each (the both-backends finding names them). */
static struct audit_usage *usage_for(struct audit_owner *w,
				     const struct audit_use *u,
				     const char *backend)
{
	struct audit_usage *g;

	for (unsigned int i = w->nusages; i-- > 0;)
		if (same_kind(&w->usages[i].use, u) &&
		    same_backend(w->usages[i].backend, backend))
			return &w->usages[i];
	g = realloc(w->usages, (w->nusages + 1) * sizeof(*g));
	if (!g)
		return NULL;
	w->usages = g;
	g = &w->usages[w->nusages++];
	*g = (struct audit_usage){ .use = *u, .values = u->value,
				   .backend = backend };
	return g;
}

static int usage_add(struct audit_usage *g, const struct audit_use *u,
		     const struct audit_site *s, char **text)
{
	if (g->rules && u->value != g->use.value)
		g->several_values = true;
	g->values |= u->value;
	if (g->rules < AUDIT_EXAMPLES && s->text) {
		if (!*text && !(*text = s->text(s->text_arg)))
			return -1;
		if (!(g->examples[g->rules] = strdup(*text)))
			return -1;
	}
	g->rules++;
	return 0;
}

int audit_add(struct audit *a, const struct audit_site *s,
	      const struct audit_use *uses, unsigned int n)
{
	char *text = NULL;
	struct audit_owner *w;
	int i, ret = 0;

	if (n == 0)
		return 0;
	i = site_owner(a, s, uses, n);
	if (i < 0)
		return errno = ENOMEM, -1;
	w = &a->owners[i];
	w->rules++;
	if (s->backend)
		a->backends |= strcmp(s->backend, "legacy") ? 1 : 2;
	for (unsigned int k = 0; ret == 0 && k < n; k++) {
		struct audit_usage *g = usage_for(w, &uses[k], s->backend);

		ret = g ? usage_add(g, &uses[k], s, &text) : -1;
	}
	free(text);
	if (ret < 0)
		errno = ENOMEM;
	return ret;
}

/* ---- queries ---- */

unsigned int audit_owner_count(const struct audit *a)
{
	return a->nowners;
}

const struct audit_owner *audit_owner(const struct audit *a, unsigned int i)
{
	return i < a->nowners ? &a->owners[i] : NULL;
}

const struct owners *audit_owners_data(const struct audit *a)
{
	return a->known;
}

const struct layout *audit_layout(const struct audit *a)
{
	return a->layout;
}

unsigned int audit_backends_used(const struct audit *a)
{
	return a->backends;
}

unsigned int audit_source_count(const struct audit *a)
{
	return a->nsources;
}

const struct audit_source_note *audit_source(const struct audit *a,
					     unsigned int i)
{
	return i < a->nsources ? &a->sources[i] : NULL;
}

static uint32_t owner_bits(const struct audit_owner *w, enum audit_word word,
			   bool writes)
{
	uint32_t m = 0;

	for (unsigned int i = 0; i < w->nusages; i++) {
		const struct audit_use *u = &w->usages[i].use;

		if (u->word == word && audit_use_writes(u) == writes)
			m |= writes ? audit_use_bits(u) | w->usages[i].values :
				      audit_use_bits(u);
	}
	return m;
}

uint32_t audit_owner_writes(const struct audit_owner *w, enum audit_word word)
{
	return owner_bits(w, word, true);
}

uint32_t audit_owner_reads(const struct audit_owner *w, enum audit_word word)
{
	return owner_bits(w, word, false);
}

/*
 * The bits an owner writes, and, if it writes any, those its entry in the
 * known owners documents: a tool that only reads another's bit (flannel
 * testing kube-proxy's 0x4000) documents it too, without owning it.
 */
uint32_t audit_owner_own(const struct audit_owner *w, enum audit_word word)
{
	uint32_t m = audit_owner_writes(w, word);

	if (w->known && m)
		m |= owner_bits_of(w->known, word == AUDIT_PACKET ?
				   LAYOUT_PACKET : LAYOUT_CONNTRACK);
	return m;
}

/* ---- nft's words for a use ---- */

/* The simplest of and/or/xor, as iptables -L chooses for MARK. */
static int set_text(char **s, const char *key, const struct audit_use *u)
{
	const char *self = u->word == AUDIT_PACKET ? "mark" : "ct mark";

	if (u->value == 0)
		return asprintf(s, "%s set %s and 0x%x", key, self, ~u->mask);
	if (u->value == u->mask)
		return asprintf(s, "%s set %s or 0x%x", key, self, u->value);
	if (u->mask == 0)
		return asprintf(s, "%s set %s xor 0x%x", key, self, u->value);
	return asprintf(s, "%s set %s and 0x%x xor 0x%x", key, self, ~u->mask,
			u->value);
}

char *audit_use_text(const struct audit_use *u)
{
	const char *key = u->word == AUDIT_PACKET ? "meta mark" : "ct mark";
	const char *other = u->word == AUDIT_PACKET ? "ct mark" : "meta mark";
	char *s = NULL;
	int n = -1;

	switch (u->how) {
	case AUDIT_SET_WHOLE:
		n = u->value_known ? asprintf(&s, "%s set 0x%x", key, u->value) :
				     asprintf(&s, "%s set (a variable value)", key);
		break;
	case AUDIT_SET:
		n = set_text(&s, key, u);
		break;
	case AUDIT_COPY:
		n = asprintf(&s, "%s set %s bits 0x%x from %s", key, key,
			     u->mask, other);
		break;
	case AUDIT_COPY_WHOLE:
		n = asprintf(&s, "%s set %s", key, other);
		break;
	case AUDIT_MATCH:
	case AUDIT_ROUTE:
		if (!u->value_known)
			n = asprintf(&s, "%s and 0x%x in a set or range", key,
				     u->mask);
		else if (u->mask == UINT32_MAX)
			n = asprintf(&s, "%s %s0x%x", key, u->invert ? "!= " : "",
				     u->value);
		else
			n = asprintf(&s, "%s and 0x%x %s 0x%x", key, u->mask,
				     u->invert ? "!=" : "==", u->value);
		break;
	}
	return n < 0 ? NULL : s;
}
