// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decoder module's entry points: kernel rule messages read with
 * libmnl by nft-expr-decode.c, and rewritten with libnftnl for -Z.
 * markctl dlopen()s this only when it reads rules back (listing, save,
 * -D/-C by spec, -Z), so a command that only adds rules never maps
 * libnftnl.
 */
#include "nft-decode.h"

#include <errno.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#define NFT_ZEROED_SLACK 256	/* the COMPAT nest a rewrite adds */

static struct nftnl_rule *rule_parse(const struct nlmsghdr *nlh)
{
	struct nftnl_rule *nlr = nftnl_rule_alloc();

	if (nlr && nftnl_rule_nlmsg_parse(nlh, nlr) < 0) {
		nftnl_rule_free(nlr);
		errno = EINVAL;
		return NULL;
	}
	return nlr;
}

static int msg_decode(const struct nlmsghdr *nlh, struct rule *r)
{
	return nft_rule_decode(nlh, r);
}

static int msg_incompatible(const struct nlmsghdr *nlh)
{
	return nft_rule_incompatible(nlh);
}

/* Zeroes @nlr's counter; false if it was zero already. */
static bool counter_zero(struct nftnl_rule *nlr)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(nlr);
	struct nftnl_expr *e;
	bool changed = false;

	if (!it)
		return false;
	while ((e = nftnl_expr_iter_next(it))) {
		if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter"))
			continue;
		if (nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS) ||
		    nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES)) {
			nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, 0);
			nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, 0);
			changed = true;
		}
	}
	nftnl_expr_iter_destroy(it);
	return changed;
}

/*
 * The kernel keeps no NFTA_RULE_COMPAT: sent back without it, a rule with
 * a protocol-bound match (-p tcp -m multiport) is refused (EINVAL).
 * iptables-nft rebuilds the rule, protocol included; so does this.
 */
static int zero_compat(struct nftnl_rule *nlr, const struct nlmsghdr *nlh)
{
	struct rule *r = rule_alloc(nftnl_rule_get_u32(nlr,
						       NFTNL_RULE_FAMILY));
	int ret = -1;

	if (r && nft_rule_decode(nlh, r) == 0) {
		nftnl_rule_set_u32(nlr, NFTNL_RULE_COMPAT_PROTO,
				   rule_proto(r));
		nftnl_rule_set_u32(nlr, NFTNL_RULE_COMPAT_FLAGS,
				   (rule_invflags(r) & XT_INV_PROTO) ?
				   NFT_RULE_COMPAT_F_INV : 0);
		ret = 0;
	}
	rule_free(r);
	return ret;
}

static int msg_zeroed(const struct nlmsghdr *nlh, char *buf, size_t buflen,
		      bool force)
{
	struct nftnl_rule *nlr;
	struct nlmsghdr *out;
	int ret = -1;

	/* libnftnl writes without bounds checks */
	if (buflen < nlh->nlmsg_len + NFT_ZEROED_SLACK) {
		errno = EMSGSIZE;
		return -1;
	}
	nlr = rule_parse(nlh);
	if (!nlr)
		return -1;
	if (!counter_zero(nlr) && !force) {
		ret = 0;
		goto out;
	}
	nftnl_rule_unset(nlr, NFTNL_RULE_POSITION);
	if (zero_compat(nlr, nlh) < 0)
		goto out;
	/* libnftnl skips over attribute padding: send it as zeros */
	memset(buf, 0, nlh->nlmsg_len + NFT_ZEROED_SLACK);
	out = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE,
					 nftnl_rule_get_u32(nlr,
							    NFTNL_RULE_FAMILY),
					 0, 0);
	nftnl_rule_nlmsg_build_payload(out, nlr);
	ret = 1;
out:
	nftnl_rule_free(nlr);
	return ret;
}

__attribute__((visibility("default")))
const struct nft_decoder markctl_nft_decoder = {
	.version	= PACKAGE_VERSION,
	.rule_size	= sizeof(struct rule),
	.decode		= msg_decode,
	.incompatible	= msg_incompatible,
	.zeroed		= msg_zeroed,
};
