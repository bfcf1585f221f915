// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A changed table back to a blob, laid out as libiptc lays it out, and
 * the counters to add after the replace, mapped as libiptc maps them.
 *
 * When the new blob is the old one with a single stretch changed (one
 * rule appended, inserted, deleted or replaced, a chain created, flushed
 * or deleted, a policy set), the read buffer is spliced in place: one
 * memmove, then every jump and hook offset behind the stretch shifts.
 * Otherwise the pieces are copied into a new buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "legacy.h"
#include "util.h"

static int chain_order(const void *a, const void *b)
{
	const struct lg_chain *x = *(struct lg_chain *const *)a;
	const struct lg_chain *y = *(struct lg_chain *const *)b;

	if (x->hook >= 0 && y->hook >= 0)
		return x->hook - y->hook;
	if (x->hook >= 0 || y->hook >= 0)
		return x->hook >= 0 ? -1 : 1;
	return strcmp(x->name, y->name);
}

int lg_table_layout(struct lg_table *t)
{
	size_t err = lg_error_entry_size(t->fam);
	size_t std = lg_standard_entry_size(t->fam);
	uint32_t off = 0, idx = 0;
	unsigned int n = 0;

	free(t->order);
	t->order = malloc((t->nchains ? t->nchains : 1) * sizeof(*t->order));
	if (!t->order)
		return -1;
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone)
			t->order[n++] = t->chains[i];
	t->norder = n;
	qsort(t->order, n, sizeof(*t->order), chain_order);
	for (unsigned int i = 0; i < n; i++) {
		struct lg_chain *c = t->order[i];

		if (c->hook < 0) {
			c->new_head = off;
			off += err;
			idx++;
		}
		c->new_start = off;
		c->new_idx = idx;
		for (unsigned int k = 0; k < c->npieces; k++) {
			off += c->pieces[k].len;
			idx += c->pieces[k].n;
		}
		c->new_end = off;
		off += std;
		idx++;
	}
	t->new_size = off + err;
	t->new_entries = idx + 1;
	t->out_info = t->info;
	t->out_info.num_entries = t->new_entries;
	t->out_info.size = t->new_size;
	memset(t->out_info.hook_entry, 0, sizeof(t->out_info.hook_entry));
	memset(t->out_info.underflow, 0, sizeof(t->out_info.underflow));
	for (unsigned int i = 0; i < n && t->order[i]->hook >= 0; i++) {
		t->out_info.hook_entry[t->order[i]->hook] = t->order[i]->new_start;
		t->out_info.underflow[t->order[i]->hook] = t->order[i]->new_end;
	}
	return 0;
}

/* ---- counters ---- */

struct cplan {
	struct xt_counters *slot;
	struct lg_crun *runs;
	unsigned int nruns, cap;
};

static int run_add(struct cplan *cp, uint32_t new_idx, uint32_t old_idx,
		   uint32_t n)
{
	struct lg_crun *last = cp->nruns ? &cp->runs[cp->nruns - 1] : NULL;

	if (last && last->new_idx + last->n == new_idx &&
	    last->old_idx + last->n == old_idx) {
		last->n += n;
		return 0;
	}
	if (cp->nruns == cp->cap) {
		unsigned int cap = cp->cap ? 2 * cp->cap : 16;
		struct lg_crun *r = realloc(cp->runs, cap * sizeof(*r));

		if (!r)
			return -1;
		cp->runs = r;
		cp->cap = cap;
	}
	cp->runs[cp->nruns++] = (struct lg_crun){ new_idx, old_idx, n };
	return 0;
}

/* Slots start zeroed and are written only when they must change: a
 * restore of 100k rules then never touches the pages of its slots. */
static void negate(struct xt_counters *dst, const struct xt_counters *c)
{
	if (c->pcnt || c->bcnt)
		*dst = (struct xt_counters){ -c->pcnt, -c->bcnt };
}

static void set(struct xt_counters *dst, const struct xt_counters *c)
{
	if (c->pcnt || c->bcnt)
		*dst = *c;
}

static int plan_piece(const struct lg_table *t, struct cplan *cp,
		      const struct lg_piece *p, uint32_t idx)
{
	const uint8_t *e = p->p;

	if (p->cmap == LG_CM_KEEP || p->cmap == LG_CM_ZEROED)
		if (run_add(cp, idx, p->old_idx, p->n) < 0)
			return -1;
	if (p->cmap == LG_CM_KEEP || p->cmap == LG_CM_NONE)
		return 0;
	for (uint32_t k = 0; k < p->n; k++, e += lg_e_next(t->fam, e)) {
		const struct xt_counters *c = lg_e_counters(t->fam, e);

		if (p->cmap == LG_CM_ZEROED)
			negate(&cp->slot[idx + k], c);
		else
			set(&cp->slot[idx + k], c);
	}
	return 0;
}

static int plan_policy(struct cplan *cp, const struct lg_chain *c)
{
	uint32_t idx = c->new_idx + c->nrules;
	uint32_t old = c->old->first_idx + c->old->nrules;

	switch (c->pol_cmap) {
	case LG_CM_ZEROED:
		negate(&cp->slot[idx], &c->pol_ctr);
		/* fall through */
	case LG_CM_KEEP:
		return run_add(cp, idx, old, 1);
	case LG_CM_SET:
		set(&cp->slot[idx], &c->pol_ctr);
		break;
	}
	return 0;
}

int lg_table_counters(const struct lg_table *t, struct xt_counters_info **ci,
		      struct lg_crun **runs, unsigned int *nruns)
{
	struct cplan cp = { NULL, NULL, 0, 0 };

	*ci = calloc(1, sizeof(**ci) +
			t->new_entries * sizeof(struct xt_counters));
	if (!*ci)
		return -1;
	cp.slot = (*ci)->counters;
	for (unsigned int i = 0; i < t->norder; i++) {
		const struct lg_chain *c = t->order[i];
		uint32_t idx = c->new_idx;

		for (unsigned int k = 0; k < c->npieces; k++) {
			if (plan_piece(t, &cp, &c->pieces[k], idx) < 0)
				goto fail;
			idx += c->pieces[k].n;
		}
		if (c->hook >= 0 && plan_policy(&cp, c) < 0)
			goto fail;
	}
	*runs = cp.runs;
	*nruns = cp.nruns;
	return 0;
fail:
	free(cp.runs);
	free(*ci);
	*ci = NULL;
	return -1;
}

void lg_counters_apply(struct xt_counters_info *ci, const struct lg_crun *runs,
		       unsigned int nruns, const struct xt_counters *old)
{
	for (unsigned int r = 0; r < nruns; r++)
		for (uint32_t k = 0; k < runs[r].n; k++) {
			struct xt_counters *s = &ci->counters[runs[r].new_idx + k];
			const struct xt_counters *o = &old[runs[r].old_idx + k];

			s->pcnt += o->pcnt;
			s->bcnt += o->bcnt;
		}
}

/* ---- the blob ---- */

static uint32_t jump_target(const struct lg_table *t, uint32_t id)
{
	if (id >= t->nchains || t->chains[id]->gone)
		abort();	/* referenced chains are never removed */
	return t->chains[id]->new_start;
}

/* The verdict of the entry now at @off of @e, which was at @old_off of the
 * old blob (LG_NEW: a new entry, jumps as chain ids). */
static void fix_verdict(const struct lg_table *t, uint8_t *e, uint32_t off,
			uint32_t old_off)
{
	int32_t *v = lg_e_verdict(t->fam, e + off);
	uint32_t next = lg_e_next(t->fam, e + off);
	const struct lg_bchain *bc;

	if (!v || *v < 0)
		return;
	if (old_off == LG_NEW) {
		*v = *v == LG_VERDICT_FALLTHROUGH ? off + next :
		     jump_target(t, *v);
		return;
	}
	if ((uint32_t)*v == old_off + next) {
		*v = off + next;
		return;
	}
	bc = lg_bindex_at(&t->ix, *v);
	if (!bc)
		abort();	/* checked when the blob was indexed */
	*v = jump_target(t, bc - t->ix.chains);
}

/* Heads, tails, policies and the end, at their new offsets. */
static void write_structure(const struct lg_table *t, uint8_t *e)
{
	for (unsigned int i = 0; i < t->norder; i++) {
		const struct lg_chain *c = t->order[i];

		if (c->hook >= 0) {
			lg_put_standard(t->fam, e + c->new_end, c->policy);
			continue;
		}
		lg_put_error(t->fam, e + c->new_head, c->name);
		lg_put_standard(t->fam, e + c->new_end, XT_RETURN);
	}
	lg_put_error(t->fam, e + t->new_size - lg_error_entry_size(t->fam),
		     XT_ERROR_TARGET);
}

/* Does the new layout keep the old blob but for one stretch: old bytes
 * [0, P) in place, then @mid new bytes, then old [Q, size) moved? */
struct splice {
	int phase;			/* 0 prefix, 1 middle, 2 suffix */
	bool ok;
	uint32_t expect, p, q, mid;
};

static void scan_old(struct splice *s, uint32_t off, uint32_t len)
{
	if (s->phase == 0 && off == s->expect) {
		s->expect += len;
		return;
	}
	if (s->phase < 2) {
		if (s->phase == 0)
			s->p = s->expect;
		s->phase = 2;
		s->q = off;
		s->ok = s->ok && off >= s->p;
		s->expect = off + len;
		return;
	}
	s->ok = s->ok && off == s->expect;
	s->expect = off + len;
}

static void scan_new(struct splice *s, uint32_t len)
{
	if (s->phase == 0) {
		s->p = s->expect;
		s->phase = 1;
	}
	s->ok = s->ok && s->phase == 1;
	s->mid += len;
}

static void scan_chain(const struct lg_table *t, struct splice *s,
		       const struct lg_chain *c)
{
	size_t std = lg_standard_entry_size(t->fam);

	if (c->hook < 0) {
		if (c->old)
			scan_old(s, c->old->head, c->old->start - c->old->head);
		else
			scan_new(s, lg_error_entry_size(t->fam));
	}
	for (unsigned int k = 0; k < c->npieces; k++) {
		const struct lg_piece *p = &c->pieces[k];

		if (p->old_idx != LG_NEW)
			scan_old(s, p->old_off, p->len);
		else
			scan_new(s, p->len);
	}
	if (c->old)
		scan_old(s, c->old->end, std);
	else
		scan_new(s, std);
}

static bool splice_scan(const struct lg_table *t, struct splice *s)
{
	size_t err = lg_error_entry_size(t->fam);

	*s = (struct splice){ .ok = !t->keep_old };
	for (unsigned int i = 0; i < t->norder && s->ok; i++)
		scan_chain(t, s, t->order[i]);
	scan_old(s, t->info.size - err, err);
	if (s->phase == 0) {		/* nothing moved */
		s->p = s->q = t->info.size;
		s->ok = s->ok && s->expect == t->info.size;
	}
	return s->ok && s->expect == t->info.size;
}

/* New pieces (all in the middle) to their place, chunks released. */
static void copy_new_pieces(struct lg_table *t, uint8_t *e)
{
	for (unsigned int i = 0; i < t->norder; i++) {
		struct lg_chain *c = t->order[i];
		uint32_t pos = c->new_start;

		for (unsigned int k = 0; k < c->npieces; k++) {
			struct lg_piece *p = &c->pieces[k];

			if (p->old_idx == LG_NEW) {
				memcpy(e + pos, p->p, p->len);
				lg_chunk_put(t, p->chunk, p->len);
			}
			pos += p->len;
		}
	}
}

static int write_in_place(struct lg_table *t, const struct splice *s)
{
	uint32_t delta = s->p + s->mid - s->q, off;
	uint8_t *e;

	if (lg_remap(&t->buf, &t->bufsize, LG_HDR_ROOM + t->new_size) < 0)
		return -1;
	e = t->buf + LG_HDR_ROOM;
	memmove(e + s->p + s->mid, e + s->q, t->info.size - s->q);
	copy_new_pieces(t, e);
	write_structure(t, e);
	/* the old entries with offsets in their verdicts, where they went */
	for (unsigned int i = 0; i < t->ix.nvoffs; i++) {
		uint32_t old = t->ix.voffs[i];

		if (old < s->p)
			fix_verdict(t, e, old, old);
		else if (old >= s->q)
			fix_verdict(t, e, old + delta, old);
	}
	for (off = s->p; off < s->p + s->mid; off += lg_e_next(t->fam, e + off))
		fix_verdict(t, e, off, LG_NEW);
	t->out = t->buf;
	t->outsize = t->bufsize;
	return 0;
}

static void copy_piece(struct lg_table *t, uint8_t *e, uint32_t pos,
		       struct lg_piece *p)
{
	uint32_t end = pos + p->len;

	memcpy(e + pos, p->p, p->len);
	if (p->old_idx != LG_NEW) {
		/* only entries the index noted have offsets to fix */
		for (unsigned int i = lg_bindex_voff_from(&t->ix, p->old_off);
		     i < t->ix.nvoffs && t->ix.voffs[i] < p->old_off + p->len;
		     i++)
			fix_verdict(t, e, pos + (t->ix.voffs[i] - p->old_off),
				    t->ix.voffs[i]);
		return;
	}
	for (uint32_t off = pos; off < end; off += lg_e_next(t->fam, e + off))
		fix_verdict(t, e, off, LG_NEW);
	lg_chunk_put(t, p->chunk, p->len);
}

static int write_new(struct lg_table *t)
{
	size_t size = LG_HDR_ROOM + t->new_size;
	uint8_t *out = lg_map(size), *e;

	if (!out)
		return -1;
	e = out + LG_HDR_ROOM;
	for (unsigned int i = 0; i < t->norder; i++) {
		struct lg_chain *c = t->order[i];
		uint32_t pos = c->new_start;

		for (unsigned int k = 0; k < c->npieces; k++) {
			copy_piece(t, e, pos, &c->pieces[k]);
			pos += c->pieces[k].len;
		}
	}
	write_structure(t, e);
	t->out = out;
	t->outsize = size;
	return 0;
}

int lg_table_write(struct lg_table *t)
{
	struct splice s;

	if (splice_scan(t, &s))
		return write_in_place(t, &s);
	return write_new(t);
}
