// SPDX-License-Identifier: GPL-2.0-or-later
/* The known-owners data file (see owners.h). */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owners.h"
#include "paths.h"
#include "util.h"

struct owners {
	char *path;
	struct owner *v;
	unsigned int n;
};

struct owners_reader {
	struct owners *o;
	const char *path;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int rd_error(struct owners_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int rd_error(struct owners_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s:%u: ", r->path, r->line);

	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static struct owner *current(struct owners_reader *r)
{
	return r->o->n ? &r->o->v[r->o->n - 1] : NULL;
}

/* A new zeroed element at the end of *@arr (elements of @size); NULL on
 * ENOMEM, the array unchanged. */
static void *grow(void **arr, unsigned int *n, size_t size)
{
	char *g = realloc(*arr, (*n + 1) * size);

	if (!g)
		return NULL;
	*arr = g;
	memset(g + *n * size, 0, size);
	return g + (*n)++ * size;
}

static int add_string(struct owner_strings *s, const char *text)
{
	char **g = realloc(s->v, (s->n + 1) * sizeof(*g));

	if (!g)
		return -1;
	s->v = g;
	if (!(s->v[s->n] = strdup(text)))
		return -1;
	s->n++;
	return 0;
}

/* Strict 32-bit number: decimal or 0x hex (as the layout's). */
static int number(const char *s, uint32_t *out)
{
	uint32_t m;

	return layout_parse_number(s, out, &m) == 0 && m == UINT32_MAX ? 0 : -1;
}

/* The next blank-separated word of *@rest, NUL-terminated in place. */
static char *next_word(char **rest)
{
	char *w = *rest + strspn(*rest, " \t"), *end;

	if (!*w)
		return NULL;
	end = w + strcspn(w, " \t");
	*rest = end + (*end != '\0');
	*end = '\0';
	return w;
}

/* The rest of the line, trimmed, one pair of double quotes taken off. */
static char *text(char *rest)
{
	char *t = rest + strspn(rest, " \t");
	size_t n = strlen(t);

	while (n && isspace((unsigned char)t[n - 1]))
		t[--n] = '\0';
	if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
		t[n - 1] = '\0';
		t++;
	}
	return t;
}

static bool valid_owner_name(const char *s)
{
	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("._+-", *s))
			return false;
	return true;
}

static bool valid_value_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("._-", *s))
			return false;
	return true;
}

/* ---- one directive each ---- */

static int need_text(struct owners_reader *r, const char *what, const char *t)
{
	return *t ? 0 : rd_error(r, "\"%s\" needs a text", what);
}

static int rd_title(struct owners_reader *r, struct owner *w, char *rest)
{
	char *t = text(rest);

	if (need_text(r, "title", t) < 0)
		return -1;
	if (w->title)
		return rd_error(r, "owner \"%s\" has a second title", w->name);
	if (!(w->title = strdup(t)))
		return rd_error(r, "%s", strerror(ENOMEM));
	return 0;
}

/* owner/repo:path */
static int rd_source(struct owners_reader *r, struct owner *w, char *rest)
{
	char *t = text(rest), *colon = strchr(t, ':');

	if (!colon || colon == t || !colon[1] || !memchr(t, '/', colon - t) ||
	    strpbrk(t, " \t"))
		return rd_error(r, "bad source \"%s\" (want owner/repo:path)", t);
	return add_string(&w->sources, t) < 0 ?
	       rd_error(r, "%s", strerror(ENOMEM)) : 0;
}

static int rd_strings(struct owners_reader *r, const char *what,
		      struct owner_strings *s, char *rest, bool one_word)
{
	char *t = text(rest);

	if (need_text(r, what, t) < 0)
		return -1;
	if (one_word && strpbrk(t, " \t"))
		return rd_error(r, "\"%s\" takes one pattern, not \"%s\"", what, t);
	return add_string(s, t) < 0 ? rd_error(r, "%s", strerror(ENOMEM)) : 0;
}

static int rd_config(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "config", &w->configs, rest, false);
}

static int rd_note(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "note", &w->notes, rest, false);
}

static int rd_chain(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "chain", &w->chains, rest, true);
}

static int rd_table(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "table", &w->tables, rest, false);
}

static int rd_comment(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "comment", &w->comments, rest, false);
}

static int rd_iface(struct owners_reader *r, struct owner *w, char *rest)
{
	return rd_strings(r, "iface", &w->ifaces, rest, true);
}

static int rd_word(struct owners_reader *r, char **rest, enum layout_word *word)
{
	char *s = next_word(rest);

	if (!s || layout_parse_word(s, word) < 0)
		return rd_error(r, "bad word \"%s\" (packet, conntrack or both)",
				s ? s : "");
	return 0;
}

/* bits WORD MASK TEXT */
static int rd_bits(struct owners_reader *r, struct owner *w, char *rest)
{
	struct owner_bits b = { 0 }, *slot;
	char *m;

	if (rd_word(r, &rest, &b.word) < 0)
		return -1;
	m = next_word(&rest);
	if (!m || number(m, &b.mask) < 0)
		return rd_error(r, "bad mask \"%s\"", m ? m : "");
	b.text = strdup(text(rest));
	slot = b.text ? grow((void **)&w->bits, &w->nbits, sizeof(b)) : NULL;
	if (!slot) {
		free(b.text);
		return rd_error(r, "%s", strerror(ENOMEM));
	}
	*slot = b;
	return 0;
}

/* value WORD VALUE/MASK NAME TEXT */
static int rd_value(struct owners_reader *r, struct owner *w, char *rest)
{
	struct owner_value v = { 0 }, *slot;
	char *vm, *name;

	if (rd_word(r, &rest, &v.word) < 0)
		return -1;
	vm = next_word(&rest);
	if (!vm || layout_parse_number(vm, &v.value, &v.mask) < 0 || !v.mask)
		return rd_error(r, "bad value \"%s\" (want VALUE/MASK)",
				vm ? vm : "");
	if (v.value & ~v.mask)
		return rd_error(r, "value 0x%x outside its mask 0x%x", v.value,
				v.mask);
	name = next_word(&rest);
	if (!name || !valid_value_name(name))
		return rd_error(r, "bad value name \"%s\"", name ? name : "");
	v.name = strdup(name);
	v.text = strdup(text(rest));
	slot = v.name && v.text ?
	       grow((void **)&w->values, &w->nvalues, sizeof(v)) : NULL;
	if (!slot) {
		free(v.name);
		free(v.text);
		return rd_error(r, "%s", strerror(ENOMEM));
	}
	*slot = v;
	return 0;
}

/* iprule table N | pref N | pref N-M */
static int rd_iprule(struct owners_reader *r, struct owner *w, char *rest)
{
	struct owner_iprule ip = { 0 }, *slot;
	char *kind = next_word(&rest), *arg = next_word(&rest), *dash;

	if (!kind || !arg || next_word(&rest))
		return rd_error(r, "bad iprule (want \"table N\", \"pref N\" or \"pref N-M\")");
	ip.by_table = strcmp(kind, "table") == 0;
	dash = ip.by_table ? NULL : strchr(arg, '-');
	if (dash)
		*dash++ = '\0';
	if ((!ip.by_table && strcmp(kind, "pref") != 0) ||
	    number(arg, &ip.lo) < 0 ||
	    (dash ? number(dash, &ip.hi) < 0 : (ip.hi = ip.lo, false)) ||
	    ip.hi < ip.lo)
		return rd_error(r, "bad iprule (want \"table N\", \"pref N\" or \"pref N-M\")");
	slot = grow((void **)&w->iprules, &w->niprules, sizeof(ip));
	if (!slot)
		return rd_error(r, "%s", strerror(ENOMEM));
	*slot = ip;
	return 0;
}

/* ---- the file ---- */

static const struct {
	const char *name;
	int (*read)(struct owners_reader *r, struct owner *w, char *rest);
} directives[] = {
	{ "title", rd_title }, { "source", rd_source }, { "config", rd_config },
	{ "bits", rd_bits }, { "value", rd_value }, { "chain", rd_chain },
	{ "table", rd_table }, { "iprule", rd_iprule },
	{ "comment", rd_comment }, { "iface", rd_iface }, { "note", rd_note },
};

/* What an entry must have, checked when the next one starts and at the
 * end; reported at its "owner" line. */
static int check_complete(struct owners_reader *r)
{
	const struct owner *w = current(r);
	const char *missing = NULL;

	if (!w)
		return 0;
	if (!w->title)
		missing = "a title";
	else if (!w->sources.n)
		missing = "a source";
	else if (!w->nbits && !w->nvalues)
		missing = "a bits or value line";
	if (!missing)
		return 0;
	r->line = w->line;
	return rd_error(r, "owner \"%s\" has no %s", w->name, missing + 2);
}

static int rd_owner(struct owners_reader *r, char *rest)
{
	char *name = next_word(&rest), *extra = next_word(&rest);
	struct owner *w;

	if (check_complete(r) < 0)
		return -1;
	if (!name || !valid_owner_name(name))
		return rd_error(r, "bad owner name \"%s\"", name ? name : "");
	if (extra)
		return rd_error(r, "unexpected \"%s\" after owner \"%s\"",
				extra, name);
	if (owners_find(r->o, name))
		return rd_error(r, "duplicate owner \"%s\" (first on line %u)",
				name, owners_find(r->o, name)->line);
	w = grow((void **)&r->o->v, &r->o->n, sizeof(*w));
	if (!w || !(w->name = strdup(name)))
		return rd_error(r, "%s", strerror(ENOMEM));
	w->line = r->line;
	return 0;
}

static int rd_line(void *data, char *line)
{
	struct owners_reader *r = data;
	char *rest = line, *d;

	line[strcspn(line, "\r\n")] = '\0';
	d = next_word(&rest);
	if (!d || d[0] == '#')
		return 0;
	if (strcmp(d, "owner") == 0)
		return rd_owner(r, rest);
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++) {
		if (strcmp(d, directives[i].name) != 0)
			continue;
		if (!current(r))
			return rd_error(r, "\"%s\" before any owner", d);
		return directives[i].read(r, current(r), rest);
	}
	return rd_error(r, "unknown directive \"%s\"", d);
}

static const char *default_path(char *buf, size_t size)
{
	const char *env = getenv("MARKCTL_OWNERS");

	if (env && *env)
		return env;
	paths_find(PKGDATADIR, "data", "owners", buf, size);
	return buf;
}

struct owners *owners_load(const char *path, char *err, size_t errlen)
{
	struct owners *o = calloc(1, sizeof(*o));
	struct owners_reader r = { .o = o, .err = err, .errlen = errlen };
	char buf[PATH_MAX];
	FILE *f;

	if (!path)
		path = default_path(buf, sizeof(buf));
	if (!o || !(o->path = strdup(path))) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		owners_free(o);
		return NULL;
	}
	r.path = o->path;
	f = fopen(path, "re");
	if (!f) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		owners_free(o);
		errno = e;
		return NULL;
	}
	if (util_read_lines(f, r.path, &r.line, rd_line, &r, r.err,
			    r.errlen) < 0 || check_complete(&r) < 0) {
		owners_free(o);
		o = NULL;
	}
	fclose(f);
	if (!o)
		errno = EINVAL;
	return o;
}

static void strings_free(struct owner_strings *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void owner_release(struct owner *w)
{
	free(w->name);
	free(w->title);
	strings_free(&w->sources);
	strings_free(&w->configs);
	strings_free(&w->notes);
	strings_free(&w->chains);
	strings_free(&w->tables);
	strings_free(&w->comments);
	strings_free(&w->ifaces);
	for (unsigned int i = 0; i < w->nbits; i++)
		free(w->bits[i].text);
	free(w->bits);
	for (unsigned int i = 0; i < w->nvalues; i++) {
		free(w->values[i].name);
		free(w->values[i].text);
	}
	free(w->values);
	free(w->iprules);
}

void owners_free(struct owners *o)
{
	if (!o)
		return;
	for (unsigned int i = 0; i < o->n; i++)
		owner_release(&o->v[i]);
	free(o->v);
	free(o->path);
	free(o);
}

const char *owners_path(const struct owners *o)
{
	return o->path;
}

unsigned int owners_count(const struct owners *o)
{
	return o->n;
}

const struct owner *owners_get(const struct owners *o, unsigned int i)
{
	return i < o->n ? &o->v[i] : NULL;
}

const struct owner *owners_find(const struct owners *o, const char *name)
{
	for (unsigned int i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			return &o->v[i];
	return NULL;
}

/* ---- recognition ---- */

static bool any_match(const struct owner_strings *s, const char *what)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (fnmatch(s->v[i], what, 0) == 0)
			return true;
	return false;
}

bool owner_has_chain(const struct owner *w, const char *chain)
{
	return any_match(&w->chains, chain);
}

/* "FAMILY NAME" patterns; one without a family matches the name alone. */
bool owner_has_table(const struct owner *w, const char *family,
		     const char *table)
{
	char both[300];

	snprintf(both, sizeof(both), "%s %s", family, table);
	for (unsigned int i = 0; i < w->tables.n; i++) {
		const char *p = w->tables.v[i];

		if (fnmatch(p, strchr(p, ' ') ? both : table, 0) == 0)
			return true;
	}
	return false;
}

bool owner_has_comment(const struct owner *w, const char *comment)
{
	return any_match(&w->comments, comment);
}

bool owner_has_iface(const struct owner *w, const char *iface)
{
	return any_match(&w->ifaces, iface);
}

bool owner_has_iprule(const struct owner *w, uint32_t table, uint32_t pref)
{
	for (unsigned int i = 0; i < w->niprules; i++) {
		const struct owner_iprule *ip = &w->iprules[i];
		uint32_t x = ip->by_table ? table : pref;

		if (x >= ip->lo && x <= ip->hi)
			return true;
	}
	return false;
}

uint32_t owner_bits_of(const struct owner *w, enum layout_word word)
{
	uint32_t m = 0;

	for (unsigned int i = 0; i < w->nbits; i++)
		if (w->bits[i].word & word)
			m |= w->bits[i].mask;
	for (unsigned int i = 0; i < w->nvalues; i++)
		if (w->values[i].word & word)
			m |= w->values[i].mask;
	return m;
}
