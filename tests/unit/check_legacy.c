// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy backend's blob layer: tables built from commands, laid out
 * spliced in place and copied (byte for byte the same), indexed and
 * decoded back, counters mapped as libiptc maps them; and, in throwaway
 * network namespaces, the blobs markctl makes against those
 * iptables-legacy 1.8.9 makes for the same commands (GET_ENTRIES byte for
 * byte), listings and counters included.
 */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "cmd.h"
#include "legacy/legacy.h"
#include "msg.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---------- tables without a kernel ---------- */

static const struct {
	const char *name;
	uint32_t hooks;
} tables[] = {
	{ "filter", 0x0e }, { "mangle", 0x1f }, { "raw", 0x09 },
	{ "nat", 0x1b }, { "security", 0x0e },
};

/* A table as the kernel creates it: a policy per hook, then ERROR. */
static uint8_t *blob_empty(const struct lg_family *f, const char *table,
			   struct lg_info *info)
{
	size_t std = lg_standard_entry_size(f), err = lg_error_entry_size(f);
	uint32_t hooks = 0, off = 0, n = 0;
	uint8_t *e;

	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		if (!strcmp(tables[i].name, table))
			hooks = tables[i].hooks;
	ck_assert_uint_ne(hooks, 0);
	memset(info, 0, sizeof(*info));
	strcpy(info->name, table);
	info->valid_hooks = hooks;
	e = calloc(1, 5 * std + err);
	ck_assert_ptr_nonnull(e);
	for (int h = 0; h < NF_INET_NUMHOOKS; h++) {
		if (!(hooks & (1u << h)))
			continue;
		info->hook_entry[h] = info->underflow[h] = off;
		lg_put_standard(f, e + off, -NF_ACCEPT - 1);
		off += std;
		n++;
	}
	lg_put_error(f, e + off, XT_ERROR_TARGET);
	info->size = off + err;
	info->num_entries = n + 1;
	return e;
}

static struct markctl_ctx test_ctx;

/* Parses "ARGS" as iptables would (legacy backend, no kernel asked). */
static void parse_cmd(uint8_t family, const char *args, struct rule_cmd *cmd)
{
	char *buf = strdup(args), *argv[64], *save = NULL, *tok;
	int argc = 0;

	ck_assert_ptr_nonnull(buf);
	argv[argc++] = "iptables";
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	test_ctx = (struct markctl_ctx){
		.family = family, .progname = "iptables",
		.backend_ops = &legacy_backend_ops, .offline = true,
	};
	plugins_init(&test_ctx, family, parse_getopt_options());
	rule_cmd_init(cmd, family);
	parse_argv(&test_ctx, argc, argv, cmd);
	/* the rule keeps pointers into argv's words only in its blobs */
	free(buf);
}

/* Applies @args to @t; the libiptc errno if refused, else 0. */
static int apply(struct lg_table *t, uint8_t family, const char *args)
{
	struct rule_cmd cmd;
	struct lg_err e;
	int ret;

	parse_cmd(family, args, &cmd);
	ret = lg_cmd_apply(t, &cmd, &e) < 0 ? e.err : 0;
	rule_cmd_release(&cmd);
	return ret;
}

/* Two copies of one table, the same commands applied to both. */
struct twin {
	struct lg_table in_place, copied;
	uint8_t family;
};

static void twin_init(struct twin *tw, uint8_t family, const char *table)
{
	const struct lg_family *f = lg_family_get(family);
	struct lg_info info;
	uint8_t *e = blob_empty(f, table, &info);

	tw->family = family;
	ck_assert_int_eq(lg_table_from_blob(&tw->in_place, f, &info, e), 0);
	ck_assert_int_eq(lg_table_from_blob(&tw->copied, f, &info, e), 0);
	free(e);
	tw->copied.keep_old = true;
}

static void twin_apply(struct twin *tw, const char *args, int want)
{
	ck_assert_int_eq(apply(&tw->in_place, tw->family, args), want);
	ck_assert_int_eq(apply(&tw->copied, tw->family, args), want);
}

/* Writes both; they must agree byte for byte.  Returns whether the one
 * allowed to splice did so in place. */
static bool twin_write(struct twin *tw)
{
	struct lg_table *a = &tw->in_place, *b = &tw->copied;
	bool spliced;

	ck_assert_int_eq(lg_table_layout(a), 0);
	ck_assert_int_eq(lg_table_layout(b), 0);
	ck_assert_int_eq(lg_table_write(a), 0);
	ck_assert_int_eq(lg_table_write(b), 0);
	spliced = a->out == a->buf;
	ck_assert(b->out != b->buf);
	ck_assert_uint_eq(a->new_size, b->new_size);
	ck_assert_uint_eq(a->new_entries, b->new_entries);
	ck_assert_mem_eq(&a->out_info, &b->out_info, sizeof(a->out_info));
	ck_assert_mem_eq(a->out + LG_HDR_ROOM, b->out + LG_HDR_ROOM,
			 a->new_size);
	return spliced;
}

/* The written table read back as a table of its own. */
static void reread(const struct lg_table *w, struct lg_table *t)
{
	ck_assert_int_eq(lg_table_from_blob(t, w->fam, &w->out_info,
					    w->out + LG_HDR_ROOM), 0);
}

static void twin_release(struct twin *tw)
{
	lg_table_release(&tw->in_place);
	lg_table_release(&tw->copied);
}

/* Rule @pos of @chain decoded: its verdict and jump. */
static void expect_rule(struct lg_table *t, const char *chain, uint32_t pos,
			enum rule_verdict v, const char *jump)
{
	const struct lg_chain *c = lg_chain_find(t, chain);
	struct lg_view view;
	struct lg_rpos rp;
	const uint8_t *e;
	struct lg_tclass tc;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(lg_chain_locate(t, c, pos, &rp), 0);
	e = c->pieces[rp.piece].p + rp.off;
	tc = lg_entry_class(t, &c->pieces[rp.piece], e);
	lg_view_init(&view, t->fam->nfproto);
	ck_assert_int_eq(lg_entry_decode(t->fam, e, tc.kind == LG_T_JUMP ?
					 t->chains[tc.value]->name : NULL,
					 tc.kind == LG_T_FALLTHROUGH, &view), 0);
	ck_assert_int_eq(view.rule.verdict, v);
	if (jump)
		ck_assert_str_eq(view.rule.jump, jump);
	lg_view_release(&view);
}

START_TEST(test_empty_index)
{
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct lg_family *f = lg_family_get(NFPROTO_IPV6);
		struct lg_info info;
		uint8_t *e = blob_empty(f, tables[i].name, &info);
		struct lg_bindex ix;
		unsigned int hooks = __builtin_popcount(tables[i].hooks);

		ck_assert_int_eq(lg_blob_index(f, &info, e, &ix), 0);
		ck_assert_uint_eq(ix.nchains, hooks);
		for (unsigned int k = 0; k < ix.nchains; k++) {
			ck_assert_int_ge(ix.chains[k].hook, 0);
			ck_assert_uint_eq(ix.chains[k].nrules, 0);
			ck_assert_uint_eq(ix.chains[k].start, ix.chains[k].end);
		}
		lg_bindex_release(&ix);
		free(e);
	}
}
END_TEST

/* User chains sorted by name, jumps and gotos to their first rule. */
START_TEST(test_chains_and_jumps)
{
	struct twin tw;
	struct lg_table t;

	twin_init(&tw, NFPROTO_IPV4, "filter");
	twin_apply(&tw, "-N zz", 0);
	twin_apply(&tw, "-N B", 0);
	twin_apply(&tw, "-N a1", 0);
	twin_apply(&tw, "-A INPUT -j B", 0);
	twin_apply(&tw, "-A B -p tcp -j zz", 0);
	twin_apply(&tw, "-A zz -j ACCEPT", 0);
	twin_apply(&tw, "-I INPUT 1 -s 192.0.2.0/24 -g a1", 0);
	twin_apply(&tw, "-A OUTPUT -m mark --mark 1", 0);
	twin_apply(&tw, "-A INPUT -j INPUT", EINVAL);
	twin_apply(&tw, "-I INPUT 4 -j DROP", E2BIG);
	twin_apply(&tw, "-N B", EEXIST);
	twin_apply(&tw, "-X B", EMLINK);
	twin_write(&tw);
	reread(&tw.copied, &t);
	ck_assert_uint_eq(t.ix.nchains, 6);
	ck_assert_str_eq(t.ix.chains[3].name, "B");
	ck_assert_str_eq(t.ix.chains[4].name, "a1");
	ck_assert_str_eq(t.ix.chains[5].name, "zz");
	ck_assert_uint_eq(t.ix.chains[3].refs, 1);
	ck_assert_uint_eq(t.ix.chains[4].refs, 1);
	expect_rule(&t, "INPUT", 0, RULE_VERDICT_GOTO, "a1");
	expect_rule(&t, "INPUT", 1, RULE_VERDICT_JUMP, "B");
	expect_rule(&t, "B", 0, RULE_VERDICT_JUMP, "zz");
	expect_rule(&t, "OUTPUT", 0, RULE_VERDICT_NONE, NULL);
	lg_table_release(&t);
	twin_release(&tw);
}
END_TEST

/* One stretch changed: spliced in place, the same bytes as copied. */
START_TEST(test_splice)
{
	static const char *const steps[] = {
		"-A OUTPUT -j MARK --set-mark 9",
		"-I PREROUTING 3 -j RETURN",
		"-D PREROUTING 2",
		"-R PREROUTING 4 -p udp --dport 53 -j ACCEPT",
		"-D PREROUTING -j MARK --set-mark 0x5",
		"-N NEWCHAIN",
		"-F USR",
		"-X GONE",
		"-P FORWARD DROP",
		"-Z",
	};

	for (size_t s = 0; s < ARRAY_SIZE(steps); s++) {
		struct twin tw;
		struct lg_table t;

		twin_init(&tw, NFPROTO_IPV4, "mangle");
		twin_apply(&tw, "-N USR", 0);
		twin_apply(&tw, "-N EMPTY", 0);
		twin_apply(&tw, "-N GONE", 0);
		for (int i = 1; i <= 8; i++) {
			char buf[64];

			snprintf(buf, sizeof(buf),
				 "-A PREROUTING -j MARK --set-mark %d", i);
			twin_apply(&tw, buf, 0);
		}
		twin_apply(&tw, "-A PREROUTING -j USR", 0);
		twin_apply(&tw, "-A USR -j CONNMARK --save-mark", 0);
		twin_apply(&tw, "-A POSTROUTING -g EMPTY", 0);
		/* the table as the kernel would hand it back */
		twin_write(&tw);
		reread(&tw.copied, &t);
		twin_release(&tw);
		tw.family = NFPROTO_IPV4;
		ck_assert_int_eq(lg_table_from_blob(&tw.in_place, t.fam,
						    &t.info, t.buf + LG_HDR_ROOM), 0);
		ck_assert_int_eq(lg_table_from_blob(&tw.copied, t.fam,
						    &t.info, t.buf + LG_HDR_ROOM), 0);
		tw.copied.keep_old = true;
		lg_table_release(&t);

		twin_apply(&tw, steps[s], 0);
		ck_assert_msg(twin_write(&tw), "%s not spliced", steps[s]);
		reread(&tw.in_place, &t);
		expect_rule(&t, "POSTROUTING", 0, RULE_VERDICT_GOTO, "EMPTY");
		lg_table_release(&t);
		twin_release(&tw);
	}
}
END_TEST

/* A rename moves the chain: copied, jumps following it. */
START_TEST(test_rename)
{
	struct twin tw;
	struct lg_table t;

	twin_init(&tw, NFPROTO_IPV6, "raw");
	twin_apply(&tw, "-N A", 0);
	twin_apply(&tw, "-N M", 0);
	twin_apply(&tw, "-A PREROUTING -j A", 0);
	twin_apply(&tw, "-A A -j M", 0);
	twin_apply(&tw, "-E A Z", 0);
	twin_apply(&tw, "-E M PREROUTING", EEXIST);
	twin_apply(&tw, "-E OUTPUT X", ENOENT);
	twin_write(&tw);
	reread(&tw.copied, &t);
	ck_assert_str_eq(t.ix.chains[2].name, "M");
	ck_assert_str_eq(t.ix.chains[3].name, "Z");
	expect_rule(&t, "PREROUTING", 0, RULE_VERDICT_JUMP, "Z");
	expect_rule(&t, "Z", 0, RULE_VERDICT_JUMP, "M");
	lg_table_release(&t);
	twin_release(&tw);
}
END_TEST

/* -D/-C compare as libiptc: masks and all, not the revision. */
START_TEST(test_spec_compare)
{
	struct twin tw;

	twin_init(&tw, NFPROTO_IPV6, "mangle");
	twin_apply(&tw, "-A PREROUTING -s 2001:db8::/32 -j MARK --set-mark 1", 0);
	twin_apply(&tw, "-A PREROUTING -i veth+ -j ACCEPT", 0);
	twin_apply(&tw, "-C PREROUTING -s 2001:db8::/48 -j MARK --set-mark 1",
		   ENOENT);
	twin_apply(&tw, "-C PREROUTING -s 2001:db8::/32 -j MARK --set-mark 1",
		   0);
	twin_apply(&tw, "-C PREROUTING -i veth+ -j ACCEPT", 0);
	twin_apply(&tw, "-C PREROUTING -i veth -j ACCEPT", ENOENT);
	twin_apply(&tw, "-D PREROUTING -i veth+ -j ACCEPT", 0);
	twin_apply(&tw, "-D PREROUTING -i veth+ -j ACCEPT", ENOENT);
	twin_apply(&tw, "-C NOPE -j ACCEPT", ENOENT);
	twin_write(&tw);
	twin_release(&tw);
}
END_TEST

/* libiptc's counter maps: rules keep theirs, policies count from the
 * read, -c and -P -c set, -Z counts from the read. */
START_TEST(test_counters)
{
	const struct lg_family *f = lg_family_get(NFPROTO_IPV4);
	struct xt_counters old[6], *c;
	struct xt_counters_info *ci;
	struct lg_table t, w;
	struct lg_crun *runs;
	unsigned int nruns;
	struct twin tw;

	twin_init(&tw, NFPROTO_IPV4, "filter");
	twin_apply(&tw, "-A INPUT -j ACCEPT", 0);
	twin_apply(&tw, "-A INPUT -j DROP", 0);
	twin_write(&tw);
	reread(&tw.copied, &w);
	twin_release(&tw);
	/* as read: rules 10/100 and 20/200, INPUT's policy 3/30 */
	lg_e_counters(f, w.buf + LG_HDR_ROOM)[0] =
		(struct xt_counters){ 10, 100 };
	c = lg_e_counters(f, w.buf + LG_HDR_ROOM + w.ix.chains[0].end);
	*c = (struct xt_counters){ 3, 30 };
	ck_assert_int_eq(lg_table_from_blob(&t, f, &w.info,
					    w.buf + LG_HDR_ROOM), 0);
	lg_table_release(&w);
	ck_assert_int_eq(apply(&t, NFPROTO_IPV4, "-I INPUT 2 -c 7 70 -j RETURN"), 0);
	ck_assert_int_eq(apply(&t, NFPROTO_IPV4, "-Z INPUT 3"), 0);
	ck_assert_int_eq(apply(&t, NFPROTO_IPV4, "-P OUTPUT DROP -c 5 50"), 0);
	ck_assert_int_eq(lg_table_layout(&t), 0);
	ck_assert_int_eq(lg_table_counters(&t, &ci, &runs, &nruns), 0);
	/* the kernel's final counters of the 6 old entries */
	for (int i = 0; i < 6; i++)
		old[i] = (struct xt_counters){ 100 + i, 1000 + i };
	lg_counters_apply(ci, runs, nruns, old);
	ck_assert_uint_eq(t.new_entries, 7);
	/* rule 1 kept; new rule set; rule 3 zeroed: counted since the read
	 * (0/0 read); INPUT policy counted since the read; FORWARD too;
	 * OUTPUT set */
	ck_assert_uint_eq(ci->counters[0].pcnt, 100);
	ck_assert_uint_eq(ci->counters[1].pcnt, 7);
	ck_assert_uint_eq(ci->counters[1].bcnt, 70);
	ck_assert_uint_eq(ci->counters[2].pcnt, 101);
	ck_assert_uint_eq(ci->counters[3].pcnt, 102 - 3);
	ck_assert_uint_eq(ci->counters[3].bcnt, 1002 - 30);
	ck_assert_uint_eq(ci->counters[4].pcnt, 103);
	ck_assert_uint_eq(ci->counters[5].pcnt, 5);
	ck_assert_uint_eq(ci->counters[5].bcnt, 50);
	ck_assert_uint_eq(ci->counters[6].pcnt, 0);
	free(ci);
	free(runs);
	lg_table_release(&t);
}
END_TEST

/* ---------- against iptables-legacy, in network namespaces ---------- */

/* Commands run through both tools, one sequence per case; each line is
 * "4 ARGS" or "6 ARGS" (family). */
static const char *const sequences[] = {
	/* marks, every form, in every table with their hooks */
	"4 -t mangle -A PREROUTING -m mark --mark 1/0xff -j MARK --set-xmark 2/0xff\n"
	"4 -t mangle -A PREROUTING -j CONNMARK --set-mark 5\n"
	"4 -t mangle -N USR\n"
	"4 -t mangle -N ZZZ\n"
	"4 -t mangle -A PREROUTING -m connmark --mark 5 -j USR\n"
	"4 -t mangle -A PREROUTING -s 192.0.2.0/24 -g USR\n"
	"4 -t mangle -A USR -j CONNMARK --restore-mark\n"
	"4 -t mangle -A USR -j RETURN\n"
	"4 -t mangle -P FORWARD DROP\n"
	"4 -t mangle -I PREROUTING 1 -i veth0 -p tcp --dport 80 -j MARK --set-mark 0x100/0xff\n",
	/* matches from the host's plugins, interfaces, fragments */
	"4 -A INPUT -i veth+ -p udp -m multiport --dports 53,123 -j ACCEPT\n"
	"4 -A INPUT ! -i lo -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT\n"
	"4 -A INPUT -m state --state RELATED -m comment --comment \"two words\"\n"
	"4 -A FORWARD -f -j DROP\n"
	"4 -A FORWARD ! -f -o eth1 ! -p tcp -j DROP\n"
	"4 -A OUTPUT ! -d 198.51.100.0/23 -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff00\n"
	"4 -A FORWARD -i + -j RETURN\n",
	/* edits: insert, replace, delete by number and spec, rename, flush */
	"4 -t raw -N B\n"
	"4 -t raw -N A\n"
	"4 -t raw -A PREROUTING -j A\n"
	"4 -t raw -A PREROUTING -j MARK --set-mark 1\n"
	"4 -t raw -A PREROUTING -j MARK --set-mark 2\n"
	"4 -t raw -I PREROUTING 2 -j B\n"
	"4 -t raw -R PREROUTING 3 -j MARK --set-mark 3\n"
	"4 -t raw -D PREROUTING -j MARK --set-mark 2\n"
	"4 -t raw -A A -j B\n"
	"4 -t raw -E A ZA\n"
	"4 -t raw -D PREROUTING 1\n"
	"4 -t raw -A OUTPUT -j ZA\n"
	"4 -t raw -F B\n"
	"4 -t raw -N EMPTY\n"
	"4 -t raw -X EMPTY\n",
	/* nat and security, policies */
	"4 -t nat -A POSTROUTING -m mark --mark 1 -j RETURN\n"
	"4 -t nat -A OUTPUT -p tcp -j REDIRECT --to-ports 8080\n"
	"4 -t security -A INPUT -j CONNMARK --save-mark\n"
	"4 -t security -P OUTPUT DROP\n"
	"4 -t security -P OUTPUT ACCEPT\n",
	/* IPv6 */
	"6 -t mangle -A PREROUTING -s 2001:db8::/32 -d 2001:db8:1::7 -j MARK --and-mark 0xf0\n"
	"6 -t mangle -A PREROUTING ! -s 2001:db8:8000::/33 -p udp -j MARK --or-mark 3\n"
	"6 -t mangle -N M6\n"
	"6 -t mangle -A PREROUTING -p ipv6-icmp -g M6\n"
	"6 -t mangle -A M6 -m mark ! --mark 5/0xff -j CONNMARK --save-mark --right-shift-mark 8\n"
	"6 -t mangle -I M6 1 -o eth1 -j DROP\n"
	"6 -A INPUT -p tcp ! --dport 22 -m connmark ! --mark 0/0xff -j ACCEPT\n"
	"6 -t mangle -D PREROUTING 1\n",
};

static bool in_fresh_netns(void)
{
	return unshare(CLONE_NEWNET) == 0;
}

/* Runs each line of @seq with @tool ("iptables-legacy" or markctl). */
static void run_sequence(const char *seq, bool markctl)
{
	const char *m = getenv("MARKCTL");
	char *copy = strdup(seq), *save = NULL, *line;
	char cmd[1024];

	ck_assert_ptr_nonnull(m);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool six = line[0] == '6';

		if (markctl)
			snprintf(cmd, sizeof(cmd),
				 "%s --backend legacy %s %s >/dev/null 2>&1",
				 m, six ? "-6" : "", line + 2);
		else
			snprintf(cmd, sizeof(cmd),
				 "ip%stables-legacy %s >/dev/null 2>&1",
				 six ? "6" : "", line + 2);
		ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
	}
	free(copy);
}

/* The raw blob of @table (its GET_INFO, then GET_ENTRIES). */
static uint8_t *dump(uint8_t family, const char *table, struct lg_info *info)
{
	struct lg_sock s = { .fam = lg_family_get(family), .fd = -1 };
	uint8_t *buf;

	ck_assert_int_eq(lg_get_info(&s, table, info), 0);
	buf = calloc(1, LG_HDR_ROOM + info->size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(lg_get_entries(&s, info, buf), 0);
	lg_sock_close(&s);
	return buf;
}

/* Every table of both families, in the order /proc lists them. */
static char *state(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	for (uint8_t fam = NFPROTO_IPV4; fam <= NFPROTO_IPV6;
	     fam = fam == NFPROTO_IPV4 ? NFPROTO_IPV6 : 255) {
		FILE *n = fopen(lg_family_get(fam)->names_path, "r");
		char name[64];

		while (n && fgets(name, sizeof(name), n)) {
			struct lg_info info;
			uint8_t *b;

			name[strcspn(name, "\n")] = '\0';
			b = dump(fam, name, &info);
			fprintf(f, "%u %s %u %u %x", fam, name, info.size,
				info.num_entries, info.valid_hooks);
			for (int h = 0; h < NF_INET_NUMHOOKS; h++)
				fprintf(f, " %u/%u", info.hook_entry[h],
					info.underflow[h]);
			fputc('\n', f);
			for (uint32_t i = 0; i < info.size; i++)
				fprintf(f, "%02x%s", b[LG_HDR_ROOM + i],
					i % 32 == 31 ? "\n" : "");
			fputc('\n', f);
			free(b);
		}
		if (n)
			fclose(n);
	}
	fclose(f);
	return out;
}

START_TEST(test_same_blobs)
{
	char *ref, *ours;

	ck_assert(in_fresh_netns());
	run_sequence(sequences[_i], false);
	ref = state();
	ck_assert(in_fresh_netns());
	run_sequence(sequences[_i], true);
	ours = state();
	ck_assert_str_eq(ours, ref);
	free(ref);
	free(ours);
}
END_TEST

/* Counters through edits: -c, -P -c, -Z, as libiptc maps them. */
START_TEST(test_same_counters)
{
	static const char *const seq =
		"4 -A INPUT -c 5 500 -j ACCEPT\n"
		"4 -A INPUT -c 6 600 -j DROP\n"
		"4 -P OUTPUT DROP -c 7 700\n"
		"4 -I INPUT 1 -c 1 100 -j RETURN\n"
		"4 -Z INPUT 3\n"
		"4 -A FORWARD -c 9 900\n"
		"4 -D INPUT 1\n"
		"6 -A OUTPUT -c 8 800 -j ACCEPT\n"
		"6 -I OUTPUT -c 2 200 -j ACCEPT\n";
	const char *m = getenv("MARKCTL");
	char cmd[512];
	char *ref, *ours;
	FILE *p;
	size_t n;

	ck_assert_ptr_nonnull(m);
	ref = calloc(1, 65536);
	ours = calloc(1, 65536);
	ck_assert(in_fresh_netns());
	run_sequence(seq, false);
	p = popen("iptables-legacy -L -v -x -n; ip6tables-legacy -L -v -x -n", "r");
	n = fread(ref, 1, 65535, p);
	pclose(p);
	ck_assert_uint_gt(n, 0);
	ck_assert(in_fresh_netns());
	run_sequence(seq, true);
	snprintf(cmd, sizeof(cmd), "%s --backend legacy -L -v -x -n; "
		 "%s --backend legacy -6 -L -v -x -n", m, m);
	p = popen(cmd, "r");
	n = fread(ours, 1, 65535, p);
	pclose(p);
	ck_assert_str_eq(ours, ref);
	free(ref);
	free(ours);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("legacy");
	TCase *tc = tcase_create("blob");
	TCase *tk = tcase_create("kernel");
	bool root = geteuid() == 0 && getenv("MARKCTL");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_empty_index);
	tcase_add_test(tc, test_chains_and_jumps);
	tcase_add_test(tc, test_splice);
	tcase_add_test(tc, test_rename);
	tcase_add_test(tc, test_spec_compare);
	tcase_add_test(tc, test_counters);
	suite_add_tcase(s, tc);
	/* each case in a child, in network namespaces of its own */
	tcase_add_loop_test(tk, test_same_blobs, 0, ARRAY_SIZE(sequences));
	tcase_add_test(tk, test_same_counters);
	tcase_set_timeout(tk, 60);
	if (root)
		suite_add_tcase(s, tk);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
