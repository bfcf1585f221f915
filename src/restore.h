/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers of markctl restore (src/cmd-restore.c, src/restore-legacy.c). */
#ifndef MARKCTL_RESTORE_H
#define MARKCTL_RESTORE_H

#include <stdbool.h>
#include <stdio.h>

#include "rule.h"

struct markctl_ctx;

enum restore_flags {
	RS_NOFLUSH	= 1 << 0,
	RS_TEST		= 1 << 1,
	RS_COUNTERS	= 1 << 2,
	RS_VERBOSE	= 1 << 3,
	/* the whole input in one transaction (markctl restore); else each
	 * COMMIT takes effect when read (iptables-restore, as 1.8.9) */
	RS_ATOMIC	= 1 << 4,
};

/* One restore: the table being read, the lines' state (cmd-restore.c). */
struct restore;

/* A restore into @ctx's backend, with RS_* @flags and -T @only_table
 * (NULL: every table); markctl restore's options add to them.  Exits on
 * ENOMEM. */
struct restore *restore_alloc(struct markctl_ctx *ctx, unsigned int flags,
			      const char *only_table);
/* Restores @in as iptables-restore does, after plugins_init(); bad input
 * exits with iptables-restore 1.8.9's message and status. */
void restore_file(struct restore *rs, FILE *in);
/* Also after an exit() that returned (tests/fuzz), with parse_abandon(). */
void restore_free(struct restore *rs);
/* iptables-restore for backends that work as iptables-legacy does
 * (BACKEND_LIBIPTC): the whole command, as cmd_restore(). */
int restore_legacy(struct markctl_ctx *ctx, int argc, char **argv);
/* Its parts, as restore_alloc(), restore_file() and restore_free(). */
struct lrs;
struct lrs *restore_legacy_alloc(struct markctl_ctx *ctx, unsigned int flags,
				 const char *only_table);
void restore_legacy_file(struct lrs *rs, FILE *in);
void restore_legacy_free(struct lrs *rs);

/* "iptables-restore", "ip6tables-nft-restore", ... as @ctx is invoked. */
const char *restore_progname(const struct markctl_ctx *ctx);

/* A set of chain names; zero-initialised is empty. */
struct restore_chainset {
	struct restore_slot *slots;
	size_t cap;			/* power of two */
	size_t used;			/* live and deleted slots */
};

/* Returns 0, or -1 with errno = ENOMEM. */
int restore_chainset_add(struct restore_chainset *s, const char *name);
void restore_chainset_del(struct restore_chainset *s, const char *name);
bool restore_chainset_has(const struct restore_chainset *s, const char *name);
/* Frees the slots; the set is empty (and usable) afterwards. */
void restore_chainset_release(struct restore_chainset *s);

/* Words of one rule line, rebuilt for each line in reused buffers. */
struct restore_argv {
	char **argv;
	int argc;
	int cap;
	char *buf;		/* the line's words, NUL-separated */
	size_t bufcap;
};

/* Appends a word; more than 1.8.9's 254 words, or a word of 1024 bytes
 * or more, is its parameter problem. */
void restore_argv_push(struct restore_argv *av, char *word);
/*
 * Splits @s into words as iptables-restore does: blanks separate words,
 * "..." quotes (a closing quote ends the word, even an empty one), and
 * inside quotes a backslash takes the next character literally.  Single
 * quotes are ordinary characters.
 */
void restore_split(struct restore_argv *av, const char *s);
void restore_argv_release(struct restore_argv *av);

/* "[p:b] rest": points *@pcnt and *@bcnt at the numbers (in place) and
 * *@start after the "]"; a line without "[" is left alone. */
void restore_counters_prefix(char **start, char **pcnt, char **bcnt,
			     unsigned int line);

/* The input of a restore: the file argument left after the options (at
 * optind), else stdin, read 64 KiB at a time. */
struct restore_input {
	FILE *in;
	char *buf;
};

/* Opens it; a missing file or extra arguments end the command as
 * iptables-restore 1.8.9 does. */
void restore_input_open(struct restore_input *ri, int argc, char **argv);
/* Closes it, stdin too, before the buffer goes. */
void restore_input_close(struct restore_input *ri);

#endif
