/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * markctl audit's readers: each reads one kind of the host's mark users,
 * read-only, and hands every rule that uses a mark to audit_add().  Each
 * returns 0, or -1 with errno (EPERM/EACCES: not allowed to read).
 */
#ifndef MARKCTL_AUDIT_READ_H
#define MARKCTL_AUDIT_READ_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "audit.h"

struct backend_ops;

/* Receive buffer of the dumps: the kernel sends at most 32 KiB a read. */
#define AUDIT_DUMP_SIZE	32768

/* A netlink socket on @bus, bound; NULL with errno (audit-nl.c). */
struct mnl_socket *audit_nl_open(int bus);
/* The request in @nlh (its sequence number set here) on @nl, the answers
 * read into @buf (AUDIT_DUMP_SIZE) and given to @cb: mnl_cb_run()'s 0 or
 * -1. */
int audit_nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, char *buf,
		  mnl_cb_t cb, void *data);

/* The uses of a mark extension's kernel struct (MARK, CONNMARK, mark,
 * connmark, TPROXY, by name and revision); how many were written to
 * @out (at most 2).  0 for other extensions. */
unsigned int audit_xt_uses(const char *name, uint8_t rev, const void *info,
			   size_t len, struct audit_use *out);

/*
 * nf_tables tables left to audit-nft.c after the backend's pass: those
 * with rules the backend cannot express, or base chains it leaves out.
 * The rules it did read (by handle) are skipped there.
 */
struct audit_native;
struct audit_native *audit_native_alloc(void);
void audit_native_free(struct audit_native *n);
/* Takes a copy of @handles. */
int audit_native_add(struct audit_native *n, uint8_t family, const char *table,
		     const uint64_t *handles, unsigned int count);

/* Every iptables table of @family through @ops (audit-ipt.c). */
int audit_read_iptables(struct audit *a, const struct backend_ops *ops,
			uint8_t family, struct audit_native *native);

/* Every nf_tables table that is no iptables table, and the tables of
 * @native (audit-nft.c). */
int audit_read_nft(struct audit *a, const struct audit_native *native);

/* ip rule and ip -6 rule fwmark selectors (audit-iprule.c). */
int audit_read_iprules(struct audit *a);

/* WireGuard interfaces' fwmark, xfrm states' and policies' marks
 * (audit-link.c).  A kernel without them is noted, not an error. */
int audit_read_wireguard(struct audit *a);
int audit_read_xfrm(struct audit *a);

#endif
