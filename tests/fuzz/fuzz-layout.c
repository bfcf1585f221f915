// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the mark layout parser (src/layout.c) on a whole file,
 * then field expressions against what it loaded, checking what layout.h
 * promises: names written back parse to the same numbers, and a value
 * placed into a field's bits comes back out unchanged.  A broken promise
 * aborts, so libFuzzer keeps the input.  The parser reports errors
 * instead of exiting: no exit() to catch here.
 *
 * Input: the layout file; after a line "%%", one expression a line.
 *
 *   field route 0x00ff0000\n  value isp2 2\nfield vpn 31-31\n%%\nroute=isp2,vpn\n
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "layout.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const enum layout_word words[] = { LAYOUT_PACKET, LAYOUT_CONNTRACK };

static void __attribute__((noreturn))
broken(const char *what, const char *text, uint32_t got, uint32_t want)
{
	fprintf(stderr, "fuzz-layout: %s: \"%s\" gives 0x%x, not 0x%x\n",
		what, text, got, want);
	abort();
}

/* Each number the layout writes as names parses back to itself. */
static void check_value(const struct layout *l, uint32_t value, uint32_t mask)
{
	char buf[256], err[256];
	uint32_t v, m;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (layout_format_expr(l, words[i], value, mask, buf,
				       sizeof(buf))) {
			if (layout_parse_expr(l, buf, &v, &m, err,
					      sizeof(err)) < 0)
				broken(err, buf, value, mask);
			if (v != value)
				broken("expression's value", buf, v, value);
			if (m != mask)
				broken("expression's mask", buf, m, mask);
		}
		if (layout_format_mask(l, words[i], mask, buf, sizeof(buf))) {
			if (layout_parse_mask(l, buf, &m, err, sizeof(err)) < 0)
				broken(err, buf, mask, mask);
			if (m != mask)
				broken("mask", buf, m, mask);
		}
		if (layout_format_bits(l, words[i], value, buf, sizeof(buf))) {
			if (layout_parse_bits(l, buf, &v, err, sizeof(err)) < 0)
				broken(err, buf, value, value);
			if (v != value)
				broken("bits", buf, v, value);
		}
	}
}

static void check_fields(const struct layout *l)
{
	for (unsigned int i = 0; i < layout_nfields(l); i++) {
		const struct layout_field *f = layout_field(l, i);
		uint32_t max = layout_field_max(f->mask);
		const uint32_t some[] = { 0, 1, max, max / 2 };

		for (size_t k = 0; k < ARRAY_SIZE(some); k++) {
			uint32_t placed = layout_place(f->mask, some[k]);

			if (layout_extract(f->mask, placed) != (some[k] & max))
				broken("place/extract", f->name,
				       layout_extract(f->mask, placed), some[k]);
			check_value(l, placed, f->mask);
		}
		for (unsigned int k = 0; k < f->nvalues; k++)
			check_value(l, layout_place(f->mask, f->values[k].value),
				    f->mask);
	}
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		uint32_t all = layout_word_mask(l, words[i]);

		check_value(l, 0, all);
		check_value(l, all, all);
	}
}

static void check_expression(const struct layout *l, const char *expr)
{
	char err[256];
	uint32_t v, m;

	if (layout_parse_number(expr, &v, &m) == 0)
		check_value(l, v & m, m);
	if (layout_parse_expr(l, expr, &v, &m, err, sizeof(err)) == 0) {
		if (v & ~m)
			broken("value outside its mask", expr, v, m);
		check_value(l, v, m);
	}
	if (layout_parse_mask(l, expr, &m, err, sizeof(err)) == 0)
		check_value(l, 0, m);
	if (layout_parse_bits(l, expr, &v, err, sizeof(err)) == 0)
		check_value(l, v, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	char *text = fuzz_strdup(data, size), *exprs = strstr(text, "\n%%\n");
	char err[512];
	struct layout *l;

	if (fd < 0) {
		fd = memfd_create("layout", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (exprs) {
		*exprs = '\0';
		exprs += 4;
	}
	if (ftruncate(fd, 0) < 0 ||
	    pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text))
		abort();
	l = layout_load(path, err, sizeof(err));
	if (l) {
		char *argv[64];
		int n = exprs ? fuzz_split(exprs, '\n', argv, 63) : 0;

		check_fields(l);
		for (int i = 0; i < n; i++)
			check_expression(l, argv[i]);
		layout_free(l);
	}
	free(text);
	return 0;
}
