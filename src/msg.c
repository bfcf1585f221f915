// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "msg.h"
#include "rule.h"

static const char *progname = "iptables";
static const char *variant = "nf_tables";
static unsigned int lineno;
static bool in_restore;

void msg_set_progname(const char *name)
{
	progname = name;
}

const char *msg_progname(void)
{
	return progname;
}

void msg_set_variant(const char *name)
{
	variant = name;
}

const char *msg_variant(void)
{
	return variant;
}

void msg_print_version(const char *prog)
{
	printf("%s v%s (%s)\n", prog, IPTABLES_VERSION, variant);
}

void msg_set_lineno(unsigned int line)
{
	lineno = line;
}

void msg_set_restore(bool on)
{
	in_restore = on;
}

/* iptables prints messages that name the program ("iptables: No chain...")
 * without its version prefix. */
static bool starts_with_progname(const char *msg)
{
	size_t n = strlen(progname);

	return strncmp(msg, progname, n) == 0 && msg[n] == ':';
}

void msg_exit_tryhelp(enum xtables_exittype status)
{
	if (lineno || in_restore)
		fprintf(stderr, "Error occurred at line: %u\n", lineno);
	fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
		progname, progname);
	fflush(stdout);
	exit(status);
}

void msg_die(enum xtables_exittype status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!starts_with_progname(fmt))
		fprintf(stderr, "%s v%s (%s): ", progname, IPTABLES_VERSION,
			variant);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status == PARAMETER_PROBLEM)
		msg_exit_tryhelp(status);
	if (status == VERSION_PROBLEM)
		fprintf(stderr,
			"Perhaps %s or your kernel needs to be upgraded.\n",
			progname);
	/* Flush what extensions printed, free nothing: we are exiting. */
	fflush(stdout);
	exit(status);
}

#define BAD_RULE "Bad rule (does a matching rule exist in that chain?)"
#define NOT_ROOT "Permission denied (you must be root)"

/* First match wins; commands 0: any. */
static const struct {
	int err;
	unsigned int commands;
	bool argv_only;
	const char *text;
} errno_texts[] = {
	{ E2BIG, RULE_CMD_DELETE_NUM, false, "Index of deletion too big" },
	{ E2BIG, RULE_CMD_REPLACE, false, "Index of replacement too big" },
	{ E2BIG, RULE_CMD_INSERT, false, "Index of insertion too big" },
	{ ENOENT, RULE_CMD_CHECK | RULE_CMD_DELETE, false, BAD_RULE },
	{ ENOENT, RULE_CMD_ZERO_NUM, true, BAD_RULE },
	{ ESRCH, 0, false, BAD_RULE },
	{ ENOENT, RULE_CMD_SET_POLICY, false, "Bad built-in chain name" },
	{ EBUSY, RULE_CMD_SET_POLICY, false, "Bad built-in chain name" },
	{ EINVAL, RULE_CMD_SET_POLICY, false, "Bad policy name" },
	{ EEXIST, RULE_CMD_NEW_CHAIN, false, "Chain already exists" },
	{ ENOTEMPTY, RULE_CMD_DELETE_CHAIN, false, "Directory not empty" },
	{ EBUSY, RULE_CMD_DELETE_CHAIN, false, "Directory not empty" },
	{ ENOENT, 0, false, "No chain/target/match by that name" },
	{ EPERM, 0, false, NOT_ROOT },
	{ EACCES, 0, false, NOT_ROOT },
	{ ENOMEM, 0, false, "Memory allocation problem" },
};

const char *msg_errno_text(unsigned int command, int err, bool restore)
{
	for (size_t i = 0; i < sizeof(errno_texts) / sizeof(errno_texts[0]); i++)
		if (errno_texts[i].err == err &&
		    (!errno_texts[i].commands ||
		     (errno_texts[i].commands & command)) &&
		    !(restore && errno_texts[i].argv_only))
			return errno_texts[i].text;
	return strerror(err);
}

void msg_die_failure(int kind, const char *words, int err)
{
	if (kind == BACKEND_FAIL_LOCK)
		fprintf(stderr, "%s\n", words);
	else
		fprintf(stderr, "%s: %s.%s\n", progname, words,
			err == EINVAL ? " Run `dmesg' for more information." :
			"");
	fflush(stdout);
	exit(kind == BACKEND_FAIL_LOCK || err == EAGAIN ? RESOURCE_PROBLEM :
							   OTHER_PROBLEM);
}

void msg_die_no_chain(const struct rule *r, bool libiptc)
{
	if (!libiptc)
		msg_die(PARAMETER_PROBLEM, "Chain '%s' does not exist", r->jump);
	if (r->verdict == RULE_VERDICT_GOTO)
		msg_die(PARAMETER_PROBLEM, "goto '%s' is not a chain", r->jump);
	/* libxtables says "Couldn't load target" and exits through us */
	xtables_find_target(r->jump, XTF_LOAD_MUST_SUCCEED);
	/* Found: a target built into markctl (CONNMARK) that a restore's
	 * chain line announced as a chain, then -X deleted.  1.8.9 loads no
	 * announced name, and fails as for any unknown one. */
	msg_die(PARAMETER_PROBLEM, "Couldn't load target `%s':%s\n", r->jump,
		strerror(ENOENT));
}

void msg_warn_legacy(uint8_t family, const char *tool)
{
	const char *path = family == NFPROTO_IPV6 ?
		"/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names";
	const char *prefix = family == NFPROTO_IPV6 ? "ip6" : "ip";
	FILE *f = fopen(path, "re");
	int c;

	if (!f)
		return;
	c = fgetc(f);
	fclose(f);
	if (c != EOF)
		fprintf(stderr, "# Warning: %stables-legacy tables present, "
			"use %stables-legacy%s to see them\n",
			prefix, prefix, tool);
}
