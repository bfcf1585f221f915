/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule model: the only contract between the command-line parser, the
 * extensions, the emitters (list, save, translate) and the backends.
 *
 * A rule keeps the kernel's own x_tables structures: the base selectors in an
 * ipt_entry or ip6t_entry, each match and the target as the xt_entry_* blob
 * that the xt_* kernel module reads.  The nf_tables backend turns them into
 * expressions (native where iptables-nft does so, nft_compat otherwise); the
 * legacy backend copies them into a table blob.
 */
#ifndef MARKCTL_RULE_H
#define MARKCTL_RULE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

/*
 * Chain names the model holds, NUL included: nf_tables' limit
 * (NFT_CHAIN_MAXNAMELEN), the largest of the backends' kernels.  Which
 * limit a backend's kernel has is backend_ops.chain_maxlen.
 */
#define RULE_CHAIN_MAXLEN	256
/* iptables' own limit for a chain it is given by name (-A CHAIN, -N,
 * -j CHAIN, a restore file's ":CHAIN"), NUL included: 28 characters. */
#define RULE_CHAIN_ARGLEN	XT_EXTENSION_MAXNAMELEN
#define RULE_TABLE_MAXLEN	XT_TABLE_MAXNAMELEN

enum rule_verdict {
	RULE_VERDICT_NONE = 0,	/* no -j: rule only counts */
	RULE_VERDICT_ACCEPT,
	RULE_VERDICT_DROP,
	RULE_VERDICT_RETURN,
	RULE_VERDICT_JUMP,	/* -j USERCHAIN */
	RULE_VERDICT_GOTO,	/* -g USERCHAIN */
	RULE_VERDICT_TARGET,	/* -j EXTENSION (MARK, CONNMARK, LOG, ...) */
};

struct rule_match {
	struct xtables_match *ext;	/* libxtables descriptor, not owned */
	struct xt_entry_match *data;	/* owned; u.match_size bytes */
};

struct rule {
	uint8_t family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */

	struct rule_match *matches;	/* owned array, in command-line order */
	unsigned int nmatches;

	enum rule_verdict verdict;
	char jump[RULE_CHAIN_MAXLEN];	/* chain for JUMP/GOTO */
	struct xtables_target *target;	/* for RULE_VERDICT_TARGET, not owned */
	struct xt_entry_target *target_data;	/* owned; u.target_size bytes */

	uint64_t handle;		/* kernel handle once decoded, else 0 */
	/* Rule the backend could not express in this model (lists as
	 * iptables-nft lists such a rule). */
	bool unsupported;
	/* With @unsupported: why, as iptables-nft words it after "Error: "
	 * ("meta sreg key not supported"), or NULL.  Static text. */
	const char *unsupported_msg;

	/*
	 * Base selectors (addresses, masks, interfaces, protocol, flags,
	 * invflags) and counters, exactly as the kernel's x_tables holds
	 * them.  Only the member of @family is valid.  Extensions get a
	 * pointer to it as cb->xt_entry and to its ip part in print/save.
	 * Last: the entries end in a flexible array (elems).
	 */
	union {
		struct ipt_entry v4;
		struct ip6t_entry v6;
	} entry;
};

/*
 * The base selectors of either family through one set of pointers, for
 * code that treats both alike (parser, emitters, backends).  The flag and
 * inversion bits both families have are equal (IPT_INV_VIA_IN/OUT,
 * IPT_INV_SRCIP/DSTIP, XT_INV_PROTO); the ones that differ are given.
 */
struct rule_ipview {
	uint8_t *src, *dst, *smsk, *dmsk;	/* @addrlen bytes each */
	size_t addrlen;				/* 4 or 16 */
	char *iniface, *outiface;		/* IFNAMSIZ each */
	unsigned char *iniface_mask, *outiface_mask;
	uint16_t *proto;
	uint8_t *flags, *invflags;
	uint8_t goto_flag;			/* IPT_F_GOTO / IP6T_F_GOTO */
	uint8_t proto_flag;			/* IP6T_F_PROTO; 0 for IPv4 */
};

/* The view of @r's selectors; valid as long as @r is. */
struct rule_ipview rule_ipview(struct rule *r);

/* Per-family accessors, so callers need not switch on the family. */
const void *rule_ip(const struct rule *r);		/* &entry.vX.ip(v6) */
void *rule_entry(struct rule *r);			/* cb->xt_entry */
uint16_t rule_proto(const struct rule *r);
uint8_t rule_invflags(const struct rule *r);
struct xt_counters *rule_counters(struct rule *r);
const char *rule_iniface(const struct rule *r);
const char *rule_outiface(const struct rule *r);

struct rule *rule_alloc(uint8_t family);
void rule_free(struct rule *r);
/* Deep copy: blobs are duplicated, descriptors shared.  NULL on ENOMEM. */
struct rule *rule_clone(const struct rule *r);

/* Takes ownership of @data. */
int rule_add_match(struct rule *r, struct xtables_match *ext,
		   struct xt_entry_match *data);
/* Takes ownership of @data; frees a previous target blob. */
void rule_set_target(struct rule *r, struct xtables_target *ext,
		     struct xt_entry_target *data);
void rule_set_verdict(struct rule *r, enum rule_verdict v, const char *chain);

/*
 * Equality as iptables understands it for -D/-C by rule spec: selectors,
 * matches in order (name, revision, userspace part of the blob), target
 * and verdict; counters and handle ignored.
 */
bool rule_equal(const struct rule *a, const struct rule *b);

/* What a backend may ask rule_equal_flags() to leave out. */
enum rule_equal_flags {
	/* IPv6 address masks: iptables-nft 1.8.9 compares IPv6 addresses
	 * without them (-C/-D with 2001:db8::/48 finds 2001:db8::/32),
	 * iptables-legacy with them. */
	RULE_EQUAL_NO_IP6_MASKS	= 1 << 0,
};

/* rule_equal() less what @flags (enum rule_equal_flags) leave out. */
bool rule_equal_flags(const struct rule *a, const struct rule *b,
		      unsigned int flags);

/* Standard targets: "ACCEPT" -> RULE_VERDICT_ACCEPT, NULL name otherwise. */
enum rule_verdict rule_verdict_from_name(const char *name);
const char *rule_verdict_name(enum rule_verdict v);

/*
 * What a command asks for.  Filled by the parser (argv or one line of a
 * restore file), carried out by a cmd_* through the backend.
 */
enum rule_command {
	RULE_CMD_NONE		= 0,
	RULE_CMD_APPEND		= 1 << 0,	/* -A */
	RULE_CMD_DELETE		= 1 << 1,	/* -D chain spec */
	RULE_CMD_DELETE_NUM	= 1 << 2,	/* -D chain N */
	RULE_CMD_INSERT		= 1 << 3,	/* -I chain [N] */
	RULE_CMD_REPLACE	= 1 << 4,	/* -R chain N */
	RULE_CMD_CHECK		= 1 << 5,	/* -C */
	RULE_CMD_LIST		= 1 << 6,	/* -L [chain] */
	RULE_CMD_LIST_RULES	= 1 << 7,	/* -S [chain [N]] */
	RULE_CMD_FLUSH		= 1 << 8,	/* -F [chain] */
	RULE_CMD_ZERO		= 1 << 9,	/* -Z [chain [N]] */
	RULE_CMD_NEW_CHAIN	= 1 << 10,	/* -N */
	RULE_CMD_DELETE_CHAIN	= 1 << 11,	/* -X [chain] */
	RULE_CMD_RENAME_CHAIN	= 1 << 12,	/* -E old new */
	RULE_CMD_SET_POLICY	= 1 << 13,	/* -P chain policy */
	RULE_CMD_ZERO_NUM	= 1 << 14,	/* -Z chain N */
	RULE_CMD_HELP		= 1 << 15,
	RULE_CMD_VERSION	= 1 << 16,
};

/* Commands that take a rule specification (iptables' CMD_IDRAC). */
#define RULE_CMDS_SPEC	(RULE_CMD_APPEND | RULE_CMD_INSERT | RULE_CMD_REPLACE | \
			 RULE_CMD_DELETE | RULE_CMD_CHECK)

enum rule_list_flags {
	RULE_LIST_NUMERIC	= 1 << 0,	/* -n */
	RULE_LIST_VERBOSE	= 1 << 1,	/* -v */
	RULE_LIST_EXACT		= 1 << 2,	/* -x */
	RULE_LIST_LINE_NUMBERS	= 1 << 3,	/* --line-numbers */
	RULE_LIST_COUNTERS	= 1 << 4,	/* save -c */
	RULE_LIST_NAMES		= 1 << 5,	/* --names: marks by field */
};

struct rule_cmd {
	enum rule_command command;	/* exactly one, or NONE */
	uint8_t family;
	char table[RULE_TABLE_MAXLEN];	/* "filter" unless -t */
	char chain[RULE_CHAIN_MAXLEN];	/* empty when the command has none */
	/* The chain argument was given as "": not "all chains" but a chain
	 * that cannot exist, as in iptables. */
	bool chain_empty;
	char newname[RULE_CHAIN_MAXLEN];	/* -E */
	unsigned int rulenum;		/* -I/-R/-D/-S/-Z N, 1-based; 0 none */
	enum rule_verdict policy;	/* -P: ACCEPT or DROP */
	struct xt_counters policy_counters;	/* restore's [p:b] */
	bool has_policy_counters;
	unsigned int list_flags;	/* enum rule_list_flags */
	int wait;			/* -w secs; -1 = wait forever; 0 none */
	/*
	 * A line of a restore file, and its number; set before parse_argv:
	 * restore passes "-t TABLE" first, and a second -t on a restore
	 * line is "The -t option cannot be used in <prog>.\n"
	 * (PARAMETER_PROBLEM).
	 */
	bool from_restore;
	unsigned int lineno;		/* with @from_restore, 1-based */
	/* NEW_CHAIN of restore's ":CHAIN -" line: a user chain that exists
	 * is emptied instead of refused, a built-in made to exist.  A
	 * backend that retries a raced transaction decides that again. */
	bool or_flush;
	struct rule *rule;		/* owned; -A/-I/-R/-D spec/-C */
};

void rule_cmd_init(struct rule_cmd *c, uint8_t family);
void rule_cmd_release(struct rule_cmd *c);

/*
 * A chain as the backends report it for listing and saving.
 */
struct rule_chain {
	char name[RULE_CHAIN_MAXLEN];
	bool builtin;
	int hooknum;			/* NF_INET_*; -1 for user chains */
	enum rule_verdict policy;	/* ACCEPT/DROP for built-ins */
	struct xt_counters counters;	/* policy counters of built-ins */
	unsigned int references;	/* jumps to a user chain */
	/* @references is nf_tables' use count, which counts the chain's own
	 * rules too: a listing takes away the rules it lists, as iptables-nft
	 * 1.8.9 does, and says "ERROR obtaining refs" below zero (a chain
	 * made in the open transaction has no count yet).  So chains() need
	 * not read every chain's rules. */
	bool refs_with_rules;
	bool exists;			/* built-in present in the kernel */
};

#endif
