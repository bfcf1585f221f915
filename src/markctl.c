// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl: iptables-compatible command line for packet and connection marks.
 * One binary, many names: argv[0] or the first word picks the command.
 */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "layout.h"
#include "emit.h"
#include "msg.h"
#include "paths.h"
#include "util.h"

struct dropin_name {
	const char *name;
	cmd_fn fn;
	uint8_t family;
	const char *backend;		/* the name says which; NULL: chosen */
};

/* Drop-in names: invoked under one of these, markctl is that command. */
static const struct dropin_name dropin_names[] = {
	{ "iptables",			cmd_iptables,	NFPROTO_IPV4, NULL },
	{ "ip6tables",			cmd_iptables,	NFPROTO_IPV6, NULL },
	{ "iptables-save",		cmd_save,	NFPROTO_IPV4, NULL },
	{ "ip6tables-save",		cmd_save,	NFPROTO_IPV6, NULL },
	{ "iptables-restore",		cmd_restore,	NFPROTO_IPV4, NULL },
	{ "ip6tables-restore",		cmd_restore,	NFPROTO_IPV6, NULL },
	{ "iptables-translate",		cmd_translate,	NFPROTO_IPV4, NULL },
	{ "ip6tables-translate",	cmd_translate,	NFPROTO_IPV6, NULL },
	{ "iptables-nft",		cmd_iptables,	NFPROTO_IPV4, "nft" },
	{ "ip6tables-nft",		cmd_iptables,	NFPROTO_IPV6, "nft" },
	{ "iptables-nft-save",		cmd_save,	NFPROTO_IPV4, "nft" },
	{ "ip6tables-nft-save",		cmd_save,	NFPROTO_IPV6, "nft" },
	{ "iptables-nft-restore",	cmd_restore,	NFPROTO_IPV4, "nft" },
	{ "ip6tables-nft-restore",	cmd_restore,	NFPROTO_IPV6, "nft" },
	{ "iptables-legacy",		cmd_iptables,	NFPROTO_IPV4, "legacy" },
	{ "ip6tables-legacy",		cmd_iptables,	NFPROTO_IPV6, "legacy" },
	{ "iptables-legacy-save",	cmd_save,	NFPROTO_IPV4, "legacy" },
	{ "ip6tables-legacy-save",	cmd_save,	NFPROTO_IPV6, "legacy" },
	{ "iptables-legacy-restore",	cmd_restore,	NFPROTO_IPV4, "legacy" },
	{ "ip6tables-legacy-restore",	cmd_restore,	NFPROTO_IPV6, "legacy" },
};

static const struct dropin_name *dropin_find(const char *name)
{
	for (size_t i = 0; i < sizeof(dropin_names) / sizeof(dropin_names[0]); i++)
		if (strcmp(dropin_names[i].name, name) == 0)
			return &dropin_names[i];
	return NULL;
}

/* Runs markctl-@argv[1] with the arguments after it; returns only on
 * failure, with the exit status. */
static int run_external(char **argv)
{
	const char *name = argv[1];
	char file[64], path[PATH_MAX];

	snprintf(file, sizeof(file), "markctl-%s", name);
	if (paths_find(EXECDIR, ".", file, path, sizeof(path)) == 0) {
		argv[1] = file;
		execv(path, argv + 1);
	}
	fprintf(stderr, "markctl: cannot run '%s' (%s): %s\n", name, path,
		strerror(errno));
	return 1;
}

/*
 * markctl's global --layout FILE (or --layout=FILE), wherever it stands:
 * taken out of argv before any command parses, so that a rule's field
 * names find the layout whatever their order, and passed on through the
 * environment, which subcommand programs read too.
 */
static int take_layout_option(int argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *file = NULL;

		if (!strcmp(argv[i], "--layout") && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(argv[i], "--layout=", 9))
			file = argv[i] + 9;
		if (file)
			setenv("MARKCTL_LAYOUT", file, 1);
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/*
 * --backend NAME (or --backend=NAME), anywhere on the command line and
 * under any name, is markctl's: taken out of argv before the command
 * parses it.  The last one counts.
 */
static const char *take_backend(int *argc, char **argv)
{
	const char *name = NULL;
	int i = 1, out = 1;

	while (i < *argc) {
		if (strncmp(argv[i], "--backend=", 10) == 0) {
			name = argv[i++] + 10;
			continue;
		}
		if (strcmp(argv[i], "--backend") != 0) {
			argv[out++] = argv[i++];
			continue;
		}
		if (i + 1 >= *argc) {
			fprintf(stderr, "markctl: option '--backend' requires an argument (nft or legacy)\n");
			exit(PARAMETER_PROBLEM);
		}
		name = argv[i + 1];
		i += 2;
	}
	argv[out] = NULL;
	*argc = out;
	return name;
}

/* -6 of markctl's own face, looked for before the command parses it: the
 * host's ip6tables then decides the backend. */
static uint8_t scan_family(int argc, char **argv, uint8_t family)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-6") || !strcmp(argv[i], "--ipv6"))
			family = NFPROTO_IPV6;
		else if (!strcmp(argv[i], "-4") || !strcmp(argv[i], "--ipv4"))
			family = NFPROTO_IPV4;
	return family;
}

/* The backend and everything that follows from it: the variant in
 * messages, how rules print. */
static void choose_backend(struct markctl_ctx *ctx, const char *name,
			   int argc, char **argv)
{
	uint8_t family = ctx->family;

	if (!ctx->dropin)
		ctx->family = scan_family(argc, argv, family);
	ctx->backend_request = name;
	ctx->backend_ops = backend_choose(ctx);
	ctx->family = family;
	if (!ctx->backend_ops) {
		fprintf(stderr, "markctl: unknown backend '%s' (nft or legacy)\n",
			name ? name : getenv("MARKCTL_BACKEND"));
		exit(PARAMETER_PROBLEM);
	}
	msg_set_variant(ctx->backend_ops->variant);
	emit_set_libiptc(ctx->backend_ops->flags & BACKEND_LIBIPTC);
}

int main(int argc, char **argv)
{
	struct markctl_ctx ctx = {
		.family		= NFPROTO_IPV4,
		.progname	= "iptables",
	};
	const struct dropin_name *dropin = dropin_find(util_basename(argv[0]));
	const char *backend = take_backend(&argc, argv);
	const struct command *cmd = NULL;
	cmd_fn fn = cmd_iptables;
	int ret;

	if (!dropin)
		argc = take_layout_option(argc, argv);
	if (dropin) {
		ctx.progname = dropin->name;
		ctx.family = dropin->family;
		ctx.dropin = true;
		fn = dropin->fn;
		if (dropin->backend && !backend)
			backend = dropin->backend;
	} else if (argc > 1 && (cmd = command_find(argv[1]))) {
		if (!cmd->fn)
			return run_external(argv);
		/* "markctl save" parses as "iptables-save" would. */
		argv[1] = argv[0];
		argc--;
		argv++;
		fn = cmd->fn;
	}
	choose_backend(&ctx, backend, argc, argv);
	ret = fn(&ctx, argc, argv);
	ctx_release(&ctx);
	layout_release();
	return ret;
}
