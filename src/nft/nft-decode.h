/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the decoder module (and the unit tests that link it): kernel
 * rules as libnftnl objects, read back into the model.
 */
#ifndef MARKCTL_NFT_DECODE_H
#define MARKCTL_NFT_DECODE_H

#include <libnftnl/rule.h>

#include "nft.h"

/*
 * Decodes the expressions of @nlr into @r (rule_alloc()ed for the right
 * family): the inverse of nft_rule_put, also for rules iptables-nft
 * made.  A rule it cannot express sets r->unsupported.  Returns 0, or -1
 * with errno (ENOMEM).
 */
int nft_rule_decode(const struct nftnl_rule *nlr, struct rule *r);

/* NFT_RULE_INCOMPATIBLE alone, without decoding: a quick test of the
 * expressions' names (and limit/log attributes). */
bool nft_rule_incompatible(const struct nftnl_rule *nlr);

/* Classifies @nlr; for NFT_RULE_UNPARSABLE *@errmsg (if not NULL) gets
 * the text iptables prints after "Error: ". */
enum nft_rule_compat nft_rule_compat(const struct nftnl_rule *nlr,
				     const char **errmsg);

#endif
