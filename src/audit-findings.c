// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit's findings (see audit-findings.h), from the owners' uses.
 *
 * An owner "uses" bits it writes, and bits it matches that it writes
 * itself or that the known-owners data says are its own.  An owner that
 * only matches bits someone else writes (an ip rule on the mark a MARK
 * rule sets) consumes them: that is the intended pairing, not a
 * collision, unless several owners write those bits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-findings.h"

static const struct {
	const char *name, *severity;
} kinds[AUDIT_KINDS] = {
	[AUDIT_WHOLE_WORD]	= { "whole-word", "high" },
	[AUDIT_UNMASKED_COPY]	= { "unmasked-copy", "high" },
	[AUDIT_READ_OVERLAP]	= { "read-overlap", "high" },
	[AUDIT_OVERLAP]		= { "overlap", "high" },
	[AUDIT_IPRULE_UNSET]	= { "iprule-unset", "medium" },
	[AUDIT_BOTH_BACKENDS]	= { "both-backends", "medium" },
	[AUDIT_OUTSIDE_LAYOUT]	= { "outside-layout", "low" },
};

const char *audit_kind_name(enum audit_kind k)
{
	return kinds[k].name;
}

const char *audit_kind_severity(enum audit_kind k)
{
	return kinds[k].severity;
}

struct eval {
	const struct audit *a;
	struct audit_findings *f;
	uint32_t can[AUDIT_WORDS];	/* bits any rule can turn on */
	int err;
};

/* ---- building a finding ---- */

/* The finding of @kind on @word between exactly these owners (in this
 * order), new if none; bits are merged into it. */
static struct audit_finding *finding(struct eval *ev, enum audit_kind kind,
				     enum audit_word word,
				     const struct audit_owner *const *owners,
				     unsigned int n)
{
	struct audit_findings *f = ev->f;
	struct audit_finding *g;

	for (unsigned int i = 0; i < f->n; i++) {
		g = &f->v[i];
		if (g->kind == kind && g->word == word && g->nowners == n &&
		    memcmp(g->owners, owners, n * sizeof(*owners)) == 0)
			return g;
	}
	g = realloc(f->v, (f->n + 1) * sizeof(*g));
	if (!g) {
		ev->err = ENOMEM;
		return NULL;
	}
	f->v = g;
	g = &f->v[f->n++];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->word = word;
	g->nowners = n < AUDIT_FINDING_OWNERS ? n : AUDIT_FINDING_OWNERS;
	memcpy(g->owners, owners, g->nowners * sizeof(*owners));
	return g;
}

static void add_rule(struct audit_finding *g, const struct audit_owner *w,
		     const char *text)
{
	for (unsigned int i = 0; text && i < g->nrules; i++)
		if (strcmp(g->rules[i].text, text) == 0)
			return;
	if (text && g->nrules < AUDIT_FINDING_RULES) {
		g->rules[g->nrules].owner = w;
		g->rules[g->nrules++].text = text;
	}
}

/* Examples of @w's uses of @word that touch @bits (writes only, or all). */
static void add_rules_of(struct audit_finding *g, const struct audit_owner *w,
			 enum audit_word word, uint32_t bits, bool writes_only)
{
	for (unsigned int i = 0; i < w->nusages; i++) {
		const struct audit_usage *u = &w->usages[i];

		if (u->use.word != word || !(audit_use_bits(&u->use) & bits) ||
		    (writes_only && !audit_use_writes(&u->use)))
			continue;
		for (int k = 0; k < AUDIT_EXAMPLES && k < 2; k++)
			add_rule(g, w, u->examples[k]);
	}
}

static void add_usage_rules(struct audit_finding *g,
			    const struct audit_owner *w,
			    const struct audit_usage *u)
{
	for (int k = 0; k < AUDIT_EXAMPLES && k < 2; k++)
		add_rule(g, w, u->examples[k]);
}

/* ---- who uses what ---- */

/* What of @b a whole-word write wipes: the bits @b writes, and those
 * it matches that are its own (written by it or documented as its).
 * Bits it only reads from a third owner are that owner's finding. */
static uint32_t wiped(const struct audit_owner *b, enum audit_word w)
{
	return audit_owner_writes(b, w) |
	       (audit_owner_reads(b, w) & audit_owner_own(b, w));
}

/* ---- the kinds ---- */

static void whole_word(struct eval *ev, const struct audit_owner *a,
		       const struct audit_usage *u)
{
	enum audit_kind kind = u->use.how == AUDIT_SET_WHOLE ?
			       AUDIT_WHOLE_WORD : AUDIT_UNMASKED_COPY;

	for (unsigned int i = 0; i < audit_owner_count(ev->a); i++) {
		const struct audit_owner *b = audit_owner(ev->a, i);
		const struct audit_owner *pair[2] = { a, b };
		uint32_t bits = b == a ? 0 : wiped(b, u->use.word);
		struct audit_finding *g;

		if (!bits || !(g = finding(ev, kind, u->use.word, pair, 2)))
			continue;
		g->bits |= bits;
		add_usage_rules(g, a, u);
		add_rules_of(g, b, u->use.word, bits, false);
	}
}

/*
 * A match (mark & m) == v by @a collides with another owner that writes
 * bits of m that are @a's own.  The other bits of m @a reads from whoever
 * writes them (an ip rule routing by another tool's field, whatever its
 * value): fine with one writer, a collision with several.
 */
static void read_overlap(struct eval *ev, const struct audit_owner *a,
			 const struct audit_usage *u)
{
	enum audit_word w = u->use.word;
	uint32_t m = u->use.mask, own = audit_owner_own(a, w);
	const struct audit_owner *writers[AUDIT_FINDING_OWNERS] = { a };
	unsigned int n = 1;
	uint32_t hit = 0;
	struct audit_finding *g;

	for (unsigned int i = 0; i < audit_owner_count(ev->a); i++) {
		const struct audit_owner *b = audit_owner(ev->a, i);
		const struct audit_owner *pair[2] = { a, b };
		uint32_t x = b == a ? 0 : audit_owner_writes(b, w) & m;

		if ((x & own) &&
		    (g = finding(ev, AUDIT_READ_OVERLAP, w, pair, 2))) {
			g->bits |= x & own;
			add_usage_rules(g, a, u);
			add_rules_of(g, b, w, x & own, true);
		}
		if ((x & ~own) && n < AUDIT_FINDING_OWNERS) {
			writers[n++] = b;
			hit |= x & ~own;
		}
	}
	if (n < 3 || !(g = finding(ev, AUDIT_READ_OVERLAP, w, writers, n)))
		return;
	g->bits |= hit;
	add_usage_rules(g, a, u);
	for (unsigned int i = 1; i < n; i++)
		add_rules_of(g, writers[i], w, hit, true);
}

static void overlaps(struct eval *ev, enum audit_word w)
{
	unsigned int n = audit_owner_count(ev->a);

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++) {
			const struct audit_owner *pair[2] = {
				audit_owner(ev->a, i), audit_owner(ev->a, j)
			};
			uint32_t x = audit_owner_writes(pair[0], w) &
				     audit_owner_writes(pair[1], w);
			struct audit_finding *g;

			if (!x || !(g = finding(ev, AUDIT_OVERLAP, w, pair, 2)))
				continue;
			g->bits |= x;
			add_rules_of(g, pair[0], w, x, true);
			add_rules_of(g, pair[1], w, x, true);
		}
	}
}

/* Bits any rule can turn on, in both marks: directly, then through
 * copies between them (save feeds restore and back). */
static void settable(struct eval *ev)
{
	uint32_t direct[AUDIT_WORDS] = { 0 }, copy[AUDIT_WORDS] = { 0 };

	for (unsigned int i = 0; i < audit_owner_count(ev->a); i++) {
		const struct audit_owner *x = audit_owner(ev->a, i);

		for (unsigned int k = 0; k < x->nusages; k++) {
			const struct audit_usage *u = &x->usages[k];

			if (!audit_use_writes(&u->use))
				continue;
			if (u->use.how == AUDIT_COPY ||
			    u->use.how == AUDIT_COPY_WHOLE)
				copy[u->use.word] |= audit_use_bits(&u->use);
			else
				direct[u->use.word] |= u->use.value_known ?
					u->values : audit_use_bits(&u->use);
		}
	}
	for (int w = 0; w < AUDIT_WORDS; w++)
		ev->can[w] = direct[w];
	for (int round = 0; round < 2; round++)
		for (int w = 0; w < AUDIT_WORDS; w++)
			ev->can[w] |= copy[w] & ev->can[!w];
}

/* Bits a known owner documents as set by itself (tailscaled marks its
 * own sockets with SO_MARK, WireGuard its packets with its fwmark):
 * no rule needs to set those. */
static uint32_t documented(const struct audit_owner *a)
{
	uint32_t m = 0;

	for (unsigned int i = 0; a->known && i < a->known->nvalues; i++)
		if (a->known->values[i].word & LAYOUT_PACKET)
			m |= a->known->values[i].value;
	return m;
}

static void iprule_unset(struct eval *ev, const struct audit_owner *a,
			 const struct audit_usage *u)
{
	uint32_t need = u->values & u->use.mask & ~ev->can[AUDIT_PACKET] &
			~documented(a);
	struct audit_finding *g;

	if (!need || !(g = finding(ev, AUDIT_IPRULE_UNSET, AUDIT_PACKET, &a, 1)))
		return;
	g->bits |= need;
	add_usage_rules(g, a, u);
}

static void outside_layout(struct eval *ev, const struct audit_owner *a,
			   enum audit_word w)
{
	const struct layout *l = audit_layout(ev->a);
	uint32_t x;
	struct audit_finding *g;

	if (!l || layout_empty(l))
		return;
	x = audit_owner_writes(a, w) &
	    ~layout_word_mask(l, w == AUDIT_PACKET ? LAYOUT_PACKET :
						     LAYOUT_CONNTRACK);
	if (!x || !(g = finding(ev, AUDIT_OUTSIDE_LAYOUT, w, &a, 1)))
		return;
	g->bits |= x;
	add_rules_of(g, a, w, x, true);
}

static bool uses_backend(const struct audit_owner *w, const char *backend)
{
	for (unsigned int k = 0; k < w->nusages; k++)
		if (w->usages[k].backend &&
		    strcmp(w->usages[k].backend, backend) == 0)
			return true;
	return false;
}

/* Owners with mark rules in legacy tables, then those in nf_tables, and
 * an example of each kind of use in each backend.  Each backend's
 * iptables lists only its own rules, and the kernel runs both. */
static void both_backends(struct eval *ev)
{
	static const char *const order[] = { "legacy", "nf_tables" };
	const struct audit_owner *owners[AUDIT_FINDING_OWNERS], *w;
	unsigned int n = 0;
	struct audit_finding *g;

	if ((audit_backends_used(ev->a) & 3) != 3)
		return;
	for (unsigned int b = 0; b < 2; b++)
		for (unsigned int i = 0; i < audit_owner_count(ev->a); i++) {
			w = audit_owner(ev->a, i);
			if (n < AUDIT_FINDING_OWNERS && uses_backend(w, order[b]) &&
			    (b == 0 || !uses_backend(w, order[0])))
				owners[n++] = w;
		}
	if (!(g = finding(ev, AUDIT_BOTH_BACKENDS, AUDIT_PACKET, owners, n)))
		return;
	for (unsigned int b = 0; b < 2; b++) {
		/* room for the second backend's rules */
		unsigned int cap = b ? AUDIT_FINDING_RULES : AUDIT_FINDING_RULES / 2;

		for (unsigned int i = 0; i < n; i++)
			for (unsigned int k = 0; k < owners[i]->nusages; k++) {
				const struct audit_usage *u = &owners[i]->usages[k];

				if (!u->backend || strcmp(u->backend, order[b]))
					continue;
				g->bits |= audit_use_bits(&u->use);
				if (g->nrules < cap)
					add_rule(g, owners[i], u->examples[0]);
			}
	}
}

/* "A, B" of the finding's owners with rules in @backend. */
static void owners_in(const struct audit_finding *g, const char *backend,
		      char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < g->nowners && len < size; i++)
		if (uses_backend(g->owners[i], backend))
			len += snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "", g->owners[i]->name);
}

/* ---- messages ---- */

static int describe(struct audit_finding *g)
{
	const char *w = audit_word_name(g->word);
	const char *a = g->owners[0]->name;
	const char *b = g->nowners > 1 ? g->owners[1]->name : "";
	int n = -1;

	switch (g->kind) {
	case AUDIT_WHOLE_WORD:
		n = asprintf(&g->message, "%s writes the whole %s mark, over bits 0x%08x that %s uses",
			     a, w, g->bits, b);
		break;
	case AUDIT_UNMASKED_COPY:
		n = asprintf(&g->message, "%s copies the whole %s mark from the %s mark (no mask), over bits 0x%08x that %s uses",
			     a, w, g->word == AUDIT_PACKET ? "conntrack" : "packet",
			     g->bits, b);
		break;
	case AUDIT_READ_OVERLAP:
		n = g->nowners == 2 ?
		    asprintf(&g->message, "%s matches %s bits 0x%08x that %s writes",
			     a, w, g->bits, b) :
		    asprintf(&g->message, "%s matches %s bits 0x%08x that %u owners write",
			     a, w, g->bits, g->nowners - 1);
		break;
	case AUDIT_OVERLAP:
		n = asprintf(&g->message, "%s and %s both write %s bits 0x%08x",
			     a, b, w, g->bits);
		break;
	case AUDIT_IPRULE_UNSET:
		n = asprintf(&g->message, "an ip rule of %s matches %s bits 0x%08x that no rule sets",
			     a, w, g->bits);
		break;
	case AUDIT_BOTH_BACKENDS: {
		char legacy[256], nft[256];

		owners_in(g, "legacy", legacy, sizeof(legacy));
		owners_in(g, "nf_tables", nft, sizeof(nft));
		n = asprintf(&g->message, "mark rules in both backends: legacy x_tables (%s) and nf_tables (%s)",
			     legacy, nft);
		break;
	}
	case AUDIT_OUTSIDE_LAYOUT:
		n = asprintf(&g->message, "%s writes %s bits 0x%08x outside the layout's fields",
			     a, w, g->bits);
		break;
	case AUDIT_KINDS:
		break;
	}
	return n < 0 ? -1 : 0;
}

/* Most severe first, then by word and owners: the same host gives the
 * same report. */
static int by_kind(const void *x, const void *y)
{
	const struct audit_finding *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->word != b->word)
		return a->word - b->word;
	for (unsigned int i = 0; i < a->nowners && i < b->nowners; i++) {
		int d = strcmp(a->owners[i]->name, b->owners[i]->name);

		if (d)
			return d;
	}
	return (int)a->nowners - (int)b->nowners;
}

static void eval_owner(struct eval *ev, const struct audit_owner *a)
{
	for (unsigned int k = 0; k < a->nusages; k++) {
		const struct audit_usage *u = &a->usages[k];

		switch (u->use.how) {
		case AUDIT_SET_WHOLE:
		case AUDIT_COPY_WHOLE:
			whole_word(ev, a, u);
			break;
		case AUDIT_MATCH:
			read_overlap(ev, a, u);
			break;
		case AUDIT_ROUTE:
			read_overlap(ev, a, u);
			iprule_unset(ev, a, u);
			break;
		default:
			break;
		}
	}
	for (int w = 0; w < AUDIT_WORDS; w++)
		outside_layout(ev, a, w);
}

int audit_findings(const struct audit *a, struct audit_findings *f)
{
	struct eval ev = { .a = a, .f = f };

	*f = (struct audit_findings){ NULL, 0 };
	settable(&ev);
	for (unsigned int i = 0; i < audit_owner_count(a); i++)
		eval_owner(&ev, audit_owner(a, i));
	for (int w = 0; w < AUDIT_WORDS; w++)
		overlaps(&ev, w);
	both_backends(&ev);
	for (unsigned int i = 0; !ev.err && i < f->n; i++)
		if (describe(&f->v[i]) < 0)
			ev.err = ENOMEM;
	if (ev.err) {
		audit_findings_release(f);
		errno = ev.err;
		return -1;
	}
	if (f->n)	/* no findings: f->v is NULL, which qsort() may not get */
		qsort(f->v, f->n, sizeof(*f->v), by_kind);
	return 0;
}

void audit_findings_release(struct audit_findings *f)
{
	for (unsigned int i = 0; i < f->n; i++)
		free(f->v[i].message);
	free(f->v);
	*f = (struct audit_findings){ NULL, 0 };
}
