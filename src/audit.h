/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * markctl audit: who uses which bits of the packet and connection marks
 * on this host, and where they collide.
 *
 * Readers (audit-ipt.c: iptables tables through the backends; audit-nft.c:
 * every other nf_tables table; audit-iprule.c: ip rules; audit-link.c:
 * WireGuard and xfrm marks) turn each rule into uses of the marks and hand
 * them to the collector (audit.c) with where the rule lives.  The
 * collector groups rules into owners (known owners first, else by chain or
 * table) and keeps, per owner, each kind of use with a count and a few
 * example rules.  audit-findings.c looks for collisions, audit-report.c
 * prints owners and findings as text or JSON.  Nothing here changes the
 * kernel.
 */
#ifndef MARKCTL_AUDIT_H
#define MARKCTL_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "owners.h"

enum audit_word { AUDIT_PACKET, AUDIT_CONNTRACK, AUDIT_WORDS };

enum audit_how {
	AUDIT_SET,		/* write: new = (old & ~mask) ^ value */
	AUDIT_SET_WHOLE,	/* write of a value over the whole word */
	AUDIT_COPY,		/* write: the other mark's bits under mask */
	AUDIT_COPY_WHOLE,	/* copy over the whole word: --save-mark or
				 * --restore-mark without a mask, nft's
				 * meta mark set ct mark */
	AUDIT_MATCH,		/* read: (mark & mask) == value */
	AUDIT_ROUTE,		/* read: ip rule fwmark value/mask */
};

/* One use of a mark by a rule. */
struct audit_use {
	enum audit_word word;
	enum audit_how how;
	uint32_t value, mask;
	bool value_known;	/* false: from a map, a set, a register */
	bool invert;		/* read: "!" / "not" */
};

bool audit_use_writes(const struct audit_use *u);
/* Bits a use writes (mask and toggled bits) or reads. */
uint32_t audit_use_bits(const struct audit_use *u);
/* Bits a write can turn on (for ip rules: does anyone set these?). */
uint32_t audit_use_sets(const struct audit_use *u);

enum audit_source {
	AUDIT_SRC_IPTABLES,	/* an iptables table, through a backend */
	AUDIT_SRC_NFT,		/* any other nf_tables table */
	AUDIT_SRC_IPRULE,
	AUDIT_SRC_WIREGUARD,
	AUDIT_SRC_XFRM,
};

/* Where a rule lives, for owner recognition and reports. */
struct audit_site {
	enum audit_source source;
	const char *backend;	/* netfilter rules: "nf_tables", "legacy" */
	const char *family;	/* "ip", "ip6", "inet", ... */
	const char *table, *chain;
	bool builtin;		/* iptables: a built-in chain */
	const char *comment;	/* or NULL */
	const char *iniface, *outiface;	/* or NULL */
	uint32_t rt_table, pref;	/* ip rules */
	/* The rule as text (an -S line, nft statements, an ip rule),
	 * malloc()ed, asked only when kept as an example. */
	char *(*text)(const void *arg);
	const void *text_arg;
};

/* A kind of use by one owner, over all its rules. */
#define AUDIT_EXAMPLES	3
struct audit_usage {
	struct audit_use use;		/* value: of the first rule */
	uint32_t values;		/* union of the rules' values */
	bool several_values;
	unsigned long rules;
	char *examples[AUDIT_EXAMPLES];
	const char *backend;		/* its rules' backend, or NULL */
};

struct audit_owner {
	char *name;
	const struct owner *known;	/* NULL: grouped by chain or table */
	char *why;			/* "chain KUBE-*", "table ip foo" */
	struct audit_usage *usages;
	unsigned int nusages;
	unsigned long rules;
};

struct audit;

struct audit *audit_alloc(const struct owners *o, const struct layout *l);
void audit_free(struct audit *a);

/* Records the uses of one rule; 0, or -1 with errno ENOMEM. */
int audit_add(struct audit *a, const struct audit_site *s,
	      const struct audit_use *uses, unsigned int n);
/* Notes that a source was read (or why not), for the report. */
void audit_note_source(struct audit *a, const char *what, long count,
		       const char *why);

unsigned int audit_owner_count(const struct audit *a);
const struct audit_owner *audit_owner(const struct audit *a, unsigned int i);
const struct owners *audit_owners_data(const struct audit *a);
const struct layout *audit_layout(const struct audit *a);
/* Backends whose rules use marks: bit 0 nf_tables, bit 1 legacy. */
unsigned int audit_backends_used(const struct audit *a);

/* Per owner and word: bits written, read, and owned (written, with the
 * documented bits of a known owner that writes). */
uint32_t audit_owner_writes(const struct audit_owner *w, enum audit_word word);
uint32_t audit_owner_reads(const struct audit_owner *w, enum audit_word word);
uint32_t audit_owner_own(const struct audit_owner *w, enum audit_word word);

struct audit_source_note {
	char *what, *why;
	long count;
};
unsigned int audit_source_count(const struct audit *a);
const struct audit_source_note *audit_source(const struct audit *a,
					     unsigned int i);

/* "packet" / "conntrack" */
const char *audit_word_name(enum audit_word w);
/* "meta mark set 0x5", "ct mark and 0xff == 0x1"...: nft's words for a use */
char *audit_use_text(const struct audit_use *u);

#endif
