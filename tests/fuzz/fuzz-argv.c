// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the iptables command line as cmd_iptables and
 * cmd_translate parse it, into the rule model, then out through the
 * emitters and into a backend that records (fuzz.c); no kernel.
 *
 * Input: words separated by newlines, the first being the program name:
 * "iptables" or "ip6tables" (drop-in names), "iptables-legacy" or
 * "ip6tables-legacy" (the same with the legacy backend's ways),
 * "iptables-translate" or "ip6tables-translate" (offline, as translate),
 * anything else markctl's own face, where -4/-6 pick the family.  An
 * empty line is an empty word.  Mark options may name fields of the
 * layout fuzz.c sets, and --names lists them so.
 *
 *   iptables\n-t\nmangle\n-A\nPREROUTING\n-j\nMARK\n--set-mark\n1
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "emit.h"
#include "fuzz.h"
#include "layout.h"
#include "msg.h"
#include "parse.h"
#include "plugins.h"
#include "queue.h"
#include "rule.h"

/* iptables-restore's limit; longer command lines teach nothing new. */
#define MAX_WORDS 255

struct job {
	struct markctl_ctx *ctx;
	int argc;
	char **argv;
	struct rule_cmd cmd;
	struct rule_pairs pairs;
};

static const struct {
	const char *name;
	uint8_t family;
	bool offline, legacy;
} faces[] = {
	{ "iptables",		 NFPROTO_IPV4, false, false },
	{ "ip6tables",		 NFPROTO_IPV6, false, false },
	{ "iptables-legacy",	 NFPROTO_IPV4, false, true },
	{ "ip6tables-legacy",	 NFPROTO_IPV6, false, true },
	{ "iptables-translate",	 NFPROTO_IPV4, true, false },
	{ "ip6tables-translate", NFPROTO_IPV6, true, false },
};

static void set_face(struct markctl_ctx *ctx, const char *argv0)
{
	for (size_t i = 0; i < sizeof(faces) / sizeof(faces[0]); i++)
		if (!strcmp(argv0, faces[i].name)) {
			ctx->progname = faces[i].name;
			ctx->family = faces[i].family;
			ctx->offline = faces[i].offline;
			ctx->dropin = true;
			if (faces[i].legacy)
				ctx->backend_ops = &fuzz_legacy_ops;
		}
}

/* As cmd_iptables queues it; the backend's answer does not matter here. */
static void queue_one(const struct rule_cmd *cmd, void *data)
{
	struct markctl_ctx *ctx = data;

	ctx->backend_ops->exec(ctx_backend(ctx), cmd);
}

static void emit(struct job *j)
{
	const struct rule_pairs *p = &j->pairs;

	for (unsigned int i = 0; i <= p->nmore; i++) {
		const struct rule *r = i ? p->more[i - 1] : j->cmd.rule;

		emit_rule_save("FUZZ", r, RULE_LIST_COUNTERS);
		emit_rule_list(r, i + 1, j->cmd.list_flags);
		if (j->ctx->offline && (j->cmd.command & (RULE_CMD_APPEND |
							  RULE_CMD_INSERT)))
			emit_rule_xlate(&j->cmd, r);
	}
}

static void parse(void *arg)
{
	struct job *j = arg;

	parse_argv_pairs(j->ctx, j->argc, j->argv, &j->cmd, &j->pairs);
	layout_set_names(j->cmd.list_flags & RULE_LIST_NAMES);
	if (j->cmd.rule)
		emit(j);
	if (!j->ctx->offline && j->cmd.command != RULE_CMD_HELP &&
	    j->cmd.command != RULE_CMD_VERSION)
		queue_pairs(&j->cmd, &j->pairs, true, queue_one, j->ctx);
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
		.family = NFPROTO_IPV4, .progname = "iptables",
		.backend_ops = &fuzz_backend_ops,
	};
	char *words = fuzz_strdup(data, size), *argv[MAX_WORDS + 1];
	struct job j = { .ctx = &ctx, .argv = argv };

	j.argc = fuzz_split(words, '\n', argv, MAX_WORDS);
	set_face(&ctx, argv[0]);
	msg_set_variant(ctx.backend_ops->variant);
	emit_set_libiptc(ctx.backend_ops->flags & BACKEND_LIBIPTC);
	ctx.family = parse_family(&ctx, j.argc, argv);
	if (ctx.offline)
		msg_set_progname(ctx.progname);
	else
		msg_set_progname(ctx.family == NFPROTO_IPV6 ? "ip6tables" :
							      "iptables");
	msg_set_lineno(0);
	plugins_init(&ctx, ctx.family, parse_getopt_options());
	rule_cmd_init(&j.cmd, ctx.family);
	j.pairs = (struct rule_pairs){ .ndst = 1 };
	fuzz_run(parse, &j);
	fflush(stdout);
	layout_set_names(false);
	rule_pairs_release(&j.pairs);
	rule_cmd_release(&j.cmd);
	plugins_release();
	ctx_release(&ctx);
	free(words);
	return 0;
}
