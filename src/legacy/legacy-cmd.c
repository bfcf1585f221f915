// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One command of rule.h applied to a table, with the checks and errno
 * values of the libiptc call iptables-legacy 1.8.9 makes for it, and the
 * words iptc_strerror() gives them (it looks at the last libiptc function
 * called, so the same errno reads differently per command).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "legacy.h"
#include "util.h"

/* iptc_strerror()'s table, by the libiptc function called last. */
static const struct {
	enum lg_fn fn;			/* LG_FN_NONE: any */
	int err;
	const char *msg;
} iptc_msgs[] = {
	{ LG_FN_INIT, EPERM, "Permission denied (you must be root)" },
	{ LG_FN_INIT, EINVAL, "Module is wrong version" },
	{ LG_FN_INIT, ENOENT, "Table does not exist (do you need to insmod?)" },
	{ LG_FN_DELETE_CHAIN, ENOTEMPTY, "Chain is not empty" },
	{ LG_FN_DELETE_CHAIN, EINVAL, "Can't delete built-in chain" },
	{ LG_FN_DELETE_CHAIN, EMLINK, "Can't delete chain with references left" },
	{ LG_FN_CREATE_CHAIN, EEXIST, "Chain already exists" },
	{ LG_FN_INSERT, E2BIG, "Index of insertion too big" },
	{ LG_FN_REPLACE, E2BIG, "Index of replacement too big" },
	{ LG_FN_DELETE_NUM, E2BIG, "Index of deletion too big" },
	{ LG_FN_ZERO_COUNTER, E2BIG, "Index of counter too big" },
	{ LG_FN_INSERT, ELOOP, "Loop found in table" },
	{ LG_FN_INSERT, EINVAL, "Target problem" },
	{ LG_FN_DELETE_ENTRY, ENOENT,
	  "Bad rule (does a matching rule exist in that chain?)" },
	{ LG_FN_SET_POLICY, ENOENT, "Bad built-in chain name" },
	{ LG_FN_SET_POLICY, EINVAL, "Bad policy name" },
	{ LG_FN_NONE, 0, "Incompatible with this kernel" },
	{ LG_FN_NONE, ENOPROTOOPT, "iptables who? (do you need to insmod?)" },
	{ LG_FN_NONE, ENOSYS, "Will be implemented real soon.  I promise ;)" },
	{ LG_FN_NONE, ENOMEM, "Memory allocation problem" },
	{ LG_FN_NONE, ENOENT, "No chain/target/match by that name" },
};

const char *lg_strerror_fn(enum lg_fn fn, int err)
{
	for (size_t i = 0; i < sizeof(iptc_msgs) / sizeof(iptc_msgs[0]); i++)
		if (iptc_msgs[i].err == err &&
		    (iptc_msgs[i].fn == LG_FN_NONE || iptc_msgs[i].fn == fn))
			return iptc_msgs[i].msg;
	return strerror(err);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* Chain @name, ENOENT if none (built-ins included). */
static struct lg_chain *chain_get(struct lg_table *t, const char *name)
{
	struct lg_chain *c = lg_chain_find(t, name);

	if (!c)
		errno = ENOENT;
	return c;
}

/* libiptc's map of a rule's target (iptcc_map_target): standard names
 * first; anything else asks TC_BUILTIN (which then words the errors): a
 * built-in is EINVAL, a user chain a jump, the rest a module.  A missing
 * chain never gets here: iptables refuses it as an unknown target. */
static int spec_class(struct lg_table *t, const struct rule *r,
		      struct lg_tclass *tc, int32_t *jump_id, enum lg_fn *fn)
{
	const struct lg_chain *c;

	*jump_id = 0;
	switch (r->verdict) {
	case RULE_VERDICT_JUMP:
	case RULE_VERDICT_GOTO:
		*fn = LG_FN_BUILTIN;
		c = chain_get(t, r->jump);
		if (!c)
			return -1;
		if (c->hook >= 0)
			return fail(EINVAL);
		*jump_id = c->id;
		*tc = (struct lg_tclass){ LG_T_JUMP, c->id };
		return 0;
	case RULE_VERDICT_TARGET:
		if (strcmp(r->target_data->u.user.name, "QUEUE") == 0) {
			*tc = (struct lg_tclass){ LG_T_STANDARD, 0 };
			return 0;
		}
		*fn = LG_FN_BUILTIN;
		*tc = (struct lg_tclass){ LG_T_MODULE, 0 };
		return 0;
	case RULE_VERDICT_NONE:
		*tc = (struct lg_tclass){ LG_T_FALLTHROUGH, 0 };
		return 0;
	default:
		*tc = (struct lg_tclass){ LG_T_STANDARD, 0 };
		return 0;
	}
}

/* The command's rule as an entry, jumps as chain ids: built where it is
 * to go for commands that add it (the table's arena), else malloc()ed. */
static uint8_t *spec_build(struct lg_table *t, const struct rule *r,
			   bool adds, uint32_t *len, struct lg_tclass *tc,
			   enum lg_fn *fn)
{
	int32_t jump_id;
	uint8_t *e;

	if (spec_class(t, r, tc, &jump_id, fn) < 0)
		return NULL;
	*len = lg_entry_size(t->fam, r);
	e = adds ? lg_arena_alloc(t, *len) : calloc(1, *len);
	if (!e)
		return NULL;
	lg_entry_build(t->fam, r, jump_id, e);
	if (tc->kind == LG_T_STANDARD)
		tc->value = *lg_e_verdict(t->fam, e);
	return e;
}

/*
 * The first rule of @c the spec matches: its number, or -1/ESRCH.
 * ip6tables-legacy 1.8.9's -C builds its comparison mask for a head the
 * size of a pointer (check_entry() in ip6tables.c), so libiptc reads each
 * data byte's mask at the byte's offset in the entry from a mask laid out
 * for an 8-byte head, and past its end from the heap: zeros in practice.
 * A short rule's data is then not compared at all.  -D is not affected.
 */
static int64_t spec_find(struct lg_table *t, const struct lg_chain *c,
			 const uint8_t *spec, const struct rule_cmd *cmd,
			 const struct lg_tclass *tc)
{
	bool short_head = cmd->command == RULE_CMD_CHECK &&
			  t->fam->nfproto == NFPROTO_IPV6;
	size_t masklen;
	uint8_t *mask = lg_delete_mask(t->fam, cmd->rule, short_head ?
				       sizeof(void *) : t->fam->entry_size,
				       &masklen);
	uint32_t num = 0;

	if (!mask)
		return -1;
	for (unsigned int i = 0; i < c->npieces; i++) {
		const struct lg_piece *p = &c->pieces[i];
		const uint8_t *e = p->p, *end = p->p + p->len;

		for (; e < end; e += lg_e_next(t->fam, e), num++) {
			struct lg_tclass ec = lg_entry_class(t, p, e);

			if (lg_entry_same(t->fam, spec, e, tc, &ec, mask,
					  masklen)) {
				free(mask);
				return num;
			}
		}
	}
	free(mask);
	errno = ESRCH;
	return -1;
}

/* What each rule command's libiptc call is, and its range check (done
 * before the target is mapped). */
static const struct {
	unsigned int cmd;
	enum lg_fn fn;
	int32_t room;		/* rule number may be up to nrules + room */
} rule_calls[] = {
	{ RULE_CMD_APPEND,	LG_FN_APPEND,		INT32_MAX },
	{ RULE_CMD_INSERT,	LG_FN_INSERT,		1 },
	{ RULE_CMD_REPLACE,	LG_FN_REPLACE,		0 },
	{ RULE_CMD_DELETE,	LG_FN_DELETE_ENTRY,	INT32_MAX },
	{ RULE_CMD_CHECK,	LG_FN_DELETE_ENTRY,	INT32_MAX },
};

static int rule_change(struct lg_table *t, const struct rule_cmd *cmd,
		       struct lg_chain *c, const uint8_t *spec, uint32_t len,
		       const struct lg_tclass *tc)
{
	uint32_t pos = cmd->rulenum ? cmd->rulenum - 1 : 0;
	int64_t found;

	switch ((unsigned int)cmd->command) {
	case RULE_CMD_APPEND:
		return lg_chain_insert(t, c, c->nrules, spec, len);
	case RULE_CMD_INSERT:
		return lg_chain_insert(t, c, pos, spec, len);
	case RULE_CMD_REPLACE:
		if (lg_chain_delete(t, c, pos) < 0)
			return -1;
		return lg_chain_insert(t, c, pos, spec, len);
	}
	found = spec_find(t, c, spec, cmd, tc);
	if (found < 0 || cmd->command == RULE_CMD_CHECK)
		return found < 0 ? -1 : 0;
	return lg_chain_delete(t, c, found);
}

static int do_rule(struct lg_table *t, const struct rule_cmd *cmd,
		   enum lg_fn *fn)
{
	uint32_t len, pos = cmd->rulenum ? cmd->rulenum - 1 : 0;
	struct lg_tclass tc;
	struct lg_chain *c;
	uint8_t *spec;
	size_t i = 0;
	bool adds;
	int ret;

	while (rule_calls[i].cmd != cmd->command)
		i++;
	*fn = rule_calls[i].fn;
	c = chain_get(t, cmd->chain);
	if (!c)
		return -1;
	if ((int64_t)pos > (int64_t)c->nrules - 1 + rule_calls[i].room)
		return fail(E2BIG);
	adds = cmd->command & (RULE_CMD_APPEND | RULE_CMD_INSERT |
			       RULE_CMD_REPLACE);
	spec = spec_build(t, cmd->rule, adds, &len, &tc, fn);
	if (!spec)
		return -1;
	ret = rule_change(t, cmd, c, spec, len, &tc);
	if (!adds)
		free(spec);
	return ret;
}

/* Every chain (or @name only), built-ins included; -F and -Z. */
static int each_chain(struct lg_table *t, const char *name,
		      int (*fn)(struct lg_table *t, struct lg_chain *c))
{
	struct lg_chain *c;

	if (name[0]) {
		c = chain_get(t, name);
		return c ? fn(t, c) : -1;
	}
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone && fn(t, t->chains[i]) < 0)
			return -1;
	return 0;
}

static int flush_one(struct lg_table *t, struct lg_chain *c)
{
	lg_chain_flush(t, c);
	return 0;
}

static int zero_one(struct lg_table *t, struct lg_chain *c)
{
	return lg_chain_zero(t, c, LG_NEW);
}

static bool standard_label(const char *name)
{
	return rule_verdict_from_name(name) != RULE_VERDICT_NONE ||
	       strcmp(name, "QUEUE") == 0;
}

static int new_chain(struct lg_table *t, const struct rule_cmd *cmd)
{
	const char *name = cmd->chain;
	struct lg_chain *c = lg_chain_find(t, name);

	/* restore's ":CHAIN -": a chain that exists starts empty */
	if (c && cmd->or_flush)
		return c->hook >= 0 ? 0 : flush_one(t, c);
	if (c || standard_label(name))
		return fail(EEXIST);
	if (strlen(name) >= XT_FUNCTION_MAXNAMELEN)
		return fail(EINVAL);
	return lg_chain_add(t, name) ? 0 : -1;
}

/* TC_DELETE_CHAIN: asks TC_BUILTIN, then TC_GET_REFERENCES, which then
 * word the errors. */
static int delete_chain(struct lg_table *t, struct lg_chain *c,
			enum lg_fn *fn)
{
	*fn = LG_FN_BUILTIN;
	if (c->hook >= 0)
		return fail(EINVAL);
	*fn = LG_FN_GET_REFERENCES;
	if (c->refs)
		return fail(EMLINK);
	if (c->nrules)
		return fail(ENOTEMPTY);
	lg_chain_remove(t, c);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct lg_chain *const *)a)->name,
		      (*(struct lg_chain *const *)b)->name);
}

/* -X: every user chain in name order; 1.8.9 goes on past a failure and
 * reports the last one (and then commits nothing). */
static int delete_chains(struct lg_table *t, const char *name,
			 enum lg_fn *fn)
{
	struct lg_chain **users, *c;
	unsigned int n = 0;
	int err = 0;

	*fn = LG_FN_DELETE_CHAIN;
	if (name[0]) {
		c = chain_get(t, name);
		return c ? delete_chain(t, c, fn) : -1;
	}
	users = malloc((t->nchains ? t->nchains : 1) * sizeof(*users));
	if (!users)
		return -1;
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone && t->chains[i]->hook < 0)
			users[n++] = t->chains[i];
	qsort(users, n, sizeof(*users), by_name);
	for (unsigned int i = 0; i < n; i++)
		if (delete_chain(t, users[i], fn) < 0)
			err = errno;
	free(users);
	return err ? fail(err) : 0;
}

static int rename_chain(struct lg_table *t, const struct rule_cmd *cmd)
{
	struct lg_chain *c;

	if (lg_chain_find(t, cmd->newname) || standard_label(cmd->newname))
		return fail(EEXIST);
	c = lg_chain_find(t, cmd->chain);
	if (!c || c->hook >= 0)
		return fail(ENOENT);
	if (strlen(cmd->newname) >= XT_FUNCTION_MAXNAMELEN)
		return fail(EINVAL);
	return lg_chain_rename(t, c, cmd->newname);
}

static int set_policy(struct lg_table *t, const struct rule_cmd *cmd)
{
	struct lg_chain *c = lg_chain_find(t, cmd->chain);

	if (!c || c->hook < 0)
		return fail(ENOENT);
	if (cmd->policy != RULE_VERDICT_ACCEPT &&
	    cmd->policy != RULE_VERDICT_DROP)
		return fail(EINVAL);
	c->policy = cmd->policy == RULE_VERDICT_ACCEPT ? -NF_ACCEPT - 1 :
							 -NF_DROP - 1;
	if (cmd->has_policy_counters) {
		c->pol_cmap = LG_CM_SET;
		c->pol_ctr = cmd->policy_counters;
	} else {
		c->pol_cmap = LG_CM_NONE;
	}
	t->changed = true;
	return 0;
}

/* -Z C N and -D C N: rule N (1-based) */
static int rule_num(struct lg_table *t, const struct rule_cmd *cmd,
		    int (*op)(struct lg_table *t, struct lg_chain *c,
			      uint32_t pos))
{
	struct lg_chain *c = chain_get(t, cmd->chain);

	return c ? op(t, c, cmd->rulenum - 1) : -1;
}

static int apply(struct lg_table *t, const struct rule_cmd *cmd,
		 enum lg_fn *fn)
{
	switch ((unsigned int)cmd->command &
		~(unsigned int)(RULE_CMD_LIST | RULE_CMD_LIST_RULES)) {
	case RULE_CMD_APPEND:
	case RULE_CMD_INSERT:
	case RULE_CMD_REPLACE:
	case RULE_CMD_DELETE:
	case RULE_CMD_CHECK:
		return do_rule(t, cmd, fn);
	case RULE_CMD_DELETE_NUM:
		*fn = LG_FN_DELETE_NUM;
		return rule_num(t, cmd, lg_chain_delete);
	case RULE_CMD_FLUSH:
		*fn = LG_FN_FLUSH;
		return each_chain(t, cmd->chain, flush_one);
	case RULE_CMD_ZERO:
		*fn = LG_FN_ZERO;
		return each_chain(t, cmd->chain, zero_one);
	case RULE_CMD_ZERO_NUM:
		*fn = LG_FN_ZERO_COUNTER;
		return rule_num(t, cmd, lg_chain_zero);
	case RULE_CMD_NEW_CHAIN:
		*fn = LG_FN_CREATE_CHAIN;
		return new_chain(t, cmd);
	case RULE_CMD_DELETE_CHAIN:
		return delete_chains(t, cmd->chain, fn);
	case RULE_CMD_RENAME_CHAIN:
		*fn = LG_FN_RENAME;
		return rename_chain(t, cmd);
	case RULE_CMD_SET_POLICY:
		*fn = LG_FN_SET_POLICY;
		return set_policy(t, cmd);
	case RULE_CMD_NONE:
		return 0;
	}
	return fail(EOPNOTSUPP);
}

int lg_cmd_apply(struct lg_table *t, const struct rule_cmd *cmd,
		 struct lg_err *e)
{
	e->fn = LG_FN_NONE;
	if (apply(t, cmd, &e->fn) == 0)
		return 0;
	/* ESRCH: the rule was not found, which libiptc calls ENOENT */
	e->err = errno == ESRCH ? ENOENT : errno;
	if (cmd->command == RULE_CMD_DELETE_CHAIN && errno == EMLINK)
		errno = EBUSY;		/* backend.h: referenced */
	return -1;
}

/* Restore without --noflush: every chain flushed, user chains deleted,
 * policies kept (iptables-legacy-restore's for_each_chain passes). */
int lg_cmd_flush_table(struct lg_table *t)
{
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone)
			lg_chain_flush(t, t->chains[i]);
	for (unsigned int i = 0; i < t->nchains; i++)
		if (!t->chains[i]->gone && t->chains[i]->hook < 0)
			lg_chain_remove(t, t->chains[i]);
	t->changed = true;
	return 0;
}
