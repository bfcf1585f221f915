/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The backend's netlink socket (nft-sock.c): one request at a time, its
 * answers streamed to a callback message by message, the generation id
 * a batch is checked against, and rule dumps.  Uses nft-msg.h only.
 */
#ifndef MARKCTL_NFT_SOCK_H
#define MARKCTL_NFT_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Requests other than batches (compat revisions). */
#define NFT_REQ_BUFSIZ 8192
/* The answer to a get: one table, chain or generation (a chain with a
 * 256-byte comment stays under 512 bytes), or an error quoting our
 * request of at most NFT_REQ_MSGSIZ.  Small, as it is on the stack. */
#define NFT_GET_BUFSIZ 1024
/* One request message: a header and a table and chain name.  Zeroed at
 * each request (padding), so kept small. */
#define NFT_REQ_MSGSIZ 512
/* Dumps interrupted by ruleset changes restart; iptables-nft never gives up. */
#define NFT_DUMP_RETRIES 1000

struct nft_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint8_t family;		/* of every request but GETGEN */
	uint32_t seq;		/* next number for a batch or compat request */
	uint32_t genid;
	bool have_genid;	/* @genid read since the cache was reset */
};

/* Connects and reads the generation id, as iptables-nft does at once (a
 * missing permission shows here: EPERM); -1 with errno, nothing open. */
int nft_sock_open(struct nft_sock *s, uint8_t family);
void nft_sock_close(struct nft_sock *s);
/* A fresh socket: what an abandoned dump left queued is gone. */
int nft_sock_reopen(struct nft_sock *s);
/* Reads the generation id into @s. */
int nft_sock_genid(struct nft_sock *s);

/*
 * Sends @nlh (seq 0, as iptables' cache requests) and runs @cb on each
 * answer: MNL_CB_OK to go on, MNL_CB_STOP to stop early (the socket is
 * then reopened), MNL_CB_ERROR with errno to fail.  A dump interrupted
 * by a ruleset change fails with EINTR.
 */
int nft_sock_talk(struct nft_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
		  void *data);
/* The same, restarted on EINTR: for callbacks that may run twice. */
int nft_sock_talk_retry(struct nft_sock *s, struct nlmsghdr *nlh,
			mnl_cb_t cb, void *data);
/* Streams the kernel rules of @chain of @table to @cb (nft_sock_talk). */
int nft_sock_dump_rules(struct nft_sock *s, const char *table,
			const char *chain, mnl_cb_t cb, void *data);

#endif
