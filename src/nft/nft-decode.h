/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel rule messages read back into the model (nft-expr-decode.c), and
 * written back with their counters zeroed for -Z (nft-zero.c).
 */
#ifndef MARKCTL_NFT_DECODE_H
#define MARKCTL_NFT_DECODE_H

#include <stdbool.h>
#include <linux/netlink.h>

#include "nft.h"

/*
 * Decodes the rule message @nlh (NEWRULE, as dumped or as sent) into @r
 * (rule_alloc()ed for the right family): the inverse of nft_rule_put,
 * also for rules iptables-nft made.  A rule it cannot express sets
 * r->unsupported.  Returns 0, or -1 with errno (EINVAL: the message does
 * not parse; ENOMEM).
 */
int nft_rule_decode(const struct nlmsghdr *nlh, struct rule *r);

/* NFT_RULE_INCOMPATIBLE alone, without decoding: a quick test of the
 * expressions' names (and limit/log attributes).  1 if incompatible, 0
 * if not, -1 (EINVAL) if the message does not parse. */
int nft_rule_incompatible(const struct nlmsghdr *nlh);

/* Classifies @nlh; for NFT_RULE_UNPARSABLE *@errmsg (if not NULL) gets
 * the text iptables prints after "Error: ". */
enum nft_rule_compat nft_rule_compat(const struct nlmsghdr *nlh,
				     const char **errmsg);

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

#endif
