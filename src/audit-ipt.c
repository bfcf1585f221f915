// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit: the iptables tables, read through a backend (src/backend.h)
 * as save reads them, and the mark extensions' kernel structs in them
 * (audit_xt_uses(), also used for nft_compat expressions by audit-nft.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xtables.h (through backend.h) before the kernel's headers */
#include "audit-read.h"
#include "backend.h"
#include "cmd.h"
#include "emit.h"
#include "parse.h"
#include "plugins.h"

#include <linux/netfilter/xt_connmark.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_TPROXY.h>

/* ---- the mark extensions' structs ---- */

static struct audit_use set_use(enum audit_word word, uint32_t value,
				uint32_t mask)
{
	return (struct audit_use){
		.word = word, .value = value, .mask = mask, .value_known = true,
		.how = mask == UINT32_MAX ? AUDIT_SET_WHOLE : AUDIT_SET,
	};
}

static struct audit_use copy_use(enum audit_word word, uint32_t mask)
{
	return (struct audit_use){
		.word = word, .mask = mask,
		.how = mask == UINT32_MAX ? AUDIT_COPY_WHOLE : AUDIT_COPY,
	};
}

/* CONNMARK revisions 1 and 2 agree but on where mode is. */
static unsigned int connmark_uses(uint8_t rev, const void *info, size_t len,
				  struct audit_use *out)
{
	const struct xt_connmark_tginfo2 *i2 = info;
	const struct xt_connmark_tginfo1 *i1 = info;
	uint8_t mode;

	if (len < sizeof(*i1))
		return 0;
	mode = rev >= 2 ? i2->mode : i1->mode;
	switch (mode) {
	case XT_CONNMARK_SET:
		out[0] = set_use(AUDIT_CONNTRACK, i1->ctmark, i1->ctmask);
		return 1;
	case XT_CONNMARK_SAVE:
		out[0] = copy_use(AUDIT_CONNTRACK, i1->ctmask);
		return 1;
	case XT_CONNMARK_RESTORE:
		out[0] = copy_use(AUDIT_PACKET, i1->nfmask);
		return 1;
	}
	return 0;
}

static unsigned int match_uses(enum audit_word word, const void *info,
			       size_t len, struct audit_use *out)
{
	const struct xt_mark_mtinfo1 *m = info;

	if (len < sizeof(*m))
		return 0;
	out[0] = (struct audit_use){
		.word = word, .how = AUDIT_MATCH, .value = m->mark,
		.mask = m->mask, .value_known = true, .invert = m->invert,
	};
	return 1;
}

unsigned int audit_xt_uses(const char *name, uint8_t rev, const void *info,
			   size_t len, struct audit_use *out)
{
	if (strcmp(name, "MARK") == 0 && rev == 2 &&
	    len >= sizeof(struct xt_mark_tginfo2)) {
		const struct xt_mark_tginfo2 *t = info;

		out[0] = set_use(AUDIT_PACKET, t->mark, t->mask);
		return 1;
	}
	if (strcmp(name, "CONNMARK") == 0 && rev >= 1)
		return connmark_uses(rev, info, len, out);
	if (strcmp(name, "mark") == 0 && rev == 1)
		return match_uses(AUDIT_PACKET, info, len, out);
	if (strcmp(name, "connmark") == 0 && rev == 1)
		return match_uses(AUDIT_CONNTRACK, info, len, out);
	/* TPROXY's mark: the same two words at the start of both revisions */
	if (strcmp(name, "TPROXY") == 0 &&
	    len >= sizeof(struct xt_tproxy_target_info)) {
		const struct xt_tproxy_target_info *t = info;

		if (t->mark_mask == 0 && t->mark_value == 0)
			return 0;
		out[0] = set_use(AUDIT_PACKET, t->mark_value, t->mark_mask);
		return 1;
	}
	return 0;
}

/* ---- rules through the backend ---- */

struct ipt_walk {
	struct audit *a;
	struct audit_site site;
	const char *cmd;		/* "iptables", "ip6tables-legacy" */
	const struct rule *rule;	/* the one being added */
	bool unsupported;
	unsigned long rules;		/* read, for the report */
	uint64_t *handles;
	unsigned int nhandles, cap;
};

/* "iptables -t mangle -A PREROUTING ..." as -S prints it. */
static char *ipt_text(const void *arg)
{
	const struct ipt_walk *w = arg;
	FILE *mem, *out = stdout;
	char *text = NULL;
	size_t len = 0;

	mem = open_memstream(&text, &len);
	if (!mem)
		return NULL;
	fprintf(mem, "%s -t %s ", w->cmd, w->site.table);
	/* the extensions print to stdout */
	stdout = mem;
	emit_rule_save(w->site.chain, w->rule, 0);
	fflush(mem);
	stdout = out;
	fclose(mem);
	if (text && len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	return text;
}

static const char *rule_comment(const struct rule *r)
{
	for (unsigned int i = 0; i < r->nmatches; i++) {
		const struct xt_entry_match *m = r->matches[i].data;

		if (strcmp(m->u.user.name, "comment") == 0)
			return (const char *)m->data;
	}
	return NULL;
}

static int remember_handle(struct ipt_walk *w, uint64_t handle)
{
	if (w->nhandles == w->cap) {
		unsigned int cap = w->cap ? 2 * w->cap : 256;
		uint64_t *g = realloc(w->handles, cap * sizeof(*g));

		if (!g)
			return -1;
		w->handles = g;
		w->cap = cap;
	}
	w->handles[w->nhandles++] = handle;
	return 0;
}

static int ipt_rule(const struct rule *r, void *data)
{
	struct ipt_walk *w = data;
	struct audit_use uses[2 * 8 + 2];
	unsigned int n = 0;

	w->rules++;
	if (r->unsupported) {
		w->unsupported = true;	/* audit-nft.c reads it */
		return 0;
	}
	if (r->handle && remember_handle(w, r->handle) < 0)
		return -1;
	for (unsigned int i = 0; i < r->nmatches && n < 16; i++) {
		const struct xt_entry_match *m = r->matches[i].data;

		n += audit_xt_uses(m->u.user.name, m->u.user.revision, m->data,
				   m->u.match_size - XT_ALIGN(sizeof(*m)),
				   uses + n);
	}
	if (r->target_data) {
		const struct xt_entry_target *t = r->target_data;

		n += audit_xt_uses(t->u.user.name, t->u.user.revision, t->data,
				   t->u.target_size - XT_ALIGN(sizeof(*t)),
				   uses + n);
	}
	if (n == 0)
		return 0;
	w->rule = r;
	w->site.comment = rule_comment(r);
	w->site.iniface = rule_iniface(r)[0] ? rule_iniface(r) : NULL;
	w->site.outiface = rule_outiface(r)[0] ? rule_outiface(r) : NULL;
	return audit_add(w->a, &w->site, uses, n);
}

static int ipt_table(struct ipt_walk *w, const struct backend_ops *ops,
		     struct backend *b, uint8_t family,
		     struct audit_native *native)
{
	struct rule_chain *chains = NULL;
	unsigned int count = 0;
	bool exists = false;
	int ret = 0;

	if (ops->chains(b, w->site.table, &chains, &count, &exists) < 0)
		return errno == ENOENT ? 0 : -1;
	w->unsupported = false;
	w->nhandles = 0;
	for (unsigned int i = 0; ret == 0 && i < count; i++) {
		if (chains[i].builtin && !chains[i].exists)
			continue;
		w->site.chain = chains[i].name;
		w->site.builtin = chains[i].builtin;
		ret = ops->rules(b, w->site.table, chains[i].name, ipt_rule, w);
	}
	if (ret == 0 && exists && native &&
	    (w->unsupported || (ops->foreign_base_chains &&
				ops->foreign_base_chains(b, w->site.table, NULL))))
		ret = audit_native_add(native, family, w->site.table,
				       w->handles, w->nhandles);
	free(chains);
	return ret < 0 ? -1 : 0;
}

/* Whether the kernel lists legacy table @table of @family: reading one
 * that does not exist would create it. */
static bool legacy_listed(uint8_t family, const char *table)
{
	FILE *f = fopen(family == NFPROTO_IPV6 ? "/proc/net/ip6_tables_names" :
						 "/proc/net/ip_tables_names", "re");
	char line[64];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = strncmp(line, table, strlen(table)) == 0 &&
			line[strlen(table)] == '\n';
	if (f)
		fclose(f);
	return found;
}

static bool any_legacy_listed(uint8_t family)
{
	for (unsigned int i = 0; i < BACKEND_NTABLES; i++)
		if (legacy_listed(family, backend_tables[i].name))
			return true;
	return false;
}

int audit_read_iptables(struct audit *a, const struct backend_ops *ops,
			uint8_t family, struct audit_native *native)
{
	bool legacy = strcmp(ops->name, "legacy") == 0;
	bool v6 = family == NFPROTO_IPV6;
	/* no xtables lock: the audit reads as iptables-legacy-save does */
	struct markctl_ctx ctx = {
		.family = family, .backend_ops = ops, .nolock = true,
		.progname = v6 ? "ip6tables" : "iptables",
	};
	struct ipt_walk w = {
		.a = a,
		.cmd = legacy ? (v6 ? "ip6tables-legacy" : "iptables-legacy") :
				ctx.progname,
		.site = { .source = AUDIT_SRC_IPTABLES,
			  .backend = legacy ? "legacy" : "nf_tables",
			  .family = v6 ? "ip6" : "ip", .text = ipt_text },
	};
	struct backend *b;
	int ret = 0;

	w.site.text_arg = &w;
	if (legacy && !any_legacy_listed(family)) {
		audit_note_source(a, w.cmd, 0, "no table");
		return 0;
	}
	plugins_init(&ctx, family, parse_getopt_options());
	/* libxtables' revision probes go to the same connection */
	b = ctx.backend = ops->open(&ctx, family);
	if (!b) {
		int e = errno;

		plugins_release();
		errno = e;
		return -1;
	}
	for (unsigned int i = 0; ret == 0 && i < BACKEND_NTABLES; i++) {
		w.site.table = backend_tables[i].name;
		if (!legacy || legacy_listed(family, w.site.table))
			ret = ipt_table(&w, ops, b, family, legacy ? NULL : native);
	}
	if (ret == 0)
		audit_note_source(a, w.cmd, w.rules, ops->name);
	plugins_release();
	ops->close(b);
	free(w.handles);
	return ret;
}
