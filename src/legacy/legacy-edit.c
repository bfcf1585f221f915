// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A table being changed.  Each chain is a list of pieces: runs of entries
 * still where the old blob has them, or new entries kept in an arena of
 * chunks.  Nothing is decoded: a command splits and joins pieces, and
 * legacy-write.c lays the result out as a blob.  Jumps in new entries
 * carry the target chain's id until then; old ones keep their offsets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "legacy.h"
#include "util.h"

/* New entries are appended here; restore's are copied out and the chunk
 * unmapped as soon as the table is written. */
#define LG_CHUNK_SIZE	(256u << 10)

struct lg_chunk {
	struct lg_chunk *next;
	uint8_t *mem;
	uint32_t used;
	uint32_t live;			/* bytes pieces still refer to */
};

/* Blobs are written whole by the kernel or by us: huge pages spare the
 * thousands of page faults of a 100k-rule table. */
#define LG_HUGE_MIN	(2u << 20)

uint8_t *lg_map(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (size >= LG_HUGE_MIN)
		madvise(p, size, MADV_HUGEPAGE);
	return p;
}

int lg_remap(uint8_t **p, size_t *size, size_t want)
{
	void *n;

	if (want <= *size)
		return 0;
	n = mremap(*p, *size, want, MREMAP_MAYMOVE);
	if (n == MAP_FAILED)
		return -1;
	*p = n;
	*size = want;
	return 0;
}

void lg_unmap(uint8_t *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

/* ---- chains by name ---- */

static unsigned int name_hash(const char *s, unsigned int size)
{
	unsigned int h = 2166136261u;		/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h & (size - 1);
}

static void hash_put(struct lg_table *t, struct lg_chain *c)
{
	unsigned int h = name_hash(c->name, t->hsize);

	c->hnext = t->hash[h];
	t->hash[h] = c;
}

static void hash_del(struct lg_table *t, struct lg_chain *c)
{
	struct lg_chain **pp = &t->hash[name_hash(c->name, t->hsize)];

	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
}

static int hash_grow(struct lg_table *t)
{
	unsigned int size = t->hsize ? 2 * t->hsize : 64;
	struct lg_chain **h = calloc(size, sizeof(*h));

	if (!h)
		return -1;
	free(t->hash);
	t->hash = h;
	t->hsize = size;
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone)
			hash_put(t, t->chains[i]);
	return 0;
}

struct lg_chain *lg_chain_find(const struct lg_table *t, const char *name)
{
	struct lg_chain *c;

	if (!t->hsize)
		return NULL;
	for (c = t->hash[name_hash(name, t->hsize)]; c; c = c->hnext)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static struct lg_chain *chain_new(struct lg_table *t, const char *name)
{
	struct lg_chain *c;

	if (t->nchains == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 16;
		struct lg_chain **p = realloc(t->chains, cap * sizeof(*p));

		if (!p)
			return NULL;
		t->chains = p;
		t->cap = cap;
	}
	if (t->nchains + 1 > t->hsize / 2 && hash_grow(t) < 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	util_strlcpy(c->name, name, sizeof(c->name));
	c->id = t->nchains;
	c->hook = -1;
	t->chains[t->nchains++] = c;
	hash_put(t, c);
	return c;
}

struct lg_chain *lg_chain_add(struct lg_table *t, const char *name)
{
	struct lg_chain *c = chain_new(t, name);

	if (c)
		t->changed = true;
	return c;
}

void lg_chain_remove(struct lg_table *t, struct lg_chain *c)
{
	if (c->npieces)		/* callers flush first */
		abort();
	hash_del(t, c);
	c->gone = true;
	c->npieces = 0;
	c->nrules = 0;
	t->changed = true;
}

int lg_chain_rename(struct lg_table *t, struct lg_chain *c, const char *name)
{
	hash_del(t, c);
	util_strlcpy(c->name, name, sizeof(c->name));
	hash_put(t, c);
	t->changed = true;
	return 0;
}

/* ---- pieces ---- */

static int pieces_room(struct lg_chain *c, unsigned int more)
{
	unsigned int cap;
	struct lg_piece *p;

	if (c->npieces + more <= c->cap)
		return 0;
	cap = c->cap ? 2 * c->cap : 4;
	while (cap < c->npieces + more)
		cap *= 2;
	p = realloc(c->pieces, cap * sizeof(*p));
	if (!p)
		return -1;
	c->pieces = p;
	c->cap = cap;
	return 0;
}

/* Piece @i becomes its first @k entries (at byte @off) and a piece of
 * the rest after it; returns 0 or -1 (ENOMEM). */
static int piece_split(struct lg_chain *c, unsigned int i, uint32_t k,
		       uint32_t off)
{
	struct lg_piece *a, *b;

	if (pieces_room(c, 1) < 0)
		return -1;
	memmove(&c->pieces[i + 1], &c->pieces[i],
		(c->npieces - i) * sizeof(*c->pieces));
	c->npieces++;
	a = &c->pieces[i];
	b = &c->pieces[i + 1];
	b->p = a->p + off;
	b->len = a->len - off;
	b->n = a->n - k;
	if (a->old_idx != LG_NEW) {
		b->old_off = a->old_off + off;
		b->old_idx = a->old_idx + k;
	}
	a->len = off;
	a->n = k;
	return 0;
}

int lg_chain_locate(const struct lg_table *t, const struct lg_chain *c,
		    uint32_t pos, struct lg_rpos *rp)
{
	for (unsigned int i = 0; i < c->npieces; i++) {
		const struct lg_piece *p = &c->pieces[i];
		uint32_t off = 0;

		if (pos >= p->n) {
			pos -= p->n;
			continue;
		}
		for (uint32_t k = 0; k < pos; k++)
			off += lg_e_next(t->fam, p->p + off);
		rp->piece = i;
		rp->k = pos;
		rp->off = off;
		return 0;
	}
	errno = E2BIG;
	return -1;
}

struct lg_tclass lg_entry_class(const struct lg_table *t,
				const struct lg_piece *p, const uint8_t *e)
{
	const int32_t *v = lg_e_verdict(t->fam, e);
	const struct lg_bchain *bc;
	uint32_t off;

	if (!v)
		return (struct lg_tclass){ LG_T_MODULE, 0 };
	if (*v < 0)
		return (struct lg_tclass){ LG_T_STANDARD, *v };
	if (p->old_idx == LG_NEW)
		return *v == LG_VERDICT_FALLTHROUGH ?
		       (struct lg_tclass){ LG_T_FALLTHROUGH, 0 } :
		       (struct lg_tclass){ LG_T_JUMP, *v };
	off = p->old_off + (uint32_t)(e - p->p);
	if ((uint32_t)*v == off + lg_e_next(t->fam, e))
		return (struct lg_tclass){ LG_T_FALLTHROUGH, 0 };
	bc = lg_bindex_at(&t->ix, *v);
	if (!bc)		/* lg_blob_index() checked every jump */
		abort();
	return (struct lg_tclass){ LG_T_JUMP, bc - t->ix.chains };
}

/* Jumps in @len bytes of entries at @e move @delta references. */
static void refs_adjust(struct lg_table *t, const struct lg_piece *p,
			const uint8_t *e, uint32_t len, int delta)
{
	for (const uint8_t *end = e + len; e < end;
	     e += lg_e_next(t->fam, e)) {
		struct lg_tclass tc = lg_entry_class(t, p, e);

		if (tc.kind == LG_T_JUMP)
			t->chains[tc.value]->refs += delta;
	}
}

/* ---- the arena of new entries ---- */

uint8_t *lg_arena_alloc(struct lg_table *t, uint32_t len)
{
	struct lg_chunk *c = t->chunks;

	if (!c || !c->mem || c->used + len > LG_CHUNK_SIZE) {
		c = calloc(1, sizeof(*c));
		if (!c || !(c->mem = lg_map(LG_CHUNK_SIZE))) {
			free(c);
			return NULL;
		}
		c->next = t->chunks;
		t->chunks = c;
	}
	c->used += len;
	c->live += len;
	t->arena_last = c->mem + c->used - len;
	return t->arena_last;
}

/* @e in the arena: built there by the caller (lg_arena_alloc()), or
 * copied now. */
static const uint8_t *arena_put(struct lg_table *t, const uint8_t *e,
				uint32_t len, struct lg_chunk **chunk)
{
	uint8_t *p = e == t->arena_last ? t->arena_last :
		     lg_arena_alloc(t, len);

	t->arena_last = NULL;
	if (!p)
		return NULL;
	if (p != e)
		memcpy(p, e, len);
	*chunk = t->chunks;
	return p;
}

void lg_chunk_put(struct lg_table *t, struct lg_chunk *c, uint32_t len)
{
	(void)t;
	c->live -= len;
	if (c->live)
		return;
	lg_unmap(c->mem, LG_CHUNK_SIZE);
	c->mem = NULL;
}

/* ---- rule changes ---- */

/* Appends at the end: the last piece grows when the entry follows it. */
static int piece_append(struct lg_chain *c, const uint8_t *p, uint32_t len,
			struct lg_chunk *chunk)
{
	struct lg_piece *last = c->npieces ? &c->pieces[c->npieces - 1] : NULL;

	if (last && last->chunk == chunk && last->p + last->len == p &&
	    last->cmap == LG_CM_SET) {
		last->len += len;
		last->n++;
		return 0;
	}
	if (pieces_room(c, 1) < 0)
		return -1;
	c->pieces[c->npieces++] = (struct lg_piece){
		.p = p, .len = len, .n = 1, .old_off = LG_NEW,
		.old_idx = LG_NEW, .cmap = LG_CM_SET, .chunk = chunk,
	};
	return 0;
}

int lg_chain_insert(struct lg_table *t, struct lg_chain *c, uint32_t pos,
		    const uint8_t *e, uint32_t len)
{
	struct lg_chunk *chunk;
	const uint8_t *p = arena_put(t, e, len, &chunk);
	struct lg_rpos rp;
	unsigned int at;

	if (!p)
		return -1;
	if (pos >= c->nrules) {
		if (piece_append(c, p, len, chunk) < 0)
			return -1;
	} else {
		if (lg_chain_locate(t, c, pos, &rp) < 0)
			return -1;
		at = rp.piece;
		if (rp.k && piece_split(c, at++, rp.k, rp.off) < 0)
			return -1;
		if (pieces_room(c, 1) < 0)
			return -1;
		memmove(&c->pieces[at + 1], &c->pieces[at],
			(c->npieces - at) * sizeof(*c->pieces));
		c->npieces++;
		c->pieces[at] = (struct lg_piece){
			.p = p, .len = len, .n = 1, .old_off = LG_NEW,
			.old_idx = LG_NEW, .cmap = LG_CM_SET, .chunk = chunk,
		};
	}
	c->nrules++;
	refs_adjust(t, &(struct lg_piece){ .old_idx = LG_NEW }, p, len, 1);
	t->changed = true;
	return 0;
}

/* Isolates rule @pos in a piece of its own; returns that piece's index. */
static int isolate(struct lg_table *t, struct lg_chain *c, uint32_t pos)
{
	struct lg_rpos rp;
	struct lg_piece *p;
	unsigned int at;

	if (lg_chain_locate(t, c, pos, &rp) < 0)
		return -1;
	at = rp.piece;
	if (rp.k && piece_split(c, at++, rp.k, rp.off) < 0)
		return -1;
	p = &c->pieces[at];
	if (p->n > 1 && piece_split(c, at, 1, lg_e_next(t->fam, p->p)) < 0)
		return -1;
	return at;
}

int lg_chain_delete(struct lg_table *t, struct lg_chain *c, uint32_t pos)
{
	int at = isolate(t, c, pos);
	struct lg_piece *p;

	if (at < 0)
		return -1;
	p = &c->pieces[at];
	refs_adjust(t, p, p->p, p->len, -1);
	if (p->chunk)
		lg_chunk_put(t, p->chunk, p->len);
	memmove(p, p + 1, (c->npieces - at - 1) * sizeof(*p));
	c->npieces--;
	c->nrules--;
	t->changed = true;
	return 0;
}

void lg_chain_flush(struct lg_table *t, struct lg_chain *c)
{
	for (unsigned int i = 0; i < c->npieces; i++) {
		struct lg_piece *p = &c->pieces[i];

		refs_adjust(t, p, p->p, p->len, -1);
		if (p->chunk)
			lg_chunk_put(t, p->chunk, p->len);
	}
	c->npieces = 0;
	c->nrules = 0;
	t->changed = true;
}

/* libiptc: only counters taken over from the kernel become "zeroed";
 * new rules keep the counters they are set to. */
static void piece_zero(struct lg_piece *p)
{
	if (p->cmap == LG_CM_KEEP)
		p->cmap = LG_CM_ZEROED;
}

int lg_chain_zero(struct lg_table *t, struct lg_chain *c, uint32_t pos)
{
	int at;

	t->changed = true;
	if (pos != LG_NEW) {
		at = isolate(t, c, pos);
		if (at < 0)
			return -1;
		piece_zero(&c->pieces[at]);
		return 0;
	}
	for (unsigned int i = 0; i < c->npieces; i++)
		piece_zero(&c->pieces[i]);
	if (c->pol_cmap == LG_CM_KEEP)
		c->pol_cmap = LG_CM_ZEROED;
	return 0;
}

/* ---- reading a table ---- */

/* The chains of the index, each one piece of the blob. */
static int table_load(struct lg_table *t)
{
	const struct lg_family *f = t->fam;
	uint8_t *e = t->buf + LG_HDR_ROOM;

	for (unsigned int i = 0; i < t->ix.nchains; i++) {
		const struct lg_bchain *bc = &t->ix.chains[i];
		struct lg_chain *c = chain_new(t, bc->name);

		if (!c || pieces_room(c, 1) < 0)
			return -1;
		c->hook = bc->hook;
		c->old = bc;
		c->refs = bc->refs;
		c->nrules = bc->nrules;
		if (bc->nrules)
			c->pieces[c->npieces++] = (struct lg_piece){
				.p = e + bc->start, .len = bc->end - bc->start,
				.n = bc->nrules, .old_off = bc->start,
				.old_idx = bc->first_idx, .cmap = LG_CM_KEEP,
			};
		if (bc->hook < 0)
			continue;
		c->policy = *lg_e_verdict(f, e + bc->end);
		c->pol_ctr = *lg_e_counters(f, e + bc->end);
		c->pol_cmap = LG_CM_ZEROED;	/* libiptc's parse does so */
	}
	return 0;
}

/* GET_INFO and GET_ENTRIES until both see the same table. */
static int table_fetch(struct lg_table *t, struct lg_sock *s,
		       const char *name)
{
	for (;;) {
		if (lg_get_info(s, name, &t->info) < 0)
			return -1;
		t->bufsize = LG_HDR_ROOM + t->info.size;
		t->buf = lg_map(t->bufsize);
		if (!t->buf)
			return -1;
		if (lg_get_entries(s, &t->info, t->buf) == 0)
			return 0;
		lg_unmap(t->buf, t->bufsize);
		t->buf = NULL;
		if (errno != EAGAIN)
			return -1;
	}
}

static int table_open(struct lg_table *t)
{
	if (lg_blob_index(t->fam, &t->info, t->buf + LG_HDR_ROOM,
			  &t->ix) < 0 || table_load(t) < 0) {
		int err = errno;

		lg_table_release(t);
		errno = err;
		return -1;
	}
	return 0;
}

int lg_table_read(struct lg_table *t, struct lg_sock *s, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->fam = s->fam;
	if (table_fetch(t, s, name) < 0) {
		lg_table_release(t);
		return -1;
	}
	return table_open(t);
}

int lg_table_from_blob(struct lg_table *t, const struct lg_family *f,
		       const struct lg_info *info, const uint8_t *entries)
{
	memset(t, 0, sizeof(*t));
	t->fam = f;
	t->info = *info;
	t->bufsize = LG_HDR_ROOM + info->size;
	t->buf = lg_map(t->bufsize);
	if (!t->buf)
		return -1;
	memcpy(t->buf + LG_HDR_ROOM, entries, info->size);
	return table_open(t);
}

void lg_table_release(struct lg_table *t)
{
	struct lg_chunk *c, *next;

	for (c = t->chunks; c; c = next) {
		next = c->next;
		lg_unmap(c->mem, LG_CHUNK_SIZE);
		free(c);
	}
	for (unsigned int i = 0; i < t->nchains; i++) {
		free(t->chains[i]->pieces);
		free(t->chains[i]);
	}
	free(t->chains);
	free(t->hash);
	free(t->order);
	lg_bindex_release(&t->ix);
	if (t->out != t->buf)
		lg_unmap(t->out, t->outsize);
	lg_unmap(t->buf, t->bufsize);
	memset(t, 0, sizeof(*t));
}
