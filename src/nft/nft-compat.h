/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which revisions of an x_tables extension the kernel's nft_compat has
 * (nft-compat.c), asked on a socket of their own, as iptables-nft asks,
 * and remembered.  Uses nft-sock.h for the family and sequence numbers.
 */
#ifndef MARKCTL_NFT_COMPAT_H
#define MARKCTL_NFT_COMPAT_H

#include <stdint.h>

#include "nft-sock.h"

struct nft_compat_rev;

struct nft_compat {
	struct mnl_socket *nl;		/* opened on the first question */
	struct nft_compat_rev *answers;
};

/* Whether the kernel has extension @name at @rev (@target: 0 match, 1
 * target): 1 or 0, or -1 with errno when it could not be asked. */
int nft_compat_rev(struct nft_compat *c, struct nft_sock *s,
		   const char *name, uint8_t rev, int target);
void nft_compat_release(struct nft_compat *c);

#endif
