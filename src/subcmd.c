// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared by markctl's subcommand programs (see subcmd.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subcmd.h"

static const char *subcmd_name = "?";

void subcmd_init(const char *name)
{
	subcmd_name = name;
}

static void vsay(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "markctl %s: ", subcmd_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void subcmd_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(status);
}

void subcmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

bool subcmd_output_json(const char *output)
{
	if (strcmp(output, "json") == 0)
		return true;
	if (strcmp(output, "text") != 0)
		subcmd_die(SUBCMD_USAGE, "unknown output \"%s\" (text or json)",
			   output);
	return false;
}

struct owners *subcmd_owners(const char *path)
{
	char err[512];
	struct owners *o = owners_load(path, err, sizeof(err));

	if (o)
		return o;
	if (!path && errno == ENOENT && !getenv("MARKCTL_OWNERS")) {
		subcmd_warn("no known owners (%s)", err);
		return NULL;
	}
	subcmd_die(SUBCMD_USAGE, "%s", err);
}

void subcmd_print_json(const json_t *j)
{
	if (json_dumpf(j, stdout, JSON_INDENT(2)) < 0 || putchar('\n') == EOF)
		subcmd_die(SUBCMD_RESOURCE, "cannot write: %s", strerror(errno));
}
