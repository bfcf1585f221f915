// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One line of an iptables-restore file into words, as iptables-restore
 * 1.8.9 reads it (xshared's add_param_to_argv and tokenize_rule_counters),
 * and the file itself, for every backend's restore.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "restore.h"

/* iptables-restore 1.8.9 limits: 254 words a line, 1023 bytes a word */
#define RESTORE_MAX_ARGC	255
#define RESTORE_MAX_PARAM	1024

void restore_argv_push(struct restore_argv *av, char *word)
{
	if (av->argc + 1 >= RESTORE_MAX_ARGC)
		msg_die(PARAMETER_PROBLEM,
			 "Parser cannot handle more arguments");
	if (strlen(word) >= RESTORE_MAX_PARAM)
		msg_die(PARAMETER_PROBLEM, "Parameter too long!");
	if (av->argc + 1 >= av->cap) {
		int cap = av->cap ? av->cap * 2 : 64;
		char **n = realloc(av->argv, cap * sizeof(*n));

		if (!n)
			msg_die(RESOURCE_PROBLEM, "%s", strerror(ENOMEM));
		av->argv = n;
		av->cap = cap;
	}
	av->argv[av->argc++] = word;
	av->argv[av->argc] = NULL;
}

void restore_split(struct restore_argv *av, const char *s)
{
	size_t need = strlen(s) + 1;
	bool quoted = false, escaped = false;
	char *out, *word;

	if (need > av->bufcap) {
		char *n = realloc(av->buf, need);

		if (!n)
			msg_die(RESOURCE_PROBLEM, "%s", strerror(ENOMEM));
		av->buf = n;
		av->bufcap = need;
	}
	out = word = av->buf;
	for (; *s; s++) {
		if (escaped) {
			*out++ = *s;
			escaped = false;
		} else if (quoted && *s == '\\') {
			escaped = true;
		} else if (*s == '"') {
			quoted = !quoted;
			if (quoted)
				continue;
			*out++ = '\0';		/* closing quote ends the word */
			restore_argv_push(av, word);
			word = out;
		} else if (!quoted && (*s == ' ' || *s == '\t' || *s == '\n')) {
			if (out == word)
				continue;
			*out++ = '\0';
			restore_argv_push(av, word);
			word = out;
		} else {
			*out++ = *s;
		}
	}
	if (out != word) {
		*out = '\0';
		restore_argv_push(av, word);
	}
}

void restore_counters_prefix(char **start, char **pcnt, char **bcnt,
			     unsigned int line)
{
	char *buf = *start, *end;

	if (buf[0] != '[')
		return;
	end = strchr(buf, ']');
	if (!end)
		msg_die(PARAMETER_PROBLEM, "Bad line %u: need ]", line);
	*pcnt = strtok(buf + 1, ":");
	if (!*pcnt)
		msg_die(PARAMETER_PROBLEM, "Bad line %u: need :", line);
	*bcnt = strtok(NULL, "]");
	if (!*bcnt)
		msg_die(PARAMETER_PROBLEM, "Bad line %u: need ]", line);
	*start = end + 1;
}

void restore_argv_release(struct restore_argv *av)
{
	free(av->argv);
	free(av->buf);
	memset(av, 0, sizeof(*av));
}

/* glibc takes a buffer size only with a buffer */
#define RESTORE_INBUF_SIZE	65536

void restore_input_open(struct restore_input *ri, int argc, char **argv)
{
	ri->in = stdin;
	if (optind < argc - 1) {
		fprintf(stderr, "Unknown arguments found on commandline\n");
		exit(OTHER_PROBLEM);
	}
	if (optind < argc) {
		ri->in = fopen(argv[optind], "re");
		if (!ri->in) {
			fprintf(stderr, "Can't open %s: %s\n", argv[optind],
				strerror(errno));
			exit(OTHER_PROBLEM);
		}
	}
	ri->buf = malloc(RESTORE_INBUF_SIZE);
	if (ri->buf)
		setvbuf(ri->in, ri->buf, _IOFBF, RESTORE_INBUF_SIZE);
}

void restore_input_close(struct restore_input *ri)
{
	fclose(ri->in);
	free(ri->buf);
	ri->in = NULL;
	ri->buf = NULL;
}
