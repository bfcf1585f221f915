// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A table blob as GET_ENTRIES returns it and SET_REPLACE takes it: one
 * walk checks every entry's sizes and finds the chains.  iptables lays a
 * table out as built-in chains in hook order (rules, then an
 * unconditional policy entry), user chains sorted by name (an ERROR
 * entry naming the chain, rules, an unconditional RETURN), and a final
 * ERROR entry; jumps are byte offsets of the first entry after a head.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "legacy.h"
#include "util.h"

#define STD_TARGET_SIZE	XT_ALIGN(sizeof(struct xt_standard_target))
#define ERR_TARGET_SIZE	XT_ALIGN(sizeof(struct xt_error_target))

size_t lg_standard_entry_size(const struct lg_family *f)
{
	return f->entry_size + STD_TARGET_SIZE;
}

size_t lg_error_entry_size(const struct lg_family *f)
{
	return f->entry_size + ERR_TARGET_SIZE;
}

int32_t *lg_e_verdict(const struct lg_family *f, const uint8_t *e)
{
	struct xt_standard_target *t = (void *)lg_e_target(f, e);

	if (t->target.u.user.name[0] ||
	    t->target.u.target_size != STD_TARGET_SIZE)
		return NULL;
	return &t->verdict;
}

bool lg_e_is_error(const struct lg_family *f, const uint8_t *e)
{
	const struct xt_entry_target *t = lg_e_target(f, e);

	return strcmp(t->u.user.name, XT_ERROR_TARGET) == 0;
}

static void put_header(const struct lg_family *f, uint8_t *e,
		       size_t target_size)
{
	memset(e, 0, f->entry_size + target_size);
	*lg_e_target_offset(f, e) = f->entry_size;
	((uint16_t *)(e + f->off_target))[1] = f->entry_size + target_size;
}

void lg_put_standard(const struct lg_family *f, uint8_t *e, int32_t verdict)
{
	struct xt_standard_target *t;

	put_header(f, e, STD_TARGET_SIZE);
	t = (void *)(e + f->entry_size);
	t->target.u.target_size = STD_TARGET_SIZE;
	t->verdict = verdict;
}

void lg_put_error(const struct lg_family *f, uint8_t *e, const char *name)
{
	struct xt_error_target *t;

	put_header(f, e, ERR_TARGET_SIZE);
	t = (void *)(e + f->entry_size);
	t->target.u.target_size = ERR_TARGET_SIZE;
	strcpy(t->target.u.user.name, XT_ERROR_TARGET);
	util_strlcpy(t->errorname, name, sizeof(t->errorname));
}

/* One entry's header and target within @room bytes: what the index walk
 * reads.  The matches are checked where they are read (decode, compare):
 * the walk touches two cache lines of each entry, not three. */
static bool entry_sane(const struct lg_family *f, const uint8_t *e,
		       size_t room)
{
	uint16_t to, next;

	if (room < f->entry_size + sizeof(struct xt_entry_target))
		return false;
	to = *lg_e_target_offset(f, e);
	next = lg_e_next(f, e);
	return next <= room && next % XT_ALIGN(1) == 0 &&
	       to >= f->entry_size &&
	       to + sizeof(struct xt_entry_target) <= next &&
	       lg_e_target(f, e)->u.target_size == next - to;
}

bool lg_entry_matches_ok(const struct lg_family *f, const uint8_t *e)
{
	uint16_t to = *lg_e_target_offset(f, e);
	size_t off;

	for (off = f->entry_size; off < to;) {
		const struct xt_entry_match *m = (const void *)(e + off);

		if (to - off < sizeof(*m) || m->u.match_size < sizeof(*m) ||
		    m->u.match_size > to - off)
			return false;
		off += m->u.match_size;
	}
	return true;
}

/* Hook whose chain starts at @off, or -1. */
static int hook_at(const struct lg_info *info, uint32_t off)
{
	for (int h = 0; h < NF_INET_NUMHOOKS; h++)
		if ((info->valid_hooks & (1u << h)) &&
		    info->hook_entry[h] == off)
			return h;
	return -1;
}

struct walk {
	const struct lg_family *f;
	const struct lg_info *info;
	const uint8_t *base;
	struct lg_bindex *ix;
	unsigned int cap, vcap;
	struct lg_bchain *cur;
};

static struct lg_bchain *chain_new(struct walk *w)
{
	struct lg_bindex *ix = w->ix;

	if (ix->nchains == w->cap) {
		unsigned int cap = w->cap ? 2 * w->cap : 16;
		struct lg_bchain *c = realloc(ix->chains, cap * sizeof(*c));

		if (!c)
			return NULL;
		ix->chains = c;
		w->cap = cap;
	}
	w->cur = memset(&ix->chains[ix->nchains++], 0, sizeof(*w->cur));
	return w->cur;
}

/* The entry before a new chain (or the table's end) closes the current
 * one: it is its policy or RETURN tail, not a rule. */
static int chain_close(struct walk *w, uint32_t last, uint32_t idx)
{
	struct lg_bchain *c = w->cur;

	if (!c)
		return 0;
	if (last < c->start || !lg_e_verdict(w->f, w->base + last) ||
	    (c->hook >= 0 && w->info->underflow[c->hook] != last)) {
		errno = EBADMSG;
		return -1;
	}
	c->end = last;
	c->nrules = idx - 1 - c->first_idx;
	return 0;
}

/* Notes an entry whose standard verdict is an offset (a jump, or the
 * next entry when it has no target): refs and splices need only these. */
static int verdict_note(struct walk *w, uint32_t off)
{
	struct lg_bindex *ix = w->ix;

	if (ix->nvoffs == w->vcap) {
		unsigned int cap = w->vcap ? 2 * w->vcap : 64;
		uint32_t *v = realloc(ix->voffs, cap * sizeof(*v));

		if (!v)
			return -1;
		ix->voffs = v;
		w->vcap = cap;
	}
	ix->voffs[ix->nvoffs++] = off;
	return 0;
}

/* Entry at @off, number @idx, which follows @prev (or none). */
static int walk_entry(struct walk *w, uint32_t off, uint32_t prev,
		      uint32_t idx)
{
	const uint8_t *e = w->base + off;
	const int32_t *v = lg_e_verdict(w->f, e);
	int hook = hook_at(w->info, off);
	struct lg_bchain *c;

	if (v && *v >= 0 && verdict_note(w, off) < 0)
		return -1;
	if (off + lg_e_next(w->f, e) == w->info->size)
		return lg_e_is_error(w->f, e) ? chain_close(w, prev, idx) :
		       (errno = EBADMSG, -1);
	if (hook < 0 && (v || !lg_e_is_error(w->f, e))) {
		if (!w->cur) {
			errno = EBADMSG;
			return -1;
		}
		return 0;	/* a rule, or the chain's closing entry */
	}
	if (chain_close(w, prev, idx) < 0 || !(c = chain_new(w)))
		return -1;
	c->hook = hook;
	c->first_idx = idx;
	c->head = c->start = off;
	if (hook >= 0)
		return 0;
	c->first_idx = idx + 1;
	c->start = off + lg_e_next(w->f, e);
	util_strlcpy(c->name, (const char *)(lg_e_target(w->f, e) + 1),
		     sizeof(c->name));
	return 0;
}

static int count_refs(const struct lg_family *f, const uint8_t *base,
		      struct lg_bindex *ix)
{
	for (unsigned int i = 0; i < ix->nvoffs; i++) {
		uint32_t off = ix->voffs[i];
		uint32_t v = *lg_e_verdict(f, base + off);
		struct lg_bchain *c;

		if (v == off + lg_e_next(f, base + off))
			continue;	/* no target: falls through */
		c = (struct lg_bchain *)lg_bindex_at(ix, v);
		if (!c) {
			errno = EBADMSG;
			return -1;
		}
		c->refs++;
	}
	return 0;
}

static const char *const hook_names[NF_INET_NUMHOOKS] = {
	"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
};

int lg_blob_index(const struct lg_family *f, const struct lg_info *info,
		  const uint8_t *e, struct lg_bindex *ix)
{
	struct walk w = { .f = f, .info = info, .base = e, .ix = ix };
	uint32_t off, prev = 0, idx = 0;

	memset(ix, 0, sizeof(*ix));
	for (off = 0; off < info->size; off += lg_e_next(f, e + off), idx++) {
		if (!entry_sane(f, e + off, info->size - off) ||
		    walk_entry(&w, off, prev, idx) < 0)
			goto bad;
		prev = off;
	}
	if (off != info->size || idx != info->num_entries || !w.cur)
		goto bad;
	for (unsigned int i = 0; i < ix->nchains; i++)
		if (ix->chains[i].hook >= 0)
			util_strlcpy(ix->chains[i].name,
				     hook_names[ix->chains[i].hook],
				     sizeof(ix->chains[i].name));
	ix->num_entries = idx;
	if (count_refs(f, e, ix) < 0)
		goto bad;
	return 0;
bad:
	lg_bindex_release(ix);
	errno = EBADMSG;
	return -1;
}

void lg_bindex_release(struct lg_bindex *ix)
{
	free(ix->chains);
	free(ix->voffs);
	memset(ix, 0, sizeof(*ix));
}

const struct lg_bchain *lg_bindex_at(const struct lg_bindex *ix,
				     uint32_t off)
{
	unsigned int lo = 0, hi = ix->nchains;

	/* chains are in offset order: the last one starting at or before */
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (ix->chains[mid].head <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || off > ix->chains[lo - 1].end)
		return NULL;
	return &ix->chains[lo - 1];
}

unsigned int lg_bindex_voff_from(const struct lg_bindex *ix, uint32_t off)
{
	unsigned int lo = 0, hi = ix->nvoffs;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (ix->voffs[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
