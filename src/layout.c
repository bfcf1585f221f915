// SPDX-License-Identifier: GPL-2.0-or-later
/* The mark layout file and field expressions (see layout.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "util.h"

struct layout {
	char *path;
	struct layout_field *fields;
	unsigned int nfields;
};

/* What one line of the file is being read into. */
struct layout_reader {
	struct layout *l;
	const char *path;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int reader_error(struct layout_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int reader_error(struct layout_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(r->err, r->errlen, "%s:%u: ", r->path, r->line);
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Strict: decimal, 0x hex or 0 octal, nothing before or after, 32 bits. */
static int layout_number(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

int layout_parse_number(const char *s, uint32_t *value, uint32_t *mask)
{
	const char *slash = strchr(s, '/');
	char buf[32];

	*mask = UINT32_MAX;
	if (!slash)
		return layout_number(s, value);
	if ((size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (layout_number(buf, value) < 0)
		return -1;
	return layout_number(slash + 1, mask);
}

/* A bit range "LO-HI" (bit numbers, 0 the lowest) as a mask. */
static int layout_range(const char *s, uint32_t *out)
{
	unsigned int lo, hi;
	int n = 0;

	if (!isdigit((unsigned char)s[0]) ||
	    sscanf(s, "%2u-%2u%n", &lo, &hi, &n) != 2 || s[n] != '\0' ||
	    !isdigit((unsigned char)s[strcspn(s, "-") + 1]) ||
	    lo > hi || hi > 31)
		return -1;
	*out = (hi == 31 ? UINT32_MAX : (1u << (hi + 1)) - 1) &
	       ~((1u << lo) - 1);
	return 0;
}

static bool valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

uint32_t layout_place(uint32_t mask, uint32_t v)
{
	uint32_t out = 0;

	for (uint32_t bit = 1; mask; bit <<= 1) {
		uint32_t low = mask & -mask;

		if (v & bit)
			out |= low;
		mask &= mask - 1;
	}
	return out;
}

uint32_t layout_extract(uint32_t mask, uint32_t word)
{
	uint32_t out = 0;

	for (uint32_t bit = 1; mask; bit <<= 1) {
		uint32_t low = mask & -mask;

		if (word & low)
			out |= bit;
		mask &= mask - 1;
	}
	return out;
}

uint32_t layout_field_max(uint32_t mask)
{
	int n = __builtin_popcount(mask);

	return n >= 32 ? UINT32_MAX : (1u << n) - 1;
}

const char *layout_word_name(enum layout_word w)
{
	switch (w) {
	case LAYOUT_PACKET:
		return "packet";
	case LAYOUT_CONNTRACK:
		return "conntrack";
	case LAYOUT_BOTH:
		break;
	}
	return "both";
}

int layout_parse_word(const char *s, enum layout_word *w)
{
	static const enum layout_word words[] = {
		LAYOUT_PACKET, LAYOUT_CONNTRACK, LAYOUT_BOTH,
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, layout_word_name(words[i])) == 0) {
			*w = words[i];
			return 0;
		}
	return -1;
}

const struct layout_field *layout_find(const struct layout *l,
				       const char *name)
{
	for (unsigned int i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].name, name) == 0)
			return &l->fields[i];
	return NULL;
}

static const struct layout_value *find_value(const struct layout_field *f,
					     const char *name)
{
	for (unsigned int i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i].name, name) == 0)
			return &f->values[i];
	return NULL;
}

const char *layout_value_name(const struct layout_field *f, uint32_t v)
{
	for (unsigned int i = 0; i < f->nvalues; i++)
		if (f->values[i].value == v)
			return f->values[i].name;
	return NULL;
}

/* field NAME MASK [WORD] */
static int read_field(struct layout_reader *r, char **tok, int ntok)
{
	struct layout *l = r->l;
	struct layout_field f = { .word = LAYOUT_PACKET, .line = r->line };
	const struct layout_field *dup;
	struct layout_field *grown;

	if (ntok < 3)
		return reader_error(r, "\"field\" needs a name and a mask");
	if (ntok > 4)
		return reader_error(r, "unexpected \"%s\" after field \"%s\"",
				    tok[4], tok[1]);
	if (!valid_name(tok[1]))
		return reader_error(r, "bad field name \"%s\"", tok[1]);
	if ((dup = layout_find(l, tok[1])))
		return reader_error(r, "duplicate field \"%s\" (first on line %u)",
				    tok[1], dup->line);
	if (layout_number(tok[2], &f.mask) < 0 &&
	    layout_range(tok[2], &f.mask) < 0)
		return reader_error(r, "field \"%s\": bad mask \"%s\"", tok[1],
				    tok[2]);
	if (f.mask == 0)
		return reader_error(r, "field \"%s\": empty mask", tok[1]);
	if (ntok == 4 && layout_parse_word(tok[3], &f.word) < 0)
		return reader_error(r, "field \"%s\": unknown word \"%s\" "
				    "(packet, conntrack or both)", tok[1],
				    tok[3]);
	for (unsigned int i = 0; i < l->nfields; i++) {
		const struct layout_field *o = &l->fields[i];

		if ((o->word & f.word) && (o->mask & f.mask))
			return reader_error(r, "field \"%s\" overlaps field \"%s\" "
					    "(bits 0x%08x)", tok[1], o->name,
					    o->mask & f.mask);
	}
	grown = realloc(l->fields, (l->nfields + 1) * sizeof(*grown));
	if (!grown)
		return reader_error(r, "%s", strerror(ENOMEM));
	l->fields = grown;
	if (!(f.name = strdup(tok[1])))
		return reader_error(r, "%s", strerror(ENOMEM));
	l->fields[l->nfields++] = f;
	return 0;
}

/* value NAME NUMBER, in the field above */
static int read_value(struct layout_reader *r, char **tok, int ntok)
{
	struct layout_field *f;
	struct layout_value *grown;
	uint32_t v;

	if (ntok < 3)
		return reader_error(r, "\"value\" needs a name and a number");
	if (ntok > 3)
		return reader_error(r, "unexpected \"%s\" after value \"%s\"",
				    tok[3], tok[1]);
	if (r->l->nfields == 0)
		return reader_error(r, "value \"%s\" before any field", tok[1]);
	f = &r->l->fields[r->l->nfields - 1];
	if (!valid_name(tok[1]))
		return reader_error(r, "bad value name \"%s\"", tok[1]);
	if (find_value(f, tok[1]))
		return reader_error(r, "duplicate value \"%s\" in field \"%s\"",
				    tok[1], f->name);
	if (layout_number(tok[2], &v) < 0)
		return reader_error(r, "value \"%s\": bad number \"%s\"", tok[1],
				    tok[2]);
	if (v > layout_field_max(f->mask))
		return reader_error(r, "value \"%s\" (%s) does not fit field "
				    "\"%s\" (0-%u)", tok[1], tok[2], f->name,
				    layout_field_max(f->mask));
	grown = realloc(f->values, (f->nvalues + 1) * sizeof(*grown));
	if (!grown)
		return reader_error(r, "%s", strerror(ENOMEM));
	f->values = grown;
	if (!(f->values[f->nvalues].name = strdup(tok[1])))
		return reader_error(r, "%s", strerror(ENOMEM));
	f->values[f->nvalues++].value = v;
	return 0;
}

#define MAX_TOKENS 8

static int read_line(void *data, char *line)
{
	struct layout_reader *r = data;
	char *tok[MAX_TOKENS], *save = NULL, *t;
	int n = 0;

	line[strcspn(line, "#\n")] = '\0';
	for (t = strtok_r(line, " \t\r", &save); t && n < MAX_TOKENS;
	     t = strtok_r(NULL, " \t\r", &save))
		tok[n++] = t;
	if (n == 0)
		return 0;
	if (strcmp(tok[0], "field") == 0)
		return read_field(r, tok, n);
	if (strcmp(tok[0], "value") == 0)
		return read_value(r, tok, n);
	return reader_error(r, "unknown word \"%s\"", tok[0]);
}

struct layout *layout_load(const char *path, char *err, size_t errlen)
{
	struct layout *l = calloc(1, sizeof(*l));
	struct layout_reader r = { .l = l, .err = err, .errlen = errlen };
	bool implicit = !path;
	FILE *f;

	if (implicit)
		path = getenv("MARKCTL_LAYOUT");
	if (!path || !*path)
		path = LAYOUT_DEFAULT_PATH;
	else
		implicit = false;
	if (!l || !(l->path = strdup(path))) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		layout_free(l);
		return NULL;
	}
	r.path = l->path;
	f = fopen(path, "re");
	if (!f) {
		if (implicit && errno == ENOENT)
			return l;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		layout_free(l);
		return NULL;
	}
	if (util_read_lines(f, r.path, &r.line, read_line, &r, r.err,
			    r.errlen) < 0) {
		layout_free(l);
		l = NULL;
	}
	fclose(f);
	return l;
}

void layout_free(struct layout *l)
{
	if (!l)
		return;
	for (unsigned int i = 0; i < l->nfields; i++) {
		for (unsigned int j = 0; j < l->fields[i].nvalues; j++)
			free(l->fields[i].values[j].name);
		free(l->fields[i].values);
		free(l->fields[i].name);
	}
	free(l->fields);
	free(l->path);
	free(l);
}

const char *layout_path(const struct layout *l)
{
	return l->path;
}

bool layout_empty(const struct layout *l)
{
	return l->nfields == 0;
}

unsigned int layout_nfields(const struct layout *l)
{
	return l->nfields;
}

const struct layout_field *layout_field(const struct layout *l,
					unsigned int i)
{
	return i < l->nfields ? &l->fields[i] : NULL;
}

/* ---- the process-wide layout ---- */

static const char *global_path;
static struct layout *global;
static bool names;

void layout_set_path(const char *path)
{
	global_path = path;
}

const struct layout *layout_get(void)
{
	char err[512];

	if (global)
		return global;
	global = layout_load(global_path, err, sizeof(err));
	if (!global) {
		fflush(stdout);
		fprintf(stderr, "markctl: %s\n", err);
		exit(2);
	}
	return global;
}

void layout_release(void)
{
	layout_free(global);
	global = NULL;
}

/* Loaded now, so that a bad layout fails before any line is listed. */
void layout_set_names(bool on)
{
	names = on;
	if (on)
		layout_get();
}

const struct layout *layout_names(void)
{
	return names ? layout_get() : NULL;
}

/* ---- field expressions ---- */

enum expr_kind {
	EXPR_VALUE,	/* route=isp2,vpn: value and mask */
	EXPR_MASK,	/* route,vpn: whole fields only */
	EXPR_BITS,	/* bare field: all its bits; FIELD=V: V's bits */
};

struct expr_result {
	uint32_t value, mask;
};

/* Whether @f is named by an item of @expr before offset @upto. */
static bool expr_seen(const char *expr, size_t upto,
		      const struct layout_field *f)
{
	size_t n = strlen(f->name);

	for (const char *p = expr; p < expr + upto; p += strcspn(p, ",") + 1)
		if (strncmp(p, f->name, n) == 0 && (p[n] == ',' || p[n] == '='))
			return true;
	return false;
}

static int expr_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int expr_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The value after "=": a name of the field's, or a number that fits. */
static int expr_field_value(const struct layout_field *f, const char *s,
			    uint32_t *v, char *err, size_t errlen)
{
	const struct layout_value *named = find_value(f, s);

	if (named) {
		*v = named->value;
		return 0;
	}
	if (layout_number(s, v) < 0)
		return expr_error(err, errlen,
				  "unknown value \"%s\" for field \"%s\"", s,
				  f->name);
	if (*v > layout_field_max(f->mask))
		return expr_error(err, errlen,
				  "value %s does not fit field \"%s\" (0-%u)", s,
				  f->name, layout_field_max(f->mask));
	return 0;
}

static int expr_item(const struct layout *l, const char *expr, size_t at,
		     char *item,
		     enum expr_kind kind, struct expr_result *res, char *err,
		     size_t errlen)
{
	char *val = strchr(item, '=');
	const struct layout_field *f;
	uint32_t v;

	if (val)
		*val++ = '\0';
	if (!*item)
		return expr_error(err, errlen, "a field name is missing");
	f = layout_find(l, item);
	if (!f)
		return expr_error(err, errlen, "unknown field \"%s\" (layout %s)",
				  item, l->path);
	if (expr_seen(expr, at, f))
		return expr_error(err, errlen, "field \"%s\" given twice", item);
	if (res->mask & f->mask)
		return expr_error(err, errlen,
				  "field \"%s\" overlaps a field given before",
				  item);
	res->mask |= f->mask;
	if (!val) {
		if (kind != EXPR_VALUE)
			res->value |= f->mask;
		else if (__builtin_popcount(f->mask) == 1)
			res->value |= f->mask;
		else
			return expr_error(err, errlen,
					  "field \"%s\" needs a value (%s=VALUE)",
					  item, item);
		return 0;
	}
	if (kind == EXPR_MASK)
		return expr_error(err, errlen,
				  "a mask takes field names only, not \"%s=%s\"",
				  item, val);
	if (expr_field_value(f, val, &v, err, errlen) < 0)
		return -1;
	res->value |= layout_place(f->mask, v);
	return 0;
}

static int expr_parse(const struct layout *l, const char *expr,
		      enum expr_kind kind, struct expr_result *res, char *err,
		      size_t errlen)
{
	char *copy = strdup(expr), *rest;
	int ret = 0;

	*res = (struct expr_result){ 0 };
	if (!copy)
		return expr_error(err, errlen, "%s", strerror(ENOMEM));
	rest = copy;
	do {
		char *item = strsep(&rest, ",");

		ret = expr_item(l, expr, item - copy, item, kind, res, err,
				errlen);
	} while (ret == 0 && rest);
	free(copy);
	return ret;
}

int layout_parse_expr(const struct layout *l, const char *expr,
		      uint32_t *value, uint32_t *mask, char *err,
		      size_t errlen)
{
	struct expr_result res;

	if (expr_parse(l, expr, EXPR_VALUE, &res, err, errlen) < 0)
		return -1;
	*value = res.value;
	*mask = res.mask;
	return 0;
}

int layout_parse_mask(const struct layout *l, const char *expr,
		      uint32_t *mask, char *err, size_t errlen)
{
	struct expr_result res;

	if (expr_parse(l, expr, EXPR_MASK, &res, err, errlen) < 0)
		return -1;
	*mask = res.mask;
	return 0;
}

int layout_parse_bits(const struct layout *l, const char *expr,
		      uint32_t *bits, char *err, size_t errlen)
{
	struct expr_result res;

	if (expr_parse(l, expr, EXPR_BITS, &res, err, errlen) < 0)
		return -1;
	*bits = res.value;
	return 0;
}

/* ---- back to names ---- */

bool layout_field_applies(const struct layout *l, const struct layout_field *f,
			  enum layout_word word)
{
	if (f->word & word)
		return true;
	for (unsigned int i = 0; i < l->nfields; i++)
		if ((l->fields[i].word & word) && (l->fields[i].mask & f->mask))
			return false;
	return true;
}

uint32_t layout_word_mask(const struct layout *l, enum layout_word word)
{
	uint32_t m = 0;

	for (unsigned int i = 0; i < l->nfields; i++)
		if (layout_field_applies(l, &l->fields[i], word))
			m |= l->fields[i].mask;
	return m;
}

struct namebuf {
	char *buf;
	size_t size, len;
	bool ok;
};

static void nb_add(struct namebuf *nb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void nb_add(struct namebuf *nb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!nb->ok)
		return;
	if (nb->len > 0 && nb->len + 1 < nb->size)
		nb->buf[nb->len++] = ',';
	va_start(ap, fmt);
	n = vsnprintf(nb->buf + nb->len, nb->size - nb->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= nb->size - nb->len)
		nb->ok = false;
	else
		nb->len += n;
}

/* "route=isp2", "route=3", "vpn", "vpn=0" */
static void nb_add_value(struct namebuf *nb, const struct layout_field *f,
			 uint32_t v)
{
	const char *vname = layout_value_name(f, v);

	if (__builtin_popcount(f->mask) == 1 && v == 1)
		nb_add(nb, "%s", f->name);
	else if (vname)
		nb_add(nb, "%s=%s", f->name, vname);
	else
		nb_add(nb, "%s=%u", f->name, v);
}

/*
 * @kind EXPR_VALUE: @mask must be whole fields, @value within it;
 * EXPR_MASK: @mask whole fields; EXPR_BITS: the set bits of @value, a
 * whole field by its name, part of one as FIELD=V.
 */
static bool format(const struct layout *l, enum layout_word word,
		   enum expr_kind kind, uint32_t value, uint32_t mask,
		   char *buf, size_t size)
{
	struct namebuf nb = { .buf = buf, .size = size, .ok = size > 0 };
	uint32_t covered = 0;

	if (mask == 0 || (value & ~mask) || !l)
		return false;
	for (unsigned int i = 0; i < l->nfields; i++) {
		const struct layout_field *f = &l->fields[i];
		uint32_t part = f->mask & mask;

		if (!part || !layout_field_applies(l, f, word))
			continue;
		covered |= part;
		if (kind == EXPR_BITS) {
			if (part == f->mask)
				nb_add(&nb, "%s", f->name);
			else
				nb_add_value(&nb, f, layout_extract(f->mask, part));
		} else if (part != f->mask) {
			return false;
		} else if (kind == EXPR_MASK) {
			nb_add(&nb, "%s", f->name);
		} else {
			nb_add_value(&nb, f, layout_extract(f->mask, value));
		}
	}
	if (covered != mask || !nb.ok)
		return false;
	buf[nb.len] = '\0';
	return true;
}

bool layout_format_expr(const struct layout *l, enum layout_word word,
			uint32_t value, uint32_t mask, char *buf, size_t size)
{
	return format(l, word, EXPR_VALUE, value, mask, buf, size);
}

bool layout_format_mask(const struct layout *l, enum layout_word word,
			uint32_t mask, char *buf, size_t size)
{
	return format(l, word, EXPR_MASK, 0, mask, buf, size);
}

bool layout_format_bits(const struct layout *l, enum layout_word word,
			uint32_t bits, char *buf, size_t size)
{
	return format(l, word, EXPR_BITS, bits, bits, buf, size);
}
