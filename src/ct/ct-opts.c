// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command line of markctl ct: an option table (name, letter, argument,
 * "!" allowed, commands that take it, parser), strict mark values, the
 * filters and their match, and the messages of the command layer.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"
#include "layout.h"
#include "util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define C(cmd) (1u << (cmd))
#define ALL_CMDS (C(CT_NCMDS) - 1)

static const char *const cmd_names[CT_NCMDS] = {
	[CT_LIST] = "list", [CT_COUNT] = "count", [CT_UPDATE] = "update",
	[CT_DELETE] = "delete", [CT_MONITOR] = "monitor",
};

int ct_cmd_lookup(const char *name)
{
	for (int i = 0; i < CT_NCMDS; i++)
		if (strcmp(name, cmd_names[i]) == 0)
			return i;
	return -1;
}

const char *ct_cmd_name(enum ct_cmd cmd)
{
	return cmd_names[cmd];
}

/* ---- messages ---- */

void ct_die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("markctl ct: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

int ct_error_errno(const char *what)
{
	int err = errno;

	fflush(stdout);
	/* Every ctnetlink request needs CAP_NET_ADMIN in the namespace. */
	if (err == EPERM) {
		fprintf(stderr, "markctl ct: cannot open conntrack: %s "
			"(you must be root)\n", strerror(err));
		return RESOURCE_PROBLEM;
	}
	fprintf(stderr, "markctl ct: cannot %s: %s\n", what, strerror(err));
	return err == ENOMEM || err == ENOBUFS || err == EMFILE ?
	       RESOURCE_PROBLEM : OTHER_PROBLEM;
}

/* ---- the layout (src/layout.h) ---- */

/* Numbers start with a digit; anything else that starts like a name is
 * a field expression, so numbers keep their messages. */
static bool is_expr(const char *s)
{
	return isalpha((unsigned char)s[0]) || s[0] == '_';
}

/* ---- parsing state ---- */

struct ct_option;

struct parse {
	struct ct_opts *o;
	const struct ct_option *opt;
	const char *word;		/* the option as typed, "-m" */
	bool invert;
	char *err;
	size_t errlen;
	bool only4, only6;
	const char *addr_arg[2];	/* -s, -d as given, for messages */
	char addr_word[2][8];
	bool layout_failed;		/* err holds the layout's own error */
};

typedef int (*opt_parse_fn)(struct parse *p, const char *arg);

struct ct_option {
	const char *name;		/* "mark": --mark */
	char letter;			/* 'm': -m; 0: none */
	enum { ARG_NONE, ARG_ONE, ARG_OPTIONAL } arg;
	bool invertible;
	unsigned int cmds;		/* C(CT_*) */
	int id;				/* CT_F_* for filters */
	opt_parse_fn parse;
};

static int fail(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* 'invalid value "ARG" for option "--WORD"', and why when known. */
static int bad_value(struct parse *p, const char *arg, const char *why)
{
	return fail(p, "invalid value \"%s\" for option \"%s\"%s%s", arg,
		    p->word, why && *why ? ": " : "", why ? why : "");
}

/*
 * The layout, read on the first field expression (markctl passes its
 * --layout on as MARKCTL_LAYOUT), or NULL with why in @why: a bad layout
 * file is the error itself, with its file and line, whatever the option.
 */
static const struct layout *names_for(struct parse *p, char *why, size_t len)
{
	if (!p->o->layout) {
		p->o->layout = layout_load(NULL, p->err, p->errlen);
		if (!p->o->layout) {
			p->layout_failed = true;
			return NULL;
		}
	}
	if (layout_empty(p->o->layout)) {
		snprintf(why, len, "not a number, and no mark layout names fields (%s)",
			 layout_path(p->o->layout));
		return NULL;
	}
	return p->o->layout;
}

enum expr_as { AS_VALUE, AS_MASK, AS_BITS };

/* A field expression as value/mask, a mask or bits (layout.h). */
static int parse_expr(struct parse *p, const char *arg, enum expr_as as,
		      uint32_t *value, uint32_t *mask)
{
	const struct layout *l;
	char why[256] = "";
	int ret = -1;

	l = names_for(p, why, sizeof(why));
	if (p->layout_failed)
		return -1;
	if (l && as == AS_VALUE)
		ret = layout_parse_expr(l, arg, value, mask, why, sizeof(why));
	else if (l && as == AS_MASK)
		ret = layout_parse_mask(l, arg, value, why, sizeof(why));
	else if (l)
		ret = layout_parse_bits(l, arg, value, why, sizeof(why));
	return ret < 0 ? bad_value(p, arg, why) : 0;
}

/* VALUE[/MASK] or a field expression. */
static int parse_markmask(struct parse *p, const char *arg, uint32_t *value,
			  uint32_t *mask)
{
	if (is_expr(arg))
		return parse_expr(p, arg, AS_VALUE, value, mask);
	return util_parse_mark_mask(arg, value, mask) ?
	       bad_value(p, arg, NULL) : 0;
}

/* A single number, or field bits as the mark options take them: names
 * alone as masks (--by-mark), or with values (--and/--or/--xor-mark:
 * "route" is all of the field's bits, "route=3" that value's). */
static int parse_bits(struct parse *p, const char *arg, uint32_t *bits,
		      enum expr_as as)
{
	uint32_t mask;

	if (is_expr(arg))
		return parse_expr(p, arg, as, bits, &mask);
	return util_parse_u32(arg, bits) ? bad_value(p, arg, NULL) : 0;
}

static int parse_u16(struct parse *p, const char *arg, uint16_t *out)
{
	uint32_t v;

	if (util_parse_u32(arg, &v) || v > UINT16_MAX)
		return bad_value(p, arg, NULL);
	*out = v;
	return 0;
}

/* ---- option parsers ---- */

static int opt_family(struct parse *p, const char *arg)
{
	(void)arg;
	if (p->opt->letter == '4')
		p->only4 = true;
	else
		p->only6 = true;
	return 0;
}

static int opt_mark(struct parse *p, const char *arg)
{
	struct ct_filter *f = &p->o->filter;

	return parse_markmask(p, arg, &f->mark, &f->mark_mask);
}

static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "udplite", IPPROTO_UDPLITE }, { "icmp", IPPROTO_ICMP },
	{ "icmpv6", IPPROTO_ICMPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "dccp", IPPROTO_DCCP },
	{ "gre", IPPROTO_GRE },
};

static int opt_proto(struct parse *p, const char *arg)
{
	uint32_t v;

	for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
		if (strcmp(arg, protos[i].name) == 0) {
			p->o->filter.proto = protos[i].num;
			return 0;
		}
	}
	if (util_parse_u32(arg, &v) || v > UINT8_MAX)
		return bad_value(p, arg, "unknown protocol");
	p->o->filter.proto = v;
	return 0;
}

/* Clears the bits of @a beyond the first @plen. */
static void prefix_mask(union ct_inaddr *a, unsigned int plen)
{
	for (unsigned int i = 0; i < 4; i++, plen = plen > 32 ? plen - 32 : 0)
		a->w[i] &= plen >= 32 ? 0xffffffff :
			   plen ? htonl(~(0xffffffffu >> plen)) : 0;
}

static int opt_addr(struct parse *p, const char *arg)
{
	struct ct_filter *f = &p->o->filter;
	struct ct_prefix *px = p->opt->id == CT_F_SRC ? &f->src : &f->dst;
	const char *slash = strchr(arg, '/');
	size_t len = slash ? (size_t)(slash - arg) : strlen(arg);
	char addr[INET6_ADDRSTRLEN];
	uint32_t plen, max;
	int i;

	if (len >= sizeof(addr))
		return bad_value(p, arg, NULL);
	memcpy(addr, arg, len);
	addr[len] = '\0';
	memset(px, 0, sizeof(*px));
	if (inet_pton(AF_INET, addr, &px->addr) == 1)
		px->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &px->addr) == 1)
		px->family = AF_INET6;
	else
		return bad_value(p, arg, NULL);
	max = px->family == AF_INET ? 32 : 128;
	plen = max;
	if (slash && (util_parse_u32(slash + 1, &plen) || plen > max))
		return bad_value(p, arg, "bad prefix length");
	px->plen = plen;
	prefix_mask(&px->addr, plen);
	i = px == &f->dst;
	p->addr_arg[i] = arg;
	util_strlcpy(p->addr_word[i], p->word, sizeof(p->addr_word[i]));
	return 0;
}

static int opt_port(struct parse *p, const char *arg)
{
	struct ct_filter *f = &p->o->filter;

	return parse_u16(p, arg, p->opt->id == CT_F_SPORT ? &f->sport :
							      &f->dport);
}

static int opt_zone(struct parse *p, const char *arg)
{
	return parse_u16(p, arg, &p->o->filter.zone);
}

static const struct {
	const char *name;
	unsigned int flag;
	unsigned int cmds;
} formats[] = {
	{ "extended",	CT_OUT_EXTENDED,  C(CT_LIST) | C(CT_MONITOR) },
	{ "id",		CT_OUT_ID,	  C(CT_LIST) | C(CT_MONITOR) },
	{ "timestamp",	CT_OUT_TIMESTAMP, C(CT_MONITOR) },
	{ "json",	CT_OUT_JSON,	  C(CT_LIST) | C(CT_COUNT) | C(CT_MONITOR) },
};

/* FORMAT[,FORMAT]... */
static int opt_output(struct parse *p, const char *arg)
{
	const char *s = arg;

	do {
		size_t len = strcspn(s, ","), i;

		for (i = 0; i < ARRAY_SIZE(formats); i++)
			if (strlen(formats[i].name) == len &&
			    strncmp(s, formats[i].name, len) == 0 &&
			    formats[i].cmds & C(p->o->cmd))
				break;
		if (i == ARRAY_SIZE(formats))
			return bad_value(p, arg, NULL);
		p->o->output |= formats[i].flag;
		s += len;
	} while (*s++ == ',');
	return 0;
}

enum { OP_SET_XMARK, OP_SET_MARK, OP_AND_MARK, OP_OR_MARK, OP_XOR_MARK };

/* The five CONNMARK operations as one (value, mask) pair for the kernel:
 * new = (old & ~mask) ^ value. */
static int opt_op(struct parse *p, const char *arg)
{
	struct ct_opts *o = p->o;
	uint32_t v, m = 0;

	if (o->op_name)
		return fail(p, "options \"--%s\" and \"%s\" cannot be used together",
			    o->op_name, p->word);
	switch (p->opt->id) {
	case OP_SET_XMARK:
	case OP_SET_MARK:
		if (parse_markmask(p, arg, &v, &m))
			return -1;
		/* --set-mark also sets the value's bits outside the mask */
		o->op_value = v;
		o->op_mask = p->opt->id == OP_SET_MARK ? v | m : m;
		break;
	case OP_AND_MARK:
		/* field names: the bits to keep */
		if (parse_bits(p, arg, &v, AS_BITS))
			return -1;
		o->op_value = 0;
		o->op_mask = ~v;
		break;
	case OP_OR_MARK:
	case OP_XOR_MARK:
		if (parse_bits(p, arg, &v, AS_BITS))
			return -1;
		o->op_value = v;
		o->op_mask = p->opt->id == OP_OR_MARK ? v : 0;
		break;
	}
	o->op_name = p->opt->name;
	return 0;
}

static int opt_by_mark(struct parse *p, const char *arg)
{
	p->o->by_mark = true;
	p->o->group_mask = UINT32_MAX;
	p->o->group_mask_given = arg != NULL;
	return arg ? parse_bits(p, arg, &p->o->group_mask, AS_MASK) : 0;
}

static int opt_count(struct parse *p, const char *arg)
{
	uint32_t n;

	if (util_parse_u32(arg, &n) || n == 0)
		return bad_value(p, arg, NULL);
	p->o->max_events = n;
	return 0;
}

static int opt_help(struct parse *p, const char *arg)
{
	(void)arg;
	p->o->help = true;
	return 0;
}

#define FILTER(n, l, id, fn) \
	{ n, l, ARG_ONE, true, ALL_CMDS, id, fn }
#define OP(n, id) \
	{ n, 0, ARG_ONE, false, C(CT_UPDATE), id, opt_op }

static const struct ct_option options[] = {
	{ NULL, '4', ARG_NONE, false, ALL_CMDS, -1, opt_family },
	{ NULL, '6', ARG_NONE, false, ALL_CMDS, -1, opt_family },
	FILTER("mark", 'm', CT_F_MARK, opt_mark),
	FILTER("proto", 'p', CT_F_PROTO, opt_proto),
	FILTER("src", 's', CT_F_SRC, opt_addr),
	FILTER("dst", 'd', CT_F_DST, opt_addr),
	FILTER("sport", 0, CT_F_SPORT, opt_port),
	FILTER("dport", 0, CT_F_DPORT, opt_port),
	FILTER("zone", 0, CT_F_ZONE, opt_zone),
	{ "output", 'o', ARG_ONE, false,
	  C(CT_LIST) | C(CT_COUNT) | C(CT_MONITOR), -1, opt_output },
	{ "by-mark", 0, ARG_OPTIONAL, false, C(CT_COUNT), -1, opt_by_mark },
	{ "count", 0, ARG_ONE, false, C(CT_MONITOR), -1, opt_count },
	OP("set-mark", OP_SET_MARK),
	OP("set-xmark", OP_SET_XMARK),
	OP("and-mark", OP_AND_MARK),
	OP("or-mark", OP_OR_MARK),
	OP("xor-mark", OP_XOR_MARK),
	{ "help", 'h', ARG_NONE, false, ALL_CMDS, -1, opt_help },
};

/* Finds "-x", "--name" or "--name=value"; sets p->word and *inline_arg. */
static const struct ct_option *opt_lookup(struct parse *p, const char *w,
					  const char **inline_arg,
					  char *word, size_t wordlen)
{
	const char *eq;
	size_t len;

	*inline_arg = NULL;
	if (w[0] != '-' || w[1] == '\0')
		return NULL;
	if (w[1] != '-') {
		if (w[2] != '\0')
			return NULL;
		for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
			if (options[i].letter == w[1]) {
				p->word = w;
				return &options[i];
			}
		}
		return NULL;
	}
	eq = strchr(w, '=');
	len = eq ? (size_t)(eq - w) : strlen(w);
	if (len >= wordlen)
		return NULL;
	memcpy(word, w, len);
	word[len] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		if (options[i].name && strcmp(options[i].name, word + 2) == 0) {
			*inline_arg = eq ? eq + 1 : NULL;
			p->word = word;
			return &options[i];
		}
	}
	return NULL;
}

/* The argument of @opt: inline, the next word, or none when optional and
 * the next word is an option. */
static int opt_arg(struct parse *p, const char **arg, int argc, char **argv,
		   int *i)
{
	const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;

	switch (p->opt->arg) {
	case ARG_NONE:
		if (*arg)
			return fail(p, "option \"%s\" takes no value", p->word);
		break;
	case ARG_ONE:
		if (*arg)
			break;
		if (!next)
			return fail(p, "option \"%s\" needs a value", p->word);
		*arg = argv[++*i];
		break;
	case ARG_OPTIONAL:
		if (!*arg && next && next[0] != '-' && strcmp(next, "!"))
			*arg = argv[++*i];
		break;
	}
	return 0;
}

/* Families: -4, -6 (default both) and the addresses' must agree. */
static int opts_family(struct parse *p)
{
	struct ct_filter *f = &p->o->filter;
	uint8_t af = 0, want = 0;

	if (p->only4 != p->only6)
		want = p->only4 ? AF_INET : AF_INET6;
	for (int i = 0; i < 2; i++) {
		const struct ct_prefix *px = i ? &f->dst : &f->src;

		if (!(f->set & (1u << (i ? CT_F_DST : CT_F_SRC))))
			continue;
		p->word = p->addr_word[i];
		if (want && px->family != want)
			return bad_value(p, p->addr_arg[i], want == AF_INET ?
					 "not an IPv4 address" :
					 "not an IPv6 address");
		if (af && px->family != af)
			return fail(p, "options \"%s\" and \"%s\" give addresses "
				    "of different families", p->addr_word[0],
				    p->addr_word[1]);
		af = px->family;
	}
	f->family = af ? af : want;
	return 0;
}

static int opts_check(struct parse *p)
{
	struct ct_opts *o = p->o;

	if (p->invert)
		return fail(p, "\"!\" must come before an option");
	if (o->help)
		return 0;
	if (o->cmd == CT_UPDATE && !o->op_name)
		return fail(p, "update needs one of --set-mark, --set-xmark, "
			    "--and-mark, --or-mark, --xor-mark");
	/* groups are named by the layout: a bad one fails before the dump */
	if (o->by_mark && !o->layout &&
	    !(o->layout = layout_load(NULL, p->err, p->errlen)))
		return -1;
	return opts_family(p);
}

void ct_opts_release(struct ct_opts *o)
{
	layout_free(o->layout);
	o->layout = NULL;
}

int ct_opts_parse(struct ct_opts *o, enum ct_cmd cmd, int argc, char **argv,
		  char *err, size_t errlen)
{
	struct parse p = { .o = o, .err = err, .errlen = errlen };
	unsigned int seen = 0;
	char word[32];

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *arg;
		unsigned int bit;

		if (strcmp(w, "!") == 0) {
			if (p.invert)
				return fail(&p, "\"!\" given twice");
			p.invert = true;
			continue;
		}
		p.opt = opt_lookup(&p, w, &arg, word, sizeof(word));
		if (!p.opt)
			return fail(&p, w[0] == '-' ? "unknown option \"%s\"" :
				    "unexpected argument \"%s\"", w);
		if (!(p.opt->cmds & C(cmd)))
			return fail(&p, "option \"%s\" does not apply to \"%s\"",
				    p.word, cmd_names[cmd]);
		if (p.invert && !p.opt->invertible)
			return fail(&p, "option \"%s\" cannot be inverted",
				    p.word);
		bit = 1u << (p.opt - options);
		if (seen & bit)
			return fail(&p, "option \"%s\" given twice", p.word);
		seen |= bit;
		if (opt_arg(&p, &arg, argc, argv, &i) || p.opt->parse(&p, arg))
			return -1;
		if (p.opt->id >= 0 && p.opt->parse != opt_op) {
			o->filter.set |= 1u << p.opt->id;
			if (p.invert)
				o->filter.invert |= 1u << p.opt->id;
		}
		p.invert = false;
	}
	return opts_check(&p);
}

/* ---- filters ---- */

static bool prefix_match(const struct ct_prefix *px, uint8_t family,
			 const union ct_inaddr *a)
{
	union ct_inaddr m = *a;

	if (family != px->family)
		return false;
	if (family == AF_INET)
		m.w[1] = m.w[2] = m.w[3] = 0;
	prefix_mask(&m, px->plen);
	return memcmp(&m, &px->addr, sizeof(m)) == 0;
}

/* Whether filter @id holds for @fl; ports only exist for flows that
 * have them, so "! --sport" leaves out ICMP as "--sport" does. */
static bool filter_one(const struct ct_filter *f, int id,
		       const struct ct_flow *fl, bool *applies)
{
	const struct ct_tuple *t = &fl->orig;

	*applies = true;
	switch (id) {
	case CT_F_MARK:
		return (fl->mark & f->mark_mask) == f->mark;
	case CT_F_PROTO:
		return t->proto == f->proto;
	case CT_F_SRC:
		return prefix_match(&f->src, fl->family, &t->src);
	case CT_F_DST:
		return prefix_match(&f->dst, fl->family, &t->dst);
	case CT_F_SPORT:
		*applies = t->has & CT_TUPLE_PORTS;
		return t->sport == f->sport;
	case CT_F_DPORT:
		*applies = t->has & CT_TUPLE_PORTS;
		return t->dport == f->dport;
	case CT_F_ZONE:
		return fl->zone == f->zone;
	}
	return false;
}

bool ct_filter_match(const struct ct_filter *f, const struct ct_flow *fl)
{
	unsigned int set = f->set;
	bool applies, m;

	if (f->family && fl->family != f->family)
		return false;
	for (int id = 0; set; id++, set >>= 1) {
		if (!(set & 1))
			continue;
		m = filter_one(f, id, fl, &applies);
		if (!applies || m == !!(f->invert & (1u << id)))
			return false;
	}
	return true;
}

bool ct_filter_kernel_mark(const struct ct_filter *f)
{
	unsigned int bit = 1u << CT_F_MARK;

	return (f->set & bit) && !(f->invert & bit);
}

bool ct_filter_userspace(const struct ct_filter *f)
{
	unsigned int rest = f->set;

	if (ct_filter_kernel_mark(f))
		rest &= ~(1u << CT_F_MARK);
	return rest != 0;
}
