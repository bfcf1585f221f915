/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nf_tables messages with libmnl (nft-msg.c), the bottom of the backend
 * beside nft-table.h: writers of the header, table, chain and
 * rule-reference messages in the order and encoding libnftnl 1.2 gives
 * them, a bounded writer for longer messages, and attribute readers.
 */
#ifndef MARKCTL_NFT_MSG_H
#define MARKCTL_NFT_MSG_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>

/* A netlink message header as libnftnl writes it (NFNL_SUBSYS_NFTABLES,
 * NLM_F_REQUEST | @flags). */
struct nlmsghdr *nft_header_build(char *buf, uint16_t type, uint16_t family,
				  uint16_t flags, uint32_t seq);

/* A table message of @type naming @name. */
struct nlmsghdr *nft_table_build(char *buf, uint16_t type, uint16_t family,
				 uint16_t flags, uint32_t seq,
				 const char *name);

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

struct nlmsghdr *nft_chain_build(char *buf, uint16_t type, uint16_t family,
				 uint16_t flags, uint32_t seq,
				 const struct nft_chain_attrs *a);

/* A rule message without expressions: a delete by @handle or by queued
 * @id, a flush (@chain NULL for the table) or a dump request. */
struct nlmsghdr *nft_rule_ref_build(char *buf, uint16_t type,
				    uint16_t family, uint16_t flags,
				    uint32_t seq, const char *table,
				    const char *chain, uint64_t handle,
				    uint32_t id);

/*
 * A message written into a buffer of @cap bytes from @nlh with libmnl's
 * _check writers: what does not fit sets @full instead of overflowing.
 */
struct nft_out {
	struct nlmsghdr *nlh;
	size_t cap;
	bool full;
};

static inline struct nlattr *nft_out_nest(struct nft_out *o, uint16_t type)
{
	struct nlattr *a = mnl_attr_nest_start_check(o->nlh, o->cap, type);

	if (!a)
		o->full = true;
	return a;
}

static inline void nft_out_nest_end(struct nft_out *o, struct nlattr *a)
{
	if (a)
		mnl_attr_nest_end(o->nlh, a);
}

static inline void nft_out_put(struct nft_out *o, uint16_t type,
			       const void *data, size_t len)
{
	if (!mnl_attr_put_check(o->nlh, o->cap, type, len, data))
		o->full = true;
}

static inline void nft_out_put_be32(struct nft_out *o, uint16_t type,
				    uint32_t v)
{
	v = htonl(v);
	nft_out_put(o, type, &v, sizeof(v));
}

static inline void nft_out_put_be64(struct nft_out *o, uint16_t type,
				    uint64_t v)
{
	v = htobe64(v);
	nft_out_put(o, type, &v, sizeof(v));
}

static inline void nft_out_put_strz(struct nft_out *o, uint16_t type,
				    const char *s)
{
	nft_out_put(o, type, s, strlen(s) + 1);
}

/* The attributes of @nlh (after its nfgenmsg) up to type @max into @tb,
 * NULL where absent. */
void nft_msg_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		   unsigned int max);
/* The same for the attributes nested in @nest (none if NULL). */
void nft_nest_attrs(const struct nlattr *nest, const struct nlattr **tb,
		    unsigned int max);
/* A NUL-terminated string attribute, NULL if absent or malformed. */
const char *nft_attr_str(const struct nlattr *a);
/* Big-endian integer attributes into @v; false if absent or malformed. */
bool nft_attr_u32(const struct nlattr *a, uint32_t *v);
bool nft_attr_u64(const struct nlattr *a, uint64_t *v);
/* NFTA_RULE_HANDLE of a rule message, 0 if absent. */
uint64_t nft_msg_rule_handle(const struct nlmsghdr *nlh);

#endif
