// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared by the fuzz targets.
 *
 * markctl ends a command on bad input with exit() (msg_die, also installed
 * as libxtables' exit_err, and a few direct calls), which would end the
 * fuzzer.  The targets link with -Wl,--wrap=exit, so each exit() of
 * markctl's objects comes here: while a target runs markctl's code it
 * longjmp()s back to fuzz_run(), else it is the real exit().  That covers
 * every exit path of markctl's own code without changing it, which
 * replacing exit_err alone would not (msg_die calls exit() itself, and
 * restore and the parser exit directly); forking per input would cost
 * ~1 ms an input against ~50 us.  Before jumping, what the interrupted
 * parse held is freed while its frames still exist (parse_abandon): the
 * process would have ended there, and the leak checker must see only
 * what is lost on paths that return.  libxtables and its plugins, shared
 * libraries, still call the real exit(), but only on allocation failure.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/netfilter/nf_tables.h>

#include "cmd.h"
#include "fuzz.h"
#include "layout.h"
#include "parse.h"

void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

static jmp_buf *exit_to;
static int exit_status;

void __wrap_exit(int status)
{
	if (!exit_to)
		__real_exit(status);
	parse_abandon();
	exit_status = status;
	longjmp(*exit_to, 1);
}

int fuzz_run(void (*fn)(void *arg), void *arg)
{
	jmp_buf env;
	int status = -1;

	exit_to = &env;
	if (setjmp(env) == 0)
		fn(arg);
	else
		status = exit_status;
	exit_to = NULL;
	return status;
}

char *fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int fuzz_split(char *s, char sep, char **argv, int max)
{
	int n = 0;

	while (n < max) {
		char *end = strchr(s, sep);

		argv[n++] = s;
		if (!end)
			break;
		*end = '\0';
		s = end + 1;
	}
	argv[n] = NULL;
	return n;
}

/*
 * Leaks LeakSanitizer is not to report: what libxtables and its plugins
 * (not markctl's code) allocate for themselves and lose when they exit on
 * bad input, as the plugins' port and address parsers do after
 * xtables_strdup().  markctl's code does not call xtables_strdup().
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xtables_strdup\n";
}

/* ---- the backend ---- */

/*
 * The kernel state it pretends: every table has its built-ins and the
 * user chains "fuzz", "EXISTS" (-N/-E to it: EEXIST) and "BUSY" (-X:
 * EBUSY); -D/-C find no rule in "EMPTY"; rule numbers past 3 are beyond
 * a chain.  Refusals of a rule whatever the kernel holds are nf_tables'.
 */
static struct fuzz_kernel {
	struct backend base;
	unsigned int execs, flushes, commits, aborts;
} kernel;

static const char *const user_chains[] = { "fuzz", "EXISTS", "BUSY" };

#define NUSER (sizeof(user_chains) / sizeof(user_chains[0]))

static struct backend *fb_open(const struct markctl_ctx *ctx, uint8_t family)
{
	kernel.base = (struct backend){ .ops = ctx->backend_ops,
					.family = family };
	return &kernel.base;
}

static void fb_close(struct backend *b)
{
	(void)b;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* Reads all of @r, so that a bad blob shows under ASan here. */
static void touch_rule(const struct rule *r)
{
	if (r && !rule_equal(r, r))
		abort();
}

static int fb_exec(struct backend *b, const struct rule_cmd *cmd)
{
	(void)b;
	kernel.execs++;
	touch_rule(cmd->rule);
	if (cmd->rulenum > 3 && (cmd->command & (RULE_CMD_INSERT |
	    RULE_CMD_REPLACE | RULE_CMD_DELETE_NUM | RULE_CMD_ZERO_NUM)))
		return fail(E2BIG);
	switch (cmd->command) {
	case RULE_CMD_NEW_CHAIN:
		return strcmp(cmd->chain, "EXISTS") ? 0 : fail(EEXIST);
	case RULE_CMD_RENAME_CHAIN:
		return strcmp(cmd->newname, "EXISTS") ? 0 : fail(EEXIST);
	case RULE_CMD_DELETE_CHAIN:
		return strcmp(cmd->chain, "BUSY") ? 0 : fail(EBUSY);
	case RULE_CMD_DELETE:
	case RULE_CMD_CHECK:
		return strcmp(cmd->chain, "EMPTY") ? 0 : fail(ESRCH);
	default:
		return 0;
	}
}

static int fb_flush_table(struct backend *b, const char *table)
{
	(void)b;
	(void)table;
	kernel.flushes++;
	return 0;
}

static int fb_commit(struct backend *b)
{
	(void)b;
	kernel.commits++;
	return 0;
}

static void fb_abort(struct backend *b)
{
	(void)b;
	kernel.aborts++;
}

static int fb_chains(struct backend *b, const char *table,
		     struct rule_chain **chains, unsigned int *count,
		     bool *table_exists)
{
	const struct backend_table *t = backend_table_find(table);
	struct rule_chain *v;
	unsigned int n;

	(void)b;
	if (!t)
		return fail(ENOENT);
	v = calloc(t->nbuiltins + NUSER, sizeof(*v));
	if (!v)
		return fail(ENOMEM);
	for (n = 0; n < t->nbuiltins; n++) {
		v[n] = (struct rule_chain){ .builtin = true,
			.hooknum = t->builtins[n].hooknum,
			.policy = RULE_VERDICT_ACCEPT, .exists = true };
		strcpy(v[n].name, t->builtins[n].name);
	}
	for (size_t i = 0; i < NUSER; i++, n++) {
		v[n] = (struct rule_chain){ .hooknum = -1, .exists = true };
		strcpy(v[n].name, user_chains[i]);
	}
	*chains = v;
	*count = n;
	*table_exists = true;
	return 0;
}

static int fb_rules(struct backend *b, const char *table, const char *chain,
		    backend_rule_cb cb, void *data)
{
	(void)b;
	(void)table;
	(void)chain;
	(void)cb;
	(void)data;
	return 0;
}

static int fb_compat_rev(struct backend *b, const char *name, uint8_t rev,
			 int opt)
{
	(void)b;
	(void)name;
	(void)rev;
	(void)opt;
	return 1;
}

static const char *fb_rule_refusal(uint8_t family, const struct rule *r)
{
	return nft_backend_ops.rule_refusal(family, r);
}

static const char *fb_strerror(struct backend *b)
{
	(void)b;
	return NULL;
}

/* Not called unless strerror() had words. */
static enum backend_failure fb_failure(struct backend *b)
{
	(void)b;
	return BACKEND_FAIL_CMD;
}

const struct backend_ops fuzz_backend_ops = {
	.name = "fuzz", .variant = "nf_tables",
	.flags = BACKEND_WARNS_LEGACY, .chain_maxlen = NFT_CHAIN_MAXNAMELEN,
	.open = fb_open, .close = fb_close,
	.exec = fb_exec, .flush_table = fb_flush_table,
	.commit = fb_commit, .abort = fb_abort, .chains = fb_chains,
	.rules = fb_rules, .compat_rev = fb_compat_rev,
	.rule_refusal = fb_rule_refusal, .strerror = fb_strerror,
};

/* As the legacy backend: libiptc's behaviour, no refusals of its own. */
const struct backend_ops fuzz_legacy_ops = {
	.name = "fuzz-legacy", .variant = "legacy", .flags = BACKEND_LIBIPTC,
	.open = fb_open, .close = fb_close,
	.exec = fb_exec, .flush_table = fb_flush_table,
	.commit = fb_commit, .abort = fb_abort, .chains = fb_chains,
	.rules = fb_rules, .compat_rev = fb_compat_rev,
	.strerror = fb_strerror, .failure = fb_failure,
};

/* ---- the mark layout ---- */

static const char layout_text[] =
	"field route 0x00ff0000\n"
	"  value isp1 1\n"
	"  value isp2 2\n"
	"field vpn 0x80000000\n"
	"field zone 8-11 conntrack\n"
	"  value dmz 3\n"
	"field odd 0x05 both\n";

void fuzz_layout_init(void)
{
	static char path[64];
	int fd = memfd_create("layout", MFD_CLOEXEC);

	if (fd < 0 || write(fd, layout_text, sizeof(layout_text) - 1) !=
		      (ssize_t)sizeof(layout_text) - 1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	layout_set_path(path);
	layout_get();
}
