// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * markctl audit's collector and findings on made-up hosts: rules handed
 * to audit_add() as the readers would, with the test fixture's known
 * owners.  Every finding kind, owners recognised by comment, chain,
 * documented bits, ip rule and value, hosts that must stay clean, and the
 * JSON report.  The kernel is read by tests/netns/07*-audit-*.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit-findings.h"
#include "audit-report.h"

static struct owners *owners;

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : "..";
}

static char *text_of(const void *arg)
{
	return strdup(arg);
}

/* ---- describing a host ---- */

static struct audit_use w_set(uint32_t v, uint32_t m)
{
	return (struct audit_use){ .word = AUDIT_PACKET, .value = v, .mask = m,
		.value_known = true,
		.how = m == UINT32_MAX ? AUDIT_SET_WHOLE : AUDIT_SET };
}

static struct audit_use w_copy(enum audit_word w, uint32_t m)
{
	return (struct audit_use){ .word = w, .mask = m,
		.how = m == UINT32_MAX ? AUDIT_COPY_WHOLE : AUDIT_COPY };
}

static struct audit_use r_match(uint32_t v, uint32_t m)
{
	return (struct audit_use){ .word = AUDIT_PACKET, .how = AUDIT_MATCH,
		.value = v, .mask = m, .value_known = true };
}

/* An iptables rule (nf_tables backend unless @backend) in @chain. */
static void ipt(struct audit *a, const char *backend, const char *table,
		const char *chain, const char *comment, const char *text,
		struct audit_use u)
{
	static const char *const builtins[] = {
		"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING",
	};
	struct audit_site s = {
		.source = AUDIT_SRC_IPTABLES,
		.backend = backend ? backend : "nf_tables", .family = "ip",
		.table = table, .chain = chain, .comment = comment,
		.text = text_of, .text_arg = text,
	};

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		s.builtin |= strcmp(chain, builtins[i]) == 0;
	ck_assert_int_eq(audit_add(a, &s, &u, 1), 0);
}

static void nft(struct audit *a, const char *family, const char *table,
		const char *chain, const char *text, struct audit_use u)
{
	struct audit_site s = {
		.source = AUDIT_SRC_NFT, .backend = "nf_tables",
		.family = family, .table = table,
		.chain = chain, .text = text_of, .text_arg = text,
	};

	ck_assert_int_eq(audit_add(a, &s, &u, 1), 0);
}

static void iprule(struct audit *a, uint32_t pref, uint32_t table,
		   uint32_t v, uint32_t m)
{
	struct audit_site s = {
		.source = AUDIT_SRC_IPRULE, .family = "ip", .rt_table = table,
		.pref = pref, .text = text_of, .text_arg = "ip rule ...",
	};
	struct audit_use u = { .word = AUDIT_PACKET, .how = AUDIT_ROUTE,
			       .value = v, .mask = m, .value_known = true };

	ck_assert_int_eq(audit_add(a, &s, &u, 1), 0);
}

/* ---- looking at the result ---- */

static const struct audit_owner *owner(const struct audit *a, const char *name)
{
	for (unsigned int i = 0; i < audit_owner_count(a); i++)
		if (strcmp(audit_owner(a, i)->name, name) == 0)
			return audit_owner(a, i);
	return NULL;
}

/* The finding of @kind whose owners start with @first and include
 * @second (NULL: any), or NULL. */
static const struct audit_finding *find(const struct audit_findings *f,
					enum audit_kind kind, const char *first,
					const char *second)
{
	for (unsigned int i = 0; i < f->n; i++) {
		const struct audit_finding *g = &f->v[i];
		bool has = !second;

		if (g->kind != kind || strcmp(g->owners[0]->name, first))
			continue;
		for (unsigned int k = 1; k < g->nowners; k++)
			has |= !strcmp(g->owners[k]->name, second);
		if (has)
			return g;
	}
	return NULL;
}

static unsigned int count(const struct audit_findings *f, enum audit_kind k)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->n; i++)
		n += f->v[i].kind == k;
	return n;
}

static void judge(struct audit *a, struct audit_findings *f)
{
	ck_assert_int_eq(audit_findings(a, f), 0);
	for (unsigned int i = 1; i < f->n; i++)	/* most severe first */
		ck_assert_int_le(f->v[i - 1].kind, f->v[i].kind);
}

static void finish(struct audit *a, struct audit_findings *f)
{
	audit_findings_release(f);
	audit_free(a);
}

/* ---- kube-proxy and kubelet with wg-quick's whole-word 0xca6c ---- */

static void kube_and_wg(struct audit *a)
{
	ipt(a, NULL, "nat", "KUBE-MARK-MASQ", NULL,
	    "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
	    w_set(0x4000, 0x4000));
	ipt(a, NULL, "nat", "KUBE-POSTROUTING", NULL,
	    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
	    r_match(0x4000, 0x4000));
	ipt(a, NULL, "nat", "KUBE-MARK-DROP", NULL,
	    "-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000",
	    w_set(0x8000, 0x8000));
	ipt(a, NULL, "filter", "KUBE-FIREWALL", NULL,
	    "-A KUBE-FIREWALL -m mark --mark 0x8000/0x8000 -j DROP",
	    r_match(0x8000, 0x8000));
}

START_TEST(test_kube_wg)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	const struct audit_finding *g;

	kube_and_wg(a);
	/* the tunnel's fwmark, written by a rule in mangle OUTPUT */
	ipt(a, NULL, "mangle", "OUTPUT", NULL,
	    "-A OUTPUT -j MARK --set-xmark 0xca6c/0xffffffff",
	    w_set(0xca6c, UINT32_MAX));
	judge(a, &f);
	ck_assert_ptr_nonnull(owner(a, "kube-proxy"));
	ck_assert_ptr_nonnull(owner(a, "kubelet"));
	ck_assert_ptr_nonnull(owner(a, "wg-quick"));
	g = find(&f, AUDIT_READ_OVERLAP, "kubelet", "wg-quick");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x8000);
	ck_assert_uint_ge(g->nrules, 2);
	ck_assert_str_eq(g->rules[0].text,
			 "-A KUBE-FIREWALL -m mark --mark 0x8000/0x8000 -j DROP");
	g = find(&f, AUDIT_WHOLE_WORD, "wg-quick", "kube-proxy");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x4000);
	ck_assert_ptr_nonnull(find(&f, AUDIT_OVERLAP, "wg-quick", "kubelet") ?:
			      find(&f, AUDIT_OVERLAP, "kubelet", "wg-quick"));
	ck_assert_ptr_nonnull(strstr(g->message, "whole packet mark"));
	finish(a, &f);
}
END_TEST

/* Calico's 0xffff0000 against Tailscale's 0xff0000 */
START_TEST(test_calico_tailscale)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	const struct audit_finding *g;

	ipt(a, NULL, "mangle", "cali-PREROUTING", NULL, "cali set",
	    w_set(0x10000, 0xffff0000));
	ipt(a, NULL, "mangle", "ts-forward", NULL, "ts set",
	    w_set(0x40000, 0xff0000));
	judge(a, &f);
	g = find(&f, AUDIT_OVERLAP, "calico", "tailscale");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x00ff0000);
	ck_assert_uint_eq(count(&f, AUDIT_WHOLE_WORD), 0);
	finish(a, &f);
}
END_TEST

/* --restore-mark without a mask, in a built-in chain, beside kube-proxy */
START_TEST(test_unmasked_restore)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	const struct audit_finding *g;

	kube_and_wg(a);
	ipt(a, NULL, "mangle", "PREROUTING", NULL,
	    "-A PREROUTING -j CONNMARK --restore-mark",
	    w_copy(AUDIT_PACKET, UINT32_MAX));
	judge(a, &f);
	g = find(&f, AUDIT_UNMASKED_COPY, "iptables built-in chains",
		 "kube-proxy");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x4000);
	ck_assert_uint_eq(count(&f, AUDIT_WHOLE_WORD), 0);
	finish(a, &f);
}
END_TEST

/* An ip rule on bits nobody sets; a known owner's own value is fine. */
START_TEST(test_iprule_unset)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	const struct audit_finding *g;

	ipt(a, NULL, "mangle", "PREROUTING", NULL, "set 0x1",
	    w_set(0x1, 0xff));
	iprule(a, 100, 100, 0x1, 0xff);		/* set by the rule above */
	iprule(a, 101, 101, 0x100, 0x100);	/* set by nobody */
	iprule(a, 5210, 254, 0x80000, 0xff0000);	/* tailscaled's sockets */
	judge(a, &f);
	g = find(&f, AUDIT_IPRULE_UNSET, "ip rules", NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x100);
	ck_assert_uint_eq(count(&f, AUDIT_IPRULE_UNSET), 1);
	ck_assert_ptr_nonnull(owner(a, "tailscale"));
	finish(a, &f);
}
END_TEST

/* A bit saved into conntrack and restored counts as set for ip rules. */
START_TEST(test_iprule_through_conntrack)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	struct audit_use ctset = w_set(0x20, 0xff);

	ctset.word = AUDIT_CONNTRACK;
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "ct set", ctset);
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "restore",
	    w_copy(AUDIT_PACKET, 0xff));
	iprule(a, 100, 100, 0x20, 0xff);
	judge(a, &f);
	ck_assert_uint_eq(f.n, 0);
	finish(a, &f);
}
END_TEST

START_TEST(test_outside_layout)
{
	char path[] = "/tmp/check_audit.XXXXXX", err[256];
	static const char text[] = "field route 0x00ff0000\nfield vpn 0x80000000\n";
	int fd = mkstemp(path);
	struct layout *l;
	struct audit *a;
	struct audit_findings f;
	const struct audit_finding *g;

	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	l = layout_load(path, err, sizeof(err));
	ck_assert_ptr_nonnull(l);
	a = audit_alloc(owners, l);
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "route", w_set(0x20000, 0xff0000));
	ipt(a, NULL, "mangle", "FORWARD", NULL, "vpn", w_set(0x80000000, 0x80000000));
	ipt(a, NULL, "mangle", "KUBE-MARK-MASQ", NULL, "masq", w_set(0x4000, 0x4000));
	judge(a, &f);
	g = find(&f, AUDIT_OUTSIDE_LAYOUT, "kube-proxy", NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->bits, 0x4000);
	ck_assert_uint_eq(f.n, 1);
	finish(a, &f);
	layout_free(l);
	unlink(path);
}
END_TEST

START_TEST(test_both_backends)
{
	struct audit *a = audit_alloc(owners, NULL);
	const struct audit_finding *g;
	struct audit_findings f;

	ipt(a, NULL, "mangle", "PREROUTING", NULL, "nft", w_set(0x1, 0x1));
	ipt(a, "legacy", "mangle", "PREROUTING", NULL, "legacy",
	    w_set(0x2, 0x2));
	judge(a, &f);
	ck_assert_ptr_nonnull(owner(a, "iptables-legacy built-in chains"));
	ck_assert_uint_eq(count(&f, AUDIT_BOTH_BACKENDS), 1);
	ck_assert_uint_eq(f.n, 1);
	/* the legacy owner first, a rule of each backend */
	g = &f.v[0];
	ck_assert_str_eq(g->owners[0]->name, "iptables-legacy built-in chains");
	ck_assert_uint_eq(g->bits, 0x3);
	ck_assert_uint_eq(g->nrules, 2);
	ck_assert_str_eq(g->rules[0].text, "legacy");
	ck_assert_str_eq(g->rules[1].text, "nft");
	ck_assert_str_eq(g->message, "mark rules in both backends: legacy x_tables (iptables-legacy built-in chains) and nf_tables (iptables built-in chains)");
	finish(a, &f);
}
END_TEST

/* One owner in both backends: a use of each, each with its examples;
 * an nf_tables table of nft's own counts as nf_tables. */
START_TEST(test_both_backends_one_owner)
{
	struct audit *a = audit_alloc(owners, NULL);
	const struct audit_owner *w;
	const struct audit_finding *g;
	struct audit_findings f;

	ipt(a, "legacy", "nat", "KUBE-MARK-MASQ", NULL, "legacy masq",
	    w_set(0x4000, 0x4000));
	ipt(a, NULL, "nat", "KUBE-MARK-MASQ", NULL, "nft masq",
	    w_set(0x4000, 0x4000));
	nft(a, "inet", "ccc", "c", "c set", w_set(0x10000, 0x10000));
	judge(a, &f);
	w = owner(a, "kube-proxy");
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(w->nusages, 2);
	ck_assert_str_eq(w->usages[0].backend, "legacy");
	ck_assert_str_eq(w->usages[0].examples[0], "legacy masq");
	ck_assert_str_eq(w->usages[1].backend, "nf_tables");
	ck_assert_str_eq(w->usages[1].examples[0], "nft masq");
	g = find(&f, AUDIT_BOTH_BACKENDS, "kube-proxy", "table ccc");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nowners, 2);
	ck_assert_uint_eq(g->bits, 0x14000);
	ck_assert_uint_eq(f.n, 1);
	finish(a, &f);
	/* legacy alone, or legacy and an ip rule: no such finding */
	a = audit_alloc(owners, NULL);
	ipt(a, "legacy", "nat", "KUBE-MARK-MASQ", NULL, "legacy masq",
	    w_set(0x4000, 0x4000));
	iprule(a, 100, 100, 0x4000, 0x4000);
	judge(a, &f);
	ck_assert_uint_eq(count(&f, AUDIT_BOTH_BACKENDS), 0);
	finish(a, &f);
}
END_TEST

/* Two tools on disjoint bits, each with its ip rule: nothing to say. */
START_TEST(test_disjoint)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;

	ipt(a, NULL, "mangle", "AAA-MARK", NULL, "a set", w_set(0x1, 0xff));
	ipt(a, NULL, "mangle", "AAA-MARK", NULL, "a match", r_match(0x1, 0xff));
	ipt(a, NULL, "mangle", "AAA-SAVE", NULL, "a save",
	    w_copy(AUDIT_CONNTRACK, 0xff));
	ipt(a, NULL, "mangle", "BBB-MARK", NULL, "b set", w_set(0x100, 0xff00));
	ipt(a, NULL, "mangle", "BBB-MARK", NULL, "b match",
	    r_match(0x100, 0xff00));
	nft(a, "inet", "ccc", "c", "c set", w_set(0x10000, 0x10000));
	iprule(a, 100, 100, 0x1, 0xff);
	iprule(a, 200, 200, 0x100, 0xff00);
	judge(a, &f);
	ck_assert_msg(f.n == 0, "%u findings, first: %s", f.n,
		      f.n ? f.v[0].message : "");
	ck_assert_ptr_nonnull(owner(a, "chains AAA-*"));
	ck_assert_ptr_nonnull(owner(a, "table ccc"));
	finish(a, &f);
}
END_TEST

/* One tool marking whole words and keeping them in conntrack, its ip
 * rule reading them: the README's demo before anyone else comes. */
START_TEST(test_single_tool)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;

	ipt(a, NULL, "mangle", "PREROUTING", NULL, "restore",
	    w_copy(AUDIT_PACKET, UINT32_MAX));
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "set", w_set(0x1, UINT32_MAX));
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "match", r_match(0, UINT32_MAX));
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "save",
	    w_copy(AUDIT_CONNTRACK, UINT32_MAX));
	iprule(a, 100, 100, 0x1, UINT32_MAX);
	judge(a, &f);
	ck_assert_msg(f.n == 0, "%u findings, first: %s", f.n,
		      f.n ? f.v[0].message : "");
	finish(a, &f);
}
END_TEST

/* A tool that only tests another's bit (flannel's FLANNEL-POSTRTG on
 * kube-proxy's 0x4000) is its reader, not a second owner. */
START_TEST(test_reader_of_anothers_bit)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;

	ipt(a, NULL, "nat", "KUBE-MARK-MASQ", NULL, "masq", w_set(0x4000, 0x4000));
	ipt(a, NULL, "nat", "FLANNEL-POSTRTG", NULL, "flannel reads kube's bit",
	    r_match(0x4000, 0x4000));
	judge(a, &f);
	ck_assert_msg(f.n == 0, "%u findings, first: %s", f.n,
		      f.n ? f.v[0].message : "");
	finish(a, &f);
}
END_TEST

/* ip rules routing by each value of one tool's field: clean. */
START_TEST(test_field_values)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;

	ipt(a, NULL, "mangle", "PREROUTING", NULL, "isp1", w_set(0x10000, 0xff0000));
	ipt(a, NULL, "mangle", "PREROUTING", NULL, "isp2", w_set(0x20000, 0xff0000));
	iprule(a, 101, 101, 0x10000, 0xff0000);
	iprule(a, 102, 102, 0x20000, 0xff0000);
	judge(a, &f);
	ck_assert_msg(f.n == 0, "%u findings, first: %s", f.n,
		      f.n ? f.v[0].message : "");
	finish(a, &f);
}
END_TEST

/* An exact match on a word another tool adds a bit to does collide. */
START_TEST(test_exact_match)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	const struct audit_finding *g;

	ipt(a, NULL, "mangle", "PREROUTING", NULL, "set", w_set(0x1, 0xff));
	iprule(a, 100, 100, 0x1, UINT32_MAX);
	ipt(a, NULL, "mangle", "VPN-MARK", NULL, "vpn", w_set(0x100, 0x100));
	judge(a, &f);
	g = find(&f, AUDIT_READ_OVERLAP, "ip rules", "chains VPN-*");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nowners, 3);	/* both writers named */
	ck_assert_uint_eq(g->bits, 0x1ff);
	finish(a, &f);
}
END_TEST

/* Owners by comment, by documented bits among a chain's candidates, by
 * ip rule, by a telling whole-word value; the rest grouped. */
START_TEST(test_recognition)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;

	ipt(a, NULL, "mangle", "PREROUTING", "wg-quick(8) rule for wg0",
	    "comment", w_copy(AUDIT_PACKET, UINT32_MAX));
	kube_and_wg(a);
	nft(a, "ip", "wg-quick-wg0", "premangle", "nft",
	    w_copy(AUDIT_PACKET, UINT32_MAX));
	iprule(a, 32765, 51820, 0xca6c, UINT32_MAX);
	ipt(a, NULL, "mangle", "OUTPUT", NULL, "value", w_set(0xca6c, UINT32_MAX));
	ipt(a, NULL, "mangle", "FOO-PRE", NULL, "foo", w_set(0x1, 0x1));
	ipt(a, NULL, "mangle", "FOO-POST", NULL, "foo", w_set(0x1, 0x1));
	nft(a, "inet", "bar", "c", "bar", w_set(0x2, 0x2));
	judge(a, &f);
	ck_assert_uint_eq(owner(a, "wg-quick")->rules, 4);
	ck_assert_str_eq(owner(a, "wg-quick")->why, "comment wg-quick(8) rule for wg0");
	ck_assert_uint_eq(owner(a, "kubelet")->rules, 2);
	ck_assert_str_eq(owner(a, "kubelet")->why, "chain KUBE-MARK-DROP");
	ck_assert_uint_eq(owner(a, "kube-proxy")->rules, 2);
	ck_assert_uint_eq(owner(a, "chains FOO-*")->rules, 2);
	ck_assert_ptr_null(owner(a, "iptables built-in chains"));
	ck_assert_ptr_nonnull(owner(a, "table bar"));
	ck_assert_uint_eq(audit_owner_count(a), 5);
	finish(a, &f);
}
END_TEST

/* The JSON report has the documented keys, and numbers as numbers. */
START_TEST(test_report)
{
	struct audit *a = audit_alloc(owners, NULL);
	struct audit_findings f;
	json_t *j, *x;

	kube_and_wg(a);
	ipt(a, NULL, "mangle", "OUTPUT", NULL, "fwmark",
	    w_set(0xca6c, UINT32_MAX));
	judge(a, &f);
	j = audit_report(a, &f);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "owners")), 3);
	x = json_array_get(json_object_get(j, "findings"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(x, "kind")),
			 "whole-word");
	ck_assert_str_eq(json_string_value(json_object_get(x, "severity")),
			 "high");
	ck_assert(json_is_integer(json_object_get(x, "bits")));
	ck_assert(json_is_array(json_object_get(x, "rules")));
	x = json_object_get(j, "summary");
	ck_assert_int_eq(json_integer_value(json_object_get(x, "findings")),
			 (json_int_t)f.n);
	x = json_array_get(json_object_get(j, "owners"), 0);
	ck_assert(json_is_object(json_object_get(json_object_get(x, "words"),
						 "packet")));
	json_decref(j);
	finish(a, &f);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("findings");

	tcase_add_test(tc, test_kube_wg);
	tcase_add_test(tc, test_calico_tailscale);
	tcase_add_test(tc, test_unmasked_restore);
	tcase_add_test(tc, test_iprule_unset);
	tcase_add_test(tc, test_iprule_through_conntrack);
	tcase_add_test(tc, test_outside_layout);
	tcase_add_test(tc, test_both_backends);
	tcase_add_test(tc, test_both_backends_one_owner);
	tcase_add_test(tc, test_disjoint);
	tcase_add_test(tc, test_single_tool);
	tcase_add_test(tc, test_exact_match);
	tcase_add_test(tc, test_field_values);
	tcase_add_test(tc, test_reader_of_anothers_bit);
	tcase_add_test(tc, test_recognition);
	tcase_add_test(tc, test_report);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	char *path, err[512];
	SRunner *sr;
	int failed;

	if (asprintf(&path, "%s/tests/fixtures/owners", srcdir()) < 0)
		return EXIT_FAILURE;
	owners = owners_load(path, err, sizeof(err));
	free(path);
	if (!owners) {
		fprintf(stderr, "check_audit: %s\n", err);
		return EXIT_FAILURE;
	}
	sr = srunner_create(audit_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	owners_free(owners);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
