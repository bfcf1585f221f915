/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to the nf_tables backend.  nft-expr.c turns a rule of the model
 * into the expressions iptables-nft 1.8.9 would send, nft-msg.c writes the
 * other messages, nft.c owns the socket, cache, batch and the backend_ops;
 * nft-decode.h reads rules back.
 */
#ifndef MARKCTL_NFT_H
#define MARKCTL_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "backend.h"
#include "nft-msg.h"

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

#endif
