// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a whole iptables-restore file through markctl's
 * restore (restore_file(), src/cmd-restore.c) into a backend that records
 * and never commits anything (fuzz.c).
 *
 * Input: the file.  If its first line starts with "#!" (a comment to
 * restore), the letters after it are options: n --noflush, c --counters,
 * v --verbose, t --test, a one transaction (markctl restore's --atomic),
 * 6 ip6tables-restore, m markctl's own face, l the legacy backend's
 * restore (src/restore-legacy.c), T<table> -T.  Mark options may name
 * fields of the layout fuzz.c sets.
 *
 *   #!nc\n*mangle\n:PREROUTING ACCEPT [1:2]\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "emit.h"
#include "fuzz.h"
#include "msg.h"
#include "parse.h"
#include "plugins.h"
#include "restore.h"
#include "rule.h"

struct job {
	struct restore *rs;
	struct lrs *lrs;
	FILE *in;
};

/* The "#!" line's options; @only_table points into @s. */
static unsigned int read_options(struct markctl_ctx *ctx, char *s,
				 const char **only_table)
{
	static const struct {
		char letter;
		unsigned int flag;
	} letters[] = {
		{ 'n', RS_NOFLUSH }, { 'c', RS_COUNTERS }, { 'v', RS_VERBOSE },
		{ 't', RS_TEST }, { 'a', RS_ATOMIC },
	};
	unsigned int flags = 0;

	if (strncmp(s, "#!", 2) != 0)
		return 0;
	s[strcspn(s, "\n")] = '\0';
	for (s += 2; *s; s++) {
		for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
			if (*s == letters[i].letter)
				flags |= letters[i].flag;
		if (*s == '6')
			ctx->family = NFPROTO_IPV6;
		else if (*s == 'm')
			ctx->dropin = false;
		else if (*s == 'l')
			ctx->backend_ops = &fuzz_legacy_ops;
		else if (*s == 'T') {
			*only_table = s + 1;
			break;
		}
	}
	return flags;
}

static void restore(void *arg)
{
	struct job *j = arg;

	if (j->lrs)
		restore_legacy_file(j->lrs, j->in);
	else
		restore_file(j->rs, j->in);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_layout_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct markctl_ctx ctx = {
		.family = NFPROTO_IPV4, .dropin = true,
		.backend_ops = &fuzz_backend_ops,
	};
	char *first = fuzz_strdup(data, size < 64 ? size : 64);
	const char *only_table = NULL;
	unsigned int flags = read_options(&ctx, first, &only_table);
	struct job j = { 0 };

	if (size == 0) {		/* fmemopen() wants a buffer */
		free(first);
		return 0;
	}
	ctx.progname = ctx.family == NFPROTO_IPV6 ? "ip6tables-restore" :
						    "iptables-restore";
	ctx.progname = restore_progname(&ctx);
	msg_set_progname(ctx.progname);
	msg_set_lineno(0);
	msg_set_restore(false);
	msg_set_variant(ctx.backend_ops->variant);
	emit_set_libiptc(ctx.backend_ops->flags & BACKEND_LIBIPTC);
	plugins_init(&ctx, ctx.family, parse_getopt_options());
	if (ctx.backend_ops->flags & BACKEND_LIBIPTC)
		j.lrs = restore_legacy_alloc(&ctx, flags, only_table);
	else
		j.rs = restore_alloc(&ctx, flags, only_table);
	j.in = fmemopen((void *)data, size, "r");
	if (!j.in)
		abort();
	fuzz_run(restore, &j);
	fflush(stdout);
	fclose(j.in);
	if (j.lrs)
		restore_legacy_free(j.lrs);
	else
		restore_free(j.rs);
	plugins_release();
	ctx_release(&ctx);
	free(first);
	return 0;
}
