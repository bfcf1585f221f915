/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule -> text, one emitter per element with a mode, so list, save and
 * translate cannot drift apart.  Output goes to stdout, where libxtables'
 * extension callbacks print too.
 */
#ifndef MARKCTL_EMIT_H
#define MARKCTL_EMIT_H

#include "rule.h"

/* Show rules as iptables-legacy shows the x_tables entries it reads
 * (interfaces by their masks), not as iptables-nft shows what it decodes;
 * set once, for the backend in use. */
void emit_set_libiptc(bool on);

/* "-A CHAIN <spec>\n" as iptables -S / iptables-save print it;
 * RULE_LIST_COUNTERS in @flags adds "-c P B" (-S -v) */
void emit_rule_save(const char *chain, const struct rule *r, unsigned int flags);

/* "[p:b] -A CHAIN <spec>\n" as iptables-save -c prints it */
void emit_rule_save_counters(const char *chain, const struct rule *r);

/* -S: "-P CHAIN POLICY" or "-N CHAIN" line of a chain */
void emit_chain_save(const struct rule_chain *c, unsigned int flags);

/* -L: chain header, column header, one row per rule (@num for
 * --line-numbers), as iptables -L; the caller prints the blank line
 * between chains.  @nrules: the rules listed under the header (see
 * rule_chain.refs_with_rules). */
void emit_chain_list_header(const struct rule_chain *c, unsigned int nrules,
			    unsigned int flags);
void emit_rule_list(const struct rule *r, unsigned int num, unsigned int flags);

/* -v with -A/-I/-R/-D/-C: the rule on one line, numeric, without tab
 * stops, as iptables prints the rule it applies. */
void emit_rule_print(const struct rule *r);

/*
 * translate: the nft command for @r of @cmd (-A or -I) as
 * iptables-translate prints it after its "nft ": "'add rule ip filter
 * INPUT ...'\n", after "'add set ...'\nnft " where a match declares a
 * set.  Returns 0, or -1 with errno EOPNOTSUPP, having printed nothing,
 * if an extension has no translation: the caller then prints
 * "# <original arguments>" as iptables-translate does (cmd-translate.c).
 *
 * A rule with r->unsupported makes the save and list emitters exit as
 * iptables-nft does on a rule it cannot parse back (VERSION_PROBLEM,
 * "Parsing nftables rule failed"), after the lines already printed.
 */
int emit_rule_xlate(const struct rule_cmd *cmd, const struct rule *r);

/*
 * How iptables-nft gives up on a kernel rule it cannot parse back: after
 * what stdout holds, "Error: @why" (unless NULL) on stderr, then "Parsing
 * nftables rule failed" and exit VERSION_PROBLEM.
 */
void emit_die_unparsable(const char *why) __attribute__((noreturn));

struct backend;
struct backend_ops;
/* The line iptables-nft 1.8.9 starts a listing or save of @table (or of
 * its @chain) with when what it read holds base chains it does not know:
 * any of the table's, or @chain itself. */
void emit_foreign_base_chains(const struct backend_ops *ops,
			      struct backend *b, const char *table,
			      const char *chain);

#endif
