// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl ct list, and how every command shows a flow: the line of
 * conntrack(8) -L / -E, written by libnetfilter_conntrack's nfct_snprintf()
 * so it is byte for byte the same, or a JSON object written with jansson
 * (schema in markctl-ct(8)).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <jansson.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "ct.h"
#include "util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ---- */

/* Kernel order (enum tcp_conntrack). */
static const char *const tcp_states[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
	"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
};

/* Status bits (enum ip_conntrack_status), by bit number. */
static const char *const status_bits[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT",
	"DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",
	"FIXED_TIMEOUT", "TEMPLATE", "NAT_CLASH", "HELPER", "OFFLOAD",
	"HW_OFFLOAD",
};

static const char *const events[] = {
	[CT_EV_NEW] = "new", [CT_EV_UPDATE] = "update",
	[CT_EV_DESTROY] = "destroy",
};

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_UDPLITE:	return "udplite";
	case IPPROTO_ICMP:	return "icmp";
	case IPPROTO_ICMPV6:	return "icmpv6";
	case IPPROTO_SCTP:	return "sctp";
	case IPPROTO_DCCP:	return "dccp";
	case IPPROTO_GRE:	return "gre";
	}
	return NULL;
}

/* The inode of this namespace's netfilter netlink socket bound to
 * @portid, from /proc/net/netlink; 0 if none. */
static unsigned long netlink_inode(uint32_t portid)
{
	FILE *f = fopen("/proc/net/netlink", "re");
	unsigned long inode = 0;
	unsigned int port;
	char line[256];
	int proto;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
		if (sscanf(line, "%*s %d %u %*s %*s %*s %*s %*s %*s %lu",
			   &proto, &port, &inode) == 3 &&
		    proto == NETLINK_NETFILTER && port == portid)
			break;
		inode = 0;
	}
	fclose(f);
	return inode;
}

/* Whether process @pid holds the socket "socket:[inode]" @want. */
static bool holds_socket(const char *pid, const char *want)
{
	char path[sizeof("/proc//fd") + NAME_MAX], link[64];
	struct dirent *e;
	bool found = false;
	ssize_t n;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	fds = opendir(path);
	if (!fds)
		return false;
	while (!found && (e = readdir(fds))) {
		n = readlinkat(dirfd(fds), e->d_name, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = strcmp(link, want) == 0;
		}
	}
	closedir(fds);
	return found;
}

/* The command name of the process holding the netlink socket that made a
 * change (@portid), as conntrack -E shows it: only the first socket of a
 * process has its pid as port id, so look the socket up. */
static bool progname_lookup(uint32_t portid, char *buf, size_t len)
{
	unsigned long inode = netlink_inode(portid);
	char want[40], path[sizeof("/proc//comm") + NAME_MAX];
	bool found = false;
	struct dirent *e;
	DIR *proc;
	FILE *f;

	if (!inode || !(proc = opendir("/proc")))
		return false;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	while (!found && (e = readdir(proc)))
		found = isdigit((unsigned char)e->d_name[0]) &&
			holds_socket(e->d_name, want);
	if (found) {
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "re");
		found = f && fgets(buf, len, f);
		if (f)
			fclose(f);
		buf[strcspn(buf, "\n")] = '\0';
	}
	closedir(proc);
	return found && buf[0];
}

/* The same, remembered for the port id last asked: a batch of changes
 * comes from one socket. */
static const char *progname_of(struct ct_printer *p, uint32_t portid)
{
	if (portid != p->name_portid) {
		p->name_portid = portid;
		if (!progname_lookup(portid, p->name, sizeof(p->name)))
			p->name[0] = '\0';
	}
	return p->name[0] ? p->name : NULL;
}

/* ---- the conntrack(8) line ---- */

static const uint32_t nfct_type[] = {
	[CT_EV_NONE] = NFCT_T_UNKNOWN, [CT_EV_NEW] = NFCT_T_NEW,
	[CT_EV_UPDATE] = NFCT_T_UPDATE, [CT_EV_DESTROY] = NFCT_T_DESTROY,
};

static int print_plain(struct ct_printer *p, const struct ct_flow *f)
{
	unsigned int flags = 0;
	struct nf_conntrack *ct;
	char buf[1024], *line = buf;
	const char *name;
	int n;

	ct = nfct_new();
	if (!ct)
		return -1;
	nfct_nlmsg_parse(f->nlh, ct);
	if (p->output & CT_OUT_EXTENDED)
		flags |= NFCT_OF_SHOW_LAYER3;
	if (p->output & CT_OUT_ID)
		flags |= NFCT_OF_ID;
	n = nfct_snprintf(buf, sizeof(buf), ct, nfct_type[f->event],
			  NFCT_O_PLAIN, flags);
	if (n >= (int)sizeof(buf)) {
		line = malloc(n + 1);
		if (line)
			nfct_snprintf(line, n + 1, ct, nfct_type[f->event],
				      NFCT_O_PLAIN, flags);
	}
	nfct_destroy(ct);
	if (!line || n < 0) {
		errno = line ? EINVAL : ENOMEM;
		return -1;
	}
	if (p->output & CT_OUT_TIMESTAMP) {
		struct timeval tv;

		gettimeofday(&tv, NULL);
		fprintf(p->out, "[%ld.%06ld]\t", (long)tv.tv_sec,
			(long)tv.tv_usec);
	}
	fputs(line, p->out);
	if (f->event && f->nlh->nlmsg_pid) {
		fprintf(p->out, " [USERSPACE] portid=%u", f->nlh->nlmsg_pid);
		name = progname_of(p, f->nlh->nlmsg_pid);
		if (name)
			fprintf(p->out, " progname=%s", name);
	}
	fputc('\n', p->out);
	if (line != buf)
		free(line);
	return 0;
}

/* ---- JSON ---- */

static void set_int(json_t *o, const char *key, json_int_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

static json_t *tuple_json(const struct ct_flow *f, const struct ct_tuple *t,
			  int dir)
{
	char addr[INET6_ADDRSTRLEN];
	json_t *o = json_object();

	if (!o)
		return NULL;
	inet_ntop(f->family, &t->src, addr, sizeof(addr));
	json_object_set_new(o, "src", json_string(addr));
	inet_ntop(f->family, &t->dst, addr, sizeof(addr));
	json_object_set_new(o, "dst", json_string(addr));
	if (t->has & CT_TUPLE_PORTS) {
		set_int(o, "sport", t->sport);
		set_int(o, "dport", t->dport);
	}
	if (t->has & CT_TUPLE_ICMP) {
		set_int(o, "type", t->icmp_type);
		set_int(o, "code", t->icmp_code);
		set_int(o, "id", t->icmp_id);
	}
	if (f->has & CT_HAS_COUNTERS) {
		set_int(o, "packets", f->packets[dir]);
		set_int(o, "bytes", f->bytes[dir]);
	}
	return o;
}

static json_t *status_json(uint32_t status)
{
	json_t *a = json_array();
	char name[16];

	for (unsigned int bit = 0; a && bit < 32; bit++) {
		if (!(status & (1u << bit)))
			continue;
		if (bit < ARRAY_SIZE(status_bits)) {
			json_array_append_new(a, json_string(status_bits[bit]));
		} else {
			snprintf(name, sizeof(name), "BIT%u", bit);
			json_array_append_new(a, json_string(name));
		}
	}
	return a;
}

static void userspace_json(struct ct_printer *p, json_t *o,
			   const struct ct_flow *f)
{
	const char *name;
	json_t *u;

	if (!f->event || !f->nlh->nlmsg_pid)
		return;
	u = json_object();
	if (!u)
		return;
	set_int(u, "portid", f->nlh->nlmsg_pid);
	name = progname_of(p, f->nlh->nlmsg_pid);
	if (name)
		json_object_set_new(u, "progname", json_string(name));
	json_object_set_new(o, "userspace", u);
}

static json_t *flow_json(struct ct_printer *p, const struct ct_flow *f)
{
	const char *proto = proto_name(f->orig.proto);
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (f->event)
		json_object_set_new(o, "event", json_string(events[f->event]));
	json_object_set_new(o, "family", json_string(f->family == AF_INET6 ?
						     "ipv6" : "ipv4"));
	if (proto)
		json_object_set_new(o, "proto", json_string(proto));
	set_int(o, "protonum", f->orig.proto);
	if ((f->has & CT_HAS_TCP) && f->tcp_state < ARRAY_SIZE(tcp_states))
		json_object_set_new(o, "state",
				    json_string(tcp_states[f->tcp_state]));
	if (f->has & CT_HAS_TIMEOUT)
		set_int(o, "timeout", f->timeout);
	json_object_set_new(o, "original", tuple_json(f, &f->orig, 0));
	if (f->has & CT_HAS_REPLY)
		json_object_set_new(o, "reply", tuple_json(f, &f->reply, 1));
	if (f->has & CT_HAS_STATUS)
		json_object_set_new(o, "status", status_json(f->status));
	set_int(o, "mark", f->mark);
	set_int(o, "zone", f->zone);
	if (f->has & CT_HAS_USE)
		set_int(o, "use", f->use);
	if (f->has & CT_HAS_ID)
		set_int(o, "id", f->id);
	userspace_json(p, o, f);
	return o;
}

static int print_json(struct ct_printer *p, const struct ct_flow *f)
{
	json_t *o = flow_json(p, f);
	char buf[2048], *text = buf;
	size_t n;

	if (!o) {
		errno = ENOMEM;
		return -1;
	}
	/* Into a buffer, then one write: json_dumpf() writes token by token. */
	n = json_dumpb(o, buf, sizeof(buf), JSON_COMPACT);
	if (n > sizeof(buf)) {
		text = malloc(n);
		if (text)
			json_dumpb(o, text, n, JSON_COMPACT);
	}
	json_decref(o);
	if (!text || n == 0) {
		errno = ENOMEM;
		return -1;
	}
	if (p->array)
		fputs(p->flows ? ",\n" : "\n", p->out);
	fwrite(text, 1, n, p->out);
	if (!p->array)
		fputc('\n', p->out);
	if (text != buf)
		free(text);
	return 0;
}

int ct_print_flow(struct ct_printer *p, const struct ct_flow *f)
{
	int ret = p->output & CT_OUT_JSON ? print_json(p, f) :
					    print_plain(p, f);

	if (ret == 0)
		p->flows++;
	return ret;
}

void ct_print_begin(struct ct_printer *p)
{
	if (!(p->output & CT_OUT_JSON))
		return;
	p->array = true;
	fputc('[', p->out);
}

void ct_print_end(struct ct_printer *p)
{
	if (p->array)
		fputs("\n]\n", p->out);
}

/* ---- markctl ct list ---- */

struct list_ctx {
	const struct ct_filter *filter;
	bool userspace;			/* filters the kernel cannot apply */
	struct ct_printer p;
};

static int list_flow(const struct ct_flow *f, void *data)
{
	struct list_ctx *l = data;

	if (l->userspace && !ct_filter_match(l->filter, f))
		return 0;
	return ct_print_flow(&l->p, f);
}

int ct_cmd_list(const struct ct_opts *o, struct ct_nl *nl)
{
	const struct ct_filter *f = &o->filter;
	uint32_t mark[2] = { f->mark, f->mark_mask };
	struct list_ctx l = {
		.filter = f,
		.userspace = ct_filter_userspace(f),
		.p = { .out = stdout, .output = o->output },
	};
	/* conntrack(8) lines come from the message: decode only to filter
	 * or to write JSON. */
	bool raw = !l.userspace && !(o->output & CT_OUT_JSON);

	ct_print_begin(&l.p);
	if (ct_nl_dump(nl, f->family, ct_filter_kernel_mark(f) ? mark : NULL,
		       raw, list_flow, &l) < 0)
		return ct_error_errno("list flows");
	ct_print_end(&l.p);
	return 0;
}
