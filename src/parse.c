// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptables command line -> struct rule_cmd.
 *
 * One table describes every option: long name, letter, the flag iptables
 * tracks it under, the inversion bit "!" sets, the commands accepting it
 * (iptables' options_v_commands) and a handler.  getopt_long walks argv
 * with that table plus the options of the extensions loaded so far; the
 * checks iptables makes after its loop run afterwards, in its order, so
 * the first error reported is the one iptables reports.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend.h"
#include "msg.h"
#include "parse.h"
#include "plugins.h"
#include "restore.h"
#include "util.h"
#include "xtopts.h"

/* Options iptables tracks, in the order of its optflags letters. */
enum {
	F_NUMERIC	= 1 << 0,
	F_SOURCE	= 1 << 1,
	F_DEST		= 1 << 2,
	F_PROTO		= 1 << 3,
	F_JUMP		= 1 << 4,
	F_VERBOSE	= 1 << 5,
	F_EXACT		= 1 << 6,
	F_IN		= 1 << 7,
	F_OUT		= 1 << 8,
	F_LINENUM	= 1 << 9,
	F_COUNTERS	= 1 << 10,
	F_FRAG		= 1 << 11,
};
static const char flag_letters[] = "nsdpjvxio0cf";

#define CMDS_ALL	(~0u)

/* Command letters in iptables' bit order: "Cannot use -X with -Y" names
 * the highest one already given. */
static const struct {
	unsigned int cmd;
	char letter;
} cmd_letters[] = {
	{ RULE_CMD_INSERT, 'I' }, { RULE_CMD_DELETE, 'D' },
	{ RULE_CMD_DELETE_NUM, 'D' }, { RULE_CMD_REPLACE, 'R' },
	{ RULE_CMD_APPEND, 'A' }, { RULE_CMD_LIST, 'L' },
	{ RULE_CMD_FLUSH, 'F' }, { RULE_CMD_ZERO, 'Z' },
	{ RULE_CMD_NEW_CHAIN, 'N' }, { RULE_CMD_DELETE_CHAIN, 'X' },
	{ RULE_CMD_SET_POLICY, 'P' }, { RULE_CMD_RENAME_CHAIN, 'E' },
	{ RULE_CMD_LIST_RULES, 'S' }, { RULE_CMD_ZERO_NUM, 'Z' },
	{ RULE_CMD_CHECK, 'C' },
};

/* -s/-d may name several addresses (a,b or a host with several): kept
 * here, the first pair goes into the rule, parse_argv_pairs() makes a
 * rule of each further pair as iptables-nft does. */
struct addr_list {
	void *addrs, *masks;		/* in_addr or in6_addr arrays */
	unsigned int n;
};

struct parse_state {
	struct rule_cmd *cmd;
	struct rule *rule;
	struct rule_ipview sel;		/* of @rule */
	int argc;
	char **argv;
	int c;				/* current getopt result */
	bool invert;			/* "!" seen, not yet consumed */
	unsigned int options;		/* F_* */
	unsigned int verbose;
	const char *chain, *newname, *policy, *table;
	const char *saddr, *daddr;
	char protocol[64];		/* -p, lower case; empty if none */
	bool proto_used;
	struct xtables_rule_match *matches;
	struct xtables_target *target;
	const char *jumpto;
	bool wait_interval;
	bool stop;			/* -h, -V, or a line restore ignores */
	struct addr_list sl, dl;	/* -s, -d */
	bool offline;			/* translate: no kernel rule is built */
	bool dropin;			/* an iptables name: iptables' options only */
	bool libiptc;			/* BACKEND_LIBIPTC */
	struct rule_pairs *pairs;	/* parse_argv_pairs' other pairs */
	const struct backend_ops *ops;	/* asked what it refuses */
	const struct restore_chainset *announced;	/* ctx's */
};

struct cli_option {
	const char *name;
	int val;			/* short letter, or a non-letter id */
	int has_arg;
	unsigned int flag;		/* F_*, 0 if not tracked */
	uint8_t invflag;		/* set by "!"; 0: "!" refused */
	unsigned int commands;		/* commands accepting a tracked flag */
	unsigned int cmd;		/* for command letters: RULE_CMD_* */
	unsigned int othercmds;		/* commands it combines with */
	/* "!" before it: this message, or NULL (handled by flag or ignored) */
	const char *noinvert;
	void (*handle)(struct parse_state *st, const struct cli_option *o,
		       const char *arg);
};

#define PDIE(...) msg_die(PARAMETER_PROBLEM, __VA_ARGS__)

static void h_command(struct parse_state *st, const struct cli_option *o,
		      const char *arg);
static void h_new_chain(struct parse_state *st, const struct cli_option *o,
			const char *arg);
static void h_flag(struct parse_state *st, const struct cli_option *o,
		   const char *arg);
static void h_address(struct parse_state *st, const struct cli_option *o,
		      const char *arg);
static void h_protocol(struct parse_state *st, const struct cli_option *o,
		       const char *arg);
static void h_iface(struct parse_state *st, const struct cli_option *o,
		    const char *arg);
static void h_fragment(struct parse_state *st, const struct cli_option *o,
		       const char *arg);
static void h_jump(struct parse_state *st, const struct cli_option *o,
		   const char *arg);
static void h_match(struct parse_state *st, const struct cli_option *o,
		    const char *arg);
static void h_table(struct parse_state *st, const struct cli_option *o,
		    const char *arg);
static void h_verbose(struct parse_state *st, const struct cli_option *o,
		      const char *arg);
static void h_counters(struct parse_state *st, const struct cli_option *o,
		       const char *arg);
static void h_wait(struct parse_state *st, const struct cli_option *o,
		   const char *arg);
static void h_wait_interval(struct parse_state *st,
			    const struct cli_option *o, const char *arg);
static void h_ignore(struct parse_state *st, const struct cli_option *o,
		     const char *arg);
static void h_version(struct parse_state *st, const struct cli_option *o,
		      const char *arg);
static void h_help(struct parse_state *st, const struct cli_option *o,
		   const char *arg);
static void h_family(struct parse_state *st, const struct cli_option *o,
		     const char *arg);
static void h_names(struct parse_state *st, const struct cli_option *o,
		    const char *arg);

#define CMD(n, l, a, c, oc, h) \
	{ .name = n, .val = l, .has_arg = a, .cmd = c, .othercmds = oc, \
	  .noinvert = "unexpected '!' flag", .handle = h }
#define SEL(n, l, a, f, inv, h) \
	{ .name = n, .val = l, .has_arg = a, .flag = f, .invflag = inv, \
	  .commands = RULE_CMDS_SPEC, .handle = h }
#define LISTFLAG(n, l, f) \
	{ .name = n, .val = l, .has_arg = no_argument, .flag = f, \
	  .commands = RULE_CMD_LIST, .handle = h_flag }

/* Values from V_LONG_ONLY up have no short form. */
enum { V_LINENUM = '0', V_MODPROBE = 'M', V_LONG_ONLY = 128, V_NAMES };

static const struct cli_option cli_options[] = {
	CMD("append", 'A', required_argument, RULE_CMD_APPEND, 0, h_command),
	CMD("delete", 'D', required_argument, RULE_CMD_DELETE, 0, h_command),
	CMD("check", 'C', required_argument, RULE_CMD_CHECK, 0, h_command),
	CMD("insert", 'I', required_argument, RULE_CMD_INSERT, 0, h_command),
	CMD("replace", 'R', required_argument, RULE_CMD_REPLACE, 0, h_command),
	CMD("list", 'L', optional_argument, RULE_CMD_LIST,
	    RULE_CMD_ZERO | RULE_CMD_ZERO_NUM, h_command),
	CMD("list-rules", 'S', optional_argument, RULE_CMD_LIST_RULES,
	    RULE_CMD_ZERO | RULE_CMD_ZERO_NUM, h_command),
	CMD("flush", 'F', optional_argument, RULE_CMD_FLUSH, 0, h_command),
	CMD("zero", 'Z', optional_argument, RULE_CMD_ZERO,
	    RULE_CMD_LIST | RULE_CMD_LIST_RULES, h_command),
	CMD("new-chain", 'N', required_argument, RULE_CMD_NEW_CHAIN, 0,
	    h_new_chain),
	CMD("delete-chain", 'X', optional_argument, RULE_CMD_DELETE_CHAIN, 0,
	    h_command),
	CMD("rename-chain", 'E', required_argument, RULE_CMD_RENAME_CHAIN, 0,
	    h_command),
	CMD("policy", 'P', required_argument, RULE_CMD_SET_POLICY, 0,
	    h_command),
	SEL("source", 's', required_argument, F_SOURCE, IPT_INV_SRCIP,
	    h_address),
	SEL("destination", 'd', required_argument, F_DEST, IPT_INV_DSTIP,
	    h_address),
	SEL("src", 's', required_argument, F_SOURCE, IPT_INV_SRCIP, h_address),
	SEL("dst", 'd', required_argument, F_DEST, IPT_INV_DSTIP, h_address),
	SEL("protocol", 'p', required_argument, F_PROTO, XT_INV_PROTO,
	    h_protocol),
	SEL("in-interface", 'i', required_argument, F_IN, IPT_INV_VIA_IN,
	    h_iface),
	SEL("out-interface", 'o', required_argument, F_OUT, IPT_INV_VIA_OUT,
	    h_iface),
	SEL("fragments", 'f', no_argument, F_FRAG, IPT_INV_FRAG, h_fragment),
	SEL("jump", 'j', required_argument, F_JUMP, 0, h_jump),
	SEL("goto", 'g', required_argument, F_JUMP, 0, h_jump),
	{ .name = "match", .val = 'm', .has_arg = required_argument,
	  .noinvert = "unexpected ! flag before --match", .handle = h_match },
	{ .name = "table", .val = 't', .has_arg = required_argument,
	  .noinvert = "unexpected ! flag before --table", .handle = h_table },
	LISTFLAG("numeric", 'n', F_NUMERIC),
	LISTFLAG("exact", 'x', F_EXACT),
	LISTFLAG("line-numbers", V_LINENUM, F_LINENUM),
	{ .name = "verbose", .val = 'v', .has_arg = no_argument,
	  .flag = F_VERBOSE, .commands = CMDS_ALL, .handle = h_verbose },
	{ .name = "set-counters", .val = 'c', .has_arg = required_argument,
	  .flag = F_COUNTERS, .commands = RULE_CMD_INSERT | RULE_CMD_REPLACE |
	  RULE_CMD_APPEND | RULE_CMD_SET_POLICY, .handle = h_counters },
	{ .name = "wait", .val = 'w', .has_arg = optional_argument,
	  .handle = h_wait },
	{ .name = "wait-interval", .val = 'W', .has_arg = optional_argument,
	  .handle = h_wait_interval },
	{ .name = "modprobe", .val = V_MODPROBE, .has_arg = required_argument,
	  .handle = h_ignore },
	{ .name = "version", .val = 'V', .has_arg = no_argument,
	  .handle = h_version },
	{ .name = "help", .val = 'h', .has_arg = optional_argument,
	  .handle = h_help },
	{ .name = "ipv4", .val = '4', .has_arg = no_argument,
	  .handle = h_family },
	{ .name = "ipv6", .val = '6', .has_arg = no_argument,
	  .handle = h_family },
	{ .name = "names", .val = V_NAMES, .has_arg = no_argument,
	  .handle = h_names },
};

#define N_OPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))

/* Built once from cli_options; libxtables keeps pointing at it. */
static struct option getopt_options[N_OPTIONS + 1];
static char optstring[2 * N_OPTIONS + 4];
/* getopt's value -> the first cli_option with it; extension options'
 * values (option_offset and up) are all >= 256 */
static const struct cli_option *by_val[256];
/* Initialised, so in .data, whose page is touched already: testing it
 * does not map the page of the tables before they are written. */
static bool tables_unbuilt = true;

static void build_getopt_tables(void)
{
	char *p = optstring;

	/* '-': words in order (for "!"); ':': report missing arguments */
	*p++ = '-';
	*p++ = ':';
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct cli_option *o = &cli_options[i];

		getopt_options[i] = (struct option){
			o->name, o->has_arg, NULL, o->val
		};
		if (!by_val[o->val])
			by_val[o->val] = o;
		if (o->val == V_LINENUM || o->val >= V_LONG_ONLY ||
		    strchr(optstring, o->val))
			continue;	/* long only, or a synonym */
		*p++ = o->val;
		if (o->has_arg != no_argument)
			*p++ = ':';
		if (o->has_arg == optional_argument)
			*p++ = ':';
	}
	*p = '\0';
	tables_unbuilt = false;
}

struct option *parse_getopt_options(void)
{
	if (tables_unbuilt)
		build_getopt_tables();
	return getopt_options;
}

static const struct cli_option *cli_lookup(int val)
{
	return val >= 0 && val < 256 ? by_val[val] : NULL;
}

uint8_t parse_family(const struct markctl_ctx *ctx, int argc, char **argv)
{
	uint8_t family = ctx->family;

	if (ctx->dropin)
		return family;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-4") || !strcmp(argv[i], "--ipv4"))
			family = NFPROTO_IPV4;
		else if (!strcmp(argv[i], "-6") || !strcmp(argv[i], "--ipv6"))
			family = NFPROTO_IPV6;
	}
	return family;
}

static bool is_ipv6(const struct parse_state *st)
{
	return st->cmd->family == NFPROTO_IPV6;
}


/* ---- helpers shared by handlers ---- */

/* iptables' xs_has_arg: the next word is an optional argument */
static const char *next_word(struct parse_state *st)
{
	const char *w;

	if (optind >= st->argc)
		return NULL;
	w = st->argv[optind];
	if (w[0] == '-' || w[0] == '!')
		return NULL;
	optind++;
	return w;
}

static unsigned int parse_rulenum(const char *s)
{
	unsigned int n;

	if (!xtables_strtoui(s, NULL, &n, 1, INT_MAX))
		PDIE("Invalid rule number `%s'", s);
	return n;
}

static char flag_letter(unsigned int flag)
{
	return flag_letters[__builtin_ctz(flag)];
}

/* iptables' set_option: once only, "!" where the option allows it */
static void set_option(struct parse_state *st, const struct cli_option *o)
{
	if (st->options & o->flag)
		PDIE("multiple -%c flags not allowed", flag_letter(o->flag));
	st->options |= o->flag;
	if (!st->invert)
		return;
	if (!o->invflag)
		PDIE("cannot have ! before -%c", flag_letter(o->flag));
	*st->sel.invflags |= o->invflag;
}

/* iptables names the highest bit of its order */
static char cmd_letter(unsigned int cmds)
{
	for (size_t i = sizeof(cmd_letters) / sizeof(cmd_letters[0]); i-- > 0;)
		if (cmds & cmd_letters[i].cmd)
			return cmd_letters[i].letter;
	return '?';
}

static void add_command(struct parse_state *st, const struct cli_option *o)
{
	unsigned int given = st->cmd->command & ~o->othercmds;

	if (given)
		PDIE("Cannot use -%c with -%c", o->val, cmd_letter(given));
	st->cmd->command |= o->cmd;
}

/* ---- command handlers ---- */

/* Arguments after the chain, per command, as iptables reads them. */
static void command_args(struct parse_state *st, unsigned int cmd)
{
	const char *w;

	switch (cmd) {
	case RULE_CMD_DELETE:
		if ((w = next_word(st))) {
			st->cmd->rulenum = parse_rulenum(w);
			st->cmd->command = RULE_CMD_DELETE_NUM;
		}
		break;
	case RULE_CMD_INSERT:
		w = next_word(st);
		st->cmd->rulenum = w ? parse_rulenum(w) : 1;
		break;
	case RULE_CMD_REPLACE:
		if (!(w = next_word(st)))
			PDIE("-R requires a rule number");
		st->cmd->rulenum = parse_rulenum(w);
		break;
	case RULE_CMD_LIST:
	case RULE_CMD_LIST_RULES:
		if ((w = next_word(st)))
			st->cmd->rulenum = parse_rulenum(w);
		break;
	case RULE_CMD_ZERO:
		if ((w = next_word(st))) {
			st->cmd->rulenum = parse_rulenum(w);
			st->cmd->command = RULE_CMD_ZERO_NUM;
		}
		break;
	case RULE_CMD_RENAME_CHAIN:
		if (!(st->newname = next_word(st)))
			PDIE("-E requires old-chain-name and new-chain-name");
		break;
	case RULE_CMD_SET_POLICY:
		if (!(st->policy = next_word(st)))
			PDIE("-P requires a chain and a policy");
		break;
	}
}

static void h_command(struct parse_state *st, const struct cli_option *o,
		      const char *arg)
{
	const char *w;

	add_command(st, o);
	/* optional chain: attached (-LINPUT) or the next plain word */
	if (arg)
		st->chain = arg;
	else if (o->has_arg == optional_argument && (w = next_word(st)))
		st->chain = w;
	command_args(st, o->cmd);
}

static void h_new_chain(struct parse_state *st, const struct cli_option *o,
			const char *arg)
{
	add_command(st, o);
	if (arg[0] == '-' || arg[0] == '!')
		PDIE("chain name not allowed to start with `%c'", arg[0]);
	if (rule_verdict_from_name(arg) != RULE_VERDICT_NONE ||
	    xtables_find_target(arg, XTF_TRY_LOAD))
		PDIE("chain name may not clash with target name");
	for (const char *p = arg; *p; p++)
		if (isspace((unsigned char)*p))
			PDIE("Invalid chain name `%s'", arg);
	st->chain = arg;
}

/* ---- selector handlers ---- */

static void h_flag(struct parse_state *st, const struct cli_option *o,
		   const char *arg)
{
	static const struct {
		unsigned int flag, list;
	} map[] = {
		{ F_NUMERIC, RULE_LIST_NUMERIC },
		{ F_EXACT, RULE_LIST_EXACT },
		{ F_LINENUM, RULE_LIST_LINE_NUMBERS },
	};

	(void)arg;
	set_option(st, o);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].flag == o->flag)
			st->cmd->list_flags |= map[i].list;
}

static void h_verbose(struct parse_state *st, const struct cli_option *o,
		      const char *arg)
{
	(void)arg;
	if (!st->verbose)
		set_option(st, o);
	st->verbose++;
	st->cmd->list_flags |= RULE_LIST_VERBOSE;
}

/* iptables 1.8.9 takes -s -d -p -i -o -j values from argv[optind - 1]:
 * the whole word when attached ("-sa" is host "-sa", "--jump=X" chain). */
static const char *whole_word(const struct parse_state *st)
{
	return st->argv[optind - 1];
}

static void h_address(struct parse_state *st, const struct cli_option *o,
		      const char *arg)
{
	arg = whole_word(st);
	set_option(st, o);
	if (o->flag == F_SOURCE)
		st->saddr = arg;
	else
		st->daddr = arg;
}

/* IPv6 extension headers: -p never sees them, ip6tables warns. */
static bool is_exthdr(uint16_t proto)
{
	return proto == IPPROTO_ROUTING || proto == IPPROTO_FRAGMENT ||
	       proto == IPPROTO_AH || proto == IPPROTO_DSTOPTS;
}

static void h_protocol(struct parse_state *st, const struct cli_option *o,
		       const char *arg)
{
	size_t i;

	arg = whole_word(st);
	set_option(st, o);
	for (i = 0; i < sizeof(st->protocol) - 1 && arg[i]; i++)
		st->protocol[i] = tolower((unsigned char)arg[i]);
	st->protocol[i] = '\0';
	*st->sel.proto = xtables_parse_protocol(st->protocol);
	if (*st->sel.proto == 0 && (*st->sel.invflags & XT_INV_PROTO))
		PDIE("rule would never match protocol");
	if (*st->sel.proto)
		*st->sel.flags |= st->sel.proto_flag;
	if (is_ipv6(st) && is_exthdr(*st->sel.proto) &&
	    !(*st->sel.invflags & XT_INV_PROTO))
		fprintf(stderr, "Warning: never matched protocol: %s. "
			"use extension match instead.\n", st->protocol);
}

static void h_iface(struct parse_state *st, const struct cli_option *o,
		    const char *arg)
{
	if (arg[0] == '\0')
		PDIE("Empty interface is likely to be undesired");
	arg = whole_word(st);
	set_option(st, o);
	if (o->flag == F_IN)
		xtables_parse_interface(arg, st->sel.iniface, st->sel.iniface_mask);
	else
		xtables_parse_interface(arg, st->sel.outiface,
					st->sel.outiface_mask);
}

static void h_fragment(struct parse_state *st, const struct cli_option *o,
		       const char *arg)
{
	(void)arg;
	if (is_ipv6(st))
		PDIE("`-f' is not supported in IPv6, use -m frag instead");
	set_option(st, o);
	*st->sel.flags |= IPT_F_FRAG;
}

static void h_counters(struct parse_state *st, const struct cli_option *o,
		       const char *arg)
{
	struct xt_counters *c = rule_counters(st->rule);
	/* "P,B" ("" has nothing after its NUL; 1.8.9 reads on past it) */
	const char *bytes = arg[0] ? strchr(arg + 1, ',') : NULL;

	set_option(st, o);
	if (bytes)
		bytes++;
	else
		bytes = next_word(st);
	if (!bytes)
		PDIE("-c requires packet and byte counter");
	if (sscanf(arg, "%llu", (unsigned long long *)&c->pcnt) != 1)
		PDIE("-c packet counter not numeric");
	if (sscanf(bytes, "%llu", (unsigned long long *)&c->bcnt) != 1)
		PDIE("-c byte counter not numeric");
	/* ip6tables-nft 1.8.9 checks them, then adds the rule with 0 0 */
	if (is_ipv6(st) && !st->libiptc)
		memset(c, 0, sizeof(*c));
	/* -P accepts -c, but iptables-nft 1.8.9 resets policy counters to
	 * 0 0 anyway; only restore's [p:b] sets them.  libiptc sets them
	 * (parse_run). */
}

/* ---- extensions ---- */

/* A fresh blob for @m, as iptables' command_match/load_proto do. */
static void match_prepare(struct xtables_match *m)
{
	size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + m->size;
	const char *name = m->real_name ? m->real_name : m->name;

	free(m->m);
	m->m = xtables_calloc(1, size);
	m->m->u.match_size = size;
	util_strlcpy(m->m->u.user.name, name, sizeof(m->m->u.user.name));
	m->m->u.user.revision = m->revision;
	m->mflags = 0;
	if (m->udata_size) {
		free(m->udata);
		m->udata = xtables_calloc(1, m->udata_size);
	}
	if (m->init)
		m->init(m->m);
	if (m->real_name && !(m->ext_flags & XTABLES_EXT_ALIAS))
		fprintf(stderr, "Notice: the %s match is converted into %s "
			"match in rule listing and saving.\n",
			m->name, m->real_name);
}

static void h_match(struct parse_state *st, const struct cli_option *o,
		    const char *arg)
{
	struct xtables_match *m;

	(void)o;
	m = xtables_find_match(arg, XTF_LOAD_MUST_SUCCEED, &st->matches);
	/* a clone is a copy: its blob pointer is the original's, not its own */
	if (m == m->next)
		m->m = NULL;
	match_prepare(m);
	/* a clone (second use of a match) shares the original's options */
	if (m != m->next)
		xtopts_merge(&m->option_offset, m->x6_options,
				      m->extra_opts);
}

/* iptables' xt_parse_target */
static const char *check_target_name(const char *name)
{
	if (name[0] == '\0')
		PDIE("Invalid target name (too short)");
	if (strlen(name) >= XT_EXTENSION_MAXNAMELEN)
		PDIE("Invalid target name `%s' (%u chars max)", name,
		     XT_EXTENSION_MAXNAMELEN - 1);
	for (const char *p = name; *p; p++)
		if (isspace((unsigned char)*p))
			PDIE("Invalid target name `%s'", name);
	return name;
}

static void load_target(struct parse_state *st, const char *name)
{
	struct xtables_target *t = xtables_find_target(name, XTF_TRY_LOAD);
	size_t size;

	if (!t)
		return;		/* a user chain */
	size = XT_ALIGN(sizeof(struct xt_entry_target)) + t->size;
	free(t->t);
	t->t = xtables_calloc(1, size);
	t->t->u.target_size = size;
	util_strlcpy(t->t->u.user.name, t->real_name ? t->real_name : name,
		     sizeof(t->t->u.user.name));
	t->t->u.user.revision = t->revision;
	t->tflags = 0;
	if (t->udata_size) {
		free(t->udata);
		t->udata = xtables_calloc(1, t->udata_size);
	}
	if (t->init)
		t->init(t->t);
	xtopts_merge(&t->option_offset, t->x6_options,
			      t->extra_opts);
	st->target = t;
}

static void h_jump(struct parse_state *st, const struct cli_option *o,
		   const char *arg)
{
	if (o->val == 'j')
		arg = whole_word(st);
	set_option(st, o);
	st->jumpto = check_target_name(arg);
	if (o->val == 'g') {
		*st->sel.flags |= st->sel.goto_flag;
		rule_set_verdict(st->rule, RULE_VERDICT_GOTO, arg);
		return;
	}
	if (rule_verdict_from_name(arg) != RULE_VERDICT_NONE) {
		rule_set_verdict(st->rule, rule_verdict_from_name(arg), NULL);
		return;
	}
	if (st->announced && restore_chainset_has(st->announced, arg)) {
		rule_set_verdict(st->rule, RULE_VERDICT_JUMP, arg);
		return;
	}
	load_target(st, arg);
	if (!st->target)
		rule_set_verdict(st->rule, RULE_VERDICT_JUMP, arg);
}

static const char *proto_name(unsigned int proto, bool numeric)
{
	const struct protoent *pent;

	if (!numeric && (pent = getprotobynumber(proto)))
		return pent->p_name;
	for (unsigned int i = 0; xtables_chain_protos[i].name; i++)
		if (xtables_chain_protos[i].num == proto)
			return xtables_chain_protos[i].name;
	return NULL;
}

static struct xtables_match *find_proto(struct parse_state *st,
					enum xtables_tryload tryload,
					struct xtables_rule_match **list)
{
	const char *name = st->protocol;
	unsigned int num;

	if (!name[0])
		return NULL;
	if (xtables_strtoui(name, NULL, &num, 0, UINT8_MAX))
		name = proto_name(num, st->options & F_NUMERIC);
	return name ? xtables_find_match(name, tryload, list) : NULL;
}

/* -p tcp --dport 80: the protocol's match loads on its first unknown
 * option, as in iptables' load_proto. */
static bool load_proto(struct parse_state *st)
{
	struct xtables_match *m;

	/* iptables also probes with XTF_DONT_LOAD first; that only
	 * matters when proto_used is set, and the probe clones (leaks) a
	 * match already in use. */
	if (!st->protocol[0] || st->proto_used)
		return false;
	m = find_proto(st, XTF_TRY_LOAD, &st->matches);
	if (!m)
		return false;
	st->proto_used = true;
	/* -m tcp before: a clone, whose blob pointer is the original's */
	if (m == m->next)
		m->m = NULL;
	match_prepare(m);
	if (m != m->next)
		xtopts_merge(&m->option_offset, m->x6_options,
				      m->extra_opts);
	return true;
}

/* Each extension's options get 256 getopt values from its offset (libxtables'
 * merge step, iptables' XT_OPTION_OFFSET_SCALE). */
#define OPTION_OFFSET_SCALE 256

static bool in_range(int c, unsigned int offset)
{
	return c >= (int)offset && c < (int)offset + OPTION_OFFSET_SCALE;
}

/* An option no CLI entry knows: the target's, a match's, or the reason
 * to load the protocol match.  Returns true to re-read the same word. */
static bool parse_extension_option(struct parse_state *st)
{
	struct xtables_target *t = st->target;
	void *entry = rule_entry(st->rule);

	if (t && (t->parse || t->x6_parse) && in_range(st->c, t->option_offset)) {
		xtables_option_tpcall(st->c, st->argv, st->invert, t, entry);
		return false;
	}
	for (struct xtables_rule_match *l = st->matches; l; l = l->next) {
		struct xtables_match *m = l->match;

		if (l->completed || (!m->parse && !m->x6_parse) ||
		    !in_range(st->c, m->option_offset))
			continue;
		xtables_option_mpcall(st->c, st->argv, st->invert, m, entry);
		return false;
	}
	if (load_proto(st)) {
		optind--;
		return true;
	}
	if (st->c == ':')
		PDIE("option \"%s\" requires an argument", st->argv[optind - 1]);
	if (st->c == '?')
		PDIE("unknown option \"%s\"", st->argv[optind - 1]);
	PDIE("Unknown arg \"%s\"", optarg);
}

/* ---- the rest ---- */

static void h_table(struct parse_state *st, const struct cli_option *o,
		    const char *arg)
{
	(void)o;
	if (st->cmd->from_restore && st->table)
		PDIE("The -t option cannot be used in %s.\n", msg_progname());
	st->table = arg;
}

static void h_wait(struct parse_state *st, const struct cli_option *o,
		   const char *arg)
{
	int wait = -1;

	(void)o;
	if (st->cmd->from_restore)
		PDIE("You cannot use `-w' from iptables-restore");
	if (!arg)
		arg = next_word(st);
	if (arg && sscanf(arg, "%i", &wait) != 1)
		PDIE("wait seconds not numeric");
	st->cmd->wait = wait;
}

static void h_wait_interval(struct parse_state *st,
			    const struct cli_option *o, const char *arg)
{
	unsigned int usec;

	(void)o;
	if (st->cmd->from_restore)
		PDIE("You cannot use `-W' from iptables-restore");
	if (!arg && !(arg = next_word(st)))
		PDIE("wait interval value required");
	if (sscanf(arg, "%u", &usec) != 1)
		PDIE("wait interval not numeric");
	if (usec > 999999)
		PDIE("too long usec wait %u > 999999 usec", usec);
	fprintf(stderr, "Ignoring deprecated --wait-interval option.\n");
	st->wait_interval = true;
}

/* markctl's own: listings show field names of the mark layout (under
 * an iptables name, an option iptables does not know) */
static void h_names(struct parse_state *st, const struct cli_option *o,
		    const char *arg)
{
	(void)o;
	(void)arg;
	if (st->dropin)
		PDIE("unknown option \"%s\"", st->argv[optind - 1]);
	st->cmd->list_flags |= RULE_LIST_NAMES;
}

static void h_ignore(struct parse_state *st, const struct cli_option *o,
		     const char *arg)
{
	(void)st;
	(void)o;
	(void)arg;
}

static void h_version(struct parse_state *st, const struct cli_option *o,
		      const char *arg)
{
	(void)o;
	(void)arg;
	if (st->invert) {
		printf("Not %s (%s) ;-)\n", IPTABLES_VERSION, msg_variant());
		exit(0);
	}
	st->cmd->command = RULE_CMD_VERSION;
	st->stop = true;
}

static void h_help(struct parse_state *st, const struct cli_option *o,
		   const char *arg)
{
	(void)o;
	(void)arg;
	/* iptables -p icmp -h: help of the protocol's match */
	if (!st->matches)
		find_proto(st, XTF_TRY_LOAD, &st->matches);
	for (struct xtables_rule_match *l = st->matches; l; l = l->next)
		if (!l->match->m)
			match_prepare(l->match);
	st->cmd->command = RULE_CMD_HELP;
	st->stop = true;
}

static void h_family(struct parse_state *st, const struct cli_option *o,
		     const char *arg)
{
	uint8_t want = o->val == '6' ? NFPROTO_IPV6 : NFPROTO_IPV4;

	(void)arg;
	if (st->cmd->family == want)
		return;
	/* iptables-restore skips lines of the other family */
	if (st->cmd->from_restore) {
		st->cmd->command = RULE_CMD_NONE;
		st->stop = true;
		return;
	}
	msg_exit_tryhelp(PARAMETER_PROBLEM);
}

/* ---- the loop ---- */

/* A plain word: "!" or a stray argument. */
static void parse_word(struct parse_state *st, char *word)
{
	if (word[0] == '!' && word[1] == '\0') {
		if (st->invert)
			PDIE("multiple consecutive ! not allowed");
		st->invert = true;
		return;
	}
	fprintf(stderr, "Bad argument `%s'\n", word);
	msg_exit_tryhelp(PARAMETER_PROBLEM);
}

static void parse_loop(struct parse_state *st)
{
	optind = 0;	/* full getopt reset: restore parses many lines */
	opterr = 0;
	while (!st->stop &&
	       (st->c = getopt_long(st->argc, st->argv, optstring,
				    xtopts_getopt_table(),
				    NULL)) != -1) {
		const struct cli_option *o = cli_lookup(st->c);

		if (st->c == 1) {
			parse_word(st, optarg);
			continue;
		}
		if (!o) {
			if (parse_extension_option(st))
				continue;	/* keeps the "!" */
		} else {
			if (st->invert && o->noinvert)
				PDIE("%s", o->noinvert);
			o->handle(st, o, optarg);
		}
		st->invert = false;
	}
}

/* ---- checks after the loop, in iptables' order ---- */

static void check_nat_drop(struct parse_state *st)
{
	if (strcmp(st->cmd->table, "nat") != 0)
		return;
	if ((st->policy && !strcmp(st->policy, "DROP")) ||
	    (st->jumpto && !strcmp(st->jumpto, "DROP")))
		PDIE("\nThe \"nat\" table is not intended for filtering, "
		     "the use of DROP is therefore inhibited.\n\n");
}

static void final_checks(struct parse_state *st)
{
	for (struct xtables_rule_match *l = st->matches; l; l = l->next)
		xtables_option_mfcall(l->match);
	if (st->target)
		xtables_option_tfcall(st->target);
}

static void parse_address(struct parse_state *st, const char *spec,
			  struct addr_list *l)
{
	if (is_ipv6(st))
		xtables_ip6parse_multiple(spec, (struct in6_addr **)&l->addrs,
					  (struct in6_addr **)&l->masks, &l->n);
	else
		xtables_ipparse_multiple(spec, (struct in_addr **)&l->addrs,
					 (struct in_addr **)&l->masks, &l->n);
}

static size_t addr_size(const struct parse_state *st)
{
	return st->sel.addrlen;
}

/* Sets pair @i (source-major, as iptables-nft orders them) in @r. */
static void set_pair(struct parse_state *st, struct rule *r, unsigned int i)
{
	struct rule *keep = st->rule;
	size_t sz = addr_size(st);
	unsigned int si = i / st->dl.n, di = i % st->dl.n;

	st->rule = r;
	st->sel = rule_ipview(st->rule);
	memcpy(st->sel.src, (char *)st->sl.addrs + si * sz, sz);
	memcpy(st->sel.smsk, (char *)st->sl.masks + si * sz, sz);
	memcpy(st->sel.dst, (char *)st->dl.addrs + di * sz, sz);
	memcpy(st->sel.dmsk, (char *)st->dl.masks + di * sz, sz);
	st->rule = keep;
	st->sel = rule_ipview(st->rule);
}

/* What xtables_ipparse_multiple makes of "0.0.0.0/0" or "::/0", without
 * its cost (an eighth of a restore line's parsing). */
static void any_address(struct parse_state *st, struct addr_list *l)
{
	l->addrs = xtables_calloc(1, addr_size(st));
	l->masks = xtables_calloc(1, addr_size(st));
	l->n = 1;
}

static void parse_addresses(struct parse_state *st)
{
	unsigned int ns, nd;

	/* other commands refuse -s/-d later, after a bad address */
	if (!(st->cmd->command & RULE_CMDS_SPEC)) {
		if (st->saddr)
			parse_address(st, st->saddr, &st->sl);
		if (st->daddr)
			parse_address(st, st->daddr, &st->dl);
		return;
	}
	if (st->saddr)
		parse_address(st, st->saddr, &st->sl);
	else
		any_address(st, &st->sl);
	if (st->daddr)
		parse_address(st, st->daddr, &st->dl);
	else
		any_address(st, &st->dl);
	ns = st->sl.n;
	nd = st->dl.n;
	if ((ns > 1 || nd > 1) &&
	    (*st->sel.invflags & (IPT_INV_SRCIP | IPT_INV_DSTIP)))
		PDIE("! not allowed with multiple source or destination IP addresses");
	if (st->cmd->command == RULE_CMD_REPLACE && (ns != 1 || nd != 1))
		PDIE("Replacement rule does not specify a unique address");
	if ((ns > 1 || nd > 1) && !st->pairs)
		PDIE("multiple source or destination addresses are not "
		     "supported here; give one rule per address");
	set_pair(st, st->rule, 0);
}

static void release_addresses(struct parse_state *st)
{
	free(st->sl.addrs);
	free(st->sl.masks);
	free(st->dl.addrs);
	free(st->dl.masks);
}

/* Rules for address pairs 1..n-1, clones of the complete first rule. */
static void make_more_rules(struct parse_state *st)
{
	unsigned int n = st->sl.n * st->dl.n;
	struct rule_pairs *p = st->pairs;

	if (!p || n < 2)
		return;
	p->ndst = st->dl.n;
	p->more = calloc(n - 1, sizeof(*p->more));
	if (!p->more)
		msg_die(RESOURCE_PROBLEM, "can't allocate memory");
	for (unsigned int i = 1; i < n; i++) {
		struct rule *r = rule_clone(st->cmd->rule);

		if (!r)
			msg_die(RESOURCE_PROBLEM, "can't allocate memory");
		set_pair(st, r, i);
		p->more[i - 1] = r;
	}
	p->nmore = n - 1;
}

/* iptables' generic_opt_check, from the option table */
/* In iptables' option bit order ("nsdpjvxio0cf"): the first one named */
static void check_options(struct parse_state *st)
{
	for (unsigned int bit = 0; bit < sizeof(flag_letters) - 1; bit++) {
		unsigned int flag = 1u << bit;

		if (!(st->options & flag))
			continue;
		for (size_t i = 0; i < N_OPTIONS; i++)
			if (cli_options[i].flag == flag &&
			    !(cli_options[i].commands & st->cmd->command))
				PDIE("Illegal option `-%c' with this command",
				     flag_letter(flag));
	}
}

/* @name into @dst (RULE_CHAIN_MAXLEN bytes) if shorter than @limit. */
static void copy_name(char *dst, size_t limit, const char *name)
{
	if (strlen(name) >= limit)
		PDIE("chain name `%s' too long (must be under %zu chars)",
		     name, limit);
	strcpy(dst, name);
}

/*
 * -E's new name may be as long as the backend's kernel takes: iptables
 * 1.8.9 leaves it to nf_tables (255 characters), while every other chain
 * it is given must be under RULE_CHAIN_ARGLEN.
 */
static size_t newname_limit(const struct parse_state *st)
{
	unsigned int max = st->ops ? st->ops->chain_maxlen : 0;

	return max && max < RULE_CHAIN_MAXLEN ? max : RULE_CHAIN_MAXLEN;
}

static void check_chain(struct parse_state *st)
{
	static const struct {
		const char *chain;
		unsigned int flag;
	} no_iface[] = {
		{ "PREROUTING", F_OUT }, { "INPUT", F_OUT },
		{ "POSTROUTING", F_IN }, { "OUTPUT", F_IN },
	};

	if (st->chain)
		copy_name(st->cmd->chain, RULE_CHAIN_ARGLEN, st->chain);
	st->cmd->chain_empty = st->chain && !st->chain[0];
	if (st->newname)
		copy_name(st->cmd->newname, newname_limit(st), st->newname);
	if (!(st->cmd->command & RULE_CMDS_SPEC))
		return;
	for (size_t i = 0; i < sizeof(no_iface) / sizeof(no_iface[0]); i++)
		if (!strcmp(st->chain, no_iface[i].chain) &&
		    (st->options & no_iface[i].flag))
			PDIE("Can't use -%c with %s\n",
			     flag_letter(no_iface[i].flag), st->chain);
}

static void check_table(struct parse_state *st)
{
	if (st->offline || st->libiptc)	/* the kernel's to refuse */
		return;
	if (backend_table_find(st->cmd->table))
		return;
	msg_die(VERSION_PROBLEM, "table '%s' does not exist", st->table);
}

static void set_table(struct parse_state *st)
{
	const char *t = st->table ? st->table : "filter";

	if (strlen(t) >= sizeof(st->cmd->table) && st->libiptc)
		msg_die(VERSION_PROBLEM, "can't initialize %s table `%s': %s",
			msg_progname(), t, "Module is wrong version");
	if (strlen(t) >= sizeof(st->cmd->table))
		msg_die(VERSION_PROBLEM, "table '%s' does not exist", t);
	strcpy(st->cmd->table, t);
}

static void set_policy(struct parse_state *st)
{
	if (!st->policy)
		return;
	/* anything else: "Bad policy name", reported by the command */
	st->cmd->policy = rule_verdict_from_name(st->policy);
	if (st->cmd->policy == RULE_VERDICT_RETURN)
		st->cmd->policy = RULE_VERDICT_NONE;
}

/* What the backend refuses whatever the kernel holds, before anything is
 * sent (iptables-nft: a tcp match with ports but no -p tcp); translate
 * builds no kernel rule. */
static void check_refusal(struct parse_state *st)
{
	const char *why;

	if (st->offline || !st->ops || !st->ops->rule_refusal)
		return;
	why = st->ops->rule_refusal(st->cmd->family, st->rule);
	if (why)
		PDIE("%s", why);
}

static void validate(struct parse_state *st)
{
	if (st->wait_interval && !st->cmd->wait)
		PDIE("--wait-interval only makes sense with --wait\n");
	set_table(st);
	check_nat_drop(st);
	final_checks(st);
	if (optind < st->argc)	/* words after "--" */
		PDIE("unknown arguments found on commandline");
	if (!st->cmd->command)
		PDIE("no command specified");
	if (st->invert)
		PDIE("nothing appropriate following !");
	parse_addresses(st);
	check_options(st);
	check_chain(st);
	check_table(st);
	set_policy(st);
}

/* Blobs move into the rule; libxtables' list and clones are released. */
static void move_extensions(struct parse_state *st)
{
	struct xtables_rule_match *l = st->matches;

	while (l) {
		struct xtables_rule_match *next = l->next;
		struct xtables_match *m = l->match;

		if (m->m && rule_add_match(st->rule, m, m->m) < 0)
			msg_die(RESOURCE_PROBLEM, "can't allocate memory");
		m->m = NULL;
		if (m == m->next)
			plugins_adopt_clone(m);
		free(l);
		l = next;
	}
	st->matches = NULL;
	if (st->target) {
		rule_set_target(st->rule, st->target, st->target->t);
		st->target->t = NULL;
	}
}

static void release_extensions(struct parse_state *st)
{
	move_extensions(st);
	rule_free(st->rule);
	st->rule = NULL;
}

static void parse_run(struct parse_state *st)
{
	struct rule_cmd *cmd = st->cmd;

	parse_getopt_options();
	xtopts_reset();
	st->rule = rule_alloc(cmd->family);
	if (!st->rule)
		msg_die(RESOURCE_PROBLEM, "can't allocate memory");
	st->sel = rule_ipview(st->rule);
	msg_set_lineno(cmd->lineno);

	parse_loop(st);
	if (st->stop) {
		set_table(st);
		if (cmd->command == RULE_CMD_HELP) {
			move_extensions(st);
			cmd->rule = st->rule;
		} else {
			release_extensions(st);
		}
		return;
	}
	validate(st);
	if (st->libiptc && cmd->command == RULE_CMD_SET_POLICY &&
	    (st->options & F_COUNTERS)) {
		cmd->policy_counters = *rule_counters(st->rule);
		cmd->has_policy_counters = true;
	}
	if (!(cmd->command & RULE_CMDS_SPEC)) {
		release_extensions(st);
		return;
	}
	move_extensions(st);
	cmd->rule = st->rule;
	check_refusal(st);
	make_more_rules(st);
}

/* The parse under way, for parse_abandon(); NULL between parses. */
static struct parse_state *parsing;

void parse_argv(struct markctl_ctx *ctx, int argc, char **argv,
		struct rule_cmd *cmd)
{
	struct parse_state st = {
		.cmd = cmd, .argc = argc, .argv = argv,
		.offline = ctx && ctx->offline, .dropin = ctx && ctx->dropin,
		.ops = ctx ? ctx->backend_ops : NULL,
		.libiptc = ctx && ctx->backend_ops &&
			   (ctx->backend_ops->flags & BACKEND_LIBIPTC),
		.announced = ctx ? ctx->announced : NULL,
	};

	parsing = &st;
	parse_run(&st);
	release_addresses(&st);
	parsing = NULL;
}

void parse_argv_pairs(struct markctl_ctx *ctx, int argc, char **argv,
		      struct rule_cmd *cmd, struct rule_pairs *pairs)
{
	struct parse_state st = {
		.cmd = cmd, .argc = argc, .argv = argv, .pairs = pairs,
		.offline = ctx && ctx->offline, .dropin = ctx && ctx->dropin,
		.ops = ctx ? ctx->backend_ops : NULL,
		.libiptc = ctx && ctx->backend_ops &&
			   (ctx->backend_ops->flags & BACKEND_LIBIPTC),
		.announced = ctx ? ctx->announced : NULL,
	};

	*pairs = (struct rule_pairs){ .ndst = 1 };
	parsing = &st;
	parse_run(&st);
	release_addresses(&st);
	parsing = NULL;
}

void parse_abandon(void)
{
	struct parse_state *st = parsing;

	if (!st)
		return;
	parsing = NULL;
	/* once the command holds the rule, its matches have moved there */
	if (st->rule && st->rule != st->cmd->rule)
		release_extensions(st);
	release_addresses(st);
}

void rule_pairs_release(struct rule_pairs *pairs)
{
	for (unsigned int i = 0; i < pairs->nmore; i++)
		rule_free(pairs->more[i]);
	free(pairs->more);
	*pairs = (struct rule_pairs){ .ndst = 1 };
}
