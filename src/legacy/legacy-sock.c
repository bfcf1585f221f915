// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's x_tables socket options for one family: a raw socket,
 * GET_INFO, GET_ENTRIES, SET_REPLACE, SET_ADD_COUNTERS and the revision
 * queries.  IPv4 and IPv6 share option numbers and header layouts
 * (ipt_getinfo = ip6t_getinfo ...); what differs is in struct lg_family.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>

#include "legacy.h"
#include "util.h"

static const struct lg_family families[] = {
	{
		.nfproto	= NFPROTO_IPV4,
		.af		= AF_INET,
		.level		= SOL_IP,
		.so_rev_match	= IPT_SO_GET_REVISION_MATCH,
		.so_rev_target	= IPT_SO_GET_REVISION_TARGET,
		.entry_size	= sizeof(struct ipt_entry),
		.off_ip_flags	= offsetof(struct ipt_entry, ip.flags),
		.off_target	= offsetof(struct ipt_entry, target_offset),
		.off_comefrom	= offsetof(struct ipt_entry, comefrom),
		.off_counters	= offsetof(struct ipt_entry, counters),
		.goto_flag	= IPT_F_GOTO,
		.names_path	= "/proc/net/ip_tables_names",
		.prog		= "iptables",
	},
	{
		.nfproto	= NFPROTO_IPV6,
		.af		= AF_INET6,
		.level		= SOL_IPV6,
		.so_rev_match	= IP6T_SO_GET_REVISION_MATCH,
		.so_rev_target	= IP6T_SO_GET_REVISION_TARGET,
		.entry_size	= sizeof(struct ip6t_entry),
		.off_ip_flags	= offsetof(struct ip6t_entry, ipv6.flags),
		.off_target	= offsetof(struct ip6t_entry, target_offset),
		.off_comefrom	= offsetof(struct ip6t_entry, comefrom),
		.off_counters	= offsetof(struct ip6t_entry, counters),
		.goto_flag	= IP6T_F_GOTO,
		.names_path	= "/proc/net/ip6_tables_names",
		.prog		= "ip6tables",
	},
};

/* The same numbers for both families (IP6T_SO_* equal IPT_SO_*). */
_Static_assert(IPT_SO_GET_INFO == IP6T_SO_GET_INFO &&
	       IPT_SO_GET_ENTRIES == IP6T_SO_GET_ENTRIES &&
	       IPT_SO_SET_REPLACE == IP6T_SO_SET_REPLACE &&
	       IPT_SO_SET_ADD_COUNTERS == IP6T_SO_SET_ADD_COUNTERS,
	       "x_tables option numbers differ between families");
_Static_assert(sizeof(struct ipt_replace) == sizeof(struct ip6t_replace) &&
	       sizeof(struct ipt_getinfo) == sizeof(struct ip6t_getinfo) &&
	       sizeof(struct ipt_get_entries) ==
	       sizeof(struct ip6t_get_entries),
	       "x_tables headers differ between families");

const struct lg_family *lg_family_get(uint8_t nfproto)
{
	return nfproto == NFPROTO_IPV6 ? &families[1] : &families[0];
}

static int sock_fd(struct lg_sock *s)
{
	if (s->fd < 0)
		s->fd = socket(s->fam->af, SOCK_RAW | SOCK_CLOEXEC,
			       IPPROTO_RAW);
	return s->fd;
}

static int name_put(char *dst, const char *table)
{
	if (strlen(table) >= XT_TABLE_MAXNAMELEN) {
		errno = EINVAL;
		return -1;
	}
	memset(dst, 0, XT_TABLE_MAXNAMELEN);
	strcpy(dst, table);
	return 0;
}

int lg_get_info(struct lg_sock *s, const char *table, struct lg_info *info)
{
	struct ipt_getinfo gi;
	socklen_t len = sizeof(gi);

	if (name_put(gi.name, table) < 0 || sock_fd(s) < 0)
		return -1;
	if (getsockopt(s->fd, s->fam->level, IPT_SO_GET_INFO, &gi, &len) < 0)
		return -1;
	memcpy(info->name, gi.name, sizeof(info->name));
	info->valid_hooks = gi.valid_hooks;
	memcpy(info->hook_entry, gi.hook_entry, sizeof(info->hook_entry));
	memcpy(info->underflow, gi.underflow, sizeof(info->underflow));
	info->num_entries = gi.num_entries;
	info->size = gi.size;
	return 0;
}

int lg_get_entries(struct lg_sock *s, const struct lg_info *info,
		   uint8_t *buf)
{
	struct ipt_get_entries *ge = (struct ipt_get_entries *)
		(buf + LG_HDR_ROOM - offsetof(struct ipt_get_entries,
					      entrytable));
	socklen_t len = offsetof(struct ipt_get_entries, entrytable) +
			info->size;

	memcpy(ge->name, info->name, sizeof(ge->name));
	ge->size = info->size;
	if (sock_fd(s) < 0)
		return -1;
	return getsockopt(s->fd, s->fam->level, IPT_SO_GET_ENTRIES, ge, &len);
}

int lg_replace(struct lg_sock *s, const struct lg_info *info, uint8_t *buf,
	       uint32_t num_entries, uint32_t size, uint32_t num_counters,
	       struct xt_counters *old_counters)
{
	struct ipt_replace *r = (struct ipt_replace *)buf;

	_Static_assert(LG_HDR_ROOM == offsetof(struct ipt_replace, entries),
		       "entries must follow the replace header");
	memset(r, 0, LG_HDR_ROOM);
	memcpy(r->name, info->name, sizeof(r->name));
	r->valid_hooks = info->valid_hooks;
	r->num_entries = num_entries;
	r->size = size;
	memcpy(r->hook_entry, info->hook_entry, sizeof(r->hook_entry));
	memcpy(r->underflow, info->underflow, sizeof(r->underflow));
	r->num_counters = num_counters;
	r->counters = old_counters;
	if (sock_fd(s) < 0)
		return -1;
	return setsockopt(s->fd, s->fam->level, IPT_SO_SET_REPLACE, r,
			  LG_HDR_ROOM + size);
}

int lg_add_counters(struct lg_sock *s, const char *table,
		    struct xt_counters_info *ci, uint32_t n)
{
	if (name_put(ci->name, table) < 0 || sock_fd(s) < 0)
		return -1;
	ci->num_counters = n;
	return setsockopt(s->fd, s->fam->level, IPT_SO_SET_ADD_COUNTERS, ci,
			  sizeof(*ci) + n * sizeof(struct xt_counters));
}

int lg_revision(struct lg_sock *s, const char *name, uint8_t rev,
		int target)
{
	struct xt_get_revision gr;
	socklen_t len = sizeof(gr);

	if (strlen(name) >= sizeof(gr.name) || sock_fd(s) < 0)
		return 0;
	memset(&gr, 0, sizeof(gr));
	strcpy(gr.name, name);
	gr.revision = rev;
	return getsockopt(s->fd, s->fam->level,
			  target ? s->fam->so_rev_target :
				   s->fam->so_rev_match, &gr, &len) == 0;
}

void lg_sock_close(struct lg_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
