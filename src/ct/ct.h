/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * markctl ct: connection marks of live flows.  A separate executable,
 * markctl-ct, so that the per-rule path of markctl never maps
 * libnetfilter_conntrack or the JSON library.  One file per role:
 *
 *   ct-opts.c     command line, mark values, filters
 *   ct-names.c    what names a mark: layout fields, known owners
 *   ct-nl.c       ctnetlink through libmnl: dumps, batched changes, events
 *   ct-list.c     a flow as conntrack(8) prints it, or as JSON
 *   ct-count.c, ct-update.c, ct-delete.c, ct-monitor.c: the commands
 *   markctl-ct.c  entry point
 *
 * Lower layers print nothing: they return -1 with errno (the option parser
 * returns a message); the commands print and exit.
 */
#ifndef MARKCTL_CT_H
#define MARKCTL_CT_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>	/* exit codes: OTHER_PROBLEM, ... */

struct nlmsghdr;
struct nlattr;

enum ct_cmd { CT_LIST, CT_COUNT, CT_UPDATE, CT_DELETE, CT_MONITOR, CT_NCMDS };

/* ---- flows, as read from ctnetlink ---- */

union ct_inaddr {
	struct in_addr v4;
	struct in6_addr v6;
	uint32_t w[4];
};

enum {
	CT_TUPLE_PORTS	= 1 << 0,	/* sport/dport */
	CT_TUPLE_ICMP	= 1 << 1,	/* type/code/id */
};

struct ct_tuple {
	union ct_inaddr src, dst;
	uint16_t sport, dport;		/* host order */
	uint16_t icmp_id;		/* host order */
	uint8_t icmp_type, icmp_code;
	uint8_t proto;
	uint8_t has;			/* CT_TUPLE_* */
};

/* Optional parts of a flow. */
enum {
	CT_HAS_STATUS	= 1 << 0,
	CT_HAS_TIMEOUT	= 1 << 1,
	CT_HAS_MARK	= 1 << 2,
	CT_HAS_USE	= 1 << 3,
	CT_HAS_ID	= 1 << 4,
	CT_HAS_TCP	= 1 << 5,	/* tcp_state */
	CT_HAS_COUNTERS	= 1 << 6,
	CT_HAS_REPLY	= 1 << 7,
};

enum ct_event { CT_EV_NONE, CT_EV_NEW, CT_EV_UPDATE, CT_EV_DESTROY };

struct ct_flow {
	const struct nlmsghdr *nlh;	/* the message it was read from */
	const struct nlattr *orig_attr;	/* CTA_TUPLE_ORIG, to address it */
	const struct nlattr *zone_attr;	/* CTA_ZONE or NULL */
	struct ct_tuple orig, reply;
	uint64_t packets[2], bytes[2];	/* original, reply */
	uint32_t status, timeout, mark, use, id;
	uint16_t zone;
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t tcp_state;
	unsigned int has;		/* CT_HAS_* */
	enum ct_event event;		/* monitor: what happened */
};

/*
 * Reads a CT_NEW (dump part or event) or CT_DELETE message into @f, which
 * keeps pointers into @nlh.  Returns 0, or -1 with errno EINVAL when the
 * message is too short or has no original tuple.
 */
int ct_flow_decode(const struct nlmsghdr *nlh, struct ct_flow *f);

/* ---- filters ---- */

enum ct_filter_id {
	CT_F_MARK, CT_F_PROTO, CT_F_SRC, CT_F_DST, CT_F_SPORT, CT_F_DPORT,
	CT_F_ZONE,
};

struct ct_prefix {
	union ct_inaddr addr;		/* masked to plen bits */
	uint8_t family;
	uint8_t plen;
};

struct ct_filter {
	unsigned int set;		/* 1 << CT_F_*: filters given */
	unsigned int invert;		/* 1 << CT_F_*: given with "!" */
	uint8_t family;			/* 0: both, AF_INET, AF_INET6 */
	uint8_t proto;
	uint16_t sport, dport, zone;
	uint32_t mark, mark_mask;
	struct ct_prefix src, dst;
};

/* Whether @fl passes every filter of @f, family included. */
bool ct_filter_match(const struct ct_filter *f, const struct ct_flow *fl);
/* Whether the kernel can filter the dump by mark (given, not inverted). */
bool ct_filter_kernel_mark(const struct ct_filter *f);
/* Whether anything is left for user space once the kernel has filtered
 * by family and, where it can, by mark. */
bool ct_filter_userspace(const struct ct_filter *f);

/* ---- the command line ---- */

enum {
	CT_OUT_EXTENDED	= 1 << 0,	/* "ipv4     2 " prefix */
	CT_OUT_ID	= 1 << 1,	/* " id=N" */
	CT_OUT_JSON	= 1 << 2,
	CT_OUT_TIMESTAMP = 1 << 3,	/* monitor: "[sec.usec]\t" prefix */
};

struct ct_opts {
	enum ct_cmd cmd;
	struct ct_filter filter;
	unsigned int output;		/* CT_OUT_* */
	/* update: new = (old & ~op_mask) ^ op_value, as CONNMARK */
	const char *op_name;		/* the option given, NULL: none */
	uint32_t op_value, op_mask;
	/* count --by-mark */
	bool by_mark;
	bool group_mask_given;
	uint32_t group_mask;
	/* the mark layout, once a value needed it (or --by-mark) */
	struct layout *layout;
	/* monitor --count */
	unsigned long max_events;
	bool help;
};

/*
 * Parses the words after the command name.  Returns 0, or -1 with a
 * message (without prefix) in @err: every error is a usage error (exit 2),
 * a bad layout file included.  ct_opts_release() frees what it read.
 */
int ct_opts_parse(struct ct_opts *o, enum ct_cmd cmd, int argc, char **argv,
		  char *err, size_t errlen);
void ct_opts_release(struct ct_opts *o);
/* The command of @name ("list", ...), or -1. */
int ct_cmd_lookup(const char *name);
const char *ct_cmd_name(enum ct_cmd cmd);

/* ---- names of marks (ct-names.c) ---- */

struct layout;
struct owners;
struct json_t;

/*
 * What names the connection mark @value under @mask, as markctl explain -c
 * finds it: the layout's fields ("route=isp2", "vpn") and the known
 * owners' documented values ({"owner": "wg-quick", "value": "fwmark"}).
 * @mask_given: the mask was written (owners' zero values then count).
 * A new object {"fields": [...], "owners": [...]}, NULL on ENOMEM.
 */
struct json_t *ct_mark_names(const struct layout *l, const struct owners *o,
			     uint32_t value, uint32_t mask, bool mask_given);
/* The same as text: "route=isp2 wg-quick:fwmark", "" for none. */
void ct_mark_names_text(const struct json_t *names, char *buf, size_t len);

/* ---- ctnetlink ---- */

struct ct_nl;

/* Outcome of the queued per-flow changes. */
struct ct_nl_result {
	unsigned long sent;		/* messages sent */
	unsigned long gone;		/* ENOENT: the flow ended meanwhile */
	unsigned long failed;		/* any other error */
	int first_errno;		/* of the first failure */
};

/* A ctnetlink socket, listening to new/update/destroy events if @events.
 * NULL with errno on failure. */
struct ct_nl *ct_nl_open(bool events);
void ct_nl_close(struct ct_nl *nl);

typedef int (*ct_flow_fn)(const struct ct_flow *f, void *data);

/*
 * Dumps the flows of @family (0: both), filtered in the kernel by
 * (mark & mask) == value when @mark is non-NULL (two words: value, mask),
 * calling @fn for each; @fn returns 0 to go on, -1 (errno set) to stop.
 * With @raw the flow has only its message (nlh) set, not decoded.
 * Returns 0, or -1 with errno.
 */
int ct_nl_dump(struct ct_nl *nl, uint8_t family, const uint32_t *mark,
	       bool raw, ct_flow_fn fn, void *data);
/* The number of flows of the namespace, both families (one request). */
int ct_nl_count(struct ct_nl *nl, unsigned long *count);

/*
 * Queue a masked mark update, new = (old & ~mask) ^ value, or a delete of
 * the flow @f as dumped (tuple, zone, and id for deletes); queued messages
 * go out in batches, without waiting for each answer.  -1 with errno on
 * a send error.  ct_nl_flush sends what is queued and collects answers.
 */
int ct_nl_queue_update(struct ct_nl *nl, const struct ct_flow *f,
		       uint32_t value, uint32_t mask);
int ct_nl_queue_delete(struct ct_nl *nl, const struct ct_flow *f);
int ct_nl_flush(struct ct_nl *nl);
const struct ct_nl_result *ct_nl_result(const struct ct_nl *nl);

/*
 * Reads events until @fn returns 1 (enough) or -1 (error), or *@stop is
 * set by SIGINT or SIGTERM.  Returns 0, or -1 with errno; ENOBUFS means
 * the socket buffer overran and events were lost: call again to go on.
 */
int ct_nl_events(struct ct_nl *nl, ct_flow_fn fn, void *data,
		 volatile sig_atomic_t *stop);

/* ---- output ---- */

struct ct_printer {
	FILE *out;
	unsigned int output;		/* CT_OUT_* */
	unsigned long flows;		/* printed so far */
	bool array;			/* JSON: inside the list's array */
	uint32_t name_portid;		/* events: the last sender looked up */
	char name[64];			/* its command name, "" if unknown */
};

/* One flow as conntrack -L / -E prints it, or a JSON object (a line of
 * its own, or an element between ct_print_begin/end); -1 with errno on
 * allocation failure. */
int ct_print_flow(struct ct_printer *p, const struct ct_flow *f);
/* Opens and closes the JSON array of a list. */
void ct_print_begin(struct ct_printer *p);
void ct_print_end(struct ct_printer *p);

/* ---- commands (each returns the exit status) ---- */

int ct_cmd_list(const struct ct_opts *o, struct ct_nl *nl);
int ct_cmd_count(const struct ct_opts *o, struct ct_nl *nl);
int ct_cmd_update(const struct ct_opts *o, struct ct_nl *nl);
int ct_cmd_delete(const struct ct_opts *o, struct ct_nl *nl);
int ct_cmd_monitor(const struct ct_opts *o, struct ct_nl *nl);
/* update, delete: prints "N flows @verb" (changes less those that found
 * no flow or failed) and returns the exit status: an error if @err (errno
 * of a failed dump or send) is set or some change failed. */
int ct_report_changes(struct ct_nl *nl, const char *verb, int err);

/* Prints "markctl ct: ..." and exits with @status. */
void ct_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
/* Prints "markctl ct: cannot WHAT: strerror(errno)" (for EPERM: cannot
 * open conntrack, be root) and returns the exit status that goes with
 * errno, so that the caller can free what it holds first. */
int ct_error_errno(const char *what);

#endif
