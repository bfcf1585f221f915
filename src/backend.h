/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interface every kernel backend implements (nf_tables in src/nft/,
 * legacy x_tables in src/legacy/).  Backends consume the rule model of
 * rule.h; neither includes the other.
 *
 * Backends print nothing.  Failing calls return -1 and set errno:
 *   ENOENT    table or chain does not exist
 *   ESRCH     no rule matches the spec (-D/-C by rule spec)
 *   E2BIG     rule number beyond the chain (-D/-R/-I/-S/-Z N)
 *   EEXIST    chain already exists (-N, -E)
 *   ENOTEMPTY chain not empty, EBUSY chain referenced or built-in (-X)
 *   EINVAL    the kernel refused an object; strerror() describes it
 *   EPERM/EACCES not allowed (not root)
 *   EAGAIN    the lock could not be taken in time (-w N)
 *   EPROTONOSUPPORT  a rule of the kernel uses what iptables cannot
 *             express (check())
 *   EBADMSG   a rule of the kernel does not parse back (-D/-C by rule
 *             spec walking past it); strerror() gives the reason
 */
#ifndef MARKCTL_BACKEND_H
#define MARKCTL_BACKEND_H

#include "rule.h"

struct markctl_ctx;

/**
 * struct backend - the part of an open backend the command layer sees
 *
 * Each backend embeds it as the first member of its own state and gets
 * that back with container_of (a second backend cannot define this tag
 * itself).  Set by open().
 */
struct backend {
	const struct backend_ops *ops;
	uint8_t family;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
};

/* Which part of the work failed, for iptables variants that frame the
 * words of strerror() by it (backend_ops.failure). */
enum backend_failure {
	BACKEND_FAIL_NONE,
	BACKEND_FAIL_TABLE,	/* a table could not be read */
	BACKEND_FAIL_LOCK,	/* the xtables lock: the words are the message */
	BACKEND_FAIL_CMD,	/* a command or the commit */
};

typedef int (*backend_rule_cb)(const struct rule *r, void *data);

/*
 * Where the iptables of a backend behaves otherwise on the command line
 * (backend_ops.flags); without a flag, as iptables-nft 1.8.9.
 */
enum backend_flags {
	/*
	 * iptables-legacy over libiptc: the table is read (under the xtables
	 * lock, ctx->wait) before anything is checked against it; each call
	 * reports its own failure, so -v shows each rule and chain before
	 * its call, found or not; a jump to a missing chain is an unknown
	 * target; a listing of a missing chain is "No chain/target/match";
	 * a table name is the kernel's to refuse; -c sets counters in both
	 * families, -P's too.
	 */
	BACKEND_LIBIPTC		= 1 << 0,
	/* iptables-nft's hint that legacy tables exist as well */
	BACKEND_WARNS_LEGACY	= 1 << 1,
};

struct backend_ops {
	const char *name;			/* "nf_tables", "legacy" */
	/* Shown in messages after iptables' version: "v1.8.9 (nf_tables)"
	 * as iptables-nft, "(legacy)" as iptables-legacy. */
	const char *variant;
	unsigned int flags;			/* enum backend_flags */
	/* The longest chain name this backend's kernel holds, NUL included,
	 * at most RULE_CHAIN_MAXLEN: -E to a longer name is refused before
	 * anything is sent.  0: the backend checks new names itself. */
	unsigned int chain_maxlen;

	/**
	 * open - connect to the kernel for one family
	 *
	 * Returns NULL with errno set on failure.
	 */
	struct backend *(*open)(const struct markctl_ctx *ctx, uint8_t family);
	void (*close)(struct backend *b);

	/**
	 * open_error - how a failed open() is reported: writes the message
	 * for errno @err (without the "<prog> v1.8.9 (<variant>): " prefix)
	 * into @buf of @size bytes and returns the exit status.  Needs no
	 * open backend.  Optional: without it the command layer prints
	 * strerror(@err) and exits with RESOURCE_PROBLEM.
	 */
	enum xtables_exittype (*open_error)(int err, char *buf, size_t size);

	/**
	 * in_use - optional: whether this network namespace holds tables of
	 * this backend for @family, found without creating any (reading a
	 * legacy table creates it).  1, 0, or -1 if it cannot tell.  Needs
	 * no open backend: the automatic choice of backend asks it.
	 */
	int (*in_use)(uint8_t family);

	/**
	 * exec - queue one command in the current transaction
	 *
	 * Validates @cmd against the kernel's state as changed by the commands
	 * queued before it (a restore file creates a chain, then appends to
	 * it).  Read-only commands are answered here: RULE_CMD_CHECK returns
	 * 0 if a matching rule exists, -1/ESRCH if not.  Listing commands are
	 * not passed here; use chains() and rules(), but RULE_CMD_ZERO(_NUM)
	 * may carry RULE_CMD_LIST(_RULES) along (-L -Z): built-ins absent
	 * from the kernel are then zeroed too, as iptables-nft does after
	 * listing them.  Nothing reaches the kernel before commit().
	 */
	int (*exec)(struct backend *b, const struct rule_cmd *cmd);

	/**
	 * flush_table - queue removal of everything in @table (restore
	 * without --noflush).  A missing table is not an error.
	 */
	int (*flush_table)(struct backend *b, const char *table);

	/**
	 * commit - apply all queued commands as one transaction
	 *
	 * Either everything applies or nothing does.  A transaction raced by
	 * another process is retried.  An empty transaction succeeds.
	 */
	int (*commit)(struct backend *b);

	/** abort - drop all queued commands */
	void (*abort)(struct backend *b);

	/**
	 * tables - optional: the tables of this family that exist, in the
	 * order the backend's iptables-save prints them, NULL-terminated,
	 * valid until the next call or close().  NULL with errno on failure.
	 * Without it, save walks backend_table_names, printing those whose
	 * chains() says they exist.
	 */
	const char *const *(*tables)(struct backend *b);

	/**
	 * chains - the chains of @table in listing order
	 *
	 * Built-ins first in hook order (reported even when absent from the
	 * kernel, with exists = false), then user chains sorted by name.
	 * *@table_exists tells whether the table exists at all.  The caller
	 * frees *@chains with free().  ENOENT if @table is not a table of
	 * this family.
	 */
	int (*chains)(struct backend *b, const char *table,
		      struct rule_chain **chains, unsigned int *count,
		      bool *table_exists);

	/**
	 * chain - optional: the chain @name of @table as chains() reports
	 * it, read alone, so that a command naming one chain (-j CHAIN, -P,
	 * -L CHAIN) costs the same in a table of 18,000 chains as in an
	 * empty one.  A built-in absent from the kernel is reported with
	 * exists = false; ENOENT if there is no other such chain.  Without
	 * it the command layer looks @name up in chains().
	 */
	int (*chain)(struct backend *b, const char *table, const char *name,
		     struct rule_chain *out);

	/**
	 * rules - call @cb for each rule of @chain in order
	 *
	 * The rule passed to @cb is valid only during the call (rule_clone()
	 * to keep it); a non-zero return from @cb stops the walk and is
	 * returned.  ENOENT if the chain does not exist.
	 */
	int (*rules)(struct backend *b, const char *table, const char *chain,
		     backend_rule_cb cb, void *data);

	/**
	 * check - whether iptables-nft 1.8.9 would list @chain of @table,
	 * or the whole table if @chain is NULL
	 *
	 * Returns 0, or -1 with errno EPROTONOSUPPORT when a rule there uses
	 * an expression iptables-nft does not know (nft's "ct state ..."):
	 * it then refuses to list the chain or table, and saves the table as
	 * a comment.  A missing table or chain is not an error.  Optional
	 * (NULL) in backends whose rules always fit the model.  Rules that
	 * use known expressions but do not parse back reach rules() with
	 * r->unsupported set instead.
	 */
	int (*check)(struct backend *b, const char *table, const char *chain);

	/**
	 * compat_rev - whether the kernel supports extension @name at
	 * revision @rev (@opt: 0 match, 1 target); libxtables asks this to
	 * choose revisions.  Returns 1 if supported, 0 if not, -1 with errno
	 * if the kernel could not be asked (EPERM).
	 */
	int (*compat_rev)(struct backend *b, const char *name, uint8_t rev,
			  int opt);

	/**
	 * foreign_base_chains - optional: whether @table, as chains() last
	 * read it, holds a base chain iptables-nft 1.8.9 does not know (not
	 * a built-in's hook, name, priority and type) that a listing of
	 * @chain reads (@chain or one named as a built-in), or any if
	 * @chain is NULL.  chains() and every command leave such chains
	 * out, as 1.8.9 does; listings say so first.
	 */
	bool (*foreign_base_chains)(struct backend *b, const char *table,
				    const char *chain);

	/**
	 * rule_refusal - why the backend refuses rule @r of @family whatever
	 * the kernel holds, in iptables' words ("TCP match requires '-p
	 * tcp'"), or NULL.  Needs no open backend: the parser asks it for
	 * each rule of -A/-I/-R/-D/-C before anything is sent and exits with
	 * PARAMETER_PROBLEM.  Optional.
	 */
	const char *(*rule_refusal)(uint8_t family, const struct rule *r);

	/**
	 * strerror - describes the last kernel refusal, in iptables' words
	 * ("RULE_APPEND failed (Invalid argument): rule in chain INPUT"), or
	 * after EBADMSG why the rule did not parse back ("meta sreg key not
	 * supported"), or NULL if the last error did not come from the
	 * kernel.  If the object came from a command of a restore file
	 * (rule_cmd.from_restore), the text starts "line N: ", as
	 * iptables-restore prints it, and lists every refusal of the
	 * transaction, one a line; otherwise only the first.
	 */
	const char *(*strerror)(struct backend *b);

	/**
	 * failure - optional: what the last failure strerror() describes
	 * was.  iptables-legacy frames libiptc's words by it: "can't
	 * initialize iptables table `T': <words>" (TABLE), the words alone
	 * (LOCK), "iptables: <words>." (CMD).  Backends without it report
	 * kernel refusals only.
	 */
	enum backend_failure (*failure)(struct backend *b);
};

extern const struct backend_ops nft_backend_ops;
extern const struct backend_ops legacy_backend_ops;

/* How the backend in use was chosen (backend_choose()). */
enum backend_reason {
	BACKEND_BY_OPTION,		/* --backend */
	BACKEND_BY_NAME,		/* invoked as iptables-nft, ... */
	BACKEND_BY_ENV,			/* MARKCTL_BACKEND */
	BACKEND_BY_HOST,		/* what the host's iptables is */
	BACKEND_BY_RULES,		/* whose tables this netns holds */
	BACKEND_BY_DEFAULT,
};

struct markctl_ctx;

/**
 * backend_choose - the backend for this run
 *
 * In order: @ctx->backend_request (--backend, or a drop-in name that says
 * -nft/-legacy), MARKCTL_BACKEND, the backend the host's `iptables` (or
 * `ip6tables` for IPv6) is (a link to xtables-legacy-multi or
 * xtables-nft-multi, as Debian's alternatives make it; markctl's own
 * drop-in links are passed over), the backend that already holds tables
 * in this network namespace (nf_tables when both do), nf_tables.
 * Returns NULL with errno EINVAL for a requested name that is neither
 * "nft" nor "legacy".
 */
const struct backend_ops *backend_choose(const struct markctl_ctx *ctx);

/**
 * backend_choice - how backend_choose() decided, and a word on it
 * @detail: set to the host's iptables binary (BACKEND_BY_HOST), the
 *	    environment value (BACKEND_BY_ENV) or "", never NULL
 */
enum backend_reason backend_choice(const char **detail);

/* The same in words ("--backend", "the host's iptables (PATH)", ...),
 * in @buf or static. */
const char *backend_choice_text(char *buf, size_t size);

/*
 * The tables iptables knows and their built-in chains, the same for every
 * backend and both families; a backend adds what it needs on top (the
 * nf_tables backend: priorities and chain types).
 */
#define BACKEND_NTABLES		5
#define BACKEND_MAX_BUILTINS	5

/** A built-in chain: its name and the netfilter hook it is attached to. */
struct backend_builtin {
	const char *name;
	int hooknum;			/* NF_INET_* */
};

/** A table: its name and built-in chains in hook order. */
struct backend_table {
	const char *name;
	struct backend_builtin builtins[BACKEND_MAX_BUILTINS];
	unsigned int nbuiltins;
};

/** The tables in save order: mangle, security, raw, filter, nat. */
extern const struct backend_table backend_tables[BACKEND_NTABLES];

/**
 * backend_table_find - the table named @name, or NULL if iptables knows
 * no such table
 */
const struct backend_table *backend_table_find(const char *name);

/**
 * backend_builtin_find - the built-in chain @name of @t, or NULL if @name
 * is not one
 */
const struct backend_builtin *
backend_builtin_find(const struct backend_table *t, const char *name);

#endif
