/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subcommands, one per src/cmd-<name>.c, and the context every one of them
 * gets.  src/markctl.c maps argv[0] or the first word to one of these.
 */
#ifndef MARKCTL_CMD_H
#define MARKCTL_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct backend;
struct backend_ops;
struct restore_chainset;

struct markctl_ctx {
	uint8_t family;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
	const char *progname;		/* "iptables", "ip6tables-restore", ... */
	const struct backend_ops *backend_ops;
	struct backend *backend;	/* opened on first use, see ctx_backend() */
	/* Invoked under an iptables name: markctl is that command, to the
	 * byte; otherwise markctl speaks for itself. */
	bool dropin;
	bool offline;			/* translate: no kernel, any table name */
	/* The xtables lock (legacy backend): -w seconds, -1 without alarm;
	 * 0, as without -w, waits too.  @nolock: reads take no lock (save). */
	int wait;
	bool nolock;
	/* Backend asked for by --backend or the drop-in name; NULL: chosen
	 * (backend_choose()). */
	const char *backend_request;
	/* The chains a restore file declared so far, in any table
	 * (restore.h): -j to one is a jump and no target plugin is looked
	 * for, as after xtables_announce_chain(), whose names share 512
	 * buckets (a kube-proxy table declares tens of thousands). */
	const struct restore_chainset *announced;
};

/* Opens the backend on first use; exits with a message on failure. */
struct backend *ctx_backend(struct markctl_ctx *ctx);
void ctx_release(struct markctl_ctx *ctx);

typedef int (*cmd_fn)(struct markctl_ctx *ctx, int argc, char **argv);

/* Each returns the process exit status. */
int cmd_iptables(struct markctl_ctx *ctx, int argc, char **argv);
int cmd_save(struct markctl_ctx *ctx, int argc, char **argv);
int cmd_restore(struct markctl_ctx *ctx, int argc, char **argv);
int cmd_translate(struct markctl_ctx *ctx, int argc, char **argv);
int cmd_layout(struct markctl_ctx *ctx, int argc, char **argv);

/* "markctl COMMAND": @fn, or the program markctl-COMMAND if NULL. */
struct command {
	const char *name;
	cmd_fn fn;
	const char *summary;		/* for markctl -h */
};

/* In the order -h lists them; ends with a NULL name. */
extern const struct command commands[];
const struct command *command_find(const char *name);

/* -L/-S of @cmd from the open transaction, as iptables-legacy-restore
 * runs such a line on the table it builds; -1 if the chain is missing. */
struct rule_cmd;
int cmd_iptables_list(struct markctl_ctx *ctx, const struct rule_cmd *cmd);

#endif
