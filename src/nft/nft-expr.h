/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to nft-expr*.c: one view of the base selectors that hides whether
 * the rule holds an ipt_ip or an ip6t_ip6, and the few numbers both the
 * builder and the decoder need.
 */
#ifndef MARKCTL_NFT_EXPR_H
#define MARKCTL_NFT_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

/* Flags and inversion bits shared by ipt_ip and ip6t_ip6 have equal values
 * (VIA_IN/OUT, SRCIP, DSTIP, PROTO); the rest differ and are kept here. */
struct nft_ip_view {
	char *iniface, *outiface;
	unsigned char *iniface_mask, *outiface_mask;
	uint8_t *src, *dst, *smsk, *dmsk;
	uint16_t *proto;
	uint8_t *flags, *invflags;
	size_t addrlen;			/* 4 or 16 */
	uint32_t src_off, dst_off;	/* offsets in the network header */
	uint32_t proto_off;		/* protocol / next header byte */
	uint8_t goto_flag;		/* IPT_F_GOTO or IP6T_F_GOTO */
	uint8_t proto_flag;		/* IP6T_F_PROTO, 0 for IPv4 */
	bool ipv4;
};

void nft_ip_view_init(struct nft_ip_view *v, struct rule *r);

/* IPv4 fragment test: frag_off word, mask 0x1fff in network order. */
#define NFT_FRAG_OFF	6
#define NFT_FRAG_LEN	2
/* TTL and hop limit bytes, which nft tests natively. */
#define NFT_TTL_OFF	8
#define NFT_HOPLIMIT_OFF 7

#endif
