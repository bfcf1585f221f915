/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to the nf_tables backend.  nft-expr.c turns a rule of the model
 * into the expressions iptables-nft 1.8.9 would send, nft-msg.c writes the
 * other messages, nft.c owns the socket, cache, batch and the backend_ops;
 * reading rules back is the decoder module's (nft-decode.h).
 */
#ifndef MARKCTL_NFT_H
#define MARKCTL_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "backend.h"

/* What a NEWRULE carries besides the rule; 0 leaves a number out. */
struct nft_rule_attrs {
	const char *table, *chain;
	uint64_t handle;	/* the rule a replace overwrites */
	uint64_t position;	/* the kernel rule an insert goes before */
	uint32_t position_id;	/* or the queued one, by NFTA_RULE_ID */
};

/*
 * Writes a whole NEWRULE message for @r into @buf (at most @buflen bytes):
 * the header with @family, @flags (besides NLM_F_REQUEST) and @seq, @a's
 * attributes, then the expressions of @r (base
 * selectors natively, native forms of the matches iptables-nft 1.8.9
 * encodes natively, nft_compat for every other match and for targets, a
 * counter with @r's counters, the verdict) and NFTA_RULE_COMPAT, as
 * iptables-nft sends them.  Returns the message, or NULL with errno:
 * EMSGSIZE, or EPROTOTYPE for a native tcp/udp match without that -p.
 */
struct nlmsghdr *nft_rule_put(char *buf, size_t buflen, uint16_t family,
			      uint16_t flags, uint32_t seq,
			      const struct nft_rule_attrs *a,
			      const struct rule *r);

/*
 * Why iptables-nft 1.8.9 refuses @r before sending it ("TCP match requires
 * '-p tcp'"), or NULL; backend_ops.rule_refusal.
 */
const char *nft_rule_refusal(uint8_t family, const struct rule *r);

/* What iptables-nft 1.8.9 makes of a rule of the kernel. */
enum nft_rule_compat {
	NFT_RULE_OK,
	/* An expression outside the set iptables-nft knows (ct, ...): the
	 * whole chain lists as "chain `C' in table `T' is incompatible, use
	 * 'nft' tool." (rc 1); save prints "# Table `T' is incompatible, use
	 * 'nft' tool." instead of the table. */
	NFT_RULE_INCOMPATIBLE,
	/* Known expressions that do not decode (meta mark set ...): listing
	 * prints "Error: <errmsg>" and then fails with "Parsing nftables
	 * rule failed" (VERSION_PROBLEM). */
	NFT_RULE_UNPARSABLE,
};

/* A netlink message header as libnftnl writes it (NFNL_SUBSYS_NFTABLES,
 * NLM_F_REQUEST | @flags). */
struct nlmsghdr *nft_msg_header(char *buf, uint16_t type, uint16_t family,
				uint16_t flags, uint32_t seq);

/* A table message of @type naming @name. */
struct nlmsghdr *nft_table_put(char *buf, uint16_t type, uint16_t family,
			       uint16_t flags, uint32_t seq, const char *name);

/* What a chain message carries; unset parts stay out. */
struct nft_chain_attrs {
	const char *table;
	const char *name;	/* NULL: none (a dump of every chain) */
	bool has_handle;
	uint64_t handle;
	bool has_hook;
	uint32_t hooknum;
	int32_t prio;
	bool has_policy;
	uint32_t policy;
	bool has_use;
	uint32_t use;
	bool has_counters;
	uint64_t packets, bytes;
	const char *type;	/* NULL: none */
	bool has_flags;
	uint32_t flags;
};

struct nlmsghdr *nft_chain_put(char *buf, uint16_t type, uint16_t family,
			       uint16_t flags, uint32_t seq,
			       const struct nft_chain_attrs *a);

/* A rule message without expressions: a delete by @handle or by queued
 * @id, a flush (@chain NULL for the table) or a dump request. */
struct nlmsghdr *nft_rule_ref_put(char *buf, uint16_t type, uint16_t family,
				  uint16_t flags, uint32_t seq,
				  const char *table, const char *chain,
				  uint64_t handle, uint32_t id);

/*
 * Reading kernel rules back into the model takes libnftnl, which commands
 * that only add rules never need: that part is a module, nft-decode.so,
 * loaded on first use from $MARKCTL_MODULEDIR or else MODULEDIR.
 */
struct nft_decoder {
	const char *version;	/* PACKAGE_VERSION it was built as */
	size_t rule_size;	/* sizeof(struct rule) it was built with */
	/* NEWRULE message @nlh into @r (rule_alloc()ed for its family),
	 * handle included.  0, or -1 with errno. */
	int (*decode)(const struct nlmsghdr *nlh, struct rule *r);
	/* Whether iptables-nft would call @nlh's chain incompatible
	 * (NFT_RULE_INCOMPATIBLE); -1 with errno if it does not parse. */
	int (*incompatible)(const struct nlmsghdr *nlh);
	/* -Z: dumped rule @nlh rewritten into @buf as the rule that replaces
	 * it, counters zeroed.  1 written, 0 if its counters were zero
	 * already and !@force, -1 with errno.  The header's type, flags and
	 * seq are the caller's to set. */
	int (*zeroed)(const struct nlmsghdr *nlh, char *buf, size_t buflen,
		      bool force);
};

#define NFT_DECODER_SYMBOL "markctl_nft_decoder"

#endif
