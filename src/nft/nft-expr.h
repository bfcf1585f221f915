/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A rule of the model as nf_tables expressions, and back, as iptables-nft
 * 1.8.9 does it: nft-expr.c writes a rule's NEWRULE message, nft-decode.c
 * reads rule messages back into the model, nft-zero.c rewrites a dumped
 * rule for -Z.  Uses nft-msg.h and rule.h.
 */
#ifndef MARKCTL_NFT_EXPR_H
#define MARKCTL_NFT_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "rule.h"

/* ---- nft-expr.c ---- */

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
 * attributes, then the expressions of @r (base selectors natively, native
 * forms of the matches iptables-nft 1.8.9 encodes natively, nft_compat
 * for every other match and for targets, a counter with @r's counters,
 * the verdict) and NFTA_RULE_COMPAT, as iptables-nft sends them.  Returns
 * the message, or NULL with errno: EMSGSIZE, or EPROTOTYPE for a native
 * tcp/udp match without that -p.
 */
struct nlmsghdr *nft_rule_build(char *buf, size_t buflen, uint16_t family,
				uint16_t flags, uint32_t seq,
				const struct nft_rule_attrs *a,
				const struct rule *r);

/*
 * Why iptables-nft 1.8.9 refuses @r before sending it ("TCP match requires
 * '-p tcp'"), or NULL; backend_ops.rule_refusal.
 */
const char *nft_rule_refusal(uint8_t family, const struct rule *r);

/* ---- nft-decode.c ---- */

/*
 * Decodes the rule message @nlh (NEWRULE, as dumped or as sent) into @r
 * (rule_alloc()ed for the right family): the inverse of nft_rule_build,
 * also for rules iptables-nft and nft made.  A rule it cannot express
 * sets r->unsupported.  Returns 0, or -1 with errno (EINVAL: the message
 * does not parse; ENOMEM).
 */
int nft_rule_decode(const struct nlmsghdr *nlh, struct rule *r);

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

/* NFT_RULE_INCOMPATIBLE alone, without decoding: a quick test of the
 * expressions' names (and limit/log attributes).  1 if incompatible, 0
 * if not, -1 (EINVAL) if the message does not parse. */
int nft_rule_incompatible(const struct nlmsghdr *nlh);

/* Classifies @nlh; for NFT_RULE_UNPARSABLE *@errmsg (if not NULL) gets
 * the text iptables prints after "Error: ". */
enum nft_rule_compat nft_rule_compat(const struct nlmsghdr *nlh,
				     const char **errmsg);

/* ---- nft-zero.c ---- */

/*
 * -Z: writes into @buf (at most @size bytes) the NEWRULE that replaces the
 * dumped rule @nlh with its counters zeroed, as iptables-nft sends it:
 * handle kept, position left out, NFTA_RULE_COMPAT from the decoded
 * protocol.  The header's type, flags and seq are the caller's to set.
 * Returns 1 when written, 0 if its counters were zero already and
 * !@force, -1 with errno (EINVAL: @nlh does not parse; EMSGSIZE).
 */
int nft_rule_zero_build(const struct nlmsghdr *nlh, char *buf, size_t size,
			bool force);

/* ---- what the builder and the decoder share ---- */

/* Where iptables-nft loads the base selectors from in the network
 * header. */
struct nft_ip_offsets {
	uint32_t src, dst;		/* the addresses */
	uint32_t proto;			/* protocol / next header byte */
};

static inline struct nft_ip_offsets nft_ip_offsets(uint8_t family)
{
	if (family == NFPROTO_IPV6)
		return (struct nft_ip_offsets) { 8, 24, 6 };
	return (struct nft_ip_offsets) { 12, 16, 9 };
}

/* IPv4 fragment test: frag_off word, mask 0x1fff in network order. */
#define NFT_FRAG_OFF	6
#define NFT_FRAG_LEN	2
/* TTL and hop limit bytes, which nft tests natively. */
#define NFT_TTL_OFF	8
#define NFT_HOPLIMIT_OFF 7

#endif
