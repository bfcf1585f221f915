/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What markctl's subcommand programs (markctl-explain, markctl-audit)
 * share: messages in git's form ("markctl NAME: ..."), exit statuses,
 * -o text|json, the known owners, JSON on stdout (jansson).
 */
#ifndef MARKCTL_SUBCMD_H
#define MARKCTL_SUBCMD_H

#include <jansson.h>
#include <stdbool.h>

#include "owners.h"

enum subcmd_status {
	SUBCMD_OK	= 0,
	SUBCMD_FINDINGS	= 1,	/* audit found something */
	SUBCMD_USAGE	= 2,	/* bad usage or value, bad layout/owners */
	SUBCMD_RESOURCE	= 4,	/* cannot read the kernel's state */
};

/* Names the program in messages ("explain" -> "markctl explain: "). */
void subcmd_init(const char *name);
void subcmd_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void subcmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -o text|json: true for json; anything else exits 2. */
bool subcmd_output_json(const char *output);

/* The known owners from @path (--owners), else the default file; a
 * missing default is a warning (NULL), any other failure exits 2. */
struct owners *subcmd_owners(const char *path);

/* @j on stdout, indented, with a final newline. */
void subcmd_print_json(const json_t *j);

#endif
