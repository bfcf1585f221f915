// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line tests: parse_argv's struct rule_cmd for every option, and
 * errors with iptables-nft 1.8.9's message and exit code.  The error table
 * was produced by running `unshare -n iptables-nft ARGS` for each row;
 * the cmd_iptables cases at the end use a fake backend and expectations
 * from iptables-nft in the matching kernel state.  Error cases run in a
 * child with stdout and stderr in temporary files.
 */
#include <arpa/inet.h>
#include <check.h>
#include <linux/netfilter/xt_mark.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netfilter/xt_tcpudp.h>

#include "backend.h"
#include "help.h"
#include "parse.h"
#include "cmd.h"
#include "parse.h"
#include "plugins.h"
#include "rule.h"
#include "msg.h"
#include "util.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TRY "Try `iptables -h' or 'iptables --help' for more information.\n"
#define PFX "iptables v1.8.9 (nf_tables): "

/* ---------- running a command line ---------- */

struct words {
	char *buf;
	char *argv[64];
	int argc;
};

/* Splits @args on spaces after @argv0 ("" stands for an empty word). */
static void words_split(struct words *w, const char *argv0, const char *args)
{
	char *save = NULL, *tok;

	w->buf = strdup(args);
	ck_assert_ptr_nonnull(w->buf);
	w->argc = 0;
	w->argv[w->argc++] = (char *)argv0;
	for (tok = strtok_r(w->buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		ck_assert_int_lt(w->argc, 63);
		w->argv[w->argc++] = strcmp(tok, "\"\"") ? tok : tok + 2;
	}
	w->argv[w->argc] = NULL;
}

static struct markctl_ctx test_ctx(const struct backend_ops *ops)
{
	return (struct markctl_ctx){
		.family = NFPROTO_IPV4, .progname = "iptables",
		.backend_ops = ops ? ops : &nft_backend_ops,
	};
}

static bool parsed;
/* parse_words' context; -j MARK may open its backend to ask revisions */
static struct markctl_ctx words_ctx;

/* What cmd_iptables does before running: parse only. */
static void parse_words(struct rule_cmd *cmd, const char *argv0,
			const char *args, unsigned int lineno)
{
	struct words w;

	ctx_release(&words_ctx);
	words_ctx = test_ctx(NULL);
	words_split(&w, argv0, args);
	/* markctl.c decides the face from argv[0] */
	words_ctx.dropin = strstr(argv0, "tables") != NULL;
	words_ctx.family = parse_family(&words_ctx, w.argc, w.argv);
	msg_set_progname(words_ctx.family == NFPROTO_IPV6 ? "ip6tables" :
							  "iptables");
	plugins_init(&words_ctx, words_ctx.family, parse_getopt_options());
	rule_cmd_init(cmd, words_ctx.family);
	cmd->from_restore = lineno != 0;
	cmd->lineno = lineno;
	parsed = true;
	parse_argv(&words_ctx, w.argc, w.argv, cmd);
	/* argv words stay referenced by nothing: the rule copies all */
	free(w.buf);
}

struct outcome {
	int rc;
	char out[8192];
	char err[8192];
};

static void read_file(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs @fn in a child, stdout/stderr captured. */
static void run_child(struct outcome *o, void (*fn)(const void *),
		      const void *arg)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(err);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		fn(arg);
		fflush(stdout);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	o->rc = WEXITSTATUS(status);
	read_file(out, o->out, sizeof(o->out));
	read_file(err, o->err, sizeof(o->err));
}

static void child_parse(const void *arg)
{
	struct rule_cmd cmd;

	parse_words(&cmd, "iptables", arg, 0);
	rule_cmd_release(&cmd);
	plugins_release();
}

/* ---------- errors, as iptables-nft 1.8.9 reports them ---------- */

struct err_case {
	const char *args;
	int rc;
	const char *err;
};

static const struct err_case err_cases[] = {
	{ "--bogus", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"--bogus\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A", 2,
	  "iptables v1.8.9 (nf_tables): option \"-A\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -D INPUT", 2,
	  "iptables v1.8.9 (nf_tables): Cannot use -D with -A\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -A INPUT", 2,
	  "iptables v1.8.9 (nf_tables): Cannot use -A with -A\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t nosuch -L", 3,
	  "iptables v1.8.9 (nf_tables): table 'nosuch' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n" },
	{ "-I INPUT abc", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `abc'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-I INPUT 0", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `0'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-R INPUT", 2,
	  "iptables v1.8.9 (nf_tables): -R requires a rule number\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-D INPUT 0", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `0'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-S INPUT x", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `x'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-E a", 2,
	  "iptables v1.8.9 (nf_tables): -E requires old-chain-name and new-chain-name\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-P INPUT", 2,
	  "iptables v1.8.9 (nf_tables): -P requires a chain and a policy\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -p tcp", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-p' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-F -s 1.2.3.4", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-s' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -n", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-n' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -x", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-x' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT --line-numbers", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-0' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! ! -s 1.2.3.4", 2,
	  "iptables v1.8.9 (nf_tables): multiple consecutive ! not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p ! tcp", 2,
	  "iptables v1.8.9 (nf_tables): unknown protocol \"!\" specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4 -s 1.2.3.5", 2,
	  "iptables v1.8.9 (nf_tables): multiple -s flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp -p udp", 2,
	  "iptables v1.8.9 (nf_tables): multiple -p flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p nosuchproto", 2,
	  "iptables v1.8.9 (nf_tables): unknown protocol \"nosuchproto\" specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -i eth0 -i eth1", 2,
	  "iptables v1.8.9 (nf_tables): multiple -i flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -i 0123456789abcdefg", 2,
	  "iptables v1.8.9 (nf_tables): interface name `0123456789abcdefg' must be shorter than IFNAMSIZ (15)\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s nosuch.invalid", 2,
	  "iptables v1.8.9 (nf_tables): host/network `nosuch.invalid' not found\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m nosuchmatch", 2,
	  "iptables v1.8.9 (nf_tables): Couldn't load match `nosuchmatch':No such file or directory\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j ACCEPT -j DROP", 2,
	  "iptables v1.8.9 (nf_tables): multiple -j flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT --dport 80", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"--dport\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp --dport 80x", 2,
	  "iptables v1.8.9 (nf_tables): invalid port/service `80x' specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -c 1", 2,
	  "iptables v1.8.9 (nf_tables): -c requires packet and byte counter\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	/* fuzz finding: an empty packet count was read past its end */
	{ "-A INPUT -c \"\"", 2,
	  PFX "-c requires packet and byte counter\n" TRY },
	{ "-A INPUT -c \"\" 5,6", 2,
	  PFX "-c packet counter not numeric\n" TRY },
	{ "-A INPUT -c a b", 2,
	  "iptables v1.8.9 (nf_tables): -c packet counter not numeric\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -c 1 b", 2,
	  "iptables v1.8.9 (nf_tables): -c byte counter not numeric\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -g", 2,
	  "iptables v1.8.9 (nf_tables): option \"-g\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-X -p tcp", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-p' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -f -f", 2,
	  "iptables v1.8.9 (nf_tables): multiple -f flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-Z INPUT x", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `x'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L INPUT x", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `x'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-F INPUT x", 2,
	  "Bad argument `x'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N", 2,
	  "iptables v1.8.9 (nf_tables): option \"-N\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N a b", 2,
	  "Bad argument `b'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N 123456789012345678901234567890", 2,
	  "iptables v1.8.9 (nf_tables): chain name `123456789012345678901234567890' too long (must be under 29 chars)\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N -foo", 2,
	  "iptables v1.8.9 (nf_tables): chain name not allowed to start with `-'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N ACCEPT", 2,
	  "iptables v1.8.9 (nf_tables): chain name may not clash with target name\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N MARK", 2,
	  "iptables v1.8.9 (nf_tables): chain name may not clash with target name\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j 123456789012345678901234567890", 2,
	  "iptables v1.8.9 (nf_tables): Invalid target name `123456789012345678901234567890' (28 chars max)\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -ptcp", 2,
	  "iptables v1.8.9 (nf_tables): unknown protocol \"-ptcp\" specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT --protocol=udp", 2,
	  "iptables v1.8.9 (nf_tables): unknown protocol \"--protocol=udp\" specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -ieth0123456789abc", 2,
	  "iptables v1.8.9 (nf_tables): interface name `-ieth0123456789abc' must be shorter than IFNAMSIZ (15)\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -- -j ACCEPT", 2,
	  "iptables v1.8.9 (nf_tables): unknown arguments found on commandline\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j MARK --set-mark 1 -- x", 2,
	  "iptables v1.8.9 (nf_tables): unknown arguments found on commandline\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N foo -s 1.2.3.999", 2,
	  "iptables v1.8.9 (nf_tables): host/network `1.2.3.999' not found\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-F -s 1.2.3.4 -d 1.2.3.999", 2,
	  "iptables v1.8.9 (nf_tables): host/network `1.2.3.999' not found\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-o eth1 -F -j DROP", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-j' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-F -f -c 1 2", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-c' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT extra", 2,
	  "Bad argument `extra'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-D INPUT 1 2", 2,
	  "Bad argument `2'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-I", 2,
	  "iptables v1.8.9 (nf_tables): option \"-I\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-D INPUT -c 1 2", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-c' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-C INPUT -c 1 2", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-c' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -g foo", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-j' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-F -j ACCEPT", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-j' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -f", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-f' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -i eth0", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-i' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m", 2,
	  "iptables v1.8.9 (nf_tables): option \"-m\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-S -n", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-n' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -v", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -v\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -m tcp", 2,
	  "iptables v1.8.9 (nf_tables): unexpected ! flag before --match\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -j ACCEPT", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -j\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L !", 2,
	  "iptables v1.8.9 (nf_tables): nothing appropriate following !\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4 !", 2,
	  "iptables v1.8.9 (nf_tables): nothing appropriate following !\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp --dport 80 -p udp", 2,
	  "iptables v1.8.9 (nf_tables): multiple -p flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p 300", 2,
	  "iptables v1.8.9 (nf_tables): unknown protocol \"300\" specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L INPUT 0", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `0'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-S INPUT 0", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `0'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "! -A INPUT", 2,
	  "iptables v1.8.9 (nf_tables): unexpected '!' flag\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -t filter", 2,
	  "iptables v1.8.9 (nf_tables): unexpected ! flag before --table\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -n", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -g foo", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -j\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L ! --line-numbers", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -0\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L ! -x", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -x\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -c 1 2", 2,
	  "iptables v1.8.9 (nf_tables): cannot have ! before -c\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t nat -A POSTROUTING -j DROP", 2,
	  "iptables v1.8.9 (nf_tables): \nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t nat -P POSTROUTING DROP", 2,
	  "iptables v1.8.9 (nf_tables): \nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -o eth0", 2,
	  "iptables v1.8.9 (nf_tables): Can't use -o with INPUT\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A OUTPUT -i eth0", 2,
	  "iptables v1.8.9 (nf_tables): Can't use -i with OUTPUT\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A PREROUTING -o eth0", 2,
	  "iptables v1.8.9 (nf_tables): Can't use -o with PREROUTING\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A POSTROUTING -i eth0", 2,
	  "iptables v1.8.9 (nf_tables): Can't use -i with POSTROUTING\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4,5.6.7.8 ! -d 1.1.1.1", 2,
	  "iptables v1.8.9 (nf_tables): ! not allowed with multiple source or destination IP addresses\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-R INPUT 1 -s 1.2.3.4,5.6.7.8", 2,
	  "iptables v1.8.9 (nf_tables): Replacement rule does not specify a unique address\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A 123456789012345678901234567890", 2,
	  "iptables v1.8.9 (nf_tables): chain name `123456789012345678901234567890' too long (must be under 29 chars)\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT ! -p all", 2,
	  "iptables v1.8.9 (nf_tables): rule would never match protocol\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-W 5 --bogus", 2,
	  "Ignoring deprecated --wait-interval option.\niptables v1.8.9 (nf_tables): unknown option \"--bogus\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-W 5 -L", 2,
	  "Ignoring deprecated --wait-interval option.\niptables v1.8.9 (nf_tables): --wait-interval only makes sense with --wait\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-W -L", 2,
	  "iptables v1.8.9 (nf_tables): wait interval value required\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-W abc -L", 2,
	  "iptables v1.8.9 (nf_tables): wait interval not numeric\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-w abc -L", 2,
	  "iptables v1.8.9 (nf_tables): wait seconds not numeric\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-n -n -L", 2,
	  "iptables v1.8.9 (nf_tables): multiple -n flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-E a -b", 2,
	  "iptables v1.8.9 (nf_tables): -E requires old-chain-name and new-chain-name\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "--rename-chain a", 2,
	  "iptables v1.8.9 (nf_tables): -E requires old-chain-name and new-chain-name\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "--policy INPUT", 2,
	  "iptables v1.8.9 (nf_tables): -P requires a chain and a policy\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "--replace INPUT", 2,
	  "iptables v1.8.9 (nf_tables): -R requires a rule number\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4/33", 2,
	  "iptables v1.8.9 (nf_tables): invalid mask `33' specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4/abc", 2,
	  "iptables v1.8.9 (nf_tables): invalid mask `abc' specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -d 300.1.1.1", 2,
	  "iptables v1.8.9 (nf_tables): host/network `300.1.1.1' not found\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp --dport 1 --dport 2", 2,
	  "iptables v1.8.9 (nf_tables): Only one `--destination-port' allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp ! --syn --syn", 2,
	  "iptables v1.8.9 (nf_tables): Only one of `--syn' or `--tcp-flags'  allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m tcp --dport 1 -m tcp --dport 2 --dport 3", 2,
	  "iptables v1.8.9 (nf_tables): Only one `--destination-port' allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j MARK", 2,
	  "iptables v1.8.9 (nf_tables): MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j MARK --set-mark 1 --or-mark 2", 2,
	  "iptables v1.8.9 (nf_tables): MARK: option \"--set-mark\" cannot be used together with \"--or-mark\".\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m mark", 2,
	  "iptables v1.8.9 (nf_tables): mark: option \"--mark\" must be specified\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m mark --mark abc", 2,
	  "iptables v1.8.9 (nf_tables): mark: bad integer value for option \"--mark\", or out of range.\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m comment --comment", 2,
	  "iptables v1.8.9 (nf_tables): option \"--comment\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j LOG --log-level nosuch", 2,
	  "iptables v1.8.9 (nf_tables): log level \"nosuch\" unknown\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p udp --sport 1 --dport", 2,
	  "iptables v1.8.9 (nf_tables): option \"--dport\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j CONNMARK", 2,
	  "iptables v1.8.9 (nf_tables): CONNMARK target: No operation specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t raw -F -v -x", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-x' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -c 1 2", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-c' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-P INPUT ACCEPT -s 1.2.3.4", 2,
	  "iptables v1.8.9 (nf_tables): Illegal option `-s' with this command\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp -m udp --dport 1", 2,
	  "iptables v1.8.9 (nf_tables): UDP match requires '-p udp'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L INPUT -Z FORWARD -A X", 2,
	  "iptables v1.8.9 (nf_tables): Cannot use -A with -Z\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-Z -L -S", 2,
	  "iptables v1.8.9 (nf_tables): Cannot use -S with -L\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -S", 2,
	  "iptables v1.8.9 (nf_tables): Cannot use -S with -L\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t", 2,
	  "iptables v1.8.9 (nf_tables): option \"-t\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "--modprobe", 2,
	  "iptables v1.8.9 (nf_tables): option \"--modprobe\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "--app INPUT --bog", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"--bog\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m tcp --dport 1", 2,
	  "iptables v1.8.9 (nf_tables): TCP match requires '-p tcp'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p udp -m tcp --syn", 2,
	  "iptables v1.8.9 (nf_tables): TCP match requires '-p tcp'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p udp -m tcp ! --dport 1", 2,
	  "iptables v1.8.9 (nf_tables): TCP match requires '-p tcp'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT --bogus=1", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"--bogus=1\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-y", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"-y\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-L -y", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"-y\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -p tcp -m tcp --dport 1 --dport 2", 2,
	  "iptables v1.8.9 (nf_tables): Only one `--destination-port' allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-I INPUT 2147483648", 2,
	  "iptables v1.8.9 (nf_tables): Invalid rule number `2147483648'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-I INPUT -1", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"-1\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -c 1 2 -c 3 4", 2,
	  "iptables v1.8.9 (nf_tables): multiple -c flags not allowed\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -m comment --comment x --bogus", 2,
	  "iptables v1.8.9 (nf_tables): unknown option \"--bogus\"\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-N !", 2,
	  "iptables v1.8.9 (nf_tables): chain name not allowed to start with `!'\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-P INPUT", 2,
	  "iptables v1.8.9 (nf_tables): -P requires a chain and a policy\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4/255.0.0.255.1", 2,
	  "iptables v1.8.9 (nf_tables): invalid mask `255.0.0.255.1' specified\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -i eth0 -o eth1 -v -v -t mangle -t nat -p tcp --dport 1 --sport 2 -m mark --mark 1 -j DROP", 2,
	  "iptables v1.8.9 (nf_tables): \nThe \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-t security -A INPUT -g", 2,
	  "iptables v1.8.9 (nf_tables): option \"-g\" requires an argument\nTry `iptables -h' or 'iptables --help' for more information.\n" },
	{ "-A INPUT -j \"\"", 2,
	  PFX "Invalid target name (too short)\n" TRY },
};

START_TEST(test_parse_error)
{
	const struct err_case *c = &err_cases[_i];
	struct outcome o;

	run_child(&o, child_parse, c->args);
	ck_assert_msg(o.rc == c->rc, "%s: rc %d, want %d (%s)", c->args,
		      o.rc, c->rc, o.err);
	ck_assert_msg(!strcmp(o.err, c->err), "%s:\n got: %s\nwant: %s",
		      c->args, o.err, c->err);
}
END_TEST

/* markctl's -4/-6 (argv[0] "markctl"); expectations from ip6tables-nft */
static const struct err_case err6_cases[] = {
	{ "-6 -A INPUT -f", 2,
	  "ip6tables v1.8.9 (nf_tables): `-f' is not supported in IPv6, use -m frag instead\n"
	  "Try `ip6tables -h' or 'ip6tables --help' for more information.\n" },
	{ "-A INPUT -s 1.2.3.4 -6", 2,
	  "ip6tables v1.8.9 (nf_tables): host/network `1.2.3.4' not found\n"
	  "Try `ip6tables -h' or 'ip6tables --help' for more information.\n" },
	{ "-A INPUT -6 ! -p all", 2,
	  "ip6tables v1.8.9 (nf_tables): rule would never match protocol\n"
	  "Try `ip6tables -h' or 'ip6tables --help' for more information.\n" },
	{ "--ipv6 -A INPUT -s 2001:db8::1/129", 2,
	  "ip6tables v1.8.9 (nf_tables): invalid mask `129' specified\n"
	  "Try `ip6tables -h' or 'ip6tables --help' for more information.\n" },
	{ "-6 -A INPUT -p hop", 2,
	  "ip6tables v1.8.9 (nf_tables): unknown protocol \"hop\" specified\n"
	  "Try `ip6tables -h' or 'ip6tables --help' for more information.\n" },
};

static void child_parse_markctl(const void *arg)
{
	struct rule_cmd cmd;

	parse_words(&cmd, "markctl", arg, 0);
	rule_cmd_release(&cmd);
	plugins_release();
}

START_TEST(test_parse_error6)
{
	const struct err_case *c = &err6_cases[_i];
	struct outcome o;

	run_child(&o, child_parse_markctl, c->args);
	ck_assert_msg(o.rc == c->rc, "%s: rc %d (%s)", c->args, o.rc, o.err);
	ck_assert_msg(!strcmp(o.err, c->err), "%s:\n got: %s\nwant: %s",
		      c->args, o.err, c->err);
}
END_TEST

/* Under an iptables name, -6 is iptables' bare "Try" exit. */
START_TEST(test_dropin_family_option)
{
	static const char *const args[] = {
		"-A INPUT -6", "-6 -A INPUT", "-L --ipv6",
	};
	struct outcome o;

	for (size_t i = 0; i < ARRAY_SIZE(args); i++) {
		run_child(&o, child_parse, args[i]);
		ck_assert_int_eq(o.rc, 2);
		ck_assert_str_eq(o.err, TRY);
	}
}
END_TEST

/* ---------- what a valid command line produces ---------- */

static struct rule_cmd cmd;

static void teardown(void)
{
	if (!parsed)
		return;
	rule_cmd_release(&cmd);
	plugins_release();
	ctx_release(&words_ctx);
	parsed = false;
}

static const struct ipt_ip *ip4(void)
{
	ck_assert_ptr_nonnull(cmd.rule);
	ck_assert_int_eq(cmd.rule->family, NFPROTO_IPV4);
	return &cmd.rule->entry.v4.ip;
}

static void assert_addr4(const struct in_addr *a, const char *want)
{
	char buf[INET_ADDRSTRLEN];

	ck_assert_ptr_nonnull(inet_ntop(AF_INET, a, buf, sizeof(buf)));
	ck_assert_str_eq(buf, want);
}

static void assert_mask(const unsigned char *mask, unsigned int ones)
{
	for (unsigned int i = 0; i < IFNAMSIZ; i++)
		ck_assert_msg(mask[i] == (i < ones ? 0xff : 0),
			      "mask byte %u is %#x", i, mask[i]);
}

static const char *match_name(unsigned int i)
{
	ck_assert_uint_lt(i, cmd.rule->nmatches);
	return cmd.rule->matches[i].data->u.user.name;
}

START_TEST(test_append_full_spec)
{
	const struct ipt_ip *ip;

	parse_words(&cmd, "iptables", "-t mangle -A FORWARD -s 192.0.2.77/24 "
		    "! -d 198.51.100.7/31 -i eth0 -o veth+ -p TCP --dport 80 "
		    "-m comment --comment hi -c 5 6 -j ACCEPT", 0);
	ip = ip4();
	ck_assert_uint_eq(cmd.command, RULE_CMD_APPEND);
	ck_assert_str_eq(cmd.table, "mangle");
	ck_assert_str_eq(cmd.chain, "FORWARD");
	assert_addr4(&ip->src, "192.0.2.0");
	assert_addr4(&ip->smsk, "255.255.255.0");
	assert_addr4(&ip->dst, "198.51.100.6");
	assert_addr4(&ip->dmsk, "255.255.255.254");
	ck_assert_uint_eq(ip->invflags, IPT_INV_DSTIP);
	ck_assert_str_eq(ip->iniface, "eth0");
	assert_mask(ip->iniface_mask, 5);
	ck_assert_str_eq(ip->outiface, "veth+");
	assert_mask(ip->outiface_mask, 4);
	ck_assert_uint_eq(ip->proto, IPPROTO_TCP);
	ck_assert_uint_eq(ip->flags, 0);
	ck_assert_uint_eq(cmd.rule->nmatches, 2);
	ck_assert_str_eq(match_name(0), "tcp");
	ck_assert_str_eq(match_name(1), "comment");
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_ACCEPT);
	ck_assert_ptr_null(cmd.rule->target_data);
	ck_assert_uint_eq(cmd.rule->entry.v4.counters.pcnt, 5);
	ck_assert_uint_eq(cmd.rule->entry.v4.counters.bcnt, 6);
}
END_TEST

START_TEST(test_defaults_any_address)
{
	const struct ipt_ip *ip;

	parse_words(&cmd, "iptables", "-A INPUT", 0);
	ip = ip4();
	assert_addr4(&ip->src, "0.0.0.0");
	assert_addr4(&ip->smsk, "0.0.0.0");
	assert_addr4(&ip->dmsk, "0.0.0.0");
	ck_assert_str_eq(cmd.table, "filter");
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_NONE);
	ck_assert_uint_eq(cmd.rule->nmatches, 0);
	ck_assert_int_eq(cmd.wait, 0);
}
END_TEST

START_TEST(test_implicit_proto_match)
{
	const struct xt_tcp *tcp;

	parse_words(&cmd, "iptables", "-A INPUT -p 6 ! --dport 1000:2000 "
		    "--sport 7", 0);
	ck_assert_uint_eq(cmd.rule->nmatches, 1);
	ck_assert_str_eq(match_name(0), "tcp");
	tcp = (const void *)cmd.rule->matches[0].data->data;
	ck_assert_uint_eq(tcp->dpts[0], 1000);
	ck_assert_uint_eq(tcp->dpts[1], 2000);
	ck_assert_uint_eq(tcp->spts[0], 7);
	ck_assert_uint_eq(tcp->invflags, XT_TCP_INV_DSTPT);
	ck_assert_uint_eq(ip4()->invflags, 0);
}
END_TEST

START_TEST(test_match_order_and_repeat)
{
	parse_words(&cmd, "iptables", "-A INPUT -m comment --comment a "
		    "-m mark --mark 1 -p udp --dport 53 -m comment "
		    "--comment b", 0);
	ck_assert_uint_eq(cmd.rule->nmatches, 4);
	ck_assert_str_eq(match_name(0), "comment");
	ck_assert_str_eq(match_name(1), "mark");
	ck_assert_str_eq(match_name(2), "udp");
	ck_assert_str_eq(match_name(3), "comment");
	ck_assert_str_eq((const char *)cmd.rule->matches[0].data->data, "a");
	ck_assert_str_eq((const char *)cmd.rule->matches[3].data->data, "b");
	ck_assert_uint_eq(cmd.rule->matches[1].data->u.user.revision, 1);
}
END_TEST

START_TEST(test_inversions_and_fragment)
{
	const struct ipt_ip *ip;

	parse_words(&cmd, "iptables", "-I OUTPUT 3 ! -p udp ! -s 192.0.2.1 "
		    "! -o lo ! -f", 0);
	ip = ip4();
	ck_assert_uint_eq(cmd.command, RULE_CMD_INSERT);
	ck_assert_uint_eq(cmd.rulenum, 3);
	ck_assert_uint_eq(ip->proto, IPPROTO_UDP);
	ck_assert_uint_eq(ip->invflags, XT_INV_PROTO | IPT_INV_SRCIP |
			  IPT_INV_VIA_OUT | IPT_INV_FRAG);
	ck_assert_uint_eq(ip->flags, IPT_F_FRAG);
	assert_addr4(&ip->smsk, "255.255.255.255");
}
END_TEST

START_TEST(test_iface_wildcards)
{
	const struct ipt_ip *ip;

	parse_words(&cmd, "iptables", "-A FORWARD -i + ! -o 0123456789abcde", 0);
	ip = ip4();
	ck_assert_str_eq(ip->iniface, "+");
	assert_mask(ip->iniface_mask, 0);
	ck_assert_str_eq(ip->outiface, "0123456789abcde");
	assert_mask(ip->outiface_mask, 16);
	ck_assert_uint_eq(ip->invflags, IPT_INV_VIA_OUT);
}
END_TEST

START_TEST(test_jump_goto_target)
{
	parse_words(&cmd, "iptables", "-A INPUT -g user", 0);
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_GOTO);
	ck_assert_str_eq(cmd.rule->jump, "user");
	ck_assert_uint_eq(ip4()->flags, IPT_F_GOTO);
	teardown();

	parse_words(&cmd, "iptables", "-A INPUT -j user", 0);
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_JUMP);
	ck_assert_str_eq(cmd.rule->jump, "user");
	ck_assert_uint_eq(ip4()->flags, 0);
	teardown();

	parse_words(&cmd, "iptables", "-A INPUT -j MARK --set-mark 1", 0);
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_TARGET);
	ck_assert_ptr_nonnull(cmd.rule->target_data);
	ck_assert_str_eq(cmd.rule->target_data->u.user.name, "MARK");
	ck_assert_uint_eq(cmd.rule->target_data->u.user.revision, 2);
	teardown();

	parse_words(&cmd, "iptables", "-A INPUT -j RETURN", 0);
	ck_assert_int_eq(cmd.rule->verdict, RULE_VERDICT_RETURN);
}
END_TEST

struct cmd_case {
	const char *args;
	unsigned int command;
	const char *chain;
	unsigned int rulenum;
	bool has_rule;
};

static const struct cmd_case cmd_cases[] = {
	{ "-I INPUT", RULE_CMD_INSERT, "INPUT", 1, true },
	{ "-R INPUT 2 -j DROP", RULE_CMD_REPLACE, "INPUT", 2, true },
	{ "-D INPUT 4", RULE_CMD_DELETE_NUM, "INPUT", 4, false },
	{ "-D INPUT -j DROP", RULE_CMD_DELETE, "INPUT", 0, true },
	{ "-C INPUT -p tcp", RULE_CMD_CHECK, "INPUT", 0, true },
	{ "-L", RULE_CMD_LIST, "", 0, false },
	{ "-L INPUT 2", RULE_CMD_LIST, "INPUT", 2, false },
	{ "--list=FORWARD", RULE_CMD_LIST, "FORWARD", 0, false },
	{ "-S FORWARD 3", RULE_CMD_LIST_RULES, "FORWARD", 3, false },
	{ "-L -Z", RULE_CMD_LIST | RULE_CMD_ZERO, "", 0, false },
	{ "-Z INPUT -S", RULE_CMD_LIST_RULES | RULE_CMD_ZERO, "INPUT", 0,
	  false },
	{ "-Z INPUT 2", RULE_CMD_ZERO_NUM, "INPUT", 2, false },
	{ "-F", RULE_CMD_FLUSH, "", 0, false },
	{ "-F X", RULE_CMD_FLUSH, "X", 0, false },
	{ "-N X", RULE_CMD_NEW_CHAIN, "X", 0, false },
	{ "-X", RULE_CMD_DELETE_CHAIN, "", 0, false },
	{ "--delete-chain X", RULE_CMD_DELETE_CHAIN, "X", 0, false },
	{ "-V", RULE_CMD_VERSION, "", 0, false },
	{ "--app INPUT", RULE_CMD_APPEND, "INPUT", 0, true },
};

START_TEST(test_commands)
{
	const struct cmd_case *c = &cmd_cases[_i];

	parse_words(&cmd, "iptables", c->args, 0);
	ck_assert_msg(cmd.command == c->command, "%s: command %#x", c->args,
		      cmd.command);
	ck_assert_str_eq(cmd.chain, c->chain);
	ck_assert_uint_eq(cmd.rulenum, c->rulenum);
	ck_assert_msg((cmd.rule != NULL) == c->has_rule, "%s: rule %p",
		      c->args, (void *)cmd.rule);
}
END_TEST

START_TEST(test_chain_commands)
{
	parse_words(&cmd, "iptables", "-E old new", 0);
	ck_assert_uint_eq(cmd.command, RULE_CMD_RENAME_CHAIN);
	ck_assert_str_eq(cmd.chain, "old");
	ck_assert_str_eq(cmd.newname, "new");
	teardown();

	parse_words(&cmd, "iptables", "-P FORWARD DROP -c 7 8", 0);
	ck_assert_uint_eq(cmd.command, RULE_CMD_SET_POLICY);
	ck_assert_int_eq(cmd.policy, RULE_VERDICT_DROP);
	/* iptables-nft 1.8.9 lists "-P FORWARD DROP -c 0 0" afterwards */
	ck_assert(!cmd.has_policy_counters);
	teardown();

	/* "Bad policy name" is the command's (rc 1) */
	parse_words(&cmd, "iptables", "-P INPUT FOO", 0);
	ck_assert_int_eq(cmd.policy, RULE_VERDICT_NONE);
	ck_assert(!cmd.has_policy_counters);
}
END_TEST

START_TEST(test_list_flags_and_wait)
{
	parse_words(&cmd, "iptables", "-w -L -n -v -v -x --line-numbers "
		    "--modprobe=/bin/true -t raw", 0);
	ck_assert_uint_eq(cmd.list_flags, RULE_LIST_NUMERIC |
			  RULE_LIST_VERBOSE | RULE_LIST_EXACT |
			  RULE_LIST_LINE_NUMBERS);
	ck_assert_int_eq(cmd.wait, -1);
	ck_assert_str_eq(cmd.table, "raw");
	teardown();

	parse_words(&cmd, "iptables", "-F -w 5", 0);
	ck_assert_int_eq(cmd.wait, 5);
	teardown();

	parse_words(&cmd, "iptables", "-A INPUT -c 1,2", 0);
	ck_assert_uint_eq(cmd.rule->entry.v4.counters.pcnt, 1);
	ck_assert_uint_eq(cmd.rule->entry.v4.counters.bcnt, 2);
}
END_TEST

START_TEST(test_ipv6)
{
	const struct ip6t_ip6 *ip;
	char buf[INET6_ADDRSTRLEN];

	parse_words(&cmd, "markctl", "-A INPUT -s 2001:db8::1/64 -p udp "
		    "--dport 53 -6", 0);
	ck_assert_uint_eq(cmd.family, NFPROTO_IPV6);
	ck_assert_str_eq(msg_progname(), "ip6tables");
	ck_assert_ptr_nonnull(cmd.rule);
	ck_assert_uint_eq(cmd.rule->family, NFPROTO_IPV6);
	ip = &cmd.rule->entry.v6.ipv6;
	inet_ntop(AF_INET6, &ip->src, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8::");
	inet_ntop(AF_INET6, &ip->smsk, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ffff:ffff:ffff:ffff::");
	ck_assert_uint_eq(ip->proto, IPPROTO_UDP);
	ck_assert_uint_eq(ip->flags, IP6T_F_PROTO);
	ck_assert_str_eq(match_name(0), "udp");
}
END_TEST

/* ip6tables-nft 1.8.9 checks -c, then adds the rule with 0 0; iptables keeps */
START_TEST(test_ipv6_counters_dropped)
{
	parse_words(&cmd, "markctl", "-6 -A INPUT -c 5 6", 0);
	ck_assert_ptr_nonnull(cmd.rule);
	ck_assert_uint_eq(rule_counters(cmd.rule)->pcnt, 0);
	ck_assert_uint_eq(rule_counters(cmd.rule)->bcnt, 0);
	teardown();
	parse_words(&cmd, "markctl", "-A INPUT -c 5 6", 0);
	ck_assert_uint_eq(rule_counters(cmd.rule)->pcnt, 5);
	ck_assert_uint_eq(rule_counters(cmd.rule)->bcnt, 6);
}
END_TEST

START_TEST(test_family_prescan)
{
	char *v[] = { "markctl", "-4", "-L", "-6", NULL };
	char *d[] = { "/usr/sbin/iptables", "-6", NULL };
	struct markctl_ctx own4 = { .family = NFPROTO_IPV4 };
	struct markctl_ctx own6 = { .family = NFPROTO_IPV6 };
	struct markctl_ctx dropin = { .family = NFPROTO_IPV4, .dropin = true };

	ck_assert_uint_eq(parse_family(&own4, 4, v), NFPROTO_IPV6);
	ck_assert_uint_eq(parse_family(&own6, 3, v), NFPROTO_IPV4);
	ck_assert_uint_eq(parse_family(&own6, 1, v), NFPROTO_IPV6);
	ck_assert_uint_eq(parse_family(&dropin, 2, d), NFPROTO_IPV4);
}
END_TEST

START_TEST(test_help_keeps_extensions)
{
	parse_words(&cmd, "iptables", "-p tcp -j MARK -h --bogus", 0);
	ck_assert_uint_eq(cmd.command, RULE_CMD_HELP);
	ck_assert_ptr_nonnull(cmd.rule);
	ck_assert_uint_eq(cmd.rule->nmatches, 1);
	ck_assert_str_eq(match_name(0), "tcp");
	ck_assert_ptr_nonnull(cmd.rule->target);
	ck_assert_str_eq(cmd.rule->target->name, "MARK");
}
END_TEST

/* -s a,b -d c,d: one rule per pair, source-major (iptables-nft's order) */
START_TEST(test_parse_multi)
{
	static const char *const want[][2] = {
		{ "192.0.2.1", "198.51.100.1" }, { "192.0.2.1", "198.51.100.4" },
		{ "192.0.2.2", "198.51.100.1" }, { "192.0.2.2", "198.51.100.4" },
	};
	char *v[] = { "iptables", "-A", "INPUT", "-s", "192.0.2.1,192.0.2.2",
		      "-d", "198.51.100.1,198.51.100.5/30", "-j", "DROP", NULL };
	struct markctl_ctx ctx = test_ctx(NULL);
	struct rule_pairs p;

	plugins_init(&ctx, NFPROTO_IPV4, parse_getopt_options());
	parsed = true;
	rule_cmd_init(&cmd, NFPROTO_IPV4);
	parse_argv_pairs(&ctx, 9, v, &cmd, &p);
	ck_assert_uint_eq(p.nmore, 3);
	ck_assert_uint_eq(p.ndst, 2);
	for (unsigned int i = 0; i < 4; i++) {
		const struct rule *r = i ? p.more[i - 1] : cmd.rule;

		assert_addr4(&r->entry.v4.ip.src, want[i][0]);
		assert_addr4(&r->entry.v4.ip.dst, want[i][1]);
		ck_assert_int_eq(r->verdict, RULE_VERDICT_DROP);
	}
	assert_addr4(&p.more[0]->entry.v4.ip.dmsk, "255.255.255.252");
	rule_pairs_release(&p);
}
END_TEST

/* A restore line of the other family is skipped (command NONE). */
START_TEST(test_restore_other_family)
{
	parse_words(&cmd, "iptables-restore", "-6 -A INPUT -s ::1", 3);
	ck_assert_uint_eq(cmd.command, RULE_CMD_NONE);
	ck_assert_ptr_null(cmd.rule);
}
END_TEST

/* Restore reuses libxtables between lines: options must not leak. */
START_TEST(test_parse_twice)
{
	parse_words(&cmd, "iptables", "-A INPUT -p tcp --dport 1 -m mark "
		    "--mark 1", 0);
	rule_cmd_release(&cmd);
	rule_cmd_init(&cmd, NFPROTO_IPV4);
	{
		char *v[] = { "iptables", "-A", "INPUT", "-p", "udp",
			      "--dport", "2", NULL };
		struct markctl_ctx ctx = test_ctx(NULL);

		parse_argv(&ctx, 7, v, &cmd);
	}
	ck_assert_uint_eq(cmd.rule->nmatches, 1);
	ck_assert_str_eq(match_name(0), "udp");
}
END_TEST

/* Parse after parse in one session, as restore does: option tables kept
 * from one line must still route each option to its own extension when
 * the next line loads the same extensions in another order, or fewer. */
static const struct xt_mark_mtinfo1 *line_match(const char *args,
						unsigned int i)
{
	struct words w;
	struct markctl_ctx ctx = test_ctx(NULL);

	rule_cmd_release(&cmd);
	rule_cmd_init(&cmd, NFPROTO_IPV4);
	words_split(&w, "iptables", args);
	parse_argv(&ctx, w.argc, w.argv, &cmd);
	free(w.buf);
	ck_assert_uint_gt(cmd.rule->nmatches, i);
	return (const void *)cmd.rule->matches[i].data->data;
}

START_TEST(test_option_tables_reused)
{
	static const char *const lines[] = {
		"-A INPUT -m mark --mark 1 -m connmark --mark 2",
		"-A INPUT -m connmark --mark 3 -m mark --mark 4",
		"-A INPUT -m mark --mark 5 -m connmark --mark 6",
		"-A INPUT -m mark --mark 7",
		"-A INPUT -m connmark --mark 8 -m mark --mark 9",
	};
	static const struct { const char *name; uint32_t mark; } want[][2] = {
		{ { "mark", 1 }, { "connmark", 2 } },
		{ { "connmark", 3 }, { "mark", 4 } },
		{ { "mark", 5 }, { "connmark", 6 } },
		{ { "mark", 7 }, { NULL, 0 } },
		{ { "connmark", 8 }, { "mark", 9 } },
	};

	parse_words(&cmd, "iptables", "-A INPUT -j ACCEPT", 0);
	for (unsigned int rep = 0; rep < 2; rep++)
		for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]); l++)
			for (unsigned int i = 0; i < 2 && want[l][i].name; i++) {
				const struct xt_mark_mtinfo1 *m =
					line_match(lines[l], i);

				ck_assert_str_eq(match_name(i), want[l][i].name);
				ck_assert_uint_eq(m->mark, want[l][i].mark);
			}
}
END_TEST

/* An extension option named like a base option: the base one wins, as
 * with libxtables' own table, and the extension's other option is found. */
static unsigned int clash_parsed;

static void clash_parse(struct xt_option_call *cb)
{
	xtables_option_parse(cb);
	clash_parsed |= 1u << cb->entry->id;
}

static const struct xt_option_entry clash_opts[] = {
	{ .name = "protocol", .id = 0, .type = XTTYPE_STRING },
	{ .name = "clash-level", .id = 1, .type = XTTYPE_UINT32 },
	XTOPT_TABLEEND,
};

static struct xtables_match clash_match = {
	.name = "clashtest",
	.version = XTABLES_VERSION,
	.family = NFPROTO_UNSPEC,
	.size = XT_ALIGN(4),
	.userspacesize = XT_ALIGN(4),
	.x6_parse = clash_parse,
	.x6_options = clash_opts,
};

START_TEST(test_base_option_wins)
{
	parse_words(&cmd, "iptables", "-A INPUT -j ACCEPT", 0);
	xtables_register_match(&clash_match);
	for (unsigned int rep = 0; rep < 2; rep++) {
		clash_parsed = 0;
		line_match("-A INPUT -m clashtest --clash-level 3 "
			   "--protocol udp -m mark --mark 1", 0);
		ck_assert_uint_eq(ip4()->proto, IPPROTO_UDP);
		ck_assert_uint_eq(clash_parsed, 1u << 1);
	}
}
END_TEST

/* ---------- cmd_iptables over a fake backend ---------- */

static struct {
	int exec_err;
	const char *kernel;		/* strerror() text, or NULL */
	unsigned int execs;
} fake;

static struct backend *fake_open(const struct markctl_ctx *ctx,
				 uint8_t family)
{
	(void)ctx;
	(void)family;
	return (struct backend *)&fake;
}

static void fake_close(struct backend *b)
{
	(void)b;
}

static int fake_exec(struct backend *b, const struct rule_cmd *c)
{
	(void)b;
	(void)c;
	fake.execs++;
	if (!fake.exec_err)
		return 0;
	errno = fake.exec_err;
	return -1;
}

static int fake_commit(struct backend *b)
{
	(void)b;
	return 0;
}

static void fake_abort(struct backend *b)
{
	(void)b;
}

/* filter after "iptables -N u" on a fresh netns (FORWARD never created) */
static int fake_chains(struct backend *b, const char *table,
		       struct rule_chain **chains, unsigned int *count,
		       bool *table_exists)
{
	static const struct rule_chain v[] = {
		{ .name = "INPUT", .builtin = true, .hooknum = 1,
		  .policy = RULE_VERDICT_ACCEPT, .exists = true },
		{ .name = "FORWARD", .builtin = true, .hooknum = 2,
		  .policy = RULE_VERDICT_ACCEPT },
		{ .name = "OUTPUT", .builtin = true, .hooknum = 3,
		  .policy = RULE_VERDICT_ACCEPT, .exists = true },
		{ .name = "u", .hooknum = -1, .exists = true },
	};

	(void)b;
	ck_assert_str_eq(table, "filter");
	*chains = malloc(sizeof(v));
	ck_assert_ptr_nonnull(*chains);
	memcpy(*chains, v, sizeof(v));
	*count = ARRAY_SIZE(v);
	*table_exists = true;
	return 0;
}

/* In the incompatible state (see fake_check) INPUT holds a rule the
 * decoder could not express, as the nf_tables backend reports it. */
static int fake_rules(struct backend *b, const char *table,
		      const char *chain, backend_rule_cb cb, void *data)
{
	struct rule foreign = { .family = NFPROTO_IPV4, .unsupported = true };

	(void)b;
	(void)table;
	ck_assert_str_ne(chain, "FORWARD");	/* absent: not asked */
	if (fake.exec_err == EPROTONOSUPPORT && !strcmp(chain, "INPUT"))
		return cb(&foreign, data);
	return 0;
}

static int fake_compat_rev(struct backend *b, const char *name, uint8_t rev,
			   int opt)
{
	(void)b;
	(void)name;
	(void)rev;
	(void)opt;
	return 1;
}

static const char *fake_strerror(struct backend *b)
{
	(void)b;
	return fake.kernel;
}

/* A chain nft made that iptables cannot list: exec_err EPROTONOSUPPORT. */
static int fake_check(struct backend *b, const char *table, const char *chain)
{
	(void)b;
	(void)table;
	(void)chain;
	if (fake.exec_err != EPROTONOSUPPORT)
		return 0;
	errno = fake.exec_err;
	return -1;
}

static const struct backend_ops fake_ops = {
	.name = "fake", .open = fake_open, .close = fake_close,
	.exec = fake_exec, .commit = fake_commit, .abort = fake_abort,
	.chains = fake_chains, .rules = fake_rules,
	.compat_rev = fake_compat_rev, .strerror = fake_strerror,
	.check = fake_check,
};

struct run_case {
	const char *args;
	int exec_err;
	const char *kernel;
	int rc;
	const char *out;
	const char *err;
};

#define LHDR "target     prot opt source               destination         \n"
#define BAD_RULE "iptables: Bad rule (does a matching rule exist in that chain?).\n"

/* Expected output: iptables-nft 1.8.9 in the same kernel state. */
static const struct run_case run_cases[] = {
	{ "-A NOSUCH", ENOENT, NULL, 1, "",
	  "iptables: No chain/target/match by that name.\n" },
	{ "-D INPUT 5", E2BIG, NULL, 1, "",
	  "iptables: Index of deletion too big.\n" },
	{ "-I INPUT 5", E2BIG, NULL, 1, "",
	  "iptables: Index of insertion too big.\n" },
	{ "-R INPUT 5 -j DROP", E2BIG, NULL, 1, "",
	  "iptables: Index of replacement too big.\n" },
	{ "-C INPUT -j DROP", ESRCH, NULL, 1, "", BAD_RULE },
	{ "-D INPUT -j REJECT", ESRCH, NULL, 1, "", BAD_RULE },
	{ "-Z INPUT 1", ENOENT, NULL, 1, "", BAD_RULE },
	{ "-Z INPUT 9", E2BIG, NULL, 0, "", "" },
	{ "-N u", EEXIST, NULL, 1, "", "iptables: Chain already exists.\n" },
	{ "-E u v", EEXIST, NULL, 1, "", "iptables: File exists.\n" },
	{ "-X INPUT", ENOTEMPTY, NULL, 1, "",
	  "iptables: Directory not empty.\n" },
	{ "-P INPUT FOO", 0, NULL, 1, "",
	  "iptables: Bad policy name. Run `dmesg' for more information.\n" },
	{ "-P NOSUCH FOO", 0, NULL, 1, "",
	  "iptables: Bad policy name. Run `dmesg' for more information.\n" },
	{ "-P u ACCEPT", 0, NULL, 1, "",
	  "iptables: Bad built-in chain name.\n" },
	{ "-P NOSUCH ACCEPT", 0, NULL, 1, "",
	  "iptables: Bad built-in chain name.\n" },
	{ "-S NOSUCH", 0, NULL, 1, "",
	  PFX "chain `NOSUCH' in table `filter' is incompatible, use 'nft' tool.\n" },
	{ "-L NOSUCH", 0, NULL, 1, "",
	  PFX "chain `NOSUCH' in table `filter' is incompatible, use 'nft' tool.\n" },
	{ "-A INPUT -j nosuch", 0, NULL, 2, "",
	  PFX "Chain 'nosuch' does not exist\n" TRY },
	{ "-A NOSUCH -g nosuch", ENOENT, NULL, 2, "",
	  PFX "Chain 'nosuch' does not exist\n" TRY },
	{ "-A INPUT -j u", 0, NULL, 0, "", "" },
	{ "-A INPUT -j INPUT", EOPNOTSUPP,
	  "RULE_APPEND failed (Operation not supported): rule in chain INPUT",
	  4, "", PFX " RULE_APPEND failed (Operation not supported): rule in chain INPUT\n" },
	{ "-X u", EBUSY,
	  "CHAIN_DEL failed (Device or resource busy): chain u", 4, "",
	  PFX " CHAIN_DEL failed (Device or resource busy): chain u\n" },
	{ "-S", 0, NULL, 0,
	  "-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N u\n", "" },
	{ "-S -v", 0, NULL, 0,
	  "-P INPUT ACCEPT -c 0 0\n-P FORWARD ACCEPT -c 0 0\n"
	  "-P OUTPUT ACCEPT -c 0 0\n-N u\n", "" },
	{ "-S u", 0, NULL, 0, "-N u\n", "" },
	{ "-L", 0, NULL, 0,
	  "Chain INPUT (policy ACCEPT)\n" LHDR "\n"
	  "Chain FORWARD (policy ACCEPT)\n" LHDR "\n"
	  "Chain OUTPUT (policy ACCEPT)\n" LHDR "\n"
	  "Chain u (0 references)\n" LHDR, "" },
	{ "-L u -v -n -x --line-numbers", 0, NULL, 0,
	  "Chain u (0 references)\n"
	  "num      pkts      bytes target     prot opt in     out     source               destination         \n",
	  "" },
	{ "-F -v", 0, NULL, 0,
	  "Flushing chain `INPUT'\nFlushing chain `FORWARD'\n"
	  "Flushing chain `OUTPUT'\nFlushing chain `u'\n", "" },
	{ "-Z -v", 0, NULL, 0,
	  "Zeroing chain `INPUT'\nZeroing chain `OUTPUT'\n"
	  "Zeroing chain `u'\n", "" },
	{ "-X -v", 0, NULL, 0, "Deleting chain `u'\n", "" },
	{ "-V", 0, NULL, 0, "iptables v1.8.9 (nf_tables)\n", "" },
	/* -v with rule commands: the rule applied, on one line */
	{ "-v -A INPUT -s 192.0.2.1 -j ACCEPT", 0, NULL, 0,
	  "ACCEPT  all opt -- in * out *  192.0.2.1  -> 0.0.0.0/0  \n", "" },
	{ "-v -A NOSUCH -j ACCEPT", ENOENT, NULL, 1,
	  "ACCEPT  all opt -- in * out *  0.0.0.0/0  -> 0.0.0.0/0  \n",
	  "iptables: No chain/target/match by that name.\n" },
	{ "-v -D INPUT ! -i lo -p udp -j RETURN", 0, NULL, 0,
	  "RETURN  udp opt -- in !lo out *  0.0.0.0/0  -> 0.0.0.0/0  \n", "" },
	{ "-v -C INPUT -j DROP", ESRCH, NULL, 1, "", BAD_RULE },
	/* rules nft made that iptables cannot express */
	{ "-C INPUT -j DROP", EBADMSG, "meta sreg key not supported", 3, "",
	  "Error: meta sreg key not supported\n"
	  PFX "Parsing nftables rule failed\n"
	  "Perhaps iptables or your kernel needs to be upgraded.\n" },
	{ "-S", EPROTONOSUPPORT, NULL, 1, "",
	  PFX "table `filter' is incompatible, use 'nft' tool.\n" },
	{ "-L INPUT", EPROTONOSUPPORT, NULL, 1, "",
	  PFX "chain `INPUT' in table `filter' is incompatible, use 'nft' tool.\n" },
};

static void child_cmd(const void *arg)
{
	const struct run_case *c = arg;
	struct markctl_ctx ctx = test_ctx(&fake_ops);
	struct words w;
	int rc;

	ctx.dropin = true;	/* invoked as "iptables" */
	fake.exec_err = c->exec_err;
	fake.kernel = c->kernel;
	words_split(&w, "iptables", c->args);
	rc = cmd_iptables(&ctx, w.argc, w.argv);
	ctx_release(&ctx);
	free(w.buf);
	fflush(stdout);
	_exit(rc);
}

/* A host with legacy tables adds this warning to -S/-L. */
static void drop_legacy_warning(char *err)
{
	static const char w[] = "# Warning: iptables-legacy tables present, "
				"use iptables-legacy to see them\n";
	char *p = strstr(err, w);

	if (p)
		memmove(p, p + strlen(w), strlen(p + strlen(w)) + 1);
}

START_TEST(test_cmd_iptables)
{
	const struct run_case *c = &run_cases[_i];
	struct outcome o;

	run_child(&o, child_cmd, c);
	drop_legacy_warning(o.err);
	ck_assert_msg(o.rc == c->rc, "%s: rc %d, want %d (%s)", c->args,
		      o.rc, c->rc, o.err);
	ck_assert_msg(!strcmp(o.err, c->err), "%s:\n got: %s\nwant: %s",
		      c->args, o.err, c->err);
	ck_assert_msg(!strcmp(o.out, c->out), "%s:\n got: %s\nwant: %s",
		      c->args, o.out, c->out);
}
END_TEST

static void child_multi(const void *arg)
{
	struct markctl_ctx ctx = test_ctx(&fake_ops);
	struct words w;
	int rc;

	words_split(&w, "iptables", arg);
	rc = cmd_iptables(&ctx, w.argc, w.argv);
	printf("%u\n", fake.execs);
	fflush(stdout);
	_exit(rc);
}

START_TEST(test_cmd_multi_address)
{
	struct outcome o;

	run_child(&o, child_multi, "-A INPUT -s 192.0.2.1,192.0.2.2 "
		  "-d 198.51.100.1,198.51.100.2,198.51.100.3");
	ck_assert_int_eq(o.rc, 0);
	ck_assert_str_eq(o.out, "6\n");
}
END_TEST

static void child_help(const void *arg)
{
	struct markctl_ctx ctx = test_ctx(&fake_ops);
	struct words w;
	int rc;

	ctx.dropin = true;	/* invoked as "iptables" */
	words_split(&w, "iptables", arg);
	rc = cmd_iptables(&ctx, w.argc, w.argv);
	fflush(stdout);
	_exit(rc);
}

/* Called as markctl, -V and -h speak for markctl (iptables' -h after). */
static void child_own(const void *arg)
{
	struct markctl_ctx ctx = test_ctx(&fake_ops);
	struct words w;
	int rc;

	words_split(&w, "markctl", arg);
	rc = cmd_iptables(&ctx, w.argc, w.argv);
	free(w.buf);
	fflush(stdout);
	_exit(rc);
}

START_TEST(test_own_face)
{
	struct outcome o;

	run_child(&o, child_own, "-V");
	ck_assert_int_eq(o.rc, 0);
	ck_assert_str_eq(o.out, "markctl " PACKAGE_VERSION
			 " (iptables v1.8.9 compatible, backend fake,"
			 " chosen by default)\n");
	run_child(&o, child_own, "--version");
	ck_assert_str_eq(o.out, "markctl " PACKAGE_VERSION
			 " (iptables v1.8.9 compatible, backend fake,"
			 " chosen by default)\n");
	run_child(&o, child_own, "-h");
	ck_assert_int_eq(o.rc, 0);
	ck_assert(!strncmp(o.out, "markctl " PACKAGE_VERSION ": ",
			   strlen("markctl " PACKAGE_VERSION ": ")));
	/* the commands, then iptables' own help */
	ck_assert_ptr_nonnull(strstr(o.out, "\n  restore "));
	ck_assert_ptr_nonnull(strstr(o.out, "\n  ct "));
	ck_assert_ptr_nonnull(strstr(o.out, "\nUsage: iptables -[ACD] chain"));
	ck_assert(strstr(o.out, "\n  ct ") <
		  strstr(o.out, "\nUsage: iptables -[ACD] chain"));
}
END_TEST

START_TEST(test_help)
{
	struct outcome o;

	run_child(&o, child_help, "-m mark -j MARK -h");
	ck_assert_int_eq(o.rc, 0);
	ck_assert_str_eq(o.err, "");
	static const char head[] = "iptables v1.8.9 (nf_tables)\n\nUsage: "
				   "iptables -[ACD] chain";

	ck_assert(!strncmp(o.out, head, strlen(head)));
	/* extension help after the main text, match before target */
	ck_assert_ptr_nonnull(strstr(o.out, "\nmark match options:\n"));
	ck_assert_ptr_nonnull(strstr(o.out, "\nMARK target options"));
	ck_assert(strstr(o.out, "mark match options") <
		  strstr(o.out, "MARK target options"));
}
END_TEST

static void child_xlate_help(const void *arg)
{
	struct markctl_ctx ctx = test_ctx(NULL);
	struct words w;
	int rc;

	ctx.progname = "iptables-translate";
	words_split(&w, "iptables-translate", arg);
	rc = cmd_translate(&ctx, w.argc, w.argv);
	fflush(stdout);
	_exit(rc);
}

/* iptables-translate -h prints iptables' help under its own name, rc 0. */
START_TEST(test_translate_help)
{
	static const char head[] = "iptables-translate v1.8.9 (nf_tables)\n\n"
				   "Usage: iptables-translate -[ACD] chain";
	struct outcome o;

	run_child(&o, child_xlate_help, "-m mark -h");
	ck_assert_int_eq(o.rc, 0);
	ck_assert_str_eq(o.err, "");
	ck_assert(!strncmp(o.out, head, strlen(head)));
	ck_assert_ptr_nonnull(strstr(o.out, "\nmark match options:\n"));
}
END_TEST

/* ---------- suite ---------- */

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("errors");

	tcase_add_loop_test(tc, test_parse_error, 0, ARRAY_SIZE(err_cases));
	tcase_add_loop_test(tc, test_parse_error6, 0, ARRAY_SIZE(err6_cases));
	tcase_add_test(tc, test_dropin_family_option);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_append_full_spec);
	tcase_add_test(tc, test_defaults_any_address);
	tcase_add_test(tc, test_implicit_proto_match);
	tcase_add_test(tc, test_match_order_and_repeat);
	tcase_add_test(tc, test_inversions_and_fragment);
	tcase_add_test(tc, test_iface_wildcards);
	tcase_add_test(tc, test_jump_goto_target);
	tcase_add_loop_test(tc, test_commands, 0, ARRAY_SIZE(cmd_cases));
	tcase_add_test(tc, test_chain_commands);
	tcase_add_test(tc, test_list_flags_and_wait);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_ipv6_counters_dropped);
	tcase_add_test(tc, test_family_prescan);
	tcase_add_test(tc, test_help_keeps_extensions);
	tcase_add_test(tc, test_restore_other_family);
	tcase_add_test(tc, test_parse_twice);
	tcase_add_test(tc, test_option_tables_reused);
	tcase_add_test(tc, test_base_option_wins);
	tcase_add_test(tc, test_parse_multi);
	suite_add_tcase(s, tc);

	tc = tcase_create("command");
	tcase_add_loop_test(tc, test_cmd_iptables, 0, ARRAY_SIZE(run_cases));
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_own_face);
	tcase_add_test(tc, test_translate_help);
	tcase_add_test(tc, test_cmd_multi_address);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
