/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command layer's messages and exits, in iptables 1.8.9's words:
 * lower layers (backends, util) print nothing and report through errno;
 * the commands print once, here, and exit with iptables' status.
 */
#ifndef MARKCTL_MSG_H
#define MARKCTL_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <xtables.h>

struct rule;

/* iptables' version as shown in messages, for byte-identical output. */
#define IPTABLES_VERSION	"1.8.9"

/* Program name used in messages ("iptables", "ip6tables"); set once. */
void msg_set_progname(const char *name);
const char *msg_progname(void);

/* The backend's variant in "v1.8.9 (nf_tables)"; nf_tables unless set. */
void msg_set_variant(const char *variant);
const char *msg_variant(void);

/* "<prog> v1.8.9 (<variant>)\n" on stdout, as -V prints it. */
void msg_print_version(const char *prog);

/*
 * Restore input line being processed (0: none).  While set, msg_die adds
 * "Error occurred at line: N" before the "Try ..." line, as
 * iptables-restore does.
 */
void msg_set_lineno(unsigned int line);
/* A restore is running: the line is shown even before the first one
 * ("Error occurred at line: 0"), as iptables-legacy-restore does. */
void msg_set_restore(bool on);

/*
 * Prints "<prog> v1.8.9 (<variant>): <msg>" (or the message alone when it
 * starts with "iptables:"/"ip6tables:"), the "Try ..." line for
 * PARAMETER_PROBLEM, the upgrade hint for VERSION_PROBLEM, and exits with
 * @status.  Also installed as libxtables' exit_err.
 */
void msg_die(enum xtables_exittype status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/*
 * Only the "Error occurred at line: N" (restore) and "Try ..." lines, then
 * exit: iptables' exit_tryhelp, for "Bad argument `x'" and -6 in iptables.
 */
void msg_exit_tryhelp(enum xtables_exittype status) __attribute__((noreturn));

/*
 * iptables' words for a command's errno (nft_strerror of 1.8.9), e.g.
 * "Index of deletion too big" for E2BIG after -D CHAIN N; strerror()'s
 * otherwise.  @command is an enum rule_command; @restore: the command
 * came from a restore file, where a few words differ.
 */
const char *msg_errno_text(unsigned int command, int err, bool restore);

/*
 * A failure a backend words itself (backend_ops.failure), as
 * iptables-legacy prints it: the xtables lock's message alone, exit 4;
 * a command's or the commit's "<prog>: <words>." (EINVAL: and a hint at
 * dmesg), exit 1 (4 for EAGAIN).
 * @kind is an enum backend_failure other than TABLE, which each command
 * frames its own way.
 */
void msg_die_failure(int kind, const char *words, int err)
	__attribute__((noreturn));

/*
 * -j/-g @r's chain, which the table does not have: iptables-nft's "Chain
 * 'X' does not exist"; iptables-legacy (@libiptc) takes a -j to a missing
 * chain for a target it cannot load.  Exits.
 */
void msg_die_no_chain(const struct rule *r, bool libiptc)
	__attribute__((noreturn));

/*
 * iptables-nft's hint on stderr that legacy x_tables rules exist too:
 * "# Warning: iptables-legacy tables present, use iptables-legacy<@tool>
 * to see them" (@tool "" or "-save"), ip6tables for IPv6.
 */
void msg_warn_legacy(uint8_t family, const char *tool);

#endif
