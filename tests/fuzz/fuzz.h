/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the libFuzzer targets of tests/fuzz share: running markctl's code
 * so that its exit() returns to the target, a backend that records what
 * it is asked and never reaches a kernel, and input splitting.
 */
#ifndef MARKCTL_FUZZ_H
#define MARKCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/*
 * Runs @fn(@arg); returns -1 if it returned, else the status it passed
 * to exit().  The target then releases what it owns as after a return.
 */
int fuzz_run(void (*fn)(void *arg), void *arg);

/* Records commands and commits, never fails them for want of a kernel:
 * a few chain names give the errors a kernel gives (see fuzz.c). */
extern const struct backend_ops fuzz_backend_ops;
/* The same as a backend of iptables-legacy's ways (BACKEND_LIBIPTC). */
extern const struct backend_ops fuzz_legacy_ops;

/*
 * Makes the process-wide mark layout a fixed one (fields route, vpn,
 * zone, odd), so that field names in mark options parse; once, from
 * LLVMFuzzerInitialize().
 */
void fuzz_layout_init(void);

/* @data as a NUL-terminated string (malloc()ed; NUL bytes end it early). */
char *fuzz_strdup(const uint8_t *data, size_t size);

/*
 * Splits @s in place at each @sep into at most @max words: @argv gets
 * them and a NULL.  Returns the count.
 */
int fuzz_split(char *s, char sep, char **argv, int max);

#endif
