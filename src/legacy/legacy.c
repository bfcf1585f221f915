// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * legacy x_tables backend: backend_ops.  A transaction reads each table it
 * touches once, under the xtables lock, applies the commands to it
 * (legacy-cmd.c) and at commit replaces every changed table.  Several
 * tables (a restore) are all laid out and checked before the first is
 * replaced; if a replace fails, those replaced already are put back with
 * their old blobs and counters.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "legacy.h"
#include "util.h"

#define LG_MAX_TABLES	8
#define LG_ERRBUF_SIZE	512

struct lg_backend {
	struct backend base;		/* what backend_ops get */
	const struct markctl_ctx *ctx;
	struct lg_sock sock;
	struct lg_lock lock;
	struct lg_table *tables[LG_MAX_TABLES];
	unsigned int ntables;
	char **names;			/* tables(): /proc's list */
	/* the last failure, in iptables-legacy's words */
	enum backend_failure fail;
	char errbuf[LG_ERRBUF_SIZE];
	struct lg_view view;		/* last: ends in struct rule */
};

static void names_free(struct lg_backend *l);

static struct lg_backend *lg(struct backend *b)
{
	return (struct lg_backend *)b;	/* base is the first member */
}

static void error_set(struct lg_backend *l, enum backend_failure kind,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->errbuf, sizeof(l->errbuf), fmt, ap);
	va_end(ap);
	l->fail = kind;
}

static void error_cmd(struct lg_backend *l, enum lg_fn fn, int err)
{
	error_set(l, BACKEND_FAIL_CMD, "%s", lg_strerror_fn(fn, err));
}

static struct backend *lg_open(const struct markctl_ctx *ctx, uint8_t family)
{
	struct lg_backend *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->base.ops = &legacy_backend_ops;
	l->base.family = family;
	l->ctx = ctx;
	l->sock.fam = lg_family_get(family);
	l->sock.fd = -1;
	l->lock.fd = -1;
	lg_view_init(&l->view, family);
	return &l->base;
}

static void tables_drop(struct lg_backend *l)
{
	for (unsigned int i = 0; i < l->ntables; i++) {
		lg_table_release(l->tables[i]);
		free(l->tables[i]);
	}
	l->ntables = 0;
	lg_lock_release(&l->lock);
}

static void lg_close(struct backend *b)
{
	struct lg_backend *l = lg(b);

	if (!l)
		return;
	tables_drop(l);
	lg_sock_close(&l->sock);
	lg_view_release(&l->view);
	names_free(l);
	free(l);
}

/* The xtables lock, before the first read of a transaction (1.8.9 takes
 * it after parsing, before iptc_init; save reads without it). */
static int lock(struct lg_backend *l)
{
	int err, kind;

	if (l->ctx->nolock || l->lock.fd >= 0)
		return 0;
	if (lg_lock_take(&l->lock, l->ctx->wait, &err) == 0)
		return 0;
	kind = errno;
	if (kind == ENOLCK)
		error_set(l, BACKEND_FAIL_LOCK,
			  "Fatal: can't open lock file %s: %s",
			  l->lock.path, strerror(err));
	else if (l->ctx->wait == 0)	/* waiting for ever was cut short */
		error_set(l, BACKEND_FAIL_LOCK, "Can't lock %s: %s\n"
			  "Another app is currently holding the xtables lock. "
			  "Perhaps you want to use the -w option?",
			  l->lock.path, strerror(err));
	else
		error_set(l, BACKEND_FAIL_LOCK, "Can't lock %s: %s\n"
			  "Another app is currently holding the xtables lock. "
			  "Stopped waiting after %ds.",
			  l->lock.path, strerror(err), l->ctx->wait);
	errno = kind;
	return -1;
}

/* Table @name of the transaction, read on first use. */
static struct lg_table *table_get(struct lg_backend *l, const char *name)
{
	struct lg_table *t;

	for (unsigned int i = 0; i < l->ntables; i++)
		if (strcmp(l->tables[i]->info.name, name) == 0)
			return l->tables[i];
	if (l->ntables == LG_MAX_TABLES) {
		errno = ENOMEM;
		return NULL;
	}
	if (lock(l) < 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (lg_table_read(t, &l->sock, name) < 0) {
		int err = errno;

		free(t);
		error_set(l, BACKEND_FAIL_TABLE, "%s",
			  lg_strerror_fn(LG_FN_INIT, err));
		errno = err;
		return NULL;
	}
	l->tables[l->ntables++] = t;
	return t;
}

static int lg_exec(struct backend *b, const struct rule_cmd *cmd)
{
	struct lg_backend *l = lg(b);
	struct lg_table *t;
	struct lg_err e;

	l->fail = BACKEND_FAIL_NONE;
	t = table_get(l, cmd->table);
	if (!t)
		return -1;
	if (lg_cmd_apply(t, cmd, &e) == 0)
		return 0;
	error_cmd(l, e.fn, e.err);
	return -1;
}

static int lg_flush_table(struct backend *b, const char *table)
{
	struct lg_backend *l = lg(b);
	struct lg_table *t;

	l->fail = BACKEND_FAIL_NONE;
	t = table_get(l, table);
	return t ? lg_cmd_flush_table(t) : -1;
}

static void lg_abort(struct backend *b)
{
	tables_drop(lg(b));
}

/* ---- commit ---- */

/* A table of the transaction on its way to the kernel. */
struct prep {
	struct lg_table *t;
	struct xt_counters_info *ci;	/* to add after the replace */
	struct lg_crun *runs;
	unsigned int nruns;
	struct xt_counters *old;	/* the replaced entries' counters */
	bool replaced;
};

static void prep_release(struct prep *p)
{
	free(p->ci);
	free(p->runs);
	free(p->old);
}

/* Chain @id reaches a chain on the DFS stack: the kernel refuses such a
 * table (ELOOP) if a hook reaches the loop. */
static bool loops_from(struct lg_table *t, uint32_t id, uint8_t *state)
{
	struct lg_chain *c = t->chains[id];

	if (state[id] == 1)
		return true;
	if (state[id] == 2)
		return false;
	state[id] = 1;
	for (unsigned int k = 0; k < c->npieces; k++) {
		const struct lg_piece *p = &c->pieces[k];

		for (const uint8_t *e = p->p; e < p->p + p->len;
		     e += lg_e_next(t->fam, e)) {
			struct lg_tclass tc = lg_entry_class(t, p, e);

			if (tc.kind == LG_T_JUMP && loops_from(t, tc.value, state))
				return true;
		}
	}
	state[id] = 2;
	return false;
}

/* What the kernel would refuse for the table's shape, found before any
 * table is replaced. */
static int table_check(struct lg_table *t)
{
	uint8_t *state = calloc(t->nchains ? t->nchains : 1, 1);
	int ret = 0;

	if (!state)
		return -1;
	for (unsigned int i = 0; i < t->nchains && !ret; i++)
		if (!t->chains[i]->gone && t->chains[i]->hook >= 0 &&
		    loops_from(t, i, state))
			ret = -1;
	free(state);
	if (ret)
		errno = ELOOP;
	return ret;
}

static int prepare(struct prep *p, bool keep_old)
{
	struct lg_table *t = p->t;

	t->keep_old = keep_old;
	if (table_check(t) < 0 || lg_table_layout(t) < 0 ||
	    lg_table_counters(t, &p->ci, &p->runs, &p->nruns) < 0 ||
	    lg_table_write(t) < 0)
		return -1;
	p->old = calloc(t->info.num_entries ? t->info.num_entries : 1,
			sizeof(*p->old));
	return p->old ? 0 : -1;
}

static int replace_one(struct lg_backend *l, struct prep *p)
{
	struct lg_table *t = p->t;

	if (lg_replace(&l->sock, &t->out_info, t->out, t->new_entries,
		       t->new_size, t->info.num_entries, p->old) < 0)
		return -1;
	p->replaced = true;
	lg_counters_apply(p->ci, p->runs, p->nruns, p->old);
	return lg_add_counters(&l->sock, t->info.name, p->ci, t->new_entries);
}

/* The old blob back, with the counters it had when it was replaced. */
static void put_back(struct lg_backend *l, struct prep *p)
{
	struct lg_table *t = p->t;
	struct xt_counters_info *ci;
	size_t n = t->info.num_entries;

	if (lg_replace(&l->sock, &t->info, t->buf, n, t->info.size,
		       t->new_entries, NULL) < 0)
		return;
	ci = calloc(1, sizeof(*ci) + n * sizeof(struct xt_counters));
	if (!ci)
		return;
	memcpy(ci->counters, p->old, n * sizeof(struct xt_counters));
	lg_add_counters(&l->sock, t->info.name, ci, n);
	free(ci);
}

static int commit_tables(struct lg_backend *l, struct prep *p, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++)
		if (prepare(&p[i], n > 1) < 0)
			goto fail;
	for (i = 0; i < n; i++)
		if (replace_one(l, &p[i]) < 0)
			goto fail;
	return 0;
fail:
	err = errno;
	error_cmd(l, LG_FN_COMMIT, err);
	for (unsigned int k = 0; k < n; k++)
		if (p[k].replaced && (k < i || n > 1))
			put_back(l, &p[k]);
	errno = err;
	return -1;
}

static int lg_commit(struct backend *b)
{
	struct lg_backend *l = lg(b);
	struct prep p[LG_MAX_TABLES];
	unsigned int n = 0;
	int ret;

	l->fail = BACKEND_FAIL_NONE;
	memset(p, 0, sizeof(p));
	for (unsigned int i = 0; i < l->ntables; i++)
		if (l->tables[i]->changed)
			p[n++].t = l->tables[i];
	ret = commit_tables(l, p, n);
	for (unsigned int i = 0; i < n; i++)
		prep_release(&p[i]);
	tables_drop(l);
	return ret;
}

/* ---- listing ---- */

static int cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct rule_chain *)a)->name,
		      ((const struct rule_chain *)b)->name);
}

static void chain_fill(struct rule_chain *rc, const struct lg_chain *c,
		       const struct lg_family *f)
{
	(void)f;
	util_strlcpy(rc->name, c->name, sizeof(rc->name));
	rc->builtin = c->hook >= 0;
	rc->hooknum = c->hook;
	rc->exists = true;
	rc->references = c->refs;
	if (c->hook < 0) {
		rc->policy = RULE_VERDICT_NONE;
		return;
	}
	rc->policy = c->policy == -NF_DROP - 1 ? RULE_VERDICT_DROP :
						 RULE_VERDICT_ACCEPT;
	rc->counters = c->pol_ctr;
}

static int builtin_first(const void *a, const void *b)
{
	const struct rule_chain *x = a, *y = b;

	if (x->builtin != y->builtin)
		return x->builtin ? -1 : 1;
	if (x->builtin)
		return x->hooknum - y->hooknum;
	return cmp_user(a, b);
}

static int lg_chains(struct backend *b, const char *table,
		     struct rule_chain **chains, unsigned int *count,
		     bool *table_exists)
{
	struct lg_backend *l = lg(b);
	struct lg_table *t = table_get(l, table);
	struct rule_chain *out;
	unsigned int n = 0;

	if (!t)
		return -1;
	out = calloc(t->nchains ? t->nchains : 1, sizeof(*out));
	if (!out)
		return -1;
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone)
			chain_fill(&out[n++], t->chains[i], t->fam);
	qsort(out, n, sizeof(*out), builtin_first);
	*chains = out;
	*count = n;
	*table_exists = true;
	return 0;
}

static int lg_rules(struct backend *b, const char *table, const char *chain,
		    backend_rule_cb cb, void *data)
{
	struct lg_backend *l = lg(b);
	struct lg_table *t = table_get(l, table);
	const struct lg_chain *c;

	if (!t)
		return -1;
	c = lg_chain_find(t, chain);
	if (!c) {
		errno = ENOENT;
		return -1;
	}
	for (unsigned int k = 0; k < c->npieces; k++) {
		const struct lg_piece *p = &c->pieces[k];

		for (const uint8_t *e = p->p; e < p->p + p->len;
		     e += lg_e_next(t->fam, e)) {
			struct lg_tclass tc = lg_entry_class(t, p, e);
			const char *jump = tc.kind == LG_T_JUMP ?
					   t->chains[tc.value]->name : NULL;
			int ret;

			if (lg_entry_decode(t->fam, e, jump,
					    tc.kind == LG_T_FALLTHROUGH,
					    &l->view) < 0)
				return -1;
			ret = cb(&l->view.rule, data);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int lg_compat_rev(struct backend *b, const char *name, uint8_t rev,
			 int opt)
{
	return lg_revision(&lg(b)->sock, name, rev, opt == 1);
}

static void names_free(struct lg_backend *l)
{
	for (char **n = l->names; n && *n; n++)
		free(*n);
	free(l->names);
	l->names = NULL;
}

/* iptables-legacy-save's order: /proc lists the tables that exist,
 * newest first; a missing file means none. */
static const char *const *lg_tables(struct backend *b)
{
	struct lg_backend *l = lg(b);
	FILE *f = fopen(l->sock.fam->names_path, "re");
	char line[XT_TABLE_MAXNAMELEN + 2];
	size_t n = 0;

	names_free(l);
	l->names = calloc(1, sizeof(*l->names));
	if (!l->names)
		goto fail;
	while (f && fgets(line, sizeof(line), f)) {
		char **p = realloc(l->names, (n + 2) * sizeof(*p));

		if (!p)
			goto fail;
		l->names = p;
		line[strcspn(line, "\n")] = '\0';
		if (!(l->names[n] = strdup(line)))
			goto fail;
		l->names[++n] = NULL;
	}
	if (!f && errno != ENOENT)
		return NULL;
	if (f)
		fclose(f);
	return (const char *const *)l->names;
fail:
	if (f)
		fclose(f);
	names_free(l);
	errno = ENOMEM;
	return NULL;
}

/* Only instantiated tables are listed there: reading one would create
 * it. */
static int lg_in_use(uint8_t family)
{
	FILE *f = fopen(lg_family_get(family)->names_path, "re");
	int c;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	c = fgetc(f);
	fclose(f);
	return c != EOF;
}

static const char *lg_strerror(struct backend *b)
{
	return lg(b)->fail != BACKEND_FAIL_NONE ? lg(b)->errbuf : NULL;
}

static enum backend_failure lg_failure(struct backend *b)
{
	return lg(b)->fail;
}

const struct backend_ops legacy_backend_ops = {
	.name		= "legacy",
	.variant	= "legacy",
	.flags		= BACKEND_LIBIPTC,
	.open		= lg_open,
	.close		= lg_close,
	.in_use		= lg_in_use,
	.exec		= lg_exec,
	.flush_table	= lg_flush_table,
	.commit		= lg_commit,
	.abort		= lg_abort,
	.tables		= lg_tables,
	.chains		= lg_chains,
	.rules		= lg_rules,
	.compat_rev	= lg_compat_rev,
	.strerror	= lg_strerror,
	.failure	= lg_failure,
};
